//! Checks of a changelog against itself, the calendar, the tags and the
//! manifest version. Every problem names its line and the fix.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use semver::Version;

use super::date_order::date_order;
use super::model::{Changelog, Section, SectionKind, Series, Yanked};
use super::parse::parse_located;
use super::release_links::repository_in;
use super::style::{Style, detect};
use super::yanked;
use crate::text::version::{order, parse_any, same};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based.
    pub line: usize,
    pub severity: Severity,
    /// Includes `path:line` and the fix.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LintContext {
    pub today: NaiveDate,
    /// Versions that have a tag in this package's series.
    pub tags: Vec<Version>,
    /// The day each tagged version was tagged, where git knows it.
    pub tag_dates: Vec<(Version, NaiveDate)>,
    /// The manifest version.
    pub current: Option<Version>,
    /// Whether `current` has a tag.
    pub released: bool,
    /// The package's tag series, for headings named by a tag.
    pub series: Series,
}

/// A problem before its place is written in: `(0-based line, severity, message)`.
type Found = (usize, Severity, String);

/// Problems in line order; empty when the changelog is fine.
pub fn lint(path: &str, text: &str, ctx: &LintContext) -> Vec<Problem> {
    let cl = match parse_located(path, text, &ctx.series) {
        Ok(cl) => cl,
        Err(err) => {
            return vec![Problem {
                line: err.line,
                severity: Severity::Error,
                message: err.message,
            }];
        }
    };
    let mut tags = ctx.tags.clone();
    // By each version's PEP 440 reading: a tag `v0.23.1rc0` is `0.23.1-rc0`.
    tags.sort_by(order);
    let style = detect(text, &cl);
    // Problems of one line keep this order: the sort below is stable.
    let mut found = Vec::new();
    found.extend(second_sections(&cl));
    let heading = |section: Option<&Section>, version: &Version| {
        suggested(&style, &cl, ctx, section, version)
    };
    found.extend(release_dates(&cl, ctx.today, style.dated, &heading));
    found.extend(yanked_forms(&cl, &heading));
    found.extend(untagged_between_tags(&cl, &tags, &ctx.tag_dates));
    found.extend(link_definitions(&cl));
    found.extend(
        date_order(&cl, style.newest_first, &ctx.tag_dates)
            .into_iter()
            .map(|(line, message)| (line, Severity::Error, message)),
    );
    found.extend(tags_without_sections(&cl, &tags, ctx, &heading));
    let mut problems: Vec<Problem> = found
        .into_iter()
        .map(|(line, severity, message)| Problem {
            line: line + 1,
            severity,
            message: format!("{path}:{}: {message}", line + 1),
        })
        .collect();
    problems.sort_by_key(|p| p.line);
    problems
}

/// What a suggested heading is made by: the version's section (when the
/// file has one), and the version.
type Heading<'a> = dyn Fn(Option<&Section>, &Version) -> String + 'a;

/// The heading lint suggests for `version`, in the file's own style:
/// `## [rust-v1.2.3](URL/tree/rust-v1.2.3) (YYYY-MM-DD)` in a generator's
/// file, `## [1.2.3] - YYYY-MM-DD` in Keep a Changelog. A section the file
/// has keeps its label and date, and a yanked one ends in `[YANKED]`.
fn suggested(
    style: &Style,
    cl: &Changelog,
    ctx: &LintContext,
    section: Option<&Section>,
    version: &Version,
) -> String {
    let tag = ctx.series.own.as_ref().and_then(|t| t.render(version).ok());
    let tag = tag.unwrap_or_else(|| format!("v{version}"));
    let (label, date, yanked) = match section.map(|s| (s.name(), &s.kind)) {
        Some((raw, SectionKind::Release { date, yanked, .. })) => (
            raw.to_string(),
            date.map(|d| d.to_string()),
            yanked.is_some(),
        ),
        _ => (style.label(&version.to_string(), &tag), None, false),
    };
    let mut heading = style.suggested_heading(&label, &tag, date.as_deref(), repository_in(cl));
    if yanked {
        heading.push(' ');
        heading.push_str(yanked::STANDARD);
    }
    heading
}

