//! Packages outside the root workspace: a standalone Cargo package named by
//! a configured `manifest` or a `crates` entry that is a manifest path (a
//! binding maturin builds on its own, a crate in a repository with no root
//! `Cargo.toml`). Each is a member of the model with its own folder, its own
//! Cargo workspace and its own `Cargo.lock`. And, for a repository with no
//! root `Cargo.toml` and no configuration, the manifests it holds, so the
//! message that asks for one can show it.

use anyhow::{Context, Result, bail};

use crate::model::config::Config;
use crate::model::config_place::FILE;
use crate::model::members;
use crate::model::package::{Member, ROOT_MANIFEST};
use crate::model::source::{Files, Source};
use crate::text::manifest::{self, PackageVersion};
use crate::text::toml;

/// Whether a `crates` entry names a manifest rather than a package (by name or glob).
pub fn is_manifest_path(entry: &str) -> bool {
    entry == ROOT_MANIFEST || entry.ends_with(&format!("/{ROOT_MANIFEST}"))
}

/// `path` as the model writes paths: relative, `/`-separated, no `./`.
pub fn normalized(path: &str) -> String {
    let mut out = path.replace('\\', "/");
    while let Some(rest) = out.strip_prefix("./") {
        out = rest.to_string();
    }
    out
}

/// Every manifest the configuration names that no member of `known` has:
/// each package's `manifest`, and each `crates` entry that is a path.
pub fn read(
    files: &mut Files,
    source: &Source,
    config: &Config,
    known: &[Member],
) -> Result<Vec<Member>> {
    let mut out: Vec<Member> = Vec::new();
    for c in &config.packages {
        let named = c.manifest.iter().map(|m| (m, "manifest"));
        let grouped = c.crates.iter().flatten().filter(|e| is_manifest_path(e));
        for (path, key) in named.chain(grouped.map(|e| (e, "crates"))) {
            let path = normalized(path);
            let taken = known.iter().chain(&out).any(|m| m.manifest == path);
            if taken {
                continue;
            }
            if !is_manifest_path(&path) {
                bail!(
                    "{}: `{key}` entry `{path}` is not the path of a Cargo.toml: write it as folder/Cargo.toml",
                    c.origin
                );
            }
            let member = standalone(files, source, &path)
                .with_context(|| format!("{}: `{key}` entry `{path}`", c.origin))?;
            if let Some(other) = known.iter().chain(&out).find(|m| m.name == member.name) {
                bail!(
                    "{}: `{key}` entry `{path}` is the package `{}`, and so is {}: two packages of one name cannot be told apart: rename one of them",
                    c.origin,
                    member.name,
                    other.manifest
                );
            }
            out.push(member);
        }
    }
    Ok(out)
}

/// The package whose manifest is `path`, a Cargo workspace of its own.
fn standalone(files: &mut Files, source: &Source, path: &str) -> Result<Member> {
    let text = files.read(source, path)?.to_string();
    let doc = toml::parse(path, &text)?;
    if let PackageVersion::Inherited = manifest::package_version(path, &text, &doc)? {
        bail!(
            "{path}: `version.workspace = true` in a package outside the root workspace: give it its own `version = \"…\"`"
        );
    }
    let dir = match path.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => ".".to_string(),
    };
    let mut member = members::member(dir.clone(), path.to_string(), &text, None, None)?;
    member.cargo_root = dir;
    Ok(member)
}

