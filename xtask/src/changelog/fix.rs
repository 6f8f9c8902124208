//! `changelog lint --fix`: the mechanical repairs, made from the tags: the
//! missing link definitions of a file that uses them, and the dates a tag
//! proves (a missing date, or one out of order that differs from its tag's).

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use semver::Version;

use super::date_order::date_order;
use super::model::{Changelog, SectionKind, Series};
use super::parse::parse_in;
use super::release_links::repository_in;
use super::style::detect;
use crate::text::version::{parse_any, same};

/// `text` with a definition added for every bracketed section that lacks
/// one and has a tag (`tags`: each version of the series with its tag name),
/// in the file's link style and order. Unchanged when the file uses no
/// definitions or nothing is missing.
pub fn fix_links(
    path: &str,
    text: &str,
    tags: &[(Version, String)],
    repo_url: Option<&str>,
    series: &Series,
) -> Result<String> {
    let cl = parse_in(path, text, series)?;
    if cl.links.is_empty() {
        return Ok(text.to_string());
    }
    let style = detect(text, &cl);
    let mut tags = tags.to_vec();
    tags.sort_by(|a, b| a.0.cmp(&b.0));
    let tag_of = |v: &Version| tags.iter().find(|(t, _)| t == v).map(|(_, n)| n.as_str());
    let has_def = |label: &str, version: Option<&Version>| {
        cl.link(label).is_some()
            || version.is_some_and(|v| {
                cl.links
                    .iter()
                    .any(|l| parse_any(l.label).is_ok_and(|lv| lv == *v))
            })
    };
    let mut missing: Vec<(Option<Version>, String)> = Vec::new();
    for section in cl
        .sections
        .iter()
        .filter(|s| s.bracketed && s.link.is_none())
    {
        match &section.kind {
            SectionKind::Release { version, raw, .. } if !has_def(raw, Some(version)) => {
                if let Some(tag) = tag_of(version) {
                    missing.push((
                        Some(version.clone()),
                        format!(
                            "[{raw}]: {{base}}{}",
                            url(&tags, version, tag, style.release_links)
                        ),
                    ));
                }
            }
            SectionKind::Unreleased if !has_def("Unreleased", None) && !style.release_links => {
                if let Some((_, newest)) = tags.last() {
                    missing.push((
                        None,
                        format!("[Unreleased]: {{base}}/compare/{newest}...HEAD"),
                    ));
                }
            }
            _ => {}
        }
    }
    if missing.is_empty() {
        return Ok(text.to_string());
    }
    let base = repository_in(&cl)
        .or(repo_url.map(|u| u.trim_end_matches('/')))
        .ok_or_else(|| {
            anyhow!(
                "{path}:{}: no link points at `…/compare/…` or `…/releases/tag/…`, so the repository URL is unknown: set `repository` in the package's Cargo.toml",
                cl.links[0].line + 1
            )
        })?;
    Ok(insert(text, &cl, style.newest_first, missing, base))
}

/// `text` with the release dates the tags prove: a section without a date
/// (in a file that dates its sections) gets its tag's day, and a section
/// whose date is out of order and differs from its tag's gets the tag's.
pub fn fix_dates(
    path: &str,
    text: &str,
    tag_dates: &[(Version, NaiveDate)],
    series: &Series,
) -> Result<String> {
    let cl = parse_in(path, text, series)?;
    let style = detect(text, &cl);
    let tag_date = |v: &Version| tag_dates.iter().find(|(t, _)| same(t, v)).map(|(_, d)| *d);
    let wrong: Vec<usize> = date_order(&cl, style.newest_first, tag_dates)
        .into_iter()
        .map(|(line, _)| line)
        .collect();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for section in &cl.sections {
        let SectionKind::Release {
            version,
            date,
            yanked,
            ..
        } = &section.kind
        else {
            continue;
        };
        let Some(tagged) = tag_date(version) else {
            continue;
        };
        let start = cl.offset(section.line);
        let heading = cl.heading(section);
        match date {
            Some(date) if *date != tagged && wrong.contains(&section.line) => {
                let old = date.format("%Y-%m-%d").to_string();
                if let Some(at) = heading.rfind(&old) {
                    edits.push((
                        start + at..start + at + old.len(),
                        tagged.format("%Y-%m-%d").to_string(),
                    ));
                }
            }
            None if style.dated && yanked.is_none() => {
                let new = if style.paren_date {
                    format!(" ({tagged})")
                } else {
                    format!(" - {tagged}")
                };
                let end = start + heading.trim_end().len();
                edits.push((end..end, new));
            }
            _ => {}
        }
    }
    let mut out = text.to_string();
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, new) in edits {
        out.replace_range(range, &new);
    }
    Ok(out)
}

