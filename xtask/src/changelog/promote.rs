//! Turning `[Unreleased]` into a dated release section, and keeping the
//! link definitions at the bottom in step (`release_links`).

use anyhow::{Result, bail};

use super::model::{Changelog, Section, SectionKind};
use super::parse::parse_in;
use super::promotion::{Edit, Promote};
use super::release_links::{link_edits, repository};
use super::section_body::{entries, merge, once_each, trimmed_lines};
use super::style::{Style, detect};
use crate::text::splice::{self, Splice};

/// A new changelog, as Keep a Changelog starts one: what the first release
/// of a package whose configured changelog does not exist yet promotes.
pub const NEW_CHANGELOG: &str = "# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]
";

/// A release section that would have no entries: the caller says how to
/// fill it (it knows whether notes were drafted, and from what).
#[derive(Debug)]
pub struct EmptyRelease {
    /// `path:line` of `[Unreleased]`, or the path.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for EmptyRelease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for EmptyRelease {}

/// The changelog with the release section added; the input is left as is
/// outside the lines that must change.
pub fn promote(path: &str, text: &str, opts: &Promote) -> Result<String> {
    Ok(splice::apply(text, &promote_splices(path, text, opts)?))
}

/// `promote`'s changes as byte ranges of `text` replaced, in order: a large
/// file's promotion held without a second copy of it.
pub fn promote_splices(path: &str, text: &str, opts: &Promote) -> Result<Vec<Splice>> {
    let cl = parse_in(path, text, opts.series)?;
    refuse_existing_or_lower(path, &cl, opts)?;
    let style = detect(text, &cl);
    let section = new_section(path, text, &cl, &style, opts)?;
    let mut edits = place(text, &cl, &style, section);
    if !cl.links.is_empty() && !style.heading_links {
        edits.extend(link_edits(path, text, &cl, opts, &style, cl.newest())?);
    }
    Ok(splice::in_order(text, edits))
}

/// A version released already, or below the newest, gets no section.
fn refuse_existing_or_lower(path: &str, cl: &Changelog, opts: &Promote) -> Result<()> {
    let display = opts.display;
    if let Some(existing) = cl.release(opts.version) {
        bail!(
            "{path}:{}: {display} already has a section (`{}`): release a later version, or edit that section",
            existing.line + 1,
            cl.heading(existing)
        );
    }
    // In the package's order: PEP 440's for a Python package (`0.4.0a1` is
    // above `0.4.0.dev1`).
    let newest = cl
        .sections
        .iter()
        .filter_map(|s| Some((s, s.version()?)))
        .max_by(|a, b| opts.series.cmp(a.1, b.1));
    if let Some((newest, version)) = newest
        && opts.series.cmp(opts.version, version).is_lt()
    {
        bail!(
            "{path}:{}: {display} is lower than {}, the newest version in the changelog: release a version above {}",
            newest.line + 1,
            newest.name(),
            newest.name()
        );
    }
    Ok(())
}

/// The release section's text, heading and body, ending with a line end:
/// `[Unreleased]`'s entries and the drafted ones, in the file's style.
fn new_section(
    path: &str,
    text: &str,
    cl: &Changelog,
    style: &Style,
    opts: &Promote,
) -> Result<String> {
    let display = opts.display;
    let eol = cl.eol;
    let unreleased = cl.unreleased();
    let written = unreleased.map_or(Vec::new(), |s| entries(&text[cl.span(s.body.clone())]));
    let generated = opts.generated.map_or(Vec::new(), trimmed_lines);
    let graduates = !train_sections(cl, opts).is_empty();
    if written.is_empty() && generated.is_empty() && !graduates && !opts.allow_empty {
        let (location, message) = match unreleased {
            Some(s) => (
                format!("{path}:{}", s.line + 1),
                format!(
                    "`{}` has no entries to release: add entries under it, generate them from the commits, or allow an empty release",
                    cl.heading(s)
                ),
            ),
            None => (
                path.to_string(),
                format!(
                    "no `## [Unreleased]` section and nothing generated, so {display} would be empty: add `## [Unreleased]` with entries, generate them from the commits, or allow an empty release"
                ),
            ),
        };
        return Err(EmptyRelease { location, message }.into());
    }
    let generated = style.apply(&generated);
    let written = with_train(text, cl, opts, &written);
    let written: Vec<&str> = written.iter().map(String::as_str).collect();
    let body = merge(&written, &generated);
    let new_tag = opts.new_tag();
    let prev_tag = opts.compare_base(cl.newest().map(Section::name));
    let compare = |base: &str| {
        let prev = prev_tag.as_ref()?;
        Some(format!("{base}/compare/{prev}...{new_tag}"))
    };
    let base = repository(cl, opts);
    let heading_link = base.filter(|_| style.heading_links).map(|base| {
        match compare(base).filter(|_| !style.tree_links) {
            Some(url) => url,
            None if style.tree_links => format!("{base}/tree/{new_tag}"),
            None => format!("{base}/releases/tag/{new_tag}"),
        }
    });
    let date = opts.date.format("%Y-%m-%d").to_string();
    let mut section = style.heading(display, &new_tag, &date, heading_link.as_deref());
    section.push_str(eol);
    // github_changelog_generator opens each section with the comparison.
    if let Some(url) = base.filter(|_| style.full_changelog).and_then(compare) {
        section.push_str(&format!("{eol}[Full Changelog]({url}){eol}"));
    }
    if !body.is_empty() {
        section.push_str(eol);
        section.push_str(&body.join(eol));
        section.push_str(eol);
    }
    Ok(section)
}

/// The sections of the pre-releases a release ends (`0.2.0-rc.1`, `0.2.0-beta.2`
/// for `0.2.0`), newest first; none for a pre-release.
fn train_sections<'a>(cl: &'a Changelog, opts: &Promote) -> Vec<&'a Section> {
    let v = opts.version;
    if !v.pre.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&Section> = cl
        .sections
        .iter()
        .filter(|s| {
            s.version().is_some_and(|s| {
                !s.pre.is_empty() && (s.major, s.minor, s.patch) == (v.major, v.minor, v.patch)
            })
        })
        .collect();
    found.sort_by(|a, b| b.version().cmp(&a.version()));
    found
}

