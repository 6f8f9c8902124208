//! Files in the history: the commit that added each of some files, the
//! merge base with a branch and the files changed since it (a pull
//! request's files), and the files git does not track yet.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

/// The newest commit (merges left out) that added each of `paths`, by
/// path; a path no commit added is not in the map.
pub fn adding_commits(sh: &Shell, paths: &[String]) -> Result<BTreeMap<String, String>> {
    if paths.is_empty() {
        return Ok(BTreeMap::new());
    }
    let out = cmd!(
        sh,
        "git log --no-merges --diff-filter=A --no-renames --format=%x1e%H --name-only -z -- {paths...}"
    )
    .quiet()
    .read()?;
    Ok(parse_adding(&out))
}

/// Reads `--format=%x1e%H --name-only -z` (pure): records of `HASH\0\n
/// path\0path\0`, newest first; the first commit naming a path wins.
fn parse_adding(out: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for record in out.split('\x1e') {
        let mut fields = record.split('\0');
        let Some(hash) = fields.next().map(str::trim).filter(|h| !h.is_empty()) else {
            continue;
        };
        for path in fields
            .map(|p| p.trim_start_matches('\n'))
            .filter(|p| !p.is_empty())
        {
            found
                .entry(path.to_string())
                .or_insert_with(|| hash.to_string());
        }
    }
    found
}

/// The merge base of HEAD and `rev`: where a branch left `rev`.
pub fn merge_base(sh: &Shell, rev: &str) -> Result<String> {
    let out = cmd!(sh, "git merge-base --end-of-options HEAD {rev}")
        .quiet()
        .read()
        .with_context(|| {
            format!("cannot find where HEAD left {rev}: fetch it (`git fetch origin`), with its history (`fetch-depth: 0` in a workflow)")
        })?;
    Ok(out.trim().to_string())
}

/// The files under `paths` (git pathspecs) that differ from `base` in the
/// work tree — tracked ones changed since (committed or not), a rename as
/// its two paths, and untracked ones git does not ignore.
pub fn changed_since(sh: &Shell, base: &str, paths: &[String]) -> Result<Vec<String>> {
    let diff = cmd!(
        sh,
        "git diff --name-only --no-renames -z --end-of-options {base} -- {paths...}"
    )
    .quiet()
    .read()?;
    let untracked = cmd!(
        sh,
        "git ls-files -z --others --exclude-standard -- {paths...}"
    )
    .quiet()
    .read()?;
    let mut files: Vec<String> = diff
        .split('\0')
        .chain(untracked.split('\0'))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_adding_each_path_wins() {
        let out = "\x1eaaa\0\nb c.md\0d.md\0\x1ebbb\0\na.md\0d.md\0";
        let found = parse_adding(out);
        assert_eq!(found["b c.md"], "aaa");
        assert_eq!(found["d.md"], "aaa");
        assert_eq!(found["a.md"], "bbb");
        assert!(parse_adding("").is_empty());
    }
}
