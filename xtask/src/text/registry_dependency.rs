//! A path dependency made a registry dependency (pure), as the downstream
//! check builds a dependent project against the released crates: `version`
//! raised or put in place of `path`, `path` dropped, `registry` set.

use std::ops::Range;

use anyhow::{Context, Result, bail};
use semver::Version;
use toml_edit::Document;

use super::manifest::{lookup_table, pinned_version, rewrite_requirement, set_dependency_req};
use super::toml::{self, StrValue};

/// The dependency `key` of `table` as a table: its parsed entry, or `None`
/// when it is a plain version string.
fn dependency_entry<'a>(
    path: &str,
    doc: &'a Document<String>,
    table: &[String],
    key: &str,
) -> Result<Option<(&'a dyn toml_edit::TableLike, bool)>> {
    let keys: Vec<&str> = table.iter().map(String::as_str).collect();
    let Some(item) = lookup_table(doc, &keys).and_then(|t| t.get(key)) else {
        bail!("{path}: no dependency `{key}` in `[{}]`", table.join("."));
    };
    if item.is_str() {
        return Ok(None);
    }
    match item.as_table_like() {
        Some(entry) => Ok(Some((entry, item.is_inline_table()))),
        None => bail!("{path}: dependency `{key}` must be a version string or a table"),
    }
}

/// The bytes of `field = value` in the dependency `key`'s `entry`, which
/// has that field.
fn field_range(
    path: &str,
    key: &str,
    entry: &dyn toml_edit::TableLike,
    field: &str,
) -> Result<Range<usize>> {
    let (found, value) = entry.get_key_value(field).expect("the caller checked");
    let start = found.span().map(|s| s.start);
    let end = value
        .span()
        .or_else(|| value.as_value().and_then(|v| v.span()))
        .map(|s| s.end);
    match (start, end) {
        (Some(start), Some(end)) => Ok(start..end),
        _ => bail!("{path}: dependency `{key}`: cannot locate `{field}` in the text"),
    }
}

/// Removes `field` (e.g. `path`) from the dependency `key` of `table`, with
/// its separator (`, ` in an inline table, the whole line in a `[table]`);
/// every other byte stays. Absent: the text is returned unchanged.
fn remove_dependency_field(
    path: &str,
    text: &str,
    table: &[String],
    key: &str,
    field: &str,
) -> Result<String> {
    let doc = toml::parse(path, text)?;
    let Some((entry, inline)) = dependency_entry(path, &doc, table, key)? else {
        return Ok(text.to_string());
    };
    if entry.get(field).is_none() {
        return Ok(text.to_string());
    }
    let Range { start, end } = field_range(path, key, entry, field)?;
    let range = if inline {
        let after = &text[end..];
        let trimmed = after.trim_start_matches([' ', '\t']);
        if let Some(rest) = trimmed.strip_prefix(',') {
            // `path = "x", version = …`: take the comma and the blanks after it.
            let next = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            start..end + (after.len() - rest.len()) + next
        } else {
            // The last entry: take the comma and blanks before it.
            let before = text[..start].trim_end_matches([' ', '\t']);
            match before.strip_suffix(',') {
                Some(kept) => kept.len()..end,
                None => start..end,
            }
        }
    } else {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        line_start..line_end
    };
    Ok(format!("{}{}", &text[..range.start], &text[range.end..]))
}

