//! What a promotion is asked for (version, date, tag template, links) and
//! the byte-range edits it makes: shared by the promotion and its links.

use std::ops::Range;

use chrono::NaiveDate;
use semver::Version;

pub struct Promote<'a> {
    pub version: &'a Version,
    /// The version as it must appear in the heading and tag: PEP 440
    /// (`0.4.0rc1`) for a Python package, SemVer otherwise.
    pub display: &'a str,
    pub date: NaiveDate,
    /// `v{version}`, `py-v{version}`: `{version}` becomes the display form.
    pub tag_template: &'a str,
    /// `https://github.com/o/r`, used only when the existing links do not
    /// tell the repository.
    pub repo_url: Option<&'a str>,
    pub allow_empty: bool,
    /// Markdown appended to the new section, after any hand-written text.
    pub generated: Option<&'a str>,
}

impl Promote<'_> {
    /// The tag of `version` (as written in a heading).
    pub(super) fn tag(&self, version: &str) -> String {
        self.tag_template.replace("{version}", version)
    }
}

/// A replacement of a byte range of the file.
pub(super) type Edit = (Range<usize>, String);
