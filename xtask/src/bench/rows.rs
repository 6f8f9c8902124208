//! The rows measured on this workspace (its cold build, `versions`, the
//! release dry run), and the choice of rows for a run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use xshell::cmd;

use super::inputs::Inputs;
use super::report::Target;
use super::spec::{Spec, command_in};
use super::{generated_rows, naive_crate, scale_rows};
use crate::adapters::python::Venv;
use crate::ctx::Ctx;

/// Each row's name and group, in the table's order (`--only` takes either).
pub const ROWS: [(&str, &str); 20] = [
    ("cold-build", "cold-build"),
    ("naive-build", "cold-build"),
    ("versions-cargo", "versions"),
    ("versions-bin", "versions"),
    ("release", "release"),
    ("notes", "notes"),
    ("notes-parse-changelog", "notes"),
    ("generate", "generate"),
    ("generate-git-cliff", "generate"),
    ("bump-200", "bump"),
    ("tags-git-list", "tags"),
    ("check-0", "tags"),
    ("check-100k", "tags"),
    ("versions-0", "tags"),
    ("versions-100k", "tags"),
    ("release-0", "tags"),
    ("release-100k", "tags"),
    ("members-metadata", "members"),
    ("members-release", "members"),
    ("changelog-50mib", "big-changelog"),
];

/// The groups, in the table's order.
pub fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&str> = Vec::new();
    for (_, group) in ROWS {
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// The rows whose group `wanted` takes, in the table's order; what the
/// cold build row knows of the dependencies goes to `notes`.
pub fn specs<'a>(
    ctx: &'a Ctx,
    inputs: &Inputs,
    exe: &'a Path,
    venv: &Venv,
    runs: usize,
    wanted: impl Fn(&str) -> bool,
    notes: &mut Vec<String>,
) -> Result<Vec<Spec<'a>>> {
    let mut specs: Vec<Spec> = Vec::new();
    if wanted("cold-build") {
        notes.push(dependency_count(ctx)?);
        let runs = runs.min(3);
        specs.push(cold_build(
            "cold-build",
            ctx.root.clone(),
            &["-p", "xtask"],
            inputs.dir.join("cold-target"),
            Target::RatioOf("naive-build", 55),
            runs,
        ));
        let naive = naive_crate::ensure(inputs, &ctx.sh)?;
        specs.push(cold_build(
            "naive-build",
            naive,
            &["--offline"],
            inputs.dir.join("cold-target-naive"),
            Target::None,
            runs,
        ));
    }
    if wanted("versions") {
        specs.extend(versions(ctx, exe, runs));
    }
    if wanted("release") {
        specs.push(release(ctx, exe, runs)?);
    }
    if wanted("notes") {
        specs.extend(generated_rows::changelog_notes(inputs, exe, runs)?);
    }
    if wanted("generate") {
        specs.extend(generated_rows::generate(inputs, exe, venv, runs)?);
    }
    if wanted("bump") {
        specs.push(generated_rows::bump(inputs, exe, runs)?);
    }
    if wanted("tags") {
        specs.extend(scale_rows::tags(ctx, inputs, exe, runs)?);
    }
    if wanted("members") {
        specs.extend(scale_rows::members(inputs, exe, runs)?);
    }
    if wanted("big-changelog") {
        specs.push(scale_rows::big_changelog(inputs, exe, runs)?);
    }
    Ok(specs)
}

/// The xtask's normal dependencies: unique crates in `cargo tree`, itself left out.
fn dependency_count(ctx: &Ctx) -> Result<String> {
    let sh = &ctx.sh;
    let tree = cmd!(sh, "cargo tree -q -p xtask --prefix none -e normal")
        .quiet()
        .read()
        .context("cargo tree failed on the xtask")?;
    let mut crates: Vec<&str> = tree
        .lines()
        .map(|l| l.trim_end_matches(" (*)").trim())
        .filter(|l| !l.is_empty() && !l.starts_with("xtask "))
        .collect();
    crates.sort_unstable();
    crates.dedup();
    Ok(format!(
        "xtask dependencies: {} crates (unique lines of `cargo tree -p xtask --prefix none -e normal`, xtask itself left out)",
        crates.len()
    ))
}

/// `cargo build` in `dir` into a fresh target folder per run.
fn cold_build<'a>(
    name: &'static str,
    dir: PathBuf,
    args: &'static [&'static str],
    scratch: PathBuf,
    target: Target,
    runs: usize,
) -> Spec<'a> {
    Spec {
        name,
        group: "cold-build",
        target,
        runs,
        warm_up: false,
        ok_codes: &[0],
        make: Box::new(move || {
            // A fresh target folder per run: nothing of the xtask or its dependencies is reused.
            if scratch.exists() {
                std::fs::remove_dir_all(&scratch)
                    .with_context(|| format!("cannot remove {}", scratch.display()))?;
            }
            let mut cmd = command_in("cargo", &dir, &["build", "-q", "--locked"]);
            cmd.args(args);
            cmd.env("CARGO_TARGET_DIR", &scratch);
            Ok(cmd)
        }),
        unavailable: None,
    }
}

fn versions<'a>(ctx: &'a Ctx, exe: &'a Path, runs: usize) -> [Spec<'a>; 2] {
    // `versions` exits 1 when it finds a problem: the work measured is the same.
    let ok_codes = &[0, 1];
    [
        Spec {
            name: "versions-cargo",
            group: "versions",
            target: Target::AtMost(Duration::from_millis(150)),
            runs,
            warm_up: true,
            ok_codes,
            make: Box::new(move || {
                Ok(command_in(
                    "cargo",
                    &ctx.root,
                    &["run", "-q", "-p", "xtask", "--", "versions"],
                ))
            }),
            unavailable: None,
        },
        Spec {
            name: "versions-bin",
            group: "versions",
            target: Target::None,
            runs,
            warm_up: true,
            ok_codes,
            make: Box::new(move || Ok(command_in(exe, &ctx.root, &["versions"]))),
            unavailable: None,
        },
    ]
}

/// `release` is being written elsewhere: a binary without it gives an n/a row.
fn release<'a>(ctx: &'a Ctx, exe: &'a Path, runs: usize) -> Result<Spec<'a>> {
    let sh = &ctx.sh;
    let help = cmd!(sh, "{exe} release --help")
        .quiet()
        .ignore_status()
        .env("NO_COLOR", "1")
        .output()?;
    let unknown = help.status.code() == Some(2)
        && String::from_utf8_lossy(&help.stderr).contains("unrecognized subcommand");
    // A dry run without pre-flight checks, with whatever flags say so.
    let text = String::from_utf8_lossy(&help.stdout).into_owned();
    let args: Vec<&'static str> = ["release", "--dry-run", "--no-preflight", "--skip-preflight"]
        .into_iter()
        .filter(|a| *a == "release" || text.contains(a))
        .collect();
    Ok(Spec {
        name: "release",
        group: "release",
        target: Target::AtMost(Duration::from_millis(300)),
        runs,
        warm_up: true,
        ok_codes: &[0],
        make: Box::new(move || Ok(command_in(exe, &ctx.root, &args))),
        unavailable: unknown.then(|| "release command not available yet".to_string()),
    })
}
