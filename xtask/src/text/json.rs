//! JSON text: the string at a dotted key path (`version`, `optionalDependencies.x`)
//! with its bytes, so a new value can be spliced in and the rest of the file
//! (indentation, key order, line endings) stays byte-for-byte. A small
//! scanner, not a parser: it reads only as far as the key it looks for.

use anyhow::{Result, anyhow, bail};

use super::toml::{StrValue, line_of};

struct Scanner<'a> {
    path: &'a str,
    text: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn blank(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn fail(&self, what: &str) -> anyhow::Error {
        let line = line_of(self.text, self.pos);
        anyhow!("{}:{line}: invalid JSON: {what}: fix the syntax", self.path)
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        self.blank();
        if self.peek() != Some(byte) {
            return Err(self.fail(&format!("expected `{}`", byte as char)));
        }
        self.pos += 1;
        Ok(())
    }

    /// A string at `pos` (its opening quote), decoded.
    fn string(&mut self) -> Result<String> {
        self.expect(b'"')?;
        let mut out = String::new();
        let mut chars = self.text[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('b') => out.push('\u{8}'),
                    Some('f') => out.push('\u{c}'),
                    Some('u') => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next())
                            .map(|(_, c)| c)
                            .collect();
                        let code = u32::from_str_radix(&hex, 16).ok();
                        out.push(code.and_then(char::from_u32).unwrap_or('\u{fffd}'));
                    }
                    Some(c) => out.push(c),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(self.fail("a string is not closed"))
    }

    /// Skips any value.
    fn skip(&mut self) -> Result<()> {
        self.blank();
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(open @ (b'{' | b'[')) => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                self.blank();
                if self.peek() == Some(close) {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    if open == b'{' {
                        self.blank();
                        self.string()?;
                        self.expect(b':')?;
                    }
                    self.skip()?;
                    self.blank();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b) if b == close => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(self.fail(&format!("expected `,` or `{}`", close as char))),
                    }
                }
            }
            Some(b) if b == b'-' || b.is_ascii_alphanumeric() => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                {
                    self.pos += 1;
                }
                let word = &self.text[start..self.pos];
                let number = word.parse::<f64>().is_ok();
                if number || ["true", "false", "null"].contains(&word) {
                    Ok(())
                } else {
                    self.pos = start;
                    Err(self.fail(&format!("`{word}` is not a value")))
                }
            }
            _ => Err(self.fail("expected a value")),
        }
    }

    /// The string at `keys` below the value at `pos`.
    fn find(&mut self, keys: &[&str], full: &str) -> Result<Option<StrValue>> {
        self.blank();
        let Some((key, rest)) = keys.split_first() else {
            let start = self.pos;
            if self.peek() != Some(b'"') {
                let line = line_of(self.text, start);
                bail!("{}:{line}: `{full}` must be a string", self.path);
            }
            let value = self.string()?;
            let line = line_of(self.text, start);
            return Ok(Some(StrValue {
                value,
                span: start..self.pos,
                line,
            }));
        };
        if self.peek() != Some(b'{') {
            self.skip()?;
            return Ok(None);
        }
        self.pos += 1;
        self.blank();
        if self.peek() == Some(b'}') {
            return Ok(None);
        }
        loop {
            self.blank();
            let name = self.string()?;
            self.expect(b':')?;
            if name == *key {
                return self.find(rest, full);
            }
            self.skip()?;
            self.blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => return Ok(None),
                _ => return Err(self.fail("expected `,` or `}`")),
            }
        }
    }
}

/// The string at the dotted `key` (`a.b.c`: key `c` of object `b` of object
/// `a`), `None` when there is none; an error when the text up to it is not
/// JSON or the value is not a string.
pub fn find_str(path: &str, text: &str, key: &str) -> Result<Option<StrValue>> {
    let keys: Vec<&str> = key.split('.').collect();
    let start = usize::from(text.starts_with('\u{feff}')) * 3;
    let mut scanner = Scanner {
        path,
        text,
        pos: start,
    };
    scanner.find(&keys, key)
}

