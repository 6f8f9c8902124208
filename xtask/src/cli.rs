//! The command line, with clap's builder API (no derive macros: they would
//! add syn to the cold build every CI runner pays).
//!
//! Package selection flags (`--rust`, `--py`) come from the release
//! configuration, so the workspace is read before the command line is built.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction, Command, value_parser};

/// `--root` and `--config`, read before clap so the configuration can shape the CLI.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Globals {
    pub root: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

pub fn pre_scan(args: &[OsString]) -> Globals {
    let mut globals = Globals::default();
    let mut iter = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        for (name, slot) in [
            ("--root", &mut globals.root),
            ("--config", &mut globals.config),
        ] {
            if arg == name {
                *slot = iter.next().map(PathBuf::from);
            } else if let Some(value) = arg.strip_prefix(&format!("{name}=")) {
                *slot = Some(PathBuf::from(value));
            }
        }
    }
    globals
}

/// A package a flag selects: `(flag, package name, current version)`.
pub type PackageFlag = (String, String, String);

fn leak(s: &str) -> &'static str {
    // The CLI lives for the whole process; clap wants 'static ids.
    Box::leak(s.to_string().into_boxed_str())
}

fn package_flags(cmd: Command, packages: &[PackageFlag]) -> Command {
    let mut cmd = cmd.arg(
        Arg::new("package")
            .short('p')
            .long("package")
            .value_name("NAME")
            .action(ArgAction::Append)
            .help("Select a package by name (repeatable)"),
    );
    for (flag, name, version) in packages {
        cmd = cmd.arg(
            Arg::new(leak(flag))
                .long(leak(flag))
                .action(ArgAction::SetTrue)
                .help(format!("Select {name} (now {version})")),
        );
    }
    cmd
}

fn package_arg() -> Arg {
    Arg::new("package")
        .required(true)
        .value_name("PACKAGE")
        .help("A package name, or its flag (rust, py)")
}

fn format_arg() -> Arg {
    Arg::new("format")
        .long("format")
        .value_name("FORMAT")
        .value_parser(crate::history::Format::NAMES)
        .help("keepachangelog (groups) or whats-changed (a PR list and a compare link)")
}

fn changelog() -> Command {
    Command::new("changelog")
        .about("Keep a Changelog files: promote [Unreleased], release notes, drafts from commits, lint")
        .subcommand_required(true)
        .subcommand(
            Command::new("promote")
                .about("Move [Unreleased] into a new `## [VERSION] - DATE` section and update the links")
                .arg(package_arg())
                .arg(Arg::new("version").required(true).value_name("VERSION"))
                .arg(Arg::new("date").long("date").value_name("YYYY-MM-DD").help("The release date (default: today, UTC)"))
                .arg(Arg::new("allow-empty").long("allow-empty").action(ArgAction::SetTrue).help("Accept an empty [Unreleased]"))
                .arg(
                    Arg::new("generate")
                        .long("generate")
                        .action(ArgAction::SetTrue)
                        .help("Append notes drafted from the commits since the previous tag"),
                )
                .arg(format_arg())
                .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Print the diff and write nothing")),
        )
        .subcommand(
            Command::new("notes")
                .about("Print the body of one version's section (or Unreleased), for a release page")
                .arg(package_arg())
                .arg(Arg::new("version").required(true).value_name("VERSION"))
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print {version, date, body} as JSON")),
        )
        .subcommand(
            Command::new("generate")
                .about("Draft notes from the conventional commits since the previous tag of the package's series")
                .arg(package_arg())
                .arg(Arg::new("since").long("since").value_name("TAG").help("Start after TAG instead of the previous tag"))
                .arg(format_arg()),
        )
        .subcommand(
            Command::new("suggest")
                .about("The SemVer level the commits since the previous tag call for, and why")
                .arg(package_arg()),
        )
        .subcommand(Command::new("lint").about("Check every changelog: sections, dates, tags, links, the current version"))
}

pub fn command(packages: &[PackageFlag]) -> Command {
    Command::new("xtask")
        .bin_name("cargo xtask")
        .about("Release and CI automation for the edgequake workspace")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("root")
                .long("root")
                .global(true)
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .help("Operate on the workspace at DIR (default: the one this xtask belongs to)"),
        )
        .arg(
            Arg::new("config")
                .long("config")
                .global(true)
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("Read the release configuration from FILE instead of [workspace.metadata.release]"),
        )
        .subcommand(
            Command::new("ci")
                .about("Run every check CI runs: Rust fmt, clippy, tests, docs, versions, then the Python binding")
                .arg(
                    Arg::new("skip")
                        .long("skip")
                        .value_name("STEP")
                        .action(ArgAction::Append)
                        .help("Skip a step by name (repeatable); `cargo xtask ci --list` shows the names"),
                )
                .arg(Arg::new("list").long("list").action(ArgAction::SetTrue).help("List the steps and exit")),
        )
        .subcommand(
            Command::new("versions")
                .about("Show every version field: manifests, pins, pyproject.toml, Cargo.lock, mentions, tags, changelogs")
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print JSON instead of a table")),
        )
        .subcommand(
            Command::new("check").about("Fail, listing every problem, when version fields disagree or tag series overlap"),
        )
        .subcommand(changelog())
        .subcommand(crate::bench::command())
        .subcommand(package_flags(
            Command::new("bump")
                .about("Set the version of the selected packages in every field at once")
                .arg(
                    Arg::new("level")
                        .required(true)
                        .value_name("LEVEL")
                        .help("major, minor, patch, auto (what the commits call for), or a version such as 1.2.0 or 2.0.0-rc.1"),
                )
                .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Print the diff and write nothing"))
                .arg(
                    Arg::new("allow-downgrade")
                        .long("allow-downgrade")
                        .action(ArgAction::SetTrue)
                        .help("Accept a version lower than the current one"),
                ),
            packages,
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> Vec<PackageFlag> {
        vec![
            ("rust".into(), "core".into(), "0.1.0".into()),
            ("py".into(), "binding".into(), "0.1.0".into()),
        ]
    }

    #[test]
    fn the_cli_is_well_formed() {
        command(&flags()).debug_assert();
    }

    #[test]
    fn globals_are_found_anywhere_before_a_double_dash() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            pre_scan(&args(&[
                "xtask",
                "bump",
                "--root",
                "/w",
                "--config=c.toml",
                "patch"
            ])),
            Globals {
                root: Some("/w".into()),
                config: Some("c.toml".into())
            }
        );
        assert_eq!(
            pre_scan(&args(&["xtask", "--", "--root", "x"])),
            Globals::default()
        );
    }

    #[test]
    fn package_flags_come_from_the_configuration() {
        let m = command(&flags())
            .try_get_matches_from(["xtask", "bump", "--py", "-p", "core", "minor"])
            .unwrap();
        let (_, bump) = m.subcommand().unwrap();
        assert!(bump.get_flag("py") && !bump.get_flag("rust"));
        assert!(
            command(&flags())
                .try_get_matches_from(["xtask", "bump", "--go", "minor"])
                .is_err()
        );
    }
}