/// Turns the dependency `key` of `table` into a registry dependency on
/// `new`: raises its `version` requirement (keeping the operator), or puts
/// `version = "NEW"` where `path` was; drops `path`; sets `registry` when
/// one is named. Everything else stays byte for byte.
pub fn use_registry(
    path: &str,
    text: &str,
    table: &[String],
    key: &str,
    new: &Version,
    registry: Option<&str>,
) -> Result<String> {
    let doc = toml::parse(path, text)?;
    let mut keys: Vec<&str> = table.iter().map(String::as_str).collect();
    keys.push(key);
    let entry = dependency_entry(path, &doc, table, key)?;
    let Some((entry, _)) = entry else {
        // `key = "0.4.0"`.
        let found = toml::get_str(path, text, &doc, &keys)?.expect("a string dependency");
        check_not_newer(path, key, &found, new)?;
        let req = rewrite_requirement(&found.value, new)
            .with_context(|| format!("{path}:{}: dependency `{key}`", found.line))?;
        return match registry {
            None => toml::replace_str(text, &found.span, &req),
            Some(name) => Ok(format!(
                "{}{{ version = \"{req}\", registry = \"{name}\" }}{}",
                &text[..found.span.start],
                &text[found.span.end..]
            )),
        };
    };
    if entry.get("workspace").is_some() {
        bail!(
            "{path}: dependency `{key}` in `[{}]` is inherited (`workspace = true`): change it in `[workspace.dependencies]`",
            table.join(".")
        );
    }
    let has_version = entry.get("version").is_some();
    let has_path = entry.get("path").is_some();
    let mut out = if has_version {
        keys.push("version");
        let found = toml::get_str(path, text, &doc, &keys)?.expect("checked above");
        keys.pop();
        check_not_newer(path, key, &found, new)?;
        let raised = if pinned_version(&found.value).as_ref() == Some(new) {
            text.to_string()
        } else {
            set_dependency_req(path, text, table, key, new)?
        };
        remove_dependency_field(path, &raised, table, key, "path")?
    } else if has_path {
        // Put `version = "NEW"` in place of `path = "…"`.
        let Range { start, end } = field_range(path, key, entry, "path")?;
        format!("{}version = \"{new}\"{}", &text[..start], &text[end..])
    } else {
        bail!(
            "{path}: dependency `{key}` in `[{}]` has neither `path` nor `version`: add `version = \"{new}\"`",
            table.join(".")
        );
    };
    if let Some(name) = registry {
        out = set_registry(path, &out, table, key, name)?;
    }
    toml::parse(path, &out).context("the edited manifest is not valid TOML (a bug)")?;
    Ok(out)
}

fn check_not_newer(path: &str, key: &str, found: &StrValue, new: &Version) -> Result<()> {
    if let Some(current) = pinned_version(&found.value)
        && &current > new
    {
        bail!(
            "{path}:{}: dependency `{key}` already requires {current}, newer than {new}: nothing to raise",
            found.line
        );
    }
    Ok(())
}

