//! Which released packages a command line names: by flag (`--rust`, with a
//! value for some commands: `--rust minor`), by `-p NAME`, or by a key that is
//! either (`changelog notes rust …`). The one place a package is chosen.

use anyhow::{Context, Result, bail};

use crate::model::package::Package;
use crate::model::workspace::Workspace;

/// The packages a command line selects, as `cli.rs` parsed them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selection {
    /// `-p NAME`, in the order given.
    pub names: Vec<String>,
    /// Each `--FLAG` given, with its value (`None` for a bare flag).
    pub flags: Vec<(String, Option<String>)>,
}

/// A selected package, and the value its flag carried (`--rust 0.3.0`);
/// `None` for a bare flag or a `-p NAME`.
#[derive(Debug)]
pub struct Chosen<'a> {
    pub package: &'a Package,
    pub value: Option<String>,
}

/// The packages `selection` names, in the configuration's order; a `-p NAME`
/// that names no package is refused with the list of flags.
/// The packages a selection names, or every package when it names none.
pub fn named_or_all<'a>(
    packages: &'a [Package],
    selection: &Selection,
) -> Result<Vec<&'a Package>> {
    let named: Vec<&Package> = choose(packages, selection)?
        .into_iter()
        .map(|c| c.package)
        .collect();
    Ok(if named.is_empty() {
        packages.iter().collect()
    } else {
        named
    })
}

pub fn choose<'a>(packages: &'a [Package], selection: &Selection) -> Result<Vec<Chosen<'a>>> {
    for name in &selection.names {
        if !packages.iter().any(|p| &p.name == name) {
            bail!(
                "unknown package `{name}`: the released packages are {}",
                describe_flags(packages)
            );
        }
    }
    Ok(packages
        .iter()
        .filter_map(|p| {
            let flag = selection.flags.iter().find(|(f, _)| *f == p.flag);
            if flag.is_none() && !selection.names.contains(&p.name) {
                return None;
            }
            Some(Chosen {
                package: p,
                value: flag.and_then(|(_, v)| v.clone()),
            })
        })
        .collect())
}

/// The package `key` names, by its name or its flag (`rust`, `--rust`).
pub fn one<'a>(packages: &'a [Package], key: &str) -> Result<&'a Package> {
    let key = key.trim_start_matches("--");
    packages
        .iter()
        .find(|p| p.name == key || p.flag == key)
        .with_context(|| {
            let known: Vec<String> = packages
                .iter()
                .map(|p| format!("{} ({})", p.name, p.flag))
                .collect();
            format!(
                "unknown package `{key}`: the released packages are {}",
                known.join(", ")
            )
        })
}

/// The package `-p NAME` names among the Python packages (`python`) or the
/// Rust ones, or the only one of its kind.
pub fn one_of_kind<'a>(
    packages: &'a [Package],
    name: Option<&str>,
    python: bool,
) -> Result<&'a Package> {
    let kind = if python { "Python" } else { "Rust" };
    let candidates: Vec<&Package> = packages
        .iter()
        .filter(|p| p.pyproject.is_some() == python)
        .collect();
    if let Some(name) = name {
        return candidates
            .iter()
            .find(|p| p.name == name || p.flag == name)
            .copied()
            .with_context(|| {
                format!(
                    "`{name}` is not a released {kind} package: the {kind} packages are {}",
                    names(&candidates)
                )
            });
    }
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => bail!(
            "the release configuration has no {kind} package: add a `[[workspace.metadata.xtask-release.package]]`"
        ),
        _ => bail!(
            "several {kind} packages are released ({}): choose one with -p NAME",
            names(&candidates)
        ),
    }
}

