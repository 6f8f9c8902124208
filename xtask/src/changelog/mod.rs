//! Keep a Changelog 1.1.0 files: parse, lint, extract release notes, promote
//! `[Unreleased]` to a release, and draft notes from conventional commits,
//! change files (`.changes/*.md`) and towncrier fragments.
//! Everything here is pure: text in, text or values out; the commands do the
//! reading, writing and git.
//!
//! Floor: changelogs. Uses: text, out.

mod change_file;
mod change_kind;
mod change_notes;
mod commits;
mod date_order;
pub mod dialect;
mod fix;
mod fragment;
mod lines;
mod lint;
mod model;
mod notes;
mod parse;
mod port;
mod promote;
mod promotion;
mod release_links;
mod render;
mod section_body;
mod style;
mod suggest;
mod tag_label;
mod yanked;

#[cfg(test)]
mod fixtures;

pub use self::{
    change_file::{fragment_body, parse_change, without_lines},
    change_kind::{Kind, WORDS},
    change_notes::{Entry, join_notes, render_changes},
    commits::{Commit, LOG_FORMAT, parse_conventional, parse_log, without_release_commits},
    fix::{fix_dates, fix_links},
    fragment::parse_fragment,
    lint::{LintContext, Severity, lint},
    model::Series,
    notes::{Notes, notes, notes_json},
    parse::parse_in,
    port::{Ported, port},
    promote::{EmptyRelease, NEW_CHANGELOG, promote, promote_splices},
    promotion::Promote,
    release_links::repository_in,
    render::{DEFAULT_EXCLUDE, Format, render_keepachangelog, render_whats_changed},
    style::restyle,
    suggest::suggest,
};
