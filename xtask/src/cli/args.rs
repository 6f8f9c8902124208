//! The helpers every group of commands builds and reads its arguments with.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::cli::flags::Selection;
use crate::text::train::Label;

/// A package a flag selects: `(flag, package name, current version)`.
pub type PackageFlag = (String, String, String);

pub fn leak(s: &str) -> &'static str {
    // The CLI lives for the whole process; clap wants 'static ids.
    Box::leak(s.to_string().into_boxed_str())
}

pub fn flag(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .action(ArgAction::SetTrue)
        .help(help)
}

/// `-p NAME`, repeatable: a package selected by its name.
pub fn select_package_arg() -> Arg {
    Arg::new("package")
        .short('p')
        .long("package")
        .value_name("NAME")
        .action(ArgAction::Append)
        .help("Select a package by name (repeatable)")
}

/// `--FLAG` per package and `--package NAME`.
pub fn package_flags(cmd: Command, packages: &[PackageFlag]) -> Command {
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

/// A value clap requires or gives a default.
pub fn one<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> T {
    m.get_one::<T>(id)
        .cloned()
        .expect("clap requires or defaults this argument")
}

pub fn required(m: &ArgMatches, id: &str) -> String {
    one(m, id)
}

pub fn string(m: &ArgMatches, id: &str) -> Option<String> {
    m.get_one::<String>(id).cloned()
}

/// Every value of a repeatable option (`--skip a --skip b`).
pub fn values(m: &ArgMatches, id: &str) -> Vec<String> {
    m.get_many::<String>(id)
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

/// `--date YYYY-MM-DD`.
pub fn date(m: &ArgMatches) -> Result<Option<NaiveDate>> {
    string(m, "date")
        .map(|text| {
            crate::text::date::parse(&text)
                .with_context(|| format!("--date `{text}` is not a date: write YYYY-MM-DD"))
        })
        .transpose()
}

/// The packages `m` selects: `-p NAME` (where the command has it) and each
/// package flag given, with its value (a bare flag carries "" or is a
/// switch: no value).
pub fn selection(m: &ArgMatches, packages: &[PackageFlag]) -> Selection {
    let names = m
        .try_get_many::<String>("package")
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let mut flags = Vec::new();
    for (flag, _, _) in packages {
        if let Ok(Some(value)) = m.try_get_one::<String>(flag) {
            flags.push((flag.clone(), Some(value.clone()).filter(|v| !v.is_empty())));
        } else if let Ok(Some(true)) = m.try_get_one::<bool>(flag) {
            flags.push((flag.clone(), None));
        }
    }
    Selection { names, flags }
}

/// `--pre LABEL`: a level starts a pre-release train.
pub fn pre_arg() -> Arg {
    Arg::new("pre")
        .long("pre")
        .value_name("LABEL")
        .value_parser(Label::NAMES)
        .help("Start a pre-release train at the level given: dev, alpha, beta or rc (e.g. --rust minor --pre rc; its first number is `pre-start`)")
}

/// The label of `--pre`, if given (clap allows only the names).
pub fn pre(m: &ArgMatches) -> Option<Label> {
    m.get_one::<String>("pre")
        .and_then(|name| Label::parse(name))
}
