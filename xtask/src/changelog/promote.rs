//! Turning `[Unreleased]` into a dated release section, and keeping the
//! link definitions at the bottom in step.

use std::ops::Range;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use semver::Version;

use super::lines::Lines;
use super::model::{Changelog, Section};
use super::parse::parse;
use crate::version::parse_any;

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

/// The changelog with the release section added; the input is left as is
/// outside the lines that must change.
pub fn promote(path: &str, text: &str, opts: &Promote) -> Result<String> {
    let cl = parse(path, text)?;
    let display = opts.display;
    if let Some(existing) = cl.release(opts.version) {
        bail!(
            "{path}:{}: {display} already has a section (`{}`): release a later version, or edit that section",
            existing.line + 1,
            existing.heading
        );
    }
    let newest = cl.newest();
    if let Some(newest) = newest
        && Some(opts.version) < newest.version()
    {
        bail!(
            "{path}:{}: {display} is lower than {}, the newest version in the changelog: release a version above {}",
            newest.line + 1,
            newest.name(),
            newest.name()
        );
    }
    let eol = cl.eol;
    let unreleased = cl.unreleased();
    let written = unreleased.map_or(Vec::new(), |s| entries(&text[cl.span(s.body.clone())]));
    let generated = opts.generated.map_or(Vec::new(), trimmed_lines);
    if written.is_empty() && generated.is_empty() && !opts.allow_empty {
        bail!(match unreleased {
            Some(s) => format!(
                "{path}:{}: `{}` has no entries to release: add entries under it, generate them from the commits, or allow an empty release",
                s.line + 1,
                s.heading
            ),
            None => format!(
                "{path}: no `## [Unreleased]` section and nothing generated, so {display} would be empty: add `## [Unreleased]` with entries, generate them from the commits, or allow an empty release"
            ),
        });
    }
    let mut section = format!("## [{display}] - {}{eol}", opts.date.format("%Y-%m-%d"));
    for part in [written, generated] {
        if !part.is_empty() {
            section.push_str(eol);
            section.push_str(&part.join(eol));
            section.push_str(eol);
        }
    }

    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    match unreleased {
        Some(s) => {
            // `## [Unreleased]`, one blank line, the new section, then what followed.
            let mut new = String::new();
            if cl.offset(s.line + 1) == text.len() && !text.ends_with('\n') {
                new.push_str(eol);
            }
            new.push_str(eol);
            new.push_str(&section);
            if s.body.end < cl.line_count {
                new.push_str(eol);
            } else if !text.ends_with('\n') {
                // The file ended without a newline: so does the result.
                new.truncate(new.len() - eol.len());
            }
            edits.push((cl.span(s.body.clone()), new));
        }
        None => {
            let (at, mut new) = match cl.sections.iter().find(|s| s.version().is_some()) {
                Some(first) => (cl.offset(first.line), section + eol),
                None => {
                    // After the intro, before any link definitions.
                    let at = cl.offset(cl.links_start);
                    let mut new = String::new();
                    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
                        new.push_str(eol);
                    }
                    if cl.links_start > 0 && !is_blank_line(text, &cl, cl.links_start - 1) {
                        new.push_str(eol);
                    }
                    new.push_str(&section);
                    if cl.links_start < cl.line_count {
                        new.push_str(eol);
                    }
                    (at, new)
                }
            };
            if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
                new.truncate(new.len() - eol.len());
            }
            edits.push((at..at, new));
        }
    }
    if !cl.links.is_empty() {
        link_edits(path, text, &cl, opts, newest, &mut edits)?;
    }

    let mut out = text.to_string();
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, new) in edits {
        out.replace_range(range, &new);
    }
    Ok(out)
}

