//! `ci`, `gh` and `bench`: their arguments and parsing.

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use super::args::{flag, one, required, string, values};
use crate::cli::flags::{Bench, Ci, Gh};

pub fn ci() -> Command {
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
        .arg(flag("list", "List the steps and exit"))
}

pub fn gh() -> Command {
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
            Command::new("verify-dist")
                .about("Check that a folder of built files holds the sdist and a wheel for every `wheels` pattern of a Python package; outputs files")
                .arg(Arg::new("dir").required(true).value_name("DIR"))
                .arg(
                    Arg::new("package")
                        .long("package")
                        .required(true)
                        .value_name("PACKAGE")
                        .help("The Python package (a name or a flag: py)"),
                ),
        )
        .subcommand(
            Command::new("release-commit")
                .about("Whether HEAD (read with git) is a release commit; outputs released, package, version, tag, tags (all of a release PR's, the missing ones of a tag-mode commit)"),
        )
        .subcommand(
            Command::new("release-pr")
                .about("Whether a push to the release branch updates the release PR: the configuration's mode is pr and HEAD (read with git) is no release commit; outputs update (true or false)"),
        )
}

pub fn bench() -> Command {
    Command::new("bench")
        .about("Median wall time and peak memory of the xtask's commands, next to parse-changelog and git-cliff")
        .arg(
            Arg::new("runs")
                .long("runs")
                .value_name("N")
                .default_value("5")
                .value_parser(value_parser!(u32).range(1..))
                .help("Measured runs per row (the cold build does at most 3)"),
        )
        .arg(flag("quick", "One run per row"))
        .arg(
            Arg::new("only")
                .long("only")
                .value_name("NAME")
                .help("Run one row, or one group: cold-build, versions, release, notes, generate, bump, tags, members, big-changelog"),
        )
        .arg(flag("json", "Print JSON instead of a table"))
        .arg(
            Arg::new("install-peers")
                .long("install-peers")
                .action(ArgAction::SetTrue)
                .help("First install parse-changelog (cargo install) and git-cliff (into .venv)"),
        )
}

pub fn parse_ci(m: &ArgMatches) -> Ci {
    Ci {
        skip: values(m, "skip"),
        only: values(m, "only"),
        list: m.get_flag("list"),
    }
}

pub fn parse_gh(m: &ArgMatches) -> Gh {
    match m.subcommand() {
        Some(("verify-tag", m)) => Gh::VerifyTag {
            tag: required(m, "tag"),
            package: string(m, "package"),
        },
        Some(("msrv", _)) => Gh::Msrv,
        Some(("release-commit", _)) => Gh::ReleaseCommit,
        Some(("release-pr", _)) => Gh::ReleasePr,
        Some(("verify-dist", m)) => Gh::VerifyDist {
            dir: required(m, "dir").into(),
            package: required(m, "package"),
        },
        _ => unreachable!("clap requires a subcommand"),
    }
}

pub fn parse_bench(m: &ArgMatches) -> Bench {
    Bench {
        runs: if m.get_flag("quick") {
            1
        } else {
            one(m, "runs")
        },
        only: string(m, "only"),
        json: m.get_flag("json"),
        install_peers: m.get_flag("install-peers"),
    }
}
