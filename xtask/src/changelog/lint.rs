//! Checks of a changelog against itself, the calendar, the tags and the
//! manifest version. Every problem names its line and the fix.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use semver::Version;

use super::model::SectionKind;
use super::parse::parse_located;
use crate::version::parse_any;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintContext {
    pub today: NaiveDate,
    /// Versions that have a tag in this package's series.
    pub tags: Vec<Version>,
    /// The manifest version.
    pub current: Option<Version>,
    /// Whether `current` has a tag.
    pub released: bool,
}

/// Problems in line order; empty when the changelog is fine.
pub fn lint(path: &str, text: &str, ctx: &LintContext) -> Vec<Problem> {
    let cl = match parse_located(path, text) {
        Ok(cl) => cl,
        Err(err) => {
            return vec![Problem {
                line: err.line,
                severity: Severity::Error,
                message: err.message,
            }];
        }
    };
    let mut problems = Vec::new();
    let mut report = |line: usize, severity, message: String| {
        problems.push(Problem {
            line: line + 1,
            severity,
            message: format!("{path}:{}: {message}", line + 1),
        });
    };
    let mut tags = ctx.tags.clone();
    tags.sort();
    let uses_links = !cl.links.is_empty();
    // A file that keeps comparison links misses one by mistake (an error); a
    // lone `releases/tag` link, as in many crate changelogs, only suggests it.
    let link_severity = if cl
        .links
        .iter()
        .any(|l| l.url.contains("/compare/") || l.label.eq_ignore_ascii_case("unreleased"))
    {
        Severity::Error
    } else {
        Severity::Warning
    };
    let link_labels: HashSet<String> = cl
        .links
        .iter()
        .map(|l| l.label.to_ascii_lowercase())
        .collect();
    let link_versions: HashSet<Version> = cl
        .links
        .iter()
        .filter_map(|l| parse_any(&l.label).ok())
        .collect();
    let mut seen: HashMap<&Version, usize> = HashMap::new();
    // The nearest dated section above, for the order check.
    let mut above: Option<(&str, NaiveDate)> = None;

    for section in &cl.sections {
        let line = section.line;
        let SectionKind::Release {
            version, raw, date, ..
        } = &section.kind
        else {
            if uses_links && !link_labels.contains("unreleased") {
                report(
                    line,
                    link_severity,
                    "[Unreleased] has no link definition while the file uses them: add `[Unreleased]: <repository>/compare/<latest tag>...HEAD` at the bottom".into(),
                );
            }
            continue;
        };
        if let Some(first) = seen.get(version) {
            report(
                line,
                Severity::Error,
                format!(
                    "{raw} has a second section (the first is at line {}): merge them into one",
                    first + 1
                ),
            );
        } else {
            seen.insert(version, line);
        }
        match date {
            Some(date) => {
                if let Some((above_raw, above_date)) = above
                    && *date > above_date
                {
                    report(
                        line,
                        Severity::Error,
                        format!(
                            "{raw} is dated {date}, later than {above_raw} above it ({above_date}): keep sections newest first"
                        ),
                    );
                }
                if *date > ctx.today {
                    report(
                        line,
                        Severity::Error,
                        format!(
                            "{raw} is dated {date}, in the future (today is {}): write the day it is released",
                            ctx.today
                        ),
                    );
                }
                above = Some((raw, *date));
            }
            None => report(
                line,
                Severity::Warning,
                format!("{raw} has no release date: write `## [{raw}] - YYYY-MM-DD`"),
            ),
        }
        if tags.binary_search(version).is_err()
            && let Some(later) = tags.get(tags.partition_point(|t| t <= version))
        {
            report(
                line,
                Severity::Warning,
                format!(
                    "{raw} has no tag, but the later {later} has one: tag {raw} or remove its section"
                ),
            );
        }
        if uses_links
            && !link_labels.contains(&raw.to_ascii_lowercase())
            && !link_versions.contains(version)
        {
            report(
                line,
                link_severity,
                format!(
                    "{raw} has no link definition while the file uses them: add `[{raw}]: <compare or release URL>` at the bottom"
                ),
            );
        }
    }
    if let (true, Some(current)) = (ctx.released, &ctx.current)
        && cl.release(current).is_none()
    {
        let line = cl.sections.first().map_or(0, |s| s.line);
        report(
            line,
            Severity::Error,
            format!(
                "{current} is tagged but has no section: add `## [{current}] - YYYY-MM-DD` with its changes"
            ),
        );
    }
    problems.sort_by_key(|p| p.line);
    problems
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, LLMSIM, PYTHON};
    use super::*;
    use Severity::{Error, Warning};

    fn v(s: &str) -> Version {
        parse_any(s).unwrap()
    }

    fn ctx(tags: &[&str], current: Option<&str>, released: bool) -> LintContext {
        LintContext {
            today: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
            tags: tags.iter().map(|t| v(t)).collect(),
            current: current.map(v),
            released,
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
                    "CHANGELOG.md:8: [Unreleased] has no link definition while the file uses them: add `[Unreleased]: <repository>/compare/<latest tag>...HEAD` at the bottom"
                ),
                p(
                    16,
                    Warning,
                    "CHANGELOG.md:16: 0.6.26 has no link definition while the file uses them: add `[0.6.26]: <compare or release URL>` at the bottom"
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
                    Error,
                    "CHANGELOG.md:7: 1.2.0 has no link definition while the file uses them: add `[1.2.0]: <compare or release URL>` at the bottom"
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
                    Error,
                    "CHANGELOG.md:11: 1.2.0 is dated 2026-02-01, later than 1.1.0 above it (2026-01-01): keep sections newest first"
                ),
                p(
                    11,
                    Error,
                    "CHANGELOG.md:11: 1.2.0 has no link definition while the file uses them: add `[1.2.0]: <compare or release URL>` at the bottom"
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
}
