//! The release notes of one version: its section body, ready for a GitHub
//! release.
//!
//! Only the headings up to the end of the wanted section are read: a release
//! of a recent version is not blocked by a malformed heading far below it
//! (lint reports that), and a large file is not parsed past what is needed.

use anyhow::{Result, anyhow};

use super::lines::Lines;
use super::model::{SectionKind, Series};
use super::parse::heading;
use crate::out::json::string as json_string;
use semver::Version;

use crate::text::memchr;
use crate::text::version::{parse_any, same, to_pep440};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    /// `Unreleased`, or the version as written in the heading.
    pub version: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The section without its heading and link definitions, with `\n`
    /// line endings and no leading or trailing blank lines.
    pub body: String,
}

/// The notes of `version`: `Unreleased` (any case) or a version compared by
/// value, so `1.0.0-rc.1` finds `## [1.0.0rc1]`; a leading `v` is accepted.
pub fn notes(path: &str, text: &str, version: &str, series: &Series) -> Result<Notes> {
    let version = version.trim();
    let want = if version.eq_ignore_ascii_case("unreleased") {
        None
    } else {
        Some(parse_any(version).map_err(|_| {
            anyhow!(
                "`{version}` is neither `Unreleased` nor a version: ask for Unreleased, 1.2.3, 1.2.3-rc.1 or 1.2.3rc1"
            )
        })?)
    };
    // Most requests spell the version as the heading does: look for that
    // text first and parse only the heading it names; any other outcome falls
    // back to parsing every heading (errors, other spellings, the list).
    let forms: Vec<String> = match &want {
        None => vec!["Unreleased".to_string()],
        Some(v) => [
            Some(v.to_string()),
            to_pep440(v).ok(),
            series.own.as_ref().and_then(|t| t.render(v).ok()),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    if let Some(found) = find(path, text, &want, Some(&forms), series) {
        return found;
    }
    find(path, text, &want, None, series)
        .unwrap_or_else(|| Err(missing(path, text, version, &want, series)))
}

/// The section of `want` (None: Unreleased); with `forms`, only headings
/// whose bracketed text is one of them are parsed, and any surprise gives
/// `None` for the caller to retry without them.
fn find(
    path: &str,
    text: &str,
    want: &Option<Version>,
    forms: Option<&[String]>,
    series: &Series,
) -> Option<Result<Notes>> {
    let mut unreleased_at = None;
    let mut lines = Lines::new(text);
    while let Some(line) = lines.next_heading() {
        if let Some(forms) = forms {
            // Lengths first: most headings are passed over without a comparison.
            let like = |l: &str, f: &str| l.len() == f.len() && l.eq_ignore_ascii_case(f);
            let wanted = label(line.text)
                .is_some_and(|l| like(l, "unreleased") || forms.iter().any(|f| like(l, f)));
            if !wanted {
                continue;
            }
        }
        let kind = match heading(path, &line, series) {
            Ok(Some(kind)) => kind,
            // `## What's Changed`: text of the section above.
            Ok(None) => continue,
            Err(_) if forms.is_some() => return None,
            Err(e) => return Some(Err(e.into())),
        };
        let found = match (&kind, &want) {
            (SectionKind::Unreleased, None) => true,
            (SectionKind::Release { version, .. }, Some(want)) => same(version, want),
            _ => false,
        };
        if kind == SectionKind::Unreleased {
            if let Some(first) = unreleased_at {
                return Some(Err(anyhow!(
                    "{path}:{}: a second `[Unreleased]` section (the first is at line {first}): merge the two",
                    line.index + 1
                )));
            }
            unreleased_at = Some(line.index + 1);
        }
        if !found {
            continue;
        }
        // The date is formatted only for the section asked for.
        let (name, date) = match kind {
            SectionKind::Unreleased => ("Unreleased".to_string(), None),
            SectionKind::Release { raw, date, .. } => (raw, date),
            SectionKind::Other { raw } => (raw, None),
        };
        let body = body(path, &mut lines, series);
        let blank = |l: &&str| l.trim().is_empty();
        let first = body.iter().position(|l| !blank(l)).unwrap_or(body.len());
        let last = body
            .iter()
            .rposition(|l| !blank(l))
            .map_or(first, |i| i + 1);
        return Some(Ok(Notes {
            version: name,
            date: date.map(|d| d.to_string()),
            body: body[first..last].join("\n"),
        }));
    }
    None
}

/// The bracketed label of a `## [label]…` heading (memchr finds its `]`).
fn label(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("## [")?;
    let close = memchr::find(rest.as_bytes(), 0, b']')?;
    Some(&rest[..close])
}

/// The lines of a section without its link definitions, up to where
/// `parse` ends it: the next heading that names a version, or tries to and
/// fails (lint reports that one). A heading that names none (`## New
/// Contributors`) is part of the section, never its end.
fn body<'a>(path: &str, lines: &mut Lines<'a>, series: &Series) -> Vec<&'a str> {
    let mut body = Vec::new();
    for line in lines {
        if line.is_heading() && !matches!(heading(path, &line, series), Ok(None)) {
            break;
        }
        if line.link_def().is_none() {
            body.push(line.text);
        }
    }
    body
}

