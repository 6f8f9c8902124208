//! A towncrier news fragment's name (pure): `123.feature.md`,
//! `124.bugfix`, `125.removal.1.md` (a counter), `+tidy.misc.md` (an
//! orphan, no issue). The issue before the type becomes a link, as drafted
//! notes link a pull request; the type gives the group and level.

use super::change_kind::{FRAGMENT_TYPES, Kind};

/// A fragment's name, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentName {
    /// The issue or pull request number, when the name starts with one.
    pub issue: Option<u64>,
    pub kind: Kind,
}

/// Reads a fragment's file name (no folder); why not, with the fix.
pub fn parse_fragment(name: &str) -> Result<FragmentName, String> {
    let stem = match name.rsplit_once('.') {
        Some((stem, "md")) => stem,
        Some((_, ext))
            if !ext.chars().all(|c| c.is_ascii_digit()) && Kind::fragment(ext).is_none() =>
        {
            return Err(format!(
                "`{name}` ends in `.{ext}`: fragments are Markdown: rename it to end in `.md` (or drop the extension)"
            ));
        }
        _ => name,
    };
    let parts: Vec<&str> = stem.split('.').collect();
    // `ISSUE.TYPE` or `ISSUE.TYPE.COUNTER`.
    let typed = match parts.as_slice() {
        [.., kind, counter] if counter.chars().all(|c| c.is_ascii_digit()) && parts.len() >= 3 => {
            Some((parts.len() - 2, *kind))
        }
        [.., kind] if parts.len() >= 2 => Some((parts.len() - 1, *kind)),
        _ => None,
    };
    let Some((at, word)) = typed else {
        return Err(format!(
            "`{name}` is no news fragment: name it ISSUE.TYPE.md, e.g. `123.feature.md` (TYPE: {})",
            FRAGMENT_TYPES.join(", ")
        ));
    };
    let Some(kind) = Kind::fragment(word) else {
        return Err(format!(
            "`{name}`: `{word}` is no fragment type: use one of {}",
            FRAGMENT_TYPES.join(", ")
        ));
    };
    let issue_text = parts[..at].join(".");
    if issue_text.is_empty() {
        return Err(format!(
            "`{name}` names no issue: start it with the issue or pull request number (`123.{word}.md`), or `+` for none (`+tidy.{word}.md`)"
        ));
    }
    // `+…` is towncrier's orphan: no issue, whatever follows.
    let digits = issue_text.chars().all(|c| c.is_ascii_digit());
    let issue = digits.then(|| issue_text.parse::<u64>().ok()).flatten();
    Ok(FragmentName { issue, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn towncrier_names() {
        let cases = [
            ("123.feature.md", Some(123), "feature"),
            ("124.bugfix", Some(124), "bugfix"),
            ("125.removal.1.md", Some(125), "removal"),
            ("126.doc.md", Some(126), "doc"),
            ("127.misc", Some(127), "misc"),
            ("+tidy.misc.md", None, "misc"),
            ("+123.misc.md", None, "misc"),
            ("fix-1.2.3.feature.md", None, "feature"),
            ("9.security.2", Some(9), "security"),
        ];
        for (name, issue, word) in cases {
            let got = parse_fragment(name).unwrap();
            assert_eq!((got.issue, got.kind.word.as_str()), (issue, word), "{name}");
        }
    }

    #[test]
    fn what_is_no_fragment_says_how_to_name_it() {
        let cases = [
            (
                "123.feature.rst",
                "`123.feature.rst` ends in `.rst`: fragments are Markdown: rename it to end in `.md` (or drop the extension)",
            ),
            (
                "notes.md",
                "`notes.md` is no news fragment: name it ISSUE.TYPE.md, e.g. `123.feature.md` (TYPE: feature, bugfix, doc, removal, misc, deprecation, security, added, changed, deprecated, removed, fixed, breaking)",
            ),
            (
                "123.feat.md",
                "`123.feat.md`: `feat` is no fragment type: use one of feature, bugfix, doc, removal, misc, deprecation, security, added, changed, deprecated, removed, fixed, breaking",
            ),
            (
                ".feature.md",
                "`.feature.md` names no issue: start it with the issue or pull request number (`123.feature.md`), or `+` for none (`+tidy.feature.md`)",
            ),
        ];
        for (name, want) in cases {
            assert_eq!(parse_fragment(name).unwrap_err(), want, "{name}");
        }
    }
}
