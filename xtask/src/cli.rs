//! The command line, with clap's builder API (no derive macros: they would
//! add syn to the cold build every CI runner pays).

use clap::{Arg, ArgAction, Command};

pub fn command() -> Command {
    Command::new("xtask")
        .bin_name("cargo xtask")
        .about("Release and CI automation for the edgequake workspace")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("ci")
                .about("Run every check CI runs: Rust fmt, clippy, tests, docs, then the Python binding")
                .arg(
                    Arg::new("skip")
                        .long("skip")
                        .value_name("STEP")
                        .action(ArgAction::Append)
                        .help("Skip a step by name (repeatable); `cargo xtask ci --list` shows the names"),
                )
                .arg(
                    Arg::new("list")
                        .long("list")
                        .action(ArgAction::SetTrue)
                        .help("List the steps and exit"),
                ),
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_is_well_formed() {
        super::command().debug_assert();
    }
}
