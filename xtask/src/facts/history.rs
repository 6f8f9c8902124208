//! A package's commits since its previous release, read with git and parsed.

use anyhow::Result;
use semver::Version;
use xshell::Shell;

use crate::adapters::git;
use crate::changelog::{self, Commit, Format};
use crate::model::config::Config;
use crate::model::package::Package;
use crate::text::tag_index::TagIndex;
use crate::text::version::Level;

#[derive(Debug, Clone, Default)]
pub struct History {
    /// The previous release's tag (`previous_tag`), where the history starts.
    pub previous_tag: Option<String>,
    /// Commits touching the package's paths, oldest first.
    pub commits: Vec<Commit>,
}

/// The previous release of `package`'s manifest version, by the rule of
/// `model::release_tags` (merged into HEAD or not; a stray tag above the
/// manifest, or main's newer releases seen from a maintenance branch, never).
pub fn previous_tag(package: &Package, tags: &TagIndex) -> Option<(String, Version)> {
    package.previous_release(tags, &package.version)
}

/// Commits since `since` (default: the previous tag of the series) that touch the package's paths.
pub fn read(
    sh: &Shell,
    package: &Package,
    tags: &TagIndex,
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
        commits: ours_left_out(&log),
    })
}

/// Commits of `package` from `from` (its previous release; `None`: the
/// first commit) to `to` (a release's tag): that release's history.
pub fn read_range(sh: &Shell, package: &Package, from: Option<&str>, to: &str) -> Result<History> {
    let range = match from {
        Some(from) => format!("{from}..{to}"),
        None => to.to_string(),
    };
    let log = git::log(sh, Some(&range), &package.paths, changelog::LOG_FORMAT)?;
    Ok(History {
        previous_tag: from.map(str::to_string),
        commits: ours_left_out(&log),
    })
}

/// The commits of `log` but the tool's own after a release (`next-dev`'s
/// move to the next development version): no change to count or draft.
fn ours_left_out(log: &str) -> Vec<Commit> {
    let next_dev = crate::model::config::NEXT_DEV_MESSAGE;
    changelog::without_release_commits(&changelog::parse_log(log), &[next_dev])
}

impl History {
    /// The level these commits call for, with the reason.
    pub fn suggest(&self, package: &Package) -> Option<(Level, String)> {
        changelog::suggest(&self.commits, &package.version)
    }

    /// Why drafting found nothing, from what it looked at: `3 commits since
    /// v0.6.26, all chore or style` or `no commits since v0.6.26`.
    pub fn nothing_drafted(&self, config: &Config) -> String {
        let release_subjects = [
            config.commit_message.as_str(),
            config.pr_commit_message.as_str(),
        ];
        let commits = changelog::without_release_commits(&self.commits, &release_subjects);
        let since = match &self.previous_tag {
            Some(tag) => format!("since {tag}"),
            None => "in the history".to_string(),
        };
        let mut kinds: Vec<&str> = Vec::new();
        for commit in &commits {
            let kind = commit_type(&commit.subject).unwrap_or("not conventional");
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds.sort_unstable();
        match commits.len() {
            0 => format!("no commits {since}"),
            1 => format!("1 commit {since}, {}", kinds.join(" or ")),
            n => format!("{n} commits {since}, all {}", kinds.join(" or ")),
        }
    }

    /// Draft release notes in the given format for the release tagged
    /// `new_tag`, without the configuration's `exclude-types` nor the tool's
    /// own release commits (`commit-message`, `pr-commit-message`).
    /// Notes drafted from the commits; their links point into `repo`
    /// (`Workspace::link_base`).
    pub fn render(
        &self,
        repo: Option<&str>,
        config: &Config,
        format: Format,
        new_tag: &str,
    ) -> String {
        let release_subjects = [
            config.commit_message.as_str(),
            config.pr_commit_message.as_str(),
        ];
        let exclude: Vec<&str> = config.exclude_types.iter().map(String::as_str).collect();
        let commits = changelog::without_release_commits(&self.commits, &release_subjects);
        match format {
            Format::KeepAChangelog => changelog::render_keepachangelog(&commits, &exclude, repo),
            Format::WhatsChanged => changelog::render_whats_changed(
                &commits,
                &exclude,
                repo,
                self.previous_tag.as_deref(),
                new_tag,
            ),
        }
    }
}

/// The conventional type of a subject: `chore` of `chore(ci)!: …`.
fn commit_type(subject: &str) -> Option<&str> {
    let (head, _) = subject.split_once(':')?;
    let kind = head.split(['(', '!']).next()?.trim();
    let conventional = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric());
    conventional.then_some(kind)
}
