//! Where the release configuration is read: a `--config FILE`; else this
//! tool's own places, `[workspace.metadata.xtask-release]` (or a root
//! crate's `[package.metadata.xtask-release]`) in the root `Cargo.toml` or
//! `xtask-release.toml` at the root, never both; else, for now, the old
//! `[workspace.metadata.release]` table, when every key of it is ours, with a
//! warning that names the new place. A table there with any other key is
//! another tool's (cargo-release reads that table, and `release.toml`,
//! refusing keys it does not know): it is left alone, never read.

use std::path::Path;

use anyhow::{Result, bail};
use toml_edit::{Document, Item};

use crate::model::config::{self, Config};
use crate::model::package::ROOT_MANIFEST;
use crate::model::source::Source;
use crate::text::toml;

/// The table name under `[workspace.metadata]`/`[package.metadata]`: no other
/// release tool reads it.
pub const TABLE: &str = "xtask-release";
/// The file at the repository root, with the same keys at its top level.
pub const FILE: &str = "xtask-release.toml";
/// The table this tool read before it had its own, which cargo-release reads.
const OLD_TABLE: &str = "release";

/// The configuration of the repository whose root manifest is `root_doc`
/// (none: no `Cargo.toml` at the root).
pub fn read(
    source: &Source,
    config_file: Option<&Path>,
    root_doc: Option<&Document<String>>,
) -> Result<Config> {
    if let Some(file) = config_file {
        let text = source.config(file)?;
        let origin = file.display().to_string();
        let doc = toml::parse(&origin, &text)?;
        return config::from_table(Some(doc.as_item()), &origin);
    }
    let table = root_doc.and_then(|doc| metadata(doc, TABLE));
    let file = source.is_file(FILE);
    match (table, file) {
        (Some((origin, _)), true) => bail!(
            "the release configuration is in both {origin} and {FILE}: keep one of them (move every key into one place and delete the other)"
        ),
        (Some((origin, item)), false) => config::from_table(Some(item), &origin),
        (None, true) => {
            let text = source.read(FILE)?;
            let doc = toml::parse(FILE, &text)?;
            config::from_table(Some(doc.as_item()), FILE)
        }
        (None, false) => old_place(root_doc),
    }
}

/// Where a configuration of ours is, if there is one: our file, our table,
/// or the old table while every key of it is ours.
pub fn existing(source: &Source, root_doc: Option<&Document<String>>) -> Option<String> {
    if source.is_file(FILE) {
        return Some(FILE.to_string());
    }
    let doc = root_doc?;
    if let Some((origin, _)) = metadata(doc, TABLE) {
        return Some(origin);
    }
    match metadata(doc, OLD_TABLE) {
        Some((origin, item)) if config::only_our_keys(item) => Some(origin),
        _ => None,
    }
}

/// The old table, when it is ours; else the defaults.
fn old_place(root_doc: Option<&Document<String>>) -> Result<Config> {
    let Some(doc) = root_doc else {
        return config::from_table(None, FILE);
    };
    let default_origin = format!("{ROOT_MANIFEST} [workspace.metadata.{TABLE}]");
    match metadata(doc, OLD_TABLE) {
        Some((origin, item)) if config::only_our_keys(item) => {
            let mut config = config::from_table(Some(item), &origin)?;
            let new = origin.replace(&format!(".{OLD_TABLE}]"), &format!(".{TABLE}]"));
            config.warning = Some(format!(
                "{origin}: the configuration is read from its old place, where cargo-release looks too (and refuses keys it does not know): rename the table to {new} (and each `[[…package]]` with it), or move its keys to {FILE} at the repository root"
            ));
            Ok(config)
        }
        // Another tool's table (a key that is not ours), or none: defaults.
        _ => config::from_table(None, &default_origin),
    }
}