/// Replaces the JSON string at `span` by `new`.
pub fn replace_str(text: &str, span: &std::ops::Range<usize>, new: &str) -> String {
    let quoted = format!("\"{}\"", new.replace('\\', "\\\\").replace('"', "\\\""));
    format!("{}{quoted}{}", &text[..span.start], &text[span.end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKAGE: &str = "{\r\n  \"name\": \"@demo/node\",\r\n  \"description\": \"a \\\"quoted\\\" version: 1.0.0\",\r\n  \"files\": [\"index.js\", {\"version\": \"9.9.9\"}],\r\n  \"engines\": { \"node\": \">= 18\" },\r\n  \"private\": false, \"weight\": -1.5e3, \"x\": null,\r\n  \"version\": \"0.9.0-beta.4\",\r\n  \"optionalDependencies\": {\r\n    \"@demo/node-linux-x64-gnu\": \"0.9.0-beta.4\"\r\n  }\r\n}\r\n";

    fn get(text: &str, key: &str) -> Option<(String, usize)> {
        find_str("package.json", text, key)
            .unwrap()
            .map(|s| (s.value, s.line))
    }

    #[test]
    fn finds_the_string_at_a_top_level_key() {
        assert_eq!(get(PACKAGE, "version"), Some(("0.9.0-beta.4".into(), 7)));
        let found = find_str("p", PACKAGE, "version").unwrap().unwrap();
        assert_eq!(&PACKAGE[found.span.clone()], "\"0.9.0-beta.4\"");
    }

    #[test]
    fn finds_nested_keys_with_dots_and_skips_arrays() {
        assert_eq!(
            get(PACKAGE, "optionalDependencies.@demo/node-linux-x64-gnu"),
            Some(("0.9.0-beta.4".into(), 9))
        );
        assert_eq!(get(PACKAGE, "engines.node"), Some((">= 18".into(), 5)));
    }

    #[test]
    fn absent_keys_are_none() {
        assert_eq!(get(PACKAGE, "nope"), None);
        assert_eq!(get(PACKAGE, "name.inner"), None);
        assert_eq!(get("{}", "version"), None);
        assert_eq!(get("[1, 2]", "version"), None);
    }

    #[test]
    fn escaped_strings_are_decoded() {
        assert_eq!(
            get(PACKAGE, "description"),
            Some(("a \"quoted\" version: 1.0.0".into(), 3))
        );
        assert_eq!(get("{\"a\\u0062\": \"x\"}", "ab"), Some(("x".into(), 1)));
    }

    #[test]
    fn a_value_that_is_not_a_string_is_named() {
        let err = find_str("p.json", PACKAGE, "private").unwrap_err();
        assert_eq!(err.to_string(), "p.json:6: `private` must be a string");
    }

    #[test]
    fn broken_json_is_named_with_its_line() {
        for (text, message) in [
            (
                "{\n\"a\" 1}",
                "p.json:2: invalid JSON: expected `:`: fix the syntax",
            ),
            (
                "{\"a\": tru, \"version\": \"1\"}",
                "p.json:1: invalid JSON: `tru` is not a value: fix the syntax",
            ),
            (
                "{\"a\": [1 2], \"version\": \"1\"}",
                "p.json:1: invalid JSON: expected `,` or `]`: fix the syntax",
            ),
            (
                "{\"a\": \"open",
                "p.json:1: invalid JSON: a string is not closed: fix the syntax",
            ),
            (
                "",
                "p.json:1: invalid JSON: expected a value: fix the syntax",
            ),
        ] {
            let err = find_str("p.json", text, "version").unwrap_err();
            assert_eq!(err.to_string(), message, "{text}");
        }
    }

    #[test]
    fn replacing_keeps_everything_else() {
        let found = find_str("p", PACKAGE, "version").unwrap().unwrap();
        let out = replace_str(PACKAGE, &found.span, "0.9.0-beta.5");
        assert_eq!(
            out,
            PACKAGE.replacen("\"0.9.0-beta.4\",", "\"0.9.0-beta.5\",", 1)
        );
    }
}
