//! The release plan: for each selected package old → new version, every file
//! edit (bump, changelog, change files), the commit, the tags and the push,
//! computed from what is on disk. The dry run prints it; `--execute` runs it.
//! Floor: the release engine. Uses: facts, edit, model, changelog, text,
//! adapters, out, worktree.

pub mod action;
pub mod actions;
pub mod api_gate;
pub mod changes;
pub mod executor;
pub mod journal;
pub mod journal_action;
pub mod lock;
pub mod next_dev;
pub mod planner;
pub mod pr_branch;
pub mod selection;
pub mod subject;

use std::path::Path;

use chrono::NaiveDate;
use semver::Version;

pub use action::{Action, pr_command, push_command};

use crate::edit::Edits;
use crate::model::config::Mode;
use crate::out::json;

#[derive(Debug, Clone)]
pub struct Release {
    pub package: String,
    pub from: Version,
    pub to: Version,
    /// The new version in SemVer, as tags, commit subjects and messages write it.
    pub display: String,
    /// The new version for plan and status lines: SemVer, with the PyPI
    /// spelling beside it for a Python package (`0.9.0-beta.5 (PyPI 0.9.0b5)`).
    pub shown: String,
    pub tag: String,
    pub tag_message: String,
    /// Why this version: the level asked for, or the suggestion and its reason.
    pub why: String,
    /// What it is compared with: `since v0.4.0, 3 commit(s)`; `None` with no previous release.
    pub base: Option<String>,
    /// The API verdict's line: `api: compatible`, `api: 2 breaking changes (…)`.
    pub api: String,
    /// Why the pre-flight refuses this version for its API, if it does.
    pub api_refusal: Option<String>,
    /// The notes of a package that keeps no changelog: its change files'
    /// entries and the notes drafted from the commits (the PR body's, and
    /// what `changelog notes` prints for the version later).
    pub notes: Option<String>,
}

