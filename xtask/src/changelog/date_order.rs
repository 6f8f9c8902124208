//! Release dates against the order of the sections, across the whole file
//! (pure): which sections are misdated, and what to write instead. `lint`
//! reports them and `lint --fix` rewrites them.

use std::collections::HashMap;

use chrono::NaiveDate;
use semver::Version;

use super::model::{Changelog, Section, SectionKind};
use crate::text::version::canonical;

/// Dates against the order of the sections, across the whole file: the
/// sections outside the longest run of dates in order are the wrong ones
/// (one misdated section is one problem, whatever its neighbours), and a
/// tag's date, where known, says what to write.
pub(super) fn date_order(
    cl: &Changelog,
    newest_first: bool,
    tag_dates: &[(Version, NaiveDate)],
) -> Vec<(usize, String)> {
    let mut dated: Vec<(&Section, NaiveDate)> = cl
        .sections
        .iter()
        .filter_map(|s| match &s.kind {
            SectionKind::Release { date: Some(d), .. } => Some((s, *d)),
            _ => None,
        })
        .collect();
    // Oldest first, dates must not go down.
    if newest_first {
        dated.reverse();
    }
    // Keyed by each version's PEP 440 reading: a tag `v0.23.1rc0` dates `0.23.1-rc0`.
    let tag_date: HashMap<Version, NaiveDate> =
        tag_dates.iter().map(|(v, d)| (canonical(v), *d)).collect();
    // A section dated as its tag is right: keeping it outweighs keeping
    // every section without that proof.
    let proof = dated.len() as u64 + 1;
    let weighted: Vec<(NaiveDate, u64)> = dated
        .iter()
        .map(|(s, d)| {
            let matches = s.version().and_then(|v| tag_date.get(&canonical(v))) == Some(d);
            (*d, if matches { proof } else { 1 })
        })
        .collect();
    let keep = heaviest_non_decreasing(&weighted);
    let mut out = Vec::new();
    for (i, (section, date)) in dated.iter().enumerate() {
        if keep[i] {
            continue;
        }
        let name = section.name();
        let tagged = section
            .version()
            .and_then(|v| tag_date.get(&canonical(v)))
            .copied();
        // The nearest section in order that this one contradicts.
        let older = (0..i).rev().find(|&j| keep[j] && dated[j].1 > *date);
        let newer = (i + 1..dated.len()).find(|&j| keep[j] && dated[j].1 < *date);
        // `older`/`newer` are by position: above or below, by the file's order.
        let (before, after) = if newest_first {
            ("below", "above")
        } else {
            ("above", "below")
        };
        let clash = match (older, newer) {
            (Some(j), _) => format!(
                "earlier than {} {before} it ({})",
                dated[j].0.name(),
                dated[j].1
            ),
            (None, Some(j)) => format!(
                "later than {} {after} it ({})",
                dated[j].0.name(),
                dated[j].1
            ),
            (None, None) => "out of order".to_string(),
        };
        let fix = match tagged {
            Some(t) if t != *date => format!("its tag was made on {t}: write {t}"),
            _ => "fix its date, or move the section to where its version belongs".to_string(),
        };
        out.push((
            section.line,
            format!("{name} is dated {date}, {clash}: {fix}"),
        ));
    }
    out
}

/// Which items belong to one heaviest non-decreasing run of keys (a
/// subsequence): with weights of 1, the longest. A Fenwick tree of prefix
/// maxima over the sorted keys keeps it n log n: a changelog can have
/// thousands of sections.
fn heaviest_non_decreasing<T: Ord + Copy>(items: &[(T, u64)]) -> Vec<bool> {
    use std::cmp::Reverse;
    let mut keys: Vec<T> = items.iter().map(|(k, _)| *k).collect();
    keys.sort();
    keys.dedup();
    // A run's score: its weight, then (on a tie) the lower last key, which
    // leaves the most room after it, as the patience method does.
    type Score = (u64, Reverse<usize>);
    // tree[r]: the best (score, end index) of a run ending at a key of rank <= r.
    let mut tree: Vec<(Score, Option<usize>)> = vec![((0, Reverse(0)), None); keys.len() + 1];
    let mut parent: Vec<Option<usize>> = vec![None; items.len()];
    let mut best: (Score, Option<usize>) = ((0, Reverse(0)), None);
    for (i, (key, weight)) in items.iter().enumerate() {
        let rank = keys.partition_point(|k| k <= key);
        let mut prefix: (Score, Option<usize>) = ((0, Reverse(0)), None);
        let mut at = rank;
        while at > 0 {
            if tree[at].0 > prefix.0 {
                prefix = tree[at];
            }
            at &= at - 1;
        }
        parent[i] = prefix.1;
        let here = ((prefix.0.0 + weight, Reverse(rank)), Some(i));
        let mut at = rank;
        while at < tree.len() {
            if here.0 > tree[at].0 {
                tree[at] = here;
            }
            at += at & at.wrapping_neg();
        }
        if here.0 > best.0 {
            best = here;
        }
    }
    let mut keep = vec![false; items.len()];
    let mut at = best.1;
    while let Some(i) = at {
        keep[i] = true;
        at = parent[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heaviest_runs() {
        type Case<'a> = (&'a [(u32, u64)], &'a [bool]);
        let cases: [Case; 7] = [
            (&[], &[]),
            (&[(1, 1), (2, 1), (3, 1)], &[true, true, true]),
            (
                &[(1, 1), (5, 1), (2, 1), (3, 1)],
                &[true, false, true, true],
            ),
            (
                &[(3, 1), (3, 1), (1, 1), (4, 1)],
                &[true, true, false, true],
            ),
            (&[(9, 1), (1, 1), (2, 1)], &[false, true, true]),
            // Weight decides between runs of the same length, or longer ones.
            (&[(2, 1), (1, 5)], &[false, true]),
            (
                &[(5, 9), (1, 1), (2, 1), (3, 1)],
                &[true, false, false, false],
            ),
        ];
        for (items, want) in cases {
            assert_eq!(heaviest_non_decreasing(items), want, "{items:?}");
        }
    }
}
