//! Typed values read off a configuration table, each mistake named by its
//! key and where the table was read.

use anyhow::{Result, bail};
use toml_edit::TableLike;

use crate::text::tags::glob_match;
use crate::text::version::Level;

/// Refuses a key `allowed` does not list, naming the ones it does.
pub fn check_keys(table: &dyn TableLike, allowed: &[&str], origin: &str) -> Result<()> {
    for (key, _) in table.iter() {
        if !allowed.contains(&key) {
            bail!(
                "{origin}: unknown key `{key}`: the keys are {}",
                allowed.join(", ")
            );
        }
    }
    Ok(())
}

/// An array of strings at `key`, if there is one.
pub fn strings(table: &dyn TableLike, key: &str, origin: &str) -> Result<Option<Vec<String>>> {
    let Some(item) = table.get(key) else {
        return Ok(None);
    };
    let strings = item.as_array().map(|a| {
        a.iter()
            .map(|v| v.as_str().map(String::from))
            .collect::<Option<Vec<_>>>()
    });
    match strings {
        Some(Some(list)) => Ok(Some(list)),
        _ => bail!("{origin}: `{key}` must be an array of strings"),
    }
}

/// A string at `key`, if there is one.
pub fn string(table: &dyn TableLike, key: &str, origin: &str) -> Result<Option<String>> {
    match table.get(key) {
        None => Ok(None),
        Some(item) => match item.as_str() {
            Some(s) => Ok(Some(s.to_string())),
            None => bail!("{origin}: `{key}` must be a string"),
        },
    }
}

/// `pre-start`, if set: the first number of a pre-release train, 0 or 1.
pub fn pre_start(table: &dyn TableLike, origin: &str) -> Result<Option<u64>> {
    let Some(item) = table.get("pre-start") else {
        return Ok(None);
    };
    match item.as_integer() {
        Some(n @ (0 | 1)) => Ok(Some(n as u64)),
        Some(n) => bail!(
            "{origin}: `pre-start = {n}` is unknown: use 0 (a train starts at rc.0) or 1 (at rc.1, the default)"
        ),
        None => bail!("{origin}: `pre-start` must be the number 0 or 1"),
    }
}

/// `next-dev`, if set: `"minor"` or `"patch"` (the level of the next
/// version whose `-dev.0` follows a release), or `false` (`Some(None)`).
pub fn next_dev(table: &dyn TableLike, origin: &str) -> Result<Option<Option<Level>>> {
    let Some(item) = table.get("next-dev") else {
        return Ok(None);
    };
    match (item.as_str(), item.as_bool()) {
        (Some("minor"), _) => Ok(Some(Some(Level::Minor))),
        (Some("patch"), _) => Ok(Some(Some(Level::Patch))),
        (_, Some(false)) => Ok(Some(None)),
        (Some(other), _) => bail!(
            "{origin}: `next-dev = \"{other}\"` is unknown: use \"minor\" (0.8.0 is followed by 0.9.0-dev.0), \"patch\" (by 0.8.1-dev.0) or false"
        ),
        _ => bail!("{origin}: `next-dev` must be \"minor\", \"patch\" or false"),
    }
}

/// Whether `text` is a glob: it holds `*` or `?`.
fn is_glob(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// `(branch, branches)` from the keys as written: `branches` defaults to
/// `[branch]`; `branch` to the first entry of `branches`, which is then a
/// name (the main line), else `main`. Both given, `branches` must take
/// `branch`.
pub fn branches(
    branch: Option<String>,
    branches: Option<Vec<String>>,
    origin: &str,
) -> Result<(String, Vec<String>)> {
    let Some(branches) = branches else {
        let branch = branch.unwrap_or_else(|| "main".into());
        return Ok((branch.clone(), vec![branch]));
    };
    if let Some(empty) = branches.iter().find(|b| b.trim().is_empty()) {
        bail!(
            "{origin}: `branches` entry \"{empty}\" names no branch: list branch names or globs, the main line first, e.g. branches = [\"main\", \"release-*\"]"
        );
    }
    let Some(first) = branches.first() else {
        bail!(
            "{origin}: `branches = []` lets no release run: list the branch names or globs releases run on, the main line first, e.g. branches = [\"main\", \"release-*\"]"
        );
    };
    let branch = match branch {
        Some(branch) => branch,
        None if is_glob(first) => bail!(
            "{origin}: `branches` starts with the glob `{first}`: its first entry is the main line, where changelog sections are ported, so name it (branches = [\"main\", \"{first}\"]) or set `branch`"
        ),
        None => first.clone(),
    };
    if !branches.iter().any(|glob| glob_match(glob, &branch)) {
        bail!(
            "{origin}: `branch = \"{branch}\"` is not among `branches` ({}): add it, first, e.g. branches = [\"{branch}\", \"release-*\"]",
            branches.join(", ")
        );
    }
    Ok((branch, branches))
}