/// One problem per file the release writes that has changes not committed
/// (`dirty`, from the index or the work tree): the release would commit them.
pub fn uncommitted_problems(dirty: &[String]) -> Vec<String> {
    dirty
        .iter()
        .map(|path| {
            format!(
                "{path} has uncommitted changes the release would sweep in: commit or stash them (git stash)"
            )
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct ReleasePlan {
    pub mode: Mode,
    pub releases: Vec<Release>,
    /// Selected packages with nothing to release, and why.
    pub unchanged: Vec<(String, String)>,
    /// Said before the plan: a release asked for with no commits, say.
    pub warnings: Vec<String>,
    pub edits: Edits,
    /// The second commit's edits (`next-dev`), on the release commit's
    /// tree; none without it.
    pub next_edits: Edits,
    pub commit_message: String,
    /// The branch the release commit goes on (`release/next` in the PR flow).
    pub branch: String,
    /// The branch released from: the one pushed in the tag flow, the pull
    /// request's base in the PR flow (one of `branches`).
    pub base: String,
    /// The steps, in order.
    pub actions: Vec<Action>,
    /// The command that executes this plan.
    pub execute: String,
    /// What git signs, and with which of its settings (`signed by git: the
    /// tags (tag.gpgSign = true, …)`), when its configuration signs anything.
    pub signing: Option<String>,
    /// What to do once it is done: on a branch other than the main line,
    /// bring the new changelog sections to it (`changelog port`).
    pub next: Vec<String>,
}

pub struct Options {
    pub mode: Mode,
    pub date: NaiveDate,
    /// Append notes drafted from the commits to each changelog section.
    pub generate: bool,
    /// Release a changelog section with no entries.
    pub allow_empty: bool,
    /// Release a version below what the API verdict needs (`--allow-breaking`).
    pub allow_breaking: bool,
    /// Release a development version as asked (`--allow-dev`).
    pub allow_dev: bool,
    /// Options the plan was made with that the execute command must repeat
    /// (`--root`, `--config`, `--date`), already formatted.
    pub repeat: Vec<String>,
}

impl ReleasePlan {
    pub fn is_empty(&self) -> bool {
        self.releases.is_empty()
    }

    /// Why the pre-flight refuses a release's version for its API, by package.
    pub fn api_refusals(&self) -> std::collections::BTreeMap<String, String> {
        self.releases
            .iter()
            .filter_map(|r| Some((r.package.clone(), r.api_refusal.clone()?)))
            .collect()
    }

    /// The files the release writes, as paths from the root (its second
    /// commit's too).
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self.edits.changed().map(|e| e.path.clone()).collect();
        for edit in self.next_edits.changed() {
            if !files.contains(&edit.path) {
                files.push(edit.path.clone());
            }
        }
        files
    }

    /// The tags the plan creates (none in the PR flow: CI tags after the merge).
    pub fn tags(&self) -> Vec<String> {
        self.actions
            .iter()
            .filter_map(|a| match a {
                Action::Tag { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// What `git push` sends.
    pub fn push_refs(&self) -> Vec<String> {
        self.actions
            .iter()
            .find_map(|a| match a {
                Action::Push { refs, .. } => Some(refs.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The steps as a maintainer would type them.
    pub fn commands(&self) -> Vec<String> {
        self.actions.iter().map(|a| a.render(&self.edits)).collect()
    }

    /// The plan as a person reads it: versions, diffs, commands.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.releases.is_empty() {
            out.push_str("Nothing to release.\n");
        }
        for r in &self.releases {
            out.push_str(&format!(
                "release {} {} -> {} (tag {}; {}{})\n",
                r.package,
                r.from,
                r.shown,
                r.tag,
                r.why,
                r.base.as_ref().map_or(String::new(), |b| format!("; {b}"))
            ));
            out.push_str(&format!("  {}\n", r.api));
        }
        for (package, why) in &self.unchanged {
            out.push_str(&format!("unchanged {package}: {why}\n"));
        }
        if self.releases.is_empty() {
            return out;
        }
        out.push('\n');
        out.push_str(&self.edits.diff());
        if self.next_edits.changed().next().is_some() {
            out.push_str(
                "\nthen, the next development version (a second commit, after the tags):\n\n",
            );
            out.push_str(&self.next_edits.diff());
        }
        out.push('\n');
        for command in self.commands() {
            out.push_str(&format!("$ {command}\n"));
        }
        if let Some(signing) = &self.signing {
            out.push_str(&format!("({signing})\n"));
        }
        out
    }

    pub fn to_json(&self, status: &str) -> String {
        let releases = self.releases.iter().map(|r| {
            json::object(&[
                ("package", json::string(&r.package)),
                ("from", json::string(&r.from.to_string())),
                ("to", json::string(&r.to.to_string())),
                ("display", json::string(&r.display)),
                ("shown", json::string(&r.shown)),
                ("tag", json::string(&r.tag)),
                ("why", json::string(&r.why)),
                ("base", json::string(r.base.as_deref().unwrap_or(""))),
                ("api", json::string(&r.api)),
                (
                    "api_refusal",
                    json::string(r.api_refusal.as_deref().unwrap_or("")),
                ),
                ("notes", json::string(r.notes.as_deref().unwrap_or(""))),
            ])
        });
        let unchanged = self.unchanged.iter().map(|(p, why)| {
            json::object(&[("package", json::string(p)), ("why", json::string(why))])
        });
        let diffs = |edits: &Edits| -> Vec<String> {
            edits
                .changed()
                .map(|e| {
                    json::object(&[
                        ("path", json::string(&e.path)),
                        ("diff", json::string(&e.diff())),
                    ])
                })
                .collect()
        };
        let (files, next_files) = (diffs(&self.edits), diffs(&self.next_edits));
        json::object(&[
            ("status", json::string(status)),
            (
                "mode",
                json::string(if self.mode == Mode::Pr { "pr" } else { "tag" }),
            ),
            ("releases", json::array(releases)),
            ("unchanged", json::array(unchanged)),
            ("files", json::array(files)),
            ("next_files", json::array(next_files)),
            ("commit", json::string(&self.commit_message)),
            ("branch", json::string(&self.branch)),
            (
                "tags",
                json::array(self.tags().iter().map(|t| json::string(t))),
            ),
            (
                "push",
                json::array(self.push_refs().iter().map(|r| json::string(r))),
            ),
            (
                "commands",
                json::array(self.commands().iter().map(|c| json::string(c))),
            ),
            ("execute", json::string(&self.execute)),
            (
                "signing",
                self.signing.as_deref().map_or("null".into(), json::string),
            ),
        ])
    }

    /// A Markdown summary for `$GITHUB_STEP_SUMMARY`.
    pub fn markdown(&self, status: &str) -> String {
        let mut out = format!("## Release: {status}\n\n");
        if self.releases.is_empty() {
            out.push_str("Nothing to release.\n");
        } else {
            out.push_str("| package | from | to | tag | api |\n|---|---|---|---|---|\n");
            for r in &self.releases {
                out.push_str(&format!(
                    "| {} | {} | {} | `{}` | {} |\n",
                    r.package,
                    r.from,
                    r.shown,
                    r.tag,
                    r.api.trim_start_matches("api: ")
                ));
            }
            let files: Vec<String> = self
                .edits
                .changed()
                .map(|e| format!("`{}`", e.path))
                .collect();
            out.push_str(&format!(
                "\nFiles: {}\n\nCommit: `{}`\n",
                files.join(", "),
                self.commit_message
            ));
        }
        for (package, why) in &self.unchanged {
            out.push_str(&format!("\n- {package}: unchanged ({why})\n"));
        }
        out
    }
}

/// The global options `--execute` must be given again, as the dry run's
/// "Execute" line prints them: another root, a configuration file, a date.
pub fn repeat(root: Option<&Path>, config: Option<&Path>, date: Option<NaiveDate>) -> Vec<String> {
    let quote = crate::out::shell::word;
    let mut repeat = Vec::new();
    if let Some(root) = root {
        repeat.push(format!("--root {}", quote(root)));
    }
    if let Some(config) = config {
        repeat.push(format!("--config {}", quote(config)));
    }
    if let Some(date) = date {
        repeat.push(format!("--date {date}"));
    }
    repeat
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn execute_repeats_the_root_the_configuration_and_the_date() {
        assert!(repeat(None, None, None).is_empty());
        let date = NaiveDate::from_ymd_opt(2026, 3, 4);
        assert_eq!(
            repeat(
                Some(Path::new("/w/my repo")),
                Some(Path::new("release.toml")),
                date
            ),
            [
                "--root '/w/my repo'",
                "--config release.toml",
                "--date 2026-03-04"
            ]
        );
    }
}
