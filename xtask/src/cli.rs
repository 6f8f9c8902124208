//! The command line, with clap's builder API (no derive macros: they would
//! add syn to the cold build every CI runner pays).
//!
//! Package selection flags (`--rust`, `--py`) come from the release
//! configuration, so the workspace is read before the command line is built.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction, Command, value_parser};

use crate::selection::Selection;

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

/// Every value of a repeatable option (`--skip a --skip b`).
pub fn values(args: &clap::ArgMatches, name: &str) -> Vec<String> {
    args.get_many::<String>(name)
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

/// The packages `args` selects: `-p NAME` and each package flag given,
/// with its value (a bare flag carries "" or is a switch: no value).
pub fn selection(args: &clap::ArgMatches, packages: &[crate::workspace::Package]) -> Selection {
    // Not every command has `-p NAME`.
    let names = args
        .try_get_many::<String>("package")
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let mut flags = Vec::new();
    for package in packages {
        let flag = &package.flag;
        if let Ok(Some(value)) = args.try_get_one::<String>(flag) {
            flags.push((flag.clone(), Some(value.clone()).filter(|v| !v.is_empty())));
        } else if let Ok(Some(true)) = args.try_get_one::<bool>(flag) {
            flags.push((flag.clone(), None));
        }
    }
    Selection { names, flags }
}

/// A package a flag selects: `(flag, package name, current version)`.
pub type PackageFlag = (String, String, String);

fn leak(s: &str) -> &'static str {
    // The CLI lives for the whole process; clap wants 'static ids.
    Box::leak(s.to_string().into_boxed_str())
}

/// `-p NAME`, repeatable: a package selected by its name.
fn select_package_arg() -> Arg {
    Arg::new("package")
        .short('p')
        .long("package")
        .value_name("NAME")
        .action(ArgAction::Append)
        .help("Select a package by name (repeatable)")
}

fn package_flags(cmd: Command, packages: &[PackageFlag]) -> Command {
    let mut cmd = cmd.arg(select_package_arg());
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
        .subcommand(
            Command::new("lint")
                .about("Check every changelog: sections, dates, tags, links, the current version")
                .arg(flag("fix", "Add the link definitions and dates the tags prove, then lint"))
                .arg(flag("verbose", "Show every warning, not only the first few")),
        )
}

fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .action(ArgAction::SetTrue)
        .help(help)
}

fn skip_arg() -> Arg {
    Arg::new("skip")
        .long("skip")
        .value_name("CHECK")
        .action(ArgAction::Append)
        .help("Skip a named check (repeatable)")
}

fn release(packages: &[PackageFlag]) -> Command {
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
        .arg(Arg::new("date").long("date").value_name("YYYY-MM-DD").help("The release date (default: today, UTC)"))
        .arg(flag("json", "Print the plan and the result as JSON"))
        .arg(Arg::new("quiet").short('q').long("quiet").action(ArgAction::SetTrue).help("No status lines"));
    for (flag, name, version) in packages {
        cmd = cmd.arg(
            Arg::new(leak(flag))
                .long(leak(flag))
                .value_name("LEVEL")
                .help(format!(
                    "Release {name} (now {version}): major, minor, patch, auto or a version"
                )),
        );
    }
    cmd
}

fn execute_arg(what: &str) -> Arg {
    Arg::new("execute")
        .long("execute")
        .action(ArgAction::SetTrue)
        .help(format!("{what} (default: a dry run that changes nothing)"))
}

fn one_package_arg() -> Arg {
    Arg::new("package")
        .short('p')
        .long("package")
        .value_name("NAME")
        .help("The package, when several of its kind are released")
}

