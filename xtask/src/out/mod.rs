//! Floor: output. Status lines, JSON, unified diffs: how results are shown.
//! Uses no other floor.

pub mod diff;
pub mod json;
pub mod ui;
