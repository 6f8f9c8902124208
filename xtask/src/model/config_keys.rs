//! Typed values read off a configuration table, each mistake named by its
//! key and where the table was read.

use anyhow::{Result, bail};
use toml_edit::TableLike;

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