fn publish() -> Command {
    Command::new("publish")
        .about("Publish the release HEAD is tagged with; a version the registry already has is skipped")
        .subcommand_required(true)
        .subcommand(
            Command::new("crate")
                .about("cargo package, then cargo publish --locked unless the registry has the version")
                .arg(one_package_arg())
                .arg(Arg::new("registry").long("registry").value_name("NAME").help("A registry of cargo's configuration (default: `crate-registry`, else crates.io)"))
                .arg(Arg::new("index").long("index").value_name("URL").conflicts_with("registry").help("The registry's index URL (default: `crate-index`)"))
                .arg(Arg::new("allow-untagged").long("allow-untagged").action(ArgAction::SetTrue).help("Publish even when HEAD is not the crate's release tag"))
                .arg(execute_arg("Upload; the token comes from CARGO_REGISTRY_TOKEN or CARGO_REGISTRIES_<NAME>_TOKEN")),
        )
        .subcommand(
            Command::new("py")
                .about("Build the sdist and this platform's wheel into dist/, then upload the files the index lacks (twine)")
                .arg(one_package_arg())
                .arg(Arg::new("repository-url").long("repository-url").value_name("URL").help("Where to upload (default: `python-upload`, PyPI)"))
                .arg(Arg::new("index-url").long("index-url").value_name("URL").help("The simple index to look files up in (default: `python-index`, PyPI)"))
                .arg(execute_arg("Upload; credentials come from TWINE_USERNAME and TWINE_PASSWORD")),
        )
}

fn verify_published(packages: &[PackageFlag]) -> Command {
    let mut cmd = Command::new("verify-published")
        .about("Wait until each registry serves the release; non-zero on timeout")
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECS")
                .default_value("300")
                .value_parser(value_parser!(u64))
                .help("Give up after SECS seconds"),
        )
        .arg(
            Arg::new("registry")
                .long("registry")
                .value_name("NAME")
                .help("The crate registry, by its name in cargo's configuration"),
        )
        .arg(
            Arg::new("index")
                .long("index")
                .value_name("URL")
                .conflicts_with("registry")
                .help("The crate registry's index URL (default: `crate-index`)"),
        )
        .arg(
            Arg::new("index-url")
                .long("index-url")
                .value_name("URL")
                .help("The Python simple index (default: `python-index`)"),
        );
    for (flag, name, version) in packages {
        cmd = cmd.arg(
            Arg::new(leak(flag))
                .long(leak(flag))
                .value_name("VERSION")
                .num_args(0..=1)
                .default_missing_value("")
                .help(format!(
                    "Wait for {name} VERSION (bare: the manifest's, now {version})"
                )),
        );
    }
    cmd
}