/// The releases of the file: `(section, version, version as written, date)`.
fn releases<'a>(
    cl: &'a Changelog,
) -> impl Iterator<Item = (&'a Section, &'a Version, &'a str, Option<NaiveDate>)> {
    cl.sections.iter().filter_map(|s| match &s.kind {
        SectionKind::Release {
            version, raw, date, ..
        } => Some((s, version, raw.as_str(), *date)),
        SectionKind::Unreleased | SectionKind::Other { .. } => None,
    })
}

/// A version with two sections.
fn second_sections(cl: &Changelog) -> Vec<Found> {
    let mut seen: HashMap<&Version, usize> = HashMap::new();
    let mut out = Vec::new();
    for (section, version, raw, _) in releases(cl) {
        if let Some(first) = seen.get(version) {
            out.push((
                section.line,
                Severity::Error,
                format!(
                    "{raw} has a second section (the first is at line {}): merge them into one",
                    first + 1
                ),
            ));
        } else {
            seen.insert(version, section.line);
        }
    }
    out
}

/// Dates in the future, and missing dates in a file that dates its sections.
fn release_dates(cl: &Changelog, today: NaiveDate, dated: bool, heading: &Heading) -> Vec<Found> {
    let mut out = Vec::new();
    for (section, version, raw, date) in releases(cl) {
        match date {
            Some(date) if date > today => out.push((
                section.line,
                Severity::Error,
                format!(
                    "{raw} is dated {date}, in the future (today is {today}): write the day it is released"
                ),
            )),
            Some(_) => {}
            // A file that never dates its sections is not asked to; a
            // yanked marker of another form is asked for with its date.
            None if !dated || yanked_other(section) => {}
            None => out.push((
                section.line,
                Severity::Warning,
                format!(
                    "{raw} has no release date: write `{}`",
                    heading(Some(section), version)
                ),
            )),
        }
    }
    out
}

/// Yanked releases marked in another form than Keep a Changelog's
/// `## [1.2.3] - YYYY-MM-DD [YANKED]`: read all the same, but other tools
/// may not.
fn yanked_forms(cl: &Changelog, heading: &Heading) -> Vec<Found> {
    releases(cl)
        .filter(|(section, ..)| yanked_other(section))
        .map(|(section, version, raw, _)| {
            (
                section.line,
                Severity::Warning,
                format!(
                    "{raw} is marked yanked in another form than Keep a Changelog's: write `{}`",
                    heading(Some(section), version)
                ),
            )
        })
        .collect()
}

fn yanked_other(section: &Section) -> bool {
    matches!(
        section.kind,
        SectionKind::Release {
            yanked: Some(Yanked::Other),
            ..
        }
    )
}

/// A version without a tag below one that has a tag (`tags` sorted). A
/// version tagged anywhere (`dated`: every tag git has, merged or not) has
/// its tag: a release tagged on a branch off main is no missing tag.
fn untagged_between_tags(
    cl: &Changelog,
    tags: &[Version],
    dated: &[(Version, NaiveDate)],
) -> Vec<Found> {
    let mut out = Vec::new();
    for (section, version, raw, _) in releases(cl) {
        if !tags.iter().any(|t| same(t, version))
            && !dated.iter().any(|(v, _)| same(v, version))
            && let Some(later) = tags.iter().find(|t| order(t, version).is_gt())
        {
            out.push((
                section.line,
                Severity::Warning,
                format!(
                    "{raw} has no tag, but the later {later} has one: tag {raw} or remove its section"
                ),
            ));
        }
    }
    out
}

/// What the file's link definitions cover.
struct Links<'a> {
    cl: &'a Changelog<'a>,
    /// A file that keeps comparison links misses one by mistake; a lone
    /// `releases/tag` link, as in many crate changelogs, only suggests it.
    compares: bool,
    labels: HashSet<String>,
    versions: HashSet<Version>,
    /// The newest version whose heading has its definition.
    newest_defined: Option<&'a Version>,
}

