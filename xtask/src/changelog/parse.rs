//! Reading a Keep a Changelog file into positions and versions, in one pass.

use std::fmt;

use super::lines::{Line, Lines};
use super::model::{Changelog, LinkDef, Section, SectionKind, Series};
use super::tag_label::{self, TagLabel};
use super::yanked;
use crate::text::version::parse_any;

/// The most of a heading a message quotes (in characters).
const QUOTED: usize = 200;

/// A parse error with its 1-based line, so lint can report it as a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a changelog. `path` only labels error messages.
#[cfg(test)]
pub fn parse<'t>(path: &str, text: &'t str) -> anyhow::Result<Changelog<'t>> {
    parse_in(path, text, &Series::default())
}

/// Parses a changelog read for the tag `series` of its package.
pub fn parse_in<'t>(path: &str, text: &'t str, series: &Series) -> anyhow::Result<Changelog<'t>> {
    Ok(parse_located(path, text, series)?)
}

pub fn parse_located<'t>(
    path: &str,
    text: &'t str,
    series: &Series,
) -> Result<Changelog<'t>, ParseError> {
    if u32::try_from(text.len()).is_err() {
        return Err(ParseError {
            line: 0,
            message: format!("{path}: over 4 GiB: split the file, or pass a smaller one"),
        });
    }
    // Sized once: a 50 MB file's million lines are not moved as they grow.
    let mut line_starts: Vec<u32> = Vec::with_capacity(text.matches('\n').count() + 2);
    let mut sections: Vec<Section> = Vec::new();
    let mut links = Vec::new();
    let mut eol = None;
    // Start of the current run of link definitions and blank lines.
    let mut block_start = None;
    let mut unreleased_at = None;
    for line in Lines::new(text) {
        line_starts.push(line.start as u32);
        if eol.is_none() && line.next > line.end {
            eol = Some(if line.next - line.end == 2 {
                "\r\n"
            } else {
                "\n"
            });
        }
        let read = if line.is_heading() {
            read_heading(path, &line, series)?
        } else {
            None
        };
        if let Some(heading) = read {
            if heading.kind == SectionKind::Unreleased {
                if let Some(first) = unreleased_at {
                    return Err(second_unreleased(path, line.index, first));
                }
                unreleased_at = Some(line.index);
            }
            if let Some(last) = sections.last_mut() {
                last.body.end = line.index;
            }
            sections.push(open_section(&line, heading));
            block_start = None;
        } else if let Some((label, url)) = line.link_def() {
            links.push(LinkDef {
                label,
                url,
                line: line.index,
            });
            block_start.get_or_insert(line.index);
        } else if !line.is_blank() {
            block_start = None;
        }
    }
    let line_count = line_starts.len();
    line_starts.push(text.len() as u32);
    let links_start = block_start.unwrap_or(line_count);
    if let Some(last) = sections.last_mut() {
        last.body.end = links_start.max(last.body.start);
    }
    Ok(Changelog {
        text,
        sections,
        links,
        links_start,
        line_count,
        eol: eol.unwrap_or("\n"),
        line_starts,
    })
}

fn second_unreleased(path: &str, index: usize, first: usize) -> ParseError {
    ParseError {
        line: index + 1,
        message: format!(
            "{path}:{}: a second `[Unreleased]` section (the first is at line {}): merge the two",
            index + 1,
            first + 1
        ),
    }
}

/// The section a heading opens; its body grows as lines follow.
fn open_section(line: &Line, heading: Heading) -> Section {
    Section {
        line: line.index,
        kind: heading.kind,
        link: heading.link,
        bracketed: heading.bracketed,
        paren_date: heading.paren_date,
        body: line.index + 1..line.index + 1,
    }
}

/// A `## ` heading read in full: its kind and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub kind: SectionKind,
    /// The URL of a link in the heading: `## [1.2.3](url) - …`.
    pub link: Option<String>,
    /// The label is in brackets: `[1.2.3]`.
    pub bracketed: bool,
    /// The date is in parentheses: `1.2.3 (2024-01-02)`.
    pub paren_date: bool,
}

