//! One model of the workspace: manifests, `pyproject.toml`, `Cargo.lock`,
//! mentions and tags, read once from its source (the disk, or texts in
//! memory). Everything after this is pure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use semver::Version;
use toml_edit::Document;

use crate::changelog::Series;
use crate::model::config::{Config, Mention};
use crate::model::locks::{self, CargoRoot, Ignored, LockFile, LockState};
use crate::model::package::{Member, Package, ROOT_MANIFEST};
use crate::model::source::{Files, Source};
use crate::model::{config_paths, config_place, defaults, members, standalone};
use crate::text::manifest::DepRef;
use crate::text::toml::{self, StrValue};

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub members: Vec<Member>,
    pub packages: Vec<Package>,
    /// The lock of each Cargo workspace: the root's, each standalone package's.
    pub locks: Vec<LockFile>,
    /// The locks git ignores, kept for the model of a planned tree.
    ignored: Vec<String>,
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
    /// Each member's place in `members`, by name (the first of a name).
    by_name: BTreeMap<String, usize>,
    /// The requirements on each package: `(member, dependency)` places, in
    /// member order, by the package they name.
    pins_on: BTreeMap<String, Vec<(usize, usize)>>,
}

impl Workspace {
    /// Reads the workspace at `root`, with the configuration from `config_file`
    /// (relative to the current folder) or from the root; `ignored` tells
    /// which lock files git ignores.
    pub fn load(root: &Path, config_file: Option<&Path>, ignored: Ignored) -> Result<Workspace> {
        Workspace::load_from(root, config_file, Source::disk(root), ignored)
    }