impl<'a> Links<'a> {
    fn new(cl: &'a Changelog<'a>) -> Self {
        let mut links = Links {
            cl,
            compares: cl
                .links
                .iter()
                .any(|l| l.url.contains("/compare/") || l.label.eq_ignore_ascii_case("unreleased")),
            labels: cl
                .links
                .iter()
                .map(|l| l.label.to_ascii_lowercase())
                .collect(),
            versions: cl
                .links
                .iter()
                .filter_map(|l| parse_any(l.label).ok())
                .collect(),
            newest_defined: None,
        };
        links.newest_defined = releases(cl)
            .filter(|(s, version, raw, _)| links.defined(s, raw, version))
            .map(|(_, version, _, _)| version)
            .max();
        links
    }

    /// Only a `[label]` heading without a link in it needs a definition.
    fn needed(&self, s: &Section) -> bool {
        !self.cl.links.is_empty() && s.bracketed && s.link.is_none()
    }

    fn defined(&self, s: &Section, raw: &str, version: &Version) -> bool {
        !self.needed(s)
            || self.labels.contains(&raw.to_ascii_lowercase())
            || self.versions.contains(version)
    }

    /// A missing definition is an error only where the tool itself would
    /// have written one: above the newest version that has one (or, with
    /// none, for the newest version). Older gaps stay warnings, so a release
    /// that adds a compare link never turns them into errors.
    fn severity(&self, version: &Version) -> Severity {
        let above = match self.newest_defined {
            Some(defined) => version > defined,
            None => Some(version) == self.cl.newest().and_then(|s| s.version()),
        };
        if self.compares && above {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

/// Headings that need a link definition the file lacks.
fn link_definitions(cl: &Changelog) -> Vec<Found> {
    let links = Links::new(cl);
    let mut out = Vec::new();
    for section in &cl.sections {
        let SectionKind::Release { version, raw, .. } = &section.kind else {
            if links.needed(section) && !links.labels.contains("unreleased") {
                out.push((
                    section.line,
                    if links.compares {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    "[Unreleased] has no link definition while the file uses them: add `[Unreleased]: <repository>/compare/<latest tag>...HEAD` at the bottom, or run `cargo xtask changelog lint --fix`".into(),
                ));
            }
            continue;
        };
        if !links.defined(section, raw, version) {
            out.push((
                section.line,
                links.severity(version),
                format!(
                    "{raw} has no link definition while the file uses them: add `[{raw}]: <compare or release URL>` at the bottom, or run `cargo xtask changelog lint --fix`"
                ),
            ));
        }
    }
    out
}

/// Tagged versions without a section: the manifest's (an error), then the
/// others, newest first (warnings).
fn tags_without_sections(
    cl: &Changelog,
    tags: &[Version],
    ctx: &LintContext,
    heading: &Heading,
) -> Vec<Found> {
    let mut out = Vec::new();
    let line = cl.sections.first().map_or(0, |s| s.line);
    if let (true, Some(current)) = (ctx.released, &ctx.current)
        && cl.release(current).is_none()
    {
        out.push((
            line,
            Severity::Error,
            format!(
                "{current} is tagged but has no section: add `{}` with its changes",
                heading(None, current)
            ),
        ));
    }
    // Tags from before the changelog was started are not its business, nor
    // tags above the manifest version (another branch's releases, seen from
    // a maintenance branch).
    let oldest = cl
        .sections
        .iter()
        .filter_map(|s| s.version())
        .min_by(|a, b| order(a, b));
    let in_range = |tag: &Version| {
        oldest.is_some_and(|o| order(tag, o).is_gt())
            && ctx.current.as_ref().is_none_or(|c| order(tag, c).is_le())
    };
    let has_section = |v: &Version| {
        cl.release(v).is_some()
            // A release candidate is often folded into its final release.
            || (!v.pre.is_empty() && cl.release(&Version::new(v.major, v.minor, v.patch)).is_some())
    };
    for tag in tags.iter().rev() {
        if in_range(tag)
            && !has_section(tag)
            && !(ctx.released && ctx.current.as_ref().is_some_and(|c| same(c, tag)))
        {
            out.push((
                line,
                Severity::Warning,
                format!(
                    "{tag} is tagged but has no section: add `{}` with its changes",
                    heading(None, tag)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, LLMSIM, PYTHON};
    use super::*;
    use Severity::{Error, Warning};

    fn v(s: &str) -> Version {
        parse_any(s).unwrap()
    }

    #[test]
    fn a_version_tagged_off_the_branch_is_not_missing_its_tag() {
        let text = "# C\n\n## [0.12.1] - 2026-03-01\n\n- b\n\n## [0.12.0] - 2026-02-01\n\n- a\n";
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let mut context = ctx(&["0.12.1"], Some("0.12.1"), true);
        let messages = |c: &LintContext| -> Vec<String> {
            lint("C.md", text, c)
                .into_iter()
                .map(|p| p.message)
                .collect()
        };
        assert_eq!(
            messages(&context),
            [
                "C.md:7: 0.12.0 has no tag, but the later 0.12.1 has one: tag 0.12.0 or remove its section"
            ]
        );
        context.tag_dates = vec![(v("0.12.0"), day)];
        assert_eq!(messages(&context), Vec::<String>::new());
    }

    #[test]
    fn suggested_headings_follow_the_files_style() {
        let url = "https://github.com/acme/vecstore-rs";
        let gcg = format!(
            "# Changelog\r\n\r\n## [python-v1.2.0]({url}/tree/python-v1.2.0) (2026-03-02)\r\n\r\n- a\r\n\r\n## [rust-v0.12.3]({url}/tree/rust-v0.12.3) (2026-03-01)\r\n\r\n[Full Changelog]({url}/compare/rust-v0.12.2...rust-v0.12.3)\r\n\r\n- b\r\n\r\n## [rust-v0.12.2]({url}/tree/rust-v0.12.2)\r\n\r\n- c"
        );
        let mut context = ctx(&["0.12.2", "0.12.3", "1.0.0"], Some("1.0.0"), true);
        context.series = Series {
            own: Some(crate::text::tags::TagTemplate::new("rust-v{version}").unwrap()),
            earlier: Vec::new(),
            others: vec![crate::text::tags::TagTemplate::new("python-v{version}").unwrap()],
        };
        let messages: Vec<String> = run(&gcg, &context).into_iter().map(|p| p.2).collect();
        assert_eq!(
            messages,
            [
                format!(
                    "CHANGELOG.md:3: 1.0.0 is tagged but has no section: add `## [rust-v1.0.0]({url}/tree/rust-v1.0.0) (YYYY-MM-DD)` with its changes"
                ),
                format!(
                    "CHANGELOG.md:13: rust-v0.12.2 has no release date: write `## [rust-v0.12.2]({url}/tree/rust-v0.12.2) (YYYY-MM-DD)`"
                ),
            ]
        );
        // Keep a Changelog keeps its own form; a `v` file its `v`.
        for (heading, suggested) in [
            ("## [0.12.3] - 2026-03-01", "## [1.0.0] - YYYY-MM-DD"),
            ("## v0.12.3 (2026-03-01)", "## v1.0.0 (YYYY-MM-DD)"),
        ] {
            let text = format!("# Changelog\n\n{heading}\n\n- b\n");
            let context = ctx(&["0.12.3", "1.0.0"], Some("1.0.0"), true);
            let messages: Vec<String> = run(&text, &context).into_iter().map(|p| p.2).collect();
            assert_eq!(
                messages,
                [format!(
                    "CHANGELOG.md:3: 1.0.0 is tagged but has no section: add `{suggested}` with its changes"
                )]
            );
        }
    }

    /// Every yanked form is read; the ones Keep a Changelog does not write
    /// get a warning with its form, date kept, and nothing else is said.
    #[test]
    fn yanked_forms_are_warnings_with_the_standard_form() {
        use super::super::fixtures::YANKED;
        let tags = ["0.10.0", "0.10.1", "0.11.0", "0.12.0", "0.12.1", "0.13.0"];
        assert_eq!(
            run(YANKED, &ctx(&tags, Some("0.13.0"), true)),
            vec![
                p(
                    15,
                    Warning,
                    "CHANGELOG.md:15: 0.12.0 is marked yanked in another form than Keep a Changelog's: write `## [0.12.0] - YYYY-MM-DD [YANKED]`"
                ),
                p(
                    23,
                    Warning,
                    "CHANGELOG.md:23: 0.10.1 is marked yanked in another form than Keep a Changelog's: write `## [0.10.1] - YYYY-MM-DD [YANKED]`"
                ),
            ]
        );
        for (heading, want) in [
            (
                "## [0.12.0] - 2022-01-01 YANKED",
                Some("## [0.12.0] - 2022-01-01 [YANKED]"),
            ),
            (
                "## 0.12.0 (yanked)",
                Some("## [0.12.0] - YYYY-MM-DD [YANKED]"),
            ),
            ("## [0.12.0] - 2022-01-01 [YANKED]", None),
        ] {
            let text = format!(
                "# C\n\n## [0.12.1] - 2022-01-02\n\n- b\n\n{heading}\n\n- a\n\n## [0.11.0] - 2021-12-01\n\n- c\n"
            );
            let got: Vec<String> = run(&text, &ctx(&[], None, false))
                .into_iter()
                .map(|p| p.2)
                .collect();
            let want: Vec<String> = want
                .map(|w| format!("CHANGELOG.md:7: 0.12.0 is marked yanked in another form than Keep a Changelog's: write `{w}`"))
                .into_iter()
                .collect();
            assert_eq!(got, want, "{heading}");
        }
        // A knope file keeps its own heading style.
        let knope = "# C\n\n## 0.12.1 (2022-01-02)\n\n- b\n\n## 0.12.0 (yanked)\n\n- a\n";
        assert_eq!(
            run(knope, &ctx(&[], None, false)),
            vec![p(
                7,
                Warning,
                "CHANGELOG.md:7: 0.12.0 is marked yanked in another form than Keep a Changelog's: write `## 0.12.0 (YYYY-MM-DD) [YANKED]`"
            )]
        );
        // A standard marker without a date: the date goes before the marker.
        let text = "# C\n\n## [0.12.1] - 2022-01-02\n\n## [0.12.0] [YANKED]\n";
        assert_eq!(
            run(text, &ctx(&[], None, false)),
            vec![p(
                5,
                Warning,
                "CHANGELOG.md:5: 0.12.0 has no release date: write `## [0.12.0] - YYYY-MM-DD [YANKED]`"
            )]
        );
    }

    /// GitHub's generated notes in sections are no problem.
    #[test]
    fn github_notes_headings_are_no_problem() {
        use super::super::fixtures::GITHUB_NOTES;
        let context = ctx(&["0.2.0", "0.3.0", "0.4.0"], Some("0.4.0"), true);
        assert_eq!(run(GITHUB_NOTES, &context), vec![]);
    }

    fn ctx(tags: &[&str], current: Option<&str>, released: bool) -> LintContext {
        LintContext {
            today: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
            tags: tags.iter().map(|t| v(t)).collect(),
            tag_dates: Vec::new(),
            current: current.map(v),
            released,
            series: Series::default(),
        }
    }

    fn run(text: &str, ctx: &LintContext) -> Vec<(usize, Severity, String)> {
        lint("CHANGELOG.md", text, ctx)
            .into_iter()
            .map(|p| (p.line, p.severity, p.message))
            .collect()
    }

    fn p(line: usize, severity: Severity, message: &str) -> (usize, Severity, String) {
        (line, severity, message.to_string())
    }

    #[test]
    fn clean_files() {
        assert_eq!(
            run(LLMSIM, &ctx(&["0.1.0", "0.2.0"], Some("0.2.0"), true)),
            vec![]
        );
        assert_eq!(
            run(
                PYTHON,
                &ctx(&["0.3.0", "0.4.0rc1", "0.4.0"], Some("0.4.0"), true)
            ),
            vec![]
        );
        assert_eq!(
            run("# Changelog\n", &ctx(&[], Some("0.1.0"), false)),
            vec![]
        );
    }

    #[test]
    fn the_crate_shape_lacks_links() {
        assert_eq!(
            run(CRATE, &ctx(&["0.1.0", "0.6.26"], Some("0.6.26"), true)),
            vec![
                p(
                    8,
                    Warning,
                    "CHANGELOG.md:8: [Unreleased] has no link definition while the file uses them: add `[Unreleased]: <repository>/compare/<latest tag>...HEAD` at the bottom, or run `cargo xtask changelog lint --fix`"
                ),
                p(
                    16,
                    Warning,
                    "CHANGELOG.md:16: 0.6.26 has no link definition while the file uses them: add `[0.6.26]: <compare or release URL>` at the bottom, or run `cargo xtask changelog lint --fix`"
                ),
            ]
        );
    }

    #[test]
    fn problems() {
        let text = "\
# C

## [Unreleased]

## [1.3.0] - 2026-05-01

## [1.2.0]

## [1.1.0] - 2026-01-01

## [1.2.0] - 2026-02-01 [YANKED]

## [1.0.0] - 2025-01-01

[Unreleased]: https://r/compare/v1.3.0...HEAD
[1.3.0]: https://r/compare/v1.2.0...v1.3.0
[1.1.0]: https://r/compare/v1.0.0...v1.1.0
[v1.0.0]: https://r/releases/tag/v1.0.0
";
        assert_eq!(
            run(text, &ctx(&["1.0.0", "1.2.0"], Some("2.0.0"), true)),
            vec![
                p(
                    3,
                    Error,
                    "CHANGELOG.md:3: 2.0.0 is tagged but has no section: add `## [2.0.0] - YYYY-MM-DD` with its changes"
                ),
                p(
                    5,
                    Error,
                    "CHANGELOG.md:5: 1.3.0 is dated 2026-05-01, in the future (today is 2026-04-10): write the day it is released"
                ),
                p(
                    7,
                    Warning,
                    "CHANGELOG.md:7: 1.2.0 has no release date: write `## [1.2.0] - YYYY-MM-DD`"
                ),
                p(
                    7,
                    Warning,
                    "CHANGELOG.md:7: 1.2.0 has no link definition while the file uses them: add `[1.2.0]: <compare or release URL>` at the bottom, or run `cargo xtask changelog lint --fix`"
                ),
                p(
                    9,
                    Warning,
                    "CHANGELOG.md:9: 1.1.0 has no tag, but the later 1.2.0 has one: tag 1.1.0 or remove its section"
                ),
                p(
                    11,
                    Error,
                    "CHANGELOG.md:11: 1.2.0 has a second section (the first is at line 7): merge them into one"
                ),
                p(
                    11,
                    Warning,
                    "CHANGELOG.md:11: 1.2.0 has no link definition while the file uses them: add `[1.2.0]: <compare or release URL>` at the bottom, or run `cargo xtask changelog lint --fix`"
                ),
                p(
                    11,
                    Error,
                    "CHANGELOG.md:11: 1.2.0 is dated 2026-02-01, later than 1.1.0 above it (2026-01-01): fix its date, or move the section to where its version belongs"
                ),
            ]
        );
    }

    #[test]
    fn context_rules() {
        let text = "## [0.2.0] - 2026-01-02\n\n## [0.1.0] - 2026-01-01\n";
        let cases = [
            // Untagged but nothing later is tagged: the release is in progress.
            (ctx(&["0.1.0"], Some("0.2.0"), false), vec![]),
            (ctx(&[], Some("0.3.0"), false), vec![]),
            (
                ctx(&["0.2.0"], Some("0.3.0"), true),
                vec![
                    p(
                        1,
                        Error,
                        "CHANGELOG.md:1: 0.3.0 is tagged but has no section: add `## [0.3.0] - YYYY-MM-DD` with its changes",
                    ),
                    p(
                        3,
                        Warning,
                        "CHANGELOG.md:3: 0.1.0 has no tag, but the later 0.2.0 has one: tag 0.1.0 or remove its section",
                    ),
                ],
            ),
            (ctx(&["0.1.0", "0.2.0"], Some("0.2.0"), true), vec![]),
            (ctx(&["0.1.0", "0.2.0"], None, true), vec![]),
        ];
        for (ctx, want) in cases {
            assert_eq!(run(text, &ctx), want, "{ctx:?}");
        }
        // Same-day releases are in order; today is not the future.
        let same_day = "## [0.2.0] - 2026-04-10\n\n## [0.1.0] - 2026-04-10\n";
        assert_eq!(run(same_day, &ctx(&[], None, false)), vec![]);
    }

    #[test]
    fn a_parse_error_is_one_problem() {
        let text = "# C\r\n\r\n## [1.0.0] - 2024-01-01\r\n\r\n```\r\n## fenced\r\n```\r\n\r\n## [0.9] - 2024-13-01\r\n";
        assert_eq!(
            run(text, &ctx(&[], None, false)),
            vec![p(
                9,
                Error,
                "CHANGELOG.md:9: heading `## [0.9] - 2024-13-01` has a date that is not a date: write YYYY-MM-DD"
            )]
        );
    }

    #[test]
    fn dates_across_the_whole_file() {
        let text = "\
## [1.4.0] - 2026-04-01
## [1.3.0] - 2026-03-01
## [1.2.0] - 2026-03-20
## [1.1.0] - 2026-02-01
## [1.0.0] - 2026-01-01
";
        // One misdated section is one problem, not one per neighbour.
        assert_eq!(
            run(text, &ctx(&[], None, false)),
            vec![p(
                3,
                Error,
                "CHANGELOG.md:3: 1.2.0 is dated 2026-03-20, later than 1.3.0 above it (2026-03-01): fix its date, or move the section to where its version belongs"
            )]
        );
        // The tag's date says what to write.
        let mut tagged = ctx(&["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"], None, false);
        tagged.tag_dates = vec![(v("1.2.0"), NaiveDate::from_ymd_opt(2026, 2, 20).unwrap())];
        assert_eq!(
            run(text, &tagged),
            vec![p(
                3,
                Error,
                "CHANGELOG.md:3: 1.2.0 is dated 2026-03-20, later than 1.3.0 above it (2026-03-01): its tag was made on 2026-02-20: write 2026-02-20"
            )]
        );
        // Two sections contradict each other: the one dated as its tag is right.
        let pair = "## [2.1.0] - 2026-03-01\n## [2.0.0] - 2026-03-20\n";
        let mut tagged = ctx(&["2.0.0", "2.1.0"], None, false);
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        tagged.tag_dates = vec![(v("2.0.0"), day(1)), (v("2.1.0"), day(1))];
        assert_eq!(
            run(pair, &tagged),
            vec![p(
                2,
                Error,
                "CHANGELOG.md:2: 2.0.0 is dated 2026-03-20, later than 2.1.0 above it (2026-03-01): its tag was made on 2026-03-01: write 2026-03-01"
            )]
        );
        tagged.tag_dates = vec![(v("2.0.0"), day(20)), (v("2.1.0"), day(25))];
        assert_eq!(
            run(pair, &tagged),
            vec![p(
                1,
                Error,
                "CHANGELOG.md:1: 2.1.0 is dated 2026-03-01, earlier than 2.0.0 below it (2026-03-20): its tag was made on 2026-03-25: write 2026-03-25"
            )]
        );
        // Oldest first is an order too.
        let oldest_first = "## [1.0.0] - 2025-01-01\n## [1.1.0] - 2025-06-01\n## [1.2.0] - 2025-02-01\n## [1.3.0] - 2025-03-01\n";
        assert_eq!(
            run(oldest_first, &ctx(&[], None, false)),
            vec![p(
                2,
                Error,
                "CHANGELOG.md:2: 1.1.0 is dated 2025-06-01, later than 1.2.0 below it (2025-02-01): fix its date, or move the section to where its version belongs"
            )]
        );
    }

    #[test]
    fn tags_without_a_section_are_warnings() {
        let text = "## [Unreleased]\n\n## [0.5.0] - 2026-01-01\n\n## [0.3.0] - 2025-01-01\n";
        assert_eq!(
            run(
                text,
                // 0.1.0 predates the changelog, 0.5.0-rc.1 is folded into
                // 0.5.0, and 0.6.0 is above the manifest version (another
                // branch's release).
                &ctx(
                    &[
                        "0.1.0",
                        "0.3.0",
                        "0.4.0",
                        "0.5.0-rc.1",
                        "0.5.0",
                        "0.5.1-rc.1",
                        "0.6.0"
                    ],
                    Some("0.5.2"),
                    false
                )
            ),
            vec![
                p(
                    1,
                    Warning,
                    "CHANGELOG.md:1: 0.5.1-rc.1 is tagged but has no section: add `## [0.5.1-rc.1] - YYYY-MM-DD` with its changes"
                ),
                p(
                    1,
                    Warning,
                    "CHANGELOG.md:1: 0.4.0 is tagged but has no section: add `## [0.4.0] - YYYY-MM-DD` with its changes"
                ),
            ]
        );
    }

    #[test]
    fn dialects_without_brackets_or_dates_need_neither() {
        let cases = [
            "## v2.0.0\n\n- a\n\n## v1.0.0\n\n- b\n\n[spec]: https://keepachangelog.com\n",
            "## [2.0.0](https://r/compare/v1.0.0...v2.0.0) - 2026-01-02\n\n## [1.0.0](https://r/releases/tag/v1.0.0) - 2026-01-01\n\n[spec]: https://keepachangelog.com\n",
            "## Unreleased - ReleaseDate\n\n## 1.0.0 (2026-01-01)\n\n[Unreleased]: https://r/compare/v1.0.0...HEAD\n",
        ];
        for text in cases {
            let tags: &[&str] = if text.contains("2.0.0") {
                &["1.0.0", "2.0.0"]
            } else {
                &["1.0.0"]
            };
            assert_eq!(run(text, &ctx(tags, None, false)), vec![], "{text}");
        }
    }

    /// A release never adds a problem: for every dialect, lint after
    /// promote finds no more errors, and no more problems, than before.
    #[test]
    fn promote_never_adds_a_problem() {
        use super::super::fixtures::DIALECTS;
        use super::super::promote::promote;
        use super::super::promotion::Promote;
        for (name, text) in DIALECTS {
            let cl = super::super::parse::parse("C.md", text).unwrap();
            let versions: Vec<String> = cl
                .sections
                .iter()
                .filter_map(|s| s.version().map(|v| v.to_string()))
                .collect();
            let mut before_ctx = ctx(&[], None, false);
            before_ctx.tags = versions.iter().map(|t| v(t)).collect();
            before_ctx.today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
            let before = lint("C.md", text, &before_ctx);
            let mut out = text.to_string();
            let mut after_ctx = before_ctx.clone();
            for next in ["9.0.0", "9.1.0"] {
                let version = v(next);
                out = promote(
                    "C.md",
                    &out,
                    &Promote {
                        series: &Default::default(),
                        previous_tag: None,
                        version: &version,
                        display: next,
                        date: after_ctx.today,
                        tag_template: "v{version}",
                        repo_url: Some("https://github.com/o/cfg"),
                        allow_empty: true,
                        generated: Some("### Fixed\n\n- a fix\n"),
                    },
                )
                .unwrap();
                after_ctx.tags.push(version.clone());
                after_ctx.current = Some(version);
                after_ctx.released = true;
                let after = lint("C.md", &out, &after_ctx);
                let errors = |ps: &[Problem]| ps.iter().filter(|p| p.severity == Error).count();
                assert!(
                    errors(&after) <= errors(&before) && after.len() <= before.len(),
                    "{name} after {next}:\n{before:#?}\n{after:#?}\n{out}"
                );
            }
        }
    }
}

#[cfg(test)]
mod speed {
    use super::super::fixtures::big;
    use super::*;

    /// Five megabytes, twenty thousand sections: lint and promote stay
    /// linear (the date check is n log n), well under a second in release.
    #[test]
    fn five_megabytes_lint_and_promote() {
        let text = big();
        let ctx = LintContext {
            today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ..LintContext::default()
        };
        let start = std::time::Instant::now();
        let problems = lint("C.md", &text, &ctx);
        let linted = start.elapsed();
        let version = Version::new(2, 0, 0);
        let out = super::super::promote::promote(
            "C.md",
            &text,
            &super::super::promotion::Promote {
                series: &Default::default(),
                previous_tag: None,
                version: &version,
                display: "2.0.0",
                date: ctx.today,
                tag_template: "v{version}",
                repo_url: None,
                allow_empty: true,
                generated: None,
            },
        )
        .unwrap();
        let total = start.elapsed();
        eprintln!("lint {linted:?}, lint + promote {total:?}");
        assert!(out.contains("## [2.0.0] - 2026-01-01\n\n- Next\n"));
        // Only the newest version's missing link is an error: the one the tool writes.
        let errors: Vec<&Problem> = problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .message
                .contains("1.100000.0 has no link definition")
        );
        assert!(total < std::time::Duration::from_secs(20), "{total:?}");
    }
}
