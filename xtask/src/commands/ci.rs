//! `cargo xtask ci`: every check CI runs, in order, one status line each.

use std::process::ExitCode;

use anyhow::Result;

use crate::adapters::python::{self, Venv};
use crate::checks;
use crate::checks::step_runner::{self, Step};
use crate::cli::flags;
use crate::ctx::Ctx;
use crate::model::locks::CargoRoot;
use crate::out::ui;

pub fn run(ctx: &Ctx, flags: flags::Ci) -> Result<ExitCode> {
    let venv = python::project_venv(&ctx.root);
    // No plan: each package is checked against its previous release.
    let gates = checks::api::Gates::default();
    let steps = steps(ctx, &venv, &gates);
    if flags.list {
        for step in &steps {
            ui::println(step.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut skip = flags.skip;
    if !flags.only.is_empty() {
        skip.extend(step_runner::skip_all_but(&steps, &flags.only)?);
    }
    let report = step_runner::run_all(steps, &skip)?;
    // A step that could not run proves nothing: CI must not pass on it.
    for (name, why) in report.unavailable() {
        crate::out::ui::error(&format!(
            "step `{name}` did not run ({why}): fix its setup, or leave it out on purpose with --skip {name}"
        ));
    }
    Ok(if report.all_ran_and_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn steps<'a>(ctx: &'a Ctx, venv: &'a Venv, gates: &'a checks::api::Gates) -> Vec<Step<'a>> {
    // This repository's own workspace, at the root.
    let mut steps = checks::rust(&ctx.sh, &[CargoRoot::here()]);
    steps.push(checks::bench_build(&ctx.sh));
    steps.push(checks::versions(ctx));
    if let Some(dir) = ctx
        .model()
        .ok()
        .and_then(|ws| crate::model::selection::python_dir(ws, &ws.packages))
    {
        steps.extend(checks::python(&ctx.sh, venv, dir));
        if let Ok(ws) = ctx.ws() {
            let (py, rust): (Vec<_>, Vec<_>) = ws
                .packages
                .iter()
                .cloned()
                .partition(|p| p.pyproject.is_some());
            steps.push(checks::api::rust(ctx, gates, rust, &[]));
            steps.extend(checks::api::python(ctx, venv, gates, py, &[]));
        }
        steps.push(checks::api::e2e(ctx, venv));
        steps.push(checks::publish_e2e(&ctx.sh, venv));
        steps.push(checks::workflows(&ctx.sh, venv));
    }
    steps
}
