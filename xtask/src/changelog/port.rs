//! `changelog port`: a release section written on another branch (a release
//! branch's rc or maintenance release) brought into this branch's
//! changelog, so the main line lists every release. Pure: both texts in,
//! the new text out.
//!
//! The section goes where its release belongs among the others: by date
//! when both sections have one (then by version), else by version, in the
//! file's own order (newest first or oldest first). Its link definition
//! comes along when the file keeps definitions. Entries of `[Unreleased]`
//! the section lists, word for word, were released by it and leave
//! `[Unreleased]`, with a group they leave empty: the next release of this
//! branch does not list them again.

use std::cmp::Ordering;

use anyhow::{Result, bail};
use semver::Version;

use super::model::{Changelog, Section, SectionKind, Series};
use super::parse::parse_in;
use super::style::detect;
use crate::text::version::order;

/// What porting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ported {
    /// The new text, and how many `[Unreleased]` entries it released.
    Written { text: String, released: usize },
    /// The file has a section for the version already (its 0-based line).
    Present(usize),
}

/// `target` (this branch's `path`) with the section of `version` from
/// `source` (the file on the other branch, named `source_path` in messages).
pub fn port(
    (path, target): (&str, &str),
    (source_path, source): (&str, &str),
    version: &Version,
    series: &Series,
) -> Result<Ported> {
    let from = parse_in(source_path, source, series)?;
    let Some(section) = from.release(version) else {
        bail!("{source_path} has no section for {version}: nothing to port; name a version it has");
    };
    let cl = parse_in(path, target, series)?;
    if let Some(present) = cl.release(version) {
        return Ok(Ported::Present(present.line));
    }
    let eol = cl.eol;
    let lines: Vec<&str> = source.lines().collect();
    let mut block: Vec<String> = lines[section.line..section.body.end]
        .iter()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    while block.last().is_some_and(|l| l.trim().is_empty()) {
        block.pop();
    }
    let items = entries(&block);
    let mut out: Vec<String> = target
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    let at = place(&cl, target, section);
    // One blank line on each side, as between any two sections.
    let mut inserted = Vec::new();
    if at > 0 && !out[at - 1].trim().is_empty() {
        inserted.push(String::new());
    }
    inserted.extend(block);
    if out.get(at).is_some_and(|l| !l.trim().is_empty()) {
        inserted.push(String::new());
    }
    let added = inserted.len();
    out.splice(at..at, inserted);
    let released = without_released(&mut out, &cl, (at, added), &items);
    let mut text = out.join(eol);
    if target.ends_with('\n') || target.is_empty() {
        text.push_str(eol);
    }
    let text = with_definition(path, &text, &from, section, series)?;
    Ok(Ported::Written { text, released })
}

/// The line the section goes before: the first release section it is
/// newer than (newest first), or older than (oldest first); else after the
/// last release section, or after `[Unreleased]`, or at the top of the
/// trailing link definitions.
fn place(cl: &Changelog, target: &str, new: &Section) -> usize {
    let newest_first = detect(target, cl).newest_first;
    let releases: Vec<&Section> = cl
        .sections
        .iter()
        .filter(|s| s.version().is_some())
        .collect();
    let goes_before = |s: &&&Section| match newest_first {
        true => newer(new, s) == Ordering::Greater,
        false => newer(new, s) == Ordering::Less,
    };
    if let Some(s) = releases.iter().find(goes_before) {
        return s.line;
    }
    let last = releases.last().copied().or_else(|| cl.unreleased());
    match last {
        Some(s) => body_end(cl, target, s),
        None => cl.links_start.min(cl.line_count),
    }
}

/// The end of `s`'s body without its trailing blank lines.
fn body_end(cl: &Changelog, target: &str, s: &Section) -> usize {
    let lines: Vec<&str> = target.lines().collect();
    let mut end = s.body.end.min(cl.line_count);
    while end > s.line + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    end
}