/// `[workspace.metadata.NAME]`, else `[package.metadata.NAME]`, with the
/// name it is shown by.
fn metadata<'a>(doc: &'a Document<String>, name: &str) -> Option<(String, &'a Item)> {
    ["workspace", "package"].into_iter().find_map(|top| {
        let item = toml::get_item(doc.as_item(), &[top, "metadata", name])?;
        Some((format!("{ROOT_MANIFEST} [{top}.metadata.{name}]"), item))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The configuration of the files `(path, text)`, or its error.
    fn read_texts(files: &[(&str, &str)], config_file: Option<&str>) -> Result<Config> {
        let source = Source::memory(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let root = files
            .iter()
            .find(|(p, _)| *p == ROOT_MANIFEST)
            .map(|(_, t)| toml::parse(ROOT_MANIFEST, t).unwrap());
        read(&source, config_file.map(Path::new), root.as_ref())
    }

    const CRATE: &str = "[package]\nname = \"a\"\nversion = \"1.0.0\"\n";

    #[test]
    fn the_new_table_or_the_new_file() {
        let table = format!("{CRATE}[package.metadata.xtask-release]\nbranch = \"trunk\"\n");
        let config = read_texts(&[("Cargo.toml", &table)], None).unwrap();
        assert_eq!(
            (config.branch.as_str(), config.origin.as_str()),
            ("trunk", "Cargo.toml [package.metadata.xtask-release]")
        );
        assert_eq!(config.warning, None);
        let virtual_root =
            "[workspace]\nmembers = []\n[workspace.metadata.xtask-release]\nremote = \"up\"\n";
        let config = read_texts(&[("Cargo.toml", virtual_root)], None).unwrap();
        assert_eq!(
            config.origin,
            "Cargo.toml [workspace.metadata.xtask-release]"
        );
        let files = [("Cargo.toml", CRATE), (FILE, "branch = \"stable\"\n")];
        let config = read_texts(&files, None).unwrap();
        assert_eq!(
            (config.branch.as_str(), config.origin.as_str()),
            ("stable", FILE)
        );
        // No root manifest at all: the file alone.
        let config = read_texts(&[(FILE, "branch = \"stable\"\n")], None).unwrap();
        assert_eq!(config.branch, "stable");
    }

    #[test]
    fn both_new_places_are_refused_by_name() {
        let table = format!("{CRATE}[package.metadata.xtask-release]\nbranch = \"trunk\"\n");
        let err = read_texts(&[("Cargo.toml", &table), (FILE, "")], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the release configuration is in both Cargo.toml [package.metadata.xtask-release] and xtask-release.toml: keep one of them (move every key into one place and delete the other)"
        );
    }

    #[test]
    fn the_old_table_is_read_with_a_warning_while_it_is_ours() {
        let old = "[workspace]\nmembers = []\n[workspace.metadata.release]\nbranch = \"trunk\"\n[[workspace.metadata.release.package]]\nname = \"a\"\n";
        let config = read_texts(&[("Cargo.toml", old)], None).unwrap();
        assert_eq!(config.branch, "trunk");
        assert_eq!(config.origin, "Cargo.toml [workspace.metadata.release]");
        assert_eq!(
            config.warning.as_deref(),
            Some(
                "Cargo.toml [workspace.metadata.release]: the configuration is read from its old place, where cargo-release looks too (and refuses keys it does not know): rename the table to Cargo.toml [workspace.metadata.xtask-release] (and each `[[…package]]` with it), or move its keys to xtask-release.toml at the repository root"
            )
        );
        // The new place wins: the old table is not read at all.
        let both = format!("{old}[workspace.metadata.xtask-release]\nbranch = \"new\"\n");
        let config = read_texts(&[("Cargo.toml", &both)], None).unwrap();
        assert_eq!((config.branch.as_str(), config.warning), ("new", None));
        let config = read_texts(&[("Cargo.toml", old), (FILE, "")], None).unwrap();
        assert_eq!((config.branch.as_str(), config.warning), ("main", None));
    }

    #[test]
    fn another_tools_table_and_file_are_left_alone() {
        let cargo_release = "[workspace]\nmembers = []\n[workspace.metadata.release]\nsign-commit = true\nshared-version = true\ntag-message = \"{{crate_name}} {{version}}\"\npre-release-replacements = [{ file = \"README.md\", search = \"a\", replace = \"b\" }]\n";
        let config = read_texts(&[("Cargo.toml", cargo_release)], None).unwrap();
        assert_eq!((config.branch.as_str(), config.packages.len()), ("main", 0));
        assert_eq!(config.warning, None);
        assert_eq!(
            config.origin,
            "Cargo.toml [workspace.metadata.xtask-release]"
        );
        // cargo-release's own file is never read, whatever it holds.
        let files = [("Cargo.toml", CRATE), ("release.toml", "brnch = 1\n")];
        assert_eq!(read_texts(&files, None).unwrap().branch, "main");
    }

    #[test]
    fn an_existing_configuration_is_named_by_its_place() {
        let existing_in = |files: &[(&str, &str)]| {
            let source = Source::memory(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
            let root = files
                .iter()
                .find(|(p, _)| *p == ROOT_MANIFEST)
                .map(|(_, t)| toml::parse(ROOT_MANIFEST, t).unwrap());
            existing(&source, root.as_ref())
        };
        let table = format!("{CRATE}[package.metadata.xtask-release]\nbranch = \"trunk\"\n");
        let ours_old = "[workspace]\nmembers = []\n[workspace.metadata.release]\nbranch = \"x\"\n";
        let theirs = "[workspace]\nmembers = []\n[workspace.metadata.release]\nsign-tag = true\n";
        type Files<'a> = &'a [(&'a str, &'a str)];
        let rows: [(Files, Option<&str>); 5] = [
            (&[("Cargo.toml", CRATE)], None),
            (&[("Cargo.toml", CRATE), (FILE, "")], Some(FILE)),
            (
                &[("Cargo.toml", &table)],
                Some("Cargo.toml [package.metadata.xtask-release]"),
            ),
            (
                &[("Cargo.toml", ours_old)],
                Some("Cargo.toml [workspace.metadata.release]"),
            ),
            (&[("Cargo.toml", theirs), ("release.toml", "")], None),
        ];
        for (files, place) in rows {
            assert_eq!(existing_in(files).as_deref(), place, "{files:?}");
        }
    }

    #[test]
    fn a_config_file_wins_over_every_place() {
        let table = format!("{CRATE}[package.metadata.xtask-release]\nbranch = \"trunk\"\n");
        let files = [
            ("Cargo.toml", table.as_str()),
            ("ci.toml", "branch = \"ci\"\n"),
        ];
        let config = read_texts(&files, Some("ci.toml")).unwrap();
        assert_eq!(
            (config.branch.as_str(), config.origin.as_str()),
            ("ci", "ci.toml")
        );
    }
}