/// No section for `version`: say which versions the file has.
fn missing(
    path: &str,
    text: &str,
    version: &str,
    want: &Option<Version>,
    series: &Series,
) -> anyhow::Error {
    let present: Vec<String> = Lines::new(text)
        .filter(|l| l.is_heading())
        .filter_map(|l| match heading(path, &l, series) {
            Ok(Some(SectionKind::Unreleased)) => Some("Unreleased".to_string()),
            Ok(Some(SectionKind::Release { raw, .. })) => Some(raw),
            Ok(Some(SectionKind::Other { .. }) | None) | Err(_) => None,
        })
        .collect();
    let heading = match want {
        None => "## [Unreleased]".to_string(),
        Some(_) => format!("## [{version}] - YYYY-MM-DD"),
    };
    // A long history is cut short: the newest sections are the likely typos.
    const SHOWN: usize = 10;
    let present = match present.len() {
        0 => "it has no version sections".to_string(),
        n if n <= SHOWN => format!("it has {}", present.join(", ")),
        n => format!(
            "it has {} and {} more",
            present[..SHOWN].join(", "),
            n - SHOWN
        ),
    };
    anyhow!(
        "{path}: no section for `{version}` ({present}): add a `{heading}` section or ask for one that exists"
    )
}

/// `{"version":…,"date":…|null,"body":…}` on one line.
pub fn notes_json(notes: &Notes) -> String {
    format!(
        "{{\"version\":{},\"date\":{},\"body\":{}}}",
        json_string(&notes.version),
        notes
            .date
            .as_deref()
            .map_or("null".to_string(), json_string),
        json_string(&notes.body)
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, LLMSIM, PYTHON, big};
    use super::*;

    /// `notes` read with no tag series.
    fn notes(path: &str, text: &str, version: &str) -> Result<Notes> {
        super::notes(path, text, version, &Series::default())
    }

    fn n(version: &str, date: Option<&str>, body: &str) -> Notes {
        Notes {
            version: version.into(),
            date: date.map(String::from),
            body: body.into(),
        }
    }

    #[test]
    fn finds_sections_by_name_or_value() {
        let cases = [
            (
                CRATE,
                "unreleased",
                n(
                    "Unreleased",
                    None,
                    "### Added\n\n- Streaming retries for the OpenAI provider\n\n### Fixed",
                ),
            ),
            (
                CRATE,
                "v0.6.26",
                n(
                    "0.6.26",
                    Some("2026-04-04"),
                    "### Added\n\n- `LLMProvider::embed_batch`\n\n### Fixed\n\n- Timeouts on slow networks",
                ),
            ),
            (
                CRATE,
                "0.1",
                n("0.1.0", Some("2025-01-10"), "### Added\n\n- First release"),
            ),
            (
                PYTHON,
                "0.4.0-rc.1",
                n(
                    "0.4.0rc1",
                    Some("2026-03-01"),
                    "### Added\n\n- Release candidate",
                ),
            ),
            (
                PYTHON,
                "0.3.0",
                n("0.3.0", Some("2026-01-15"), "- Initial package"),
            ),
            (
                LLMSIM,
                "0.2.0",
                n(
                    "0.2.0",
                    Some("2026-02-01"),
                    "### Breaking Changes\n\n- Rename `Sim` to `Simulator`\n\n### What's Changed\n\n- Add streaming ([#12](https://github.com/chaliy/llmsim/pull/12)) by @chaliy\n\n**Full Changelog**: https://github.com/chaliy/llmsim/compare/v0.1.0...v0.2.0",
                ),
            ),
            (
                LLMSIM,
                "0.1.0",
                n(
                    "0.1.0",
                    Some("2026-01-01"),
                    "### What's Changed\n\n- Initial release by @chaliy",
                ),
            ),
        ];
        for (text, version, want) in cases {
            assert_eq!(
                notes("CHANGELOG.md", text, version).unwrap(),
                want,
                "{version}"
            );
        }
    }

    #[test]
    fn other_spellings_are_found_by_value_and_errors_keep_their_line() {
        let text =
            "# C\n\n## [v1.2.0] - 2024-03-01\n\n- vee\n\n## [1.1.0rc2] - 2024-02-01\n\n- pep\n";
        assert_eq!(
            notes("C.md", text, "1.2.0").unwrap(),
            n("v1.2.0", Some("2024-03-01"), "- vee")
        );
        assert_eq!(
            notes("C.md", text, "1.1.0-rc.2").unwrap(),
            n("1.1.0rc2", Some("2024-02-01"), "- pep")
        );
        let broken = "# C\n\n## [1.2.0] - 2024-13-01\n\n- a\n";
        let err = notes("C.md", broken, "1.2.0").unwrap_err().to_string();
        assert!(err.starts_with("C.md:3:"), "{err}");
    }

    #[test]
    fn every_dialect_gives_its_notes() {
        use super::super::fixtures::{
            CARGO_RELEASE, HEADING_LINKS, KNOPE, OLDEST_FIRST, V_UNDATED,
        };
        let cases = [
            (
                CARGO_RELEASE,
                "Unreleased",
                n("Unreleased", None, "### Added\n\n- A `--quiet` flag"),
            ),
            (
                CARGO_RELEASE,
                "0.2.0",
                n(
                    "0.2.0",
                    Some("2024-03-01"),
                    "### Fixed\n\n- Exit code on empty input",
                ),
            ),
            (
                HEADING_LINKS,
                "0.3.1",
                n(
                    "0.3.1",
                    Some("2024-05-02"),
                    "### Fixed\n\n- Retry on timeouts",
                ),
            ),
            (
                KNOPE,
                "1.1.0",
                n(
                    "1.1.0",
                    Some("2024-05-01"),
                    "### Fixes\n\n- Keep file permissions",
                ),
            ),
            (
                V_UNDATED,
                "2.1.0",
                n(
                    "v2.1.0",
                    None,
                    "* Add the `serve` command (#48)\n* Document plugins (#45)",
                ),
            ),
            (
                OLDEST_FIRST,
                "0.2.0",
                n("0.2.0", Some("2023-02-20"), "- Second cut"),
            ),
        ];
        for (text, version, want) in cases {
            assert_eq!(notes("C.md", text, version).unwrap(), want, "{version}");
        }
    }

    #[test]
    fn crlf_fences_yanked_and_an_empty_section() {
        let text = "# C\r\n\r\n## [Unreleased]\r\n\r\n## [1.1.0] - 2024-02-01 [YANKED]\r\n\r\n\r\n```sh\r\n## not a heading\r\n[x]: kept\r\n```\r\n- a\r\n\r\n[1.1.0]: https://r/compare/v1.0.0...v1.1.0\r\n[Unreleased]: https://r/compare/v1.1.0...HEAD";
        assert_eq!(
            notes("C.md", text, "1.1.0").unwrap(),
            n(
                "1.1.0",
                Some("2024-02-01"),
                "```sh\n## not a heading\n[x]: kept\n```\n- a"
            )
        );
        assert_eq!(
            notes("C.md", text, "Unreleased").unwrap(),
            n("Unreleased", None, "")
        );
    }

    /// GitHub's generated notes inside a section: its `##` headings are
    /// printed with it, whole.
    #[test]
    fn github_notes_are_printed_whole() {
        use super::super::fixtures::GITHUB_NOTES;
        let want = "Streaming lands, and retries back off.\n\n## What's Changed\n* feat(core): stream responses by @ann in https://github.com/o/gh/pull/31\n* fix: back off between retries by @bo in https://github.com/o/gh/pull/33\n* docs: a streaming guide by @cy in https://github.com/o/gh/pull/34\n\n## New Contributors\n* @cy made their first contribution in https://github.com/o/gh/pull/34\n\n**Full Changelog**: https://github.com/o/gh/compare/v0.3.0...v0.4.0";
        for version in ["0.4.0", "v0.4"] {
            assert_eq!(
                notes("C.md", GITHUB_NOTES, version).unwrap(),
                n("0.4.0", Some("2026-03-02"), want),
                "{version}"
            );
        }
        assert_eq!(
            notes("C.md", GITHUB_NOTES, "0.3.0").unwrap().body,
            "## What's Changed\n* feat: a config file by @ann in https://github.com/o/gh/pull/21\n\n**Full Changelog**: https://github.com/o/gh/compare/v0.2.0...v0.3.0"
        );
        // Unbracketed, the heading is found by reading every heading.
        let unbracketed = GITHUB_NOTES.replace("## [0.4.0]", "## 0.4.0");
        assert_eq!(notes("C.md", &unbracketed, "0.4.0").unwrap().body, want);
    }

    /// Yanked releases, in each form, and the releases around them.
    #[test]
    fn yanked_releases_and_their_neighbours() {
        use super::super::fixtures::YANKED;
        for (version, name, date, body) in [
            (
                "0.12.1",
                "0.12.1",
                Some("2026-01-05"),
                "- Fix the crash 0.12.0 shipped",
            ),
            ("0.12.0", "0.12.0", None, "- A crash on start"),
            ("0.11.0", "0.11.0", Some("2025-12-01"), "- Broken wheels"),
            ("0.10.1", "0.10.1", None, "- The wrong license file"),
            ("0.10.0", "0.10.0", Some("2025-10-01"), "- First release"),
        ] {
            assert_eq!(
                notes("C.md", YANKED, version).unwrap(),
                n(name, date, body),
                "{version}"
            );
        }
    }

    /// The guard: `notes` ends a section where `parse` does, so no text of a
    /// section is ever left out: every section of every dialect, asked for
    /// by name, is its parsed body without link definitions.
    #[test]
    fn notes_are_the_parsed_sections_of_every_dialect() {
        use super::super::fixtures::DIALECTS;
        use super::super::parse::parse;
        for (dialect, text) in DIALECTS {
            let cl = parse("C.md", text).unwrap();
            for s in &cl.sections {
                let lines: Vec<&str> = text[cl.span(s.body.clone())]
                    .lines()
                    .filter(|l| super::super::lines::link_def(l).is_none())
                    .collect();
                let body = lines.join("\n");
                let got = notes("C.md", text, s.name()).unwrap();
                assert_eq!(got.body, body.trim_matches('\n'), "{dialect} {}", s.name());
            }
        }
    }

    #[test]
    fn stops_after_the_wanted_section() {
        let text = "## [2.0.0] - 2024-01-01\n\n- two\n\n## [1.0.0] - 2024-13-01\n";
        assert_eq!(
            notes("C.md", text, "2.0.0").unwrap(),
            n("2.0.0", Some("2024-01-01"), "- two")
        );
        assert_eq!(
            notes("C.md", text, "1.0.0").unwrap_err().to_string(),
            "C.md:5: heading `## [1.0.0] - 2024-13-01` has a date that is not a date: write YYYY-MM-DD"
        );
    }

    #[test]
    fn errors() {
        let cases = [
            (
                CRATE,
                "0.2.0",
                "CHANGELOG.md: no section for `0.2.0` (it has Unreleased, 0.6.26, 0.1.0): add a `## [0.2.0] - YYYY-MM-DD` section or ask for one that exists",
            ),
            (
                PYTHON,
                "Unreleased",
                "CHANGELOG.md: no section for `Unreleased` (it has 0.4.0, 0.4.0rc1, 0.3.0): add a `## [Unreleased]` section or ask for one that exists",
            ),
            (
                "# Changelog\n",
                "1.0.0",
                "CHANGELOG.md: no section for `1.0.0` (it has no version sections): add a `## [1.0.0] - YYYY-MM-DD` section or ask for one that exists",
            ),
            (
                CRATE,
                "latest",
                "`latest` is neither `Unreleased` nor a version: ask for Unreleased, 1.2.3, 1.2.3-rc.1 or 1.2.3rc1",
            ),
            (
                "## [Unreleased]\n## [1.0.0]\n## [Unreleased]\n",
                "0.1.0",
                "CHANGELOG.md:3: a second `[Unreleased]` section (the first is at line 1): merge the two",
            ),
        ];
        for (text, version, want) in cases {
            let err = notes("CHANGELOG.md", text, version).unwrap_err();
            assert_eq!(err.to_string(), want, "{version}");
        }
    }

    #[test]
    fn json_escapes_the_body() {
        let notes = n(
            "1.0.0rc1",
            Some("2024-01-01"),
            "- \"quoted\" C:\\dir\n- tab\there é\u{1}",
        );
        assert_eq!(
            notes_json(&notes),
            r#"{"version":"1.0.0rc1","date":"2024-01-01","body":"- \"quoted\" C:\\dir\n- tab\there é\u0001"}"#
        );
        assert_eq!(
            notes_json(&n("Unreleased", None, "")),
            r#"{"version":"Unreleased","date":null,"body":""}"#
        );
    }

    #[test]
    fn five_megabytes_top_and_bottom() {
        let text = big();
        let oldest = super::super::parse::parse("C.md", &text)
            .unwrap()
            .sections
            .last()
            .unwrap()
            .name()
            .to_string();
        let top = notes("C.md", &text, "Unreleased").unwrap();
        let bottom = notes("C.md", &text, &oldest).unwrap();
        assert_eq!(top.body, "- Next");
        let missing = notes("C.md", &text, "3.0.0").unwrap_err().to_string();
        assert!(
            missing.starts_with("C.md: no section for `3.0.0` (it has Unreleased, 1.100000.0, 1.99999.0, 1.99998.0, 1.99997.0, 1.99996.0, 1.99995.0, 1.99994.0, 1.99993.0, 1.99992.0 and "),
            "{}", &missing[..200]
        );
        assert!(
            bottom.body.starts_with("### Added\n\n- Support"),
            "{}",
            bottom.body
        );
    }
}
