//! One model of the workspace: manifests, `pyproject.toml`, `Cargo.lock`,
//! mentions and tags, read from disk once. Everything after this is pure.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use semver::Version;

use crate::config::{self, Config, Mention};
use crate::edit::manifest::{self, DepRef, PackageVersion};
use crate::edit::{lockfile, toml};
pub use crate::source::Files;
use crate::source::Source;
use crate::tags::TagTemplate;

#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    /// Manifest path relative to the root, e.g. `edgequake-llm/Cargo.toml`.
    pub manifest: String,
    /// The folder, relative to the root (`.` for a root package).
    pub dir: String,
    pub version: Version,
    pub version_line: usize,
    /// `version.workspace = true`.
    pub inherited: bool,
    pub publish: bool,
    /// `[package] repository` (or the workspace's), without a trailing `/` or `.git`.
    pub repository: Option<String>,
    pub deps: Vec<DepRef>,
}

/// A package this configuration releases.
#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    pub flag: String,
    pub manifest: String,
    pub version: Version,
    pub tag: TagTemplate,
    pub changelog: Option<String>,
    pub pyproject: Option<String>,
    pub paths: Vec<String>,
    pub mentions: Vec<Mention>,
    pub repository: Option<String>,
    /// Where its configuration was read (or that it has none), for messages.
    pub origin: String,
}

impl Package {
    /// The form of the version users see: PEP 440 for a Python package.
    pub fn display(&self, version: &Version) -> Result<String> {
        if self.pyproject.is_some() {
            crate::version::to_pep440(version)
        } else {
            Ok(version.to_string())
        }
    }
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub members: Vec<Member>,
    pub packages: Vec<Package>,
    /// `Cargo.lock`, when the repository has one.
    pub lock: Option<String>,
    /// Where `[workspace.package] version` is written, if it is.
    pub workspace_version: Option<Version>,
    pub files: Files,
    /// The `--config` file the configuration came from, if any.
    pub config_file: Option<PathBuf>,
    /// Where the files were read, to read a planned tree over them.
    source: Source,
}

pub const ROOT_MANIFEST: &str = "Cargo.toml";
pub const LOCK: &str = "Cargo.lock";