/// The compare URL from the next lower tag, or the release page of the first.
fn url(tags: &[(Version, String)], version: &Version, tag: &str, release_links: bool) -> String {
    let lower = tags.iter().rev().find(|(v, _)| v < version);
    match lower {
        Some((_, prev)) if !release_links => format!("/compare/{prev}...{tag}"),
        _ => format!("/releases/tag/{tag}"),
    }
}

/// Each new definition next to its neighbours: `[Unreleased]` first (last
/// when the file runs oldest first), versions in the order of the file.
pub(super) fn insert(
    text: &str,
    cl: &Changelog,
    newest_first: bool,
    missing: Vec<(Option<Version>, String)>,
    base: &str,
) -> String {
    let eol = cl.eol;
    // The existing definitions, as (key, line): Unreleased sorts above every version.
    let key = |v: Option<&Version>| v.cloned();
    let existing: Vec<(Option<Version>, usize)> = cl
        .links
        .iter()
        .filter_map(|l| {
            if l.label.eq_ignore_ascii_case("unreleased") {
                Some((None, l.line))
            } else {
                Some((Some(parse_any(l.label).ok()?), l.line))
            }
        })
        .collect();
    // Newer first: None (Unreleased) is the newest of all.
    let newer = |a: &Option<Version>, b: &Option<Version>| match (a, b) {
        (None, None) => false,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => a > b,
    };
    let mut inserts: Vec<(usize, Option<Version>, String)> = Vec::new();
    for (version, line) in missing {
        let line = line.replace("{base}", base);
        // Before the first existing definition that comes after it in the file's order.
        let after_it = |other: &Option<Version>| {
            if newest_first {
                newer(&key(version.as_ref()), other)
            } else {
                newer(other, &key(version.as_ref()))
            }
        };
        let at = match existing.iter().find(|(v, _)| after_it(v)) {
            Some((_, l)) => cl.offset(*l),
            None => {
                let last = existing
                    .last()
                    .map_or(cl.links[cl.links.len() - 1].line, |(_, l)| *l);
                cl.offset(last + 1)
            }
        };
        inserts.push((at, version, line));
    }
    // Same place: in the file's order; then applied from the end.
    inserts.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            let order = if newer(&a.1, &b.1) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            };
            if newest_first { order } else { order.reverse() }
        })
    });
    let mut out = String::with_capacity(text.len() + inserts.len() * 60);
    let mut from = 0;
    for (at, _, line) in inserts {
        out.push_str(&text[from..at]);
        if at == text.len() && !text.ends_with('\n') {
            out.push_str(eol);
            out.push_str(&line);
        } else {
            out.push_str(&line);
            out.push_str(eol);
        }
        from = at;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{CRATE, V_BRACKETED};
    use super::*;

    fn tags(template: &str, versions: &[&str]) -> Vec<(Version, String)> {
        versions
            .iter()
            .map(|v| (parse_any(v).unwrap(), template.replace("{version}", v)))
            .collect()
    }

    #[test]
    fn adds_what_the_tags_allow() {
        let out = fix_links(
            "C.md",
            CRATE,
            &tags("v{version}", &["0.1.0", "0.6.26"]),
            None,
            &Series::default(),
        )
        .unwrap();
        assert_eq!(
            out,
            CRATE.replace(
                "[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n",
                "[Unreleased]: https://github.com/o/r/compare/v0.6.26...HEAD\n[0.6.26]: https://github.com/o/r/compare/v0.1.0...v0.6.26\n[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n"
            )
        );
        // Untagged versions are left alone; v labels keep their spelling.
        let out = fix_links(
            "C.md",
            V_BRACKETED,
            &tags("v{version}", &["0.1.0", "0.6.26"]),
            None,
            &Series::default(),
        )
        .unwrap();
        assert!(
            out.ends_with("[Unreleased]: https://github.com/o/r/compare/v0.6.26...HEAD\n[v0.6.26]: https://github.com/o/r/compare/v0.1.0...v0.6.26\n[v0.1.0]: https://github.com/o/r/releases/tag/v0.1.0\n"),
            "{out}"
        );
        // Nothing missing, or no definitions at all: unchanged.
        for text in [out.as_str(), "## [1.0.0] - 2024-01-01\n"] {
            assert_eq!(
                fix_links(
                    "C.md",
                    text,
                    &tags("v{version}", &["0.1.0", "0.6.26", "1.0.0"]),
                    None,
                    &Series::default()
                )
                .unwrap(),
                text
            );
        }
    }

    #[test]
    fn dates_from_the_tags() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let v = |s: &str| parse_any(s).unwrap();
        let text = "## [1.3.0] - 2026-03-01\n\n## [1.2.0] - 2026-03-20\n\n## [1.1.0]\n\n## [1.0.5] [YANKED]\n\n## [1.0.0] - 2026-01-01\n";
        let tags = [
            (v("1.3.0"), day(3, 2)),
            (v("1.2.0"), day(2, 20)),
            (v("1.1.0"), day(2, 1)),
            (v("1.0.5"), day(1, 20)),
            (v("1.0.0"), day(1, 3)),
        ];
        // 1.2.0 is out of order and its tag says when it was made; 1.3.0
        // and 1.0.0 differ from their tags but are in order: left alone.
        assert_eq!(
            fix_dates("C.md", text, &tags, &Series::default()).unwrap(),
            "## [1.3.0] - 2026-03-01\n\n## [1.2.0] - 2026-02-20\n\n## [1.1.0] - 2026-02-01\n\n## [1.0.5] [YANKED]\n\n## [1.0.0] - 2026-01-01\n"
        );
        let knope = "## 1.1.0\n\n## 1.0.0 (2026-01-01)\n";
        assert_eq!(
            fix_dates("C.md", knope, &tags, &Series::default()).unwrap(),
            "## 1.1.0 (2026-02-01)\n\n## 1.0.0 (2026-01-01)\n"
        );
        // A file that never dates its sections is not dated by --fix.
        let undated = "## v1.1.0\n\n## v1.0.0\n";
        assert_eq!(
            fix_dates("C.md", undated, &tags, &Series::default()).unwrap(),
            undated
        );
    }

    #[test]
    fn oldest_first_and_no_final_newline() {
        let text = "## [0.1.0] - 2024-01-01\n\n## [0.2.0] - 2024-02-01\n\n## [0.3.0] - 2024-03-01\n\n## [Unreleased]\n\n[0.1.0]: https://g/o/r/releases/tag/0.1.0";
        let out = fix_links(
            "C.md",
            text,
            &tags("{version}", &["0.1.0", "0.2.0", "0.3.0"]),
            None,
            &Series::default(),
        )
        .unwrap();
        assert!(
            out.ends_with("[0.1.0]: https://g/o/r/releases/tag/0.1.0\n[0.2.0]: https://g/o/r/compare/0.1.0...0.2.0\n[0.3.0]: https://g/o/r/compare/0.2.0...0.3.0\n[Unreleased]: https://g/o/r/compare/0.3.0...HEAD"),
            "{out}"
        );
    }
}

