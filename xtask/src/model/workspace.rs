//! One model of the workspace: manifests, `pyproject.toml`, `Cargo.lock`,
//! mentions and tags, read once from its source (the disk, or texts in
//! memory). Everything after this is pure.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use semver::Version;
use toml_edit::Document;

use crate::changelog::Series;
use crate::model::config::Config;
use crate::model::package::{LOCK, Member, Package, ROOT_MANIFEST};
use crate::model::source::{Files, Source};
use crate::model::{config_paths, config_place, defaults, members};
use crate::text::lockfile;
use crate::text::manifest::DepRef;
use crate::text::toml::{self, StrValue};

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub members: Vec<Member>,
    pub packages: Vec<Package>,
    /// `Cargo.lock`, when the repository has one.
    pub lock: Option<String>,
    /// Where `[workspace.package] version` is written, if it is.
    #[cfg_attr(
        not(test),
        allow(dead_code, reason = "read by the tests; members inherit it")
    )]
    pub workspace_version: Option<Version>,
    /// Its line in the root manifest (0 when there is none).
    pub workspace_version_line: usize,
    pub files: Files,
    /// The `--config` file the configuration came from, if any.
    pub config_file: Option<PathBuf>,
    /// Where the files were read, to read a planned tree over them.
    source: Source,
}

impl Workspace {
    /// Reads the workspace at `root`, with the configuration from `config_file`
    /// (relative to the current folder) or from the root manifest.
    pub fn load(root: &Path, config_file: Option<&Path>) -> Result<Workspace> {
        Workspace::load_from(root, config_file, Source::disk(root))
    }

    /// The same workspace with `texts` (path relative to the root → content)
    /// in place of those it was read from: the model of a planned tree, read
    /// without writing anything.
    pub fn with_texts(
        &self,
        texts: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Workspace> {
        let source = self.source.with_texts(texts);
        Workspace::load_from(&self.root, self.config_file.as_deref(), source)
    }

    /// The workspace of `texts` alone (path relative to the root → content),
    /// with the configuration from the text named `config_file`, if given.
    #[cfg(test)]
    pub fn from_texts(texts: &[(&str, &str)], config_file: Option<&str>) -> Result<Workspace> {
        let texts = texts.iter().map(|(p, t)| (p.to_string(), t.to_string()));
        Workspace::load_from(
            Path::new("."),
            config_file.map(Path::new),
            Source::memory(texts),
        )
    }

    /// Reads the workspace at `root` from `source`.
    fn load_from(root: &Path, config_file: Option<&Path>, source: Source) -> Result<Workspace> {
        let mut files = Files::default();
        let root_text = files
            .read(&source, ROOT_MANIFEST)
            .with_context(|| {
                format!(
                    "{} is not a Cargo project: pass --root with the folder that holds Cargo.toml",
                    root.display()
                )
            })?
            .to_string();
        let root_doc = toml::parse(ROOT_MANIFEST, &root_text)?;
        if root_doc.get("package").is_none() && root_doc.get("workspace").is_none() {
            bail!(
                "{ROOT_MANIFEST}: neither `[package]` nor `[workspace]`: add the one cargo needs, or pass --root with the folder of your workspace"
            );
        }
        let config = config_place::read(&source, config_file, Some(&root_doc))?;
        let (workspace_version, workspace_version_line) =
            match workspace_version(&root_text, &root_doc)? {
                Some((version, line)) => (Some(version), line),
                None => (None, 0),
            };
        // Every path the configuration names, judged before any is read; a
        // member outside the repository is reported with them.
        let refused = config_paths::refused(&source, &config);
        let members = members::read(
            &mut files,
            &source,
            &root_text,
            &root_doc,
            workspace_version.as_ref(),
        );
        let members = match members {
            Ok(members) if refused.is_empty() => members,
            Err(err) if refused.is_empty() => return Err(err),
            members => {
                let mut all = refused;
                all.extend(members.err().map(|e| format!("{e:#}")));
                bail!("{}", all.join("\n"))
            }
        };
        let lock = if source.is_file(LOCK) {
            Some(files.read(&source, LOCK)?.to_string())
        } else {
            None
        };
        let packages = defaults::resolve_packages(&source, &config, &members, &mut files)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            config,
            members,
            packages,
            lock,
            workspace_version,
            workspace_version_line,
            files,
            config_file: config_file.map(Path::to_path_buf),
            source,
        })
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
    }

    /// The tag series `package`'s changelog is read for: its own, and every
    /// other package's (a heading named by their tag is their release).
    pub fn series(&self, package: &Package) -> Series {
        Series {
            own: Some(package.tag.clone()),
            others: self
                .packages
                .iter()
                .filter(|p| p.name != package.name)
                .map(|p| p.tag.clone())
                .collect(),
        }
    }

    /// The repository URL links about `package` point into: the one its
    /// changelog's own links use (`…/compare/…`, `…/tree/…`), else the
    /// manifest's `repository`.
    pub fn link_base(&self, package: &Package) -> Option<String> {
        let from_changelog = package.changelog.as_ref().and_then(|path| {
            let cl = crate::changelog::parse_in(path, self.files.get(path)?, &self.series(package));
            crate::changelog::repository_in(&cl.ok()?).map(String::from)
        });
        from_changelog.or_else(|| package.repository.clone())
    }

    /// The package whose tag series `tag` belongs to, and the version it names.
    pub fn package_of_tag(&self, tag: &str) -> Result<(&Package, Version)> {
        self.packages
            .iter()
            .find_map(|p| p.tag.parse(tag).map(|v| (p, v)))
            .with_context(|| {
                let series: Vec<String> = self
                    .packages
                    .iter()
                    .map(|p| format!("{} ({})", p.tag.template, p.name))
                    .collect();
                format!(
                    "`{tag}` is not a tag of a configured series: the series are {}",
                    series.join(", ")
                )
            })
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Every version requirement on the package `name`: the member whose
    /// manifest holds it (nameless for `[workspace.dependencies]`), the
    /// dependency entry, and the requirement. Path-only entries have none.
    pub fn pins<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (&'a Member, &'a DepRef, &'a StrValue)> + 'a {
        self.members.iter().flat_map(move |member| {
            member
                .deps
                .iter()
                .filter(move |d| d.package == name)
                .filter_map(move |d| d.req.as_ref().map(|req| (member, d, req)))
        })
    }

    /// Lock entries of workspace members, by name.
    pub fn lock_entries(&self) -> Vec<lockfile::LockEntry> {
        self.lock
            .as_deref()
            .map(lockfile::entries)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| !e.has_source)
            .collect()
    }
}