/// Points `[Unreleased]` at the new tag and adds the new version's link
/// above the previous version's.
fn link_edits(
    path: &str,
    text: &str,
    cl: &Changelog,
    opts: &Promote,
    newest: Option<&Section>,
    edits: &mut Vec<(Range<usize>, String)>,
) -> Result<()> {
    let eol = cl.eol;
    let base = cl
        .links
        .iter()
        .find_map(|l| repo_of(&l.url))
        .or(opts.repo_url.map(|u| u.trim_end_matches('/')))
        .ok_or_else(|| {
            anyhow!(
                "{path}:{}: no link definition points at `…/compare/…` or `…/releases/tag/…`, so the repository URL is unknown: pass the repository URL",
                cl.links[0].line + 1
            )
        })?;
    let tag = |version: &str| opts.tag_template.replace("{version}", version);
    let new_tag = tag(opts.display);
    if let Some(link) = cl.link("Unreleased") {
        let start = cl.offset(link.line);
        let line = &text[start..cl.offset(link.line + 1)];
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        edits.push((
            start..end,
            format!("[{}]: {base}/compare/{new_tag}...HEAD", link.label),
        ));
    }
    let url = match newest {
        Some(prev) => format!("{base}/compare/{}...{new_tag}", tag(prev.name())),
        None => format!("{base}/releases/tag/{new_tag}"),
    };
    let new_link = format!("[{}]: {url}", opts.display);
    let older = cl
        .links
        .iter()
        .find(|l| parse_any(&l.label).is_ok_and(|v| v < *opts.version));
    match older {
        Some(older) => {
            let at = cl.offset(older.line);
            edits.push((at..at, new_link + eol));
        }
        None => {
            let after = cl
                .link("Unreleased")
                .unwrap_or(&cl.links[cl.links.len() - 1]);
            let at = cl.offset(after.line + 1);
            let new = if at == text.len() && !text.ends_with('\n') {
                format!("{eol}{new_link}")
            } else {
                new_link + eol
            };
            edits.push((at..at, new));
        }
    }
    Ok(())
}

/// `https://github.com/o/r` from a compare or release link.
fn repo_of(url: &str) -> Option<&str> {
    ["/compare/", "/releases/tag/"]
        .iter()
        .find_map(|marker| url.find(marker).map(|i| &url[..i]))
}

fn is_blank_line(text: &str, cl: &Changelog, line: usize) -> bool {
    text[cl.span(line..line + 1)].trim().is_empty()
}

/// The hand-written lines of a section body: empty `###` groups dropped,
/// no blank lines at either end.
fn entries(body: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    // Where the group heading without entries yet starts in `out`.
    let mut empty_group: Option<usize> = None;
    for line in Lines::new(body) {
        if line.is_group() {
            if let Some(at) = empty_group {
                out.truncate(at);
            }
            empty_group = Some(out.len());
        } else if !line.is_blank() {
            empty_group = None;
        }
        out.push(line.text);
    }
    if let Some(at) = empty_group {
        out.truncate(at);
    }
    trim_blank(out)
}

fn trimmed_lines(text: &str) -> Vec<&str> {
    trim_blank(Lines::new(text).map(|l| l.text).collect())
}

