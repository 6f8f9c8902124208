//! `Cargo.toml`: the package version, dependency pins on released crates.

use anyhow::{Context, Result, bail};
use semver::{Version, VersionReq};
use toml_edit::Document;

use super::requirement::DependentVersion;
use super::toml::{self, StrValue};

/// Where a package's version is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageVersion {
    Own(StrValue),
    /// `version.workspace = true`: the root's `[workspace.package] version`.
    Inherited,
}

/// `[package] name`, or `None` for a virtual manifest.
pub fn package_name(path: &str, text: &str, doc: &Document<String>) -> Result<Option<String>> {
    Ok(toml::get_str(path, text, doc, &["package", "name"])?.map(|s| s.value))
}

pub fn package_version(path: &str, text: &str, doc: &Document<String>) -> Result<PackageVersion> {
    let inherited = toml::get_value(doc.as_item(), &["package", "version", "workspace"])
        .and_then(|v| v.as_bool())
        == Some(true);
    if inherited {
        return Ok(PackageVersion::Inherited);
    }
    match toml::get_str(path, text, doc, &["package", "version"])? {
        Some(v) => Ok(PackageVersion::Own(v)),
        None => bail!("{path}: `[package]` has no `version`: add `version = \"0.1.0\"`"),
    }
}

/// Sets the string at `keys` (which must exist) to `new`.
fn set(path: &str, text: &str, keys: &[&str], new: &str) -> Result<String> {
    let doc = toml::parse(path, text)?;
    let Some(found) = toml::get_str(path, text, &doc, keys)? else {
        bail!("{path}: no `{}` to update", keys.join("."));
    };
    toml::replace_str(text, &found.span, new).with_context(|| format!("{path}:{}", found.line))
}

/// Rewrites `[package] version`.
pub fn set_package_version(path: &str, text: &str, new: &str) -> Result<String> {
    set(path, text, &["package", "version"], new)
}

/// Rewrites `[workspace.package] version`, which members inherit.
pub fn set_workspace_version(path: &str, text: &str, new: &str) -> Result<String> {
    set(path, text, &["workspace", "package", "version"], new)
}

/// One dependency entry of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepRef {
    /// The table holding it, e.g. `["dependencies"]`, `["target", "cfg(unix)", "dev-dependencies"]`.
    pub table: Vec<String>,
    /// The key it is listed under (may be a rename).
    pub key: String,
    /// The package it refers to (`package = "…"` or the key).
    pub package: String,
    /// The `version` requirement, if any.
    pub req: Option<StrValue>,
    /// `workspace = true`: the requirement lives in `[workspace.dependencies]`.
    pub inherited: bool,
    pub line: usize,
}

const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// Every dependency entry, in the package's tables, its `target.*` tables and
/// `[workspace.dependencies]`.
pub fn dependencies(path: &str, text: &str, doc: &Document<String>) -> Result<Vec<DepRef>> {
    let mut tables: Vec<Vec<String>> = KINDS.iter().map(|k| vec![k.to_string()]).collect();
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table_like()) {
        for (target, _) in targets.iter() {
            for kind in KINDS {
                tables.push(vec!["target".into(), target.to_string(), kind.into()]);
            }
        }
    }
    tables.push(vec!["workspace".into(), "dependencies".into()]);

    let mut out = Vec::new();
    for table in tables {
        let keys: Vec<&str> = table.iter().map(String::as_str).collect();
        let Some(entries) = lookup_table(doc, &keys) else {
            continue;
        };
        for (key, item) in entries.iter() {
            let mut full: Vec<&str> = keys.clone();
            full.push(key);
            let span_start = item
                .span()
                .or_else(|| item.as_value().and_then(|v| v.span()));
            let line = span_start.map_or(0, |s| toml::line_of(text, s.start));
            let (req, package, inherited) = if item.is_str() {
                (
                    toml::get_str(path, text, doc, &full)?,
                    key.to_string(),
                    false,
                )
            } else if item.is_table_like() {
                let at = |k: &'static str| {
                    let mut keys = full.clone();
                    keys.push(k);
                    keys
                };
                let package = toml::get_str(path, text, doc, &at("package"))?
                    .map_or(key.to_string(), |s| s.value);
                let inherited = toml::get_value(doc.as_item(), &at("workspace"))
                    .and_then(|v| v.as_bool())
                    == Some(true);
                (
                    toml::get_str(path, text, doc, &at("version"))?,
                    package,
                    inherited,
                )
            } else {
                bail!("{path}:{line}: dependency `{key}` must be a version string or a table");
            };
            let line = req.as_ref().map_or(line, |r| r.line);
            out.push(DepRef {
                table: table.clone(),
                key: key.to_string(),
                package,
                req,
                inherited,
                line,
            });
        }
    }
    Ok(out)
}