/// `[workspace.package] version`, which members may inherit, and its line.
fn workspace_version(
    root_text: &str,
    root_doc: &Document<String>,
) -> Result<Option<(Version, usize)>> {
    let Some(v) = toml::get_str(
        ROOT_MANIFEST,
        root_text,
        root_doc,
        &["workspace", "package", "version"],
    )?
    else {
        return Ok(None);
    };
    let version = Version::parse(&v.value).map_err(|e| {
        anyhow::anyhow!(
            "{ROOT_MANIFEST}:{}: `workspace.package.version = \"{}\"` is not SemVer: {e}",
            v.line,
            v.value
        )
    })?;
    Ok(Some((version, v.line)))
}

#[cfg(test)]
pub mod test_texts {
    //! Small workspaces written as texts, for the model's unit tests.

    use super::Workspace;

    /// `[package]` of `name` at `version`, then `extra` lines.
    pub fn krate(name: &str, version: &str, extra: &str) -> String {
        format!("[package]\nname = \"{name}\"\nversion = \"{version}\"\n{extra}")
    }

    pub fn load(files: &[(&str, &str)]) -> Workspace {
        Workspace::from_texts(files, None).unwrap_or_else(|e| panic!("{e:#}"))
    }

    /// The workspace of `files` with `edits` applied, each `(file, from, to)`
    /// replacing the first `from` in `file` by `to`.
    pub fn replaced(files: &[(&str, &str)], edits: &[(&str, &str, &str)]) -> Workspace {
        let mut files: Vec<(&str, String)> =
            files.iter().map(|(p, t)| (*p, t.to_string())).collect();
        for (file, from, to) in edits {
            let text = &mut files
                .iter_mut()
                .find(|(f, _)| f == file)
                .expect("a fixture file")
                .1;
            assert!(text.contains(from), "{file} lacks {from}");
            *text = text.replacen(from, to, 1);
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        load(&files)
    }

    /// The error loading `files` gives, with its causes.
    pub fn error(files: &[(&str, &str)]) -> String {
        format!("{:#}", Workspace::from_texts(files, None).unwrap_err())
    }
}

#[cfg(test)]
mod tests {
    use super::test_texts::{error, krate, load};
    use super::*;

