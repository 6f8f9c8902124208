//! The steps of a release plan, in order, for each flow: the tag flow's
//! write, commit, tags and atomic push; the PR flow's branch, commit, push,
//! switch back and pull request, replacing the branch the remote has with
//! a lease on its tip (pure).

use std::path::Path;

use chrono::NaiveDate;

use super::{Action, Options, Release};
use crate::edit::Edits;
use crate::model::config::Mode;
use crate::model::workspace::Workspace;
use crate::text::version::Target;

/// The steps, in order.
#[allow(clippy::too_many_arguments)]
pub fn actions(
    ws: &Workspace,
    (releases, change_list): (&[Release], &str),
    edits: &Edits,
    files: Vec<String>,
    commit_message: &str,
    branch: &str,
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
            actions.push(Action::Push {
                remote,
                refs: vec![branch.to_string()],
                new_branch: true,
                lease: lease.map(str::to_string),
            });
            actions.push(Action::SwitchBack(original.to_string()));
            actions.push(Action::PullRequest {
                base: ws.config.branch.clone(),
                head: branch.to_string(),
                title: commit_message.to_string(),
                body,
                update: lease.is_some(),
            });
        }
    }
    actions
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
    for option in &opts.repeat {
        execute.push(' ');
        execute.push_str(option);
    }
    execute.push_str(" --execute");
    execute
}

/// The global options `--execute` must be given again, as the dry run's
/// "Execute" line prints them: another root, a configuration file, a date.
pub fn repeat(root: Option<&Path>, config: Option<&Path>, date: Option<NaiveDate>) -> Vec<String> {
    let quote = |p: &Path| {
        let text = p.display().to_string();
        if text.contains(char::is_whitespace) {
            format!("'{text}'")
        } else {
            text
        }
    };
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
