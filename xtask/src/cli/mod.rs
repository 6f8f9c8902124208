//! The command line, with clap's builder API (no derive macros: they would
//! add syn to the cold build every CI runner pays), parsed once into the
//! typed `flags::Cmd`; each group of commands defines and parses its
//! arguments in `cli/`.
//!
//! Package selection flags (`--rust`, `--py`) come from the release
//! configuration, so the workspace is read before the command line is built.
//!
//! Floor: the command line. Uses: checks (the pre-flight's options), model,
//! changelog, text.

pub mod args;
mod change;
mod changelog;
mod ci;
#[cfg(test)]
mod docs_coverage;
#[cfg(test)]
mod docs_examples;
pub mod flags;
#[cfg(test)]
mod guide;
mod init;
mod publish;
mod release;
#[cfg(test)]
mod usage;
mod versions;

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Result;
use clap::{Arg, ArgMatches, Command, value_parser};

use crate::cli::args::PackageFlag;
use crate::cli::flags::Cmd;

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
            } else if let Some(value) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
                *slot = Some(PathBuf::from(value));
            }
        }
    }
    globals
}

/// Every argument id, long option and alias of `command(&[])`, clap's `help`
/// and `version` included: the names a package flag must not take. Written
/// out so a start builds the command line once, not twice (a tenth of a
/// short command's time in the debug build); a test holds it to the command.
pub const OWN_NAMES: &[&str] = &[
    "abort",
    "allow-breaking",
    "allow-dev",
    "allow-downgrade",
    "allow-empty",
    "allow-missing",
    "allow-untagged",
    "base",
    "check",
    "config",
    "date",
    "dir",
    "dry-run",
    "execute",
    "fix",
    "format",
    "from",
    "generate",
    "help",
    "index",
    "index-url",
    "install",
    "install-peers",
    "json",
    "level",
    "list",
    "no-push",
    "only",
    "package",
    "path",
    "pr",
    "pre",
    "quick",
    "quiet",
    "registry",
    "repository-url",
    "require-audit",
    "root",
    "runs",
    "since",
    "skip",
    "skip-preflight",
    "stubtest",
    "tag",
    "text",
    "timeout",
    "verbose",
    "version",
    "write",
    "yank",
];

pub fn command(packages: &[PackageFlag]) -> Command {
    command_with(packages, None)
}

/// The command line to read `args` with: when they name a subcommand, the
/// others are left out (building every subcommand's arguments is a tenth of
/// a short command's time in the debug build, and only the one named is
/// read); otherwise (`--help`, a typo, none) the whole of it.
pub fn command_for(packages: &[PackageFlag], args: &[OsString]) -> Command {
    let named = subcommand_named(args);
    match SUBCOMMANDS.iter().any(|(name, _)| Some(*name) == named) {
        true => command_with(packages, named),
        false => command(packages),
    }
}

/// Every subcommand, in the order of `--help`, with what builds it.
type Build = fn(&[PackageFlag]) -> Command;
const SUBCOMMANDS: [(&str, Build); 18] = [
    ("init", |_| init::init()),
    ("ci", |_| ci::ci()),
    ("versions", |_| versions::versions()),
    ("check", |_| versions::check()),
    ("changelog", |_| changelog::changelog()),
    ("change", change::change),
    ("release", release::release),
    ("preflight", release::preflight),
    ("api", release::api),
    ("gh", |_| ci::gh()),
    ("rollback", |_| release::rollback()),
    ("publish", |_| publish::publish()),
    ("verify-published", publish::verify_published),
    ("status", publish::status),
    ("downstream", |_| publish::downstream()),
    ("bench", |_| ci::bench()),
    ("sync", |_| versions::sync()),
    ("bump", versions::bump),
];

