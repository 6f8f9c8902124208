//! `cargo xtask ci`: every check CI runs, in order, one status line each.

use std::process::ExitCode;

use anyhow::Result;
use clap::ArgMatches;
use xshell::{Shell, cmd};

use crate::Ctx;
use crate::python::{self, Venv};
use crate::steps::{self, Step};

const BINDING: &str = "edgequake-litellm";

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let venv = Venv::new(ctx.root.join(".venv"));
    let steps = steps(ctx, &venv);
    if args.get_flag("list") {
        for step in &steps {
            println!("{}", step.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let skip: Vec<String> = args
        .get_many::<String>("skip")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let report = steps::run_all(steps, &skip)?;
    Ok(if report.failed().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn steps<'a>(ctx: &'a Ctx, venv: &'a Venv) -> Vec<Step<'a>> {
    let sh: &Shell = &ctx.sh;
    vec![
        Step::new("fmt", &[], move || {
            cmd!(sh, "cargo fmt --all --check").run()?;
            Ok(None)
        }),
        Step::new("clippy", &[], move || {
            cmd!(
                sh,
                "cargo clippy --workspace --all-targets --locked -- -D warnings"
            )
            .run()?;
            Ok(None)
        }),
        Step::new("test", &[], move || {
            cmd!(sh, "cargo test --workspace --locked").run()?;
            Ok(None)
        }),
        Step::new("doc", &[], move || {
            cmd!(sh, "cargo doc --workspace --no-deps --locked")
                .env("RUSTDOCFLAGS", "-D warnings")
                .run()?;
            Ok(None)
        }),
        Step::new("versions", &[], move || {
            let (problems, _) = super::check::problems(ctx)?;
            if problems.is_empty() {
                return Ok(None);
            }
            anyhow::bail!(
                "{} problem(s): `cargo xtask check` lists them:\n{}",
                problems.len(),
                problems.join("\n")
            )
        }),
        Step::new("python-env", &[], move || {
            let created = venv.ensure(sh)?;
            let installed =
                venv.install_requirements(sh, &sh.current_dir().join(python::REQUIREMENTS))?;
            Ok(Some(format!("venv {created}, tools {installed}")))
        }),
        Step::new("publish-e2e", &["python-env"], move || {
            // Ignored by plain `cargo test`: it starts a cargo registry and a
            // Python index on 127.0.0.1 and publishes a fixture to both.
            cmd!(
                sh,
                "cargo test -p xtask --locked --test publish_e2e -- --ignored --nocapture"
            )
            .env("XTASK_VENV", venv.dir())
            .run()?;
            Ok(None)
        }),
        Step::new("wheel", &["python-env"], move || {
            // A separate target folder: maturin builds pyo3 for an extension
            // module, and sharing `target/` would rebuild it on every switch.
            let out = sh.current_dir().join("target/wheels/ci");
            let _ = sh.remove_path(&out);
            let maturin = venv.bin("maturin");
            let python = venv.python();
            cmd!(
                sh,
                "{maturin} build --profile dev --manifest-path {BINDING}/Cargo.toml --interpreter {python} --out {out}"
            )
            .env("CARGO_TARGET_DIR", sh.current_dir().join("target/maturin"))
            .run()?;
            let wheel = python::only_wheel(sh, &out)?;
            venv.install_wheel(sh, &wheel)?;
            Ok(wheel.file_name().map(|n| n.to_string_lossy().into_owned()))
        }),
        Step::new("ruff", &["python-env"], move || {
            let _dir = sh.push_dir(BINDING);
            let ruff = venv.bin("ruff");
            cmd!(sh, "{ruff} check").run()?;
            cmd!(sh, "{ruff} format --check").run()?;
            Ok(None)
        }),
        Step::new("mypy", &["python-env"], move || {
            let _dir = sh.push_dir(BINDING);
            let mypy = venv.bin("mypy");
            cmd!(sh, "{mypy}").run()?;
            Ok(None)
        }),
        Step::new("pytest", &["wheel"], move || {
            let _dir = sh.push_dir(BINDING);
            let python = venv.python();
            cmd!(sh, "{python} -m pytest -q").run()?;
            Ok(None)
        }),
    ]
}