/// `written`, and for a release that ends a train every entry of its
/// pre-releases merged into the same groups, each entry once: the release's
/// notes are complete. The pre-release sections stay as they are.
fn with_train(text: &str, cl: &Changelog, opts: &Promote, written: &[&str]) -> Vec<String> {
    let mut body: Vec<String> = written.iter().map(|l| l.to_string()).collect();
    for section in train_sections(cl, opts) {
        let lines: Vec<String> = entries(&text[cl.span(section.body.clone())])
            .into_iter()
            .map(String::from)
            .collect();
        let so_far: Vec<&str> = body.iter().map(String::as_str).collect();
        body = merge(&so_far, &lines);
    }
    once_each(body)
}

/// Where the new section goes, as edits: in place of `[Unreleased]`'s body
/// (which moves into it), or among the releases in the file's order.
fn place(text: &str, cl: &Changelog, style: &Style, section: String) -> Vec<Edit> {
    let eol = cl.eol;
    let last_release = cl.sections.iter().rfind(|s| s.version().is_some());
    match cl.unreleased() {
        // Oldest first, `[Unreleased]` below the releases: the new section
        // goes above it, and it keeps a blank line for what comes next.
        Some(s) if !style.newest_first && last_release.is_some_and(|r| r.line < s.line) => {
            let at = cl.offset(s.line);
            let rest = if s.body.end < cl.line_count { eol } else { "" };
            vec![
                (at..at, section + eol),
                (cl.span(s.body.clone()), rest.to_string()),
            ]
        }
        Some(s) => vec![replace_unreleased_body(text, cl, s, &section)],
        None if !style.newest_first && last_release.is_some() => {
            let last = last_release.expect("checked");
            let at = cl.offset(last.body.end);
            let mut new = String::new();
            if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
                new.push_str(eol);
            }
            new.push_str(eol);
            new.push_str(&section);
            if at == text.len() && !text.ends_with('\n') {
                new.truncate(new.len() - eol.len());
            }
            vec![(at..at, new)]
        }
        None => vec![above_releases(text, cl, section)],
    }
}

/// `## [Unreleased]`, one blank line, the new section, then what followed.
fn replace_unreleased_body(text: &str, cl: &Changelog, s: &Section, section: &str) -> Edit {
    let eol = cl.eol;
    let mut new = String::new();
    if cl.offset(s.line + 1) == text.len() && !text.ends_with('\n') {
        new.push_str(eol);
    }
    new.push_str(eol);
    new.push_str(section);
    if s.body.end < cl.line_count {
        new.push_str(eol);
    } else if !text.ends_with('\n') {
        // The file ended without a newline: so does the result.
        new.truncate(new.len() - eol.len());
    }
    (cl.span(s.body.clone()), new)
}