/// Whether the subcommand `name` selects packages by their flags.
pub fn takes_package_flags(name: &str) -> bool {
    let probe = [("xtask-probe".to_string(), String::new(), String::new())];
    command(&probe).find_subcommand(name).is_some_and(|sub| {
        sub.get_arguments()
            .any(|a| a.get_long() == Some("xtask-probe"))
    })
}

/// The first word of `args` after the program and the global options that
/// take a value; `None` when an option comes first (clap reads it).
fn subcommand_named(args: &[OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1).map(|a| a.to_str());
    while let Some(word) = words.next() {
        let word = word?;
        match word {
            "--root" | "--config" => {
                words.next();
            }
            _ if word.starts_with("--root=") || word.starts_with("--config=") => {}
            _ if word.starts_with('-') => return None,
            _ => return Some(word),
        }
    }
    None
}

/// The command line, with only the subcommand `only` when one is named.
fn command_with(packages: &[PackageFlag], only: Option<&str>) -> Command {
    let root = Command::new("xtask")
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
                .help("Read the release configuration from FILE instead of [workspace.metadata.xtask-release] or xtask-release.toml"),
        );
    let subcommands = SUBCOMMANDS
        .iter()
        .filter(|(name, _)| only.is_none_or(|only| only == *name))
        .map(|(_, build)| build(packages));
    root.subcommands(subcommands)
}