#[cfg(test)]
mod robustness {
    use super::super::fixtures::DIALECTS;
    use super::super::lint::{LintContext, lint};
    use super::super::notes::notes;
    use super::super::parse::parse;
    use super::super::promote::promote;
    use super::super::promotion::Promote;
    use super::*;

    /// Every prefix of every dialect, and every dialect with one line
    /// dropped or its line endings made CRLF: no function panics, whatever
    /// the user's file holds.
    #[test]
    fn no_panic_on_any_cut_of_any_dialect() {
        let version = Version::new(9, 0, 0);
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let tags = [(Version::new(0, 2, 0), "v0.2.0".to_string())];
        let dates = [(Version::new(0, 2, 0), day)];
        let ctx = LintContext {
            today: day,
            tags: vec![Version::new(0, 2, 0)],
            tag_dates: dates.to_vec(),
            ..LintContext::default()
        };
        let mut inputs: Vec<String> = Vec::new();
        for (_, text) in DIALECTS {
            inputs.extend(
                (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .map(|i| text[..i].to_string()),
            );
            let lines: Vec<&str> = text.lines().collect();
            for skip in 0..lines.len() {
                let mut kept = lines.clone();
                kept.remove(skip);
                inputs.push(kept.join("\n"));
            }
            inputs.push(text.replace('\n', "\r\n"));
        }
        for text in &inputs {
            let _ = lint("C.md", text, &ctx);
            let _ = notes("C.md", text, "0.2.0", &Series::default());
            let _ = fix_links(
                "C.md",
                text,
                &tags,
                Some("https://g/o/r"),
                &Series::default(),
            );
            let _ = fix_dates("C.md", text, &dates, &Series::default());
            for allow_empty in [false, true] {
                let out = promote(
                    "C.md",
                    text,
                    &Promote {
                        series: &Default::default(),
                        previous_tag: None,
                        version: &version,
                        display: "9.0.0",
                        date: day,
                        tag_template: "v{version}",
                        repo_url: None,
                        allow_empty,
                        generated: Some("### Fixed\n\n- x (#1)\n"),
                    },
                );
                // What promote writes, it reads back.
                if let Ok(out) = out {
                    let cl = parse("C.md", &out).unwrap_or_else(|e| panic!("{e}\n{out}"));
                    assert!(cl.release(&version).is_some(), "{out}");
                }
            }
        }
    }
}
