//! The body of a new release section (pure): the hand-written entries of
//! `[Unreleased]` without its empty groups, merged with the drafted ones.

use std::ops::Range;

use super::lines::Lines;

/// The hand-written lines of a section body: empty `###` groups dropped,
/// no blank lines at either end.
pub(super) fn entries(body: &str) -> Vec<&str> {
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

/// The hand-written lines, then the drafted ones; a drafted `###` group
/// whose title the hand-written text already has is merged into it rather
/// than repeated.
pub(super) fn merge(written: &[&str], generated: &[String]) -> Vec<String> {
    let mut out: Vec<String> = written.iter().map(|l| l.to_string()).collect();
    let mut keep = vec![true; generated.len()];
    for (title, range) in groups(generated) {
        let Some(end) = groups(&out)
            .into_iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(&title))
            .map(|(_, r)| r.end)
        else {
            continue;
        };
        let entries = trim_blank(
            generated[range.start + 1..range.end]
                .iter()
                .map(String::as_str)
                .collect(),
        );
        // After the group's last line, before the blank lines that end it.
        let at = (range_start_of_blanks(&out, end)).max(1);
        let new: Vec<String> = entries.iter().map(|l| l.to_string()).collect();
        out.splice(at..at, new);
        keep[range].iter_mut().for_each(|k| *k = false);
    }
    let mut rest: Vec<&str> = Vec::new();
    for (line, kept) in generated.iter().zip(keep) {
        let blank = line.trim().is_empty();
        // A removed group leaves no double blank line behind.
        if kept && !(blank && rest.last().is_some_and(|l| l.trim().is_empty())) {
            rest.push(line);
        }
    }
    let rest = trim_blank(rest);
    if !rest.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(rest.iter().map(|l| l.to_string()));
    }
    out
}

/// `lines` with a list entry that repeats one above it in the same `###`
/// group left out: a train's sections often carry the same fix twice.
pub(super) fn once_each(lines: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    // Inside an entry left out: its indented continuation lines go too.
    let mut skipping = false;
    for line in lines {
        let trimmed = line.trim();
        if skipping && line.starts_with([' ', '\t']) && !trimmed.is_empty() {
            continue;
        }
        skipping = false;
        if trimmed.starts_with("### ") {
            seen.clear();
        } else if trimmed.starts_with(['-', '*']) {
            if seen.iter().any(|s| s == trimmed) {
                skipping = true;
                continue;
            }
            seen.push(trimmed.to_string());
        }
        out.push(line);
    }
    out
}

/// Where the blank lines ending `lines[..end]` start.
fn range_start_of_blanks(lines: &[String], end: usize) -> usize {
    let mut at = end;
    while at > 0 && lines[at - 1].trim().is_empty() {
        at -= 1;
    }
    at
}

/// Each `###` group outside code: its title and its lines (heading included).
fn groups<S: AsRef<str>>(lines: &[S]) -> Vec<(String, Range<usize>)> {
    let text: String = lines.iter().map(|l| format!("{}\n", l.as_ref())).collect();
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    for line in Lines::new(&text) {
        if line.is_group() {
            if let Some(last) = out.last_mut() {
                last.1.end = line.index;
            }
            let title = line.text.trim_start_matches('#').trim().to_string();
            out.push((title, line.index..lines.len()));
        } else if line.is_heading()
            && let Some(last) = out.last_mut()
        {
            last.1.end = line.index;
        }
    }
    out
}

pub(super) fn trimmed_lines(text: &str) -> Vec<&str> {
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
    use super::*;

    #[test]
    fn empty_groups_and_outer_blank_lines_are_dropped() {
        let body = "\n### Added\n\n### Fixed\n\n- a fix\n\n### Removed\n\n";
        assert_eq!(entries(body), ["### Fixed", "", "- a fix"]);
        assert_eq!(entries("\n\n"), Vec::<&str>::new());
    }

    #[test]
    fn drafted_groups_join_the_written_group_of_the_same_title() {
        let written = ["### Fixed", "", "- by hand"];
        let generated: Vec<String> = ["### fixed", "", "- drafted", "", "### Added", "", "- new"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            merge(&written, &generated),
            [
                "### Fixed",
                "",
                "- by hand",
                "- drafted",
                "",
                "### Added",
                "",
                "- new"
            ]
        );
        assert_eq!(merge(&[], &generated[4..]), ["### Added", "", "- new"]);
    }
}
