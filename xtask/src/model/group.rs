//! A package's crate group (`crates`): the fields that must hold its
//! version — each member's own `version`, the root's `[workspace.package]
//! version` its inheriting members share, a binding member's static
//! `pyproject.toml` version — and the package's own `pyproject.toml`.

use crate::model::field::{Field, Kind, field};
use crate::model::package::{Member, Package, ROOT_MANIFEST};
use crate::model::workspace::Workspace;
use crate::text::pyproject;
use crate::text::version::{pep440_matches, to_pep440};

/// The members of the package's group that inherit `[workspace.package]
/// version` (the package itself left out).
pub fn inheriting<'a>(ws: &'a Workspace, package: &Package) -> Vec<&'a Member> {
    package
        .crates
        .iter()
        .filter_map(|name| ws.member(name))
        .filter(|m| m.inherited)
        .collect()
}

/// Whether the root's `[workspace.package] version` is the package's: it
/// inherits it, or a member of its group does.
pub fn holds_workspace_version(ws: &Workspace, package: &Package) -> bool {
    ws.member(&package.name).is_some_and(|m| m.inherited) || !inheriting(ws, package).is_empty()
}

/// The version of each crate of the package's group (`crates`), which must
/// be the package's; then each binding member's `pyproject.toml`.
pub fn group_fields(ws: &Workspace, package: &Package) -> Vec<Field> {
    let current = &package.version;
    let mut out = Vec::new();
    for member in package.crates.iter().filter_map(|name| ws.member(name)) {
        if member.inherited {
            continue; // one row for all who inherit it, below
        }
        let problem = (member.version != *current).then(|| {
            format!(
                "{}:{}: `{}` is at {} but its group follows {} {current}: set it to \"{current}\", or run `cargo xtask sync`",
                member.manifest, member.version_line, member.name, member.version, package.name
            )
        });
        let value = member.version.to_string();
        let line = member.version_line;
        out.push(Field {
            holder: Some(member.name.clone()),
            ..field(
                package,
                Kind::Manifest,
                &member.manifest,
                line,
                value,
                problem,
            )
        });
    }
    out.extend(workspace_version_field(ws, package));
    for (member, path) in &package.group_pyprojects {
        out.push(Field {
            holder: Some(member.clone()),
            ..pyproject_field(ws, package, path)
        });
    }
    out
}

/// `[workspace.package] version` when members of the group inherit it and
/// the package does not (else it is the package's manifest field).
fn workspace_version_field(ws: &Workspace, package: &Package) -> Option<Field> {
    let inheriting = inheriting(ws, package);
    let first = inheriting.first()?;
    if ws.member(&package.name).is_some_and(|m| m.inherited) {
        return None;
    }
    let current = &package.version;
    let names: Vec<&str> = inheriting.iter().map(|m| m.name.as_str()).collect();
    let names = names.join(", ");
    let line = ws.workspace_version_line;
    let problem = (first.version != *current).then(|| {
        format!(
            "{ROOT_MANIFEST}:{line}: `[workspace.package] version` is {}, inherited by {names}, but their group follows {} {current}: set it to \"{current}\", or run `cargo xtask sync`",
            first.version, package.name
        )
    });
    let value = first.version.to_string();
    Some(Field {
        holder: Some(format!("[workspace.package], {} crates", inheriting.len())),
        ..field(package, Kind::Manifest, ROOT_MANIFEST, line, value, problem)
    })
}

