//! Text from commits, files and tools is data: its control characters never
//! reach a terminal, a log or a written file raw (pure).
//!
//! A C0 control (but tab and line feed) and DEL show as their Unicode
//! control picture (`\r` as `␍`, ESC as `␛`, so an escape sequence is inert
//! text), a C1 control as `\u{9b}`, and so does a bidirectional embedding,
//! override or isolate (`\u{202e}`: the "Trojan Source" characters that
//! reorder what a reader sees, which rustc refuses in literals); a carriage return is kept only as part
//! of a CRLF line ending, since GitHub's runner splits lines on a bare one.
//! Output that may reach a workflow log also has its workflow commands
//! neutralised with a zero-width space: a line that starts with `::` after
//! its leading whitespace (the runner trims that before it looks), and `##[`
//! anywhere in a line (the runner's legacy form).

/// Zero-width space: invisible, and not whitespace to the runner's `TrimStart`.
const ZWSP: char = '\u{200b}';

/// `s` with every control character but tab, line feed and a CRLF's
/// carriage return made visible.
pub fn text(s: &str) -> String {
    if plain(s) || !s.chars().any(is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            c => visible(c, &mut out),
        }
    }
    out
}

/// Whether no byte of `s` can be part of a control character: printable
/// ASCII, tab, line feed, and UTF-8 that starts no C1 control (those are
/// `0xC2 0x80..=0x9F`). A byte loop: a 3,000-file diff is not decoded char
/// by char in a debug build to find it has nothing to show.
fn plain(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2 {
            return false;
        }
        // U+202A..=U+202E and U+2066..=U+2069, in UTF-8.
        if b == 0xe2 && i + 2 < bytes.len() {
            let (next, last) = (bytes[i + 1], bytes[i + 2]);
            if (next == 0x80 && (0xaa..=0xae).contains(&last))
                || (next == 0x81 && (0xa6..=0xa9).contains(&last))
            {
                return false;
            }
        }
        i += 1;
    }
    true
}

/// Whether `s` holds the two bytes `a` then `b` (a byte loop, as `plain`).
fn has_pair(s: &str, a: u8, b: u8) -> bool {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b && bytes[i - 1] == a {
            return true;
        }
        i += 1;
    }
    false
}

/// `s` as one line: `text`, with line feeds and tabs made visible too (a
/// commit subject, a value that must not start a new line).
pub fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        visible(c, &mut out);
    }
    out
}

/// `text`, then each line that a GitHub runner would read as a workflow
/// command neutralised: for everything printed on stdout or stderr.
pub fn shown(s: &str) -> String {
    let clean = text(s);
    // `##[` holds `#[`: no pair, neither mark.
    if !has_pair(&clean, b':', b':') && !has_pair(&clean, b'#', b'[') {
        return clean;
    }
    let mut out = String::with_capacity(clean.len() + 8);
    for piece in clean.split_inclusive('\n') {
        let body = piece.trim_start();
        let indent = &piece[..piece.len() - body.len()];
        out.push_str(indent);
        if body.starts_with("::") {
            out.push(ZWSP);
        }
        out.push_str(&body.replace("##[", "##\u{200b}["));
    }
    out
}

/// `s` cut to `max` characters, `…` marking the cut: offending text quoted
/// in a message (a 200 KB heading) stays readable.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

fn is_control(c: char) -> bool {
    c != '\t' && c != '\n' && (c.is_control() || is_bidi_control(c))
}

/// The bidirectional embeddings, overrides and isolates (and their pops).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `c` as is, or its visible form when it is a control character.
fn visible(c: char, out: &mut String) {
    match u32::from(c) {
        n @ 0..=0x1f => out.push(char::from_u32(0x2400 + n).unwrap_or('?')),
        0x7f => out.push('\u{2421}'),
        n @ (0x80..=0x9f | 0x202a..=0x202e | 0x2066..=0x2069) => {
            out.push_str(&format!("\\u{{{n:x}}}"))
        }
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_text_stays() {
        let cases = [
            ("", ""),
            ("plain text, café 🦀", "plain text, café 🦀"),
            ("tab\there\nnext line\n", "tab\there\nnext line\n"),
            ("crlf\r\nkept\r\n", "crlf\r\nkept\r\n"),
            (
                "fix: tidy\r::error title=x::y",
                "fix: tidy␍::error title=x::y",
            ),
            ("bare\rcr at the end\r", "bare␍cr at the end␍"),
            ("clear \x1b[2J screen", "clear ␛[2J screen"),
            (
                "a \x1b]8;;http://x\x07link\x1b]8;;\x07",
                "a ␛]8;;http://x␇link␛]8;;␇",
            ),
            ("nul\0 bell\x07 del\x7f", "nul␀ bell␇ del␡"),
            ("c1 \u{9b}2J and \u{85}", "c1 \\u{9b}2J and \\u{85}"),
            (
                "access \u{202e}nimda\u{202c} and \u{2066}x\u{2069}",
                "access \\u{202e}nimda\\u{202c} and \\u{2066}x\\u{2069}",
            ),
            (
                "dots… and — dashes ‘quoted’ ␍",
                "dots… and — dashes ‘quoted’ ␍",
            ),
            ("\r\r\n", "␍\r\n"),
        ];
        for (input, want) in cases {
            assert_eq!(text(input), want, "{input:?}");
        }
    }

    #[test]
    fn one_line_keeps_no_line_break() {
        assert_eq!(line("a\nb\r\nc\td"), "a␊b␍␊c␉d");
        assert_eq!(line("fix: x"), "fix: x");
    }

    #[test]
    fn workflow_commands_are_neutralised_in_shown_text() {
        let z = ZWSP;
        let cases = [
            ("::error::x".to_string(), format!("{z}::error::x")),
            (
                "  ::set-output name=a::b\nok\n".to_string(),
                format!("  {z}::set-output name=a::b\nok\n"),
            ),
            (
                "line\n\t::add-mask::s\n".to_string(),
                format!("line\n\t{z}::add-mask::s\n"),
            ),
            (
                "say ##[error]x and ##[warning]y".to_string(),
                format!("say ##{z}[error]x and ##{z}[warning]y"),
            ),
            ("a::b is fine".to_string(), "a::b is fine".to_string()),
            ("- fix: x::y".to_string(), "- fix: x::y".to_string()),
            (
                "fix: tidy\r::error::x".to_string(),
                "fix: tidy␍::error::x".to_string(),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(shown(&input), want, "{input:?}");
        }
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("ééééé", 2), "éé…");
        assert_eq!(cut("", 0), "");
        assert_eq!(cut(&"x".repeat(200_000), 200).chars().count(), 201);
    }
}
