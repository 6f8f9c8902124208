//! The release plan: for each selected package old → new version, every file
//! edit (bump and changelog), the commit, the tags and the push, computed
//! from what is on disk. The dry run prints it; `--execute` runs the same plan.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use semver::Version;

use crate::config::Mode;
use crate::history::{self, Format, History};
use crate::plan::{self, Edits};
use crate::version::Target;
use crate::workspace::{Package, Workspace};
use crate::{Ctx, json};

#[derive(Debug, Clone)]
pub struct Release {
    pub package: String,
    pub from: Version,
    pub to: Version,
    /// The version as users see it (PEP 440 for the Python package).
    pub display: String,
    pub tag: String,
    pub tag_message: String,
    /// Why this version: the level asked for, or the suggestion and its reason.
    pub why: String,
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
    /// `git push --atomic remote refs…`, or `--set-upstream` for a new branch.
    Push {
        remote: String,
        refs: Vec<String>,
        new_branch: bool,
    },
    /// Back to the branch the release started from (the PR flow).
    SwitchBack(String),
    /// Open the pull request with gh when it is signed in, else say how.
    PullRequest {
        base: String,
        head: String,
        title: String,
        body: String,
    },
}

impl Action {
    /// The step as a maintainer would type it.
    pub fn render(&self, edits: &Edits) -> String {
        match self {
            Action::Branch(name) => format!("git switch --create {name}"),
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
                new_branch: false,
            } => format!("git push --atomic {remote} {}", refs.join(" ")),
            Action::Push {
                remote,
                refs,
                new_branch: true,
            } => format!("git push --set-upstream {remote} {}", refs.join(" ")),
            Action::SwitchBack(branch) => format!("git switch {branch}"),
            Action::PullRequest {
                base, head, title, ..
            } => {
                format!(
                    "gh pr create --base {base} --head {head} --title \"{title}\" --body-file <the new changelog section>"
                )
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReleasePlan {
    pub mode: Mode,
    pub releases: Vec<Release>,
    /// Selected packages with nothing to release, and why.
    pub unchanged: Vec<(String, String)>,
    pub edits: Edits,
    pub commit_message: String,
    /// The branch the release commit goes on (`release/vX.Y.Z` in the PR flow).
    pub branch: String,
    /// The steps, in order.
    pub actions: Vec<Action>,
    /// The command that executes this plan.
    pub execute: String,
}

pub struct Options {
    pub mode: Mode,
    pub date: NaiveDate,
    /// Append notes drafted from the commits to each changelog section.
    pub generate: bool,
    /// Options the plan was made with that the execute command must repeat
    /// (`--root`, `--config`, `--date`), already formatted.
    pub repeat: Vec<String>,
}

/// Builds the plan for `selection` (`(package, target)`, `Target::Auto` for a
/// suggestion). A package with no commits since its previous tag has nothing
/// to release and lands in `unchanged`.
pub fn plan(
    ctx: &Ctx,
    ws: &Workspace,
    selection: &[(&Package, Target)],
    opts: &Options,
) -> Result<ReleasePlan> {
    let tags = crate::git::tags(&ctx.sh)?;
    let mut histories: Vec<(&Package, Target, History)> = Vec::new();
    let mut unchanged = Vec::new();
    for (package, target) in selection {
        let history = history::read(&ctx.sh, package, &tags, None)?;
        match (&history.previous_tag, history.commits.is_empty()) {
            (Some(tag), true) => {
                unchanged.push((package.name.clone(), format!("no commits since {tag}")))
            }
            (None, true) => {
                unchanged.push((package.name.clone(), "no commits touch its paths".into()))
            }
            _ => histories.push((package, target.clone(), history)),
        }
    }

    let mut releases = Vec::new();
    let mut edits = Edits::default();
    let mut bumps = Vec::new();
    for (package, target, history) in &histories {
        let suggest = |p: &Package| {
            history
                .suggest(p)
                .map(|(level, _)| level)
                .context("no commits call for a release")
        };
        // A version that was never tagged is released as it is the first time
        // (`auto`, or that very version asked for), not bumped past.
        let untagged = history.previous_tag.is_none()
            && !tags.contains(&package.tag.render(&package.version)?);
        let first = match target {
            Target::Auto => untagged,
            Target::Exact(v) => untagged && *v == package.version,
            Target::Level(_) => false,
        };
        let bump = if first {
            plan::Bump {
                package: package.name.clone(),
                from: package.version.clone(),
                to: package.version.clone(),
            }
        } else {
            plan::bumps(&[package], target, false, &suggest)?.remove(0)
        };
        let why = match target {
            _ if first => format!("first release of {}", package.version),
            Target::Auto => history
                .suggest(package)
                .map_or_else(String::new, |(level, why)| format!("{level}: {why}")),
            Target::Level(level) => level.to_string(),
            Target::Exact(v) => format!("version {v} asked for"),
        };
        let display = package.display(&bump.to)?;
        releases.push(Release {
            package: package.name.clone(),
            from: bump.from.clone(),
            to: bump.to.clone(),
            tag: package.tag.render(&bump.to)?,
            tag_message: ws
                .config
                .tag_message
                .replace("{name}", &package.name)
                .replace("{version}", &display),
            display,
            why,
        });
        bumps.push(bump);
    }
    // Bumps first (they compose across packages), then each changelog.
    if !bumps.is_empty() {
        edits = plan::bump_edits(ws, &bumps)?;
    }
    for ((package, _, history), release) in histories.iter().zip(&releases) {
        let Some(path) = &package.changelog else {
            continue;
        };
        // A first release of a version the changelog already documents keeps that section.
        let documented = release.from == release.to
            && crate::changelog::parse(path, ws.files.text(path))
                .is_ok_and(|cl| cl.release(&release.to).is_some());
        if documented {
            continue;
        }
        let generated = opts.generate.then(|| {
            history.render(
                package,
                &ws.config.exclude_types,
                Format::KeepAChangelog,
                &release.tag,
            )
        });
        plan::promote_changelog(
            &mut edits,
            ws,
            package,
            &release.to,
            opts.date,
            generated.as_deref(),
            false,
        )
        .map_err(|e| {
            anyhow::anyhow!("{e:#}; or pass --generate to draft the section from the commits")
        })?;
    }

    let releases_text: Vec<String> = releases
        .iter()
        .map(|r| format!("{} v{}", r.package, r.display))
        .collect();
    let (commit_message, branch) = match ws.config.mode.clone() {
        _ if opts.mode == Mode::Pr => {
            crate::release_subject::plan_subject_and_branch(ws, &releases)
        }
        _ => (
            ws.config
                .commit_message
                .replace("{releases}", &releases_text.join(" + ")),
            ws.config.branch.clone(),
        ),
    };
    // Git-ignored files (a lock kept out of git) are written but not committed.
    let written: Vec<String> = edits.changed().map(|e| e.path.clone()).collect();
    let ignored = crate::git::ignored(&ctx.sh, &written)?;
    let files: Vec<String> = written
        .into_iter()
        .filter(|f| !ignored.contains(f))
        .collect();
    let remote = ws.config.remote.clone();
    let mut actions = Vec::new();
    match opts.mode {
        Mode::Tag => {
            actions.push(Action::Write);
            // A first release whose files already say everything tags HEAD as it is.
            if !files.is_empty() {
                actions.push(Action::Commit {
                    message: commit_message.clone(),
                    files,
                });
            }
            for r in &releases {
                actions.push(Action::Tag {
                    name: r.tag.clone(),
                    message: r.tag_message.clone(),
                });
            }
            let refs = std::iter::once(branch.clone())
                .chain(releases.iter().map(|r| r.tag.clone()))
                .collect();
            actions.push(Action::Push {
                remote: remote.clone(),
                refs,
                new_branch: false,
            });
        }
        Mode::Pr => {
            let original = crate::git::branch(&ctx.sh)?.unwrap_or_else(|| ws.config.branch.clone());
            let body = crate::release_subject::plan_body(ws, &edits, &releases);
            actions.push(Action::Branch(branch.clone()));
            actions.push(Action::Write);
            actions.push(Action::Commit {
                message: commit_message.clone(),
                files,
            });
            actions.push(Action::Push {
                remote: remote.clone(),
                refs: vec![branch.clone()],
                new_branch: true,
            });
            actions.push(Action::SwitchBack(original));
            actions.push(Action::PullRequest {
                base: ws.config.branch.clone(),
                head: branch.clone(),
                title: commit_message.clone(),
                body,
            });
        }
    }
    let mut execute = String::from("cargo xtask release");
    for (release, (package, target, _)) in releases.iter().zip(&histories) {
        let value = match target {
            Target::Auto => release.to.to_string(),
            Target::Level(level) => level.to_string(),
            Target::Exact(v) => v.to_string(),
        };
        execute.push_str(&format!(" --{} {value}", package.flag));
    }
    if opts.mode == Mode::Pr && ws.config.mode != Mode::Pr {
        execute.push_str(" --pr");
    }
    if opts.generate {
        execute.push_str(" --generate");
    }
    for option in &opts.repeat {
        execute.push(' ');
        execute.push_str(option);
    }
    execute.push_str(" --execute");
    Ok(ReleasePlan {
        mode: opts.mode.clone(),
        releases,
        unchanged,
        edits,
        commit_message,
        branch,
        actions,
        execute,
    })
}

impl ReleasePlan {
    pub fn is_empty(&self) -> bool {
        self.releases.is_empty()
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
                "release {} {} -> {} (tag {}; {})\n",
                r.package, r.from, r.display, r.tag, r.why
            ));
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
        out
    }

    pub fn to_json(&self, status: &str) -> String {
        let releases = self.releases.iter().map(|r| {
            json::object(&[
                ("package", json::string(&r.package)),
                ("from", json::string(&r.from.to_string())),
                ("to", json::string(&r.to.to_string())),
                ("display", json::string(&r.display)),
                ("tag", json::string(&r.tag)),
                ("why", json::string(&r.why)),
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
                    json::string(&crate::diff::unified(&e.path, &e.before, &e.after, 3)),
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
        ])
    }

    /// A Markdown summary for `$GITHUB_STEP_SUMMARY`.
    pub fn markdown(&self, status: &str) -> String {
        let mut out = format!("## Release: {status}\n\n");
        if self.releases.is_empty() {
            out.push_str("Nothing to release.\n");
        } else {
            out.push_str("| package | from | to | tag |\n|---|---|---|---|\n");
            for r in &self.releases {
                out.push_str(&format!(
                    "| {} | {} | {} | `{}` |\n",
                    r.package, r.from, r.display, r.tag
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
