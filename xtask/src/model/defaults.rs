//! The packages a configuration releases, each key it leaves unset filled
//! from the workspace: one function per row of the tables of defaults in docs/configuration.md.

use anyhow::{Context, Result, bail};

use crate::model::config::{Config, PackageConfig};
use crate::model::package::{Member, Package, rel_join};
use crate::model::source::{Files, Source};
use crate::model::{standalone, wheels};
use crate::text::manifest::DepRef;
use crate::text::tags::TagTemplate;

/// What the defaults look at: the named members, the configured packages,
/// and how many of those are Python and Rust packages.
struct Scope<'a> {
    source: &'a Source,
    members: Vec<&'a Member>,
    configured: Vec<PackageConfig>,
    py_count: usize,
    rust_count: usize,
    /// `ignore-tags`: no tags of any series.
    ignore_tags: &'a [String],
    /// `pre-start`: the first number of a train, unless a package sets its own.
    pre_start: u64,
    /// `next-dev`, unless a package sets its own.
    next_dev: Option<crate::text::version::Level>,
}

/// The packages `config` releases, in its order; with no `[[…package]]`,
/// every publishable member and every member with a `pyproject.toml`.
/// The files they name (pyproject, changelog, mentions) are read into `files`.
pub fn resolve_packages(
    source: &Source,
    config: &Config,
    members: &[Member],
    files: &mut Files,
) -> Result<Vec<Package>> {
    let members: Vec<&Member> = members.iter().filter(|m| !m.name.is_empty()).collect();
    let configured = if config.packages.is_empty() {
        unconfigured(source, config, &members)
    } else {
        config.packages.clone()
    };
    let mut scope = Scope {
        source,
        members,
        configured,
        py_count: 0,
        rust_count: 0,
        ignore_tags: &config.ignore_tags,
        pre_start: config.pre_start,
        next_dev: config.next_dev,
    };
    for c in &scope.configured {
        if let Some(m) = scope.members.iter().find(|m| m.name == c.name) {
            if scope.is_py(c, m) {
                scope.py_count += 1
            } else {
                scope.rust_count += 1
            }
        }
    }
    // Flags that clash are reported by `validate`, with the other flag problems.
    scope
        .configured
        .iter()
        .map(|c| scope.package(c, files))
        .collect()
}

/// No configured package: every publishable member, and every member with a pyproject.toml.
fn unconfigured(source: &Source, config: &Config, members: &[&Member]) -> Vec<PackageConfig> {
    members
        .iter()
        .filter(|m| m.publish || source.is_file(&own_pyproject(m)))
        .map(|m| PackageConfig {
            name: m.name.clone(),
            origin: format!("{} (no entry for `{}`, defaults)", config.origin, m.name),
            ..Default::default()
        })
        .collect()
}

