//! The packages a configuration releases, each key it leaves unset filled
//! from the workspace: one function per row of the README's table of defaults.

use anyhow::{Context, Result, bail};

use crate::config::{Config, PackageConfig};
use crate::source::{Files, Source};
use crate::tags::TagTemplate;
use crate::workspace::{Member, Package, rel_join};

/// What the defaults look at: the named members, the configured packages,
/// and how many of those are Python and Rust packages.
struct Scope<'a> {
    source: &'a Source,
    members: Vec<&'a Member>,
    configured: Vec<PackageConfig>,
    py_count: usize,
    rust_count: usize,
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
        .filter(|m| m.publish || source.is_file(&rel_join(&m.dir, "pyproject.toml")))
        .map(|m| PackageConfig {
            name: m.name.clone(),
            origin: format!("{} (no entry for `{}`, defaults)", config.origin, m.name),
            ..Default::default()
        })
        .collect()
}

impl Scope<'_> {
    fn is_py(&self, c: &PackageConfig, m: &Member) -> bool {
        c.pyproject.is_some() || self.source.is_file(&rel_join(&m.dir, "pyproject.toml"))
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
        let tag = self.tag(c, member, is_py)?;
        let changelog = self.changelog(c, member, is_py);
        if let Some(path) = &changelog {
            files
                .read(self.source, path)
                .with_context(|| format!("{}: changelog `{path}`", c.origin))?;
        }
        for mention in &c.mentions {
            files
                .read(self.source, &mention.file)
                .with_context(|| format!("{}: mention file `{}`", c.origin, mention.file))?;
        }
        Ok(Package {
            name: member.name.clone(),
            flag,
            manifest: member.manifest.clone(),
            version: member.version.clone(),
            tag,
            changelog,
            pyproject,
            paths: self.paths(c, member, is_py),
            mentions: c.mentions.clone(),
            repository: member.repository.clone(),
            origin: c.origin.clone(),
        })
    }

    /// `name` (required) and `manifest`: the member's `Cargo.toml`.
    fn member(&self, c: &PackageConfig) -> Result<&Member> {
        let Some(member) = self
            .members
            .iter()
            .find(|m| m.name == c.name || c.manifest.as_deref() == Some(m.manifest.as_str()))
        else {
            let names: Vec<&str> = self.members.iter().map(|m| m.name.as_str()).collect();
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
    /// a lone Rust package, else `NAME-v{version}`.
    fn tag(&self, c: &PackageConfig, member: &Member, is_py: bool) -> Result<TagTemplate> {
        let tag = c
            .tag
            .clone()
            .unwrap_or_else(|| match (is_py, self.rust_count) {
                (true, _) if self.py_count == 1 => "py-v{version}".into(),
                (false, 1) => "v{version}".into(),
                _ => format!("{}-v{{version}}", member.name),
            });
        TagTemplate::new(&tag).map_err(|e| anyhow::anyhow!("{}: {e}", c.origin))
    }

    /// `changelog`: `CHANGELOG.md` in the package's folder, else the root's
    /// for a lone Rust package.
    fn changelog(&self, c: &PackageConfig, member: &Member, is_py: bool) -> Option<String> {
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

    /// `paths`: the package's folder, minus nested members; a binding also
    /// counts the folders of the released crates it embeds through path
    /// dependencies.
    fn paths(&self, c: &PackageConfig, member: &Member, is_py: bool) -> Vec<String> {
        if let Some(paths) = &c.paths {
            return paths.clone();
        }
        let mut paths = vec![member.dir.clone()];
        for other in &self.members {
            let nested = other.dir != member.dir
                && (member.dir == "." || other.dir.starts_with(&format!("{}/", member.dir)));
            if nested {
                paths.push(format!(":(exclude){}", other.dir));
            }
        }
        if is_py {
            for dep in &member.deps {
                let released = self.configured.iter().any(|c| c.name == dep.package);
                if let Some(other) = self.members.iter().find(|m| m.name == dep.package)
                    && released
                    && !paths.contains(&other.dir)
                {
                    paths.push(other.dir.clone());
                }
            }
        }
        paths
    }
}

/// `pyproject`: `pyproject.toml` beside the manifest, if there is one.
fn pyproject(c: &PackageConfig, member: &Member, is_py: bool) -> Option<String> {
    match &c.pyproject {
        Some(p) => Some(p.clone()),
        None if is_py => Some(rel_join(&member.dir, "pyproject.toml")),
        None => None,
    }
}
