//! Where refs point, for `status`: a tag on a remote (peeled to its
//! commit), and whether a commit is in a branch's history. Git as in
//! `git.rs`: a read that fails is an error, never an empty answer.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

/// The commit `tag` points at on `remote` (the peeled commit of an annotated
/// tag), `None` when the remote has no such tag.
pub fn remote_tag_commit(sh: &Shell, remote: &str, tag: &str) -> Result<Option<String>> {
    let reference = format!("refs/tags/{tag}");
    let peeled = format!("{reference}^{{}}");
    let out = cmd!(sh, "git ls-remote --tags {remote} {reference} {peeled}")
        .quiet()
        .read()
        .with_context(|| {
            format!("cannot list the tags of `{remote}`: check the remote with `git remote -v`")
        })?;
    // An annotated tag lists itself, then the commit it peels to.
    let mut found = None;
    for (sha, name) in out.lines().filter_map(|l| l.split_once('\t')) {
        if name == peeled || (name == reference && found.is_none()) {
            found = Some(sha.to_string());
        }
    }
    Ok(found)
}

/// Whether `commit` is in the history of `rev` (false when `rev` does not exist).
pub fn is_ancestor(sh: &Shell, commit: &str, rev: &str) -> Result<bool> {
    let out = cmd!(sh, "git merge-base --is-ancestor {commit} {rev}")
        .quiet()
        .ignore_status()
        .output()
        .context("cannot run git merge-base")?;
    match out.status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ if cmd!(sh, "git rev-parse --verify --quiet {rev}")
            .quiet()
            .ignore_stdout()
            .run()
            .is_err() =>
        {
            Ok(false)
        }
        _ => anyhow::bail!(
            "git merge-base --is-ancestor {commit} {rev} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    }
}
