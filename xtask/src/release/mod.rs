//! The release plan: for each selected package old → new version, every file
//! edit (bump, changelog, change files), the commit, the tags and the push,
//! computed from what is on disk. The dry run prints it; `--execute` runs it.
//! Floor: the release engine. Uses: facts, edit, model, changelog, text,
//! adapters, out, worktree.

pub mod actions;
pub mod api_gate;
pub mod changes;
pub mod executor;
pub mod journal;
pub mod lock;
pub mod planner;
pub mod pr_branch;
pub mod selection;
pub mod subject;

pub use actions::repeat;

use semver::Version;

use chrono::NaiveDate;

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
}

/// One step of a release. The plan holds them in order: the dry run prints
/// them, `--execute` runs the very same list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Create the release branch and switch to it (the PR flow).
    Branch(String),
    /// Write the plan's file edits, all or nothing.
    Write,
    /// Commit these files (the written ones git does not ignore).
    Commit { message: String, files: Vec<String> },
    /// An annotated tag at the new HEAD.
    Tag { name: String, message: String },
    /// `git push --atomic remote refs…`, or `--set-upstream` for the PR
    /// flow's branch, replacing the remote's with a lease on its old tip.
    Push {
        remote: String,
        refs: Vec<String>,
        new_branch: bool,
        /// The remote branch's tip the push replaces (`--force-with-lease`).
        lease: Option<String>,
    },
    /// Back to the branch the release started from (the PR flow).
    SwitchBack(String),
    /// Open the pull request with gh when it is signed in, else say how;
    /// `update`: the branch was there, so its pull request is edited.
    PullRequest {
        base: String,
        head: String,
        title: String,
        body: String,
        update: bool,
    },
}

impl Action {
    /// The step as a maintainer would type it.
    pub fn render(&self, edits: &Edits) -> String {
        match self {
            Action::Branch(name) => format!("git switch --force-create {name}"),
            Action::Write => {
                let files: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
                format!("# write {} (the diff above)", files.join(", "))
            }
            Action::Commit { message, files } => {
                format!("git commit -m \"{message}\" -- {}", files.join(" "))
            }
            Action::Tag { name, message } => format!("git tag --annotate {name} -m \"{message}\""),
            Action::Push {
                remote,
                refs,
                new_branch,
                lease,
            } => push_command(remote, refs, *new_branch, lease.as_deref()),
            Action::SwitchBack(branch) => format!("git switch {branch}"),
            Action::PullRequest {
                base,
                head,
                title,
                update,
                ..
            } => pr_command(base, head, title, *update),
        }
    }
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

/// The push as it runs: atomic for a branch and its tags, `--set-upstream`
/// for the PR flow's branch, with a lease on the remote's old tip when it
/// replaces one.
pub fn push_command(
    remote: &str,
    refs: &[String],
    new_branch: bool,
    lease: Option<&str>,
) -> String {
    match (new_branch, lease) {
        (true, Some(old)) => format!(
            "git push --force-with-lease={}:{old} --set-upstream {remote} {}",
            refs.join(" "),
            refs.join(" ")
        ),
        (true, None) => format!("git push --set-upstream {remote} {}", refs.join(" ")),
        (false, _) => format!("git push --atomic {remote} {}", refs.join(" ")),
    }
}

/// The gh command that opens the release PR, or updates the one of a
/// branch that was there already.
pub fn pr_command(base: &str, head: &str, title: &str, update: bool) -> String {
    if update {
        format!("gh pr edit {head} --title \"{title}\" --body-file <the new changelog section>")
    } else {
        format!(
            "gh pr create --base {base} --head {head} --title \"{title}\" --body-file <the new changelog section>"
        )
    }
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
    pub commit_message: String,
    /// The branch the release commit goes on (`release/vX.Y.Z` in the PR flow).
    pub branch: String,
    /// The steps, in order.
    pub actions: Vec<Action>,
    /// The command that executes this plan.
    pub execute: String,
    /// What git signs, and with which of its settings (`signed by git: the
    /// tags (tag.gpgSign = true, …)`), when its configuration signs anything.
    pub signing: Option<String>,
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

    /// The files the release writes, as paths from the root.
    pub fn files(&self) -> Vec<String> {
        self.edits.changed().map(|e| e.path.clone()).collect()
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
            ])
        });
        let unchanged = self.unchanged.iter().map(|(p, why)| {
            json::object(&[("package", json::string(p)), ("why", json::string(why))])
        });
        let files = self.edits.changed().map(|e| {
            json::object(&[
                ("path", json::string(&e.path)),
                (
                    "diff",
                    json::string(&crate::out::diff::unified(&e.path, &e.before, &e.after, 3)),
                ),
            ])
        });
        json::object(&[
            ("status", json::string(status)),
            (
                "mode",
                json::string(if self.mode == Mode::Pr { "pr" } else { "tag" }),
            ),
            ("releases", json::array(releases)),
            ("unchanged", json::array(unchanged)),
            ("files", json::array(files)),
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

impl Action {
    /// The action in words, for the note on a release under way.
    pub fn describe(&self) -> String {
        match self {
            Action::Branch(name) => format!("create the branch {name}"),
            Action::Write => "write the files".into(),
            Action::Commit { .. } => "commit".into(),
            Action::Tag { name, .. } => format!("tag {name}"),
            Action::Push { refs, .. } => format!("push {}", refs.join(" ")),
            Action::SwitchBack(branch) => format!("switch back to {branch}"),
            Action::PullRequest { update: true, .. } => "update the pull request".into(),
            Action::PullRequest { .. } => "open the pull request".into(),
        }
    }
}