    /// Files by path relative to the root.
    type Texts<'a> = Vec<(&'a str, &'a str)>;

    const VIRTUAL: &str = "[workspace]\nmembers = [\"crates/*\"]\n";

    fn names(ws: &Workspace) -> Vec<&str> {
        ws.members.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn member_folders() {
        let a = krate("a", "1.0.0", "");
        let b = krate("b", "1.0.0", "");
        let root = krate(
            "root",
            "1.0.0",
            "[workspace]\nmembers = [\"b\", \"crates/*\"]\n",
        );
        let rows: [(&str, Texts, &[&str]); 5] = [
            ("a root package alone", vec![("Cargo.toml", &a)], &["a"]),
            (
                "a glob, sorted, folders without a manifest left out",
                vec![
                    ("Cargo.toml", VIRTUAL),
                    ("crates/b/Cargo.toml", &b),
                    ("crates/a/Cargo.toml", &a),
                    ("crates/notes/README.md", ""),
                ],
                &["a", "b"],
            ),
            (
                "the root package first, then members in their order",
                vec![
                    ("Cargo.toml", &root),
                    ("b/Cargo.toml", &b),
                    ("crates/a/Cargo.toml", &a),
                ],
                &["root", "b", "a"],
            ),
            (
                "`exclude` removes a member",
                vec![
                    (
                        "Cargo.toml",
                        "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/b\"]\n",
                    ),
                    ("crates/a/Cargo.toml", &a),
                    ("crates/b/Cargo.toml", &b),
                ],
                &["a"],
            ),
            (
                "a prefix and suffix around `*`",
                vec![
                    ("Cargo.toml", "[workspace]\nmembers = [\"x-*-rs\"]\n"),
                    ("x-a-rs/Cargo.toml", &a),
                    ("x-b/Cargo.toml", &b),
                ],
                &["a"],
            ),
        ];
        for (what, files, expected) in rows {
            assert_eq!(names(&load(&files)), expected, "{what}");
        }
    }

    #[test]
    fn member_facts() {
        let ws = load(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\"]\n[workspace.package]\nversion = \"2.0.0\"\nrepository = \"https://example.com/ws.git\"\n",
            ),
            (
                "crates/a/Cargo.toml",
                "[package]\nname = \"a\"\nversion.workspace = true\n",
            ),
            (
                "crates/b/Cargo.toml",
                &krate(
                    "b",
                    "0.3.0",
                    "publish = false\nrepository = \"https://example.com/b/\"\n[dependencies]\na = { path = \"../a\", version = \"2.0.0\" }\n",
                ),
            ),
        ]);
        let a = ws.member("a").unwrap();
        let b = ws.member("b").unwrap();
        assert_eq!(ws.workspace_version, Some(Version::new(2, 0, 0)));
        assert_eq!(ws.workspace_version_line, 4);
        assert_eq!(
            (a.version.to_string(), a.version_line, a.inherited),
            ("2.0.0".into(), 0, true)
        );
        assert_eq!(
            (b.version.to_string(), b.version_line, b.inherited),
            ("0.3.0".into(), 3, false)
        );
        assert_eq!((a.publish, b.publish), (true, false));
        assert_eq!(a.repository.as_deref(), Some("https://example.com/ws"));
        assert_eq!(b.repository.as_deref(), Some("https://example.com/b"));
        assert_eq!(
            (a.dir.as_str(), a.manifest.as_str()),
            ("crates/a", "crates/a/Cargo.toml")
        );
        let deps: Vec<(&str, Option<&str>)> = b
            .deps
            .iter()
            .map(|d| (d.package.as_str(), d.req.as_ref().map(|r| r.value.as_str())))
            .collect();
        assert_eq!(deps, [("a", Some("2.0.0"))]);
    }

    #[test]
    fn workspace_dependencies_of_a_virtual_root_are_a_nameless_member() {
        let a = krate("a", "1.0.0", "");
        let with = "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\na = { path = \"crates/a\", version = \"1.0.0\" }\n";
        let ws = load(&[("Cargo.toml", with), ("crates/a/Cargo.toml", &a)]);
        assert_eq!(names(&ws), ["a", ""]);
        let pins = &ws.members[1];
        assert_eq!(
            (pins.manifest.as_str(), pins.publish),
            ("Cargo.toml", false)
        );
        assert_eq!(pins.deps[0].package, "a");
        let without = load(&[("Cargo.toml", VIRTUAL), ("crates/a/Cargo.toml", &a)]);
        assert_eq!(names(&without), ["a"]);
    }

