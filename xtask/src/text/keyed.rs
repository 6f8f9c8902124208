//! Keyed mentions: the version is the string at a dotted key of a TOML or
//! JSON file (`version` of a `package.json`, `tool.demo.version` of a TOML
//! file), read and spliced with the formatting kept.

use anyhow::{Context, Result, bail};

use super::json;
use super::toml::{self, StrValue};

enum Format {
    Toml,
    Json,
}

fn format(path: &str, key: &str) -> Result<Format> {
    if path.ends_with(".toml") {
        Ok(Format::Toml)
    } else if path.ends_with(".json") {
        Ok(Format::Json)
    } else {
        bail!(
            "{path}: the mention `key = \"{key}\"` reads TOML and JSON files only: write a `pattern` for this file"
        )
    }
}

/// The string at `key` in the file `path`; an error naming the key when it is absent.
pub fn find(path: &str, text: &str, key: &str) -> Result<StrValue> {
    if key.is_empty() || key.split('.').any(str::is_empty) {
        bail!(
            "{path}: the mention key `{key}` is not a dotted key: write the keys joined by `.`, e.g. `package.version`"
        );
    }
    let found = match format(path, key)? {
        Format::Toml => {
            let doc = toml::parse(path, text)?;
            let keys: Vec<&str> = key.split('.').collect();
            toml::get_str(path, text, &doc, &keys)?
        }
        Format::Json => json::find_str(path, text, key)?,
    };
    found.with_context(|| {
        format!(
            "{path}: no string at the mention key `{key}`: fix the key, or add the value to {path}"
        )
    })
}

/// `text` with the string at `key` set to `new`.
pub fn replace(path: &str, text: &str, key: &str, new: &str) -> Result<String> {
    let found = find(path, text, key)?;
    match format(path, key)? {
        Format::Toml => toml::replace_str(text, &found.span, new)
            .with_context(|| format!("{path}:{}", found.line)),
        Format::Json => Ok(json::replace_str(text, &found.span, new)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keys_keep_the_formatting() {
        let text = "# docs site\r\n[tool.site]\r\nversion = '0.9.0'  # shown in the header\r\nrust-version = \"1.91.0\"\r\n";
        let found = find("site.toml", text, "tool.site.version").unwrap();
        assert_eq!((found.value.as_str(), found.line), ("0.9.0", 3));
        assert_eq!(
            replace("site.toml", text, "tool.site.version", "0.9.1").unwrap(),
            text.replace("'0.9.0'", "'0.9.1'")
        );
    }

    #[test]
    fn json_keys_keep_the_formatting() {
        let text = "{\n  \"name\": \"demo\",\n  \"version\": \"0.9.0-beta.4\",\n  \"dependencies\": { \"napi\": \"3.8.3\" }\n}\n";
        assert_eq!(find("package.json", text, "version").unwrap().line, 3);
        assert_eq!(
            replace("package.json", text, "version", "0.9.0-beta.5").unwrap(),
            text.replace("0.9.0-beta.4", "0.9.0-beta.5")
        );
    }

    #[test]
    fn a_missing_key_or_another_format_is_refused() {
        let err = find("package.json", "{}", "version").unwrap_err();
        assert_eq!(
            err.to_string(),
            "package.json: no string at the mention key `version`: fix the key, or add the value to package.json"
        );
        let err = find("README.md", "", "version").unwrap_err();
        assert_eq!(
            err.to_string(),
            "README.md: the mention `key = \"version\"` reads TOML and JSON files only: write a `pattern` for this file"
        );
        let err = find("a.toml", "", "tool..version").unwrap_err();
        assert!(err.to_string().contains("is not a dotted key"), "{err}");
        let err = find("a.toml", "[tool]\nversion = 1\n", "tool.version").unwrap_err();
        assert_eq!(err.to_string(), "a.toml:2: `tool.version` must be a string");
    }
}
