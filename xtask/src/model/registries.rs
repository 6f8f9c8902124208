//! `[…release.registries]` of the release configuration: where `publish`
//! uploads and `verify-published` looks.

use anyhow::{Result, bail};
use toml_edit::Item;

use crate::model::config_keys::{check_keys, string};

/// `[…release.registries]`: where `publish` uploads and `verify-published` looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registries {
    /// A registry named in cargo's configuration (`[registries.NAME]`), used
    /// instead of `crate_index` when set.
    pub crate_registry: Option<String>,
    /// The crate registry's index URL.
    pub crate_index: String,
    /// The Python upload endpoint (twine's `--repository-url`).
    pub python_upload: String,
    /// The Python simple index (PEP 503), where releases are looked up.
    pub python_index: String,
}

pub const CRATES_IO_INDEX: &str = "sparse+https://index.crates.io/";

impl Default for Registries {
    fn default() -> Self {
        Registries {
            crate_registry: None,
            crate_index: CRATES_IO_INDEX.into(),
            python_upload: "https://upload.pypi.org/legacy/".into(),
            python_index: "https://pypi.org/simple/".into(),
        }
    }
}

/// The keys of the `registries` table.
pub const REGISTRY_KEYS: [&str; 4] = [
    "crate-registry",
    "crate-index",
    "python-upload",
    "python-index",
];
/// Reads the `registries` table.
pub fn read(item: &Item, origin: &str) -> Result<Registries> {
    let Some(table) = item.as_table_like() else {
        bail!("{origin}: must be a table: write `[…release.registries]`");
    };
    check_keys(table, &REGISTRY_KEYS, origin)?;
    let mut out = Registries::default();
    if let Some(name) = string(table, "crate-registry", origin)? {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            bail!(
                "{origin}: `crate-registry = \"{name}\"` is not a registry name: use the NAME of a `[registries.NAME]` table of cargo's configuration"
            );
        }
        out.crate_registry = Some(name);
    }
    let urls = [
        (
            "crate-index",
            &mut out.crate_index,
            &[
                "sparse+http://",
                "sparse+https://",
                "https://",
                "http://",
                "file://",
                "ssh://",
                "git://",
            ][..],
        ),
        (
            "python-upload",
            &mut out.python_upload,
            &["https://", "http://"][..],
        ),
        (
            "python-index",
            &mut out.python_index,
            &["https://", "http://", "file://"][..],
        ),
    ];
    for (key, slot, schemes) in urls {
        if let Some(url) = string(table, key, origin)? {
            if !schemes
                .iter()
                .any(|s| url.starts_with(s) && url.len() > s.len())
            {
                bail!(
                    "{origin}: `{key} = \"{url}\"` is not a URL: it must start with {}",
                    schemes.join(", ")
                );
            }
            *slot = url;
        }
    }
    if out.crate_registry.is_some() && table.get("crate-index").is_some() {
        bail!(
            "{origin}: `crate-registry` and `crate-index` both name the crate registry: keep one"
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Config;

    fn parse(text: &str) -> Result<Config> {
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        crate::model::config::from_table(Some(doc.as_item()), "release.toml")
    }

    #[test]
    fn registries_default_to_the_public_ones() {
        let config = parse("branch = \"main\"").unwrap();
        assert_eq!(config.registries, Registries::default());
        assert_eq!(
            config.registries.crate_index,
            "sparse+https://index.crates.io/"
        );
        assert_eq!(
            config.registries.python_upload,
            "https://upload.pypi.org/legacy/"
        );
        assert_eq!(config.registries.python_index, "https://pypi.org/simple/");
        assert_eq!(config.registries.crate_registry, None);
    }

    #[test]
    fn registries_are_read_and_checked() {
        let config = parse(
            "[registries]\ncrate-registry = \"local\"\npython-upload = \"http://127.0.0.1:8080/\"\npython-index = \"http://127.0.0.1:8080/simple/\"\n",
        )
        .unwrap();
        assert_eq!(config.registries.crate_registry.as_deref(), Some("local"));
        assert_eq!(config.registries.python_upload, "http://127.0.0.1:8080/");
        assert_eq!(
            config.registries.python_index,
            "http://127.0.0.1:8080/simple/"
        );
        let config = parse("[registries]\ncrate-index = \"file:///srv/index\"\n").unwrap();
        assert_eq!(config.registries.crate_index, "file:///srv/index");

        let cases = [
            (
                "[registries]\ncrate-idx = \"x\"",
                "release.toml registries: unknown key `crate-idx`: the keys are crate-registry, crate-index, python-upload, python-index",
            ),
            (
                "[registries]\ncrate-index = \"index.crates.io\"",
                "release.toml registries: `crate-index = \"index.crates.io\"` is not a URL: it must start with sparse+http://, sparse+https://, https://, http://, file://, ssh://, git://",
            ),
            (
                "[registries]\npython-upload = \"ftp://x\"",
                "release.toml registries: `python-upload = \"ftp://x\"` is not a URL: it must start with https://, http://",
            ),
            (
                "[registries]\ncrate-registry = \"my registry\"",
                "release.toml registries: `crate-registry = \"my registry\"` is not a registry name: use the NAME of a `[registries.NAME]` table of cargo's configuration",
            ),
            (
                "[registries]\ncrate-registry = \"local\"\ncrate-index = \"file:///x\"",
                "release.toml registries: `crate-registry` and `crate-index` both name the crate registry: keep one",
            ),
            (
                "registries = 3",
                "release.toml registries: must be a table: write `[…release.registries]`",
            ),
            (
                "[registries]\npython-index = 3",
                "release.toml registries: `python-index` must be a string",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), message, "{text}");
        }
    }
}
