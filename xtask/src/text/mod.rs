//! Floor: pure text. Versions (SemVer, PEP 440 and its normalization, levels), tag templates,
//! dates, file-name slugs, and the splicers that read and edit TOML and mentions: `&str` in,
//! values or `String` out. Each splicer locates the one value it changes and
//! splices the new text into those bytes, so the rest of the file (comments,
//! key order, whitespace, quoting) stays byte-for-byte.
//! Uses no other floor.

pub mod api;
pub mod date;
pub mod json;
pub mod keyed;
pub mod lockfile;
pub mod manifest;
pub mod memchr;
pub mod mentions;
pub mod pep440;
pub mod pyproject;
pub mod registry_dependency;
pub mod requirement;
pub mod signing;
pub mod slug;
pub mod splice;
pub mod tag_index;
pub mod tags;
pub mod toml;
pub mod train;
pub mod version;