/// Reads a `## ` heading: `[Unreleased]` (also cargo-release's
/// `[Unreleased] - ReleaseDate`), `[X] - YYYY-MM-DD`, `[X](url) - …`,
/// `X (YYYY-MM-DD)`, a yanked marker (see `yanked`), no date, or the same
/// without brackets. `None`: a heading that names no version, text of the
/// section it sits in.
pub fn heading(
    path: &str,
    line: &Line,
    series: &Series,
) -> Result<Option<SectionKind>, ParseError> {
    Ok(read_heading(path, line, series)?.map(|h| h.kind))
}

pub fn read_heading(
    path: &str,
    line: &Line,
    series: &Series,
) -> Result<Option<Heading>, ParseError> {
    let n = line.index + 1;
    if prose(&line.text[3..]) {
        return Ok(None);
    }
    // Quoted in messages: a heading of 200 KB is cut, not echoed whole.
    let h = &crate::out::sanitize::cut(line.text, QUOTED);
    let error = |message: String| ParseError { line: n, message };
    let unparsable = || {
        error(format!(
            "{path}:{n}: unparsable heading `{h}`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section"
        ))
    };
    let (label, after, bracketed) = split_label(line.text[3..].trim()).ok_or_else(unparsable)?;
    let (link, after) = heading_link(after, bracketed).ok_or_else(unparsable)?;
    let label = label.trim();
    if label.eq_ignore_ascii_case("unreleased") {
        if !unreleased_suffix(after) {
            return Err(unparsable());
        }
        return Ok(Some(Heading {
            kind: SectionKind::Unreleased,
            link,
            bracketed,
            paren_date: false,
        }));
    }
    let version = match label_version(label, bracketed, series) {
        LabelVersion::Version(version) => version,
        LabelVersion::OtherSeries => {
            return Ok(Some(Heading {
                kind: SectionKind::Other {
                    raw: label.to_string(),
                },
                link,
                bracketed,
                paren_date: after.starts_with('('),
            }));
        }
        LabelVersion::NotAVersion => return Err(unparsable()),
        LabelVersion::Unreadable => {
            return Err(error(format!(
                "{path}:{n}: heading `{h}` has a version `{}` that is neither SemVer nor PEP 440 nor a tag{}: write it like 1.2.3, 1.2.3-rc.1 or 1.2.3rc1",
                crate::out::sanitize::cut(label, QUOTED),
                series_names(series)
            )));
        }
    };
    let (after, yanked) = yanked::split(after);
    let paren_date = after.starts_with('(');
    let date = match date_text(after).ok_or_else(unparsable)? {
        None => None,
        Some(text) => Some(crate::text::date::parse(text).ok_or_else(|| {
            error(format!(
                "{path}:{n}: heading `{h}` has a date that is not a date: write YYYY-MM-DD"
            ))
        })?),
    };
    Ok(Some(Heading {
        kind: SectionKind::Release {
            version,
            raw: label.to_string(),
            date,
            yanked,
        },
        link,
        bracketed,
        paren_date,
    }))
}

/// What a heading's label names.
enum LabelVersion {
    Version(semver::Version),
    /// A tag of another package's series.
    OtherSeries,
    /// Neither bracketed nor shaped like a version or a tag.
    NotAVersion,
    /// Shaped like a version, but no version nor tag reads it.
    Unreadable,
}

fn label_version(label: &str, bracketed: bool, series: &Series) -> LabelVersion {
    let looks_like_version = label
        .strip_prefix(['v', 'V'])
        .unwrap_or(label)
        .starts_with(|c: char| c.is_ascii_digit());
    let tag = match parse_any(label) {
        Ok(_) => None,
        Err(_) => tag_label::read(label, series),
    };
    let by_template = matches!(
        tag,
        Some(
            TagLabel::Other
                | TagLabel::Own {
                    by_template: true,
                    ..
                }
        )
    );
    if !bracketed && !looks_like_version && !by_template {
        return LabelVersion::NotAVersion;
    }
    match (parse_any(label), tag) {
        (Ok(version), _) | (Err(_), Some(TagLabel::Own { version, .. })) => {
            LabelVersion::Version(version)
        }
        (Err(_), Some(TagLabel::Other)) => LabelVersion::OtherSeries,
        (Err(_), None) => LabelVersion::Unreadable,
    }
}

