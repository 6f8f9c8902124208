//! A parsed changelog: positions into the original text, never a copy of it,
//! so edits rewrite only the lines they must, and a 50 MB file's model is a
//! fraction of its size.

use std::ops::Range;

use chrono::NaiveDate;
use semver::Version;

use crate::text::tags::TagTemplate;
use crate::text::version::{order, same};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changelog<'t> {
    /// The text parsed.
    pub(super) text: &'t str,
    /// `## ` sections in file order.
    pub sections: Vec<Section>,
    /// Every `[label]: url` reference definition outside code, in file order.
    pub links: Vec<LinkDef<'t>>,
    /// The first line of the trailing block of link definitions (and blank
    /// lines) at the end of the file; `line_count` when there is none.
    pub links_start: usize,
    pub line_count: usize,
    /// The file's line ending (that of its first line), used for new lines.
    pub eol: &'static str,
    /// Byte offset where each line starts, plus the text length at the end
    /// (a changelog is below 4 GiB: `parse` says so of one that is not).
    pub(super) line_starts: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 0-based index of the heading line (`Changelog::heading` is its text).
    pub line: usize,
    pub kind: SectionKind,
    /// The URL of a link in the heading: `## [1.2.3](url) - …`.
    pub link: Option<String>,
    /// The label is in brackets: `[1.2.3]`.
    pub bracketed: bool,
    /// The date is in parentheses: `1.2.3 (2024-01-02)`.
    pub paren_date: bool,
    /// Lines after the heading up to the next section's heading or the
    /// trailing link-definition block (0-based, end exclusive). A `## `
    /// heading that names no version (`## What's Changed`) is one of them.
    pub body: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionKind {
    Unreleased,
    Release {
        version: Version,
        /// The version as written in the heading (`0.4.0rc1`).
        raw: String,
        date: Option<NaiveDate>,
        yanked: Option<Yanked>,
    },
    /// A release of another package that shares the file: its heading is a
    /// tag of another series (`## [python-v1.2.0]` in a Rust crate's file).
    Other {
        /// The heading's label as written.
        raw: String,
    },
}

/// How a heading marks its release as yanked (pulled from the registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Yanked {
    /// Keep a Changelog's form: `[YANKED]` ends the heading.
    Standard,
    /// Another spelling, read all the same: `YANKED`, `(yanked)`, `[yanked]`.
    Other,
}

/// The tag series a changelog is read for. A heading named by a tag
/// (`## [rust-v0.12.3](…)`) is a release of `own` when its template reads
/// it, of another package when one of `others` does; with no template, any
/// `PREFIX` + version label is read as that version.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub own: Option<TagTemplate>,
    /// The package's earlier series (`previous-tags`): their headings are
    /// its releases too (`## [python-v1.2.0]`).
    pub earlier: Vec<TagTemplate>,
    pub others: Vec<TagTemplate>,
}

impl Series {
    /// The order of the package's versions: its series' (PEP 440's for a
    /// Python package), else SemVer's on each version's PEP 440 reading.
    pub fn cmp(&self, a: &Version, b: &Version) -> std::cmp::Ordering {
        match &self.own {
            Some(own) => own.cmp(a, b),
            None => order(a, b),
        }
    }
}

impl PartialEq for Series {
    fn eq(&self, other: &Series) -> bool {
        let names = |s: &Series| -> Vec<String> {
            s.own
                .iter()
                .chain(&s.earlier)
                .chain(&s.others)
                .map(|t| t.template.clone())
                .collect()
        };
        self.own.is_some() == other.own.is_some() && names(self) == names(other)
    }
}

impl Eq for Series {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDef<'t> {
    pub label: &'t str,
    pub url: &'t str,
    /// 0-based line index.
    pub line: usize,
}

impl<'t> Changelog<'t> {
    /// Byte offset of the start of 0-based `line` (the text length past the end).
    pub fn offset(&self, line: usize) -> usize {
        self.line_starts[line.min(self.line_count)] as usize
    }

    /// The heading of `section` as written, without its line ending.
    pub fn heading(&self, section: &Section) -> &'t str {
        let line = &self.text[self.span(section.line..section.line + 1)];
        let line = line.strip_suffix('\n').unwrap_or(line);
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// Byte range of a range of lines, line endings included.
    pub fn span(&self, lines: Range<usize>) -> Range<usize> {
        self.offset(lines.start)..self.offset(lines.end)
    }

    pub fn unreleased(&self) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.kind == SectionKind::Unreleased)
    }

    /// The release section of `version`, compared by value.
    /// The section of `version`, in any spelling of its pre-release
    /// (`## [0.23.1rc0]` is the section of `0.23.1-rc0`).
    pub fn release(&self, version: &Version) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.version().is_some_and(|v| same(v, version)))
    }

    /// The highest released version and its section.
    pub fn newest(&self) -> Option<&Section> {
        self.sections
            .iter()
            .filter(|s| s.version().is_some())
            .max_by(|a, b| match (a.version(), b.version()) {
                (Some(a), Some(b)) => order(a, b),
                _ => std::cmp::Ordering::Equal,
            })
    }

    pub fn link(&self, label: &str) -> Option<&LinkDef<'t>> {
        self.links
            .iter()
            .find(|l| l.label.eq_ignore_ascii_case(label))
    }
}

impl Section {
    pub fn version(&self) -> Option<&Version> {
        match &self.kind {
            SectionKind::Release { version, .. } => Some(version),
            SectionKind::Unreleased | SectionKind::Other { .. } => None,
        }
    }

    /// `Unreleased`, or the version as written.
    pub fn name(&self) -> &str {
        match &self.kind {
            SectionKind::Release { raw, .. } | SectionKind::Other { raw } => raw,
            SectionKind::Unreleased => "Unreleased",
        }
    }

    #[cfg(test)]
    pub fn date(&self) -> Option<NaiveDate> {
        match &self.kind {
            SectionKind::Release { date, .. } => *date,
            SectionKind::Unreleased | SectionKind::Other { .. } => None,
        }
    }
}