/// The typed command of what clap accepted; `packages` are the flags the
/// command line was built with. Fails only on a value clap does not judge
/// (a `--date` that is no date).
pub fn parse(matches: &ArgMatches, packages: &[PackageFlag]) -> Result<Cmd> {
    let (name, m) = matches.subcommand().expect("clap requires a subcommand");
    Ok(match name {
        "init" => Cmd::Init(init::parse_init(m)),
        "ci" => Cmd::Ci(ci::parse_ci(m)),
        "versions" => Cmd::Versions(versions::parse_versions(m)),
        "check" => Cmd::Check(versions::parse_check(m)),
        "changelog" => Cmd::Changelog(changelog::parse_changelog(m)?),
        "change" => Cmd::Change(change::parse_change(m, packages)?),
        "release" => Cmd::Release(release::parse_release(m, packages)?),
        "preflight" => Cmd::Preflight(release::parse_preflight(m, packages)),
        "api" => Cmd::Api(release::parse_api(m, packages)),
        "gh" => Cmd::Gh(ci::parse_gh(m)),
        "rollback" => Cmd::Rollback(release::parse_rollback(m)),
        "publish" => Cmd::Publish(publish::parse_publish(m)),
        "verify-published" => Cmd::VerifyPublished(publish::parse_verify_published(m, packages)),
        "status" => Cmd::Status(publish::parse_status(m, packages)),
        "downstream" => Cmd::Downstream(publish::parse_downstream(m)),
        "bench" => Cmd::Bench(ci::parse_bench(m)),
        "sync" => Cmd::Sync(versions::parse_sync(m)),
        "bump" => Cmd::Bump(versions::parse_bump(m, packages)),
        _ => unreachable!("clap rejects unknown subcommands"),
    })
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
    fn each_subcommand_is_built_under_its_name() {
        for (name, build) in SUBCOMMANDS {
            assert_eq!(build(&flags()).get_name(), name);
        }
        let names: Vec<_> = command(&flags())
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, SUBCOMMANDS.map(|(name, _)| name));
    }

    #[test]
    fn the_commands_that_select_packages_by_flag() {
        let selecting: Vec<&str> = SUBCOMMANDS
            .map(|(name, _)| name)
            .into_iter()
            .filter(|name| takes_package_flags(name))
            .collect();
        assert_eq!(
            selecting,
            [
                "change",
                "release",
                "preflight",
                "api",
                "verify-published",
                "status",
                "bump"
            ]
        );
    }

    #[test]
    fn the_subcommand_named_follows_the_global_options() {
        let named = |args: &[&str]| {
            let args: Vec<OsString> = args.iter().map(OsString::from).collect();
            subcommand_named(&args).map(String::from)
        };
        assert_eq!(named(&["x", "status"]).as_deref(), Some("status"));
        assert_eq!(
            named(&["x", "--root", "status", "check"]).as_deref(),
            Some("check")
        );
        assert_eq!(
            named(&["x", "--root=/r", "--config", "c", "gh"]).as_deref(),
            Some("gh")
        );
        assert_eq!(named(&["x", "--help", "status"]), None);
        assert_eq!(named(&["x", "--root"]), None);
        assert_eq!(named(&["x"]), None);
    }

    /// What main reads with the pruned command line, against the whole one:
    /// the same typed command, or the same error.
    #[test]
    fn the_command_line_for_the_named_subcommand_reads_as_the_whole_one() {
        let flags = flags();
        let read = |cmd: Command, args: &[OsString]| match cmd.try_get_matches_from(args) {
            Ok(m) => format!("{:?}", parse(&m, &flags)),
            Err(e) => format!("{:?}: {e}", e.kind()),
        };
        for line in [
            "--root /r changelog notes rust 1.0.0",
            "--root=/r status --rust",
            "--config c.toml release --rust patch --py minor --execute",
            "release --root /r --rust patch",
            "release --rust patch --no-such-flag",
            "bump --py 0.2.0 --dry-run",
            "change --rust minor text",
            "gh release-commit",
            "release --help",
            "chnagelog notes rust",
            "help release",
            "--help",
            "",
        ] {
            let args: Vec<OsString> = std::iter::once("xtask")
                .chain(line.split_whitespace())
                .map(OsString::from)
                .collect();
            let pruned = command_for(&flags, &args);
            let built = pruned.get_subcommands().count();
            let named = subcommand_named(&args).filter(|n| pruned.find_subcommand(n).is_some());
            assert_eq!(built, if named.is_some() { 1 } else { 18 }, "`{line}`");
            assert_eq!(
                read(pruned, &args),
                read(command(&flags), &args),
                "`{line}`"
            );
        }
    }

    #[test]
    fn own_names_are_those_of_the_command_line() {
        let names = crate::checks::validate::builtin_names(&command(&[]));
        let listed: std::collections::BTreeSet<String> =
            OWN_NAMES.iter().map(|n| n.to_string()).collect();
        assert_eq!(
            listed, names,
            "OWN_NAMES in cli/mod.rs must list the command line's names"
        );
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

    use crate::model::selection::tests::selection as sel;

    /// `argv` parsed the way `main` does: clap, then the typed command.
    fn parsed(argv: &str) -> Result<Cmd, String> {
        let args = std::iter::once("xtask").chain(argv.split_whitespace());
        let matches = command(&flags())
            .try_get_matches_from(args)
            .map_err(|e| e.kind().to_string())?;
        parse(&matches, &flags()).map_err(|e| e.to_string())
    }

    #[test]
    fn the_command_line_parses_into_typed_commands() {
        use crate::changelog::Format;
        use crate::cli::flags::*;
        let s = |v: &str| v.to_string();
        let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let cases: Vec<(&str, Cmd)> = vec![
            (
                "ci --skip doc --only test --only fmt",
                Cmd::Ci(Ci {
                    skip: vec![s("doc")],
                    only: vec![s("test"), s("fmt")],
                    list: false,
                }),
            ),
            ("versions --json", Cmd::Versions(Versions { json: true })),
            ("init --write", Cmd::Init(Init { write: true })),
            ("init", Cmd::Init(Init { write: false })),
            (
                "check --verbose",
                Cmd::Check(Check {
                    json: false,
                    verbose: true,
                }),
            ),
            (
                "bump --rust 0.3.0 --py minor",
                Cmd::Bump(Bump {
                    selection: sel(&[], &[("rust", Some("0.3.0")), ("py", Some("minor"))]),
                    ..Bump::default()
                }),
            ),
            (
                "bump --rust -p binding patch --dry-run",
                Cmd::Bump(Bump {
                    selection: sel(&["binding"], &[("rust", None)]),
                    level: Some(s("patch")),
                    dry_run: true,
                    allow_downgrade: false,
                    pre: None,
                }),
            ),
            (
                "bump --py minor --pre rc",
                Cmd::Bump(Bump {
                    selection: sel(&[], &[("py", Some("minor"))]),
                    pre: Some(crate::text::train::Label::Rc),
                    ..Bump::default()
                }),
            ),
            ("sync --dry-run", Cmd::Sync(Sync { dry_run: true })),
            (
                "changelog promote rust 1.0.0 --date 2026-01-02 --generate --format whats-changed",
                Cmd::Changelog(Changelog::Promote(Promote {
                    package: s("rust"),
                    version: s("1.0.0"),
                    date: date("2026-01-02"),
                    allow_empty: false,
                    generate: true,
                    format: Format::WhatsChanged,
                    dry_run: false,
                })),
            ),
            (
                "changelog notes py 0.2.0 --json",
                Cmd::Changelog(Changelog::Notes(Notes {
                    package: s("py"),
                    version: s("0.2.0"),
                    json: true,
                })),
            ),
            (
                "changelog generate rust --since v0.1.0",
                Cmd::Changelog(Changelog::Generate(Generate {
                    package: s("rust"),
                    since: Some(s("v0.1.0")),
                    format: Format::KeepAChangelog,
                })),
            ),
            (
                "changelog suggest core",
                Cmd::Changelog(Changelog::Suggest(s("core"))),
            ),
            (
                "changelog lint --fix",
                Cmd::Changelog(Changelog::Lint(Lint {
                    fix: true,
                    verbose: false,
                })),
            ),
            (
                "release --rust minor --execute --skip audit --require-audit --date 2026-03-04 -q",
                Cmd::Release(Release {
                    selection: sel(&[], &[("rust", Some("minor"))]),
                    execute: true,
                    preflight: PreflightOptions {
                        skip: vec![s("audit")],
                        require_audit: true,
                        allow_breaking: false,
                    },
                    date: date("2026-03-04"),
                    quiet: true,
                    ..Release::default()
                }),
            ),
            (
                "release --rust minor --pre beta",
                Cmd::Release(Release {
                    selection: sel(&[], &[("rust", Some("minor"))]),
                    pre: Some(crate::text::train::Label::Beta),
                    ..Release::default()
                }),
            ),
            (
                "release --abort --no-push --pr",
                Cmd::Release(Release {
                    abort: true,
                    no_push: true,
                    pr: true,
                    ..Release::default()
                }),
            ),
            (
                "preflight --py -p core",
                Cmd::Preflight(Preflight {
                    selection: sel(&["core"], &[("py", None)]),
                    options: PreflightOptions::default(),
                }),
            ),
            (
                "rollback v1.0.0 --execute --yank",
                Cmd::Rollback(Rollback {
                    tag: s("v1.0.0"),
                    execute: true,
                    yank: true,
                }),
            ),
            (
                "gh verify-tag py-v1.0.0 --package py",
                Cmd::Gh(Gh::VerifyTag {
                    tag: s("py-v1.0.0"),
                    package: Some(s("py")),
                }),
            ),
            ("gh release-commit", Cmd::Gh(Gh::ReleaseCommit)),
            (
                "change --rust minor --py fixed Streaming responses",
                Cmd::Change(Change::New {
                    kinds: vec![(s("rust"), s("minor")), (s("py"), s("fixed"))],
                    text: s("Streaming responses"),
                }),
            ),
            (
                "change --list --json",
                Cmd::Change(Change::List { json: true }),
            ),
            (
                "change --check --base origin/main --allow-missing",
                Cmd::Change(Change::Check {
                    base: Some(s("origin/main")),
                    allow_missing: true,
                }),
            ),
            (
                "change --check",
                Cmd::Change(Change::Check {
                    base: None,
                    allow_missing: false,
                }),
            ),
            ("gh release-pr", Cmd::Gh(Gh::ReleasePr)),
            (
                "publish crate --index file:///i --allow-untagged",
                Cmd::Publish(Publish::Crate(PublishCrate {
                    index: Some(s("file:///i")),
                    allow_untagged: true,
                    ..PublishCrate::default()
                })),
            ),
            (
                "publish py -p binding --repository-url http://u --execute",
                Cmd::Publish(Publish::Py(PublishPy {
                    package: Some(s("binding")),
                    repository_url: Some(s("http://u")),
                    index_url: None,
                    execute: true,
                })),
            ),
            (
                "verify-published --rust --py 0.2.0rc1",
                Cmd::VerifyPublished(VerifyPublished {
                    selection: sel(&[], &[("rust", None), ("py", Some("0.2.0rc1"))]),
                    timeout_secs: 300,
                    ..VerifyPublished::default()
                }),
            ),
            (
                "verify-published --timeout 0 --registry local",
                Cmd::VerifyPublished(VerifyPublished {
                    timeout_secs: 0,
                    registry: Some(s("local")),
                    ..VerifyPublished::default()
                }),
            ),
            (
                "downstream ../app -p core --execute",
                Cmd::Downstream(Downstream {
                    path: "../app".into(),
                    package: Some(s("core")),
                    registry: None,
                    execute: true,
                }),
            ),
            (
                "bench --quick --only notes",
                Cmd::Bench(Bench {
                    runs: 1,
                    only: Some(s("notes")),
                    json: false,
                    install_peers: false,
                }),
            ),
            (
                "bench --runs 3 --json",
                Cmd::Bench(Bench {
                    runs: 3,
                    only: None,
                    json: true,
                    install_peers: false,
                }),
            ),
        ];
        for (argv, want) in cases {
            assert_eq!(parsed(argv), Ok(want), "{argv}");
        }
    }

    #[test]
    fn what_the_command_line_refuses() {
        let cases = [
            ("bump --go minor", "unexpected argument found"),
            (
                "verify-published --registry a --index b",
                "an argument cannot be used with one or more of the other specified arguments",
            ),
            (
                "verify-published --timeout soon",
                "invalid value for one of the arguments",
            ),
            ("bench --runs 0", "invalid value for one of the arguments"),
            (
                "release --rust minor --pre gamma",
                "one of the values isn't valid for an argument",
            ),
            (
                "changelog notes rust",
                "one or more required arguments were not provided",
            ),
            (
                "changelog generate rust --format yaml",
                "one of the values isn't valid for an argument",
            ),
            (
                "release --date 2026-13-01",
                "--date `2026-13-01` is not a date: write YYYY-MM-DD",
            ),
            (
                "changelog promote rust 1.0.0 --date tomorrow",
                "--date `tomorrow` is not a date: write YYYY-MM-DD",
            ),
            (
                "publish",
                "a subcommand is required but one was not provided",
            ),
            (
                "change --rust big Text",
                "--rust `big` is no level or section: use one of major, minor, patch, added, changed, deprecated, removed, fixed, security",
            ),
            (
                "change Text",
                "name the packages the change is for: --rust KIND, --py KIND (KIND: a level or a section: major, minor, patch, added, changed, deprecated, removed, fixed, security)",
            ),
            (
                "change --py patch",
                "write what changed, as users should read it: cargo xtask change --py patch \"Streaming responses\"",
            ),
            (
                "change --list --check",
                "an argument cannot be used with one or more of the other specified arguments",
            ),
            (
                "change --allow-missing",
                "one or more required arguments were not provided",
            ),
        ];
        for (argv, message) in cases {
            assert_eq!(parsed(argv).unwrap_err(), message, "{argv}");
        }
    }
}
