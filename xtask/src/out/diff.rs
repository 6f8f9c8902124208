//! Unified diffs of whole files, for plans and `--dry-run` (pure).

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

    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
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
            range(a0, a1 - a0),
            range(b0, b1 - b0)
        ));
        for k in from..to {
            let (i, j) = pos[k];
            let (sign, line) = match ops[k] {
                Op::Keep => (' ', a[i]),
                Op::Delete => ('-', a[i]),
                Op::Insert => ('+', b[j]),
            };
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
        start = end + 1;
    }
    out
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

    #[test]
    fn crlf_lines_print_without_the_carriage_return() {
        assert_eq!(
            unified("f", "a\r\n", "b\r\n", 0),
            "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"
        );
    }
}
