//! Byte ranges of a text replaced, without a copy of the text until one is
//! asked for (pure): how a 50 MB changelog's promotion is held (its few
//! changed ranges over the text the model read) and written (one pass).

use std::ops::Range;

/// A byte range of a text and what replaces it.
pub type Splice = (Range<usize>, String);

/// `text` with `splices` (in order, not overlapping) applied, in one
/// allocation of the final size.
pub fn apply(text: &str, splices: &[Splice]) -> String {
    let removed: usize = splices.iter().map(|(r, _)| r.len()).sum();
    let added: usize = splices.iter().map(|(_, t)| t.len()).sum();
    let mut out = String::with_capacity(text.len() - removed + added);
    let mut at = 0;
    for (range, new) in splices {
        out.push_str(&text[at..range.start]);
        out.push_str(new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `splices` change `text` at all.
pub fn changes(text: &str, splices: &[Splice]) -> bool {
    splices
        .iter()
        .any(|(range, new)| text[range.clone()] != *new)
}

/// Edits of ranges of `text` as it was, put in the order `apply` takes: by
/// start, and at one start the last made first, as applying them from the
/// back puts them. Edits that overlap (a malformed file's) are applied from
/// the back, each in place as before, and given as one splice of the whole.
pub fn in_order(text: &str, mut edits: Vec<Splice>) -> Vec<Splice> {
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    edits.reverse();
    if edits.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        let mut out = text.to_string();
        for (range, new) in edits.into_iter().rev() {
            out.replace_range(range, &new);
        }
        return vec![(0..text.len(), out)];
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The way edits were applied before: back to front, each in place.
    fn in_place(text: &str, edits: &[Splice]) -> String {
        let mut edits = edits.to_vec();
        edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        let mut out = text.to_string();
        for (range, new) in edits {
            out.replace_range(range, &new);
        }
        out
    }

    #[test]
    fn splices_apply_in_one_pass_as_in_place_edits_do() {
        let text = "# Changelog\n\n## [Unreleased]\n\n- a\n\n## [1.0.0]\n\n[1.0.0]: x\n";
        let cases: Vec<Vec<Splice>> = vec![
            vec![],
            vec![(13..29, "## [Unreleased]\n\n## [1.1.0]\n".into())],
            // Two insertions at one place, a replacement, an append.
            vec![
                (31..31, "second\n".into()),
                (0..1, "%".into()),
                (31..31, "first\n".into()),
                (text.len()..text.len(), "[1.1.0]: y\n".into()),
            ],
            // Overlapping: a cut file's removal across an insertion point.
            vec![(13..40, String::new()), (20..20, "x".into())],
        ];
        for edits in cases {
            let spliced = apply(text, &in_order(text, edits.clone()));
            assert_eq!(spliced, in_place(text, &edits), "{edits:?}");
            assert_eq!(spliced.capacity(), spliced.len());
            assert_eq!(
                changes(text, &in_order(text, edits.clone())),
                spliced != text
            );
        }
        assert!(!changes(text, &[(2..5, "Cha".into())]));
    }
}
