//! Keep a Changelog 1.1.0 files: parse, lint, extract release notes, promote
//! `[Unreleased]` to a release, and render notes from conventional commits.
//! Everything here is pure: text in, text or values out.

mod commits;
mod json;
mod lines;
mod model;
mod notes;
mod parse;
mod promote;
mod render;
mod suggest;

#[cfg(test)]
mod fixtures;

// The public API: unused until the commands are wired in.
#[allow(unused_imports)]
pub use commits::{Commit, Conventional, LOG_FORMAT, parse_conventional, parse_log};
#[allow(unused_imports)]
pub use json::json_string;
#[allow(unused_imports)]
pub use model::{Changelog, LinkDef, Section, SectionKind};
#[allow(unused_imports)]
pub use notes::{Notes, notes, notes_json};
#[allow(unused_imports)]
pub use parse::parse;
#[allow(unused_imports)]
pub use promote::{Promote, promote};
#[allow(unused_imports)]
pub use render::{DEFAULT_EXCLUDE, credit, render_keepachangelog, render_whats_changed};
#[allow(unused_imports)]
pub use suggest::suggest;