fn names(packages: &[&Package]) -> String {
    let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The folder of the first of `packages` that is a Python package (has a
/// `pyproject.toml`): where its tests and requirements file live.
pub fn python_dir<'a>(
    ws: &Workspace,
    packages: impl IntoIterator<Item = &'a Package>,
) -> Option<String> {
    let package = packages.into_iter().find(|p| p.pyproject.is_some())?;
    Some(ws.member(&package.name)?.dir.clone())
}

/// `--rust (edgequake-llm 0.1.0), --py (edgequake-litellm 0.1.0)`.
pub fn describe_flags(packages: &[Package]) -> String {
    let list: Vec<String> = packages
        .iter()
        .map(|p| format!("--{} ({} {})", p.flag, p.name, p.version))
        .collect();
    list.join(", ")
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::text::tags::TagTemplate;

    /// A package of the model, without files: `python` gives it a pyproject.
    pub fn package(name: &str, flag: &str, python: bool) -> Package {
        Package {
            name: name.into(),
            flag: flag.into(),
            manifest: format!("{name}/Cargo.toml"),
            version: semver::Version::new(0, 1, 0),
            tag: TagTemplate::new("v{version}").unwrap(),
            previous_tags: vec![],
            changelog: None,
            pyproject: python.then(|| format!("{name}/pyproject.toml")),
            paths: vec![],
            crates: vec![],
            group_pyprojects: vec![],
            mentions: vec![],
            wheels: vec![],
            pre_start: 1,
            fragments: None,
            next_dev: None,
            repository: None,
            origin: String::new(),
        }
    }

    fn workspace() -> Vec<Package> {
        vec![
            package("core", "rust", false),
            package("extra", "extra", false),
            package("binding", "py", true),
        ]
    }

    /// `-p` names and `(flag, value)` pairs, as `cli.rs` would parse them.
    pub fn selection(names: &[&str], flags: &[(&str, Option<&str>)]) -> Selection {
        Selection {
            names: names.iter().map(|n| n.to_string()).collect(),
            flags: flags
                .iter()
                .map(|(f, v)| (f.to_string(), v.map(String::from)))
                .collect(),
        }
    }

    #[test]
    fn flags_and_names_choose_in_configuration_order_with_their_values() {
        let packages = workspace();
        type Case<'a> = (
            &'a [&'a str],
            &'a [(&'a str, Option<&'a str>)],
            &'a [&'a str],
        );
        let cases: &[Case] = &[
            (&[], &[], &[]),
            (&[], &[("py", None)], &["binding -"]),
            (
                &[],
                &[("py", Some("minor")), ("rust", None)],
                &["core -", "binding minor"],
            ),
            (&["binding", "core"], &[], &["core -", "binding -"]),
            (&["core"], &[("rust", Some("0.3.0"))], &["core 0.3.0"]),
        ];
        for (names, flags, want) in cases {
            let got: Vec<String> = choose(&packages, &selection(names, flags))
                .unwrap()
                .iter()
                .map(|c| format!("{} {}", c.package.name, c.value.as_deref().unwrap_or("-")))
                .collect();
            assert_eq!(got, *want, "names {names:?} flags {flags:?}");
        }
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_flags() {
        let err = choose(&workspace(), &selection(&["ghost"], &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown package `ghost`: the released packages are --rust (core 0.1.0), --extra (extra 0.1.0), --py (binding 0.1.0)"
        );
    }

    #[test]
    fn one_key_is_a_name_or_a_flag() {
        let packages = workspace();
        for key in ["core", "rust", "--rust"] {
            assert_eq!(one(&packages, key).unwrap().name, "core");
        }
        assert_eq!(
            one(&packages, "nope").unwrap_err().to_string(),
            "unknown package `nope`: the released packages are core (rust), extra (extra), binding (py)"
        );
    }

    #[test]
    fn one_of_kind_takes_the_only_one_or_the_named_one() {
        let packages = workspace();
        assert_eq!(one_of_kind(&packages, None, true).unwrap().name, "binding");
        assert_eq!(
            one_of_kind(&packages, Some("py"), true).unwrap().name,
            "binding"
        );
        assert_eq!(
            one_of_kind(&packages, Some("extra"), false).unwrap().name,
            "extra"
        );
        let errors = [
            (
                one_of_kind(&packages, None, false),
                "several Rust packages are released (core, extra): choose one with -p NAME",
            ),
            (
                one_of_kind(&packages, Some("core"), true),
                "`core` is not a released Python package: the Python packages are binding",
            ),
            (
                one_of_kind(&packages[..2], None, true),
                "the release configuration has no Python package: add a `[[workspace.metadata.xtask-release.package]]`",
            ),
            (
                one_of_kind(&packages[..0], Some("x"), false),
                "`x` is not a released Rust package: the Rust packages are none",
            ),
        ];
        for (result, message) in errors {
            assert_eq!(result.unwrap_err().to_string(), message);
        }
    }
}
