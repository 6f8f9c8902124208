//! `init`: its arguments and parsing.

use clap::{ArgMatches, Command};

use super::args::flag;
use crate::cli::flags::Init;

pub fn init() -> Command {
    Command::new("init")
        .about("Propose a release configuration from this repository: its packages, tag series, changelogs, release branches, development versions, version mentions and another release tool's configuration, each guess with its reason in a comment; prints it, writes nothing unless --write")
        .arg(flag(
            "write",
            "Write it to xtask-release.toml at the repository root (refused when a configuration exists)",
        ))
}

pub fn parse_init(m: &ArgMatches) -> Init {
    Init {
        write: m.get_flag("write"),
    }
}
