//! `cargo xtask check`: every problem of the configuration and the files
//! (`validate`), every version inconsistency, each with its fix.

use std::process::ExitCode;

use anyhow::Result;

use super::changelog;
use crate::ui::{self, Tone};
use crate::{Ctx, fields, git, validate};

/// Every problem found (validation, version fields, changelog lint errors),
/// and the changelog lint warnings.
pub fn problems(ctx: &Ctx) -> Result<(Vec<String>, Vec<String>)> {
    let ws = ctx.ws()?;
    let tags = git::tags(&ctx.sh)?;
    let fields = fields::fields(ws, &tags);
    let mut problems = validate::with_fields(ctx.problems(), &fields);
    let (errors, warnings) = changelog::lint_all(ws, &tags, changelog::today());
    problems.extend(errors);
    Ok((problems, warnings))
}

pub fn run(ctx: &Ctx) -> Result<ExitCode> {
    let (problems, warnings) = problems(ctx)?;
    for warning in &warnings {
        ui::status(Tone::Warn, "warning", warning);
    }
    for problem in &problems {
        ui::error(problem);
    }
    if problems.is_empty() {
        ui::status(Tone::Good, "Checked", "every version field agrees");
        Ok(ExitCode::SUCCESS)
    } else {
        ui::status(
            Tone::Bad,
            "Failed",
            &format!("{} problem(s)", problems.len()),
        );
        Ok(ExitCode::FAILURE)
    }
}
