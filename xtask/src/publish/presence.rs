//! Where a release stands on its registries, shared by `verify-published`
//! (which waits) and `status` (which tells): the packages and versions a
//! command line names, each as its registry spells and names it, and what
//! each registry still lacks of it.

use anyhow::{Context, Result, bail};
use semver::Version;
use xshell::Shell;

use crate::adapters::python;
use crate::model::package::Package;
use crate::model::selection::{self, Selection};
use crate::model::workspace::Workspace;
use crate::publish::registry::{self, CrateRegistry};
use crate::publish::{artifacts, order};
use crate::text::tag_index::TagIndex;
use crate::text::train;
use crate::text::version::parse_any;

/// What a lookup found lacking: `None` when the release is complete there,
/// else the artifacts still missing (none named for a crate: its version).
pub type Missing = Option<Vec<String>>;

/// One thing to wait for.
pub struct Target<'a> {
    pub package: &'a Package,
    /// What messages call it: the package, or one crate of its group.
    pub name: String,
    pub version: Version,
    /// The version as the registry spells it.
    pub display: String,
    /// Where: the registry's name, for messages.
    pub place: String,
    /// The Python project's name on the index (`None` for a crate).
    pub project: Option<String>,
    /// A crate package's crates (its group's, in publish order), each of
    /// which the registry must serve; none for a Python package.
    pub crates: Vec<String>,
}

impl<'a> Target<'a> {
    /// One crate of `package`'s group, at `version`, on `registry`.
    pub fn one_crate(
        package: &'a Package,
        name: &str,
        version: &Version,
        registry: &CrateRegistry,
    ) -> Target<'a> {
        Target {
            package,
            name: name.to_string(),
            version: version.clone(),
            display: version.to_string(),
            place: registry.to_string(),
            project: None,
            crates: vec![name.to_string()],
        }
    }
}

/// Where to look: the crate registry and the Python index, from the flags
/// or the configuration, and the interpreter that reads the index.
pub struct Registries {
    pub crates: CrateRegistry,
    pub index_url: String,
    python: std::path::PathBuf,
}

impl Registries {
    pub fn choose(
        root: &std::path::Path,
        ws: &Workspace,
        registry: &Option<String>,
        index: &Option<String>,
        index_url: &Option<String>,
    ) -> Registries {
        let config = &ws.config.registries;
        Registries {
            crates: CrateRegistry::choose(config, registry.as_deref(), index.as_deref()),
            index_url: index_url
                .clone()
                .unwrap_or_else(|| config.python_index.clone()),
            python: python::project_venv(root).python_or_system(),
        }
    }

    /// What the target's registry lacks of it (`None`: complete there).
    pub fn missing(&self, sh: &Shell, target: &Target) -> Result<Missing> {
        if let Some(project) = &target.project {
            let files = registry::python_files(sh, &self.python, &self.index_url, project)?;
            let missing =
                artifacts::missing(project, &target.display, &files, &target.package.wheels);
            Ok((!missing.is_empty()).then_some(missing))
        } else {
            let version = target.version.to_string();
            let mut lacking = Vec::new();
            for name in &target.crates {
                if !registry::crate_published(sh, &self.crates, name, &version)? {
                    lacking.push(format!("{name} {version}"));
                }
            }
            let any = !lacking.is_empty();
            // A lone crate is the target itself: nothing more to name.
            if target.crates.len() <= 1 {
                lacking.clear();
            }
            Ok(any.then_some(lacking))
        }
    }
}

/// The packages `selection` names, each at the version its flag gives (a
/// bare flag: the manifest's; no flag at all: every package at its
/// manifest's), as targets of `where_`. A manifest's development version
/// (`0.8.0-dev.0`) is never released: the release it follows stands for it
/// (the previous one among `tags`), and a package with none is left out.
pub fn targets<'a>(
    ws: &'a Workspace,
    selection: &Selection,
    where_: &Registries,
    tags: &TagIndex,
) -> Result<Vec<Target<'a>>> {
    let released = |p: &Package| match train::is_dev(&p.version) {
        true => p.previous_release(tags, &p.version).map(|(_, v)| v),
        false => Some(p.version.clone()),
    };
    let mut chosen: Vec<(&Package, Version)> = Vec::new();
    let mut named = false;
    for c in selection::choose(&ws.packages, selection)? {
        named = true;
        let version = match &c.value {
            None => released(c.package),
            Some(value) => {
                Some(parse_any(value).with_context(|| format!("--{} {value}", c.package.flag))?)
            }
        };
        chosen.extend(version.map(|v| (c.package, v)));
    }
    if !named {
        chosen = ws
            .packages
            .iter()
            .filter_map(|p| Some((p, released(p)?)))
            .collect();
    }
    if chosen.is_empty() {
        bail!(
            "nothing released yet: every package chosen is at a development version with no release before it; name a version (`--{} X.Y.Z`)",
            ws.packages.first().map_or("rust", |p| p.flag.as_str())
        );
    }
    let crates_of = |p: &Package| -> Result<Vec<String>> {
        Ok(order::group(ws, p)?.into_iter().map(|n| n.name).collect())
    };
    spelled(chosen, &where_.crates, &where_.index_url, |p| {
        Ok(match p.pyproject.is_some() {
            true => (Some(registry::project_name(ws, p)?), Vec::new()),
            false => (None, crates_of(p)?),
        })
    })
}

/// Each chosen package and version, as its registry spells and names it
/// (`names_of` reads a Python package's project name, or a crate package's
/// crates).
fn spelled<'a>(
    chosen: Vec<(&'a Package, Version)>,
    crates: &CrateRegistry,
    index_url: &str,
    names_of: impl Fn(&Package) -> Result<(Option<String>, Vec<String>)>,
) -> Result<Vec<Target<'a>>> {
    let mut targets = Vec::new();
    for (package, version) in chosen {
        let display = package.display(&version)?;
        let (project, group) = names_of(package)?;
        let place = match project {
            Some(_) => index_url.to_string(),
            None => crates.to_string(),
        };
        targets.push(Target {
            package,
            name: package.name.clone(),
            version,
            display,
            place,
            project,
            crates: group,
        });
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selection::tests::package;

    #[test]
    fn each_target_is_spelled_and_placed_as_its_registry_knows_it() {
        let (core, py) = (package("core", "rust", false), package("py", "py", true));
        let v = Version::parse("1.0.0-rc.1").unwrap();
        let crates = CrateRegistry::Named("local".into());
        let found = spelled(
            vec![(&core, v.clone()), (&py, v)],
            &crates,
            "https://pypi.org/simple/",
            |p| {
                Ok(match p.pyproject.is_some() {
                    true => (Some(format!("{}-project", p.name)), vec![]),
                    false => (None, vec![p.name.clone()]),
                })
            },
        )
        .unwrap();
        let shown: Vec<(&str, &str, Option<&str>)> = found
            .iter()
            .map(|t| (t.display.as_str(), t.place.as_str(), t.project.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("1.0.0-rc.1", "registry `local`", None),
                ("1.0.0rc1", "https://pypi.org/simple/", Some("py-project"))
            ]
        );
        let unreadable = spelled(
            vec![(&py, Version::new(1, 0, 0))],
            &crates,
            "https://pypi.org/simple/",
            |_| anyhow::bail!("py/pyproject.toml:1: expected a table"),
        );
        assert!(
            unreadable.is_err(),
            "an unreadable project name stops before polling"
        );
    }
}
