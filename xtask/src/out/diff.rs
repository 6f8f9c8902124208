//! Unified diffs of whole files, for plans and `--dry-run` (pure).

use std::ops::Range;

/// One line-level edit operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Keep,
    Delete,
    Insert,
}

/// Myers' O((N+M)·D) shortest edit script over lines; our edits change a few
/// lines of files that may be long (a lock file, a 5 MB changelog).
fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'outer: for d in 0..=max as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                trace.push(v.clone());
                break 'outer;
            }
            k += 2;
        }
    }
    // Walk back from the end through the saved frontiers.
    let mut ops = Vec::with_capacity(max);
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() as isize - 1).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let idx = (k + offset) as usize;
        let prev_k = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + offset) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Keep);
            x -= 1;
            y -= 1;
        }
        ops.push(if x == prev_x { Op::Insert } else { Op::Delete });
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        ops.push(Op::Keep);
        x -= 1;
        y -= 1;
    }
    ops.reverse();
    ops
}

/// A unified diff (`--- a/path`, `+++ b/path`, hunks with `context` lines),
/// or an empty string when the texts are equal.
pub fn unified(path: &str, before: &str, after: &str, context: usize) -> String {
    if before == after {
        return String::new();
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    hunks(&mut out, (before, after), context, (0, 0));
    out
}

/// The unified diff of `before` and `before` with `splices` (byte ranges
/// replaced, in order, not overlapping): only the lines around each splice
/// are compared, so a 50 MB file with a few changed lines costs those
/// lines, not two copies of it and a search through all its lines. The same
/// diff as `unified`'s: a window too narrow to show a change with its
/// context (an insertion into a run of equal lines) is widened.
pub fn unified_spliced(
    path: &str,
    before: &str,
    splices: &[(Range<usize>, String)],
    context: usize,
) -> String {
    let mut margin = 2 * context;
    let out = loop {
        match windows(before, splices, context, margin) {
            Some(out) => break out,
            None => margin = 2 * margin + 1,
        }
    };
    if out.is_empty() {
        return out;
    }
    format!("--- a/{path}\n+++ b/{path}\n{out}")
}

/// The hunks of each window of `margin` lines around the splices (those
/// closer together share one); `None` when a window's change comes closer
/// than `context` lines to one of its edges inside the file.
fn windows(
    before: &str,
    splices: &[(Range<usize>, String)],
    context: usize,
    margin: usize,
) -> Option<String> {
    let mut out = String::new();
    // Lines of `before` up to `counted`, and lines the splices so far added.
    let (mut lines, mut counted, mut added) = (0usize, 0usize, 0isize);
    let mut i = 0;
    while i < splices.len() {
        let start = lines_back(before, splices[i].0.start, margin);
        let mut end = lines_forward(before, splices[i].0.end, margin);
        let mut j = i + 1;
        while j < splices.len() && lines_back(before, splices[j].0.start, margin) <= end {
            end = lines_forward(before, splices[j].0.end, margin);
            j += 1;
        }
        let window = &splices[i..j];
        let mut after = String::new();
        let mut at = start;
        for (range, new) in window {
            after.push_str(&before[at..range.start]);
            after.push_str(new);
            at = range.end;
        }
        after.push_str(&before[at..end]);
        lines += newlines(&before[counted..start]);
        counted = start;
        let first = (lines, lines.saturating_add_signed(added));
        let (equal_above, equal_below) =
            hunks(&mut out, (&before[start..end], &after), context, first);
        if (start > 0 && equal_above < context) || (end < before.len() && equal_below < context) {
            return None;
        }
        for (range, new) in window {
            added += newlines(new) as isize - newlines(&before[range.clone()]) as isize;
        }
        i = j;
    }
    Some(out)
}

/// The number of `\n` in `text` (`str::matches` finds them with memchr,
/// fast in a debug build too).
fn newlines(text: &str) -> usize {
    text.matches('\n').count()
}

/// The start of the line `n` lines above the one holding byte `at`.
fn lines_back(text: &str, at: usize, n: usize) -> usize {
    let mut start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    for _ in 0..n {
        if start == 0 {
            break;
        }
        start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    start
}

/// The end (after its `\n`) of the line `n` lines below the one holding byte `at`.
fn lines_forward(text: &str, at: usize, n: usize) -> usize {
    let mut end = at;
    for _ in 0..=n {
        match text[end..].find('\n') {
            Some(i) => end += i + 1,
            None => return text.len(),
        }
    }
    end
}

/// The hunks of `before` → `after`, their line numbers counted from
/// `first` (the lines above the texts in each file), appended to `out`;
/// the lines the two share above and below their changes.
fn hunks(
    out: &mut String,
    (before, after): (&str, &str),
    context: usize,
    first: (usize, usize),
) -> (usize, usize) {
    if before == after {
        return (usize::MAX, usize::MAX);
    }
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    // Trim the common prefix and suffix first: the search is then over the changed middle only.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut ops = vec![Op::Keep; prefix];
    ops.extend(script(
        &a[prefix..a.len() - suffix],
        &b[prefix..b.len() - suffix],
    ));
    ops.extend(std::iter::repeat_n(Op::Keep, suffix));

    // Positions in a and b before each op.
    let mut pos = Vec::with_capacity(ops.len() + 1);
    let (mut i, mut j) = (0, 0);
    for op in &ops {
        pos.push((i, j));
        match op {
            Op::Keep => (i, j) = (i + 1, j + 1),
            Op::Delete => i += 1,
            Op::Insert => j += 1,
        }
    }
    pos.push((i, j));

    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k] != Op::Keep).collect();
    let mut start = 0;
    while start < changed.len() {
        // Grow the hunk while the next change is within 2 * context keeps.
        let mut end = start;
        while end + 1 < changed.len() && changed[end + 1] - changed[end] <= 2 * context + 1 {
            end += 1;
        }
        let from = changed[start].saturating_sub(context);
        let to = (changed[end] + context + 1).min(ops.len());
        let (a0, b0) = pos[from];
        let (a1, b1) = pos[to];
        let range = |first: usize, len: usize| match len {
            0 => format!("{first},0"),
            1 => format!("{}", first + 1),
            _ => format!("{},{len}", first + 1),
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(first.0 + a0, a1 - a0),
            range(first.1 + b0, b1 - b0)
        ));
        for k in from..to {
            let (i, j) = pos[k];
            match ops[k] {
                Op::Keep => line(out, ' ', a[i]),
                Op::Delete => line(out, '-', a[i]),
                Op::Insert => line(out, '+', b[j]),
            }
        }
        start = end + 1;
    }
    (prefix, suffix)
}