/// Sets `registry = "NAME"` on a table dependency that has a `version`.
fn set_registry(path: &str, text: &str, table: &[String], key: &str, name: &str) -> Result<String> {
    let doc = toml::parse(path, text)?;
    let mut keys: Vec<&str> = table.iter().map(String::as_str).collect();
    keys.push(key);
    keys.push("registry");
    if let Some(found) = toml::get_str(path, text, &doc, &keys)? {
        return toml::replace_str(text, &found.span, name);
    }
    keys.pop();
    keys.push("version");
    let version = toml::get_str(path, text, &doc, &keys)?.expect("a version was set");
    let inline = dependency_entry(path, &doc, table, key)?.is_some_and(|(_, inline)| inline);
    let end = version.span.end;
    Ok(if inline {
        format!("{}, registry = \"{name}\"{}", &text[..end], &text[end..])
    } else {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        let newline = if text[..line_end].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let sep = if text[..line_end].ends_with('\n') {
            ""
        } else {
            newline
        };
        format!(
            "{}{sep}registry = \"{name}\"{newline}{}",
            &text[..line_end],
            &text[line_end..]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn deps() -> Vec<String> {
        vec!["dependencies".to_string()]
    }

    #[test]
    fn a_path_field_is_removed_and_nothing_else() {
        let cases = [
            (
                "[dependencies]\ncore = { path = \"../core\", version = \"0.4.0\", features = [\"x\"] } # c\n",
                "[dependencies]\ncore = { version = \"0.4.0\", features = [\"x\"] } # c\n",
            ),
            (
                "[dependencies]\ncore = { version = \"0.4.0\",path='../core' }\n",
                "[dependencies]\ncore = { version = \"0.4.0\" }\n",
            ),
            (
                "[dependencies]\ncore = {version=\"0.4.0\" ,  path = \"../core\" , default-features = false}\n",
                "[dependencies]\ncore = {version=\"0.4.0\" ,  default-features = false}\n",
            ),
            (
                "[dependencies.core]\nversion = \"0.4.0\"\npath = \"../core\" # local\nfeatures = []\n",
                "[dependencies.core]\nversion = \"0.4.0\"\nfeatures = []\n",
            ),
            (
                "[dependencies.core]\r\npath = \"../core\"\r\nversion = \"0.4.0\"\r\n",
                "[dependencies.core]\r\nversion = \"0.4.0\"\r\n",
            ),
            // Nothing to remove.
            (
                "[dependencies]\ncore = \"0.4.0\"\n",
                "[dependencies]\ncore = \"0.4.0\"\n",
            ),
            (
                "[dependencies]\ncore = { version = \"1\" }\n",
                "[dependencies]\ncore = { version = \"1\" }\n",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                remove_dependency_field("C", text, &deps(), "core", "path").unwrap(),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            remove_dependency_field("C", "[dependencies]\n", &deps(), "core", "path")
                .unwrap_err()
                .to_string(),
            "C: no dependency `core` in `[dependencies]`"
        );
    }

    #[test]
    fn path_dependencies_become_registry_dependencies() {
        let cases = [
            (
                "[dependencies]\ncore = { path = \"../core\" } # the core\n",
                None,
                "[dependencies]\ncore = { version = \"0.5.0\" } # the core\n",
            ),
            (
                "[dependencies]\ncore = { path = \"../core\", version = \"=0.4.0\", features = [\"x\"] }\n",
                None,
                "[dependencies]\ncore = { version = \"=0.5.0\", features = [\"x\"] }\n",
            ),
            (
                "[dependencies]\ncore = { path = \"../core\", features = [\"x\"] }\n",
                Some("local"),
                "[dependencies]\ncore = { version = \"0.5.0\", registry = \"local\", features = [\"x\"] }\n",
            ),
            (
                "[dependencies]\ncore = \"^0.4\"\n",
                None,
                "[dependencies]\ncore = \"^0.5.0\"\n",
            ),
            (
                "[dependencies]\ncore = \"0.4\"\n",
                Some("local"),
                "[dependencies]\ncore = { version = \"0.5.0\", registry = \"local\" }\n",
            ),
            (
                "[dependencies]\ncore = { version = \"0.4.0\", registry = \"old\" }\n",
                Some("local"),
                "[dependencies]\ncore = { version = \"0.5.0\", registry = \"local\" }\n",
            ),
            (
                "[dependencies.core]\npath = \"../core\" # local\nfeatures = []\n",
                Some("local"),
                "[dependencies.core]\nversion = \"0.5.0\" # local\nregistry = \"local\"\nfeatures = []\n",
            ),
            // Already there: unchanged.
            (
                "[dependencies]\ncore = { version = \"0.5.0\" }\n",
                None,
                "[dependencies]\ncore = { version = \"0.5.0\" }\n",
            ),
        ];
        for (text, registry, expected) in cases {
            assert_eq!(
                use_registry("C", text, &deps(), "core", &v("0.5.0"), registry).unwrap(),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn registry_dependencies_that_cannot_be_made_are_refused() {
        let cases = [
            (
                "[dependencies]\ncore = { version = \"0.6.0\" }\n",
                "C:2: dependency `core` already requires 0.6.0, newer than 0.5.0: nothing to raise",
            ),
            (
                "[dependencies]\ncore = { workspace = true }\n",
                "C: dependency `core` in `[dependencies]` is inherited (`workspace = true`): change it in `[workspace.dependencies]`",
            ),
            (
                "[dependencies]\ncore = { git = \"https://example.com/core\" }\n",
                "C: dependency `core` in `[dependencies]` has neither `path` nor `version`: add `version = \"0.5.0\"`",
            ),
        ];
        for (text, message) in cases {
            let err = use_registry("C", text, &deps(), "core", &v("0.5.0"), None).unwrap_err();
            assert_eq!(err.to_string(), message, "{text}");
        }
    }
}