/// Above the newest release, or with none after the intro, before any
/// link definitions.
fn above_releases(text: &str, cl: &Changelog, section: String) -> Edit {
    let eol = cl.eol;
    // Another package's release in the same file counts: the new one goes on top.
    let release =
        |s: &&Section| s.version().is_some() || matches!(s.kind, SectionKind::Other { .. });
    let (at, mut new) = match cl.sections.iter().find(release) {
        Some(first) => (cl.offset(first.line), section + eol),
        None => {
            let at = cl.offset(cl.links_start);
            let mut new = String::new();
            if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
                new.push_str(eol);
            }
            if cl.links_start > 0 && !is_blank_line(text, cl, cl.links_start - 1) {
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
    (at..at, new)
}

fn is_blank_line(text: &str, cl: &Changelog, line: usize) -> bool {
    text[cl.span(line..line + 1)].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, LLMSIM, PYTHON};
    use super::*;
    use crate::text::version::parse_any;
    use chrono::NaiveDate;

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
                series: &Default::default(),
                previous_tag: None,
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

    const TRAIN: &str = "# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- C.\n\n## [0.2.0-rc.2] - 2026-04-20\n\n### Fixed\n\n- B.\n- A, with a note\n  on two lines.\n\n## [0.2.0-rc.1] - 2026-04-10\n\n### Added\n\n- X.\n\n### Fixed\n\n- A, with a note\n  on two lines.\n\n## [0.1.0] - 2026-01-01\n\n### Added\n\n- Old.\n";

    #[test]
    fn a_release_that_ends_a_train_holds_every_entry_of_it_once() {
        let out = ok(
            TRAIN,
            Case {
                version: "0.2.0",
                ..PLAIN
            },
        );
        let section = "## [0.2.0] - 2026-05-01\n\n### Fixed\n\n- C.\n- B.\n- A, with a note\n  on two lines.\n\n### Added\n\n- X.\n\n## [0.2.0-rc.2]";
        assert!(out.contains(section), "{out}");
        // The pre-release sections stay as they were.
        assert!(
            out.ends_with(&TRAIN[TRAIN.find("## [0.2.0-rc.2]").unwrap()..]),
            "{out}"
        );
        // Nothing new since the last rc: the train's entries still make the section.
        let quiet = TRAIN.replace("### Fixed\n\n- C.\n\n## [0.2.0-rc.2]", "## [0.2.0-rc.2]");
        let out = ok(
            &quiet,
            Case {
                version: "0.2.0",
                ..PLAIN
            },
        );
        assert!(
            out.contains("## [0.2.0] - 2026-05-01\n\n### Fixed\n\n- B.\n"),
            "{out}"
        );
        // A pre-release is a section of its own.
        let out = ok(
            TRAIN,
            Case {
                version: "0.2.0-rc.3",
                ..PLAIN
            },
        );
        assert!(
            out.contains("## [0.2.0-rc.3] - 2026-05-01\n\n### Fixed\n\n- C.\n\n## [0.2.0-rc.2]"),
            "{out}"
        );
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
                "[Unreleased]: https://github.com/o/r/compare/v0.7.0...HEAD\n[0.7.0]: https://github.com/o/r/compare/v0.6.26...v0.7.0\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n",
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

#[cfg(test)]
mod dialect_tests {
    use super::super::fixtures::DIALECTS;
    use super::*;
    use crate::text::version::parse_any;
    use chrono::NaiveDate;

    fn release(text: &str) -> String {
        let v = parse_any("9.0.0").unwrap();
        promote(
            "C.md",
            text,
            &Promote {
                series: &Default::default(),
                previous_tag: None,
                version: &v,
                display: "9.0.0",
                date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
                tag_template: "v{version}",
                repo_url: Some("https://github.com/o/cfg"),
                allow_empty: true,
                generated: Some(
                    "### Fixed\n\n- gen one (#60)\n- gen two (#61)\n\n### Added\n\n- gen feat\n",
                ),
            },
        )
        .unwrap()
    }

    /// Lines of `after` that `before` does not have, and the reverse.
    fn changed(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
        let count = |text: &str| {
            let mut map = std::collections::HashMap::<String, i32>::new();
            text.lines()
                .for_each(|l| *map.entry(l.to_string()).or_default() += 1);
            map
        };
        let (b, a) = (count(before), count(after));
        let mut added: Vec<String> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for (line, n) in &a {
            let diff = n - b.get(line).copied().unwrap_or(0);
            (0..diff).for_each(|_| added.push(line.clone()));
        }
        for (line, n) in &b {
            let diff = n - a.get(line).copied().unwrap_or(0);
            (0..diff).for_each(|_| removed.push(line.clone()));
        }
        added.retain(|l| !l.is_empty());
        removed.retain(|l| !l.is_empty());
        added.sort();
        removed.sort();
        (added, removed)
    }

    /// Each dialect gets a section in its own dialect: the heading, the
    /// neighbours it sits between, the links, the list marker and order;
    /// a drafted group the hand-written text has is merged into it.
    #[test]
    fn new_sections_look_like_the_file() {
        // name, heading, the non-blank line above it, the first non-blank
        // line below it, other added lines (sorted), removed lines.
        type Row = (
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static [&'static str],
            &'static [&'static str],
        );
        let fixed = ["- gen one (#60)", "- gen two (#61)"];
        #[rustfmt::skip]
        let rows: [Row; 11] = [
            ("crate", "## [9.0.0] - 2026-05-01", "## [Unreleased]", "### Added",
             &["[9.0.0]: https://github.com/o/r/compare/v0.6.26...v9.0.0", "[Unreleased]: https://github.com/o/r/compare/v9.0.0...HEAD"], &[]),
            ("python", "## [9.0.0] - 2026-05-01", "# Changelog", "### Fixed", &["### Added", "### Fixed"], &[]),
            ("llmsim", "## [9.0.0] - 2026-05-01", "## [Unreleased]", "### What's Changed",
             &["### Added", "### Fixed", "[9.0.0]: https://github.com/chaliy/llmsim/compare/v0.2.0...v9.0.0", "[Unreleased]: https://github.com/chaliy/llmsim/compare/v9.0.0...HEAD"],
             &["[Unreleased]: https://github.com/chaliy/llmsim/compare/v0.2.0...HEAD"]),
            ("cargo-release", "## [9.0.0] - 2026-05-01", "## [Unreleased] - ReleaseDate", "### Added",
             &["### Fixed", "[9.0.0]: https://github.com/o/tool/compare/v0.2.0...v9.0.0", "[Unreleased]: https://github.com/o/tool/compare/v9.0.0...HEAD"],
             &["[Unreleased]: https://github.com/o/tool/compare/v0.2.0...HEAD"]),
            ("heading-links", "## [9.0.0](https://github.com/o/plz/compare/v0.3.1...v9.0.0) - 2026-05-01", "## [Unreleased]", "### Fixed", &["### Added"], &[]),
            ("knope", "## 9.0.0 (2026-05-01)", "# Changelog", "### Fixed", &["### Added", "### Fixed"], &[]),
            ("v-undated", "## v9.0.0", "## Unreleased", "* Faster startup (#51)", &["### Added", "### Fixed"], &[]),
            ("oldest-first", "## [9.0.0] - 2026-05-01", "- Second cut", "- Third cut",
             &["### Added", "### Fixed", "[9.0.0]: https://github.com/o/old/compare/v0.2.0...v9.0.0", "[Unreleased]: https://github.com/o/old/compare/v9.0.0...HEAD"],
             &["[Unreleased]: https://github.com/o/old/compare/v0.2.0...HEAD"]),
            ("v-bracketed", "## [v9.0.0] - 2026-05-01", "## [Unreleased]", "- Smaller binary",
             &["### Added", "### Fixed", "[Unreleased]: https://github.com/o/r/compare/v9.0.0...HEAD", "[v9.0.0]: https://github.com/o/r/compare/v0.6.26...v9.0.0"], &[]),
            ("github-notes", "## [9.0.0] - 2026-05-01", "## [Unreleased]", "### Fixed",
             &["### Added", "[9.0.0]: https://github.com/o/gh/compare/v0.4.0...v9.0.0", "[Unreleased]: https://github.com/o/gh/compare/v9.0.0...HEAD"],
             &["[Unreleased]: https://github.com/o/gh/compare/v0.4.0...HEAD"]),
            ("yanked", "## [9.0.0] - 2026-05-01", "## [Unreleased]", "- Faster startup",
             &["### Added", "### Fixed", "[9.0.0]: https://github.com/o/y/compare/v0.13.0...v9.0.0", "[Unreleased]: https://github.com/o/y/compare/v9.0.0...HEAD"],
             &["[Unreleased]: https://github.com/o/y/compare/v0.13.0...HEAD"]),
        ];
        for ((name, text), (row_name, heading, above, below, others, removed)) in
            DIALECTS.iter().zip(rows)
        {
            assert_eq!(*name, row_name);
            let out = release(text);
            let lines: Vec<&str> = out.lines().collect();
            let at = lines
                .iter()
                .position(|l| *l == heading)
                .unwrap_or_else(|| panic!("{name}:\n{out}"));
            let near = |range: Box<dyn Iterator<Item = usize>>| {
                range
                    .map(|i| lines[i])
                    .find(|l| !l.is_empty())
                    .unwrap_or("")
            };
            assert_eq!(near(Box::new((0..at).rev())), above, "{name}:\n{out}");
            assert_eq!(near(Box::new(at + 1..lines.len())), below, "{name}:\n{out}");
            let (added, gone) = changed(text, &out);
            let bullet = if matches!(*name, "v-undated" | "github-notes") {
                '*'
            } else {
                '-'
            };
            let mut want: Vec<String> = others.iter().map(|l| l.to_string()).collect();
            want.push(heading.to_string());
            want.push(format!("{bullet} gen feat"));
            want.extend(
                fixed
                    .iter()
                    .map(|l| l.replacen('-', &bullet.to_string(), 1)),
            );
            want.sort();
            assert_eq!(added, want, "{name}:\n{out}");
            assert_eq!(gone, removed.to_vec(), "{name}:\n{out}");
        }
        // Newest entries first in the file: the drafted list is reversed too.
        let out = release(super::super::fixtures::V_UNDATED);
        assert!(out.contains("* gen two (#61)\n* gen one (#60)\n"), "{out}");
        // One `### Fixed`: the hand-written one, with the drafted entries.
        let out = release(super::super::fixtures::HEADING_LINKS);
        assert!(
            out.contains("### Fixed\n\n- Handle a missing config file\n- gen one (#60)\n- gen two (#61)\n\n### Added\n\n- gen feat\n\n## [0.3.1]"),
            "{out}"
        );
    }

    #[test]
    fn release_links_stay_release_links() {
        let text = "## [Unreleased]\n\n- c\n\n## [0.2.0] - 2024-02-01\n\n## [0.1.0] - 2024-01-01\n\n[0.2.0]: https://r.io/o/r/releases/tag/v0.2.0\n[0.1.0]: https://r.io/o/r/releases/tag/v0.1.0\n";
        let out = release(text);
        assert!(
            out.ends_with("[9.0.0]: https://r.io/o/r/releases/tag/v9.0.0\n[0.2.0]: https://r.io/o/r/releases/tag/v0.2.0\n[0.1.0]: https://r.io/o/r/releases/tag/v0.1.0\n"),
            "{out}"
        );
    }
}

#[cfg(test)]
mod generator_tests {
    //! github_changelog_generator's dialect, written: tag-named headings
    //! linking the tag's tree, a `[Full Changelog]` line comparing with the
    //! previous release, bold group labels, the new section on top.

    use super::super::model::Series;
    use super::*;
    use crate::text::tags::TagTemplate;
    use crate::text::version::parse_any;
    use chrono::NaiveDate;

    const URL: &str = "https://github.com/acme/vecstore-rs";

    /// Two series in one file, no `[Unreleased]`, an intro paragraph.
    fn two_series() -> String {
        format!(
            "# Changelog\n\nAll notable changes.\n\n## [python-v1.2.0]({URL}/tree/python-v1.2.0) (2026-06-02)\n\n[Full Changelog]({URL}/compare/python-v1.1.0...python-v1.2.0)\n\n**Merged pull requests:**\n\n- Async client [\\#41]({URL}/pull/41)\n\n## [rust-v0.12.3]({URL}/tree/rust-v0.12.3) (2026-05-19)\n\n[Full Changelog]({URL}/compare/rust-v0.12.2...rust-v0.12.3)\n\n**Fixed bugs:**\n\n- Disk store loses the last page\n"
        )
    }

    fn release(text: &str, version: &str, previous: Option<&str>, generated: &str) -> String {
        let series = Series {
            own: Some(TagTemplate::new("rust-v{version}").unwrap()),
            earlier: Vec::new(),
            others: vec![TagTemplate::new("python-v{version}").unwrap()],
        };
        let v = parse_any(version).unwrap();
        let opts = Promote {
            version: &v,
            display: version,
            date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            tag_template: "rust-v{version}",
            // The manifest's slug differs: the file's own links win.
            repo_url: Some("https://github.com/acme/vecstore.rs"),
            allow_empty: generated.is_empty(),
            generated: (!generated.is_empty()).then_some(generated),
            series: &series,
            previous_tag: previous,
        };
        promote("CHANGELOG.md", text, &opts).unwrap_or_else(|e| panic!("{e:#}"))
    }

    /// The new section (from its heading to the next `## `).
    fn new_section(after: &str) -> String {
        let start = after.find("## [rust-v1.0.1]").expect("the new heading");
        let end = after[start + 3..]
            .find("\n## ")
            .map_or(after.len(), |i| start + 4 + i);
        after[start..end].to_string()
    }

    #[test]
    fn a_section_is_written_in_the_generator_style_on_top() {
        let after = release(
            &two_series(),
            "1.0.1",
            Some("rust-v0.12.3"),
            "### Fixed\n\n- flush before close (#43)\n",
        );
        assert_eq!(
            new_section(&after),
            format!(
                "## [rust-v1.0.1]({URL}/tree/rust-v1.0.1) (2026-12-03)\n\n[Full Changelog]({URL}/compare/rust-v0.12.3...rust-v1.0.1)\n\n**Fixed bugs:**\n\n- flush before close (#43)\n\n"
            )
        );
        // On top, below the title and intro, above the other series' newest section.
        assert!(
            after.starts_with("# Changelog\n\nAll notable changes.\n\n## [rust-v1.0.1]"),
            "{after}"
        );
        assert!(after.ends_with(&two_series()[two_series().find("## [python").unwrap()..]));
    }

    #[test]
    fn the_compare_base_is_the_previous_release_not_the_newest_section() {
        // The rule found rust-v0.12.2 (say rust-v0.12.3 was ignored): the link says so.
        let after = release(&two_series(), "1.0.1", Some("rust-v0.12.2"), "");
        assert!(
            after.contains("/compare/rust-v0.12.2...rust-v1.0.1)"),
            "{after}"
        );
        // With no tag known, the newest section of the series is the base.
        let after = release(&two_series(), "1.0.1", None, "");
        assert!(
            after.contains("/compare/rust-v0.12.3...rust-v1.0.1)"),
            "{after}"
        );
        assert!(!after.contains("vecstore.rs"), "{after}");
    }

    #[test]
    fn crlf_and_no_trailing_newline_are_kept() {
        let text = two_series().trim_end().replace('\n', "\r\n");
        let after = release(&text, "1.0.1", Some("rust-v0.12.3"), "");
        assert!(after.contains(&format!("## [rust-v1.0.1]({URL}/tree/rust-v1.0.1) (2026-12-03)\r\n\r\n[Full Changelog]({URL}/compare/rust-v0.12.3...rust-v1.0.1)\r\n\r\n## [python-v1.2.0]")), "{after:?}");
        assert!(!after.ends_with('\n'));
        assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
    }

    #[test]
    fn bold_labels_follow_the_file_and_keep_a_changelog_files_keep_theirs() {
        let after = release(
            &two_series(),
            "1.0.1",
            None,
            "### Added\n\n- filters (#42)\n\n### Changed\n\n- faster\n",
        );
        let section = new_section(&after);
        assert!(
            section.contains(
                "**Implemented enhancements:**\n\n- filters (#42)\n\n**Changed:**\n\n- faster\n"
            ),
            "{section}"
        );
        let kac =
            "# Changelog\n\n## [Unreleased]\n\n## [0.12.3] - 2026-05-19\n\n### Fixed\n\n- a\n";
        let after = release(
            kac,
            "1.0.1",
            Some("rust-v0.12.3"),
            "### Added\n\n- filters (#42)\n",
        );
        assert!(
            after.contains("## [1.0.1] - 2026-12-03\n\n### Added\n\n- filters (#42)\n"),
            "{after}"
        );
        assert!(!after.contains("Full Changelog"), "{after}");
    }

    #[test]
    fn a_file_of_tree_links_without_full_changelog_lines_gets_none() {
        let text = format!(
            "# Changelog\n\n## [rust-v0.12.3]({URL}/tree/rust-v0.12.3) (2026-05-19)\n\n- a\n"
        );
        let after = release(&text, "1.0.1", Some("rust-v0.12.3"), "");
        assert_eq!(
            after,
            text.replace(
                "## [rust-v0.12.3]",
                &format!(
                    "## [rust-v1.0.1]({URL}/tree/rust-v1.0.1) (2026-12-03)\n\n## [rust-v0.12.3]"
                )
            )
        );
    }
}