pub(super) fn lookup_table<'a>(
    doc: &'a Document<String>,
    keys: &[&str],
) -> Option<&'a dyn toml_edit::TableLike> {
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    for key in keys {
        table = table.get(key)?.as_table_like()?;
    }
    Some(table)
}

/// Rewrites the `version` requirement of the dependency `key` in `table`
/// to point at `new`, keeping its operator (`rewrite_requirement`).
pub fn set_dependency_req(
    path: &str,
    text: &str,
    table: &[String],
    key: &str,
    new: &Version,
) -> Result<String> {
    set_dependency_with(path, text, None, table, key, |req| {
        rewrite_requirement(req, new)
    })
}

/// Moves the `version` requirement of the dependency `key` in `table` for
/// `new` as `mode` says (`requirement::follow`): with the crate, or only as
/// far as `new` needs. `known` is the requirement as a parse of this very
/// text found it (`DepRef::req`), which spares parsing it again.
pub fn follow_dependency_req(
    path: &str,
    text: &str,
    known: Option<&StrValue>,
    table: &[String],
    key: &str,
    new: &Version,
    mode: DependentVersion,
) -> Result<String> {
    set_dependency_with(path, text, known, table, key, |req| {
        super::requirement::follow(req, new, mode)
    })
}

fn set_dependency_with(
    path: &str,
    text: &str,
    known: Option<&StrValue>,
    table: &[String],
    key: &str,
    rewrite: impl FnOnce(&str) -> Result<String>,
) -> Result<String> {
    let found = match known {
        Some(found) => found.clone(),
        None => requirement_of(path, text, table, key)?,
    };
    let req = rewrite(&found.value)
        .with_context(|| format!("{path}:{}: dependency `{key}`", found.line))?;
    if req == found.value {
        return Ok(text.to_string());
    }
    toml::replace_str(text, &found.span, &req)
}

/// The `version` requirement of the dependency `key` in `table`, parsed out of `text`.
fn requirement_of(path: &str, text: &str, table: &[String], key: &str) -> Result<StrValue> {
    let doc = toml::parse(path, text)?;
    let mut keys: Vec<&str> = table.iter().map(String::as_str).collect();
    keys.push(key);
    let is_string = toml::get_value(doc.as_item(), &keys).is_some_and(|v| v.is_str());
    if !is_string {
        keys.push("version");
    }
    toml::get_str(path, text, &doc, &keys)?.with_context(|| {
        format!(
            "{path}: dependency `{key}` in `[{}]` has no version requirement",
            table.join(".")
        )
    })
}

