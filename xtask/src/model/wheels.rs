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

/// `wheels`: a Python package's own list, else the release guide's seven
/// abi3 wheels; a crate has none (and may not set any).
pub fn of(c: &PackageConfig, is_py: bool) -> Result<Vec<String>> {
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
        (None, true) => Ok(DEFAULT_WHEELS.map(String::from).to_vec()),
        (Some(_), false) => bail!(
            "{}: `wheels` is for a Python package (one with a pyproject.toml): remove it from `{}`",
            c.origin,
            c.name
        ),
        (None, false) => Ok(Vec::new()),
    }
}
