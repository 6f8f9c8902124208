//! `cargo xtask status`: where each release stands across git, its registry
//! and GitHub, and the command that does the first thing missing.

use std::process::ExitCode;

use anyhow::Result;
use xshell::Shell;

use crate::adapters::git;
use crate::adapters::github::{self, Release};
use crate::cli::flags::Status as Flags;
use crate::ctx::Ctx;
use crate::model::workspace::Workspace;
use crate::out::{shell, ui};
use crate::publish::presence::{self, Registries, Target};
use crate::publish::status::{self, Check, Elsewhere, Place, State, Status};
use crate::release;
use crate::text::tag_index::TagIndex;

pub fn run(ctx: &Ctx, flags: Flags) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let where_ = Registries::choose(
        &ctx.root,
        ws,
        &flags.registry,
        &flags.index,
        &flags.index_url,
    );
    let tags = crate::facts::tags::read(&ctx.sh, ws)?;
    // Another repository's next command names it: the xtask runs from its own clone.
    let root = ctx.other_root();
    let elsewhere = Elsewhere {
        root: root.map(shell::word),
        globals: release::repeat(root, ctx.config.as_deref(), None),
    };
    let mut statuses = Vec::new();
    for target in presence::targets(ws, &flags.selection, &where_, &tags)? {
        let status = gather(&ctx.sh, ws, &where_, (&target, &tags))?;
        statuses.push(Status {
            elsewhere: elsewhere.clone(),
            ..status
        });
    }
    if flags.json {
        ui::println(&status::to_json(&statuses));
    } else {
        ui::print(&status::table(&statuses));
    }
    Ok(match statuses.iter().all(Status::complete) {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}

/// The release branch holding `commit`: the main line, or a local branch
/// releases run on (`branches`, such as `release-0.8.0`); the main line
/// missing it when none does.
fn on_release_branch(sh: &Shell, ws: &Workspace, commit: &str) -> (String, State) {
    let config = &ws.config;
    let mut candidates = vec![config.branch.clone()];
    if config.branches.len() > 1 {
        match git::local_branches(sh) {
            Ok(local) => candidates.extend(
                local
                    .into_iter()
                    .filter(|b| *b != config.branch && config.releases_on(b)),
            ),
            Err(err) => return (config.branch.clone(), State::Unknown(format!("{err:#}"))),
        }
    }
    for branch in &candidates {
        match git::is_ancestor(sh, commit, &format!("refs/heads/{branch}")) {
            Ok(true) => return (branch.clone(), State::Ok),
            Ok(false) => {}
            Err(err) => return (branch.clone(), State::Unknown(format!("{err:#}"))),
        }
    }
    (config.branch.clone(), State::Missing)
}

/// Every check of one release, asked of git, the registry and GitHub.
fn gather(
    sh: &Shell,
    ws: &Workspace,
    where_: &Registries,
    (target, tags): (&Target, &TagIndex),
) -> Result<Status> {
    let package = target.package;
    // A release made before a switch of series has its earlier tag (`previous-tags`).
    let tag = package.tag_of(&target.version, tags)?;
    let (remote, branch) = (&ws.config.remote, &ws.config.branch);
    let here = git::tag_commit(sh, &tag)?;
    // An unreachable remote is a check that cannot be told, not the end of the report.
    let there = git::remote_tag_commits(sh, remote).map(|tags| {
        tags.into_iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, commit)| commit)
    });
    let short = |sha: &str| sha.chars().take(7).collect::<String>();
    let mut checks = vec![tag_check(sh, &tag, here.as_deref())?];
    let (state, detail) = match (&here, &there) {
        (_, Err(err)) => (State::Unknown(format!("{err:#}")), String::new()),
        (_, Ok(None)) => (State::Missing, String::new()),
        (Some(a), Ok(Some(b))) if a != b => (State::Missing, short(b)),
        (_, Ok(Some(b))) => (State::Ok, short(b)),
    };
    checks.push(Check {
        place: Place::RemoteTag,
        what: format!("tag on {remote}"),
        state,
        detail,
    });
    let (branch, on_branch) = match &here {
        Some(commit) => on_release_branch(sh, ws, commit),
        None => (
            branch.clone(),
            State::Unknown("no tag here to find the release commit by".into()),
        ),
    };
    checks.push(Check {
        place: Place::Branch,
        what: format!("release commit on {branch}"),
        state: on_branch,
        detail: String::new(),
    });
    let (state, detail) = match where_.missing(sh, target) {
        Ok(None) => (State::Ok, String::new()),
        Ok(Some(missing)) => (State::Missing, missing.join(", ")),
        Err(err) => (State::Unknown(format!("{err:#}")), String::new()),
    };
    checks.push(Check {
        place: Place::Registry,
        what: format!("{} {} on {}", package.name, target.display, target.place),
        state,
        detail,
    });
    let (state, detail) = match github::release(sh, &tag) {
        Release::Present(assets) => (State::Ok, format!("{} asset(s)", assets.len())),
        Release::Missing => (State::Missing, String::new()),
        Release::Unknown(why) => (State::Unknown(why), String::new()),
    };
    checks.push(Check {
        place: Place::GitHub,
        what: "GitHub release".into(),
        state,
        detail,
    });
    Ok(Status {
        package: package.name.clone(),
        flag: package.flag.clone(),
        version: target.version.to_string(),
        tag,
        python: target.project.is_some(),
        remote: remote.clone(),
        checks,
        elsewhere: Elsewhere::default(),
    })
}

/// The tag here: its commit, whether it is signed and whether git verifies
/// it here.
fn tag_check(sh: &Shell, tag: &str, here: Option<&str>) -> Result<Check> {
    let (state, detail) = match here {
        Some(commit) => (
            State::Ok,
            format!(
                "{}; {}",
                commit.chars().take(7).collect::<String>(),
                git::tag_signature(sh, tag)?.describe()
            ),
        ),
        None => (State::Missing, String::new()),
    };
    Ok(Check {
        place: Place::Tag,
        what: format!("tag {tag}"),
        state,
        detail,
    })
}
