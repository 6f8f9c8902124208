//! The model's parts: a member crate as its manifest says, a package as the
//! release configuration releases it, and where the workspace's files sit.

use anyhow::Result;
use semver::Version;

use crate::model::config::Mention;
use crate::text::manifest::DepRef;
use crate::text::tags::TagTemplate;

#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    /// Manifest path relative to the root, e.g. `edgequake-llm/Cargo.toml`.
    pub manifest: String,
    /// The folder, relative to the root (`.` for a root package).
    pub dir: String,
    /// The folder of the Cargo workspace it belongs to: `.` for the root
    /// workspace's members, its own folder for a standalone package. Cargo
    /// runs there, and its `Cargo.lock` sits there.
    pub cargo_root: String,
    pub version: Version,
    pub version_line: usize,
    /// `version.workspace = true`.
    pub inherited: bool,
    pub publish: bool,
    /// `[package] repository` (or the workspace's), without a trailing `/` or `.git`.
    pub repository: Option<String>,
    pub deps: Vec<DepRef>,
}

/// A package this configuration releases.
#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    pub flag: String,
    pub manifest: String,
    pub version: Version,
    pub tag: TagTemplate,
    /// `previous-tags`: earlier series whose tags are its releases too
    /// (never made again); see `release_tags`.
    pub previous_tags: Vec<TagTemplate>,
    /// Its changelog; `None` when it keeps none (`changelog = false`, or
    /// none found): notes then come from the commits and change files.
    pub changelog: Option<String>,
    pub pyproject: Option<String>,
    pub paths: Vec<String>,
    /// Other members released with it, at its version (`crates`).
    pub crates: Vec<String>,
    /// Each binding of the group with a `pyproject.toml`: (crate, path).
    pub group_pyprojects: Vec<(String, String)>,
    pub mentions: Vec<Mention>,
    /// A Python package's wheel patterns (`PYTHON-ABI-PLATFORM` globs), each
    /// a wheel its release must show on the index; none for a crate.
    pub wheels: Vec<String>,
    /// `pre-start`: the first number of a new train or label (`rc.0` or `rc.1`).
    pub pre_start: u64,
    /// `fragments`: the folder of its towncrier news fragments, if it has one.
    pub fragments: Option<String>,
    /// `next-dev`: the level of the next version whose `-dev.0` follows
    /// its release, in a second commit; `None`: no such commit.
    pub next_dev: Option<crate::text::version::Level>,
    pub repository: Option<String>,
    /// Where its configuration was read (or that it has none), for messages.
    pub origin: String,
}

impl Package {
    /// The version in SemVer, with its PyPI spelling beside it where the two
    /// differ for a Python package: `0.9.0-beta.5 (PyPI 0.9.0b5)`.
    pub fn labelled(&self, version: &Version) -> String {
        let semver = version.to_string();
        match self
            .pyproject
            .as_ref()
            .and_then(|_| crate::text::version::to_pep440(version).ok())
        {
            Some(pep) if pep != semver => format!("{semver} (PyPI {pep})"),
            _ => semver,
        }
    }

    /// The form of the version users see: PEP 440 for a Python package.
    pub fn display(&self, version: &Version) -> Result<String> {
        if self.pyproject.is_some() {
            crate::text::version::to_pep440(version)
        } else {
            Ok(version.to_string())
        }
    }
}

pub const ROOT_MANIFEST: &str = "Cargo.toml";
pub const LOCK: &str = "Cargo.lock";

/// `file` in the folder `dir`, relative to the root (`.` is the root).
pub fn rel_join(dir: &str, file: &str) -> String {
    if dir == "." || dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}