/// One line of a hunk: its sign, the line without its ending.
fn line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(
        line.strip_suffix('\n')
            .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l)),
    );
    out.push('\n');
    if !line.ends_with('\n') {
        out.push_str("\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("f", "a\nb\n", "a\nb\n", 3), "");
    }

    #[test]
    fn one_changed_line_with_context() {
        let before = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let after = "1\n2\n3\n4\nfive\n6\n7\n8\n";
        assert_eq!(
            unified("x.toml", before, after, 3),
            "--- a/x.toml\n+++ b/x.toml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_separate_hunks_and_near_ones_merge() {
        let before: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let swap = |text: &str, from: &str, to: &str| -> String {
            text.lines()
                .map(|l| {
                    if l == from {
                        format!("{to}\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect()
        };
        let after = swap(&swap(&before, "2", "two"), "19", "nineteen");
        let diff = unified("f", &before, &after, 1);
        assert_eq!(
            diff,
            "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -18,3 +18,3 @@\n 18\n-19\n+nineteen\n 20\n"
        );
        let near = swap(&swap(&before, "2", "two"), "4", "four");
        assert_eq!(unified("f", &before, &near, 1).matches("@@ -").count(), 1);
    }

    #[test]
    fn insertions_deletions_and_missing_final_newline() {
        assert_eq!(
            unified("f", "a\nc\n", "a\nb\nc\n", 0),
            "--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+b\n"
        );
        assert_eq!(
            unified("f", "a\nb\nc\n", "a\nc\n", 0),
            "--- a/f\n+++ b/f\n@@ -2 +1,0 @@\n-b\n"
        );
        assert_eq!(
            unified("f", "a", "b", 3),
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
        );
        assert_eq!(
            unified("f", "", "x\n", 3),
            "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n"
        );
    }

    #[test]
    fn the_script_is_minimal_on_reordered_lines() {
        let ops = script(
            &["a", "b", "c", "a", "b", "b", "a"],
            &["c", "b", "a", "b", "a", "c"],
        );
        let edits = ops.iter().filter(|o| **o != Op::Keep).count();
        assert_eq!(
            edits, 5,
            "Myers' example has an edit distance of 5: {ops:?}"
        );
    }

    /// `before` with `splices` applied, as `text::splice::apply` does.
    fn spliced(before: &str, splices: &[(Range<usize>, String)]) -> String {
        let mut out = before.to_string();
        for (range, new) in splices.iter().rev() {
            out.replace_range(range.clone(), new);
        }
        out
    }

    #[test]
    fn a_diff_from_splices_is_the_diff_of_the_whole_files() {
        let long: String = (1..=60).map(|i| format!("line {i}\n")).collect();
        let at = |n: usize| {
            long.match_indices('\n')
                .nth(n - 1)
                .map_or(0, |(i, _)| i + 1)
        };
        let blanks = "a\n\n\n\n\n\n\n\n\n\nb\n";
        type Splices = Vec<(Range<usize>, String)>;
        let cases: Vec<(&str, Splices)> = vec![
            // A section at the top and a link at the bottom, far apart.
            (
                &long,
                vec![
                    (at(3)..at(3), "new\n\n".into()),
                    (at(59)..at(60), "x\n".into()),
                ],
            ),
            // Two changes a few lines apart: one hunk.
            (
                &long,
                vec![
                    (at(10)..at(11), "ten\n".into()),
                    (at(14)..at(14), "+\n".into()),
                ],
            ),
            // At the very start and the very end, without a final newline.
            (
                &long,
                vec![
                    (0..0, "top\n".into()),
                    (long.len()..long.len(), "end".into()),
                ],
            ),
            (&long, vec![(at(30)..at(33), String::new())]),
            ("one\r\ntwo\r\n", vec![(5..8, "2".into())]),
            // An insertion into a run of blank lines.
            (blanks, vec![(3..3, "\n".into())]),
            (&long, vec![(at(5)..at(6), "line 5\n".into())]),
        ];
        for (before, splices) in cases {
            let after = spliced(before, &splices);
            assert_eq!(
                unified_spliced("f", before, &splices, 3),
                unified("f", before, &after, 3),
                "{splices:?}"
            );
        }
    }

    #[test]
    fn crlf_lines_print_without_the_carriage_return() {
        assert_eq!(
            unified("f", "a\r\n", "b\r\n", 0),
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"
        );
    }
}