impl Scope<'_> {
    fn is_py(&self, c: &PackageConfig, m: &Member) -> bool {
        c.pyproject.is_some() || self.source.is_file(&own_pyproject(m))
    }

    fn package(&self, c: &PackageConfig, files: &mut Files) -> Result<Package> {
        let member = self.member(c)?;
        let is_py = self.is_py(c, member);
        let pyproject = pyproject(c, member, is_py);
        if let Some(p) = &pyproject {
            files
                .read(self.source, p)
                .with_context(|| format!("{}: pyproject `{p}`", c.origin))?;
        }
        let flag = self.flag(c, member, is_py);
        let (tag, previous_tags) = self.tag(c, member, is_py)?;
        let changelog = self.changelog(c, member, is_py);
        if let Some(path) = &changelog {
            // A changelog that does not exist yet is created by the first release.
            files
                .read_or_absent(self.source, path)
                .with_context(|| format!("{}: changelog `{path}`", c.origin))?;
        }
        for mention in &c.mentions {
            let read = match mention.optional {
                true => files.read_or_absent(self.source, &mention.file),
                false => files.read(self.source, &mention.file),
            };
            read.with_context(|| format!("{}: mention file `{}`", c.origin, mention.file))?;
        }
        let abi = match (is_py, &c.wheels) {
            (true, None) => self.abi(member, pyproject.as_deref(), files)?,
            _ => wheels::Abi::Abi3,
        };
        let crates = self.crates(c, member)?;
        let paths = self.paths(c, member, &crates, is_py)?;
        let mut group_pyprojects = Vec::new();
        for name in &crates {
            let grouped = self.find(name).expect("a member");
            // A binding in the group: its pyproject follows the group's version.
            let own = own_pyproject(grouped);
            if self.source.is_file(&own) {
                files
                    .read(self.source, &own)
                    .with_context(|| format!("{}: pyproject `{own}` of `{name}`", c.origin))?;
                group_pyprojects.push((name.clone(), own));
            }
        }
        Ok(Package {
            name: member.name.clone(),
            flag,
            manifest: member.manifest.clone(),
            version: member.version.clone(),
            tag,
            previous_tags,
            changelog,
            pyproject,
            paths,
            crates,
            group_pyprojects,
            mentions: c.mentions.clone(),
            wheels: wheels::of(c, is_py, abi)?,
            pre_start: c.pre_start.unwrap_or(self.pre_start),
            fragments: c.fragments.clone(),
            next_dev: c.next_dev.unwrap_or(self.next_dev),
            repository: member.repository.clone(),
            origin: c.origin.clone(),
        })
    }

    /// How the binding `member` builds its wheels, from its manifest, its
    /// pyproject and the root manifest (a workspace's pyo3).
    fn abi(
        &self,
        member: &Member,
        pyproject: Option<&str>,
        files: &mut Files,
    ) -> Result<wheels::Abi> {
        let manifest = files.read(self.source, &member.manifest)?.to_string();
        let pyproject = match pyproject {
            Some(p) => Some(files.read(self.source, p)?.to_string()),
            None => None,
        };
        let root = match member.manifest != "Cargo.toml" && self.source.is_file("Cargo.toml") {
            true => Some(files.read(self.source, "Cargo.toml")?.to_string()),
            false => None,
        };
        Ok(wheels::Abi::of(
            &manifest,
            pyproject.as_deref(),
            root.as_deref(),
        ))
    }

    /// `crates`: the members each name or glob matches, the package itself
    /// and other configured packages left out; an entry matching none is refused.
    fn crates(&self, c: &PackageConfig, member: &Member) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for pattern in c.crates.iter().flatten() {
            // A manifest path names one package, in the workspace or outside it.
            let path =
                standalone::is_manifest_path(pattern).then(|| standalone::normalized(pattern));
            let matched: Vec<&&Member> = self
                .members
                .iter()
                .filter(|m| match &path {
                    Some(path) => &m.manifest == path,
                    None => crate::text::tags::glob_match(pattern, &m.name),
                })
                .collect();
            if matched.is_empty() {
                let names: Vec<&str> = self.members.iter().map(|m| m.name.as_str()).collect();
                bail!(
                    "{}: `crates` entry `{pattern}` names no workspace member: the members are {}; a package outside the workspace is named by its manifest, e.g. \"bindings/python/Cargo.toml\"",
                    c.origin,
                    names.join(", ")
                );
            }
            for m in matched {
                let other_package = self.configured.iter().any(|o| o.name == m.name);
                if m.name != member.name && !other_package && !out.contains(&m.name) {
                    out.push(m.name.clone());
                }
            }
        }
        Ok(out)
    }

    /// `name` (required) and `manifest`: the member's `Cargo.toml`.
    fn member(&self, c: &PackageConfig) -> Result<&Member> {
        let manifest = c.manifest.as_deref().map(standalone::normalized);
        let Some(member) = self
            .members
            .iter()
            .find(|m| m.name == c.name || manifest.as_deref() == Some(m.manifest.as_str()))
        else {
            let names: Vec<&str> = self.members.iter().map(|m| m.name.as_str()).collect();
            let known = match names.is_empty() {
                true => "there is no root Cargo.toml".to_string(),
                false => format!("the packages are {}", names.join(", ")),
            };
            bail!(
                "{}: `{}` is not a package of this workspace: {known}; a package outside it is named by its manifest: manifest = \"path/to/Cargo.toml\"",
                c.origin,
                c.name,
            );
        };
        if let Some(manifest) = &manifest
            && manifest != &member.manifest
        {
            bail!(
                "{}: manifest `{manifest}` is not the manifest of `{}` ({})",
                c.origin,
                c.name,
                member.manifest
            );
        }
        Ok(member)
    }

    /// `flag`: `py` for the one Python package, `rust` for the one Rust
    /// package, else the package name.
    fn flag(&self, c: &PackageConfig, member: &Member, is_py: bool) -> String {
        c.flag
            .clone()
            .unwrap_or_else(|| match (is_py, self.py_count, self.rust_count) {
                (true, 1, _) => "py".into(),
                (false, _, 1) => "rust".into(),
                _ => member.name.clone(),
            })
    }

    /// `tag`: `py-v{version}` for the one Python package, `v{version}` for
    /// a lone Rust package, else `NAME-v{version}`; and `previous-tags`, read
    /// the same way (`ignore-tags` applies; a Python package's in PEP 440 order).
    fn tag(
        &self,
        c: &PackageConfig,
        member: &Member,
        is_py: bool,
    ) -> Result<(TagTemplate, Vec<TagTemplate>)> {
        let tag = c
            .tag
            .clone()
            .unwrap_or_else(|| match (is_py, self.rust_count) {
                (true, _) if self.py_count == 1 => "py-v{version}".into(),
                (false, 1) => "v{version}".into(),
                _ => format!("{}-v{{version}}", member.name),
            });
        let read = |t: &str, key: &str| {
            TagTemplate::new(t)
                .map(|t| t.ignoring(self.ignore_tags).for_python(is_py))
                .map_err(|e| anyhow::anyhow!("{}: {key}{e}", c.origin))
        };
        let earlier = c.previous_tags.iter().flatten();
        let earlier = earlier
            .map(|t| read(t, "`previous-tags`: "))
            .collect::<Result<_>>()?;
        Ok((read(&tag, "")?, earlier))
    }

    /// `changelog`: `CHANGELOG.md` in the package's folder, else the root's
    /// for a lone Rust package; none with `changelog = false`, whatever
    /// file is there.
    fn changelog(&self, c: &PackageConfig, member: &Member, is_py: bool) -> Option<String> {
        if c.no_changelog {
            return None;
        }
        if let Some(path) = &c.changelog {
            return Some(path.clone());
        }
        let own = rel_join(&member.dir, "CHANGELOG.md");
        if self.source.is_file(&own) {
            Some(own)
        } else if !is_py && self.rust_count == 1 && self.source.is_file("CHANGELOG.md") {
            Some("CHANGELOG.md".into())
        } else {
            None
        }
    }

    /// `paths`: the package's own folders — its own, its group's (`crates`),
    /// and a binding's every crate it compiles in — then each other member
    /// nested in one of them, left out with `:(exclude)`. Git lets an exclude
    /// win over every folder, whatever their order, so a member that is the
    /// package's own, or holds one of its folders, is never left out.
    fn paths(
        &self,
        c: &PackageConfig,
        member: &Member,
        crates: &[String],
        is_py: bool,
    ) -> Result<Vec<String>> {
        if let Some(paths) = &c.paths {
            return Ok(paths.clone());
        }
        let mut own = vec![member];
        own.extend(crates.iter().filter_map(|name| self.find(name)));
        if is_py {
            self.compiled_in(&mut own)?;
        }
        let mut paths: Vec<String> = Vec::new();
        for dir in own.iter().map(|m| &m.dir) {
            if !paths.contains(dir) {
                paths.push(dir.clone());
            }
        }
        for other in &self.members {
            let nested = own.iter().any(|m| inside(&other.dir, &m.dir));
            let holds_own = own.iter().any(|m| inside(&m.dir, &other.dir));
            if nested && !holds_own && !paths.contains(&other.dir) {
                paths.push(format!(":(exclude){}", other.dir));
            }
        }
        Ok(paths)
    }

    /// Adds to `own` (a binding first) every member it compiles into its
    /// wheel: its path dependencies (`[dependencies]`, `[build-dependencies]`,
    /// any target's), theirs in turn, and the group (`crates`) of each
    /// released one, which moves at its version.
    fn compiled_in<'m>(&'m self, own: &mut Vec<&'m Member>) -> Result<()> {
        let mut next = 0;
        while let Some(member) = own.get(next).copied() {
            next += 1;
            let deps = member.deps.iter().filter(|d| compiled(d));
            let mut found: Vec<&Member> = deps.filter_map(|d| self.find(&d.package)).collect();
            if let Some(c) = self.configured.iter().find(|c| c.name == member.name) {
                let group = self.crates(c, member)?;
                found.extend(group.iter().filter_map(|name| self.find(name)));
            }
            for m in found {
                if !own.iter().any(|o| o.name == m.name) {
                    own.push(m);
                }
            }
        }
        Ok(())
    }

    /// The member named `name`.
    fn find(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name).copied()
    }
}

