//! Floor: output. Status lines, JSON, unified diffs: how results are shown,
//! and what may be shown of text from elsewhere (control characters,
//! secrets in URLs). Uses no other floor.

pub mod diff;
pub mod json;
pub mod redact;
pub mod sanitize;
pub mod shell;
pub mod ui;