/// The operator the requirement starts with (`=`, `^`, `~`, `>=`, or none).
fn split_operator(req: &str) -> (&str, &str) {
    for op in [">=", "=", "^", "~"] {
        if let Some(rest) = req.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", req)
}

/// The same requirement pointing at `new`: `0.4.0` → `0.5.0`, `=0.4.0` →
/// `=0.5.0`, `^ 0.4` → `^ 0.5.0`. Ranges, wildcards and several comparators
/// are refused: there is no single pin to move.
pub fn rewrite_requirement(req: &str, new: &Version) -> Result<String> {
    let trimmed = req.trim();
    let valid = VersionReq::parse(trimmed).is_ok();
    if !valid
        || trimmed.contains(',')
        || trimmed.contains('*')
        || trimmed.contains('<')
        || trimmed.contains('>') && !trimmed.starts_with(">=")
    {
        bail!(
            "cannot rewrite the requirement `{req}`: write a single version such as \"{new}\" (optionally with ^, = or ~)"
        );
    }
    let (op, rest) = split_operator(trimmed);
    let space = &rest[..rest.len() - rest.trim_start().len()];
    Ok(format!("{op}{space}{new}"))
}

/// The version a requirement names, if it is a single pin (`=0.4.0` → 0.4.0).
pub fn pinned_version(req: &str) -> Option<Version> {
    let (_, rest) = split_operator(req.trim());
    Version::parse(rest.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn package_version_is_replaced_and_nothing_else() {
        let text = "# top\n[package]\nname = \"x\"\nversion   =   \"0.4.0\" # keep me\nedition = \"2024\"\n\n[dependencies]\nversion-check = \"0.4.0\"\n";
        let out = set_package_version("Cargo.toml", text, "0.5.0").unwrap();
        assert_eq!(
            out,
            text.replace("\"0.4.0\" # keep me", "\"0.5.0\" # keep me")
        );
        let literal = set_package_version("C", "[package]\nversion = '1.0.0'\n", "1.1.0").unwrap();
        assert_eq!(literal, "[package]\nversion = '1.1.0'\n");
        let crlf =
            set_package_version("C", "[package]\r\nversion = \"1.0.0\"\r\n", "2.0.0").unwrap();
        assert_eq!(crlf, "[package]\r\nversion = \"2.0.0\"\r\n");
    }

    #[test]
    fn missing_or_inherited_versions() {
        let doc = toml::parse("C", "[package]\nname = \"x\"\n").unwrap();
        let err = package_version("C", "[package]\nname = \"x\"\n", &doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            "C: `[package]` has no `version`: add `version = \"0.1.0\"`"
        );
        let text = "[package]\nversion.workspace = true\n";
        assert_eq!(
            package_version("C", text, &toml::parse("C", text).unwrap()).unwrap(),
            PackageVersion::Inherited
        );
        let text = "[workspace.package]\nversion = \"0.3.0\"\n";
        assert_eq!(
            set_workspace_version("C", text, "0.4.0").unwrap(),
            "[workspace.package]\nversion = \"0.4.0\"\n"
        );
        assert_eq!(
            set_package_version("C", "[workspace]\n", "1.0.0")
                .unwrap_err()
                .to_string(),
            "C: no `package.version` to update"
        );
    }

    #[test]
    fn requirements_keep_their_operator() {
        let cases = [
            ("0.4.0", "0.5.0"),
            ("=0.4.0", "=0.5.0"),
            ("= 0.4.0", "= 0.5.0"),
            ("^0.4", "^0.5.0"),
            ("~0.4.0", "~0.5.0"),
            (">=0.4.0", ">=0.5.0"),
            ("0.4.0-rc.1", "0.5.0"),
        ];
        for (old, new) in cases {
            assert_eq!(rewrite_requirement(old, &v("0.5.0")).unwrap(), new, "{old}");
        }
        for bad in [">=0.4, <0.6", "*", "<1.0", "0.4.*", "not a version", ""] {
            let err = rewrite_requirement(bad, &v("0.5.0"))
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("cannot rewrite the requirement"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn dependency_pins_are_rewritten_in_every_form() {
        let text = r#"[dependencies]
core = { path = "../core", version = "0.4.0", features = ["x"] } # pinned
plain = "0.4.0"
renamed = { package = "core", path = "../core", version = "=0.4.0" }

[dependencies.tabled]
version = "^0.4.0"
path = "../tabled"

[target.'cfg(unix)'.dev-dependencies]
core = { path = "../core", version = "0.4.0" }
"#;
        let doc = toml::parse("C", text).unwrap();
        let deps = dependencies("C", text, &doc).unwrap();
        let summary: Vec<String> = deps
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{}:{}@{}",
                    d.table.join("."),
                    d.key,
                    d.package,
                    d.req.as_ref().unwrap().value,
                    d.line
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                "dependencies:core:core:0.4.0@2",
                "dependencies:plain:plain:0.4.0@3",
                "dependencies:renamed:core:=0.4.0@4",
                "dependencies:tabled:tabled:^0.4.0@7",
                "target.cfg(unix).dev-dependencies:core:core:0.4.0@11",
            ]
        );
        let mut out = text.to_string();
        for dep in &deps {
            out = set_dependency_req("C", &out, &dep.table, &dep.key, &v("0.5.0")).unwrap();
        }
        let expected = text
            .replace("version = \"0.4.0\"", "version = \"0.5.0\"")
            .replace("plain = \"0.4.0\"", "plain = \"0.5.0\"")
            .replace("\"=0.4.0\"", "\"=0.5.0\"")
            .replace("\"^0.4.0\"", "\"^0.5.0\"");
        assert_eq!(out, expected);
    }

    #[test]
    fn inherited_and_versionless_dependencies() {
        let text = "[dependencies]\ncore = { workspace = true }\nlocal = { path = \"x\" }\n[workspace.dependencies]\ncore = { path = \"core\", version = \"1.0.0\" }\n";
        let deps = dependencies("C", text, &toml::parse("C", text).unwrap()).unwrap();
        assert!(deps[0].inherited && deps[0].req.is_none());
        assert!(!deps[1].inherited && deps[1].req.is_none());
        assert_eq!(deps[2].table, ["workspace", "dependencies"]);
        let err = set_dependency_req("C", text, &["dependencies".into()], "local", &v("1.0.0"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "C: dependency `local` in `[dependencies]` has no version requirement"
        );
        let bad = "[dependencies]\ncore = 3\n";
        let err = dependencies("C", bad, &toml::parse("C", bad).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "C:2: dependency `core` must be a version string or a table"
        );
    }

    #[test]
    fn pinned_versions() {
        assert_eq!(pinned_version("=0.4.0"), Some(v("0.4.0")));
        assert_eq!(pinned_version("^ 1.2.3-rc.1"), Some(v("1.2.3-rc.1")));
        assert_eq!(pinned_version("0.4"), None);
    }
}
