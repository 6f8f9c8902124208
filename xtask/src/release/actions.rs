//! The steps of a release plan, in order, for each flow: the tag flow's
//! write, commit, tags and atomic push; the PR flow's branch, commit, push,
//! switch back and pull request, replacing the branch the remote has with
//! a lease on its tip (pure).

use super::selection::Chosen;
use super::{Action, Options, Release};
use crate::edit::Edits;
use crate::model::config::Mode;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::version::Target;

/// The steps, in order.
#[allow(clippy::too_many_arguments)]
pub fn actions(
    ws: &Workspace,
    (releases, change_list): (&[Release], &str),
    edits: &Edits,
    files: Vec<String>,
    (commit_message, next_commit): (&str, Option<(String, Vec<String>)>),
    (branch, base): (&str, &str),
    original: &str,
    mode: &Mode,
    lease: Option<&str>,
) -> Vec<Action> {
    let remote = ws.config.remote.clone();
    let mut actions = Vec::new();
    match mode {
        Mode::Tag => {
            actions.push(Action::Write);
            // A first release whose files already say everything tags HEAD as it is.
            if !files.is_empty() {
                actions.push(Action::Commit {
                    message: commit_message.to_string(),
                    files,
                });
            }
            for r in releases {
                actions.push(Action::Tag {
                    name: r.tag.clone(),
                    message: r.tag_message.clone(),
                });
            }
            actions.extend(next_actions(next_commit));
            let refs = std::iter::once(branch.to_string())
                .chain(releases.iter().map(|r| r.tag.clone()))
                .collect();
            actions.push(Action::Push {
                remote,
                refs,
                new_branch: false,
                lease: None,
            });
        }
        Mode::Pr => {
            let body = crate::release::subject::plan_body(ws, edits, releases, change_list);
            actions.push(Action::Branch(branch.to_string()));
            actions.push(Action::Write);
            actions.push(Action::Commit {
                message: commit_message.to_string(),
                files,
            });
            actions.extend(next_actions(next_commit));
            actions.push(Action::Push {
                remote,
                refs: vec![branch.to_string()],
                new_branch: true,
                lease: lease.map(str::to_string),
            });
            actions.push(Action::SwitchBack(original.to_string()));
            actions.push(Action::PullRequest {
                base: base.to_string(),
                head: branch.to_string(),
                title: commit_message.to_string(),
                body,
                update: lease.is_some(),
            });
        }
    }
    actions
}

/// The second commit's steps (`next-dev`): its write and its commit.
fn next_actions(next_commit: Option<(String, Vec<String>)>) -> Vec<Action> {
    match next_commit {
        Some((message, files)) => vec![Action::WriteNext, Action::CommitNext { message, files }],
        None => Vec::new(),
    }
}

/// The command that executes this plan, repeating what the plan was made with.
/// `flags` are each release's package flag and target, in order.
pub fn execute_command(
    ws: &Workspace,
    flags: &[(&str, &Target)],
    releases: &[Release],
    opts: &Options,
) -> String {
    let mut execute = String::from("cargo xtask release");
    for (release, (flag, target)) in releases.iter().zip(flags) {
        // A level or an exact version repeats itself; anything computed
        // (auto, a train's step) repeats as the version it computed.
        let value = match target {
            Target::Level(level) => level.to_string(),
            _ => release.to.to_string(),
        };
        execute.push_str(&format!(" --{flag} {value}"));
    }
    if opts.mode == Mode::Pr && ws.config.mode != Mode::Pr {
        execute.push_str(" --pr");
    }
    if opts.generate {
        execute.push_str(" --generate");
    }
    if opts.allow_empty {
        execute.push_str(" --allow-empty");
    }
    if opts.allow_breaking {
        execute.push_str(" --allow-breaking");
    }
    if opts.allow_dev {
        execute.push_str(" --allow-dev");
    }
    for option in &opts.repeat {
        execute.push(' ');
        execute.push_str(option);
    }
    execute.push_str(" --execute");
    execute
}

/// On a branch other than the main line, the commands that bring each new
/// changelog section to it: one per version (`-p` when the packages
/// released differ in version), none for a package that keeps no changelog.
pub fn port_commands(
    ws: &Workspace,
    chosen: &[Chosen],
    releases: &[Release],
    base: &str,
) -> Vec<String> {
    let main = &ws.config.branch;
    if base == main {
        return Vec::new();
    }
    let logged: Vec<(&Package, &Release)> = chosen
        .iter()
        .zip(releases)
        .filter(|(c, _)| c.package.changelog.is_some())
        .map(|(c, r)| (c.package, r))
        .collect();
    let one_version = logged.windows(2).all(|w| w[0].1.to == w[1].1.to);
    let mut out: Vec<String> = Vec::new();
    for (package, release) in &logged {
        let only = match one_version {
            true => String::new(),
            false => format!(" -p {}", package.flag),
        };
        let line = format!(
            "bring the changelog section to {main}: `git switch {main} && cargo xtask changelog port {}{only} --from {base}`",
            release.to
        );
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}
