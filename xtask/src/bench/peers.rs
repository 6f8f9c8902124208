//! The tools the xtask is compared with: parse-changelog (a cargo binary) and
//! git-cliff (from PyPI, into the project venv).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::adapters::python::Venv;

pub const PARSE_CHANGELOG: &str = "parse-changelog";
pub const GIT_CLIFF: &str = "git-cliff";

/// How to get a missing peer.
pub fn install_hint(tool: &str) -> &'static str {
    if tool == PARSE_CHANGELOG {
        "cargo install --locked parse-changelog (or cargo xtask bench --install-peers)"
    } else {
        ".venv/bin/python -m pip install git-cliff (or cargo xtask bench --install-peers)"
    }
}

fn on_path(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// parse-changelog on PATH, else where `cargo install` puts it.
pub fn parse_changelog() -> Option<PathBuf> {
    on_path(PARSE_CHANGELOG).or_else(|| {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
        Some(home.join("bin").join(PARSE_CHANGELOG)).filter(|p| p.is_file())
    })
}

/// git-cliff in the project venv first, then on PATH.
pub fn git_cliff(venv: &Venv) -> Option<PathBuf> {
    Some(venv.bin(GIT_CLIFF))
        .filter(|p| p.is_file())
        .or_else(|| on_path(GIT_CLIFF))
}

/// Installs both peers: parse-changelog with cargo, git-cliff into the venv.
pub fn install(sh: &Shell, venv: &Venv) -> Result<()> {
    cmd!(sh, "cargo install --locked {PARSE_CHANGELOG}")
        .run()
        .context("cargo could not install parse-changelog: check the network, then rerun with --install-peers")?;
    venv.ensure(sh)?;
    let python = venv.python();
    cmd!(
        sh,
        "{python} -m pip install --quiet --disable-pip-version-check {GIT_CLIFF}"
    )
    .run()
    .context("pip could not install git-cliff into .venv: check the network, then rerun with --install-peers")?;
    Ok(())
}
