//! `cargo xtask sync`: every version field set to its package's manifest
//! version, all files at once or none, the diff printed as `bump` does.

use std::process::ExitCode;

use anyhow::Result;

use crate::checks::problems;
use crate::cli::flags;
use crate::ctx::Ctx;
use crate::edit::{Edits, atomic_write, drift};
use crate::model::fields;
use crate::model::workspace::Workspace;
use crate::out::ui::{self, Tone};

pub fn run(ctx: &Ctx, flags: flags::Sync) -> Result<ExitCode> {
    let ws = ctx.checked()?;
    let names = drift::synced(ws);
    let edits = drift::sync_edits(ws)?;
    let changed: Vec<_> = edits.changed().collect();
    if changed.is_empty() {
        ui::status(
            Tone::Good,
            "Synced",
            "every version field already agrees with its package's version; nothing to do",
        );
    } else {
        write(ctx, flags.dry_run, ws, &names, &edits)?;
    }
    // What sync does not own (tags, changelogs) may still be wrong: say so.
    let tags = crate::facts::tags::read(&ctx.sh, ws)?;
    let today = crate::text::date::today();
    let rest = problems::problems_after(ws, &edits, &tags, today, &ctx.builtin)?;
    if !rest.is_empty() {
        ui::status(
            Tone::Warn,
            "Remaining",
            &format!(
                "{} problem(s) sync does not repair; `cargo xtask check` lists them",
                rest.len()
            ),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the drift and the diff, then writes it all or, with --dry-run, nothing.
fn write(ctx: &Ctx, dry_run: bool, ws: &Workspace, names: &[&str], edits: &Edits) -> Result<()> {
    for field in fields::drift(ws, names) {
        ui::status(Tone::Warn, "Drift", field.what().unwrap_or_default());
    }
    ui::print(&edits.diff());
    atomic_write::apply_unless_dry_run(&ctx.root, edits, dry_run)
}
