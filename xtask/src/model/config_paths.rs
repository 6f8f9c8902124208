//! Every path the configuration names (`changes`, `manifest`, `changelog`,
//! `pyproject`, `fragments`, each mention's `file`, each `paths` entry, each
//! `crates` entry that is a manifest), checked before
//! any is read: inside the repository, through no link that leads out of
//! it, no link itself. Each refusal names its key and the table holding it.

use crate::model::config::{Config, PackageConfig};
use crate::model::source::Source;
use crate::model::standalone::is_manifest_path;

/// One line per configured path the xtask may not touch, in the order the
/// configuration writes them; empty when every path is fine.
pub fn refused(source: &Source, config: &Config) -> Vec<String> {
    let changes = source
        .check(&config.changes)
        .err()
        .map(|refusal| format!("{}: {}", config.origin, refusal.of_key("changes")));
    changes
        .into_iter()
        .chain(config.packages.iter().flat_map(|c| package(source, c)))
        .collect()
}

fn package(source: &Source, c: &PackageConfig) -> Vec<String> {
    let mut out = Vec::new();
    let origin = &c.origin;
    for (key, value) in [
        ("manifest", &c.manifest),
        ("changelog", &c.changelog),
        ("pyproject", &c.pyproject),
        ("fragments", &c.fragments),
    ] {
        if let Some(path) = value
            && let Err(refusal) = source.check(path)
        {
            out.push(format!("{origin}: {}", refusal.of_key(key)));
        }
    }
    for mention in &c.mentions {
        if let Err(refusal) = source.check(&mention.file) {
            out.push(format!(
                "{origin}: `mentions` entry {}",
                refusal.of_key("file")
            ));
        }
    }
    // A group's crate named by its manifest: a package outside the workspace.
    let manifests = c.crates.iter().flatten().filter(|e| is_manifest_path(e));
    for path in manifests {
        if let Err(refusal) = source.check(path) {
            out.push(format!(
                "{origin}: `crates` entry \"{path}\" {}: {}",
                refusal.reason, refusal.fix
            ));
        }
    }
    for spec in c.paths.iter().flatten() {
        let Some(path) = pathspec_path(spec) else {
            continue;
        };
        if let Err(refusal) = source.check(path) {
            out.push(format!(
                "{origin}: `paths` entry \"{spec}\" {}: {}",
                refusal.reason, refusal.fix
            ));
        }
    }
    out
}

/// The path a git pathspec starts from: its magic (`:(exclude)`, `:!`,
/// `:/`) dropped, and cut before its first wildcard, at a folder. `None`
/// when nothing is left (the whole repository).
fn pathspec_path(spec: &str) -> Option<&str> {
    let rest = match spec.strip_prefix(":(") {
        Some(magic) => magic.split_once(')').map_or("", |(_, path)| path),
        None => match spec.strip_prefix(':') {
            Some(short) => short.trim_start_matches(['!', '^', '/']),
            None => spec,
        },
    };
    let literal = match rest.find(['*', '?', '[']) {
        Some(i) => rest[..i].rsplit_once('/').map_or("", |(dir, _)| dir),
        None => rest,
    };
    let literal = literal.trim_end_matches('/');
    (!literal.is_empty()).then_some(literal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Mention;
    use crate::model::mention::At;

    #[test]
    fn pathspecs_are_read_as_the_folder_they_start_from() {
        assert_eq!(pathspec_path("demo-core"), Some("demo-core"));
        assert_eq!(pathspec_path("demo-core/"), Some("demo-core"));
        assert_eq!(pathspec_path(":(exclude)demo-core/x"), Some("demo-core/x"));
        assert_eq!(pathspec_path(":!../x"), Some("../x"));
        assert_eq!(pathspec_path(":/crates/a"), Some("crates/a"));
        assert_eq!(pathspec_path("crates/*/src"), Some("crates"));
        assert_eq!(pathspec_path("*.rs"), None);
        assert_eq!(pathspec_path("."), Some("."));
    }

    #[test]
    fn every_configured_path_outside_is_named_by_its_key() {
        let source = Source::memory([("Cargo.toml".to_string(), String::new())]);
        let config = Config {
            packages: vec![PackageConfig {
                name: "demo-py".into(),
                origin: "Cargo.toml [workspace.metadata.xtask-release] package #2 (`demo-py`)"
                    .into(),
                changelog: Some("../outside.md".into()),
                pyproject: Some("/etc/x.toml".into()),
                manifest: Some("demo-py/Cargo.toml".into()),
                mentions: vec![Mention {
                    file: ".git/config".into(),
                    at: At::Key("core.x".into()),
                    optional: false,
                }],
                paths: Some(vec!["demo-py".into(), ":(exclude)../ext".into()]),
                crates: Some(vec!["demo-*".into(), "../ext/Cargo.toml".into()]),
                fragments: Some("../news".into()),
                ..Default::default()
            }],
            changes: "/tmp/changes".into(),
            ..Config::default()
        };
        let origin = "Cargo.toml [workspace.metadata.xtask-release] package #2 (`demo-py`)";
        let inside = "name a file inside the repository, relative to its root";
        assert_eq!(
            refused(&source, &config),
            [
                format!(
                    "Cargo.toml [workspace.metadata.xtask-release]: `changes = \"/tmp/changes\"` is an absolute path: {inside}"
                ),
                format!(
                    "{origin}: `changelog = \"../outside.md\"` is outside the repository: {inside}"
                ),
                format!("{origin}: `pyproject = \"/etc/x.toml\"` is an absolute path: {inside}"),
                format!("{origin}: `fragments = \"../news\"` is outside the repository: {inside}"),
                format!(
                    "{origin}: `mentions` entry `file = \".git/config\"` is inside `.git`, git's own folder: name a file of the work tree"
                ),
                format!(
                    "{origin}: `crates` entry \"../ext/Cargo.toml\" is outside the repository: {inside}"
                ),
                format!(
                    "{origin}: `paths` entry \":(exclude)../ext\" is outside the repository: {inside}"
                ),
            ]
        );
    }
}
