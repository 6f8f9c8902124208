//! A changelog in a few words: the dialect its headings are written in and
//! the releases it lists for one package (pure), for `cargo xtask init`.

use semver::Version;

use super::model::{SectionKind, Series};
use super::style;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The tool or convention its headings follow, with an example.
    pub dialect: String,
    /// The releases it lists for the package it is read for, newest first.
    pub releases: Vec<Version>,
    /// Its headings are named by tags (`## [rust-v1.2.3](…)`), so they say
    /// which package each release is of.
    pub tag_labels: bool,
}

/// What the changelog `path` holding `text` is, read for `series`; `None`
/// when it does not parse (`check` says why).
pub fn summary(path: &str, text: &str, series: &Series) -> Option<Summary> {
    let cl = super::parse::parse_located(path, text, series).ok()?;
    let style = style::detect(text, &cl);
    let mut releases: Vec<Version> = cl
        .sections
        .iter()
        .filter_map(|s| match &s.kind {
            SectionKind::Release { version, .. } => Some(version.clone()),
            _ => None,
        })
        .collect();
    releases.sort_by(|a, b| series.cmp(b, a));
    let any_release = cl
        .sections
        .iter()
        .any(|s| !matches!(s.kind, SectionKind::Unreleased));
    let template = cl
        .sections
        .iter()
        .any(|s| cl.heading(s).trim_end().ends_with("- ReleaseDate"));
    let dialect = match () {
        _ if template => "cargo-release's template (`## [Unreleased] - ReleaseDate`)",
        _ if !any_release => "no release yet",
        _ if style.tag_labels => "github_changelog_generator (`## [TAG](…/tree/TAG) (DATE)`)",
        _ if style.heading_links => "release-plz or git-cliff (`## [X.Y.Z](compare link) - DATE`)",
        _ if !style.bracketed && style.paren_date => "knope (`## X.Y.Z (DATE)`)",
        _ if style.bracketed && style.dated => "Keep a Changelog (`## [X.Y.Z] - DATE`)",
        _ if style.v_prefix => "headings `## vX.Y.Z`",
        _ if style.dated => "headings `## X.Y.Z - DATE`",
        _ => "headings without dates",
    };
    Some(Summary {
        dialect: dialect.to_string(),
        releases,
        tag_labels: style.tag_labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tags::TagTemplate;

    fn dialect(text: &str) -> String {
        summary("CHANGELOG.md", text, &Series::default())
            .unwrap()
            .dialect
    }

    #[test]
    fn each_dialect_is_named() {
        let rows = [
            (
                "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2024-01-02\n\n- A.\n",
                "Keep a Changelog",
            ),
            (
                "## [Unreleased] - ReleaseDate\n\n## [1.0.0] - 2024-01-02\n",
                "cargo-release's template",
            ),
            (
                "## [1.0.0](https://github.com/o/r/compare/v0.9.0...v1.0.0) - 2024-01-02\n",
                "release-plz or git-cliff",
            ),
            ("## 1.0.0 (2024-01-02)\n\n- A.\n", "knope"),
            (
                "## [rust-v1.0.0](https://github.com/o/r/tree/rust-v1.0.0) (2024-01-02)\n",
                "github_changelog_generator",
            ),
            ("## v1.0.0\n\n- A.\n", "headings `## vX.Y.Z`"),
            ("## 1.0.0 - 2024-01-02\n", "headings `## X.Y.Z - DATE`"),
            ("## 1.0.0\n", "headings without dates"),
            ("# Changelog\n\n## [Unreleased]\n", "no release yet"),
        ];
        for (text, name) in rows {
            assert!(dialect(text).starts_with(name), "{text}: {}", dialect(text));
        }
    }

    #[test]
    fn releases_are_the_packages_own_newest_first() {
        let text = "## [python-v1.2.0](u/tree/python-v1.2.0) (2026-06-02)\n\n## [rust-v0.12.3](u/tree/rust-v0.12.3) (2026-05-19)\n\n## [rust-v0.12.2](u/tree/rust-v0.12.2) (2026-05-01)\n";
        let t = |s: &str| TagTemplate::new(s).unwrap();
        let series = Series {
            own: Some(t("rust-v{version}")),
            earlier: Vec::new(),
            others: vec![t("python-v{version}")],
        };
        let read = summary("CHANGELOG.md", text, &series).unwrap();
        let shown: Vec<String> = read.releases.iter().map(|v| v.to_string()).collect();
        assert_eq!(shown, ["0.12.3", "0.12.2"]);
        assert!(read.tag_labels);
        assert_eq!(summary("x", "## [1.0.O]\n", &Series::default()), None);
    }
}