    /// The same workspace with `texts` (path relative to the root → content)
    /// in place of those it was read from: the model of a planned tree, read
    /// without writing anything.
    pub fn with_texts(
        &self,
        texts: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Workspace> {
        let source = self.source.with_texts(texts);
        let known = &self.ignored;
        let ignored = |paths: &[String]| {
            Ok(paths
                .iter()
                .filter(|p| known.contains(p))
                .cloned()
                .collect())
        };
        Workspace::load_from(&self.root, self.config_file.as_deref(), source, &ignored)
    }

    /// The workspace at `root` read with `texts` (path relative to the
    /// root → content) in place of its files: a configuration not written
    /// yet, judged as it would be read.
    pub fn load_over(
        root: &Path,
        texts: impl IntoIterator<Item = (String, String)>,
        ignored: Ignored,
    ) -> Result<Workspace> {
        Workspace::load_from(root, None, Source::disk(root).with_texts(texts), ignored)
    }

    /// The workspace of `texts` alone (path relative to the root → content),
    /// with the configuration from the text named `config_file`, if given.
    #[cfg(test)]
    pub fn from_texts(texts: &[(&str, &str)], config_file: Option<&str>) -> Result<Workspace> {
        Workspace::from_texts_ignoring(texts, config_file, &[])
    }

    /// `from_texts`, with the lock files `ignored` ignored by git.
    #[cfg(test)]
    pub fn from_texts_ignoring(
        texts: &[(&str, &str)],
        config_file: Option<&str>,
        ignored: &[&str],
    ) -> Result<Workspace> {
        let texts = texts.iter().map(|(p, t)| (p.to_string(), t.to_string()));
        let ignored = |paths: &[String]| {
            Ok(paths
                .iter()
                .filter(|p| ignored.contains(&p.as_str()))
                .cloned()
                .collect())
        };
        Workspace::load_from(
            Path::new("."),
            config_file.map(Path::new),
            Source::memory(texts),
            &ignored,
        )
    }

    /// Reads the workspace at `root` from `source`.
    fn load_from(
        root: &Path,
        config_file: Option<&Path>,
        source: Source,
        ignored: Ignored,
    ) -> Result<Workspace> {
        let mut files = Files::default();
        let root_manifest = root_manifest(&mut files, &source)?;
        let root_doc = root_manifest.as_ref().map(|(_, doc)| doc);
        let config = config_place::read(&source, config_file, root_doc)?;
        // Every path the configuration names, judged before any is read; a
        // member outside the repository is reported with them.
        let refused = config_paths::refused(&source, &config);
        let found = match &root_manifest {
            Some((text, doc)) => root_members(&mut files, &source, text, doc),
            None => no_root_manifest(&source, root, config_file, &config)
                .map(|()| (Vec::new(), None, 0)),
        };
        let (mut members, workspace_version, workspace_version_line) = match found {
            Ok(found) if refused.is_empty() => found,
            Err(err) if refused.is_empty() => return Err(err),
            found => {
                let mut all = refused;
                all.extend(found.err().map(|e| format!("{e:#}")));
                bail!(
                    "{}",
                    all.join(
                        "
"
                    )
                )
            }
        };
        let outside = standalone::read(&mut files, &source, &config, &members)?;
        members.extend(outside);
        let locks = locks::read(&mut files, &source, &members, ignored)?;
        let packages = defaults::resolve_packages(&source, &config, &members, &mut files)?;
        let (by_name, pins_on) = index(&members);
        Ok(Workspace {
            root: root.to_path_buf(),
            config,
            members,
            packages,
            ignored: locks
                .iter()
                .filter(|l| l.state == LockState::Ignored)
                .map(|l| l.path.clone())
                .collect(),
            locks,
            workspace_version,
            workspace_version_line,
            files,
            config_file: config_file.map(Path::to_path_buf),
            source,
            by_name,
            pins_on,
        })
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
    }

    /// The tag series `package`'s changelog is read for: its own and its
    /// earlier ones, and every other package's (a heading named by their
    /// tag is their release).
    pub fn series(&self, package: &Package) -> Series {
        Series {
            own: Some(package.tag.clone()),
            earlier: package.previous_tags.clone(),
            others: self
                .packages
                .iter()
                .filter(|p| p.name != package.name)
                .flat_map(|p| std::iter::once(&p.tag).chain(&p.previous_tags))
                .cloned()
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

    /// Whether `mention` is skipped here: optional, and its file absent.
    pub fn skipped(&self, mention: &Mention) -> bool {
        mention.optional && self.files.is_absent(&mention.file)
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.by_name.get(name).map(|&i| &self.members[i])
    }

    /// Every version requirement on the package `name`: the member whose
    /// manifest holds it (nameless for `[workspace.dependencies]`), the
    /// dependency entry, and the requirement. Path-only entries have none.
    pub fn pins<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = (&'a Member, &'a DepRef, &'a StrValue)> + 'a {
        let places = self.pins_on.get(name).map_or(&[][..], Vec::as_slice);
        places.iter().filter_map(move |&(m, d)| {
            let (member, dep) = (&self.members[m], &self.members[m].deps[d]);
            dep.req.as_ref().map(|req| (member, dep, req))
        })
    }

    /// Where cargo runs for `packages`: the workspace of each, and of each
    /// publishable crate of its group (a binding that is no crate is built by
    /// maturin, not cargo).
    pub fn cargo_roots(&self, packages: &[&Package]) -> Vec<CargoRoot> {
        let members = packages.iter().flat_map(|p| {
            let own = self.member(&p.name);
            let group = p
                .crates
                .iter()
                .filter_map(|n| self.member(n))
                .filter(|m| m.publish);
            own.into_iter().chain(group)
        });
        locks::cargo_roots(members, &self.locks)
    }

    /// The lock of the Cargo workspace whose folder is `dir` (a member's `cargo_root`).
    pub fn lock_in(&self, dir: &str) -> Option<&LockFile> {
        self.locks.iter().find(|l| l.dir == dir)
    }
}

/// The members by name, and the requirements on each package: read once,
/// so a lookup costs the same in a workspace of 3,000 members as of three.
type Index = (
    BTreeMap<String, usize>,
    BTreeMap<String, Vec<(usize, usize)>>,
);

fn index(members: &[Member]) -> Index {
    let (mut by_name, mut pins_on) = (BTreeMap::new(), BTreeMap::new());
    for (m, member) in members.iter().enumerate() {
        by_name.entry(member.name.clone()).or_insert(m);
        for (d, dep) in member.deps.iter().enumerate() {
            let places: &mut Vec<(usize, usize)> = pins_on.entry(dep.package.clone()).or_default();
            places.push((m, d));
        }
    }
    (by_name, pins_on)
}

/// The root `Cargo.toml`, its text and document, when the repository has one.
fn root_manifest(files: &mut Files, source: &Source) -> Result<Option<(String, Document<String>)>> {
    if !source.is_file(ROOT_MANIFEST) {
        return Ok(None);
    }
    let text = files.read(source, ROOT_MANIFEST)?.to_string();
    let doc = toml::parse(ROOT_MANIFEST, &text)?;
    if doc.get("package").is_none() && doc.get("workspace").is_none() {
        bail!(
            "{ROOT_MANIFEST}: neither `[package]` nor `[workspace]`: add the one cargo needs, or pass --root with the work tree of your repository"
        );
    }
    Ok(Some((text, doc)))
}

/// The members of the root workspace, and the `[workspace.package]
/// version` they may inherit, with its line (0 when there is none).
fn root_members(
    files: &mut Files,
    source: &Source,
    text: &str,
    doc: &Document<String>,
) -> Result<(Vec<Member>, Option<Version>, usize)> {
    let (version, line) = match workspace_version(text, doc)? {
        Some((version, line)) => (Some(version), line),
        None => (None, 0),
    };
    let members = members::read(files, source, text, doc, version.as_ref())?;
    Ok((members, version, line))
}

/// A repository without a root `Cargo.toml` is read from its configuration
/// alone: it must name its packages' manifests.
fn no_root_manifest(
    source: &Source,
    root: &Path,
    config_file: Option<&Path>,
    config: &Config,
) -> Result<()> {
    let configured = config_file.is_some() || source.is_file(config_place::FILE);
    if !configured {
        bail!(
            "{}",
            standalone::no_configuration(source, &root.display().to_string())
        );
    }
    if config.packages.is_empty() {
        bail!(
            "{}: no `[[package]]`: with no {ROOT_MANIFEST} at the root, name each package to release and its manifest, e.g. [[package]] name = \"my-crate\" manifest = \"my-crate/Cargo.toml\"",
            config.origin
        );
    }
    Ok(())
}

/// `[workspace.package] version`, which members may inherit, and its line.
pub fn workspace_version(
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
        assert_eq!(ws.locks.len(), 1);
        assert_eq!(
            (ws.locks[0].path.as_str(), ws.locks[0].state),
            ("Cargo.lock", LockState::Live)
        );
        assert_eq!(ws.files.get("Cargo.lock"), Some(lock));
        assert_eq!(ws.locks[0].entries(&ws.files)[0].name, "a");
        let without = load(&[("Cargo.toml", &a)]);
        assert_eq!(without.locks[0].state, LockState::Absent);
        let files = [("Cargo.toml", a.as_str()), ("Cargo.lock", lock)];
        let ignored = Workspace::from_texts_ignoring(&files, None, &["Cargo.lock"]).unwrap();
        assert_eq!(ignored.locks[0].state, LockState::Ignored);
        assert!(ignored.locks[0].entries(&ignored.files).is_empty());
        assert_eq!(ignored.files.get("Cargo.lock"), None);
        // A planned tree keeps what git ignores.
        let planned = ignored
            .with_texts([("Cargo.lock".to_string(), lock.to_string())])
            .unwrap();
        assert_eq!(planned.locks[0].state, LockState::Ignored);
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
                ". holds no Cargo.toml: pass --root with the work tree of a repository of Cargo packages",
            ),
            (
                vec![("Cargo.toml", "[dependencies]\n")],
                "Cargo.toml: neither `[package]` nor `[workspace]`: add the one cargo needs, or pass --root with the work tree of your repository",
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
