//! `cargo xtask`: the release checklist of this workspace as commands.
//!
//! Data flows one way: disk and git -> model -> plan -> (print | execute).

mod adapters;
#[cfg(feature = "bench")]
mod bench;
mod changelog;
mod checks;
mod cli;
mod commands;
mod ctx;
mod edit;
mod facts;
mod init;
mod model;
mod out;
mod publish;
mod release;
mod text;
mod worktree;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use xshell::Shell;

use adapters::signals;
use checks::{git_values, validate};
use cli::flags::Cmd;
use ctx::Ctx;
use out::ui;

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

fn run() -> Result<ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let globals = cli::pre_scan(&args);
    let cwd = std::env::current_dir()?;
    let root = globals
        .root
        // `--root .` is shown as the folder itself, not `/…/.`.
        .map(|r| cwd.join(r).components().collect::<PathBuf>())
        .unwrap_or_else(project_root);
    let config = globals.config.map(|c| cwd.join(c));
    let sh = Shell::new()?;
    sh.change_dir(&root);
    let loaded = ctx::load(&sh, &root, config.as_deref());
    // Validated before the command line is built: a package flag that clap
    // would refuse (a built-in name, a duplicate) never reaches clap.
    let builtin = builtin_names();
    let (problems, values) = match &loaded {
        Ok(ws) => {
            let values = git_values::problems(ws);
            (
                validate::validate_with(ws, &builtin, values.clone()),
                values,
            )
        }
        Err(_) => (Vec::new(), Vec::new()),
    };
    // Without a model, still accept the usual flags so the load error is what the user sees.
    let flags: Vec<cli::args::PackageFlag> = match &loaded {
        Ok(ws) => validate::usable_flags(ws, &builtin)
            .into_iter()
            .map(|p| (p.flag.clone(), p.name.clone(), p.version.to_string()))
            .collect(),
        Err(_) => ["rust", "py"]
            .map(|f| (f.to_string(), f.to_string(), "?".to_string()))
            .to_vec(),
    };
    let matches = command_line(args, &flags, &problems);
    let cmd = cli::parse(&matches, &flags)?;
    // `check` lists it with its warnings; every other command says it once.
    if let (Ok(ws), false) = (&loaded, matches!(cmd, Cmd::Check(_)))
        && let Some(warning) = &ws.config.warning
    {
        ui::status(ui::Tone::Warn, "warning", warning);
    }
    let ctx = Ctx {
        builtin,
        sh,
        root,
        config,
        loaded,
        problems,
        values,
    };
    let code = match cmd {
        Cmd::Init(f) => commands::init::run(&ctx, f),
        Cmd::Ci(f) => commands::ci::run(&ctx, f),
        Cmd::Versions(f) => commands::versions::run(&ctx, f),
        Cmd::Check(f) => commands::check::run(&ctx, f),
        Cmd::Bump(f) => commands::bump::run(&ctx, f),
        Cmd::Sync(f) => commands::sync::run(&ctx, f),
        Cmd::Changelog(f) => commands::changelog::run(&ctx, f),
        Cmd::Release(f) => commands::release::run(&ctx, f),
        Cmd::Preflight(f) => commands::preflight::run(&ctx, f),
        Cmd::Api(f) => commands::api::run(&ctx, f),
        Cmd::Rollback(f) => commands::rollback::run(&ctx, f),
        Cmd::Gh(f) => commands::gh::run(&ctx, f),
        Cmd::Publish(f) => commands::publish::run(&ctx, f),
        Cmd::VerifyPublished(f) => commands::verify_published::run(&ctx, f),
        Cmd::Status(f) => commands::status::run(&ctx, f),
        Cmd::Downstream(f) => commands::downstream::run(&ctx, f),
        Cmd::Bench(f) => commands::bench::run(&ctx, f),
        Cmd::Change(f) => commands::change::run(&ctx, f),
    };
    // The model is data the process ends with (no file, lock or child is
    // held by it): not freed, as clap's tree is not (a 5 MB changelog's text
    // and the model's maps cost a tenth of `changelog notes` to free).
    std::mem::forget(ctx);
    code
}

/// The names of the command line's own options and arguments.
fn builtin_names() -> std::collections::BTreeSet<String> {
    cli::OWN_NAMES.iter().map(|n| n.to_string()).collect()
}

/// `args` as the command line with the package `flags` reads them; clap's
/// error ends the process, after the `problems` that left a flag off.
fn command_line(
    args: Vec<std::ffi::OsString>,
    flags: &[cli::args::PackageFlag],
    problems: &[ctx::Problem],
) -> clap::ArgMatches {
    let mut command = cli::command_for(flags, &args);
    let err = match command.try_get_matches_from_mut(args) {
        Ok(matches) => {
            // Data the process ends with: not dropped (freeing clap's tree
            // costs a tenth of a short command in the debug build).
            std::mem::forget(command);
            return matches;
        }
        Err(err) => err,
    };
    // A flag left off the command line for a problem: say why first.
    if err.use_stderr() {
        for problem in problems {
            ui::error(&problem.to_string());
        }
    }
    let hint = unknown_package_flag(&err, &command, flags);
    std::mem::forget(command);
    let _ = err.print();
    if let Some(hint) = hint {
        ui::status(ui::Tone::Warn, "hint", &hint);
    }
    std::process::exit(err.exit_code())
}

/// For an unknown `--NAME` given to a command that selects packages by
/// their flags: which flags this repository's configuration gives.
fn unknown_package_flag(
    err: &clap::Error,
    command: &clap::Command,
    flags: &[cli::args::PackageFlag],
) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = err.get(ContextKind::InvalidArg) else {
        return None;
    };
    // A misspelt option clap recognised (`--exectue`): its tip is the answer.
    if err.get(ContextKind::SuggestedArg).is_some() {
        return None;
    }
    let name = given.strip_prefix("--")?.split('=').next()?;
    // The command named, when the command line was built for it alone
    // (beside the `help` clap adds).
    let mut subcommands = command.get_subcommands().filter(|s| s.get_name() != "help");
    let (Some(sub), None) = (subcommands.next(), subcommands.next()) else {
        return None;
    };
    if name.is_empty() || !cli::takes_package_flags(sub.get_name()) {
        return None;
    }
    Some(match flags {
        [] => "no package of the release configuration can be selected by a flag here (`cargo xtask check` says why)".to_string(),
        _ => format!(
            "`--{name}` is no option of `{}` and no package of this repository: its packages' flags are {} (each package's `flag` in the release configuration)",
            sub.get_name(),
            flags
                .iter()
                .map(|(flag, package, version)| format!("--{flag} ({package} {version})"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// The workspace this xtask belongs to.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
