//! The version fields of the `Cargo.lock` files: in each live lock, the
//! entry of every member of its workspace (one missing is a problem) and of
//! every other member it locks as a path dependency; a lock left alone (git
//! ignores it, or there is none) is one row per member of its workspace
//! that says so.

use std::collections::BTreeMap;

use crate::model::field::{Field, Kind};
use crate::model::locks::LockFile;
use crate::model::package::Member;
use crate::model::workspace::Workspace;
use crate::text::lockfile::LockEntry;

/// Every lock field, lock by lock.
pub fn lock_fields(ws: &Workspace) -> Vec<Field> {
    let mut out = Vec::new();
    for lock in &ws.locks {
        let own = ws
            .members
            .iter()
            .filter(|m| !m.name.is_empty() && m.cargo_root == lock.dir);
        if let Some(why) = lock.left_alone() {
            out.extend(own.map(|m| row(lock, m, 0, why.to_string(), None)));
            continue;
        }
        let entries = lock.entries(&ws.files);
        // The first entry of each name: members are looked up, not scanned for.
        let mut first: BTreeMap<&str, &LockEntry> = BTreeMap::new();
        for entry in entries {
            first.entry(entry.name.as_str()).or_insert(entry);
        }
        // An entry, judged against its member's version; `fix` refreshes it.
        let judged = |member: &Member, entry: &LockEntry, fix: &str| {
            let problem = drift(lock, member, &entry.version, entry.line, fix);
            row(lock, member, entry.line, entry.version.clone(), problem)
        };
        for member in own {
            let Some(entry) = first.get(member.name.as_str()) else {
                let fix = lock.cargo("generate-lockfile --offline");
                let problem = format!("{}: no entry for `{}`: run `{fix}`", lock.path, member.name);
                out.push(row(lock, member, 0, "missing".into(), Some(problem)));
                continue;
            };
            out.push(judged(
                member,
                entry,
                &lock.cargo("update --workspace --offline"),
            ));
        }
        // The path packages it locks: a standalone binding's lock of the crate it embeds.
        for member in ws.members.iter().filter(|m| m.cargo_root != lock.dir) {
            if let Some(entry) = first.get(member.name.as_str()) {
                let fix = lock.cargo(&format!("update -p {} --offline", member.name));
                out.push(judged(member, entry, &fix));
            }
        }
    }
    out
}

/// The problem of an entry at `locked` that is not the member's version.
fn drift(lock: &LockFile, member: &Member, locked: &str, line: usize, fix: &str) -> Option<String> {
    (locked != member.version.to_string()).then(|| {
        format!(
            "{}:{line}: `{}` is locked at {locked} but {} says {}: run `{fix}` or `cargo xtask sync`",
            lock.path, member.name, member.manifest, member.version
        )
    })
}

fn row(
    lock: &LockFile,
    member: &Member,
    line: usize,
    value: String,
    problem: Option<String>,
) -> Field {
    Field {
        package: member.name.clone(),
        kind: Kind::Lock,
        holder: None,
        file: lock.path.clone(),
        line,
        value,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::krate;

    const ROOT: &str = "[workspace]\nmembers = [\"core\"]\n\n[[workspace.metadata.xtask-release.package]]\nname = \"core\"\n\n[[workspace.metadata.xtask-release.package]]\nname = \"py\"\nmanifest = \"py/Cargo.toml\"\n";
    const ROOT_LOCK: &str = "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"1.0.0\"\n";

    /// A root workspace of `core` 1.0.0 and a standalone binding `py` 0.3.0
    /// beside it, whose lock (`py_lock`, when given) locks `core` at `core_locked`.
    fn ws(py_lock: bool, core_locked: &str, ignored: &[&str]) -> Workspace {
        let py = krate(
            "py",
            "0.3.0",
            "[workspace]\n[dependencies]\ncore = { path = \"../core\", version = \"1.0.0\" }\n",
        );
        let lock = format!(
            "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"{core_locked}\"\n\n[[package]]\nname = \"py\"\nversion = \"0.3.0\"\n"
        );
        let core = krate("core", "1.0.0", "");
        let mut files = vec![
            ("Cargo.toml", ROOT),
            ("Cargo.lock", ROOT_LOCK),
            ("core/Cargo.toml", core.as_str()),
            ("py/Cargo.toml", py.as_str()),
        ];
        if py_lock {
            files.push(("py/Cargo.lock", lock.as_str()));
        }
        Workspace::from_texts_ignoring(&files, None, ignored).unwrap_or_else(|e| panic!("{e:#}"))
    }

    fn rows(ws: &Workspace) -> Vec<String> {
        lock_fields(ws)
            .into_iter()
            .map(|f| {
                let row = format!("{} {} {}", f.package, f.location(), f.value);
                match f.problem {
                    Some(p) => format!("{row} | {p}"),
                    None => row,
                }
            })
            .collect()
    }

    #[test]
    fn a_standalone_lock_holds_its_own_package_and_the_crate_it_embeds() {
        assert_eq!(
            rows(&ws(true, "1.0.0", &[])),
            [
                "core Cargo.lock:5 1.0.0",
                "py py/Cargo.lock:9 0.3.0",
                "core py/Cargo.lock:5 1.0.0",
            ]
        );
        assert_eq!(
            rows(&ws(true, "0.9.0", &[]))[2],
            "core py/Cargo.lock:5 0.9.0 | py/Cargo.lock:5: `core` is locked at 0.9.0 but core/Cargo.toml says 1.0.0: run `cargo update -p core --offline --manifest-path py/Cargo.toml` or `cargo xtask sync`"
        );
    }

    #[test]
    fn a_lock_git_ignores_or_none_at_all_is_left_alone_and_said_so() {
        assert_eq!(
            rows(&ws(true, "0.9.0", &["py/Cargo.lock"])),
            [
                "core Cargo.lock:5 1.0.0",
                "py py/Cargo.lock ignored by git: left alone",
            ]
        );
        assert_eq!(
            rows(&ws(false, "1.0.0", &[]))[1],
            "py py/Cargo.lock no file: left alone"
        );
    }
}
