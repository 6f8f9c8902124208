//! `cargo xtask`: the release checklist of this workspace as commands.
//!
//! Data flows one way: disk and git -> model -> plan -> (print | execute).

mod bench;
mod changelog;
mod checks;
mod cli;
mod commands;
mod config;
mod diff;
mod drift;
mod edit;
mod execute;
mod fields;
mod git;
mod history;
mod json;
mod plan;
mod python;
mod registry;
mod release;
mod release_subject;
mod signals;
mod steps;
mod tags;
mod ui;
mod version;
mod workflow_scripts;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use xshell::Shell;

use workspace::Workspace;

fn main() -> ExitCode {
    signals::setup();
    match run() {
        Ok(code) => code,
        Err(err) => {
            ui::error(&format!("{err:#}"));
            ExitCode::FAILURE
        }
    }
}

/// What every command starts from: a shell at the root and the loaded workspace.
pub struct Ctx {
    pub sh: Shell,
    pub root: PathBuf,
    pub config: Option<PathBuf>,
    loaded: Result<Workspace>,
}

impl Ctx {
    /// The workspace model, or the error that kept it from loading.
    pub fn ws(&self) -> Result<&Workspace> {
        self.loaded.as_ref().map_err(|e| anyhow::anyhow!("{e:#}"))
    }

    /// Reads the workspace again, after a command changed it.
    pub fn reload(&self) -> Result<Workspace> {
        Workspace::load(&self.root, self.config.as_deref())
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let globals = cli::pre_scan(&args);
    let cwd = std::env::current_dir()?;
    let root = globals
        .root
        .map(|r| cwd.join(r))
        .unwrap_or_else(project_root);
    let config = globals.config.map(|c| cwd.join(c));
    let loaded = Workspace::load(&root, config.as_deref());
    // Without a model, still accept the usual flags so the load error is what the user sees.
    let flags: Vec<cli::PackageFlag> = match &loaded {
        Ok(ws) => ws
            .packages
            .iter()
            .map(|p| (p.flag.clone(), p.name.clone(), p.version.to_string()))
            .collect(),
        Err(_) => ["rust", "py"]
            .map(|f| (f.to_string(), f.to_string(), "?".to_string()))
            .to_vec(),
    };
    let matches = cli::command(&flags).get_matches_from(args);
    let sh = Shell::new()?;
    sh.change_dir(&root);
    let ctx = Ctx {
        sh,
        root,
        config,
        loaded,
    };
    let (name, sub) = matches.subcommand().expect("clap requires a subcommand");
    match name {
        "ci" => commands::ci::run(&ctx, sub),
        "versions" => commands::versions::run(&ctx, sub),
        "check" => commands::check::run(&ctx),
        "bump" => commands::bump::run(&ctx, sub),
        "sync" => commands::sync::run(&ctx, sub),
        "changelog" => commands::changelog::run(&ctx, sub),
        "release" => commands::release::run(&ctx, sub),
        "preflight" => commands::release::preflight(&ctx, sub),
        "rollback" => commands::release::rollback(&ctx, sub),
        "gh" => commands::gh::run(&ctx, sub),
        "publish" => commands::publish::run(&ctx, sub),
        "verify-published" => commands::verify_published::run(&ctx, sub),
        "downstream" => commands::downstream::run(&ctx, sub),
        "bench" => commands::bench::run(&ctx, sub),
        _ => unreachable!("clap rejects unknown subcommands"),
    }
}

/// The workspace this xtask belongs to.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
