//! `cargo xtask bench`: median wall times and peak memory of the xtask's
//! commands on this workspace and on generated inputs, next to peer tools.
//! A benchmark, not a test: targets are reported, never asserted.

mod big_changelog;
mod history_repo;
mod inputs;
mod many_members;
mod measure;
mod peers;
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use xshell::cmd;

use self::inputs::{Inputs, write_tree};
use self::report::{Outcome, Row, Target};
use crate::Ctx;
use crate::python::Venv;
use crate::ui::{self, Tone};

const CHANGELOG_BYTES: usize = 5 * 1024 * 1024;
const COMMITS: usize = 20_000;
const MEMBERS: usize = 200;
/// Set in the fresh bench process that measures after inputs were generated.
const CHILD: &str = "XTASK_BENCH_MEASURE_ONLY";

/// One row to measure: how to build its command for each run.
struct Spec<'a> {
    name: &'static str,
    group: &'static str,
    target: Target,
    runs: usize,
    /// One unmeasured run first, so caches are as warm as in daily use.
    warm_up: bool,
    ok_codes: &'static [i32],
    make: Box<dyn Fn() -> Result<Command> + 'a>,
    /// Set when the row cannot run here, with the reason.
    unavailable: Option<String>,
}

const ROWS: [(&str, &str); 9] = [
    ("cold-build", "cold-build"),
    ("versions-cargo", "versions"),
    ("versions-bin", "versions"),
    ("release", "release"),
    ("notes", "notes"),
    ("notes-parse-changelog", "notes"),
    ("generate", "generate"),
    ("generate-git-cliff", "generate"),
    ("bump-200", "bump"),
];

fn command_in(program: impl AsRef<std::ffi::OsStr>, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    cmd
}

