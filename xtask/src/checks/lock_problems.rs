//! The problems of the `Cargo.lock` files cargo would refuse: not TOML, a
//! member locked at no version, a package locked twice; each live lock (the
//! root's, each standalone package's) with its own path and fix.

use std::collections::BTreeMap;

use crate::ctx::Problem;
use crate::model::locks::LockFile;
use crate::model::workspace::Workspace;
use crate::text::{lockfile, toml};

fn problem(location: impl Into<String>, message: String) -> Problem {
    Problem {
        location: location.into(),
        message,
    }
}

/// The problems of every live lock.
pub fn locks(ws: &Workspace, out: &mut Vec<Problem>) {
    for lock in ws.locks.iter().filter(|l| l.is_live()) {
        one_lock(ws, lock, ws.files.text(&lock.path), out);
    }
}

/// The problems of one live lock that cargo refuses: bad TOML, an entry
/// whose version is none, a package locked twice.
fn one_lock(ws: &Workspace, lock: &LockFile, text: &str, out: &mut Vec<Problem>) {
    let path = lock.path.as_str();
    let regenerate = lock.cargo("generate-lockfile --offline");
    if let Err(err) = toml::parse(path, text) {
        // `path:line: invalid TOML: …`: keep the line, add the way out.
        let message = err.to_string();
        let (location, rest) = message.split_once(": ").unwrap_or((path, message.as_str()));
        out.push(problem(
            location,
            format!("{rest}, or regenerate it with `{regenerate}`"),
        ));
        return;
    }
    // Each member's own entries (no `source`, read once for the model), by
    // name: one pass over the lock.
    let mut by_name: BTreeMap<&str, Vec<&lockfile::LockEntry>> = BTreeMap::new();
    for entry in lock.entries(&ws.files) {
        by_name.entry(entry.name.as_str()).or_default().push(entry);
    }
    for member in ws.members.iter().filter(|m| !m.name.is_empty()) {
        let own = by_name
            .get(member.name.as_str())
            .map_or(&[][..], Vec::as_slice);
        for entry in own
            .iter()
            .filter(|e| semver::Version::parse(&e.version).is_err())
        {
            out.push(problem(
                format!("{path}:{}", entry.line),
                format!(
                    "`{}` is locked at version `{}`, which is not a version (cargo refuses this lock): set it to \"{}\", the version of {}",
                    member.name, entry.version, member.version, member.manifest
                ),
            ));
        }
        if let [first, second, ..] = own[..] {
            out.push(problem(
                format!("{path}:{}", second.line),
                format!(
                    "`{}` has {} entries (the first at line {}): cargo rejects a package specified twice: delete the extra entries, or run `{regenerate}`",
                    member.name,
                    own.len(),
                    first.line
                ),
            ));
        }
    }
}
