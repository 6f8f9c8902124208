//! Nothing undocumented: every configuration key the code accepts has a row
//! in its table of docs/configuration.md, and every command, subcommand and
//! long flag of the command line is named in docs/commands.md. The lists come
//! from the code itself (the key constants, the clap tree `cli::command`
//! builds), so a new key, command or flag fails here until it is documented.
//! Test-only.

use clap::Command;

use crate::cli::command;
use crate::cli::guide::{self, package_flags};
use crate::model::config::{MENTION_KEYS, PACKAGE_KEYS, TOP_KEYS};
use crate::model::registries::REGISTRY_KEYS;

/// Each level of the configuration: the heading of its table in
/// docs/configuration.md, its keys, and where the code lists them.
fn levels() -> [(&'static str, &'static [&'static str], &'static str); 4] {
    [
        (
            "## Top level",
            &TOP_KEYS,
            "TOP_KEYS in xtask/src/model/config.rs",
        ),
        (
            "## `[[package]]`",
            &PACKAGE_KEYS,
            "PACKAGE_KEYS in xtask/src/model/config.rs",
        ),
        (
            "## `[registries]`",
            &REGISTRY_KEYS,
            "REGISTRY_KEYS in xtask/src/model/registries.rs",
        ),
        (
            "## Mentions",
            &MENTION_KEYS,
            "MENTION_KEYS in xtask/src/model/config.rs",
        ),
    ]
}

/// The keys `page` (docs/configuration.md) has no table row for, each with
/// the table to add it to.
fn undocumented_keys(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (heading, keys, source) in levels() {
        let Some(section) = guide::section(page, heading) else {
            out.push(format!(
                "docs/configuration.md has no `{heading}` section: add it, with a table of the keys of {source}"
            ));
            continue;
        };
        // The first cell of each table row.
        let cells: Vec<&str> = section
            .iter()
            .filter_map(|line| line.strip_prefix('|')?.split('|').next())
            .collect();
        for key in keys {
            if !cells.iter().any(|cell| cell.contains(&format!("`{key}`"))) {
                out.push(format!(
                    "configuration key `{key}` ({source}) is undocumented: add a row `| `{key}` | type | default | example |` to the table under `{heading}` in docs/configuration.md"
                ));
            }
        }
    }
    out
}

/// Every command below `cmd`: its words (`["changelog", "notes"]`) and its
/// long flags.
fn commands(cmd: &Command, path: &[String], out: &mut Vec<(Vec<String>, Vec<String>)>) {
    for sub in cmd.get_subcommands() {
        let mut words = path.to_vec();
        words.push(sub.get_name().to_string());
        let longs = sub
            .get_arguments()
            .filter_map(|arg| arg.get_long())
            .map(|long| format!("--{long}"))
            .collect();
        out.push((words.clone(), longs));
        commands(sub, &words, out);
    }
}

/// Whether `lines` name `flag` whole: `--index` is not named by `--index-url`.
fn names_flag(lines: &[String], flag: &str) -> bool {
    lines.iter().any(|line| {
        line.match_indices(flag).any(|(at, _)| {
            let after = line[at + flag.len()..].chars().next();
            let before = line[..at].chars().next_back();
            !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    })
}

/// What `page` (docs/commands.md) leaves out of the command line `cli`:
/// each command without its section, each long flag its section does not
/// name; the global options belong under "Global options".
fn undocumented_commands(cli: &Command, page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let globals = guide::section(page, "## Global options").unwrap_or_default();
    for arg in cli.get_arguments() {
        if let Some(long) = arg.get_long()
            && !names_flag(&globals, &format!("--{long}"))
        {
            out.push(format!(
                "the global option `--{long}` is undocumented: add a line `- `--{long}`: …` under `## Global options` in docs/commands.md"
            ));
        }
    }
    let mut all = Vec::new();
    commands(cli, &[], &mut all);
    for (words, longs) in all {
        let name = format!("cargo xtask {}", words.join(" "));
        let level = "#".repeat(words.len() + 1);
        let Some(section) = guide::section(page, &format!("`{name}`")) else {
            out.push(format!(
                "the command `{name}` is undocumented: add a section `{level} `{name}`` to docs/commands.md, with what it does, a line per flag and an example"
            ));
            continue;
        };
        for long in longs {
            if !names_flag(&section, &long) {
                out.push(format!(
                    "the flag `{long}` of `{name}` is undocumented: add a line `- `{long}`: …` to the section `{level} `{name}`` of docs/commands.md"
                ));
            }
        }
    }
    out
}

#[test]
fn every_configuration_key_is_documented() {
    let problems = undocumented_keys(&guide::page("docs/configuration.md"));
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn every_command_and_flag_is_documented() {
    let cli = command(&package_flags());
    let problems = undocumented_commands(&cli, &guide::page("docs/commands.md"));
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn the_walk_sees_every_command_and_flag() {
    let mut all = Vec::new();
    commands(&command(&package_flags()), &[], &mut all);
    let names: Vec<String> = all.iter().map(|(words, _)| words.join(" ")).collect();
    for name in [
        "init",
        "release",
        "changelog notes",
        "gh verify-tag",
        "publish py",
    ] {
        assert!(
            names.contains(&name.to_string()),
            "{name} not walked: {names:?}"
        );
    }
    let release = &all.iter().find(|(w, _)| w == &["release"]).unwrap().1;
    for flag in ["--execute", "--rust", "--py", "--quiet", "--pre"] {
        assert!(release.contains(&flag.to_string()), "{flag}: {release:?}");
    }
}

#[test]
fn a_missing_row_section_or_flag_is_named_with_its_place() {
    let page = guide::page("docs/configuration.md");
    let row = page
        .lines()
        .find(|line| line.starts_with("| `wheels` |"))
        .expect("a row for wheels");
    assert_eq!(
        undocumented_keys(&page.replace(row, "")),
        [
            "configuration key `wheels` (PACKAGE_KEYS in xtask/src/model/config.rs) is undocumented: add a row `| `wheels` | type | default | example |` to the table under `## `[[package]]`` in docs/configuration.md"
        ]
    );
    let cli = command(&package_flags());
    let page = guide::page("docs/commands.md");
    assert_eq!(
        undocumented_commands(&cli, &page.replace("`--allow-breaking`", "`--allow-it`")),
        [
            "the flag `--allow-breaking` of `cargo xtask release` is undocumented: add a line `- `--allow-breaking`: …` to the section `## `cargo xtask release`` of docs/commands.md"
        ]
    );
    assert_eq!(
        undocumented_commands(
            &cli,
            &page.replace("### `cargo xtask gh msrv`", "### gh msrv")
        ),
        [
            "the command `cargo xtask gh msrv` is undocumented: add a section `### `cargo xtask gh msrv`` to docs/commands.md, with what it does, a line per flag and an example"
        ]
    );
    let names = |line: &str, flag: &str| names_flag(&[line.to_string()], flag);
    assert!(names("- `--index URL`: …", "--index"));
    assert!(!names("- `--index-url URL`: …", "--index"));
    assert!(!names("- `--no-push`", "--push"));
}
