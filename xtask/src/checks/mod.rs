//! The checks shared by `cargo xtask ci` and the release pre-flight, as
//! named steps for `step_runner::run_all`.
//!
//! Floor: checks, everything that finds problems: the model's validation,
//! the problems `check` lists and their report, the ci and pre-flight steps
//! and their runner, the workflow lint, a branch's change files.
//! Uses: ctx, facts, edit, model, changelog, text, adapters, out, worktree.

pub mod api;
pub mod change_check;
pub mod git_values;
pub mod lock_problems;
pub mod preflight;
pub mod problem_report;
pub mod problems;
mod signing;
pub mod step_runner;
pub mod validate;
mod workflow_lint;
pub mod workflow_scripts;

use anyhow::bail;
use xshell::{Shell, cmd};

use crate::adapters::python::{self, Venv};
use crate::adapters::{git, tool_cache};
use crate::checks::step_runner::{Skip, Step};
use crate::ctx::Ctx;
use crate::model::locks::CargoRoot;
use crate::model::package::rel_join;

pub use workflow_lint::workflows;

/// fmt, clippy, test, doc on each of `roots`, whole: run in its folder
/// (its own `.cargo/config.toml` and toolchain file apply), `--locked` when
/// its lock is live.
pub fn rust<'a>(sh: &'a Shell, roots: &[CargoRoot]) -> Vec<Step<'a>> {
    let each = |name: &'static str, run: fn(&Shell, &[String]) -> anyhow::Result<()>| {
        let roots = roots.to_vec();
        Step::new(name, &[], move || {
            for root in &roots {
                let _dir = sh.push_dir(&root.dir);
                run(sh, &root.locked_arg())?;
            }
            Ok(None)
        })
    };
    vec![
        each(
            "fmt",
            |sh, _| Ok(cmd!(sh, "cargo fmt --all --check").run()?),
        ),
        each("clippy", |sh, locked| {
            Ok(cmd!(
                sh,
                "cargo clippy --workspace --all-targets --all-features {locked...} -- -D warnings"
            )
            .run()?)
        }),
        each("test", |sh, locked| {
            Ok(cmd!(sh, "cargo test --workspace {locked...}").run()?)
        }),
        each("doc", |sh, locked| {
            Ok(cmd!(sh, "cargo doc --workspace --no-deps {locked...}")
                .env("RUSTDOCFLAGS", "-D warnings")
                .run()?)
        }),
    ]
}

/// The xtask's two builds: the default one (what `cargo xtask` compiles)
/// linted without the `bench` feature, which `clippy` turns on, and the bench
/// build's own unit tests, which `test` leaves out.
pub fn bench_build(sh: &Shell) -> Step<'_> {
    Step::new("bench-build", &[], move || {
        cmd!(
            sh,
            "cargo clippy -p xtask --all-targets --locked -- -D warnings"
        )
        .run()?;
        cmd!(
            sh,
            "cargo test -p xtask --features bench --locked --bin xtask bench::"
        )
        .run()?;
        Ok(None)
    })
}

/// `cargo package` of the crates about to be published, each in its Cargo
/// workspace (`crates`: a workspace and the crates of it), and `cargo audit`
/// there when it is installed (required with `require_audit`).
pub fn publishing(
    sh: &Shell,
    crates: Vec<(CargoRoot, Vec<String>)>,
    require_audit: bool,
) -> Vec<Step<'_>> {
    let roots: Vec<CargoRoot> = crates.iter().map(|(root, _)| root.clone()).collect();
    vec![
        Step::new("package", &[], move || {
            for (root, names) in &crates {
                let _dir = sh.push_dir(&root.dir);
                let packages = names.iter().flat_map(|c| ["-p".to_string(), c.clone()]);
                let locked = root.locked_arg();
                cmd!(sh, "cargo package {locked...} --quiet")
                    .args(packages)
                    .run()?;
            }
            Ok(None)
        }),
        Step::new("audit", &[], move || {
            if cmd!(sh, "cargo audit --version")
                .quiet()
                .ignore_stdout()
                .ignore_stderr()
                .run()
                .is_err()
            {
                let why = "skipped: cargo-audit not installed (cargo install --locked cargo-audit)";
                if require_audit {
                    bail!("{why}; --require-audit makes it a failure");
                }
                return Err(Skip(why.into()).into());
            }
            for root in &roots {
                let _dir = sh.push_dir(&root.dir);
                cmd!(sh, "cargo audit").run()?;
            }
            Ok(None)
        }),
    ]
}