/// Whether `dep` is built into its crate: a normal or build dependency, not
/// a dev-dependency nor a `[workspace.dependencies]` entry.
fn compiled(dep: &DepRef) -> bool {
    let kind = dep.table.last().map(String::as_str);
    dep.table.first().map(String::as_str) != Some("workspace")
        && matches!(kind, Some("dependencies" | "build-dependencies"))
}

/// Whether the folder `dir` lies inside the folder `parent` (`.` the root).
fn inside(dir: &str, parent: &str) -> bool {
    dir != parent && (parent == "." || dir.starts_with(&format!("{parent}/")))
}

/// The `pyproject.toml` beside the member's manifest, whether or not there is one.
fn own_pyproject(member: &Member) -> String {
    rel_join(&member.dir, "pyproject.toml")
}

/// `pyproject`: `pyproject.toml` beside the manifest, if there is one.
fn pyproject(c: &PackageConfig, member: &Member, is_py: bool) -> Option<String> {
    match &c.pyproject {
        Some(p) => Some(p.clone()),
        None if is_py => Some(own_pyproject(member)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::wheels::DEFAULT_WHEELS;
    use crate::model::workspace::Workspace;
    use crate::model::workspace::test_texts::{error, krate, load};

    const PYPROJECT: &str = "[project]\nname = \"binding\"\nversion = \"1.2.3\"\n";

    /// A crate `core` and its Python binding `binding`, each with a
    /// changelog; `config` is the root's release configuration, `more`
    /// files are added or replace those.
    fn dual(config: &str, more: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = [
            (
                "Cargo.toml",
                format!("[workspace]\nmembers = [\"core\", \"binding\"]\n{config}"),
            ),
            ("core/Cargo.toml", krate("core", "1.2.3", "")),
            ("core/CHANGELOG.md", "# Changelog\n".into()),
            (
                "binding/Cargo.toml",
                krate(
                    "binding",
                    "1.2.3",
                    "[dependencies]\ncore = { path = \"../core\", version = \"1.2.3\" }\n",
                ),
            ),
            ("binding/pyproject.toml", PYPROJECT.into()),
            ("binding/CHANGELOG.md", "# Changelog\n".into()),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), t))
        .collect();
        for (path, text) in more {
            files.retain(|(p, _)| p != path);
            files.push((path.to_string(), text.to_string()));
        }
        files
    }

    /// `files` without those whose path `drop` holds.
    fn dropping(
        files: Vec<(String, String)>,
        drop: impl Fn(&str) -> bool,
    ) -> Vec<(String, String)> {
        files.into_iter().filter(|(p, _)| !drop(p)).collect()
    }

    fn borrowed(files: &[(String, String)]) -> Vec<(&str, &str)> {
        files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect()
    }

    fn ws(config: &str, more: &[(&str, &str)]) -> Workspace {
        load(&borrowed(&dual(config, more)))
    }

    fn with_config(config: &str) -> Workspace {
        ws(config, &[])
    }

    fn ws_error(config: &str, more: &[(&str, &str)]) -> String {
        error(&borrowed(&dual(config, more)))
    }

    /// `[[workspace.metadata.xtask-release.package]]` entries, each `name` then `keys`.
    fn configured(entries: &[(&str, &str)]) -> String {
        entries
            .iter()
            .map(|(name, keys)| {
                format!("[[workspace.metadata.xtask-release.package]]\nname = \"{name}\"\n{keys}\n")
            })
            .collect()
    }

    /// `key` of each package, in order, as a string.
    fn each(ws: &Workspace, key: fn(&crate::model::package::Package) -> String) -> Vec<String> {
        ws.packages.iter().map(key).collect()
    }

    const BINDING_PYPROJECT: &str = "binding/pyproject.toml";

    /// The dual workspace with `binding` a second Rust crate (no pyproject).
    fn two_crates() -> Workspace {
        let files = dropping(dual("", &[]), |p| p == BINDING_PYPROJECT);
        load(&borrowed(&files))
    }

    #[test]
    fn with_no_configuration_every_publishable_or_python_member_is_released() {
        let rows: [(&str, &[&str]); 2] = [
            ("", &["core", "binding"]),
            ("publish = false\n", &["core", "binding"]),
        ];
        for (extra, expected) in rows {
            let binding = krate("binding", "1.2.3", extra);
            let ws = ws("", &[("binding/Cargo.toml", &binding)]);
            assert_eq!(each(&ws, |p| p.name.clone()), expected, "{extra}");
        }
        let private = krate("core", "1.2.3", "publish = false\n");
        let ws = ws("", &[("core/Cargo.toml", &private)]);
        assert_eq!(each(&ws, |p| p.name.clone()), ["binding"]);
        assert_eq!(
            ws.packages[0].origin,
            "Cargo.toml [workspace.metadata.xtask-release] (no entry for `binding`, defaults)"
        );
    }

    #[test]
    fn a_configuration_releases_its_packages_in_its_order() {
        let config = configured(&[("binding", ""), ("core", "")]);
        let ws = ws(&config, &[]);
        assert_eq!(each(&ws, |p| p.name.clone()), ["binding", "core"]);
        assert_eq!(
            ws.packages[0].origin,
            "Cargo.toml [workspace.metadata.xtask-release] package #1 (`binding`)"
        );
        let only = with_config(&configured(&[("core", "")]));
        assert_eq!(each(&only, |p| p.name.clone()), ["core"]);
    }

    #[test]
    fn manifest_defaults_to_the_members() {
        let ws = with_config("");
        assert_eq!(
            each(&ws, |p| p.manifest.clone()),
            ["core/Cargo.toml", "binding/Cargo.toml"]
        );
        let by_manifest = with_config(&configured(&[("core", "manifest = \"core/Cargo.toml\"")]));
        assert_eq!(by_manifest.packages[0].manifest, "core/Cargo.toml");
        assert_eq!(
            ws_error(
                &configured(&[("core", "manifest = \"binding/Cargo.toml\"")]),
                &[]
            ),
            "Cargo.toml [workspace.metadata.xtask-release] package #1 (`core`): manifest `binding/Cargo.toml` is not the manifest of `core` (core/Cargo.toml)"
        );
        assert_eq!(
            ws_error(&configured(&[("nothing", "")]), &[]),
            "Cargo.toml [workspace.metadata.xtask-release] package #1 (`nothing`): `nothing` is not a package of this workspace: the packages are core, binding; a package outside it is named by its manifest: manifest = \"path/to/Cargo.toml\""
        );
    }

    #[test]
    fn wheels_default_to_abi3_unless_pyo3_builds_one_per_version() {
        let binding = |deps: &str| krate("binding", "1.2.3", deps);
        let per_version = binding(
            "[dependencies]\npyo3 = { version = \"0.22\", features = [\"extension-module\"] }\n",
        );
        let abi3 =
            binding("[dependencies]\npyo3 = { version = \"0.22\", features = [\"abi3-py39\"] }\n");
        let wheels = |manifest: &str| {
            ws("", &[("binding/Cargo.toml", manifest)]).packages[1]
                .wheels
                .clone()
        };
        assert_eq!(wheels(&abi3), DEFAULT_WHEELS);
        assert_eq!(wheels(&binding("")), DEFAULT_WHEELS);
        let any_python = wheels(&per_version);
        assert_eq!(any_python[0], "*-*-manylinux*_x86_64");
        assert_eq!(any_python.len(), DEFAULT_WHEELS.len());
        assert!(
            any_python.iter().all(|w| !w.contains("abi3")),
            "{any_python:?}"
        );
        // The workspace's pyo3, or the configuration's own list, decide too.
        let root_abi3 =
            "[workspace.dependencies]\npyo3 = { version = \"0.22\", features = [\"abi3-py39\"] }\n";
        let inherited = ws(root_abi3, &[("binding/Cargo.toml", &per_version)]);
        assert_eq!(inherited.packages[1].wheels, DEFAULT_WHEELS);
        let own = configured(&[("core", ""), ("binding", "wheels = [\"*\"]")]);
        assert_eq!(
            ws(&own, &[("binding/Cargo.toml", &per_version)]).packages[1].wheels,
            ["*"]
        );
    }

    #[test]
    fn flag_defaults() {
        assert_eq!(each(&with_config(""), |p| p.flag.clone()), ["rust", "py"]);
        assert_eq!(each(&two_crates(), |p| p.flag.clone()), ["core", "binding"]);
        let set = with_config(&configured(&[
            ("core", "flag = \"crate\""),
            ("binding", ""),
        ]));
        assert_eq!(each(&set, |p| p.flag.clone()), ["crate", "py"]);
    }

    #[test]
    fn tag_defaults() {
        let template = |p: &crate::model::package::Package| p.tag.template.clone();
        assert_eq!(
            each(&with_config(""), template),
            ["v{version}", "py-v{version}"]
        );
        assert_eq!(
            each(&two_crates(), template),
            ["core-v{version}", "binding-v{version}"]
        );
        let set = with_config(&configured(&[("core", "tag = \"core/{version}\"")]));
        assert_eq!(each(&set, template), ["core/{version}"]);
        assert_eq!(
            ws_error(&configured(&[("core", "tag = \"core\"")]), &[]),
            "Cargo.toml [workspace.metadata.xtask-release] package #1 (`core`): tag template `core` must contain exactly one `{version}` (or `{pep440}`)"
        );
    }

    #[test]
    fn changelog_defaults() {
        let changelog = |p: &crate::model::package::Package| format!("{:?}", p.changelog);
        assert_eq!(
            each(&with_config(""), changelog),
            [
                "Some(\"core/CHANGELOG.md\")",
                "Some(\"binding/CHANGELOG.md\")"
            ]
        );
        // The root's changelog serves a lone Rust package without its own.
        let root_changelog = dual(
            "",
            &[(
                "CHANGELOG.md",
                "# Changelog
",
            )],
        );
        let files = dropping(root_changelog, |p| p.ends_with("/CHANGELOG.md"));
        assert_eq!(
            each(&load(&borrowed(&files)), changelog),
            ["Some(\"CHANGELOG.md\")", "None"]
        );
        let without_root = dropping(files, |p| p == "CHANGELOG.md");
        assert_eq!(
            each(&load(&borrowed(&without_root)), changelog),
            ["None", "None"]
        );
        let set = ws(
            &configured(&[("core", "changelog = \"docs/CHANGES.md\"")]),
            &[("docs/CHANGES.md", "# Changes\n")],
        );
        assert_eq!(each(&set, changelog), ["Some(\"docs/CHANGES.md\")"]);
        // A configured changelog that does not exist yet: the first release creates it.
        let to_come = ws(&configured(&[("core", "changelog = \"NEWS.md\"")]), &[]);
        assert!(to_come.files.is_absent("NEWS.md"));
        assert_eq!(to_come.files.text("NEWS.md"), "");
    }

    #[test]
    fn a_lone_crate_takes_the_root_changelog_only_when_it_is_the_one_rust_package() {
        let root_changelog = dual(
            "",
            &[(
                "CHANGELOG.md",
                "# Changelog
",
            )],
        );
        let files = dropping(root_changelog, |p| {
            p.ends_with("/CHANGELOG.md") || p == BINDING_PYPROJECT
        });
        let ws = load(&borrowed(&files));
        assert_eq!(
            each(&ws, |p| format!("{:?}", p.changelog)),
            ["None", "None"]
        );
    }

    #[test]
    fn pyproject_defaults() {
        let pyproject = |p: &crate::model::package::Package| format!("{:?}", p.pyproject);
        assert_eq!(
            each(&with_config(""), pyproject),
            ["None", "Some(\"binding/pyproject.toml\")"]
        );
        let set = ws(
            &configured(&[("core", "pyproject = \"py/pyproject.toml\"")]),
            &[("py/pyproject.toml", PYPROJECT)],
        );
        assert_eq!(each(&set, pyproject), ["Some(\"py/pyproject.toml\")"]);
        // A configured pyproject makes a Python package: its flag and tag follow.
        assert_eq!(
            (
                set.packages[0].flag.as_str(),
                set.packages[0].tag.template.as_str()
            ),
            ("py", "py-v{version}")
        );
        assert_eq!(set.files.get("py/pyproject.toml"), Some(PYPROJECT));
    }

    #[test]
    fn paths_defaults() {
        let paths = |p: &crate::model::package::Package| p.paths.join(" ");
        // The binding embeds the released crate it depends on by path.
        assert_eq!(each(&with_config(""), paths), ["core", "binding core"]);
        // ... and a crate that is not released: it is in the wheel all the same.
        let alone = with_config(&configured(&[("binding", "")]));
        assert_eq!(each(&alone, paths), ["binding core"]);
        // A root package leaves out its nested members.
        let root = krate("root", "1.0.0", "[workspace]\nmembers = [\"crates/*\"]\n");
        let a = krate("a", "1.0.0", "");
        let nested = load(&[("Cargo.toml", &root), ("crates/a/Cargo.toml", &a)]);
        assert_eq!(each(&nested, paths), [". :(exclude)crates/a", "crates/a"]);
        let set = with_config(&configured(&[("core", "paths = [\"core\", \"docs\"]")]));
        assert_eq!(each(&set, paths), ["core docs"]);
    }

    /// A root crate `meta` whose group (`meta-*`) lives under it, with
    /// more members: `extra` (manifest path, text) in the folders `more`
    /// (`, "a", "b"`); `py` binds `meta` and has a dev-dependency on `gen`.
    fn rooted_group(more: &str, extra: &[(&str, String)]) -> Workspace {
        let root = "[package]\nname = \"meta\"\nversion = \"1.0.0\"\n\n[dependencies]\nmeta-core = { path = \"crates/core\", version = \"1\" }\n\n[workspace]\nmembers = [\"crates/*\", \"py\", \"tools/gen\"MORE]\n\n[[workspace.metadata.xtask-release.package]]\nname = \"meta\"\ncrates = [\"meta-*\"]\n\n[[workspace.metadata.xtask-release.package]]\nname = \"py\"\n"
            .replace("MORE", more);
        let py = "[dependencies]\nmeta = { path = \"..\", version = \"1\" }\n\n[dev-dependencies]\ngen = { path = \"../tools/gen\" }\n";
        let util = "[dependencies]\nutil = { path = \"../util\" }\n";
        let mut files: Vec<(&str, String)> = vec![
            ("Cargo.toml", root),
            ("crates/core/Cargo.toml", krate("meta-core", "1.0.0", util)),
            (
                "crates/macros/Cargo.toml",
                krate("meta-macros", "1.0.0", ""),
            ),
            (
                "crates/util/Cargo.toml",
                krate("util", "0.1.0", "publish = false\n"),
            ),
            ("py/Cargo.toml", krate("py", "2.0.0", py)),
            ("py/pyproject.toml", PYPROJECT.into()),
            (
                "tools/gen/Cargo.toml",
                krate("gen", "0.1.0", "publish = false\n"),
            ),
        ];
        files.extend(extra.iter().map(|(p, t)| (*p, t.clone())));
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        load(&files)
    }

    #[test]
    fn paths_count_the_group_under_a_root_crate_and_what_a_binding_compiles_in() {
        let paths = |p: &crate::model::package::Package| p.paths.join(" ");
        // The group's folders are never excluded by the root crate's
        // excludes (git lets an exclude win over any folder); the binding
        // counts meta, its group and the private crate meta-core uses, not
        // its dev-dependency.
        assert_eq!(
            each(&rooted_group("", &[]), paths),
            [
                ". crates/core crates/macros :(exclude)crates/util :(exclude)py :(exclude)tools/gen",
                "py . crates/core crates/macros crates/util :(exclude)tools/gen",
            ]
        );
        // A member holding a folder of the group is not excluded either.
        let vendor = krate("vendor", "0.1.0", "publish = false\n");
        let zlib = krate("meta-zlib", "1.0.0", "");
        let ws = rooted_group(
            ", \"vendor\", \"vendor/zlib\"",
            &[
                ("vendor/Cargo.toml", vendor),
                ("vendor/zlib/Cargo.toml", zlib),
            ],
        );
        let meta = &ws.packages[0].paths;
        assert!(meta.contains(&"vendor/zlib".to_string()), "{meta:?}");
        assert!(!meta.iter().any(|p| p.ends_with(")vendor")), "{meta:?}");
    }

    #[test]
    fn crates_name_members_by_name_or_glob() {
        let crates = |p: &crate::model::package::Package| p.crates.join(" ");
        let group = ws(
            &configured(&[("core", "crates = [\"bind*\", \"core\"]")]),
            &[],
        );
        // The package itself is no member of its own group.
        assert_eq!(each(&group, crates), ["binding"]);
        assert_eq!(group.packages[0].paths, ["core", "binding"]);
        // Another configured package is released on its own.
        let both = ws(
            &configured(&[("core", "crates = [\"*\"]"), ("binding", "")]),
            &[],
        );
        assert_eq!(each(&both, crates), ["", ""]);
        assert_eq!(
            ws_error(&configured(&[("core", "crates = [\"store-*\"]")]), &[]),
            "Cargo.toml [workspace.metadata.xtask-release] package #1 (`core`): `crates` entry `store-*` names no workspace member: the members are core, binding; a package outside the workspace is named by its manifest, e.g. \"bindings/python/Cargo.toml\""
        );
    }

    #[test]
    fn mentions_default_to_none() {
        assert!(
            with_config("")
                .packages
                .iter()
                .all(|p| p.mentions.is_empty())
        );
        let set = ws(
            &configured(&[(
                "core",
                "mentions = [{ file = \"README.md\", pattern = 'core = \"{version}\"' }]",
            )]),
            &[("README.md", "core = \"1.2.3\"\n")],
        );
        assert_eq!(set.packages[0].mentions[0].file, "README.md");
        assert_eq!(set.files.get("README.md"), Some("core = \"1.2.3\"\n"));
        assert_eq!(
            ws_error(
                &configured(&[(
                    "core",
                    "mentions = [{ file = \"README.md\", pattern = '{version}' }]"
                )]),
                &[]
            ),
            "Cargo.toml [workspace.metadata.xtask-release] package #1 (`core`): mention file `README.md`: cannot read README.md: no such file"
        );
    }
}
