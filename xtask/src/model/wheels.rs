//! `wheels`: the wheels a Python package's release must show on its index.

use anyhow::{Result, bail};

use crate::model::config::PackageConfig;

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
    /// From the texts that may declare it: the binding's `Cargo.toml`, its
    /// `pyproject.toml` (`[tool.maturin] features = ["pyo3/abi3-py39"]`) and
    /// the root manifest (`[workspace.dependencies] pyo3`). A pyo3
    /// dependency with no `abi3` anywhere builds a wheel per version.
    pub fn of(texts: &[&str]) -> Abi {
        let code = |text: &str| -> String {
            text.lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let texts: Vec<String> = texts.iter().map(|t| code(t)).collect();
        let pyo3 = texts.iter().any(|t| t.contains("pyo3"));
        let abi3 = texts.iter().any(|t| t.contains("abi3"));
        match pyo3 && !abi3 {
            true => Abi::PerVersion,
            false => Abi::Abi3,
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
        let pyo3 =
            "[dependencies]\npyo3 = { version = \"0.22\", features = [\"extension-module\"] }\n";
        let abi3 = "[dependencies]\npyo3 = { version = \"0.22\", features = [\"abi3-py39\"] }\n";
        let maturin = "[tool.maturin]\nfeatures = [\"pyo3/abi3-py38\"]\n";
        let cases: [(&[&str], Abi); 6] = [
            (&[abi3], Abi::Abi3),
            (&[pyo3], Abi::PerVersion),
            (&[pyo3, maturin], Abi::Abi3),
            (
                &[
                    pyo3,
                    "",
                    "[workspace.dependencies]\npyo3 = { version = \"0.22\", features = [\"abi3-py310\"] }\n",
                ],
                Abi::Abi3,
            ),
            // No pyo3 seen (another binding generator, or none): the guide's wheels.
            (&["[package]\nname = \"x\"\n"], Abi::Abi3),
            // A comment is no declaration.
            (
                &[&format!("{pyo3}# features = [\"abi3-py39\"]\n")],
                Abi::PerVersion,
            ),
        ];
        for (texts, abi) in cases {
            assert_eq!(Abi::of(texts), abi, "{texts:?}");
        }
    }
}
