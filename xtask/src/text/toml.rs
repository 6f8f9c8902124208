//! Reading TOML with positions, and replacing one string value in place.

use std::ops::Range;

use anyhow::{Result, bail};
use toml_edit::{Document, Item, Value};

#[cfg(test)]
thread_local! {
    /// The documents this thread parsed: the work the tests that bound a
    /// command's cost count.
    pub static PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Parses `text`; a syntax error names `path:line`.
pub fn parse(path: &str, text: &str) -> Result<Document<String>> {
    #[cfg(test)]
    PARSED.with(|n| n.set(n.get() + 1));
    Document::parse(text.to_string()).map_err(|err| {
        let line = err.span().map_or(0, |s| line_of(text, s.start));
        let message = err.message().trim_end().to_string();
        anyhow::anyhow!("{path}:{line}: invalid TOML: {message}: fix the syntax")
    })
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A string value found in a document, with its bytes in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrValue {
    pub value: String,
    pub span: Range<usize>,
    pub line: usize,
}

/// The string at `keys`, through tables, inline tables and dotted keys.
/// `Ok(None)` when absent; an error when present but not a string.
pub fn get_str(
    path: &str,
    text: &str,
    doc: &Document<String>,
    keys: &[&str],
) -> Result<Option<StrValue>> {
    let Some(value) = get_value(doc.as_item(), keys) else {
        return Ok(None);
    };
    let span = value.span().unwrap_or(0..0);
    let line = line_of(text, span.start);
    match value.as_str() {
        Some(s) => Ok(Some(StrValue {
            value: s.to_string(),
            span,
            line,
        })),
        None => bail!("{path}:{line}: `{}` must be a string", keys.join(".")),
    }
}

/// The item (table or value) at `keys`.
pub fn get_item<'a>(root: &'a Item, keys: &[&str]) -> Option<&'a Item> {
    let (last, parents) = keys.split_last()?;
    let mut table: &dyn toml_edit::TableLike = root.as_table_like()?;
    for key in parents {
        table = table.get(key)?.as_table_like()?;
    }
    table.get(last)
}

/// The value at `keys`, through tables, inline tables and dotted keys.
pub fn get_value<'a>(root: &'a Item, keys: &[&str]) -> Option<&'a Value> {
    get_item(root, keys)?.as_value()
}

/// Replaces the string literal at `span` by `new`, keeping its quote style.
pub fn replace_str(text: &str, span: &Range<usize>, new: &str) -> Result<String> {
    // The result must stay TOML by construction (`Edits::edit_string`).
    if new.chars().any(char::is_control) {
        bail!("cannot write a control character into a TOML string: {new:?}");
    }
    let raw = &text[span.clone()];
    let quoted = if raw.starts_with('\'') && !new.contains('\'') {
        format!("'{new}'")
    } else if raw.starts_with('"') {
        format!("\"{}\"", new.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        bail!("expected a string literal, found `{raw}`");
    };
    let mut out = String::with_capacity(text.len() + quoted.len());
    out.push_str(&text[..span.start]);
    out.push_str(&quoted);
    out.push_str(&text[span.end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let err = parse("Cargo.toml", "[package]\nname = \"x\"\nversion = \n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("Cargo.toml:3: invalid TOML"), "{text}");
    }

    #[test]
    fn values_are_found_through_tables_inline_tables_and_dotted_keys() {
        let text = "[package]\nversion = \"1.0.0\"\n[dependencies]\na = { path = \"x\", version = \"0.1\" }\nb.version = '2'\n";
        let doc = parse("t", text).unwrap();
        let get = |keys: &[&str]| {
            get_str("t", text, &doc, keys)
                .unwrap()
                .map(|s| (s.value, s.line))
        };
        assert_eq!(get(&["package", "version"]), Some(("1.0.0".into(), 2)));
        assert_eq!(
            get(&["dependencies", "a", "version"]),
            Some(("0.1".into(), 4))
        );
        assert_eq!(
            get(&["dependencies", "b", "version"]),
            Some(("2".into(), 5))
        );
        assert_eq!(get(&["dependencies", "c", "version"]), None);
        let err = get_str(
            "t",
            "[package]\nversion = 3\n",
            &parse("t", "[package]\nversion = 3\n").unwrap(),
            &["package", "version"],
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "t:2: `package.version` must be a string"
        );
    }

    #[test]
    fn replacing_keeps_the_quote_style() {
        assert_eq!(
            replace_str("v = \"1\" # c", &(4..7), "2").unwrap(),
            "v = \"2\" # c"
        );
        assert_eq!(replace_str("v = '1'", &(4..7), "2").unwrap(), "v = '2'");
        assert!(replace_str("v = 1", &(4..5), "2").is_err());
    }
}