/// A heading that names no version and tries to name none: no digit, no
/// bracket, not `Unreleased`. GitHub's generated notes put such headings
/// (`## What's Changed`, `## New Contributors`) inside a release's section;
/// a mistyped version (`## [0.1.O]`, `## v1.2`) is still reported.
fn prose(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    !text.contains(|c: char| c.is_ascii_digit() || c == '[')
        && !first.eq_ignore_ascii_case("unreleased")
}

/// ` of `v{version}` or `py-v{version}``: the series a tag label may name,
/// in one order whatever package reads the file.
fn series_names(series: &Series) -> String {
    let mut names: Vec<String> = series
        .own
        .iter()
        .chain(&series.others)
        .map(|t| format!("`{}`", t.template))
        .collect();
    names.sort();
    if names.is_empty() {
        String::new()
    } else {
        format!(" of {}", names.join(" or "))
    }
}

/// `(label, what follows, bracketed)` of a heading's text: `[label] rest`,
/// or `label rest` without brackets; `None` for an unclosed bracket.
fn split_label(rest: &str) -> Option<(&str, &str, bool)> {
    match rest.strip_prefix('[') {
        Some(inner) => inner
            .find(']')
            .map(|i| (&inner[..i], &inner[i + 1..], true)),
        None => Some(match rest.split_once(char::is_whitespace) {
            Some((label, after)) => (label, after, false),
            None => (rest, "", false),
        }),
    }
}

/// `[label](url)`: a link in the heading (release-plz, git-cliff), and what
/// follows it, trimmed; `None` for an unclosed parenthesis.
fn heading_link(after: &str, bracketed: bool) -> Option<(Option<String>, &str)> {
    match after.strip_prefix('(').filter(|_| bracketed) {
        Some(inner) => inner
            .find(')')
            .map(|i| (Some(inner[..i].trim().to_string()), inner[i + 1..].trim())),
        None => Some((None, after.trim())),
    }
}

/// What may follow `[Unreleased]`: nothing, or cargo-release's placeholder
/// where the date goes (`- ReleaseDate`).
fn unreleased_suffix(after: &str) -> bool {
    after.is_empty()
        || after
            .strip_prefix(['-', '–', '—'])
            .is_some_and(|d| d.trim() == "ReleaseDate")
}