fn downstream() -> Command {
    Command::new("downstream")
        .about("In a dependent repository, depend on the released crate version instead of a path, and refresh its Cargo.lock")
        .arg(Arg::new("path").required(true).value_name("PATH").help("The dependent repository (its root Cargo.toml)"))
        .arg(one_package_arg())
        .arg(Arg::new("registry").long("registry").value_name("NAME").help("Add `registry = \"NAME\"` to the dependency (default: `crate-registry`; none for crates.io)"))
        .arg(execute_arg("Write the manifests and run cargo update"))
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
                .arg(
                    Arg::new("only")
                        .long("only")
                        .value_name("STEP")
                        .action(ArgAction::Append)
                        .help("Run only this step and the steps it needs (repeatable); CI splits jobs with it"),
                )
                .arg(Arg::new("list").long("list").action(ArgAction::SetTrue).help("List the steps and exit")),
        )
        .subcommand(
            Command::new("versions")
                .about("Show every version field: manifests, pins, pyproject.toml, Cargo.lock, mentions, tags, changelogs")
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print JSON instead of a table")),
        )
        .subcommand(
            Command::new("check")
                .about("Fail, listing every problem: the configuration and files (flags, tag templates, mentions, lock, pyproject), version fields, changelogs")
                .arg(flag("json", "Print {ok, errors, warnings} as JSON"))
                .arg(flag("verbose", "Show every warning, not only the first few")),
        )
        .subcommand(changelog())
        .subcommand(release(packages))
        .subcommand(package_flags(
            Command::new("preflight")
                .about("Run every check a release runs: git state, versions, Rust, Python")
                .arg(skip_arg())
                .arg(flag("require-audit", "Fail when cargo-audit is not installed")),
            packages,
        ))
        .subcommand(
            Command::new("gh")
                .about("Decisions for GitHub Actions, written to $GITHUB_OUTPUT")
                .subcommand_required(true)
                .subcommand(
                    Command::new("verify-tag")
                        .about("Check a pushed tag against its package's manifest; outputs package, version, prerelease")
                        .arg(Arg::new("tag").required(true).value_name("TAG"))
                        .arg(
                            Arg::new("package")
                                .long("package")
                                .value_name("PACKAGE")
                                .help("Fail unless the tag is of this package's series (a name or a flag: rust, py)"),
                        ),
                )
                .subcommand(Command::new("msrv").about("The workspace's rust-version and each member's own; outputs rust-version, members (name/version,…)"))
                .subcommand(
                    Command::new("release-commit")
                        .about("Whether HEAD (read with git) is a release commit; outputs released, package, version, tag, tags (all of a release PR's, the missing ones of a tag-mode commit)"),
                ),
        )
        .subcommand(
            Command::new("rollback")
                .about("Delete a release tag here and on the remote, and show how to yank the version")
                .arg(Arg::new("tag").required(true).value_name("TAG"))
                .arg(flag("execute", "Delete the tag (a dry run otherwise)"))
                .arg(flag("yank", "With --execute, also run `cargo yank` for a crate tag")),
        )
        .subcommand(publish())
        .subcommand(verify_published(packages))
        .subcommand(downstream())
        .subcommand(crate::bench::command())
        .subcommand(
            Command::new("sync")
                .about("Set every pin, pyproject.toml version, Cargo.lock entry and mention to its package's version")
                .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Print the diff and write nothing")),
        )
        .subcommand(package_values(
            Command::new("bump")
                .about("Set the version of the selected packages in every field at once")
                .arg(
                    Arg::new("level")
                        .value_name("LEVEL")
                        .help("major, minor, patch, auto (what the commits call for), or a version such as 1.2.0 or 2.0.0-rc.1; for the flags given without their own"),
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

    /// Every `cargo xtask …` a workflow runs, as argument lists; `"$VAR"`
    /// stays as the token `$VAR`, which stands for a value.
    fn workflow_invocations() -> Vec<(String, Vec<String>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for (index, line) in text.lines().enumerate() {
                let Some((_, rest)) = line.split_once("cargo xtask ") else {
                    continue;
                };
                // The command ends at a comment, a pipe, a redirection or a `)`.
                let end = rest.find(['#', '|', '>', ')']).unwrap_or(rest.len());
                let words = rest[..end]
                    .split_whitespace()
                    .map(|w| w.trim_matches('"').to_string());
                let place = format!(
                    "{}:{}",
                    path.file_name().unwrap().to_string_lossy(),
                    index + 1
                );
                out.push((
                    place,
                    std::iter::once("xtask".to_string()).chain(words).collect(),
                ));
            }
        }
        out
    }

    #[test]
    fn workflows_call_only_what_the_cli_accepts() {
        let invocations = workflow_invocations();
        assert!(
            invocations.len() >= 10,
            "too few invocations found: {invocations:?}"
        );
        for (place, args) in invocations {
            if let Err(err) = command(&flags()).try_get_matches_from(&args) {
                panic!(
                    "{place}: `cargo {}` is not accepted by the CLI:\n{err}",
                    args.join(" ")
                );
            }
        }
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
        assert_eq!(bump.get_one::<String>("py").map(String::as_str), Some(""));
        assert_eq!(bump.get_one::<String>("rust"), None);
        assert_eq!(
            bump.get_one::<String>("level").map(String::as_str),
            Some("minor")
        );
        assert!(
            command(&flags())
                .try_get_matches_from(["xtask", "bump", "--go", "minor"])
                .is_err()
        );
    }
}
