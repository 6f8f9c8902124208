//! `cargo xtask`: the release checklist of this workspace as commands.
//!
//! Data flows one way: disk and git -> model -> plan -> (print | execute).

#[allow(dead_code)] // wired into commands later
mod changelog;
mod cli;
mod commands;
mod python;
mod steps;
mod ui;
#[allow(dead_code)] // wired into commands by the versions work
mod version;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use xshell::Shell;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            ui::error(&format!("{err:#}"));
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let matches = cli::command().get_matches();
    let sh = Shell::new()?;
    sh.change_dir(project_root());
    match matches.subcommand() {
        Some(("ci", args)) => commands::ci::run(&sh, args),
        _ => unreachable!("clap requires a known subcommand"),
    }
}

/// The workspace this xtask belongs to.
fn project_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