/// The date as written after the version: `- date` (or an en or em dash),
/// `(date)`, or none (`Some(None)`); `None` when something else follows.
fn date_text(after: &str) -> Option<Option<&str>> {
    if after.is_empty() {
        return Some(None);
    }
    let text = match after.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')')?,
        None => after.strip_prefix(['-', '–', '—'])?,
    };
    Some(Some(text.trim()))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, GITHUB_NOTES, LLMSIM, PYTHON, YANKED, big};
    use super::super::model::Yanked;
    use super::*;
    use semver::Version;

    #[test]
    fn each_part_of_a_heading_is_read_on_its_own() {
        assert_eq!(
            split_label("[1.2.3] - 2024-01-02"),
            Some(("1.2.3", " - 2024-01-02", true))
        );
        assert_eq!(
            split_label("1.2.3 (2024-01-02)"),
            Some(("1.2.3", "(2024-01-02)", false))
        );
        assert_eq!(split_label("v1.2.3"), Some(("v1.2.3", "", false)));
        assert_eq!(split_label("[1.2.3 - 2024-01-02"), None);
        assert_eq!(
            heading_link("(https://x/compare/a...b) - 2024-01-02", true),
            Some((Some("https://x/compare/a...b".into()), "- 2024-01-02"))
        );
        assert_eq!(
            heading_link("(2024-01-02)", false),
            Some((None, "(2024-01-02)"))
        );
        assert_eq!(heading_link("(https://x", true), None);
        assert!(unreleased_suffix(""));
        assert!(unreleased_suffix("- ReleaseDate"));
        assert!(unreleased_suffix("— ReleaseDate"));
        assert!(!unreleased_suffix("- 2024-01-02"));
        assert_eq!(date_text(""), Some(None));
        assert_eq!(date_text("- 2024-01-02"), Some(Some("2024-01-02")));
        assert_eq!(date_text("– 2024-01-02"), Some(Some("2024-01-02")));
        assert_eq!(date_text("(2024-01-02)"), Some(Some("2024-01-02")));
        assert_eq!(date_text("(2024-01-02"), None);
        assert_eq!(date_text("2024-01-02"), None);
    }

    /// Heading line, name, date, yanked, body lines (1-based, end exclusive).
    type Outline = (usize, String, Option<String>, bool, (usize, usize));

    fn outline(cl: &Changelog) -> Vec<Outline> {
        cl.sections
            .iter()
            .map(|s| {
                let yanked = matches!(
                    s.kind,
                    SectionKind::Release {
                        yanked: Some(_),
                        ..
                    }
                );
                (
                    s.line + 1,
                    s.name().to_string(),
                    s.date().map(|d| d.to_string()),
                    yanked,
                    (s.body.start + 1, s.body.end + 1),
                )
            })
            .collect()
    }

    fn d(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn crate_shape() {
        let cl = parse("CHANGELOG.md", CRATE).unwrap();
        assert_eq!(
            outline(&cl),
            vec![
                (8, "Unreleased".into(), None, false, (9, 16)),
                (16, "0.6.26".into(), d("2026-04-04"), false, (17, 26)),
                (26, "0.1.0".into(), d("2025-01-10"), false, (27, 32)),
            ]
        );
        assert_eq!(
            cl.links,
            vec![LinkDef {
                label: "0.1.0",
                url: "https://github.com/o/r/releases/tag/v0.1.0",
                line: 31
            }]
        );
        assert_eq!((cl.links_start, cl.line_count, cl.eol), (31, 32, "\n"));
        assert_eq!(cl.offset(cl.line_count), CRATE.len());
    }

    #[test]
    fn python_shape_with_pep440() {
        let cl = parse("CHANGELOG.md", PYTHON).unwrap();
        assert_eq!(
            outline(&cl),
            vec![
                (3, "0.4.0".into(), d("2026-04-04"), false, (4, 9)),
                (9, "0.4.0rc1".into(), d("2026-03-01"), false, (10, 15)),
                (15, "0.3.0".into(), d("2026-01-15"), false, (16, 18)),
            ]
        );
        assert_eq!(
            cl.sections[1].version(),
            Some(&Version::parse("0.4.0-rc.1").unwrap())
        );
        assert!(cl.links.is_empty());
        assert_eq!(cl.links_start, cl.line_count);
    }

    #[test]
    fn llmsim_shape() {
        let cl = parse("CHANGELOG.md", LLMSIM).unwrap();
        assert_eq!(
            outline(&cl),
            vec![
                (5, "Unreleased".into(), None, false, (6, 11)),
                (11, "0.2.0".into(), d("2026-02-01"), false, (12, 23)),
                (23, "0.1.0".into(), d("2026-01-01"), false, (24, 29)),
            ]
        );
        let labels: Vec<(&str, usize)> = cl.links.iter().map(|l| (l.label, l.line + 1)).collect();
        assert_eq!(
            labels,
            vec![("Unreleased", 29), ("0.2.0", 30), ("0.1.0", 31)]
        );
        assert_eq!(
            cl.link("unreleased").unwrap().url,
            "https://github.com/chaliy/llmsim/compare/v0.2.0...HEAD"
        );
    }

    #[test]
    fn heading_forms() {
        let cases = [
            ("## [Unreleased]", "Unreleased", None, false),
            ("## Unreleased", "Unreleased", None, false),
            ("## [1.0.0] - 2024-02-29", "1.0.0", d("2024-02-29"), false),
            (
                "## [1.0.0] - 2024-02-29 [YANKED]",
                "1.0.0",
                d("2024-02-29"),
                true,
            ),
            ("## [1.0.0] – 2024-02-29", "1.0.0", d("2024-02-29"), false),
            ("## [1.0.0] [yanked]", "1.0.0", None, true),
            ("## [1.0.0]", "1.0.0", None, false),
            ("## 1.0.0 - 2024-01-02", "1.0.0", d("2024-01-02"), false),
            (
                "## v2.0.0-rc.1 - 2024-01-02",
                "v2.0.0-rc.1",
                d("2024-01-02"),
                false,
            ),
            (
                "## [0.4.0rc1] - 2026-03-01",
                "0.4.0rc1",
                d("2026-03-01"),
                false,
            ),
            // cargo-release's template.
            ("## [Unreleased] - ReleaseDate", "Unreleased", None, false),
            ("## Unreleased - ReleaseDate", "Unreleased", None, false),
            (
                "## [Unreleased](https://r/compare/v1...HEAD)",
                "Unreleased",
                None,
                false,
            ),
            // release-plz and git-cliff: the compare link in the heading.
            (
                "## [1.2.3](https://r/compare/v1.2.2...v1.2.3) - 2024-01-02",
                "1.2.3",
                d("2024-01-02"),
                false,
            ),
            (
                "## [1.2.3](https://r/releases/tag/v1.2.3)",
                "1.2.3",
                None,
                false,
            ),
            // knope.
            ("## 1.2.3 (2024-01-02)", "1.2.3", d("2024-01-02"), false),
            ("## [1.2.3] (2024-01-02)", "1.2.3", d("2024-01-02"), false),
            (
                "## 1.2.3 (2024-01-02) [YANKED]",
                "1.2.3",
                d("2024-01-02"),
                true,
            ),
            ("## v1.2.3", "v1.2.3", None, false),
            ("## [v1.2.3]", "v1.2.3", None, false),
            ("## [v1.2.3] - 2024-01-02", "v1.2.3", d("2024-01-02"), false),
        ];
        for (h, name, date, yanked) in cases {
            let text = format!("# C\n\n{h}\n");
            let cl = parse("C.md", &text).unwrap();
            let s = &cl.sections[0];
            let got_yanked = matches!(
                s.kind,
                SectionKind::Release {
                    yanked: Some(_),
                    ..
                }
            );
            assert_eq!(
                (s.name(), s.date().map(|d| d.to_string()), got_yanked),
                (name, date, yanked),
                "{h}"
            );
            assert_eq!(cl.heading(s), h);
        }
    }

    /// GitHub's generated notes pasted into sections: their `##` headings
    /// are text of the release they sit in, and of the introduction above
    /// the first section.
    #[test]
    fn github_notes_headings_stay_in_their_section() {
        let cl = parse("CHANGELOG.md", GITHUB_NOTES).unwrap();
        assert_eq!(
            outline(&cl),
            vec![
                (10, "Unreleased".into(), None, false, (11, 16)),
                (16, "0.4.0".into(), d("2026-03-02"), false, (17, 30)),
                (30, "0.3.0".into(), d("2026-01-20"), false, (31, 37)),
                (37, "0.2.0".into(), d("2025-11-04"), false, (38, 43)),
            ]
        );
        let body = &GITHUB_NOTES[cl.span(cl.sections[1].body.clone())];
        assert!(
            body.contains("## What's Changed\n* feat(core)")
                && body.contains("## New Contributors\n* @cy")
                && body.ends_with("...v0.4.0\n\n"),
            "{body}"
        );
    }

    /// A `##` heading that names no version and does not try to is text; one
    /// with a digit, a bracket or `Unreleased` is a version written wrong,
    /// and stays an error wherever it is.
    #[test]
    fn prose_headings_are_text_and_version_attempts_errors() {
        for h in [
            "## What's Changed",
            "## New Contributors",
            "## Contributors",
            "## Thanks!",
            "## Full Changelog: see below",
        ] {
            let text = format!("# C\n\n{h}\n\n## [1.0.0] - 2024-01-01\n\n{h}\n\n- a\n");
            let cl = parse("C.md", &text).unwrap();
            assert_eq!(
                outline(&cl),
                vec![(5, "1.0.0".into(), d("2024-01-01"), false, (6, 10))],
                "{h}"
            );
        }
        for (h, error) in [
            ("## [0.1.O] - 2024-01-01", "has a version `0.1.O`"),
            ("## v1.2 beta", "unparsable heading"),
            ("## 2024 roadmap", "unparsable heading"),
            ("## Release 1.0", "unparsable heading"),
            ("## [What's Changed]", "has a version `What's Changed`"),
            ("## Unreleased changes", "unparsable heading"),
        ] {
            let text = format!("# C\n\n## [1.0.0] - 2024-01-01\n\n{h}\n\n- a\n");
            let err = parse("C.md", &text).unwrap_err().to_string();
            assert!(
                err.starts_with("C.md:5: ") && err.contains(error),
                "{h}: {err}"
            );
        }
    }

    /// Keep a Changelog's `[YANKED]` and the forms files use instead.
    #[test]
    fn yanked_forms_are_read() {
        let cases = [
            (
                "## [0.12.0] - 2022-01-01 [YANKED]",
                d("2022-01-01"),
                Yanked::Standard,
            ),
            ("## [0.12.0] [YANKED]", None, Yanked::Standard),
            ("## [0.12.0] YANKED", None, Yanked::Other),
            ("## 0.12.0 (yanked)", None, Yanked::Other),
            (
                "## [0.12.0] - 2022-01-01 YANKED",
                d("2022-01-01"),
                Yanked::Other,
            ),
            (
                "## [0.12.0] - 2022-01-01 [yanked]",
                d("2022-01-01"),
                Yanked::Other,
            ),
            (
                "## 0.12.0 (2022-01-01) (yanked)",
                d("2022-01-01"),
                Yanked::Other,
            ),
            (
                "## [0.12.0] [YANKED] - 2022-01-01",
                d("2022-01-01"),
                Yanked::Other,
            ),
        ];
        for (h, date, how) in cases {
            let text = format!("# C\n\n{h}\n\n- a\n");
            let cl = parse("C.md", &text).unwrap();
            let s = &cl.sections[0];
            assert_eq!(
                (s.name(), s.date().map(|d| d.to_string()), &s.kind),
                (
                    "0.12.0",
                    date.clone(),
                    &SectionKind::Release {
                        version: Version::new(0, 12, 0),
                        raw: "0.12.0".into(),
                        date: date.and_then(|d| crate::text::date::parse(&d)),
                        yanked: Some(how),
                    }
                ),
                "{h}"
            );
        }
        let cl = parse("CHANGELOG.md", YANKED).unwrap();
        let names: Vec<(String, bool)> = outline(&cl)
            .into_iter()
            .map(|(_, name, _, yanked, _)| (name, yanked))
            .collect();
        assert_eq!(
            names,
            [
                ("Unreleased", false),
                ("0.13.0", false),
                ("0.12.1", false),
                ("0.12.0", true),
                ("0.11.0", true),
                ("0.10.1", true),
                ("0.10.0", false),
            ]
            .map(|(n, y)| (n.to_string(), y))
        );
    }

    #[test]
    fn heading_links_and_forms_are_kept() {
        let text = "## [1.2.3](https://r/compare/v1.2.2...v1.2.3) - 2024-01-02\n## 1.2.2 (2024-01-01)\n## [1.2.1]\n";
        let cl = parse("C.md", text).unwrap();
        let got: Vec<(Option<&str>, bool, bool)> = cl
            .sections
            .iter()
            .map(|s| (s.link.as_deref(), s.bracketed, s.paren_date))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("https://r/compare/v1.2.2...v1.2.3"), true, false),
                (None, false, true),
                (None, true, false),
            ]
        );
    }

    #[test]
    fn heading_errors_name_the_line_and_the_fix() {
        let cases = [
            (
                "## [1.0] - 2024-13-01",
                "CHANGELOG.md:3: heading `## [1.0] - 2024-13-01` has a date that is not a date: write YYYY-MM-DD",
            ),
            (
                "## [1.0.0] - 4 April 2024",
                "CHANGELOG.md:3: heading `## [1.0.0] - 4 April 2024` has a date that is not a date: write YYYY-MM-DD",
            ),
            (
                "## [1.0.0] - 2024-1-05",
                "CHANGELOG.md:3: heading `## [1.0.0] - 2024-1-05` has a date that is not a date: write YYYY-MM-DD",
            ),
            (
                "## [banana] - 2024-01-01",
                "CHANGELOG.md:3: heading `## [banana] - 2024-01-01` has a version `banana` that is neither SemVer nor PEP 440 nor a tag: write it like 1.2.3, 1.2.3-rc.1 or 1.2.3rc1",
            ),
            (
                "## 1.0.0.final1",
                "CHANGELOG.md:3: heading `## 1.0.0.final1` has a version `1.0.0.final1` that is neither SemVer nor PEP 440 nor a tag: write it like 1.2.3, 1.2.3-rc.1 or 1.2.3rc1",
            ),
            (
                "## [1.0.0] 2024-01-01",
                "CHANGELOG.md:3: unparsable heading `## [1.0.0] 2024-01-01`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section",
            ),
            (
                "## [Unreleased] - soon",
                "CHANGELOG.md:3: unparsable heading `## [Unreleased] - soon`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section",
            ),
            (
                "## [Unreleased] - 2024-01-01",
                "CHANGELOG.md:3: unparsable heading `## [Unreleased] - 2024-01-01`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section",
            ),
            (
                "## 1.2.3 (2024-01-02",
                "CHANGELOG.md:3: unparsable heading `## 1.2.3 (2024-01-02`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section",
            ),
            (
                "## [1.2.3](https://r - 2024-01-02",
                "CHANGELOG.md:3: unparsable heading `## [1.2.3](https://r - 2024-01-02`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section",
            ),
            (
                "## 1.2.3 (January 2)",
                "CHANGELOG.md:3: heading `## 1.2.3 (January 2)` has a date that is not a date: write YYYY-MM-DD",
            ),
            (
                "## [1.0.0 - 2024-01-01",
                "CHANGELOG.md:3: unparsable heading `## [1.0.0 - 2024-01-01`: write `## [Unreleased]` or `## [1.2.3] - YYYY-MM-DD`, or use `###` for a heading inside a section",
            ),
        ];
        for (h, want) in cases {
            let err = parse("CHANGELOG.md", &format!("# C\r\n\r\n{h}\r\n- x\r\n")).unwrap_err();
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn a_long_heading_is_quoted_cut() {
        let long = format!("## [0.4.0{}", "x".repeat(200_000));
        let err = parse("CHANGELOG.md", &format!("# C\n\n{long}\n")).unwrap_err();
        let message = err.to_string();
        let quoted = format!("`{}…`", &long[..200]);
        assert!(message.contains(&quoted), "{}", &message[..300]);
        assert!(message.len() < 600, "{} bytes", message.len());
        let label = format!("## [{}] - 2024-01-01", "9".repeat(5_000) + "x");
        let err = parse("CHANGELOG.md", &format!("# C\n\n{label}\n")).unwrap_err();
        assert!(err.to_string().len() < 800, "{}", err.to_string().len());
    }

    #[test]
    fn a_second_unreleased_is_an_error() {
        let text = "# C\n\n## [Unreleased]\n\n- a\n\n## [1.0.0] - 2024-01-01\n\n## Unreleased\n";
        let err = parse("CHANGELOG.md", text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "CHANGELOG.md:9: a second `[Unreleased]` section (the first is at line 3): merge the two"
        );
    }

    #[test]
    fn fenced_headings_and_links_are_text() {
        let text = "# C\n\n## [1.0.0] - 2024-01-01\n\n```md\n## [Unreleased]\n## nonsense\n[x]: https://x\n```\n\n[1.0.0]: https://r/releases/tag/v1.0.0\n";
        let cl = parse("C.md", text).unwrap();
        assert_eq!(
            outline(&cl),
            vec![(3, "1.0.0".into(), d("2024-01-01"), false, (4, 11))]
        );
        assert_eq!(cl.links.len(), 1);
        assert_eq!(cl.links_start, 10);
    }

    #[test]
    fn crlf_and_no_final_newline() {
        let text = "# C\r\n\r\n## [1.0.0] - 2024-01-01\r\n\r\n- a\r\n\r\n[1.0.0]: u";
        let cl = parse("C.md", text).unwrap();
        assert_eq!(cl.eol, "\r\n");
        assert_eq!(cl.line_count, 7);
        assert_eq!(cl.sections[0].body, 3..6);
        assert_eq!(cl.span(6..7), 41..text.len());
        assert_eq!(&text[cl.span(4..5)], "- a\r\n");
        let empty = parse("C.md", "").unwrap();
        assert_eq!(
            (empty.line_count, empty.sections.len(), empty.eol),
            (0, 0, "\n")
        );
    }

    #[test]
    fn links_in_the_middle_do_not_end_the_last_section_early() {
        let text = "## [1.0.0]\n\n[a]: https://a\n\n- more\n\n[b]: https://b\n";
        let cl = parse("C.md", text).unwrap();
        assert_eq!(cl.sections[0].body, 1..6);
        assert_eq!(cl.links.len(), 2);
    }

    #[test]
    fn positions_cover_the_text_byte_for_byte() {
        let texts = [
            CRATE,
            PYTHON,
            LLMSIM,
            GITHUB_NOTES,
            YANKED,
            "# C\r\n\r\n## [1.0.0]\r\n- a",
            "\n\n",
            "## [Unreleased]",
            "x\r\ny\nz\r\n",
        ];
        for text in texts {
            let cl = parse("C.md", text).unwrap();
            let rebuilt: String = (0..cl.line_count)
                .map(|i| &text[cl.span(i..i + 1)])
                .collect();
            assert_eq!(rebuilt, text);
            let sections: String = cl
                .sections
                .iter()
                .map(|s| &text[cl.span(s.line..s.body.end)])
                .collect();
            let first = cl.sections.first().map_or(cl.links_start, |s| s.line);
            assert_eq!(
                format!(
                    "{}{sections}{}",
                    &text[cl.span(0..first)],
                    &text[cl.span(cl.links_start..cl.line_count)]
                ),
                text
            );
        }
    }

    #[test]
    fn five_megabytes_parse_whole() {
        let text = big();
        let cl = parse("C.md", &text).unwrap();
        let oldest = cl.sections.last().unwrap().version().unwrap().minor as usize;
        assert_eq!(cl.sections.len(), 1 + (100_000 - oldest) + 1);
        assert_eq!(cl.links.len(), 1);
    }

    #[test]
    fn headings_named_by_a_tag_belong_to_their_series() {
        use crate::text::tags::TagTemplate;
        let text = "# Changelog\n\n## [rust-v0.12.3](https://g/o/r/tree/rust-v0.12.3) (2026-05-19)\n\n- a\n\n## [python-v1.2.0](https://g/o/r/tree/python-v1.2.0) (2026-05-01)\n\n- b\n\n## [v0.12.2] - 2026-04-01\n\n- c\n";
        let series = |own: &str, other: &str| Series {
            own: Some(TagTemplate::new(own).unwrap()),
            earlier: Vec::new(),
            others: vec![TagTemplate::new(other).unwrap()],
        };
        let kinds = |s: &Series| -> Vec<(String, Option<String>)> {
            parse_in("C.md", text, s)
                .unwrap()
                .sections
                .iter()
                .map(|s| (s.name().to_string(), s.version().map(|v| v.to_string())))
                .collect()
        };
        let rust = series("rust-v{version}", "python-v{version}");
        assert_eq!(
            kinds(&rust),
            [
                ("rust-v0.12.3".to_string(), Some("0.12.3".to_string())),
                ("python-v1.2.0".to_string(), None),
                ("v0.12.2".to_string(), Some("0.12.2".to_string())),
            ]
        );
        let cl = parse_in("C.md", text, &rust).unwrap();
        assert_eq!(cl.newest().unwrap().name(), "rust-v0.12.3");
        let python = series("python-v{version}", "rust-v{version}");
        assert_eq!(
            kinds(&python)[..2],
            [
                ("rust-v0.12.3".to_string(), None),
                ("python-v1.2.0".to_string(), Some("1.2.0".to_string())),
            ]
        );
        // Read with no series, a tag-like label is its version.
        assert_eq!(kinds(&Series::default())[1].1.as_deref(), Some("1.2.0"));
    }
}
