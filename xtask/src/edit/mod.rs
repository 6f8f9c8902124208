//! Pure text edits: `&str` in, `String` out. Each locates the one value it
//! changes and splices the new text into those bytes, so the rest of the file
//! (comments, key order, whitespace, quoting) stays byte-for-byte.

pub mod lockfile;
pub mod manifest;
pub mod mentions;
pub mod pyproject;
pub mod registry_dependency;
pub mod toml;