fn trim_blank(mut lines: Vec<&str>) -> Vec<&str> {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    lines.drain(..first);
    lines
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, LLMSIM, PYTHON};
    use super::*;

    struct Case<'a> {
        version: &'a str,
        display: &'a str,
        tag_template: &'a str,
        repo_url: Option<&'a str>,
        allow_empty: bool,
        generated: Option<&'a str>,
    }

    const PLAIN: Case = Case {
        version: "",
        display: "",
        tag_template: "v{version}",
        repo_url: None,
        allow_empty: false,
        generated: None,
    };

    fn run(text: &str, case: Case) -> Result<String> {
        let version = parse_any(case.version).unwrap();
        let display = if case.display.is_empty() {
            case.version
        } else {
            case.display
        };
        promote(
            "CHANGELOG.md",
            text,
            &Promote {
                version: &version,
                display,
                date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
                tag_template: case.tag_template,
                repo_url: case.repo_url,
                allow_empty: case.allow_empty,
                generated: case.generated,
            },
        )
    }

    fn ok(text: &str, case: Case) -> String {
        run(text, case).unwrap()
    }

    fn err(text: &str, case: Case) -> String {
        run(text, case).unwrap_err().to_string()
    }

    #[test]
    fn crate_shape_moves_unreleased_and_drops_empty_groups() {
        let out = ok(
            CRATE,
            Case {
                version: "0.7.0",
                ..PLAIN
            },
        );
        let want = CRATE
            .replace(
                "## [Unreleased]\n\n### Added\n\n- Streaming retries for the OpenAI provider\n\n### Fixed\n\n",
                "## [Unreleased]\n\n## [0.7.0] - 2026-05-01\n\n### Added\n\n- Streaming retries for the OpenAI provider\n\n",
            )
            .replace(
                "[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n",
                "[0.7.0]: https://github.com/o/r/compare/v0.6.26...v0.7.0\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n",
            );
        assert_ne!(want, CRATE);
        assert_eq!(out, want);
    }

    #[test]
    fn python_shape_inserts_above_the_newest_version() {
        let out = ok(
            PYTHON,
            Case {
                version: "0.5.0-rc.1",
                display: "0.5.0rc1",
                tag_template: "py-v{version}",
                generated: Some("\n### Added\n\n- Generated entry\n\n"),
                ..PLAIN
            },
        );
        assert_eq!(
            out,
            "# Changelog\n\n## [0.5.0rc1] - 2026-05-01\n\n### Added\n\n- Generated entry\n\n## [0.4.0] - 2026-04-04\n\n### Added\n\n- Async completion API\n\n## [0.4.0rc1] - 2026-03-01\n\n### Added\n\n- Release candidate\n\n## [0.3.0] - 2026-01-15\n\n- Initial package\n"
        );
    }

    #[test]
    fn llmsim_shape_appends_generated_text_and_updates_links() {
        let out = ok(
            LLMSIM,
            Case {
                version: "0.3.0",
                generated: Some(
                    "**Full Changelog**: https://github.com/chaliy/llmsim/compare/v0.2.0...v0.3.0\n",
                ),
                ..PLAIN
            },
        );
        let want = LLMSIM
            .replace(
                "## [Unreleased]\n\n### What's Changed\n",
                "## [Unreleased]\n\n## [0.3.0] - 2026-05-01\n\n### What's Changed\n",
            )
            .replace(
                "by @chaliy\n\n## [0.2.0]",
                "by @chaliy\n\n**Full Changelog**: https://github.com/chaliy/llmsim/compare/v0.2.0...v0.3.0\n\n## [0.2.0]",
            )
            .replace(
                "[Unreleased]: https://github.com/chaliy/llmsim/compare/v0.2.0...HEAD\n",
                "[Unreleased]: https://github.com/chaliy/llmsim/compare/v0.3.0...HEAD\n[0.3.0]: https://github.com/chaliy/llmsim/compare/v0.2.0...v0.3.0\n",
            );
        assert_eq!(out.lines().count(), LLMSIM.lines().count() + 5);
        assert_eq!(out, want);
    }

    #[test]
    fn small_files() {
        let cases = [
            // CRLF and no final newline survive; only the touched lines change.
            (
                "# C\r\n\r\n## [Unreleased]\r\n\r\n- a\r\n\r\n## [1.0.0] - 2024-01-01\r\n\r\n- b\r\n\r\n[Unreleased]: https://r/compare/v1.0.0...HEAD\r\n[1.0.0]: https://r/releases/tag/v1.0.0",
                Case {
                    version: "1.1.0",
                    ..PLAIN
                },
                "# C\r\n\r\n## [Unreleased]\r\n\r\n## [1.1.0] - 2026-05-01\r\n\r\n- a\r\n\r\n## [1.0.0] - 2024-01-01\r\n\r\n- b\r\n\r\n[Unreleased]: https://r/compare/v1.1.0...HEAD\r\n[1.1.0]: https://r/compare/v1.0.0...v1.1.0\r\n[1.0.0]: https://r/releases/tag/v1.0.0",
            ),
            // Unreleased at the very end, without a final newline.
            (
                "# C\n\n## [Unreleased]\n\n- a",
                Case {
                    version: "0.1.0",
                    ..PLAIN
                },
                "# C\n\n## [Unreleased]\n\n## [0.1.0] - 2026-05-01\n\n- a",
            ),
            (
                "# C\n\n## [Unreleased]",
                Case {
                    version: "0.1.0",
                    allow_empty: true,
                    ..PLAIN
                },
                "# C\n\n## [Unreleased]\n\n## [0.1.0] - 2026-05-01",
            ),
            // No sections at all: after the intro.
            (
                "# Changelog\n\nIntro.",
                Case {
                    version: "0.1.0",
                    generated: Some("- gen"),
                    ..PLAIN
                },
                "# Changelog\n\nIntro.\n\n## [0.1.0] - 2026-05-01\n\n- gen",
            ),
            (
                "# Changelog\n\n",
                Case {
                    version: "0.1.0",
                    allow_empty: true,
                    ..PLAIN
                },
                "# Changelog\n\n## [0.1.0] - 2026-05-01\n",
            ),
            // First release of a file with links: a release link, after [Unreleased].
            (
                "## [Unreleased]\n\n- a\n\n[Unreleased]: https://github.com/o/r/commits/HEAD\n[spec]: https://keepachangelog.com\n",
                Case {
                    version: "0.1.0",
                    repo_url: Some("https://github.com/o/r/"),
                    ..PLAIN
                },
                "## [Unreleased]\n\n## [0.1.0] - 2026-05-01\n\n- a\n\n[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n[spec]: https://keepachangelog.com\n",
            ),
            // No [Unreleased] link: the new one goes after the last link.
            (
                "## [1.0.0] - 2024-01-01\n\n[x]: https://github.com/o/r/releases/tag/x",
                Case {
                    version: "2.0.0",
                    generated: Some("- g"),
                    tag_template: "{version}",
                    ..PLAIN
                },
                "## [2.0.0] - 2026-05-01\n\n- g\n\n## [1.0.0] - 2024-01-01\n\n[x]: https://github.com/o/r/releases/tag/x\n[2.0.0]: https://github.com/o/r/compare/1.0.0...2.0.0",
            ),
            // Fenced `###` lines are entries, not empty groups.
            (
                "## [Unreleased]\n\n### Added\n\n```md\n### Not a group\n```\n\n### Fixed\n\n\n### Removed\n\n- old\n",
                Case {
                    version: "0.1.0",
                    ..PLAIN
                },
                "## [Unreleased]\n\n## [0.1.0] - 2026-05-01\n\n### Added\n\n```md\n### Not a group\n```\n\n### Removed\n\n- old\n",
            ),
            // Hand-written text, then the generated notes.
            (
                "## [Unreleased]\n\nHighlights.\n\n## [0.1.0] - 2024-01-01\n",
                Case {
                    version: "0.2.0",
                    generated: Some("### Added\n\n- x\n"),
                    ..PLAIN
                },
                "## [Unreleased]\n\n## [0.2.0] - 2026-05-01\n\nHighlights.\n\n### Added\n\n- x\n\n## [0.1.0] - 2024-01-01\n",
            ),
        ];
        for (input, case, want) in cases {
            assert_eq!(ok(input, case), want, "{input:?}");
        }
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                CRATE,
                Case {
                    version: "0.6.26",
                    ..PLAIN
                },
                "CHANGELOG.md:16: 0.6.26 already has a section (`## [0.6.26] - 2026-04-04`): release a later version, or edit that section",
            ),
            (
                PYTHON,
                Case {
                    version: "0.4.0-rc.1",
                    display: "0.4.0rc1",
                    generated: Some("- x"),
                    ..PLAIN
                },
                "CHANGELOG.md:9: 0.4.0rc1 already has a section (`## [0.4.0rc1] - 2026-03-01`): release a later version, or edit that section",
            ),
            (
                CRATE,
                Case {
                    version: "0.6.3",
                    ..PLAIN
                },
                "CHANGELOG.md:16: 0.6.3 is lower than 0.6.26, the newest version in the changelog: release a version above 0.6.26",
            ),
            (
                "## [Unreleased]\n\n### Added\n\n### Fixed\n\n\n## [0.1.0] - 2024-01-01\n",
                Case {
                    version: "0.2.0",
                    ..PLAIN
                },
                "CHANGELOG.md:1: `## [Unreleased]` has no entries to release: add entries under it, generate them from the commits, or allow an empty release",
            ),
            (
                "## [Unreleased]\n",
                Case {
                    version: "0.2.0",
                    generated: Some("\n\n"),
                    ..PLAIN
                },
                "CHANGELOG.md:1: `## [Unreleased]` has no entries to release: add entries under it, generate them from the commits, or allow an empty release",
            ),
            (
                PYTHON,
                Case {
                    version: "0.5.0",
                    ..PLAIN
                },
                "CHANGELOG.md: no `## [Unreleased]` section and nothing generated, so 0.5.0 would be empty: add `## [Unreleased]` with entries, generate them from the commits, or allow an empty release",
            ),
            (
                "## [Unreleased]\n\n- a\n\n[Unreleased]: https://example.com/changes\n",
                Case {
                    version: "0.1.0",
                    ..PLAIN
                },
                "CHANGELOG.md:5: no link definition points at `…/compare/…` or `…/releases/tag/…`, so the repository URL is unknown: pass the repository URL",
            ),
            (
                "## [1.0] - 2024-13-01\n",
                Case {
                    version: "2.0.0",
                    allow_empty: true,
                    ..PLAIN
                },
                "CHANGELOG.md:1: heading `## [1.0] - 2024-13-01` has a date that is not a date: write YYYY-MM-DD",
            ),
        ];
        for (input, case, want) in cases {
            assert_eq!(err(input, case), want);
        }
    }
}
