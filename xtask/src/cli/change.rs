//! `change`: write a change file, list the pending ones, or check that a
//! branch has one for each package it changes.

use anyhow::{Result, bail};
use clap::{Arg, ArgAction, ArgMatches, Command};

use super::args::{PackageFlag, flag, leak, selection, string};
use crate::changelog::{Kind, WORDS};
use crate::cli::flags::Change;

pub fn change(packages: &[PackageFlag]) -> Command {
    let mut cmd = Command::new("change")
        .about("Write a change file (.changes/NAME.md) for the packages given, list the pending ones, or check a branch has them")
        .arg(
            Arg::new("text")
                .value_name("TEXT")
                .num_args(1..)
                .help("What changed, as users should read it: the entry in the changelog"),
        )
        .arg(flag("list", "List the pending change files and news fragments per package").conflicts_with_all(["text", "check"]))
        .arg(flag("json", "With --list: print JSON").requires("list"))
        .arg(flag("check", "Fail when a package changed since --base and no change file the branch adds names it").conflicts_with("text"))
        .arg(
            Arg::new("base")
                .long("base")
                .value_name("REV")
                .requires("check")
                .help("With --check: the branch the changes are judged against (default: REMOTE/BRANCH of the configuration, e.g. origin/main)"),
        )
        .arg(flag("allow-missing", "With --check: report a package without a change file, but pass").requires("check"));
    for (flag, name, version) in packages {
        cmd = cmd.arg(
            Arg::new(leak(flag))
                .long(leak(flag))
                .value_name("KIND")
                .action(ArgAction::Set)
                .help(format!(
                    "What the change is for {name} (now {version}): a level (major, minor, patch) or a section (added, changed, deprecated, removed, fixed, security)"
                )),
        );
    }
    cmd
}

pub fn parse_change(m: &ArgMatches, packages: &[PackageFlag]) -> Result<Change> {
    if m.get_flag("list") {
        return Ok(Change::List {
            json: m.get_flag("json"),
        });
    }
    if m.get_flag("check") {
        return Ok(Change::Check {
            base: string(m, "base"),
            allow_missing: m.get_flag("allow-missing"),
        });
    }
    let selection = selection(m, packages);
    let mut kinds = Vec::new();
    for (flag, value) in &selection.flags {
        let value = value.as_deref().unwrap_or_default();
        if Kind::parse(value).is_none() {
            bail!(
                "--{flag} `{value}` is no level or section: use one of {}",
                WORDS.join(", ")
            );
        }
        kinds.push((flag.clone(), value.to_string()));
    }
    if kinds.is_empty() {
        let flags: Vec<String> = packages
            .iter()
            .map(|(f, _, _)| format!("--{f} KIND"))
            .collect();
        bail!(
            "name the packages the change is for: {} (KIND: a level or a section: {})",
            flags.join(", "),
            WORDS.join(", ")
        );
    }
    let words: Vec<String> = m
        .get_many::<String>("text")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let text = words.join(" ");
    if text.trim().is_empty() {
        bail!(
            "write what changed, as users should read it: cargo xtask change --{} {} \"Streaming responses\"",
            kinds[0].0,
            kinds[0].1
        );
    }
    Ok(Change::New { kinds, text })
}