/// Why a repository with no root `Cargo.toml` and no configuration cannot
/// be read, and the configuration that would read it: a `[[package]]` for
/// each manifest found in its first folders.
pub fn no_configuration(source: &Source, root: &str) -> String {
    if !source.is_folder(".") {
        return format!(
            "{root} is not a folder: pass --root with the work tree of your repository"
        );
    }
    let found = manifests(source, ".", 3);
    if found.is_empty() {
        return format!(
            "{root} holds no {ROOT_MANIFEST}: pass --root with the work tree of a repository of Cargo packages"
        );
    }
    let entries: Vec<String> = found
        .iter()
        .map(|path| {
            let name = source
                .read(path)
                .ok()
                .and_then(|text| {
                    let doc = toml::parse(path, &text).ok()?;
                    manifest::package_name(path, &text, &doc).ok()?
                })
                .unwrap_or_else(|| "NAME".into());
            format!("[[package]]\nname = \"{name}\"\nmanifest = \"{path}\"")
        })
        .collect();
    format!(
        "{root} has no {ROOT_MANIFEST} and no {FILE}: write {FILE} at the repository root with a [[package]] entry naming the manifest of each package to release (`cargo xtask init --write` proposes one; or pass --config FILE), e.g.\n\n{}",
        entries.join("\n\n")
    )
}

/// Folders no package to release lives in: build output, other tools'
/// dependencies, vendored sources, test data and examples.
const NOT_PACKAGES: [&str; 10] = [
    "target",
    "node_modules",
    "vendor",
    "vendored",
    "third_party",
    "third-party",
    "tests",
    "fixtures",
    "testdata",
    "examples",
];

