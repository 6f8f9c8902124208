//! One pass over a changelog's lines, aware of fenced code blocks, so that a
//! `## ` inside a code sample is never taken for a heading.

use crate::text::memchr;

/// One line of the text. `start..end` excludes the line ending, `next` is
/// where the following line starts (`end` plus the `\n` or `\r\n`, if any).
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub next: usize,
    pub text: &'a str,
    /// Inside a fenced code block, or its opening/closing fence.
    pub in_fence: bool,
}

impl<'a> Line<'a> {
    pub fn is_blank(&self) -> bool {
        // Checks the first byte before trimming: most lines are not blank,
        // and a debug build walks every char of a trim.
        match self.text.as_bytes().first() {
            None => true,
            Some(b' ' | b'\t' | b'\r') => self.text.trim().is_empty(),
            Some(_) => false,
        }
    }

    /// A `## ` heading outside code.
    pub fn is_heading(&self) -> bool {
        !self.in_fence && self.text.starts_with("## ")
    }

    /// A `###` group heading outside code.
    pub fn is_group(&self) -> bool {
        !self.in_fence && self.text.starts_with("###")
    }

    /// A reference definition `[label]: url` outside code.
    pub fn link_def(&self) -> Option<(&'a str, &'a str)> {
        if self.in_fence {
            return None;
        }
        link_def(self.text)
    }
}

/// `[label]: url` (the url may be empty only in the sense of being missing: then None).
pub fn link_def(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('[')?;
    let close = rest.find("]:")?;
    let label = &rest[..close];
    let url = rest[close + 2..].trim();
    if label.is_empty() || label.contains(['[', ']']) || url.is_empty() {
        return None;
    }
    // A title after the URL (`[x]: url "title"`) is not part of the URL.
    let url = url.split_whitespace().next().unwrap_or(url);
    Some((label, url))
}

pub struct Lines<'a> {
    text: &'a str,
    pos: usize,
    index: usize,
    /// The open fence: its character and length.
    fence: Option<(u8, usize)>,
    /// How many `Line`s were built: the work the tests bound.
    #[cfg(test)]
    built: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines {
            text,
            pos: 0,
            index: 0,
            fence: None,
            #[cfg(test)]
            built: 0,
        }
    }

    /// Where the line starting at `start` ends (its `\n`, or the end of the
    /// text), found by the C library's memchr: every line of a 5 MB file is
    /// not a walk through its bytes in a debug build.
    fn end_of_line(&self, start: usize) -> usize {
        memchr::find(self.text.as_bytes(), start, b'\n').unwrap_or(self.text.len())
    }

    /// The next `## ` heading outside code: what `filter(is_heading)` finds,
    /// but a line that can be neither a heading nor a fence (its first byte
    /// says so: not `#`, a space, a backtick or a tilde) is stepped over
    /// without building a `Line`, by the C library's memchr in one loop
    /// (see `memchr::line_starting_with`): at opt-level 0 every call costs.
    pub fn next_heading(&mut self) -> Option<Line<'a>> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        loop {
            let (found, skipped) =
                memchr::line_starting_with(bytes, self.pos, [b'#', b' ', b'`', b'~']);
            self.index += skipped;
            let Some(pos) = found else {
                self.pos = len;
                return None;
            };
            self.pos = pos;
            let heading_like = bytes[pos] != b'#'
                || (pos + 2 < len && bytes[pos + 1] == b'#' && bytes[pos + 2] == b' ');
            if !heading_like {
                // `###` and `#`: neither a `## ` heading nor a fence.
                self.pos = memchr::find(bytes, pos, b'\n').map_or(len, |newline| newline + 1);
                self.index += 1;
                continue;
            }
            let line = self.next()?;
            if line.is_heading() {
                return Some(line);
            }
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let newline = self.end_of_line(start);
        let next = (newline + 1).min(self.text.len());
        let cr = newline > start && self.text.as_bytes()[newline - 1] == b'\r';
        let end = newline - usize::from(cr);
        let text = &self.text[start..end];
        let in_fence = match (self.fence, fence(text)) {
            (None, None) => false,
            (None, Some((ch, len, _))) => {
                self.fence = Some((ch, len));
                true
            }
            (Some((open, open_len)), Some((ch, len, bare)))
                if ch == open && len >= open_len && bare =>
            {
                self.fence = None;
                true
            }
            (open, _) => open.is_some(),
        };
        #[cfg(test)]
        {
            self.built += 1;
        }
        let line = Line {
            index: self.index,
            start,
            end,
            next,
            text,
            in_fence,
        };
        self.pos = next;
        self.index += 1;
        Some(line)
    }
}

