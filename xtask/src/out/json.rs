//! Just enough JSON output for `--json` flags, without a serializer dependency.

/// `s` as a JSON string literal, quotes included. Non-ASCII text is kept as
/// is (JSON is UTF-8); control characters (C0, DEL, C1) and bidirectional
/// controls are escaped.
pub fn string(s: &str) -> String {
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
            // C0, DEL and C1: JSON needs only C0 escaped, but a raw C1 is
            // a control sequence to some terminals; the bidirectional
            // controls, as the sanitizer would otherwise rewrite them raw
            // into `\u{202e}`, which is no JSON.
            c if c.is_control() || super::sanitize::is_bidi_control(c) => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object from `(key, already-encoded value)` pairs.
pub fn object(pairs: &[(&str, String)]) -> String {
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{v}", string(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

pub fn array(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

pub fn opt_string(s: Option<&str>) -> String {
    s.map_or("null".to_string(), string)
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
            ("\u{1b}[2J \u{9b}", r#""\u001b[2J \u009b""#),
            ("café — 日本 🦀", "\"café — 日本 🦀\""),
            ("</script>", r#""</script>""#),
            // Escaped, so the sanitizer of the output has nothing to rewrite.
            ("a \u{202e}b\u{2069}", r#""a \u202eb\u2069""#),
        ];
        for (input, _) in cases {
            let json = string(input);
            assert_eq!(crate::out::sanitize::shown(&json), json, "{input:?}");
        }
        for (input, want) in cases {
            assert_eq!(string(input), want, "{input:?}");
        }
    }

    #[test]
    fn objects_and_arrays() {
        let obj = object(&[
            ("a", string("x")),
            ("b", "1".into()),
            ("c", opt_string(None)),
        ]);
        assert_eq!(obj, "{\"a\":\"x\",\"b\":1,\"c\":null}");
        assert_eq!(array(vec![obj.clone(), "2".into()]), format!("[{obj},2]"));
    }
}
