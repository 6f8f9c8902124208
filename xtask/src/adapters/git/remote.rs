//! The git commands that talk to a remote: fetch, ls-remote, push.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

/// Fetches the remote's branches; `--no-tags` so a check never adds local tags.
pub fn fetch(sh: &Shell, remote: &str) -> Result<()> {
    cmd!(sh, "git fetch --quiet --no-tags {remote}")
        .quiet()
        .run()
        .with_context(|| format!("`git fetch {remote}` failed"))
}

/// Tag names on `remote`.
pub fn remote_tags(sh: &Shell, remote: &str) -> Result<Vec<String>> {
    let out = cmd!(sh, "git ls-remote --tags --refs {remote}")
        .quiet()
        .read()
        .with_context(|| {
            format!("cannot list the tags of `{remote}`: check the remote with `git remote -v`")
        })?;
    Ok(out
        .lines()
        .filter_map(|l| l.split_once("refs/tags/"))
        .map(|(_, t)| t.to_string())
        .collect())
}

/// The commit `branch` points at on `remote`, if it exists there.
pub fn remote_branch(sh: &Shell, remote: &str, branch: &str) -> Result<Option<String>> {
    let reference = format!("refs/heads/{branch}");
    let out = cmd!(sh, "git ls-remote {remote} {reference}")
        .quiet()
        .read()
        .with_context(|| {
            format!("cannot reach `{remote}`: check the remote with `git remote -v`")
        })?;
    Ok(out.split_whitespace().next().map(str::to_string))
}

/// `git push --atomic remote refs…`: all refs or none.
pub fn push_atomic(sh: &Shell, remote: &str, refs: &[String]) -> Result<()> {
    cmd!(sh, "git push --atomic --quiet {remote} {refs...}")
        .run()
        .with_context(|| format!("`git push --atomic {remote} {}` failed", refs.join(" ")))
}

pub fn push_branch(sh: &Shell, remote: &str, branch: &str) -> Result<()> {
    cmd!(sh, "git push --quiet --set-upstream {remote} {branch}")
        .run()
        .with_context(|| format!("`git push {remote} {branch}` failed"))
}

pub fn push_delete_tag(sh: &Shell, remote: &str, tag: &str) -> Result<()> {
    let refspec = format!(":refs/tags/{tag}");
    cmd!(sh, "git push --quiet {remote} {refspec}")
        .run()
        .with_context(|| format!("cannot delete {tag} on {remote}"))
}
