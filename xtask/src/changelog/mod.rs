//! Keep a Changelog 1.1.0 files: parse, lint, extract release notes, promote
//! `[Unreleased]` to a release, and draft notes from conventional commits.
//! Everything here is pure: text in, text or values out; the commands do the
//! reading, writing and git.

mod commits;
mod json;
mod lines;
mod lint;
mod model;
mod notes;
mod parse;
mod promote;
mod render;
mod suggest;

#[cfg(test)]
mod fixtures;

// The public API, unused until the commands are wired in.
#[allow(unused_imports)]
pub use self::{
    commits::{Commit, Conventional, LOG_FORMAT, parse_conventional, parse_log},
    json::json_string,
    lint::{LintContext, Problem, Severity, lint},
    model::{Changelog, LinkDef, Section, SectionKind},
    notes::{Notes, notes, notes_json},
    parse::parse,
    promote::{Promote, promote},
    render::{DEFAULT_EXCLUDE, credit, render_keepachangelog, render_whats_changed},
    suggest::suggest,
};