/// How two release sections' releases compare in time: by date when both
/// have one, then by version.
fn newer(a: &Section, b: &Section) -> Ordering {
    let date = |s: &Section| match &s.kind {
        SectionKind::Release { date, .. } => *date,
        _ => None,
    };
    let by_date = match (date(a), date(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => Ordering::Equal,
    };
    match (a.version(), b.version()) {
        (Some(x), Some(y)) => by_date.then_with(|| order(x, y)),
        _ => by_date,
    }
}

/// The list entries of a section's lines: each item's first line, its
/// marker dropped (`- text` and `* text` are one entry).
fn entries(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| item(l))
        .map(str::to_string)
        .collect()
}

/// The text of a top-level list item's first line, if `line` is one.
fn item(line: &str) -> Option<&str> {
    line.strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .map(str::trim_end)
}

/// Removes from `[Unreleased]` (its lines in `out`, below which `added`
/// lines were inserted at `at`) each entry `released` lists, with its
/// continuation lines, and a `###` group left without entries; returns how
/// many entries it removed.
fn without_released(
    out: &mut Vec<String>,
    cl: &Changelog,
    (at, added): (usize, usize),
    released: &[String],
) -> usize {
    let Some(unreleased) = cl.unreleased() else {
        return 0;
    };
    let start = unreleased.body.start
        + if unreleased.body.start >= at {
            added
        } else {
            0
        };
    let end = unreleased.body.end + if unreleased.body.end > at { added } else { 0 };
    let end = end.min(out.len());
    let mut keep: Vec<String> = Vec::new();
    let mut removed = 0;
    let mut dropping = false;
    for line in &out[start..end] {
        if let Some(text) = item(line) {
            dropping = released.iter().any(|r| r == text);
            removed += usize::from(dropping);
        } else if !line.starts_with([' ', '\t']) || line.trim().is_empty() {
            dropping = false;
        }
        if !dropping {
            keep.push(line.clone());
        }
    }
    if removed == 0 {
        return 0;
    }
    let keep = without_empty_groups(keep);
    out.splice(start..end, keep);
    removed
}

/// `lines` without a `###` heading (or bold label) whose group holds no
/// entry any more, and without runs of blank lines left behind.
fn without_empty_groups(lines: Vec<String>) -> Vec<String> {
    let is_group =
        |l: &str| l.starts_with("### ") || (l.starts_with("**") && l.trim_end().ends_with(":**"));
    let mut out: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if is_group(line) {
            let rest = &lines[i + 1..];
            let next = rest.iter().position(|l| is_group(l)).unwrap_or(rest.len());
            if rest[..next].iter().all(|l| l.trim().is_empty()) {
                continue;
            }
        }
        let blank = line.trim().is_empty();
        if blank && out.last().is_some_and(|l| l.trim().is_empty()) {
            continue;
        }
        out.push(line.clone());
    }
    out
}