/// `cargo xtask check`: version fields, tag series and changelogs agree.
pub fn versions(ctx: &Ctx) -> Step<'_> {
    Step::new("versions", &[], move || {
        let (problems, _) = crate::checks::problems::gather(ctx)?;
        if problems.is_empty() {
            return Ok(None);
        }
        bail!(
            "{} problem(s): `cargo xtask check` lists them:\n{}",
            problems.len(),
            problems.join("\n")
        )
    })
}

/// `versions`, judged on the tree a release plan leaves: its `edits` in
/// place and its `new_tags` made. Drift the plan repairs does not stop it;
/// what is still wrong afterwards does.
pub fn versions_after<'a>(
    ctx: &'a Ctx,
    edits: &'a crate::edit::Edits,
    new_tags: &'a [String],
) -> Step<'a> {
    Step::new("versions", &[], move || {
        let ws = ctx.ws()?;
        let tags = crate::facts::tags::read(&ctx.sh, ws)?.with_names(new_tags);
        let today = crate::text::date::today();
        let problems =
            crate::checks::problems::problems_after(ws, edits, &tags, today, &ctx.builtin)?;
        if problems.is_empty() {
            return Ok(None);
        }
        bail!(
            "{} problem(s) would remain after the release's edits:\n{}",
            problems.len(),
            problems.join("\n")
        )
    })
}

/// The venv, the binding's wheel built and installed into it, ruff, mypy, pytest.
pub fn python<'a>(sh: &'a Shell, venv: &'a Venv, dir: String) -> Vec<Step<'a>> {
    let requirements = rel_join(&dir, python::REQUIREMENTS);
    let wheel_dir = dir.clone();
    let ruff_dir = dir.clone();
    let mypy_dir = dir.clone();
    vec![
        Step::new("python-env", &[], move || {
            let created = venv.ensure(sh)?;
            let installed = venv.install_requirements(sh, &sh.current_dir(), &requirements)?;
            Ok(Some(format!("venv {created}, tools {installed}")))
        }),
        Step::new("wheel", &["python-env"], move || {
            // A separate target folder: maturin builds pyo3 for an extension
            // module, and sharing `target/` would rebuild it on every switch.
            let out = sh.current_dir().join("target/wheels/ci");
            let _ = sh.remove_path(&out);
            let maturin = venv.bin("maturin");
            let python = venv.python();
            let manifest = format!("{wheel_dir}/Cargo.toml");
            cmd!(sh, "{maturin} build --profile dev --manifest-path {manifest} --interpreter {python} --out {out}")
                .env("CARGO_TARGET_DIR", sh.current_dir().join("target/maturin"))
                .run()?;
            let wheel = python::only_wheel(sh, &out)?;
            venv.install_wheel(sh, &wheel)?;
            Ok(wheel.file_name().map(|n| n.to_string_lossy().into_owned()))
        }),
        Step::new("ruff", &["python-env"], move || {
            let _dir = sh.push_dir(&ruff_dir);
            let ruff = venv.bin("ruff");
            cmd!(sh, "{ruff} check").run()?;
            cmd!(sh, "{ruff} format --check").run()?;
            Ok(None)
        }),
        Step::new("mypy", &["python-env"], move || {
            let _dir = sh.push_dir(&mypy_dir);
            let mypy = venv.bin("mypy");
            cmd!(sh, "{mypy}").run()?;
            Ok(None)
        }),
        Step::new("pytest", &["wheel"], move || {
            let _dir = sh.push_dir(&dir);
            let python = venv.python();
            cmd!(sh, "{python} -m pytest -q").run()?;
            Ok(None)
        }),
    ]
}

/// The local crate registry the publishing end-to-end test serves.
pub const HTTP_REGISTRY: tool_cache::Tool = tool_cache::Tool {
    name: "cargo-http-registry",
    version: "0.1.8",
    version_args: &["--version"],
};

