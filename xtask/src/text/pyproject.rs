//! `pyproject.toml`: the static `[project] version`.

use anyhow::{Context, Result, bail};

use super::toml::{self, StrValue};

/// The `[project] version`, or `None` when the version is dynamic (maturin
/// then takes it from `Cargo.toml`, so there is nothing to keep in sync).
pub fn version(path: &str, text: &str) -> Result<Option<StrValue>> {
    let doc = toml::parse(path, text)?;
    if doc.get("project").is_none() {
        bail!("{path}: no `[project]` table: add one with `name` and `version`");
    }
    let dynamic = toml::get_value(doc.as_item(), &["project", "dynamic"])
        .and_then(|v| v.as_array())
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("version")));
    match toml::get_str(path, text, &doc, &["project", "version"])? {
        Some(v) => Ok(Some(v)),
        None if dynamic => Ok(None),
        None => bail!(
            "{path}: `[project]` has no `version`: add `version = \"…\"` or list it in `dynamic`"
        ),
    }
}

/// Rewrites the static `[project] version` to `new` (already in PEP 440 form).
pub fn set_version(path: &str, text: &str, new: &str) -> Result<String> {
    match version(path, text)? {
        Some(found) => toml::replace_str(text, &found.span, new)
            .with_context(|| format!("{path}:{}", found.line)),
        None => Ok(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_versions_are_rewritten_in_place() {
        let text = "[build-system]\nrequires = [\"maturin\"]\n\n[project]\nname = \"p\"\n# static on purpose\nversion = \"0.3.0\"  # keep\n";
        assert_eq!(version("p", text).unwrap().unwrap().line, 7);
        assert_eq!(
            set_version("p", text, "0.4.0rc1").unwrap(),
            text.replace("\"0.3.0\"", "\"0.4.0rc1\"")
        );
    }

    #[test]
    fn dynamic_versions_are_left_alone() {
        let text = "[project]\nname = \"p\"\ndynamic = [\"version\"]\n";
        assert_eq!(version("p", text).unwrap(), None);
        assert_eq!(set_version("p", text, "1.0.0").unwrap(), text);
    }

    #[test]
    fn missing_versions_and_tables_are_errors() {
        let err = version("py/pyproject.toml", "[project]\nname = \"p\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "py/pyproject.toml: `[project]` has no `version`: add `version = \"…\"` or list it in `dynamic`"
        );
        let err = version("p", "[tool.x]\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "p: no `[project]` table: add one with `name` and `version`"
        );
        let err = version("p", "[project\n").unwrap_err();
        assert!(err.to_string().starts_with("p:1: invalid TOML"), "{err}");
    }
}
