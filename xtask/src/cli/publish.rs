//! `publish`, `verify-published` and `downstream`: their arguments and parsing.

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use super::args::{PackageFlag, flag, leak, one, required, selection, string};
use crate::cli::flags::{Downstream, Publish, PublishCrate, PublishPy, Status, VerifyPublished};

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

pub fn publish() -> Command {
    Command::new("publish")
        .about("Publish the release HEAD is tagged with; a version the registry already has is skipped")
        .subcommand_required(true)
        .subcommand(
            Command::new("crate")
                .about("cargo package, then cargo publish --locked of each crate the registry lacks (a crate group in dependency order)")
                .arg(one_package_arg())
                .arg(Arg::new("registry").long("registry").value_name("NAME").help("A registry of cargo's configuration (default: `crate-registry`, else crates.io)"))
                .arg(Arg::new("index").long("index").value_name("URL").conflicts_with("registry").help("The registry's index URL (default: `crate-index`)"))
                .arg(flag("allow-untagged", "Publish even when HEAD is not the crate's release tag"))
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

/// Where to look, for `verify-published` and `status`: `--registry NAME` or
/// `--index URL` for the crate, `--index-url URL` for the Python package;
/// and `--FLAG [VERSION]` per package.
fn lookup_args(cmd: Command, packages: &[PackageFlag], verb: &str) -> Command {
    let mut cmd = cmd
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
                    "{verb} {name} VERSION (bare: the manifest's, now {version})"
                )),
        );
    }
    cmd
}

pub fn verify_published(packages: &[PackageFlag]) -> Command {
    let cmd = Command::new("verify-published")
        .about("Wait until each registry serves the release; non-zero on timeout")
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECS")
                .default_value("300")
                .value_parser(value_parser!(u64))
                .help("Give up after SECS seconds"),
        );
    lookup_args(cmd, packages, "Wait for")
}

pub fn status(packages: &[PackageFlag]) -> Command {
    let cmd = Command::new("status")
        .about("Where each release stands: tag here and on the remote, the release branch, the registry, the GitHub release; non-zero until everything is there")
        .arg(flag("json", "Print the status as JSON"));
    lookup_args(cmd, packages, "Show")
}

pub fn downstream() -> Command {
    Command::new("downstream")
        .about("In a dependent repository, depend on the released crate version instead of a path, and refresh its Cargo.lock")
        .arg(Arg::new("path").required(true).value_name("PATH").help("The dependent repository (its root Cargo.toml)"))
        .arg(one_package_arg())
        .arg(Arg::new("registry").long("registry").value_name("NAME").help("Add `registry = \"NAME\"` to the dependency (default: `crate-registry`; none for crates.io)"))
        .arg(execute_arg("Write the manifests and run cargo update"))
}

pub fn parse_publish(m: &ArgMatches) -> Publish {
    match m.subcommand() {
        Some(("crate", m)) => Publish::Crate(PublishCrate {
            package: string(m, "package"),
            registry: string(m, "registry"),
            index: string(m, "index"),
            allow_untagged: m.get_flag("allow-untagged"),
            execute: m.get_flag("execute"),
        }),
        Some(("py", m)) => Publish::Py(PublishPy {
            package: string(m, "package"),
            repository_url: string(m, "repository-url"),
            index_url: string(m, "index-url"),
            execute: m.get_flag("execute"),
        }),
        _ => unreachable!("clap requires a subcommand"),
    }
}

pub fn parse_verify_published(m: &ArgMatches, packages: &[PackageFlag]) -> VerifyPublished {
    VerifyPublished {
        selection: selection(m, packages),
        timeout_secs: one(m, "timeout"),
        registry: string(m, "registry"),
        index: string(m, "index"),
        index_url: string(m, "index-url"),
    }
}

pub fn parse_status(m: &ArgMatches, packages: &[PackageFlag]) -> Status {
    Status {
        selection: selection(m, packages),
        json: m.get_flag("json"),
        registry: string(m, "registry"),
        index: string(m, "index"),
        index_url: string(m, "index-url"),
    }
}

pub fn parse_downstream(m: &ArgMatches) -> Downstream {
    Downstream {
        path: required(m, "path").into(),
        package: string(m, "package"),
        registry: string(m, "registry"),
        execute: m.get_flag("execute"),
    }
}
