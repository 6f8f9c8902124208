//! Yanked releases in headings. Keep a Changelog marks one with `[YANKED]`
//! after the date (`## [0.0.5] - 2014-12-13 [YANKED]`); files in the wild
//! also write `YANKED`, `(yanked)` or `[yanked]`, after the date or before
//! it. Every spelling is read; lint asks for the standard one.

use super::model::Yanked;

/// The marker Keep a Changelog writes, last on the heading.
pub const STANDARD: &str = "[YANKED]";

/// The spellings read, compared without case.
const FORMS: [&str; 3] = ["[yanked]", "(yanked)", "yanked"];

/// What follows a heading's label without its yanked marker (trimmed, and
/// without the dash that led to the marker), and how the release is marked.
pub fn split(after: &str) -> (&str, Option<Yanked>) {
    if let Some((rest, marker)) = at_end(after) {
        let trimmed = rest.trim_end();
        let bare = trimmed.trim_end_matches(|c: char| c.is_whitespace() || "-–—".contains(c));
        let standard =
            marker == STANDARD && bare == trimmed && (rest.is_empty() || rest.ends_with(' '));
        let how = if standard {
            Yanked::Standard
        } else {
            Yanked::Other
        };
        return (bare, Some(how));
    }
    match at_start(after) {
        Some(rest) => (rest.trim_start(), Some(Yanked::Other)),
        None => (after, None),
    }
}

/// `(text before, marker)` when a marker ends `after`.
fn at_end(after: &str) -> Option<(&str, &str)> {
    FORMS.iter().find_map(|form| {
        let at = after.len().checked_sub(form.len())?;
        if !after.is_char_boundary(at) || !after[at..].eq_ignore_ascii_case(form) {
            return None;
        }
        let rest = &after[..at];
        // The bare word stands alone: `unyanked` is no marker.
        let word = rest.is_empty() || rest.ends_with(char::is_whitespace);
        (form.starts_with(['[', '(']) || word).then_some((rest, &after[at..]))
    })
}

/// The text after a marker that opens `after`.
fn at_start(after: &str) -> Option<&str> {
    FORMS.iter().find_map(|form| {
        let head = after.get(..form.len())?;
        let rest = &after[form.len()..];
        let word = rest.is_empty() || rest.starts_with(char::is_whitespace);
        (head.eq_ignore_ascii_case(form) && (form.starts_with(['[', '(']) || word)).then_some(rest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Yanked::{Other, Standard};

    #[test]
    fn every_spelling_is_read_and_only_one_is_standard() {
        let cases = [
            ("- 2022-01-01 [YANKED]", "- 2022-01-01", Some(Standard)),
            ("[YANKED]", "", Some(Standard)),
            ("(2022-01-01) [YANKED]", "(2022-01-01)", Some(Standard)),
            ("- 2022-01-01 [yanked]", "- 2022-01-01", Some(Other)),
            ("- 2022-01-01[YANKED]", "- 2022-01-01", Some(Other)),
            ("YANKED", "", Some(Other)),
            ("(yanked)", "", Some(Other)),
            ("(2022-01-01) (yanked)", "(2022-01-01)", Some(Other)),
            ("- 2022-01-01 YANKED", "- 2022-01-01", Some(Other)),
            ("- 2022-01-01 - YANKED", "- 2022-01-01", Some(Other)),
            ("– yanked", "", Some(Other)),
            ("[YANKED] - 2022-01-01", "- 2022-01-01", Some(Other)),
            ("Yanked (2022-01-01)", "(2022-01-01)", Some(Other)),
            ("- 2022-01-01", "- 2022-01-01", None),
            ("", "", None),
            ("- unyanked", "- unyanked", None),
            ("yankedness", "yankedness", None),
            ("- 2022-01-01 ÿanked", "- 2022-01-01 ÿanked", None),
        ];
        for (after, rest, how) in cases {
            assert_eq!(split(after), (rest, how), "{after}");
        }
    }
}
