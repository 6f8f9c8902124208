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

/// The package's top-level module and its source folder, from the binding's
/// `pyproject.toml` (`[tool.maturin] module-name`, `python-source`):
/// `edgequake_litellm._core` in `python` gives `("edgequake_litellm", "python")`.
pub fn module(pyproject_path: &str, text: &str) -> Result<(String, String)> {
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| anyhow::anyhow!("{pyproject_path}: not TOML: {e}"))?;
    let maturin = doc.get("tool").and_then(|t| t.get("maturin"));
    let module = maturin
        .and_then(|m| m.get("module-name"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .or_else(|| {
            doc.get("project")
                .and_then(|p| p.get("name"))
                .and_then(|v| v.as_str())
                .map(|n| n.replace('-', "_"))
        });
    let Some(module) = module else {
        bail!(
            "{pyproject_path}: no [tool.maturin] module-name nor [project] name: add module-name = \"pkg._core\""
        );
    };
    let source = maturin
        .and_then(|m| m.get("python-source"))
        .and_then(|v| v.as_str())
        .unwrap_or(".")
        .to_string();
    let top = module.split('.').next().unwrap_or(&module).to_string();
    Ok((top, source))
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

    #[test]
    fn python_module_from_maturin_settings() {
        let text = "[project]\nname = \"edgequake-litellm\"\n[tool.maturin]\npython-source = \"python\"\nmodule-name = \"edgequake_litellm._core\"\n";
        assert_eq!(
            module("p/pyproject.toml", text).unwrap(),
            ("edgequake_litellm".into(), "python".into())
        );
        assert_eq!(
            module("p/pyproject.toml", "[project]\nname = \"my-pkg\"\n").unwrap(),
            ("my_pkg".into(), ".".into())
        );
        let err = module("p/pyproject.toml", "[tool.x]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("p/pyproject.toml") && err.contains("module-name"),
            "{err}"
        );
    }
}