fn rel_join(dir: &str, file: &str) -> String {
    if dir == "." || dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// Member folders named by `members` patterns; `*` matches one path segment.
fn expand_members(source: &Source, pattern: &str) -> Result<Vec<String>> {
    let pattern = pattern.trim_end_matches('/');
    let mut found = vec![String::new()];
    for segment in pattern.split('/') {
        let mut next = Vec::new();
        for base in &found {
            if segment.contains('*') {
                let (pre, post) = segment.split_once('*').expect("contains *");
                let names: Vec<String> = source
                    .subdirs(base)
                    .into_iter()
                    .filter(|n| {
                        n.starts_with(pre) && n.ends_with(post) && n.len() >= pre.len() + post.len()
                    })
                    .collect();
                next.extend(names.into_iter().map(|n| rel_join(base, &n)));
            } else {
                next.push(rel_join(base, segment));
            }
        }
        found = next;
    }
    Ok(found
        .into_iter()
        .filter(|d| source.is_file(&rel_join(d, ROOT_MANIFEST)))
        .collect())
}

/// A `members` entry with no manifest: where it is written, and the fix.
fn missing_member(root_text: &str, pattern: &str) -> String {
    let line = root_text
        .find(&format!("\"{pattern}\""))
        .map_or(0, |offset| toml::line_of(root_text, offset));
    let dir = pattern.trim_end_matches('/');
    format!(
        "{ROOT_MANIFEST}:{line}: workspace member `{pattern}` has no {dir}/{ROOT_MANIFEST}: restore it, or remove `{pattern}` from `[workspace] members`"
    )
}

impl Workspace {
    /// Reads the workspace at `root`, with the configuration from `config_file`
    /// (relative to the current folder) or from the root manifest.
    pub fn load(root: &Path, config_file: Option<&Path>) -> Result<Workspace> {
        Workspace::load_from(root, config_file, Source::disk(root))
    }

    /// The same workspace with `texts` (path relative to the root → content)
    /// in place of those files on disk: the model of a planned tree, read
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
        let root_text = files.read(&source, ROOT_MANIFEST).with_context(|| {
            format!(
                "{} is not a Cargo project: pass --root with the folder that holds Cargo.toml",
                root.display()
            )
        })?;
        let root_text = root_text.to_string();
        let root_doc = toml::parse(ROOT_MANIFEST, &root_text)?;
        if root_doc.get("package").is_none() && root_doc.get("workspace").is_none() {
            bail!(
                "{ROOT_MANIFEST}: neither `[package]` nor `[workspace]`: add the one cargo needs, or pass --root with the folder of your workspace"
            );
        }

        let config = match config_file {
            Some(file) => {
                let text = source.config(file)?;
                let origin = file.display().to_string();
                let doc = toml::parse(&origin, &text)?;
                config::from_table(Some(doc.as_item()), &origin)?
            }
            None => config::from_table(
                toml::get_item(root_doc.as_item(), &["workspace", "metadata", "release"]).or_else(
                    || toml::get_item(root_doc.as_item(), &["package", "metadata", "release"]),
                ),
                "Cargo.toml [workspace.metadata.release]",
            )?,
        };

        let workspace_version = match toml::get_str(
            ROOT_MANIFEST,
            &root_text,
            &root_doc,
            &["workspace", "package", "version"],
        )? {
            Some(v) => Some(Version::parse(&v.value).map_err(|e| {
                anyhow::anyhow!(
                    "{ROOT_MANIFEST}:{}: `workspace.package.version = \"{}\"` is not SemVer: {e}",
                    v.line,
                    v.value
                )
            })?),
            None => None,
        };

        let workspace_repository = toml::get_str(
            ROOT_MANIFEST,
            &root_text,
            &root_doc,
            &["workspace", "package", "repository"],
        )?
        .map(|r| r.value);

        // Member folders: the root package, then `[workspace] members` minus `exclude`.
        let mut dirs: Vec<String> = Vec::new();
        if root_doc.get("package").is_some() {
            dirs.push(".".into());
        }
        let list = |key: &str| -> Vec<String> {
            toml::get_value(root_doc.as_item(), &["workspace", key])
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let excluded = list("exclude");
        let mut missing = Vec::new();
        for pattern in list("members") {
            let found = expand_members(&source, &pattern)?;
            // Cargo refuses a workspace whose named member has no manifest.
            if found.is_empty() && !pattern.contains('*') && !excluded.contains(&pattern) {
                missing.push(missing_member(&root_text, &pattern));
            }
            for dir in found {
                if !dirs.contains(&dir) && !excluded.contains(&dir) {
                    dirs.push(dir);
                }
            }
        }
        if !missing.is_empty() {
            bail!("{}", missing.join("\n"));
        }

        let mut members = Vec::new();
        for dir in dirs {
            let manifest = rel_join(&dir, ROOT_MANIFEST);
            let text = files.read(&source, &manifest)?.to_string();
            let doc = toml::parse(&manifest, &text)?;
            let Some(name) = manifest::package_name(&manifest, &text, &doc)? else {
                bail!("{manifest}: no `[package] name`: a workspace member must be a package");
            };
            let (version, version_line, inherited) = match manifest::package_version(
                &manifest, &text, &doc,
            )? {
                PackageVersion::Own(v) => {
                    let parsed = Version::parse(&v.value).map_err(|e| {
                        anyhow::anyhow!("{manifest}:{}: version \"{}\" is not SemVer ({e}): write it as MAJOR.MINOR.PATCH", v.line, v.value)
                    })?;
                    (parsed, v.line, false)
                }
                PackageVersion::Inherited => match &workspace_version {
                    Some(v) => (v.clone(), 0, true),
                    None => bail!(
                        "{manifest}: `version.workspace = true` but {ROOT_MANIFEST} has no `[workspace.package] version`"
                    ),
                },
            };
            let publish = toml::get_value(doc.as_item(), &["package", "publish"])
                .and_then(|v| v.as_bool())
                != Some(false);
            let deps = manifest::dependencies(&manifest, &text, &doc)?;
            let repository = toml::get_str(&manifest, &text, &doc, &["package", "repository"])
                .ok()
                .flatten()
                .map(|r| r.value)
                .or_else(|| workspace_repository.clone())
                .map(|r| r.trim_end_matches('/').trim_end_matches(".git").to_string());
            members.push(Member {
                name,
                manifest,
                dir,
                version,
                version_line,
                inherited,
                publish,
                repository,
                deps,
            });
        }
        // `[workspace.dependencies]` of a virtual root are pins too.
        if root_doc.get("package").is_none() {
            let deps = manifest::dependencies(ROOT_MANIFEST, &root_text, &root_doc)?;
            if !deps.is_empty() {
                members.push(Member {
                    name: String::new(),
                    manifest: ROOT_MANIFEST.into(),
                    dir: ".".into(),
                    version: Version::new(0, 0, 0),
                    version_line: 0,
                    inherited: false,
                    publish: false,
                    repository: None,
                    deps,
                });
            }
        }

        let lock = if source.is_file(LOCK) {
            Some(files.read(&source, LOCK)?.to_string())
        } else {
            None
        };
        let packages = resolve_packages(&source, &config, &members, &mut files)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            config,
            members,
            packages,
            lock,
            workspace_version,
            files,
            config_file: config_file.map(Path::to_path_buf),
            source,
        })
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
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

fn resolve_packages(
    source: &Source,
    config: &Config,
    members: &[Member],
    files: &mut Files,
) -> Result<Vec<Package>> {
    let real: Vec<&Member> = members.iter().filter(|m| !m.name.is_empty()).collect();
    let configured: Vec<config::PackageConfig> = if config.packages.is_empty() {
        // Defaults: every publishable member, and every member with a pyproject.toml.
        real.iter()
            .filter(|m| m.publish || source.is_file(&rel_join(&m.dir, "pyproject.toml")))
            .map(|m| config::PackageConfig {
                name: m.name.clone(),
                origin: format!("{} (no entry for `{}`, defaults)", config.origin, m.name),
                ..Default::default()
            })
            .collect()
    } else {
        config.packages.clone()
    };

    let has_pyproject = |c: &config::PackageConfig, m: &Member| {
        c.pyproject.is_some() || source.is_file(&rel_join(&m.dir, "pyproject.toml"))
    };
    let mut rust_count = 0;
    let mut py_count = 0;
    for c in &configured {
        if let Some(m) = real.iter().find(|m| m.name == c.name) {
            if has_pyproject(c, m) {
                py_count += 1
            } else {
                rust_count += 1
            }
        }
    }

    let mut packages = Vec::new();
    for c in &configured {
        let Some(member) = real
            .iter()
            .find(|m| m.name == c.name || c.manifest.as_deref() == Some(m.manifest.as_str()))
        else {
            let names: Vec<&str> = real.iter().map(|m| m.name.as_str()).collect();
            bail!(
                "{}: `{}` is not a package of this workspace: the packages are {}",
                c.origin,
                c.name,
                names.join(", ")
            );
        };
        if let Some(manifest) = &c.manifest
            && manifest != &member.manifest
        {
            bail!(
                "{}: manifest `{manifest}` is not the manifest of `{}` ({})",
                c.origin,
                c.name,
                member.manifest
            );
        }
        let is_py = has_pyproject(c, member);
        let pyproject = match &c.pyproject {
            Some(p) => Some(p.clone()),
            None if is_py => Some(rel_join(&member.dir, "pyproject.toml")),
            None => None,
        };
        if let Some(p) = &pyproject {
            files
                .read(source, p)
                .with_context(|| format!("{}: pyproject `{p}`", c.origin))?;
        }
        let flag = c
            .flag
            .clone()
            .unwrap_or_else(|| match (is_py, py_count, rust_count) {
                (true, 1, _) => "py".into(),
                (false, _, 1) => "rust".into(),
                _ => member.name.clone(),
            });
        let tag = c.tag.clone().unwrap_or_else(|| match (is_py, rust_count) {
            (true, _) if py_count == 1 => "py-v{version}".into(),
            (false, 1) => "v{version}".into(),
            _ => format!("{}-v{{version}}", member.name),
        });
        let tag = TagTemplate::new(&tag).map_err(|e| anyhow::anyhow!("{}: {e}", c.origin))?;
        let changelog = match &c.changelog {
            Some(path) => Some(path.clone()),
            None => {
                let own = rel_join(&member.dir, "CHANGELOG.md");
                if source.is_file(&own) {
                    Some(own)
                } else if !is_py && rust_count == 1 && source.is_file("CHANGELOG.md") {
                    Some("CHANGELOG.md".into())
                } else {
                    None
                }
            }
        };
        if let Some(path) = &changelog {
            files
                .read(source, path)
                .with_context(|| format!("{}: changelog `{path}`", c.origin))?;
        }
        for mention in &c.mentions {
            files
                .read(source, &mention.file)
                .with_context(|| format!("{}: mention file `{}`", c.origin, mention.file))?;
        }
        let paths = c
            .paths
            .clone()
            .unwrap_or_else(|| default_paths(member, &real, &configured, is_py));
        packages.push(Package {
            name: member.name.clone(),
            flag,
            manifest: member.manifest.clone(),
            version: member.version.clone(),
            tag,
            changelog,
            pyproject,
            paths,
            mentions: c.mentions.clone(),
            repository: member.repository.clone(),
            origin: c.origin.clone(),
        });
    }
    // Flags that clash are reported by `validate`, with the other flag problems.
    Ok(packages)
}

/// A package's own folder, minus nested members; a binding also counts the
/// folders of the released crates it embeds through path dependencies.
fn default_paths(
    member: &Member,
    members: &[&Member],
    configured: &[config::PackageConfig],
    is_py: bool,
) -> Vec<String> {
    let mut paths = vec![member.dir.clone()];
    for other in members {
        let nested = other.dir != member.dir
            && (member.dir == "." || other.dir.starts_with(&format!("{}/", member.dir)));
        if nested {
            paths.push(format!(":(exclude){}", other.dir));
        }
    }
    if is_py {
        for dep in &member.deps {
            let released = configured.iter().any(|c| c.name == dep.package);
            if let Some(other) = members.iter().find(|m| m.name == dep.package)
                && released
                && !paths.contains(&other.dir)
            {
                paths.push(other.dir.clone());
            }
        }
    }
    paths
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
        let metadata = "[package.metadata.release]\nbranch = \"trunk\"\n";
        let root = krate("a", "1.0.0", metadata);
        let ws = load(&[("Cargo.toml", &root)]);
        assert_eq!(ws.config.branch, "trunk");
        assert_eq!(ws.config.origin, "Cargo.toml [workspace.metadata.release]");

        let virtual_root =
            "[workspace]\nmembers = [\"a\"]\n[workspace.metadata.release]\nremote = \"up\"\n";
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