/// `text` with the link definition of the ported section, when the source
/// has one and the file keeps definitions but lacks it, among the others
/// in the file's order.
fn with_definition(
    path: &str,
    text: &str,
    from: &Changelog,
    section: &Section,
    series: &Series,
) -> Result<String> {
    let label = section.name();
    let Some(def) = from.link(label) else {
        return Ok(text.to_string());
    };
    let cl = parse_in(path, text, series)?;
    if cl.links.is_empty() || cl.link(label).is_some() {
        return Ok(text.to_string());
    }
    let line = format!("[{}]: {}", def.label, def.url);
    let newest_first = detect(text, &cl).newest_first;
    let missing = vec![(section.version().cloned(), line)];
    Ok(super::fix::insert(text, &cl, newest_first, missing, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    const MAIN: &str = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- `Store::compact`.\n- Async handles.\n\n### Fixed\n\n- The GIL is released while counting slots.\n\n## [0.7.0] - 2026-01-05\n\n### Added\n\n- Python binding.\n\n[Unreleased]: https://github.com/example/safebind/compare/v0.7.0...HEAD\n[0.7.0]: https://github.com/example/safebind/releases/tag/v0.7.0\n";

    const BRANCH: &str = "# Changelog\n\n## [Unreleased]\n\n## [0.8.0-rc.0] - 2026-02-10\n\n### Added\n\n- `Store::compact`.\n\n### Fixed\n\n- The GIL is released while counting slots.\n\n## [0.7.1] - 2026-01-20\n\n### Fixed\n\n- A leak in `Store::drop`.\n\n## [0.7.0] - 2026-01-05\n\n### Added\n\n- Python binding.\n\n[Unreleased]: https://github.com/example/safebind/compare/v0.8.0-rc.0...HEAD\n[0.8.0-rc.0]: https://github.com/example/safebind/compare/v0.7.1...v0.8.0-rc.0\n[0.7.1]: https://github.com/example/safebind/compare/v0.7.0...v0.7.1\n[0.7.0]: https://github.com/example/safebind/releases/tag/v0.7.0\n";

    fn ported(target: &str, version: &str) -> (String, usize) {
        match port(
            ("CHANGELOG.md", target),
            ("release:CHANGELOG.md", BRANCH),
            &v(version),
            &Series::default(),
        )
        .unwrap()
        {
            Ported::Written { text, released } => (text, released),
            Ported::Present(line) => panic!("present at {line}"),
        }
    }

    #[test]
    fn a_section_lands_by_date_with_its_definition_and_takes_its_entries_from_unreleased() {
        let (text, released) = ported(MAIN, "0.8.0-rc.0");
        assert_eq!(released, 2);
        assert_eq!(
            text,
            "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Async handles.\n\n## [0.8.0-rc.0] - 2026-02-10\n\n### Added\n\n- `Store::compact`.\n\n### Fixed\n\n- The GIL is released while counting slots.\n\n## [0.7.0] - 2026-01-05\n\n### Added\n\n- Python binding.\n\n[Unreleased]: https://github.com/example/safebind/compare/v0.7.0...HEAD\n[0.8.0-rc.0]: https://github.com/example/safebind/compare/v0.7.1...v0.8.0-rc.0\n[0.7.0]: https://github.com/example/safebind/releases/tag/v0.7.0\n"
        );
        // A maintenance release goes between its neighbours, by date.
        let (text, released) = ported(&text, "0.7.1");
        assert_eq!(released, 0);
        let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(
            headings,
            [
                "## [Unreleased]",
                "## [0.8.0-rc.0] - 2026-02-10",
                "## [0.7.1] - 2026-01-20",
                "## [0.7.0] - 2026-01-05"
            ]
        );
        assert!(text.contains("[0.8.0-rc.0]: https://github.com/example/safebind/compare/v0.7.1...v0.8.0-rc.0\n[0.7.1]: https://github.com/example/safebind/compare/v0.7.0...v0.7.1\n[0.7.0]:"), "{text}");
    }

    #[test]
    fn present_or_missing_sections_are_said() {
        let once = ported(MAIN, "0.7.1").0;
        let again = port(
            ("CHANGELOG.md", &once),
            ("b", BRANCH),
            &v("0.7.1"),
            &Series::default(),
        )
        .unwrap();
        let line = once
            .lines()
            .position(|l| l.starts_with("## [0.7.1]"))
            .unwrap();
        assert_eq!(again, Ported::Present(line));
        let err = port(
            ("CHANGELOG.md", MAIN),
            ("release:CHANGELOG.md", BRANCH),
            &v("0.9.0"),
            &Series::default(),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "release:CHANGELOG.md has no section for 0.9.0: nothing to port; name a version it has"
        );
    }

    #[test]
    fn an_oldest_first_crlf_file_keeps_its_order_and_line_endings() {
        let target = "# Changes\r\n\r\n## 0.6.0 - 2025-12-01\r\n\r\n- Old.\r\n\r\n## 0.7.0 - 2026-01-05\r\n\r\n- Binding.\r\n\r\n## Unreleased\r\n\r\n- Next.\r\n";
        let (text, _) = ported(target, "0.7.1");
        assert_eq!(
            text,
            "# Changes\r\n\r\n## 0.6.0 - 2025-12-01\r\n\r\n- Old.\r\n\r\n## 0.7.0 - 2026-01-05\r\n\r\n- Binding.\r\n\r\n## [0.7.1] - 2026-01-20\r\n\r\n### Fixed\r\n\r\n- A leak in `Store::drop`.\r\n\r\n## Unreleased\r\n\r\n- Next.\r\n"
        );
    }
}
