//! `changelog promote|notes|port|generate|suggest|lint`: their arguments and parsing.

use anyhow::Result;
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::args::{date, flag, required, string};
use crate::changelog::Format;
use crate::cli::flags::{Changelog, Generate, Lint, Notes, Port, Promote};

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
        .value_parser(Format::NAMES)
        .help("keepachangelog (groups) or whats-changed (a PR list and a compare link)")
}

pub fn changelog() -> Command {
    Command::new("changelog")
        .about("Keep a Changelog files: promote [Unreleased], release notes, drafts from commits, lint")
        .subcommand_required(true)
        .subcommand(
            Command::new("promote")
                .about("Move [Unreleased] into a new `## [VERSION] - DATE` section and update the links")
                .arg(package_arg())
                .arg(Arg::new("version").required(true).value_name("VERSION"))
                .arg(Arg::new("date").long("date").value_name("YYYY-MM-DD").help("The release date (default: today, UTC)"))
                .arg(flag("allow-empty", "Accept an empty [Unreleased]"))
                .arg(
                    Arg::new("generate")
                        .long("generate")
                        .action(ArgAction::SetTrue)
                        .help("Append notes drafted from the commits since the previous tag"),
                )
                .arg(format_arg())
                .arg(flag("dry-run", "Print the diff and write nothing")),
        )
        .subcommand(
            Command::new("notes")
                .about("Print the body of one version's section (or Unreleased), for a release page")
                .arg(package_arg())
                .arg(Arg::new("version").required(true).value_name("VERSION"))
                .arg(flag("json", "Print {version, date, body} as JSON")),
        )
        .subcommand(
            Command::new("port")
                .about("Bring a version's section from another branch's changelog (a release branch's) into this branch's, in date order")
                .arg(Arg::new("version").required(true).value_name("VERSION"))
                .arg(Arg::new("from").long("from").required(true).value_name("BRANCH").help("The branch (or commit) whose changelog has the section, e.g. release-0.8.0 or origin/release-0.8.0"))
                .arg(
                    Arg::new("package")
                        .short('p')
                        .long("package")
                        .value_name("PACKAGE")
                        .action(ArgAction::Append)
                        .help("Only this package (name or flag); default: every package whose changelog there has the section"),
                )
                .arg(flag("dry-run", "Print the diff and write nothing")),
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

fn format(m: &ArgMatches) -> Format {
    Format::parse(string(m, "format").as_deref().unwrap_or("keepachangelog"))
}

pub fn parse_changelog(m: &ArgMatches) -> Result<Changelog> {
    Ok(match m.subcommand() {
        Some(("promote", m)) => Changelog::Promote(Promote {
            package: required(m, "package"),
            version: required(m, "version"),
            date: date(m)?,
            allow_empty: m.get_flag("allow-empty"),
            generate: m.get_flag("generate"),
            format: format(m),
            dry_run: m.get_flag("dry-run"),
        }),
        Some(("notes", m)) => Changelog::Notes(Notes {
            package: required(m, "package"),
            version: required(m, "version"),
            json: m.get_flag("json"),
        }),
        Some(("port", m)) => Changelog::Port(Port {
            version: required(m, "version"),
            from: required(m, "from"),
            packages: m
                .get_many::<String>("package")
                .map(|v| v.cloned().collect())
                .unwrap_or_default(),
            dry_run: m.get_flag("dry-run"),
        }),
        Some(("generate", m)) => Changelog::Generate(Generate {
            package: required(m, "package"),
            since: string(m, "since"),
            format: format(m),
        }),
        Some(("suggest", m)) => Changelog::Suggest(required(m, "package")),
        Some(("lint", m)) => Changelog::Lint(Lint {
            fix: m.get_flag("fix"),
            verbose: m.get_flag("verbose"),
        }),
        _ => unreachable!("clap requires a subcommand"),
    })
}
