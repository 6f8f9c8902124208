//! The rows measured on generated inputs, next to the peer tools: release
//! notes from a 5 MiB changelog, a changelog drafted from 20 000 commits,
//! a bump of 200 members.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use xshell::cmd;

use super::inputs::{Inputs, write_tree};
use super::report::Target;
use super::spec::{Spec, command_in, xtask_row};
use super::{big_changelog, history_repo, many_members, peers};
use crate::adapters::python::Venv;

const CHANGELOG_BYTES: usize = 5 * 1024 * 1024;
const COMMITS: usize = 20_000;
const MEMBERS: usize = 200;

pub fn changelog_notes<'a>(inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<[Spec<'a>; 2]> {
    let dir = inputs.ensure("notes-5mib", &format!("bytes={CHANGELOG_BYTES}"), |dir| {
        write_tree(
            dir,
            &[
                (
                    "Cargo.toml".into(),
                    "[package]\nname = \"bench-notes\"\nversion = \"0.0.0\"\nedition = \"2021\"\n"
                        .into(),
                ),
                ("src/lib.rs".into(), String::new()),
                (
                    "CHANGELOG.md".into(),
                    big_changelog::generate(CHANGELOG_BYTES),
                ),
            ],
        )
    })?;
    let peer = peers::parse_changelog();
    let unavailable = peer.is_none().then(|| {
        format!(
            "parse-changelog not found: {}",
            peers::install_hint(peers::PARSE_CHANGELOG)
        )
    });
    let old = big_changelog::OLD_VERSION;
    Ok([
        xtask_row(
            "notes",
            "notes",
            Target::RatioOf("notes-parse-changelog", 100),
            runs,
            exe,
            dir.clone(),
            &["changelog", "notes", "rust", big_changelog::OLD_VERSION],
        ),
        Spec {
            name: "notes-parse-changelog",
            group: "notes",
            target: Target::None,
            runs,
            warm_up: true,
            ok_codes: &[0],
            make: Box::new(move || {
                let peer = peer.clone().expect("checked above");
                Ok(command_in(peer, &dir, &["CHANGELOG.md", old]))
            }),
            unavailable,
        },
    ])
}

pub fn generate<'a>(
    inputs: &Inputs,
    exe: &'a Path,
    venv: &Venv,
    runs: usize,
) -> Result<[Spec<'a>; 2]> {
    let base = inputs.ensure("history-20k", &format!("commits={COMMITS}"), |dir| {
        history_repo::create(dir, COMMITS)
    })?;
    Ok([
        xtask_row(
            "generate",
            "generate",
            Target::RatioOf("generate-git-cliff", 50),
            runs,
            exe,
            base.join("repo"),
            &["changelog", "generate", "rust"],
        ),
        git_cliff(&base, venv, runs)?,
    ])
}

/// git-cliff on the same history and range as `generate`.
fn git_cliff<'a>(base: &Path, venv: &Venv, runs: usize) -> Result<Spec<'a>> {
    let base = base.to_path_buf();
    let repo = base.join("repo");
    let previous = history_repo::newest_crate_tag(COMMITS)
        .context("the generated history has no crate tag")?;
    let peer = peers::git_cliff(venv);
    let unavailable = peer.is_none().then(|| {
        format!(
            "git-cliff not found in .venv/bin or on PATH: {}",
            peers::install_hint(peers::GIT_CLIFF)
        )
    });
    Ok(Spec {
        name: "generate-git-cliff",
        group: "generate",
        target: Target::None,
        runs,
        warm_up: true,
        ok_codes: &[0],
        make: Box::new(move || {
            let peer = peer.clone().expect("checked above");
            let config = base.join("cliff.toml").to_string_lossy().into_owned();
            let root = repo.to_string_lossy().into_owned();
            let range = format!("{previous}..HEAD");
            Ok(command_in(
                peer,
                &repo,
                &[
                    "--config",
                    &config,
                    "--repository",
                    &root,
                    "--tag-pattern",
                    "^v[0-9]",
                    "--include-path",
                    "core/**",
                    &range,
                ],
            ))
        }),
        unavailable,
    })
}

pub fn bump<'a>(inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<Spec<'a>> {
    let dir: PathBuf = inputs.ensure("members-200", &format!("members={MEMBERS}"), |dir| {
        write_tree(dir, &many_members::generate(MEMBERS))?;
        // Its own repository, so `git tag` does not read the surrounding one.
        let sh = xshell::Shell::new()?;
        sh.change_dir(dir);
        cmd!(sh, "git init -q").run()?;
        Ok(())
    })?;
    Ok(xtask_row(
        "bump-200",
        "bump",
        Target::AtMost(Duration::from_secs(1)),
        runs,
        exe,
        dir,
        &["bump", "minor", "--dry-run"],
    ))
}