    #[test]
    fn the_lock_is_read_when_there_is_one() {
        let a = krate("a", "1.0.0", "");
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n";
        let ws = load(&[("Cargo.toml", &a), ("Cargo.lock", lock)]);
        assert_eq!(ws.lock.as_deref(), Some(lock));
        assert_eq!(ws.lock_entries()[0].name, "a");
        assert_eq!(load(&[("Cargo.toml", &a)]).lock, None);
    }

    #[test]
    fn the_configuration_comes_from_the_root_manifest_or_a_file() {
        let metadata = "[package.metadata.xtask-release]\nbranch = \"trunk\"\n";
        let root = krate("a", "1.0.0", metadata);
        let ws = load(&[("Cargo.toml", &root)]);
        assert_eq!(ws.config.branch, "trunk");
        assert_eq!(
            ws.config.origin,
            "Cargo.toml [package.metadata.xtask-release]"
        );

        let virtual_root =
            "[workspace]\nmembers = [\"a\"]\n[workspace.metadata.xtask-release]\nremote = \"up\"\n";
        let a = krate("a", "1.0.0", "");
        let ws = load(&[("Cargo.toml", virtual_root), ("a/Cargo.toml", &a)]);
        assert_eq!(ws.config.remote, "up");

        let files = [
            ("Cargo.toml", root.as_str()),
            ("release.toml", "branch = \"stable\"\n"),
        ];
        let ws = Workspace::from_texts(&files, Some("release.toml")).unwrap();
        assert_eq!(ws.config.branch, "stable");
        assert_eq!(ws.config.origin, "release.toml");
        assert_eq!(ws.config_file.as_deref(), Some(Path::new("release.toml")));
        assert!(ws.files.get("release.toml").is_none());
    }

    #[test]
    fn what_cannot_load_is_named() {
        let a = krate("a", "1.0.0", "");
        let rows: [(Vec<(&str, &str)>, &str); 7] = [
            (
                vec![],
                ". is not a Cargo project: pass --root with the folder that holds Cargo.toml: cannot read Cargo.toml: no such file",
            ),
            (
                vec![("Cargo.toml", "[dependencies]\n")],
                "Cargo.toml: neither `[package]` nor `[workspace]`: add the one cargo needs, or pass --root with the folder of your workspace",
            ),
            (
                vec![("Cargo.toml", "[workspace]\nmembers = [\n  \"gone\",\n]\n")],
                "Cargo.toml:3: workspace member `gone` has no gone/Cargo.toml: restore it, or remove `gone` from `[workspace] members`",
            ),
            (
                vec![("Cargo.toml", "[package]\nversion = \"1.0.0\"\n")],
                "Cargo.toml: no `[package] name`: a workspace member must be a package",
            ),
            (
                vec![("Cargo.toml", "[package]\nname = \"a\"\nversion = \"1.0\"\n")],
                "Cargo.toml:3: version \"1.0\" is not SemVer (unexpected end of input while parsing minor version number): write it as MAJOR.MINOR.PATCH",
            ),
            (
                vec![
                    ("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n"),
                    (
                        "a/Cargo.toml",
                        "[package]\nname = \"a\"\nversion.workspace = true\n",
                    ),
                ],
                "a/Cargo.toml: `version.workspace = true` but Cargo.toml has no `[workspace.package] version`",
            ),
            (
                vec![
                    (
                        "Cargo.toml",
                        "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nversion = \"x\"\n",
                    ),
                    ("a/Cargo.toml", &a),
                ],
                "Cargo.toml:4: `workspace.package.version = \"x\"` is not SemVer: unexpected character 'x' while parsing major version number",
            ),
        ];
        for (files, message) in rows {
            assert_eq!(error(&files), message);
        }
    }

    #[test]
    fn planned_texts_load_over_the_source() {
        let ws = load(&[("Cargo.toml", &krate("a", "1.0.0", ""))]);
        let planned = ws
            .with_texts([("Cargo.toml".to_string(), krate("a", "1.1.0", ""))])
            .unwrap();
        assert_eq!(planned.members[0].version, Version::new(1, 1, 0));
        assert_eq!(ws.members[0].version, Version::new(1, 0, 0));
    }
}
