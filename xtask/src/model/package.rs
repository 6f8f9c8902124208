//! The model's parts: a member crate as its manifest says, a package as the
//! release configuration releases it, and where the workspace's files sit.

use anyhow::Result;
use semver::Version;

use crate::model::config::Mention;
use crate::text::manifest::DepRef;
use crate::text::tag_index::TagIndex;
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
    pub repository: Option<String>,
    /// Where its configuration was read (or that it has none), for messages.
    pub origin: String,
}

/// Which tags the previous-release rule takes for a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// Up to the version itself: a manifest's version tagged already is
    /// its own previous release (what `release` starts from).
    NotAbove,
    /// Strictly below it: the release before a version being made (its
    /// notes' and compare links' base).
    Below,
}

impl Package {
    /// Every tag template its releases were made under: its `tag`.
    pub fn templates(&self) -> impl Iterator<Item = &TagTemplate> {
        std::iter::once(&self.tag)
    }

    /// The previous-release rule, the one every command asks: the tag of the
    /// package's series with the highest version not above `version` (or
    /// below it), merged into HEAD or not (a release tagged on a branch off
    /// main counts; a stray tag above the version does not).
    pub fn previous_release(
        &self,
        tags: &TagIndex,
        version: &Version,
        bound: Previous,
    ) -> Option<(String, Version)> {
        let keep = |o: std::cmp::Ordering| match bound {
            Previous::NotAbove => o.is_le(),
            Previous::Below => o.is_lt(),
        };
        self.templates()
            .filter_map(|t| tags.newest(t, keep, version))
            .max_by(|a, b| self.tag.cmp(&a.1, &b.1))
    }

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
