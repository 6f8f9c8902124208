//! `wheels`: the wheels a Python package's release must show on its index.

use anyhow::{Result, bail};

use toml_edit::Item;

use crate::model::config::PackageConfig;
use crate::text::toml::get_item;

/// The wheels of the release guide: seven platforms, one abi3 wheel each.
/// Each is a pattern over a wheel's `PYTHON-ABI-PLATFORM` tags (`*` any run
/// of characters, `?` one).
pub const DEFAULT_WHEELS: [&str; 7] = [
    "*-abi3-manylinux*_x86_64",
    "*-abi3-manylinux*_aarch64",
    "*-abi3-musllinux_1_2_x86_64",
    "*-abi3-musllinux_1_2_aarch64",
    "*-abi3-macosx_*_x86_64",
    "*-abi3-macosx_*_arm64",
    "*-abi3-win_amd64",
];

/// How a binding's wheels are built, read off its manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abi {
    /// abi3 (`abi3-py39` and the like), or no pyo3 dependency seen: one
    /// wheel per platform for every Python, as the release guide builds.
    Abi3,
    /// pyo3 without abi3: a wheel per Python version and platform.
    PerVersion,
}

impl Abi {
    /// From the binding's `Cargo.toml`, its `pyproject.toml` and the root
    /// manifest: per version when it depends on pyo3 and no abi3 feature is
    /// in sight (pyo3's `features`, its workspace dependency's, a crate
    /// feature naming `pyo3/abi3…`, `[tool.maturin] features`). A text that
    /// does not parse, or no pyo3, leaves the guide's abi3.
    pub fn of(manifest: &str, pyproject: Option<&str>, root: Option<&str>) -> Abi {
        let doc = |text: &str| crate::text::toml::parse("", text).ok();
        let Some(manifest) = doc(manifest) else {
            return Abi::Abi3;
        };
        let Some(pyo3) = get_item(manifest.as_item(), &["dependencies", "pyo3"]) else {
            return Abi::Abi3;
        };
        let abi3 = |item: Option<&Item>, prefix: &str| {
            item.and_then(Item::as_array).is_some_and(|features| {
                features
                    .iter()
                    .any(|f| f.as_str().is_some_and(|f| f.starts_with(prefix)))
            })
        };
        // The workspace's pyo3: the root manifest's, or the binding's own
        // when it is the root.
        let inherited = || {
            let root = root.and_then(doc);
            let root = root.as_ref().unwrap_or(&manifest);
            let dep = get_item(root.as_item(), &["workspace", "dependencies", "pyo3"])?;
            Some(abi3(dep.get("features"), "abi3"))
        };
        let crate_feature = || {
            let features = manifest.get("features")?.as_table_like()?;
            Some(
                features
                    .iter()
                    .any(|(_, list)| abi3(Some(list), "pyo3/abi3")),
            )
        };
        let maturin = || {
            let pyproject = pyproject.and_then(doc)?;
            let features = get_item(pyproject.as_item(), &["tool", "maturin", "features"]);
            Some(abi3(features, "pyo3/abi3"))
        };
        let declared = abi3(pyo3.get("features"), "abi3")
            || inherited().unwrap_or(false)
            || crate_feature().unwrap_or(false)
            || maturin().unwrap_or(false);
        match declared {
            true => Abi::Abi3,
            false => Abi::PerVersion,
        }
    }
}

/// `wheels`: a Python package's own list, else the release guide's seven
/// platforms, an abi3 wheel each (`abi`: any wheel of the platform when
/// the binding builds one per Python version); a crate has none (and may
/// not set any).
pub fn of(c: &PackageConfig, is_py: bool, abi: Abi) -> Result<Vec<String>> {
    match (&c.wheels, is_py) {
        (Some(list), true) => {
            if let Some(bad) = list.iter().find(|w| w.is_empty() || w.contains(['/', ' '])) {
                bail!(
                    "{}: `wheels` entry `{bad}` is not a wheel tag pattern: write PYTHON-ABI-PLATFORM with `*` and `?`, e.g. \"*-abi3-win_amd64\"",
                    c.origin
                );
            }
            Ok(list.clone())
        }
        (None, true) => Ok(DEFAULT_WHEELS
            .map(|w| match abi {
                Abi::Abi3 => w.to_string(),
                Abi::PerVersion => w.replace("-abi3-", "-*-"),
            })
            .to_vec()),
        (Some(_), false) => bail!(
            "{}: `wheels` is for a Python package (one with a pyproject.toml): remove it from `{}`",
            c.origin,
            c.name
        ),
        (None, false) => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abi3_is_read_where_pyo3_declares_it() {
        let dep = |features: &str| {
            format!("[dependencies]\npyo3 = {{ version = \"0.22\", features = [{features}] }}\n")
        };
        let per_version = dep("\"extension-module\"");
        let abi3 = dep("\"extension-module\", \"abi3-py39\"");
        let inherits = "[dependencies]\npyo3 = { workspace = true }\n";
        let workspace_abi3 = "[workspace.dependencies]\npyo3 = { version = \"0.22\", features = [\"abi3-py310\"] }\n";
        let maturin = "[tool.maturin]\nfeatures = [\"pyo3/abi3-py38\"]\n";
        let feature = format!("{per_version}[features]\nabi3 = [\"pyo3/abi3-py38\"]\n");
        let table = "[dependencies.pyo3]\nversion = \"0.22\"\nfeatures = [\"abi3-py39\"]\n";
        let git = "[dependencies]\npyo3 = { git = \"https://example.invalid/pyo3#rev\", features = [\"abi3-py39\"] }\n";
        let cases: [(&str, Option<&str>, Option<&str>, Abi); 12] = [
            (&abi3, None, None, Abi::Abi3),
            (&per_version, None, None, Abi::PerVersion),
            (&per_version, Some(maturin), None, Abi::Abi3),
            (inherits, None, Some(workspace_abi3), Abi::Abi3),
            (
                inherits,
                None,
                Some("[workspace.dependencies]\npyo3 = \"0.22\"\n"),
                Abi::PerVersion,
            ),
            (&feature, None, None, Abi::Abi3),
            (
                &format!("{inherits}{workspace_abi3}"),
                None,
                None,
                Abi::Abi3,
            ),
            (table, None, None, Abi::Abi3),
            (git, None, None, Abi::Abi3),
            // No pyo3 (another binding generator, or none): the guide's wheels.
            ("[package]\nname = \"x\"\n", None, None, Abi::Abi3),
            // abi3 named elsewhere (a comment, another package's wheels) is no feature.
            (
                &format!("{per_version}# features = [\"abi3-py39\"]\n"),
                None,
                Some("wheels = [\"*-abi3-win_amd64\"]\n"),
                Abi::PerVersion,
            ),
            ("not toml [", None, None, Abi::Abi3),
        ];
        for (manifest, pyproject, root, abi) in cases {
            assert_eq!(
                Abi::of(manifest, pyproject, root),
                abi,
                "{manifest:?} {pyproject:?} {root:?}"
            );
        }
    }
}