/// The `Cargo.toml` files in `dir` and its folders, `depth` levels down,
/// sorted; hidden folders and those of `NOT_PACKAGES` left out.
pub fn manifests(source: &Source, dir: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let here = crate::model::package::rel_join(dir, ROOT_MANIFEST);
    if dir != "." && source.is_file(&here) {
        out.push(here);
    }
    if depth == 0 {
        return out;
    }
    for name in source.subdirs(dir) {
        if name.starts_with('.') || NOT_PACKAGES.contains(&name.as_str()) {
            continue;
        }
        let sub = crate::model::package::rel_join(dir, &name);
        out.extend(manifests(source, &sub, depth - 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::{error, krate, load};

    const BINDING_DEPS: &str = "publish = false\n[dependencies]\nsafebind = { path = \"../../core\", version = \"0.7.0\" }\n";

    /// Shape C: no root manifest, `core/` and `bindings/python/`, released
    /// as one package whose group holds the binding; `config` is the text of
    /// xtask-release.toml.
    fn no_root(config: &str) -> Vec<(&'static str, String)> {
        vec![
            ("xtask-release.toml", config.to_string()),
            ("core/Cargo.toml", krate("safebind", "0.7.0", "")),
            (
                "bindings/python/Cargo.toml",
                krate("safebind-py", "0.7.0", BINDING_DEPS),
            ),
            (
                "bindings/python/pyproject.toml",
                "[project]\nname = \"safebind\"\ndynamic = [\"version\"]\n".into(),
            ),
        ]
    }

    fn texts<'a>(files: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
        files.iter().map(|(p, t)| (*p, t.as_str())).collect()
    }

    const GROUPED: &str = "[[package]]\nname = \"safebind\"\nmanifest = \"./core/Cargo.toml\"\ncrates = [\"bindings/python/Cargo.toml\"]\n";

    #[test]
    fn packages_outside_a_workspace_are_members_with_their_own_cargo_root() {
        let files = no_root(GROUPED);
        let ws = load(&texts(&files));
        let members: Vec<(&str, &str, &str)> = ws
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.dir.as_str(), m.cargo_root.as_str()))
            .collect();
        assert_eq!(
            members,
            [
                ("safebind", "core", "core"),
                ("safebind-py", "bindings/python", "bindings/python")
            ]
        );
        let package = &ws.packages[0];
        assert_eq!(package.manifest, "core/Cargo.toml");
        assert_eq!(package.crates, ["safebind-py"]);
        assert_eq!(package.paths, ["core", "bindings/python"]);
        assert_eq!(package.tag.template, "v{version}");
        assert_eq!(
            package.group_pyprojects,
            [(
                "safebind-py".to_string(),
                "bindings/python/pyproject.toml".to_string()
            )]
        );
        let pins: Vec<&str> = ws
            .pins("safebind")
            .map(|(m, _, _)| m.manifest.as_str())
            .collect();
        assert_eq!(pins, ["bindings/python/Cargo.toml"]);
        assert_eq!(ws.files.get("Cargo.toml"), None);
    }

    #[test]
    fn cargo_runs_in_each_packages_workspace_locked_where_its_lock_is_tracked() {
        let config = "[[package]]\nname = \"safebind\"\nmanifest = \"core/Cargo.toml\"\ncrates = [\"bindings/python/Cargo.toml\", \"macros/Cargo.toml\"]\n";
        let mut files = no_root(config);
        files.push(("macros/Cargo.toml", krate("safebind-macros", "0.7.0", "")));
        files.push(("core/Cargo.lock", "version = 4\n".into()));
        files.push(("macros/Cargo.lock", "version = 4\n".into()));
        files.push(("bindings/python/Cargo.lock", "version = 4\n".into()));
        let texts = texts(&files);
        let ws = crate::model::workspace::Workspace::from_texts_ignoring(
            &texts,
            None,
            &["macros/Cargo.lock"],
        )
        .unwrap();
        let roots = ws.cargo_roots(&[&ws.packages[0]]);
        let shown: Vec<(&str, Vec<String>, Vec<String>)> = roots
            .iter()
            .map(|r| (r.dir.as_str(), r.locked_arg(), r.manifest_arg()))
            .collect();
        // The binding (publish = false) is maturin's to build, not cargo's.
        assert_eq!(
            shown,
            [
                (
                    "core",
                    vec!["--locked".to_string()],
                    vec!["--manifest-path".to_string(), "core/Cargo.toml".to_string()]
                ),
                (
                    "macros",
                    vec![],
                    vec![
                        "--manifest-path".to_string(),
                        "macros/Cargo.toml".to_string()
                    ]
                ),
            ]
        );
        assert!(
            crate::model::locks::CargoRoot::here()
                .manifest_arg()
                .is_empty()
        );
    }

    #[test]
    fn a_standalone_python_package_is_a_package_of_its_own() {
        let config = "[[package]]\nname = \"safebind\"\nmanifest = \"core/Cargo.toml\"\n\n[[package]]\nname = \"safebind-py\"\nmanifest = \"bindings/python/Cargo.toml\"\n";
        let files = no_root(config);
        let ws = load(&texts(&files));
        let shown: Vec<(&str, &str, &str)> = ws
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.flag.as_str(), p.tag.template.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("safebind", "rust", "v{version}"),
                ("safebind-py", "py", "py-v{version}")
            ]
        );
        assert_eq!(ws.packages[1].paths, ["bindings/python", "core"]);
    }

    #[test]
    fn a_root_workspace_and_a_package_beside_it() {
        let root = "[workspace]\nmembers = [\"core\"]\n\n[[workspace.metadata.xtask-release.package]]\nname = \"safebind\"\n\n[[workspace.metadata.xtask-release.package]]\nname = \"safebind-py\"\nmanifest = \"bindings/python/Cargo.toml\"\n";
        let mut files = no_root("");
        files[0] = ("Cargo.toml", root.to_string());
        let ws = load(&texts(&files));
        let roots: Vec<&str> = ws.members.iter().map(|m| m.cargo_root.as_str()).collect();
        assert_eq!(roots, [".", "bindings/python"]);
    }

    #[test]
    fn what_cannot_be_read_outside_a_workspace_is_named() {
        let rows = [
            (
                "",
                "xtask-release.toml: no `[[package]]`: with no Cargo.toml at the root, name each package to release and its manifest, e.g. [[package]] name = \"my-crate\" manifest = \"my-crate/Cargo.toml\"",
            ),
            (
                "[[package]]\nname = \"safebind\"\n",
                "xtask-release.toml package #1 (`safebind`): `safebind` is not a package of this workspace: there is no root Cargo.toml; a package outside it is named by its manifest: manifest = \"path/to/Cargo.toml\"",
            ),
            (
                "[[package]]\nname = \"safebind\"\nmanifest = \"core\"\n",
                "xtask-release.toml package #1 (`safebind`): `manifest` entry `core` is not the path of a Cargo.toml: write it as folder/Cargo.toml",
            ),
            (
                "[[package]]\nname = \"safebind\"\nmanifest = \"lib/Cargo.toml\"\n",
                "xtask-release.toml package #1 (`safebind`): `manifest` entry `lib/Cargo.toml`: cannot read lib/Cargo.toml: no such file",
            ),
            (
                "[[package]]\nname = \"safebind\"\nmanifest = \"core/Cargo.toml\"\ncrates = [\"bindings/python/Cargo.toml\", \"again/Cargo.toml\"]\n",
                "xtask-release.toml package #1 (`safebind`): `crates` entry `again/Cargo.toml` is the package `safebind-py`, and so is bindings/python/Cargo.toml: two packages of one name cannot be told apart: rename one of them",
            ),
            (
                "[[package]]\nname = \"safebind\"\nmanifest = \"inherits/Cargo.toml\"\n",
                "xtask-release.toml package #1 (`safebind`): `manifest` entry `inherits/Cargo.toml`: inherits/Cargo.toml: `version.workspace = true` in a package outside the root workspace: give it its own `version = \"…\"`",
            ),
        ];
        for (config, message) in rows {
            let mut files = no_root(config);
            files.push(("again/Cargo.toml", krate("safebind-py", "0.7.0", "")));
            files.push((
                "inherits/Cargo.toml",
                "[package]\nname = \"x\"\nversion.workspace = true\n".into(),
            ));
            assert_eq!(error(&texts(&files)), message, "{config}");
        }
    }

    #[test]
    fn a_crates_entry_is_a_manifest_or_a_name() {
        for (entry, path) in [
            ("bindings/python/Cargo.toml", true),
            ("Cargo.toml", true),
            ("safebind-*", false),
            ("safebind", false),
            ("bindings/python", false),
            ("MyCargo.toml", false),
        ] {
            assert_eq!(is_manifest_path(entry), path, "{entry}");
        }
        assert_eq!(normalized("./core/Cargo.toml"), "core/Cargo.toml");
        assert_eq!(normalized(".\\core\\Cargo.toml"), "core/Cargo.toml");
    }

    #[test]
    fn without_a_root_manifest_the_message_shows_the_configuration_to_write() {
        let source = Source::memory(
            [
                ("core/Cargo.toml", "[package]\nname = \"safebind\"\n"),
                (
                    "bindings/python/Cargo.toml",
                    "[package]\nname = \"safebind-py\"\n",
                ),
                (
                    "bindings/python/target/x/Cargo.toml",
                    "[package]\nname = \"no\"\n",
                ),
                (".github/Cargo.toml", "[package]\nname = \"no\"\n"),
                ("a/b/c/d/Cargo.toml", "[package]\nname = \"deep\"\n"),
                ("README.md", ""),
            ]
            .map(|(p, t)| (p.to_string(), t.to_string())),
        );
        assert_eq!(
            no_configuration(&source, "/r"),
            "/r has no Cargo.toml and no xtask-release.toml: write xtask-release.toml at the repository root with a [[package]] entry naming the manifest of each package to release (`cargo xtask init --write` proposes one; or pass --config FILE), e.g.\n\n[[package]]\nname = \"safebind-py\"\nmanifest = \"bindings/python/Cargo.toml\"\n\n[[package]]\nname = \"safebind\"\nmanifest = \"core/Cargo.toml\""
        );
        let empty = Source::memory([("README.md".to_string(), String::new())]);
        assert_eq!(
            no_configuration(&empty, "/r"),
            "/r holds no Cargo.toml: pass --root with the work tree of a repository of Cargo packages"
        );
    }
}
