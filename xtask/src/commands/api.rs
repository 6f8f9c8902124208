//! `cargo xtask api`: each package's public API against its previous
//! release, by the real checkers; what CI runs on pull requests so a break
//! is seen before the release PR.

use std::process::ExitCode;

use anyhow::Result;

use crate::adapters::python;
use crate::checks;
use crate::cli::flags::Api;
use crate::ctx::Ctx;
use crate::facts;
use crate::model::selection;
use crate::out::ui::{self, Tone};
use crate::text::api::Verdict;

/// One line per package; non-zero when a checker could not run or is missing.
pub fn run(ctx: &Ctx, flags: Api) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let sh = &ctx.sh;
    let packages = selection::named_or_all(&ws.packages, &flags.selection)?;
    if flags.install {
        checks::api::ensure_tools(sh, ws, &packages, &[])?;
    }
    let tags = facts::tags::read(sh, ws)?;
    let mut ok = true;
    for package in packages {
        let base = match &flags.since {
            Some(since) => Some(since.clone()),
            None => facts::history::previous_tag(package, &tags).map(|(tag, _)| tag),
        };
        if flags.stubtest && package.pyproject.is_some() {
            let venv = python::project_venv(&ctx.root);
            if let Err(err) = facts::api::stubtest(sh, &venv, ws, package) {
                ui::error(&format!("{}: {err:#}", package.name));
                ok = false;
            }
        }
        let verdict = facts::api::verdict(sh, &ctx.root, ws, package, base.as_deref(), None);
        let since = base.map_or(String::new(), |b| format!(" since {b}"));
        let line = format!("{}{since}: {}", package.name, verdict.describe());
        match verdict {
            Verdict::Failed(_) | Verdict::Skipped(_) => {
                ui::error(&line);
                ok = false;
            }
            Verdict::Breaking(_) => ui::status(Tone::Warn, "API", &line),
            _ => ui::status(Tone::Good, "API", &line),
        }
        ui::println(&line);
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
