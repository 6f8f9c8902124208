//! The git commands that talk to a remote: fetch, ls-remote, push. The
//! remote follows `--end-of-options`, so no value is taken for an option
//! (`--upload-pack=…` would run a command); a push's output (the remote's
//! hooks print what they like) is relayed through the output floor.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::adapters::relay;

/// The names of the configured remotes (`git remote`).
pub fn remotes(sh: &Shell) -> Result<Vec<String>> {
    let out = super::exit::run(cmd!(sh, "git remote"))?.ok()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Fetches the remote's branches; `--no-tags` so a check never adds local tags.
pub fn fetch(sh: &Shell, remote: &str) -> Result<()> {
    cmd!(sh, "git fetch --quiet --no-tags --end-of-options {remote}")
        .quiet()
        .run()
        .with_context(|| format!("`git fetch {remote}` failed"))
}

/// Tag names on `remote`.
pub fn remote_tags(sh: &Shell, remote: &str) -> Result<Vec<String>> {
    let out = cmd!(sh, "git ls-remote --tags --refs --end-of-options {remote}")
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
    let out = cmd!(sh, "git ls-remote --end-of-options {remote} {reference}")
        .quiet()
        .read()
        .with_context(|| {
            format!("cannot reach `{remote}`: check the remote with `git remote -v`")
        })?;
    Ok(out.split_whitespace().next().map(str::to_string))
}

/// `git push --atomic remote refs…`: all refs or none. A push that ran to
/// its end and failed fails with [`relay::Failed`] and its exit code.
pub fn push_atomic(sh: &Shell, remote: &str, refs: &[String]) -> Result<()> {
    relay::run(cmd!(
        sh,
        "git push --atomic --quiet --end-of-options {remote} {refs...}"
    ))
    .with_context(|| format!("`git push --atomic {remote} {}` failed", refs.join(" ")))
}

pub fn push_branch(sh: &Shell, remote: &str, branch: &str) -> Result<()> {
    relay::run(cmd!(
        sh,
        "git push --quiet --set-upstream --end-of-options {remote} {branch}"
    ))
    .with_context(|| format!("`git push {remote} {branch}` failed"))
}

/// Fetches `branch` of `remote` (into `FETCH_HEAD`: no ref here changes),
/// so its commits can be read.
pub fn fetch_branch(sh: &Shell, remote: &str, branch: &str) -> Result<()> {
    let reference = format!("refs/heads/{branch}");
    cmd!(
        sh,
        "git fetch --quiet --no-tags --end-of-options {remote} {reference}"
    )
    .quiet()
    .run()
    .with_context(|| format!("`git fetch {remote} {reference}` failed"))
}

/// Sets `branch` on `remote` to `to` (`None`: deletes it) only while it is
/// still at `old` (`--force-with-lease`); `--set-upstream` when it pushes
/// the local branch of that name.
pub fn push_lease(
    sh: &Shell,
    remote: &str,
    branch: &str,
    to: Option<&str>,
    old: &str,
) -> Result<()> {
    let lease = format!("--force-with-lease={branch}:{old}");
    let upstream: Vec<&str> = (to == Some(branch))
        .then_some("--set-upstream")
        .into_iter()
        .collect();
    let refspec = format!("{}:refs/heads/{branch}", to.unwrap_or_default());
    relay::run(cmd!(
        sh,
        "git push --quiet {lease} {upstream...} --end-of-options {remote} {refspec}"
    ))
    .with_context(|| format!("`git push {lease} {remote} {refspec}` failed"))
}

pub fn push_delete_tag(sh: &Shell, remote: &str, tag: &str) -> Result<()> {
    let refspec = format!(":refs/tags/{tag}");
    relay::run(cmd!(
        sh,
        "git push --quiet --end-of-options {remote} {refspec}"
    ))
    .with_context(|| format!("cannot delete {tag} on {remote}"))
}

pub fn push_delete_branch(sh: &Shell, remote: &str, branch: &str) -> Result<()> {
    let refspec = format!(":refs/heads/{branch}");
    relay::run(cmd!(
        sh,
        "git push --quiet --end-of-options {remote} {refspec}"
    ))
    .with_context(|| format!("cannot delete {branch} on {remote}"))
}

/// `(tag, commit)` of every tag on `remote`, annotated tags peeled to the
/// commit they tag.
pub fn remote_tag_commits(sh: &Shell, remote: &str) -> Result<Vec<(String, String)>> {
    let out = cmd!(sh, "git ls-remote --tags --end-of-options {remote}")
        .quiet()
        .read()
        .with_context(|| {
            format!("cannot list the tags of `{remote}`: check the remote with `git remote -v`")
        })?;
    Ok(peeled(&out))
}

/// The `ls-remote --tags` lines as `(tag, commit)` (pure): a `TAG^{}` line
/// (the commit an annotated tag tags) wins over the tag object's line.
fn peeled(out: &str) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = Vec::new();
    for line in out.lines() {
        let Some((sha, name)) = line.split_once('\t') else {
            continue;
        };
        let Some(name) = name.strip_prefix("refs/tags/") else {
            continue;
        };
        let (tag, is_peeled) = match name.strip_suffix("^{}") {
            Some(tag) => (tag, true),
            None => (name, false),
        };
        match tags.iter_mut().find(|(t, _)| t == tag) {
            Some(entry) if is_peeled => entry.1 = sha.to_string(),
            Some(_) => {}
            None => tags.push((tag.to_string(), sha.to_string())),
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotated_tags_are_peeled_to_their_commit() {
        let out = "aaa\trefs/tags/v1\nbbb\trefs/tags/v1^{}\nccc\trefs/tags/light\n";
        assert_eq!(
            peeled(out),
            [
                ("v1".to_string(), "bbb".to_string()),
                ("light".to_string(), "ccc".to_string())
            ]
        );
    }
}