/// A fence line: up to three spaces, then three or more backticks or tildes.
/// Returns the character, the run length, and whether nothing follows it
/// (only such a line can close a block).
fn fence(text: &str) -> Option<(u8, usize, bool)> {
    if !matches!(text.as_bytes().first(), Some(b' ' | b'`' | b'~')) {
        return None;
    }
    // Index loops, not iterator chains: at opt-level 0 each adapter is a call.
    let bytes = text.as_bytes();
    let mut indent = 0;
    while indent < bytes.len() && bytes[indent] == b' ' {
        indent += 1;
    }
    if indent > 3 || indent == bytes.len() {
        return None;
    }
    let ch = bytes[indent];
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let mut run_end = indent;
    while run_end < bytes.len() && bytes[run_end] == ch {
        run_end += 1;
    }
    let len = run_end - indent;
    if len < 3 {
        return None;
    }
    Some((ch, len, text[run_end..].trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> Vec<(usize, usize, usize, &str, bool)> {
        Lines::new(text)
            .map(|l| (l.start, l.end, l.next, l.text, l.in_fence))
            .collect()
    }

    #[test]
    fn splits_lf_crlf_and_a_missing_final_newline() {
        assert_eq!(
            summary("a\r\nbb\n\nc"),
            vec![
                (0, 1, 3, "a", false),
                (3, 5, 6, "bb", false),
                (6, 6, 7, "", false),
                (7, 8, 8, "c", false),
            ]
        );
        assert_eq!(summary(""), vec![]);
        assert_eq!(summary("\n"), vec![(0, 0, 1, "", false)]);
    }

    #[test]
    fn fences_hide_headings_until_a_matching_close() {
        let text = "## a\n````md\n## b\n```\n## c\n````\n## d\n~~~\n## e\n~~~\n";
        let headings: Vec<&str> = Lines::new(text)
            .filter(|l| l.is_heading())
            .map(|l| l.text)
            .collect();
        assert_eq!(headings, vec!["## a", "## d"]);
        let mut lines = Lines::new(text);
        let fast: Vec<(usize, &str)> = std::iter::from_fn(|| lines.next_heading())
            .map(|l| (l.index, l.text))
            .collect();
        assert_eq!(fast, vec![(0, "## a"), (6, "## d")]);
    }

    /// A long file's headings are found building a `Line` for the headings
    /// and fences alone: every other line (entries, `###` groups, links)
    /// is stepped over by memchr.
    #[test]
    fn headings_are_found_looking_at_their_lines_alone() {
        let mut text = String::from("# Changelog\n\n## [Unreleased]\n\n");
        for k in (0..2_000).rev() {
            text.push_str(&format!(
                "## [0.{k}.0] - 2024-01-01\n\n### Added\n\n- item ([#{k}](https://x/pull/{k}))\n- more\n\n"
            ));
            if k % 10 == 0 {
                text.push_str("```md\n## [9.9.9] - not a release\n```\n\n");
            }
        }
        text.push_str("[0.1.0]: https://x/releases/tag/v0.1.0\n");
        let mut lines = Lines::new(&text);
        let headings: Vec<(usize, &str)> = std::iter::from_fn(|| lines.next_heading())
            .map(|l| (l.index, l.text))
            .collect();
        let all: Vec<(usize, &str)> = Lines::new(&text)
            .filter(|l| l.is_heading())
            .map(|l| (l.index, l.text))
            .collect();
        assert_eq!(headings, all);
        assert_eq!(headings.len(), 2_001);
        // The headings, and the 200 fences' three lines each.
        assert_eq!(lines.built, 2_001 + 200 * 3);
        assert!(text.lines().count() > 14_000);
    }

    #[test]
    fn link_definitions() {
        let cases = [
            ("[0.1.0]: https://x/y", Some(("0.1.0", "https://x/y"))),
            (
                "[Unreleased]:  https://x \"t\"",
                Some(("Unreleased", "https://x")),
            ),
            ("[a]:", None),
            ("[]: https://x", None),
            ("- [a]: b", None),
            ("[a] b", None),
        ];
        for (text, want) in cases {
            assert_eq!(link_def(text), want, "{text}");
        }
    }
}
