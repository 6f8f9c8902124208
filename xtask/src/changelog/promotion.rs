//! What a promotion is asked for (version, date, tag template, links) and
//! the byte-range edits it makes: shared by the promotion and its links.

use std::ops::Range;

use chrono::NaiveDate;
use semver::Version;

use super::model::Series;
use crate::text::version::{parse_any, to_pep440};

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
    /// The package's tag series: headings named by its tags are its
    /// releases, those named by another series' tags are not.
    pub series: &'a Series,
    /// The previous release's tag (the previous-release rule's), the base
    /// new compare links start from; else the newest section's tag.
    pub previous_tag: Option<&'a str>,
}

impl Promote<'_> {
    /// The tag of `version` (as written in a heading); a `{pep440}`
    /// template takes the label's PEP 440 form.
    pub(super) fn tag(&self, version: &str) -> String {
        let pep = || to_pep440(&parse_any(version).ok()?).ok();
        match self.tag_template.contains("{pep440}").then(pep).flatten() {
            Some(pep) => self.tag_template.replace("{pep440}", &pep),
            None => self.tag_template.replace("{version}", version),
        }
    }

    /// The tag of the version promoted, as the series makes it.
    pub(super) fn new_tag(&self) -> String {
        let own = self.series.own.as_ref();
        own.and_then(|t| t.render(self.version).ok())
            .unwrap_or_else(|| self.tag(self.display))
    }

    /// The tag compare links start from: the previous release's, else the
    /// tag of the newest section `newest`.
    pub(super) fn compare_base(&self, newest: Option<&str>) -> Option<String> {
        self.previous_tag
            .map(String::from)
            .or_else(|| newest.map(|label| self.tag_of_label(label)))
    }

    /// The tag a section's label stands for: the label itself when it is
    /// a tag of the series (`rust-v0.12.3`), else the tag of its version.
    pub(super) fn tag_of_label(&self, label: &str) -> String {
        match &self.series.own {
            Some(own) if own.parse(label).is_some() => label.to_string(),
            _ => self.tag(bare(label)),
        }
    }
}

/// A replacement of a byte range of the file.
pub(super) type Edit = (Range<usize>, String);

/// `1.2.3` from a heading label `v1.2.3`: the tag template adds its own `v`.
fn bare(label: &str) -> &str {
    match label.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tags::TagTemplate;

    #[test]
    fn tags_of_a_pep440_series_take_the_pep440_form() {
        let series = Series {
            own: Some(TagTemplate::new("v{pep440}").unwrap()),
            earlier: Vec::new(),
            others: Vec::new(),
        };
        let version = semver::Version::parse("0.23.1-rc1").unwrap();
        let promote = Promote {
            version: &version,
            display: "0.23.1-rc1",
            date: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            tag_template: "v{pep440}",
            repo_url: None,
            allow_empty: false,
            generated: None,
            series: &series,
            previous_tag: None,
        };
        assert_eq!(promote.new_tag(), "v0.23.1rc1");
        // A section's label, in either spelling, names its tag.
        assert_eq!(promote.tag_of_label("0.23.1-rc0"), "v0.23.1rc0");
        assert_eq!(promote.tag_of_label("v0.23.1rc0"), "v0.23.1rc0");
        assert_eq!(promote.tag_of_label("0.23.0"), "v0.23.0");
        assert_eq!(
            promote.compare_base(Some("0.23.1-rc0")).unwrap(),
            "v0.23.1rc0"
        );
    }
}
