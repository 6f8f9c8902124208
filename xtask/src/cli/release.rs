//! `release`, `preflight` and `rollback`: their arguments and parsing.

use anyhow::Result;
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::args::{
    PackageFlag, date, flag, leak, package_flags, pre, pre_arg, required, selection, values,
};
use crate::cli::flags::{Api, Preflight, PreflightOptions, Release, Rollback};

fn skip_arg() -> Arg {
    Arg::new("skip")
        .long("skip")
        .value_name("CHECK")
        .action(ArgAction::Append)
        .help("Skip a named check (repeatable)")
}

pub fn release(packages: &[PackageFlag]) -> Command {
    let mut cmd = Command::new("release")
        .about("Plan the next release (a dry run), or with --execute: pre-flight, bump, changelogs, commit, tags, push")
        .arg(flag("execute", "Run the plan: pre-flight, edits, commit, tags, push"))
        .arg(flag("skip-preflight", "Do not run the pre-flight checks before executing"))
        .arg(skip_arg())
        .arg(flag("require-audit", "Fail the pre-flight when cargo-audit is not installed"))
        .arg(flag("no-push", "Stop after the commit and tags; a later --execute pushes them"))
        .arg(flag("abort", "Undo a pending release (commit and tags not pushed)"))
        .arg(flag("pr", "Release through a pull request: branch, commit, push; CI tags after merge"))
        .arg(flag("generate", "Append notes drafted from the commits to each changelog section"))
        .arg(flag("allow-empty", "Release a changelog section that has no entries"))
        .arg(flag("allow-breaking", "Release a level below what the public API's changes need"))
        .arg(flag("allow-dev", "Release a development version (X.Y.Z-dev.N) as asked, which is never proposed"))
        .arg(pre_arg())
        .arg(Arg::new("date").long("date").value_name("YYYY-MM-DD").help("The release date (default: today, UTC)"))
        .arg(flag("json", "Print the plan and the result as JSON"))
        .arg(Arg::new("quiet").short('q').long("quiet").action(ArgAction::SetTrue).help("No status lines"));
    for (flag, name, version) in packages {
        cmd = cmd.arg(
            Arg::new(leak(flag))
                .long(leak(flag))
                .value_name("LEVEL")
                .help(format!(
                    "Release {name} (now {version}): major, minor, patch, auto, dev, alpha, beta, rc, release (a train's end) or a version"
                )),
        );
    }
    cmd
}

pub fn preflight(packages: &[PackageFlag]) -> Command {
    package_flags(
        Command::new("preflight")
            .about("Run every check a release runs: git state, versions, Rust, Python")
            .arg(skip_arg())
            .arg(flag(
                "require-audit",
                "Fail when cargo-audit is not installed",
            )),
        packages,
    )
}

pub fn rollback() -> Command {
    Command::new("rollback")
        .about("Delete a release tag here and on the remote, and show how to yank the version")
        .arg(Arg::new("tag").required(true).value_name("TAG"))
        .arg(flag("execute", "Delete the tag (a dry run otherwise)"))
        .arg(flag(
            "yank",
            "With --execute, also run `cargo yank` for a crate tag",
        ))
}

fn preflight_options(m: &ArgMatches) -> PreflightOptions {
    PreflightOptions {
        skip: values(m, "skip"),
        require_audit: m.get_flag("require-audit"),
        allow_breaking: m.try_get_one::<bool>("allow-breaking").ok().flatten() == Some(&true),
    }
}

pub fn parse_release(m: &ArgMatches, packages: &[PackageFlag]) -> Result<Release> {
    Ok(Release {
        selection: selection(m, packages),
        execute: m.get_flag("execute"),
        skip_preflight: m.get_flag("skip-preflight"),
        preflight: preflight_options(m),
        no_push: m.get_flag("no-push"),
        abort: m.get_flag("abort"),
        pr: m.get_flag("pr"),
        generate: m.get_flag("generate"),
        allow_empty: m.get_flag("allow-empty"),
        allow_dev: m.get_flag("allow-dev"),
        pre: pre(m),
        date: date(m)?,
        json: m.get_flag("json"),
        quiet: m.get_flag("quiet"),
    })
}

pub fn parse_preflight(m: &ArgMatches, packages: &[PackageFlag]) -> Preflight {
    Preflight {
        selection: selection(m, packages),
        options: preflight_options(m),
    }
}

pub fn parse_rollback(m: &ArgMatches) -> Rollback {
    Rollback {
        tag: required(m, "tag"),
        execute: m.get_flag("execute"),
        yank: m.get_flag("yank"),
    }
}

pub fn api(packages: &[PackageFlag]) -> Command {
    package_flags(
        Command::new("api")
            .about("Each package's public API against its previous release: cargo-semver-checks for a crate, griffe (and stubtest) for a Python package; non-zero when a checker cannot run")
            .arg(flag("install", "First install the checkers: cargo-semver-checks into the per-user tools cache ($CARGO_HOME/xtask-tools), griffe and mypy into .venv"))
            .arg(flag("stubtest", "Also check a Python package's stubs against its module as the venv imports it (build and install the wheel first)"))
            .arg(Arg::new("since").long("since").value_name("TAG").help("Compare with this tag or commit instead of the previous release")),
        packages,
    )
}

pub fn parse_api(m: &ArgMatches, packages: &[PackageFlag]) -> Api {
    Api {
        selection: selection(m, packages),
        install: m.get_flag("install"),
        stubtest: m.get_flag("stubtest"),
        since: m.get_one::<String>("since").cloned(),
    }
}
