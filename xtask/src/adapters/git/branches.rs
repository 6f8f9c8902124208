//! The git reads about branches that `init` makes: every branch, local and
//! remote-tracking, and the tags each one holds.

use anyhow::Result;
use xshell::{Shell, cmd};

use super::exit;

/// Every branch by its full name (`refs/heads/…`, `refs/remotes/REMOTE/…`),
/// a remote's `HEAD` left out.
pub fn branch_refs(sh: &Shell) -> Result<Vec<String>> {
    let format = "--format=%(refname)";
    let out = exit::run(cmd!(
        sh,
        "git for-each-ref {format} refs/heads refs/remotes"
    ))?
    .ok()?;
    Ok(out
        .lines()
        .filter(|l| !(l.starts_with("refs/remotes/") && l.ends_with("/HEAD")))
        .map(str::to_string)
        .collect())
}

/// The tags whose commit the branch `reference` (a full ref name, as
/// `branch_refs` gives it) contains.
pub fn tags_merged_into(sh: &Shell, reference: &str) -> Result<Vec<String>> {
    // The reference is the option's own value, never an argument of its own.
    let merged = format!("--merged={reference}");
    let out = exit::run(cmd!(sh, "git tag --list {merged}"))?.ok()?;
    Ok(out.lines().map(str::to_string).collect())
}
