//! `cargo xtask check`: every problem of the configuration and the files
//! (`validate`), every version inconsistency, each with its fix.

use std::process::ExitCode;

use anyhow::Result;

use crate::checks::problem_report::{report, report_json};
use crate::checks::problems;
use crate::cli::flags;
use crate::ctx::Ctx;
use crate::out::ui::{self, Tone};

pub fn run(ctx: &Ctx, flags: flags::Check) -> Result<ExitCode> {
    let (problems, warnings) = problems::gather(ctx)?;
    if flags.json {
        ui::println(&report_json(&problems, &warnings));
    } else {
        report(&problems, &warnings, flags.verbose);
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
