//! The rows of the sizes real repositories reach, each next to its floor
//! measured in the same run: 100,000 packed tags (`check`, `versions`, the
//! release dry run, on a clone of this workspace with and without them,
//! next to `git tag --list`), 3,000 members each pinning the released crate
//! (the release dry run next to `cargo metadata --no-deps`), a 50 MiB
//! changelog (the release dry run's peak memory next to the file's size).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use super::inputs::{Inputs, write_tree};
use super::report::Target;
use super::spec::{Spec, command_in, xtask_row};
use super::{big_changelog, many_members, tag_repo};
use crate::ctx::Ctx;

const MEMBERS: usize = 3_000;
const CHANGELOG_BYTES: usize = 50 * 1024 * 1024;
/// What the release of the big changelog's crate brings.
const UNRELEASED: &str =
    "### Fixed\n\n- **core**: a retry no longer drops the request's headers\n\n";

/// `git tag --list` in the tagged clone, then `check`, `versions` and the
/// release dry run on the plain clone and the tagged one: a row's time over
/// its plain twin is what the tags cost, at most 3 × git's listing.
pub fn tags<'a>(ctx: &Ctx, inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<Vec<Spec<'a>>> {
    let sh = &ctx.sh;
    let head = cmd!(sh, "git rev-parse HEAD")
        .quiet()
        .read()
        .context("the tag rows clone this repository's HEAD: it has none")?;
    let key = format!("tags={} head={head}", tag_repo::TAGS);
    let root = ctx.root.clone();
    let dir = inputs.ensure("tags-100k", &key, |dir| {
        tag_repo::create(&root, dir, tag_repo::TAGS)
    })?;
    let (plain, tagged) = (dir.join("plain"), dir.join("tagged"));
    let mut specs = vec![Spec {
        name: "tags-git-list",
        group: "tags",
        target: Target::None,
        runs,
        warm_up: true,
        ok_codes: &[0],
        make: Box::new({
            let tagged = tagged.clone();
            move || Ok(command_in("git", &tagged, &["tag", "--list"]))
        }),
        unavailable: None,
    }];
    type Pair = (&'static str, &'static str, &'static [&'static str]);
    let pairs: [Pair; 3] = [
        ("check-0", "check-100k", &["check"]),
        ("versions-0", "versions-100k", &["versions"]),
        ("release-0", "release-100k", &["release"]),
    ];
    for (base, name, args) in pairs {
        let twin = |name, dir: &PathBuf, target| Spec {
            // A problem found exits 1: the work measured is the same.
            ok_codes: &[0, 1],
            ..xtask_row(name, "tags", target, runs, exe, dir.clone(), args)
        };
        let target = Target::AddedOver {
            base,
            floor: "tags-git-list",
            percent: 300,
        };
        specs.push(twin(base, &plain, Target::None));
        specs.push(twin(name, &tagged, target));
    }
    Ok(specs)
}

/// `cargo metadata --no-deps` and the release dry run of a patch of the
/// crate 3,000 members pin: at most 1.5 × cargo's reading.
pub fn members<'a>(inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<[Spec<'a>; 2]> {
    let dir = inputs.ensure("members-3000", &format!("members={MEMBERS}"), |dir| {
        write_tree(dir, &many_members::generate(MEMBERS))?;
        commit_all(dir)
    })?;
    let metadata = Spec {
        name: "members-metadata",
        group: "members",
        target: Target::None,
        runs,
        warm_up: true,
        ok_codes: &[0],
        make: Box::new({
            let dir = dir.clone();
            move || {
                let args = [
                    "metadata",
                    "--no-deps",
                    "--format-version",
                    "1",
                    "--offline",
                ];
                let mut cmd = command_in("cargo", &dir, &args);
                cmd.env("CARGO_TARGET_DIR", dir.join("target"));
                Ok(cmd)
            }
        }),
        unavailable: None,
    };
    let release = xtask_row(
        "members-release",
        "members",
        Target::RatioOf("members-metadata", 150),
        runs,
        exe,
        dir,
        &["release", "--rust", "patch"],
    );
    Ok([metadata, release])
}

/// The release dry run of a patch of a crate whose changelog is 50 MiB: its
/// peak memory at most twice the file's size.
pub fn big_changelog<'a>(inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<Spec<'a>> {
    let dir = inputs.ensure(
        "changelog-50mib",
        &format!("bytes={CHANGELOG_BYTES}"),
        |dir| {
            let (text, newest) = big_changelog::generate_with(CHANGELOG_BYTES, UNRELEASED);
            let manifest = format!(
                "[package]\nname = \"bench-big\"\nversion = \"{newest}\"\nedition = \"2021\"\nrepository = \"https://github.com/example/bench\"\n"
            );
            write_tree(
                dir,
                &[
                    ("Cargo.toml".into(), manifest),
                    ("src/lib.rs".into(), String::new()),
                    ("CHANGELOG.md".into(), text),
                ],
            )?;
            commit_all(dir)
        },
    )?;
    let file = dir.join("CHANGELOG.md");
    let bytes = std::fs::metadata(&file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    let target = Target::RssOf {
        what: "CHANGELOG.md",
        bytes,
        percent: 200,
    };
    Ok(xtask_row(
        "changelog-50mib",
        "big-changelog",
        target,
        runs,
        exe,
        dir,
        &["release", "--rust", "patch"],
    ))
}

/// `git init` and one commit of everything: the release reads a history.
fn commit_all(dir: &Path) -> Result<()> {
    let sh = Shell::new()?;
    sh.change_dir(dir);
    cmd!(sh, "git init -q -b main").run()?;
    cmd!(sh, "git add -A").run()?;
    let id = [
        "-c",
        "user.name=Bench",
        "-c",
        "user.email=bench@example.com",
        "-c",
        "commit.gpgsign=false",
    ];
    cmd!(sh, "git {id...} commit -q --no-verify -m")
        .arg("feat: the generated workspace")
        .run()?;
    Ok(())
}