pub fn run(ctx: &Ctx, flags: crate::flags::Bench) -> Result<ExitCode> {
    let runs = flags.runs as usize;
    let only = flags.only;
    if let Some(name) = &only
        && !ROWS.iter().any(|(row, group)| row == name || group == name)
    {
        let names: Vec<&str> = ROWS.iter().map(|(row, _)| *row).collect();
        bail!(
            "--only {name}: no such row or group: the rows are {} (groups: cold-build, versions, release, notes, generate, bump)",
            names.join(", ")
        );
    }
    let wanted = |group: &str| {
        only.as_deref()
            .is_none_or(|o| o == group || ROWS.iter().any(|(r, g)| *r == o && *g == group))
    };
    let started = Instant::now();
    let venv = crate::python::project_venv(&ctx.root);
    if flags.install_peers && std::env::var_os(CHILD).is_none() {
        peers::install(&ctx.sh, &venv)?;
    }
    let exe = std::env::current_exe().context("cannot find the running xtask binary")?;
    let inputs = Inputs::new(ctx.root.join("target/bench-inputs"));
    std::fs::create_dir_all(&inputs.dir)
        .with_context(|| format!("cannot create {}", inputs.dir.display()))?;
    let mut notes: Vec<String> = Vec::new();

    let mut specs: Vec<Spec> = Vec::new();
    if wanted("cold-build") {
        notes.push(dependency_count(ctx)?);
        specs.push(cold_build(ctx, &inputs.dir, runs.min(3)));
    }
    if wanted("versions") {
        specs.extend(versions(ctx, &exe, runs));
    }
    if wanted("release") {
        specs.push(release(ctx, &exe, runs)?);
    }
    if wanted("notes") {
        specs.extend(changelog_notes(&inputs, &exe, runs)?);
    }
    if wanted("generate") {
        specs.extend(generate(&inputs, &exe, &venv, runs)?);
    }
    if wanted("bump") {
        specs.push(bump(&inputs, &exe, runs)?);
    }
    if inputs.generated.get() && std::env::var_os(CHILD).is_none() {
        // A forked child's peak RSS counts the parent's anonymous pages, and
        // generating left this process's heap large: measure from a fresh one.
        drop(specs);
        let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
        let sh = &ctx.sh;
        return Ok(
            match cmd!(sh, "{exe} {args...}").env(CHILD, "1").quiet().run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            },
        );
    }
    let specs: Vec<Spec> = specs
        .into_iter()
        .filter(|s| only.as_deref().is_none_or(|o| o == s.name || o == s.group))
        .collect();

    let log = inputs.dir.join("stderr.log");
    let mut rows = Vec::new();
    for spec in &specs {
        let outcome = measure_row(spec, &log);
        if let Outcome::NotAvailable(why) = &outcome
            && why.contains("not found")
        {
            notes.push(format!("{}: {why}", spec.name));
        }
        rows.push(Row {
            name: spec.name,
            target: spec.target,
            outcome,
        });
    }
    let _ = std::fs::remove_dir_all(inputs.dir.join("cold-target"));

    if flags.json {
        println!("{}", report::to_json(&rows));
    } else {
        print!("{}", report::table(&rows));
        for note in &notes {
            println!("{note}");
        }
    }
    ui::status(
        Tone::Good,
        "Finished",
        &format!("bench in {}", ui::duration(started.elapsed())),
    );
    let failed = rows.iter().any(|r| matches!(r.outcome, Outcome::Failed(_)));
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn measure_row(spec: &Spec, log: &Path) -> Outcome {
    if let Some(why) = &spec.unavailable {
        return Outcome::NotAvailable(why.clone());
    }
    ui::status(
        Tone::Good,
        "Measuring",
        &format!("{} ({} run(s))", spec.name, spec.runs),
    );
    let once = || -> Result<measure::Run> {
        let mut cmd = (spec.make)()?;
        let run = measure::run(&mut cmd, log)?;
        match run.code {
            Some(code) if spec.ok_codes.contains(&code) => Ok(run),
            code => {
                let why = run
                    .stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("no output");
                bail!(
                    "{cmd:?} exited with {}: {why}",
                    code.map_or("a signal".into(), |c| c.to_string())
                )
            }
        }
    };
    let mut samples = Vec::new();
    let mut peak = None;
    let warm_ups = usize::from(spec.warm_up);
    for i in 0..warm_ups + spec.runs {
        match once() {
            Ok(run) if i >= warm_ups => {
                samples.push(run.wall);
                peak = peak.max(run.max_rss_kib);
            }
            Ok(_) => {}
            Err(err) => return Outcome::Failed(format!("{err:#}")),
        }
    }
    let summary = report::summarize(&samples).expect("at least one run");
    ui::status(
        Tone::Good,
        "Measured",
        &format!("{}: median {}", spec.name, report::time(summary.median)),
    );
    Outcome::Measured {
        summary,
        max_rss_kib: peak,
    }
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

fn cold_build<'a>(ctx: &'a Ctx, inputs: &Path, runs: usize) -> Spec<'a> {
    let scratch = inputs.join("cold-target");
    Spec {
        name: "cold-build",
        group: "cold-build",
        target: Target::AtMost(Duration::from_secs(12)),
        runs,
        warm_up: false,
        ok_codes: &[0],
        make: Box::new(move || {
            // A fresh target folder per run: nothing of the xtask or its dependencies is reused.
            if scratch.exists() {
                std::fs::remove_dir_all(&scratch)
                    .with_context(|| format!("cannot remove {}", scratch.display()))?;
            }
            let mut cmd = command_in(
                "cargo",
                &ctx.root,
                &["build", "-q", "--locked", "-p", "xtask"],
            );
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

fn changelog_notes<'a>(inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<[Spec<'a>; 2]> {
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
    let dir2 = dir.clone();
    Ok([
        Spec {
            name: "notes",
            group: "notes",
            target: Target::NotSlowerThan("notes-parse-changelog"),
            runs,
            warm_up: true,
            ok_codes: &[0],
            make: Box::new(move || {
                let root = dir.to_string_lossy().into_owned();
                Ok(command_in(
                    exe,
                    &dir,
                    &["--root", &root, "changelog", "notes", "rust", old],
                ))
            }),
            unavailable: None,
        },
        Spec {
            name: "notes-parse-changelog",
            group: "notes",
            target: Target::None,
            runs,
            warm_up: true,
            ok_codes: &[0],
            make: Box::new(move || {
                let peer = peer.clone().expect("checked above");
                Ok(command_in(peer, &dir2, &["CHANGELOG.md", old]))
            }),
            unavailable,
        },
    ])
}

fn generate<'a>(inputs: &Inputs, exe: &'a Path, venv: &Venv, runs: usize) -> Result<[Spec<'a>; 2]> {
    let base = inputs.ensure("history-20k", &format!("commits={COMMITS}"), |dir| {
        let repo = dir.join("repo");
        std::fs::create_dir_all(&repo)?;
        std::fs::write(dir.join("cliff.toml"), history_repo::CLIFF_TOML)?;
        let sh = xshell::Shell::new()?;
        sh.change_dir(&repo);
        cmd!(sh, "git init -q").run()?;
        cmd!(sh, "git symbolic-ref HEAD refs/heads/main").run()?;
        cmd!(sh, "git fast-import --quiet")
            .stdin(history_repo::stream(COMMITS))
            .run()
            .context("git fast-import refused the generated history (a bug in history_repo.rs)")?;
        cmd!(sh, "git reset -q --hard").run()?;
        Ok(())
    })?;
    let repo = base.join("repo");
    let previous = history_repo::tags(COMMITS)
        .into_iter()
        .filter(|(t, _)| t.starts_with('v'))
        .map(|(t, _)| t)
        .next_back()
        .context("the generated history has no crate tag")?;
    let peer = peers::git_cliff(venv);
    let unavailable = peer.is_none().then(|| {
        format!(
            "git-cliff not found in .venv/bin or on PATH: {}",
            peers::install_hint(peers::GIT_CLIFF)
        )
    });
    let repo2 = repo.clone();
    Ok([
        Spec {
            name: "generate",
            group: "generate",
            target: Target::HalfOf("generate-git-cliff"),
            runs,
            warm_up: true,
            ok_codes: &[0],
            make: Box::new(move || {
                let root = repo.to_string_lossy().into_owned();
                Ok(command_in(
                    exe,
                    &repo,
                    &["--root", &root, "changelog", "generate", "rust"],
                ))
            }),
            unavailable: None,
        },
        Spec {
            name: "generate-git-cliff",
            group: "generate",
            target: Target::None,
            runs,
            warm_up: true,
            ok_codes: &[0],
            make: Box::new(move || {
                let peer = peer.clone().expect("checked above");
                let config = base.join("cliff.toml").to_string_lossy().into_owned();
                let root = repo2.to_string_lossy().into_owned();
                let range = format!("{previous}..HEAD");
                Ok(command_in(
                    peer,
                    &repo2,
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
        },
    ])
}

fn bump<'a>(inputs: &Inputs, exe: &'a Path, runs: usize) -> Result<Spec<'a>> {
    let dir: PathBuf = inputs.ensure("members-200", &format!("members={MEMBERS}"), |dir| {
        write_tree(dir, &many_members::generate(MEMBERS))?;
        // Its own repository, so `git tag` does not read the surrounding one.
        let sh = xshell::Shell::new()?;
        sh.change_dir(dir);
        cmd!(sh, "git init -q").run()?;
        Ok(())
    })?;
    Ok(Spec {
        name: "bump-200",
        group: "bump",
        target: Target::AtMost(Duration::from_secs(1)),
        runs,
        warm_up: true,
        ok_codes: &[0],
        make: Box::new(move || {
            let root = dir.to_string_lossy().into_owned();
            Ok(command_in(
                exe,
                &dir,
                &["--root", &root, "bump", "minor", "--dry-run"],
            ))
        }),
        unavailable: None,
    })
}
