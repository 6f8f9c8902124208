//! `cargo xtask change`: writes a change file without an editor, lists the
//! pending ones per package, or checks that a branch has one for each
//! package it changes (the pull-request job of `ci.yml`).

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::changelog;
use crate::checks::change_check;
use crate::cli::flags::Change;
use crate::ctx::Ctx;
use crate::facts::changes::{self, Pending};
use crate::model::package::rel_join;
use crate::out::json;
use crate::out::ui::{self, Tone};
use crate::text::slug;
use crate::worktree::{Kind, Tree};

pub fn run(ctx: &Ctx, flags: Change) -> Result<ExitCode> {
    match flags {
        Change::New { kinds, text } => new(ctx, &kinds, &text),
        Change::List { json } => list(ctx, json),
        Change::Check {
            base,
            allow_missing,
        } => check(ctx, base, allow_missing),
    }
}

/// Writes `.changes/<slug of the text>.md` (`-2`, `-3`, … when taken) and
/// prints its path.
fn new(ctx: &Ctx, kinds: &[(String, String)], text: &str) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let mut lines = Vec::new();
    for (flag, word) in kinds {
        let package = ws
            .packages
            .iter()
            .find(|p| p.flag == *flag)
            .with_context(|| format!("--{flag} selects no package"))?;
        lines.push(format!("{}: {word}", package.name));
    }
    let content = format!("---\n{}\n---\n\n{}\n", lines.join("\n"), text.trim());
    let folder = &ws.config.changes;
    let tree = Tree::new(&ctx.root);
    let first = text.trim().lines().next().unwrap_or_default();
    let name = slug::free_name(&slug::slug(first), |name| {
        tree.kind(&rel_join(folder, name)) != Ok(Kind::Absent)
    });
    let path = rel_join(folder, &name);
    if let Err(problems) = changelog::parse_change(&path, &content) {
        bail!("{}: nothing was written", problems.join("\n"));
    }
    tree.create_dir(folder)?;
    tree.write(&path, &content)?;
    ui::println(&path);
    ui::status(
        Tone::Good,
        "Created",
        &format!("{path} ({})", lines.join(", ")),
    );
    Ok(ExitCode::SUCCESS)
}

/// Each package's pending files: what each is for it, and its first line.
fn list(ctx: &Ctx, as_json: bool) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let found = changes::read(&Tree::new(&ctx.root), ws);
    if as_json {
        let packages = ws.packages.iter().map(|p| {
            let files = found.of(&p.name).map(|f| file_json(f, &p.name, &p.version));
            json::object(&[
                ("package", json::string(&p.name)),
                ("flag", json::string(&p.flag)),
                ("pending", json::array(files)),
            ])
        });
        let problems = found.problems.iter().map(|p| json::string(p));
        ui::println(&json::object(&[
            ("packages", json::array(packages)),
            ("problems", json::array(problems)),
        ]));
    } else {
        for package in &ws.packages {
            let files: Vec<&Pending> = found.of(&package.name).collect();
            ui::println(&format!("{} ({} pending)", package.name, files.len()));
            for file in files {
                let kind = file.kind_for(&package.name).expect("it names the package");
                ui::println(&format!(
                    "  {}: {} ({}, {}): {}",
                    file.path,
                    kind.word,
                    kind.group.title(),
                    kind.level(&package.version),
                    first_line(&file.body)
                ));
            }
        }
    }
    for problem in &found.problems {
        ui::error(problem);
    }
    Ok(if found.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn file_json(file: &Pending, package: &str, version: &semver::Version) -> String {
    let kind = file.kind_for(package).expect("it names the package");
    json::object(&[
        ("path", json::string(&file.path)),
        ("kind", json::string(&kind.word)),
        ("section", json::string(kind.group.title())),
        ("level", json::string(kind.level(version).as_str())),
        ("text", json::string(&file.body)),
    ])
}

/// The text's first line (`ui` makes its control characters visible).
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// `--check`: each changed package named by a change file the branch adds.
fn check(ctx: &Ctx, base: Option<String>, allow_missing: bool) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let rev = base.unwrap_or_else(|| format!("{}/{}", ws.config.remote, ws.config.branch));
    let found = change_check::check(ctx, &rev)?;
    if found.release_only {
        ui::status(
            Tone::Good,
            "Checked",
            &format!("only release commits since {rev}: no change file is needed"),
        );
        return Ok(ExitCode::SUCCESS);
    }
    for line in &found.covered {
        ui::status(Tone::Good, "Covered", line);
    }
    for problem in &found.problems {
        ui::error(problem);
    }
    for missing in &found.missing {
        match allow_missing {
            true => ui::status(Tone::Warn, "warning", missing),
            false => ui::error(missing),
        }
    }
    let failed = found.problems.len()
        + if allow_missing {
            0
        } else {
            found.missing.len()
        };
    if failed > 0 {
        ui::status(Tone::Bad, "Failed", &format!("{failed} problem(s)"));
        return Ok(ExitCode::FAILURE);
    }
    let what = match (found.missing.len(), allow_missing) {
        (0, _) => format!("every package changed since {rev} has a change file"),
        (n, _) => format!("{n} package(s) without a change file, allowed (--allow-missing)"),
    };
    ui::status(Tone::Good, "Checked", &what);
    Ok(ExitCode::SUCCESS)
}
