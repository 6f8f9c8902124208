//! `versions`, `check`, `sync` and `bump`: their arguments and parsing.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::args::{PackageFlag, flag, leak, pre, pre_arg, select_package_arg, selection, string};
use crate::cli::flags::{Bump, Check, Sync, Versions};

pub fn versions() -> Command {
    Command::new("versions")
        .about("Show every version field: manifests, pins, pyproject.toml, Cargo.lock, mentions, tags, changelogs")
        .arg(flag("json", "Print JSON instead of a table"))
}

pub fn check() -> Command {
    Command::new("check")
        .about("Fail, listing every problem: the configuration and files (flags, tag templates, mentions, lock, pyproject), version fields, changelogs, change files")
        .arg(flag("json", "Print {ok, errors, warnings} as JSON"))
        .arg(flag("verbose", "Show every warning, not only the first few"))
}

pub fn sync() -> Command {
    Command::new("sync")
        .about("Set every pin, pyproject.toml version, Cargo.lock entry and mention to its package's version")
        .arg(flag("dry-run", "Print the diff and write nothing"))
}

/// `--FLAG [LEVEL]` per package and `--package NAME`: a bare flag carries
/// "" and takes the command's LEVEL argument.
fn package_values(cmd: Command, packages: &[PackageFlag]) -> Command {
    let mut cmd = cmd.arg(select_package_arg());
    for (flag, name, version) in packages {
        cmd = cmd.arg(
            Arg::new(leak(flag))
                .long(leak(flag))
                .num_args(0..=1)
                .default_missing_value("")
                .value_name("LEVEL")
                .help(format!(
                    "Select {name} (now {version}), optionally with its own level or version"
                )),
        );
    }
    cmd
}

pub fn bump(packages: &[PackageFlag]) -> Command {
    package_values(
        Command::new("bump")
            .about("Set the version of the selected packages in every field at once")
            .arg(
                Arg::new("level")
                    .value_name("LEVEL")
                    .help("major, minor, patch, auto (what the commits call for), dev, alpha, beta, rc (a train's next step), release (a train's end), or a version such as 1.2.0 or 2.0.0-rc.1; for the flags given without their own"),
            )
            .arg(flag("dry-run", "Print the diff and write nothing"))
            .arg(pre_arg())
            .arg(
                Arg::new("allow-downgrade")
                    .long("allow-downgrade")
                    .action(ArgAction::SetTrue)
                    .help("Accept a version lower than the current one"),
            ),
        packages,
    )
}

pub fn parse_versions(m: &ArgMatches) -> Versions {
    Versions {
        json: m.get_flag("json"),
    }
}

pub fn parse_check(m: &ArgMatches) -> Check {
    Check {
        json: m.get_flag("json"),
        verbose: m.get_flag("verbose"),
    }
}

pub fn parse_sync(m: &ArgMatches) -> Sync {
    Sync {
        dry_run: m.get_flag("dry-run"),
    }
}

pub fn parse_bump(m: &ArgMatches, packages: &[PackageFlag]) -> Bump {
    Bump {
        selection: selection(m, packages),
        level: string(m, "level"),
        dry_run: m.get_flag("dry-run"),
        allow_downgrade: m.get_flag("allow-downgrade"),
        pre: pre(m),
    }
}