/// The publishing end-to-end test: a cargo registry and a Python index on
/// 127.0.0.1, a fixture released and published to both. Ignored by a plain
/// `cargo test`, so it runs here, with the venv that has pypiserver's room
/// and the registry server from the tools cache (`XTASK_TOOLS`, built once
/// per machine). When the server or the index cannot be installed, the step
/// is skipped with why (the test says it in the file named by
/// `XTASK_E2E_SKIP_FILE`).
pub fn publish_e2e<'a>(sh: &'a Shell, venv: &'a Venv) -> Step<'a> {
    Step::new("publish-e2e", &["python-env"], move || {
        let root = sh.current_dir();
        if let Err(err) = tool_cache::ensure(sh, &HTTP_REGISTRY, &root) {
            return Err(Skip(format!("could not set up: {err:#}")).into());
        }
        let tools = tool_cache::dir(&HTTP_REGISTRY, &root);
        // A scratch file in the temporary folder, not in the repository.
        let skip_file = std::env::temp_dir().join(format!("xtask-e2e-skip-{}", std::process::id()));
        let _ = std::fs::remove_file(&skip_file);
        let run = cmd!(
            sh,
            "cargo test -p xtask --locked --test publish_e2e -- --ignored --nocapture"
        )
        .env("XTASK_VENV", venv.dir())
        .env(tool_cache::TOOLS_ENV, tools)
        .env("XTASK_E2E_SKIP_FILE", &skip_file)
        .run();
        let skipped = std::fs::read_to_string(&skip_file).ok();
        let _ = std::fs::remove_file(&skip_file);
        run?;
        match skipped {
            Some(why) => Err(Skip(format!("could not set up: {}", why.trim())).into()),
            None => Ok(None),
        }
    })
}

/// The repository is ready to release from: on the release branch, clean,
/// level with its upstream, none of `tags` exists yet, and git can sign
/// when its configuration signs.
pub fn git<'a>(ctx: &'a Ctx, tags: &'a [String]) -> Vec<Step<'a>> {
    let sh = &ctx.sh;
    let config = ctx.ws().map(|ws| ws.config.clone()).unwrap_or_default();
    let remote = config.remote.clone();
    let remote_for_tags = remote.clone();
    vec![
        Step::new("git-branch", &[], move || {
            let (branch, from) = (&config.branch, config.releases_from());
            match git::branch(sh)? {
                Some(current) if config.releases_on(&current) => Ok(None),
                Some(current) => bail!(
                    "on branch `{current}`, releases are made from {from}: run `git switch {branch}`"
                ),
                None => bail!("HEAD is detached: run `git switch {branch}`"),
            }
        }),
        Step::new("git-clean", &[], move || {
            let status = git::status(sh)?;
            if status.trim().is_empty() {
                return Ok(None);
            }
            bail!(
                "the work tree has changes: commit or stash them first:\n{}",
                status.trim_end()
            )
        }),
        Step::new("git-sync", &[], move || {
            git::fetch(sh, &remote)?;
            match git::ahead_behind(sh)? {
                None => bail!(
                    "the branch has no upstream: run `git push --set-upstream {remote} <branch>`"
                ),
                Some((0, 0)) => Ok(None),
                Some((ahead, 0)) => bail!(
                    "the branch is {ahead} commit(s) ahead of its upstream: push them first (`git push`)"
                ),
                Some((_, behind)) => bail!(
                    "the branch is {behind} commit(s) behind its upstream: run `git pull --ff-only`"
                ),
            }
        }),
        Step::new("git-tags", &[], move || {
            let local = git::tag_names(sh)?;
            let remote_tags = git::remote_tags(sh, &remote_for_tags)?;
            let mut clashes = Vec::new();
            for tag in tags {
                if local.contains(tag) {
                    clashes.push(format!(
                        "{tag} exists locally (delete it with `git tag -d {tag}` if it is stale)"
                    ));
                }
                if remote_tags.contains(tag) {
                    clashes.push(format!("{tag} exists on {remote_for_tags}: that version is released; choose the next one"));
                }
            }
            if clashes.is_empty() {
                Ok(None)
            } else {
                bail!("{}", clashes.join("; "))
            }
        }),
        signing::step(sh),
    ]
}