/// The static `[project] version` of a `pyproject.toml` that follows the
/// package (its own, or a binding member's), in PEP 440 form.
pub fn pyproject_field(ws: &Workspace, package: &Package, path: &str) -> Field {
    let current = &package.version;
    match pyproject::version(path, ws.files.text(path)) {
        Ok(Some(found)) => {
            let wanted = to_pep440(current);
            let same = pep440_matches(&found.value, current);
            let problem = match (&wanted, same) {
                (_, true) => None,
                (Ok(wanted), false) => Some(format!(
                    "{path}:{}: version \"{}\" disagrees with {} version {current}: set it to \"{wanted}\", or run `cargo xtask sync`",
                    found.line, found.value, package.manifest
                )),
                (Err(why), false) => Some(format!("{path}:{}: {why}", found.line)),
            };
            let (line, value) = (found.line, found.value);
            field(package, Kind::Pyproject, path, line, value, problem)
        }
        Ok(None) => {
            let value = "dynamic (from Cargo.toml)".into();
            field(package, Kind::Pyproject, path, 0, value, None)
        }
        Err(err) => {
            let problem = Some(format!("{err:#}"));
            let value = "unreadable".into();
            field(package, Kind::Pyproject, path, 0, value, problem)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::fields::{Kind, fields};
    use crate::model::workspace::Workspace;
    use crate::model::workspace::test_texts::{krate, load, replaced};

    const ROOT: &str = "[workspace]\nmembers = [\"core\", \"store\", \"net\", \"py\"]\n\n[workspace.package]\n# Every backend shares this.\nversion = \"1.0.0\"\n\n[workspace.metadata.xtask-release]\n[[workspace.metadata.xtask-release.package]]\nname = \"core\"\ncrates = [\"store\", \"net\", \"py\"]\n";
    const INHERITS: &str = "[package]\nname = \"NAME\"\nversion.workspace = true\n";
    const STATIC_PY: &str =
        "[project]\nname = \"py\"\n# kept in step by the release\nversion = \"1.0.0\"\n";

    /// `core` at 1.0.0 in its own manifest; `store` and `net` inheriting the
    /// workspace version; `py` a binding at 1.0.0 with `pyproject`.
    fn files(pyproject: &str) -> Vec<(&'static str, String)> {
        vec![
            ("Cargo.toml", ROOT.to_string()),
            ("core/Cargo.toml", krate("core", "1.0.0", "")),
            ("store/Cargo.toml", INHERITS.replace("NAME", "store")),
            ("net/Cargo.toml", INHERITS.replace("NAME", "net")),
            ("py/Cargo.toml", krate("py", "1.0.0", "")),
            ("py/pyproject.toml", pyproject.to_string()),
        ]
    }

    fn with(pyproject: &str, edits: &[(&str, &str, &str)]) -> Workspace {
        let files = files(pyproject);
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        if edits.is_empty() {
            load(&files)
        } else {
            replaced(&files, edits)
        }
    }

    /// The group's rows: holder, location, value and problem.
    fn rows(ws: &Workspace) -> Vec<String> {
        fields(ws, &crate::text::tag_index::TagIndex::default())
            .into_iter()
            .filter(|f| f.holder.is_some() && matches!(f.kind, Kind::Manifest | Kind::Pyproject))
            .map(|f| {
                let problem = f.problem.map(|p| format!(" | {p}")).unwrap_or_default();
                let holder = f.holder.unwrap_or_default();
                format!("{holder} {}:{} {}{problem}", f.file, f.line, f.value)
            })
            .collect()
    }

    #[test]
    fn inheriting_members_share_one_row_and_a_binding_its_pyproject() {
        let ws = with(STATIC_PY, &[]);
        assert_eq!(
            rows(&ws),
            [
                "py py/Cargo.toml:3 1.0.0",
                "[workspace.package], 2 crates Cargo.toml:6 1.0.0",
                "py py/pyproject.toml:4 1.0.0"
            ]
        );
        assert!(super::holds_workspace_version(&ws, &ws.packages[0]));
        let names: Vec<&str> = super::inheriting(&ws, &ws.packages[0])
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, ["store", "net"]);
    }

    #[test]
    fn a_workspace_version_out_of_step_is_one_problem() {
        let ws = with(STATIC_PY, &[("Cargo.toml", "\"1.0.0\"", "\"1.0.1\"")]);
        assert_eq!(
            rows(&ws)[1],
            "[workspace.package], 2 crates Cargo.toml:6 1.0.1 | Cargo.toml:6: `[workspace.package] version` is 1.0.1, inherited by store, net, but their group follows core 1.0.0: set it to \"1.0.0\", or run `cargo xtask sync`"
        );
    }

    #[test]
    fn a_binding_pyproject_out_of_step_names_its_pep440_spelling() {
        // The group at a release candidate.
        let rc = [
            ("core/Cargo.toml", "1.0.0", "1.1.0-rc.1"),
            ("py/Cargo.toml", "1.0.0", "1.1.0-rc.1"),
            ("Cargo.toml", "\"1.0.0\"", "\"1.1.0-rc.1\""),
        ];
        let ws = with(STATIC_PY, &rc);
        assert_eq!(
            rows(&ws)[2],
            "py py/pyproject.toml:4 1.0.0 | py/pyproject.toml:4: version \"1.0.0\" disagrees with core/Cargo.toml version 1.1.0-rc.1: set it to \"1.1.0rc1\", or run `cargo xtask sync`"
        );
        let same = with(&STATIC_PY.replace("1.0.0", "1.1.0rc1"), &rc);
        assert!(
            rows(&same).iter().all(|r| !r.contains(" | ")),
            "{:?}",
            rows(&same)
        );
    }

    #[test]
    fn a_dynamic_binding_version_is_no_problem() {
        let ws = with("[project]\nname = \"py\"\ndynamic = [\"version\"]\n", &[]);
        assert_eq!(
            rows(&ws)[2],
            "py py/pyproject.toml:0 dynamic (from Cargo.toml)"
        );
    }

    #[test]
    fn a_package_that_inherits_itself_has_no_extra_row() {
        let ws = with(
            STATIC_PY,
            &[(
                "core/Cargo.toml",
                "version = \"1.0.0\"",
                "version.workspace = true",
            )],
        );
        assert!(super::holds_workspace_version(&ws, &ws.packages[0]));
        assert_eq!(rows(&ws).len(), 2, "{:?}", rows(&ws));
    }
}
