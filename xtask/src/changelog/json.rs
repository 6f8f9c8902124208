//! JSON output without a JSON dependency.

/// `s` as a JSON string literal, quotes included. Non-ASCII text is kept as
/// is (JSON is UTF-8); control characters are escaped.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let cases = [
            ("", r#""""#),
            ("plain", r#""plain""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            ("C:\\path\\", r#""C:\\path\\""#),
            ("a\nb\r\n\tc", r#""a\nb\r\n\tc""#),
            (
                "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}",
                r#""\u0000\u0001\b\f\u001f\u007f""#,
            ),
            ("café — 日本 🦀", "\"café — 日本 🦀\""),
            ("</script>", r#""</script>""#),
        ];
        for (input, want) in cases {
            assert_eq!(json_string(input), want, "{input:?}");
        }
    }
}
