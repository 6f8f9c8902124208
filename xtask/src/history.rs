//! A package's commits since its previous release, read with git and parsed.

use anyhow::Result;
use semver::Version;
use xshell::Shell;

use crate::changelog::{self, Commit};
use crate::git;
use crate::version::Level;
use crate::workspace::Package;

#[derive(Debug, Clone, Default)]
pub struct History {
    /// The newest tag of the package's series, where the history starts.
    pub previous_tag: Option<String>,
    /// Commits touching the package's paths, oldest first.
    pub commits: Vec<Commit>,
}

/// The newest tag of `package`'s series among `tags`.
pub fn previous_tag(package: &Package, tags: &[String]) -> Option<(String, Version)> {
    package.tag.latest(tags.iter().map(String::as_str))
}

/// Commits since `since` (default: the previous tag of the series) that touch the package's paths.
pub fn read(
    sh: &Shell,
    package: &Package,
    tags: &[String],
    since: Option<&str>,
) -> Result<History> {
    let previous_tag = match since {
        Some(tag) => Some(tag.to_string()),
        None => previous_tag(package, tags).map(|(tag, _)| tag),
    };
    let range = previous_tag.as_ref().map(|t| format!("{t}..HEAD"));
    let log = git::log(sh, range.as_deref(), &package.paths, changelog::LOG_FORMAT)?;
    Ok(History {
        previous_tag,
        commits: changelog::parse_log(&log),
    })
}

impl History {
    /// The level these commits call for, with the reason.
    pub fn suggest(&self, package: &Package) -> Option<(Level, String)> {
        changelog::suggest(&self.commits, &package.version)
    }

    /// Draft release notes in the given format for the release tagged `new_tag`.
    pub fn render(
        &self,
        package: &Package,
        exclude: &[String],
        format: Format,
        new_tag: &str,
    ) -> String {
        let exclude: Vec<&str> = exclude.iter().map(String::as_str).collect();
        let repo = package.repository.as_deref();
        match format {
            Format::KeepAChangelog => {
                changelog::render_keepachangelog(&self.commits, &exclude, repo)
            }
            Format::WhatsChanged => changelog::render_whats_changed(
                &self.commits,
                &exclude,
                repo,
                self.previous_tag.as_deref(),
                new_tag,
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    KeepAChangelog,
    WhatsChanged,
}

impl Format {
    pub const NAMES: [&'static str; 2] = ["keepachangelog", "whats-changed"];

    pub fn parse(name: &str) -> Format {
        if name == "whats-changed" {
            Format::WhatsChanged
        } else {
            Format::KeepAChangelog
        }
    }
}
