//! The only place that runs git.

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

/// Every tag name, or none outside a git repository.
pub fn tags(sh: &Shell) -> Result<Vec<String>> {
    let inside = cmd!(sh, "git rev-parse --is-inside-work-tree")
        .quiet()
        .ignore_stderr()
        .read();
    if inside.is_err() {
        return Ok(Vec::new());
    }
    let out = cmd!(sh, "git tag --list").quiet().read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Commits in `range` (all history when `None`) touching `paths`, oldest
/// first, in `format`; merges are left out.
pub fn log(sh: &Shell, range: Option<&str>, paths: &[String], format: &str) -> Result<String> {
    let format = format!("--format={format}");
    let range: Vec<&str> = range.into_iter().collect();
    let out = cmd!(
        sh,
        "git log --no-merges --reverse {format} {range...} -- {paths...}"
    )
    .quiet()
    .read()?;
    Ok(out)
}

pub fn head(sh: &Shell) -> Result<String> {
    cmd!(sh, "git rev-parse HEAD")
        .quiet()
        .read()
        .context("this repository has no commit yet: commit first")
}

/// The checked-out branch, `None` when HEAD is detached.
pub fn branch(sh: &Shell) -> Result<Option<String>> {
    let name = cmd!(sh, "git symbolic-ref --quiet --short HEAD")
        .quiet()
        .ignore_stderr()
        .read();
    Ok(name.ok())
}

/// `git status --porcelain`: tracked changes and untracked files, not ignored ones.
pub fn status(sh: &Shell) -> Result<String> {
    Ok(cmd!(sh, "git status --porcelain --untracked-files=normal")
        .quiet()
        .read()?)
}

/// Fetches the remote's branches; `--no-tags` so a check never adds local tags.
pub fn fetch(sh: &Shell, remote: &str) -> Result<()> {
    cmd!(sh, "git fetch --quiet --no-tags {remote}")
        .quiet()
        .run()
        .with_context(|| format!("`git fetch {remote}` failed"))
}

/// `(ahead, behind)` of HEAD against its upstream; `None` without an upstream.
pub fn ahead_behind(sh: &Shell) -> Result<Option<(u64, u64)>> {
    let range = "HEAD...@{upstream}";
    let Ok(counts) = cmd!(sh, "git rev-list --left-right --count {range}")
        .quiet()
        .ignore_stderr()
        .read()
    else {
        return Ok(None);
    };
    let mut parts = counts.split_whitespace().map(|n| n.parse::<u64>());
    match (parts.next(), parts.next()) {
        (Some(Ok(ahead)), Some(Ok(behind))) => Ok(Some((ahead, behind))),
        _ => bail!("unexpected output of git rev-list: {counts}"),
    }
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

/// Tags pointing at HEAD.
pub fn tags_at_head(sh: &Shell) -> Result<Vec<String>> {
    let out = cmd!(sh, "git tag --points-at HEAD").quiet().read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// The first line of HEAD's message.
pub fn head_subject(sh: &Shell) -> Result<String> {
    Ok(cmd!(sh, "git log -1 --format=%s HEAD").quiet().read()?)
}

/// The message subject of an annotated tag; `None` for a lightweight tag.
pub fn annotation(sh: &Shell, tag: &str) -> Result<Option<String>> {
    let reference = format!("refs/tags/{tag}");
    let format = "--format=%(objecttype) %(contents:subject)";
    let out = cmd!(sh, "git for-each-ref {format} {reference}")
        .quiet()
        .read()?;
    Ok(out.strip_prefix("tag ").map(str::to_string))
}

/// Each tag with the day it was made (the tagger's date for an annotated
/// tag, the commit's for a lightweight one); empty outside a repository.
pub fn tag_dates(sh: &Shell) -> Result<Vec<(String, chrono::NaiveDate)>> {
    let inside = cmd!(sh, "git rev-parse --is-inside-work-tree")
        .quiet()
        .ignore_stderr()
        .read();
    if inside.is_err() {
        return Ok(Vec::new());
    }
    let format = "--format=%(refname:short)%09%(creatordate:short)";
    let out = cmd!(sh, "git for-each-ref {format} refs/tags")
        .quiet()
        .read()?;
    Ok(out
        .lines()
        .filter_map(|line| {
            let (tag, date) = line.split_once('\t')?;
            let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
            Some((tag.to_string(), date))
        })
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

/// Files changed by the HEAD commit.
pub fn head_files(sh: &Shell) -> Result<Vec<String>> {
    let out = cmd!(sh, "git diff-tree --no-commit-id --name-only -r HEAD")
        .quiet()
        .read()?;
    Ok(out.lines().map(str::to_string).collect())
}

pub fn commit(sh: &Shell, files: &[String], message: &str) -> Result<()> {
    cmd!(sh, "git add -- {files...}").quiet().run()?;
    cmd!(sh, "git commit --quiet -m {message} -- {files...}")
        .run()
        .context("git commit failed")
}

pub fn tag(sh: &Shell, name: &str, message: &str) -> Result<()> {
    cmd!(sh, "git tag --annotate {name} -m {message}")
        .quiet()
        .run()
        .with_context(|| format!("cannot create the tag {name}"))
}

pub fn delete_tag(sh: &Shell, name: &str) -> Result<()> {
    cmd!(sh, "git tag --delete {name}")
        .quiet()
        .ignore_stdout()
        .run()
        .with_context(|| format!("cannot delete the tag {name}"))
}

/// Moves the branch back to `sha`, keeping the index and the working tree.
pub fn reset_soft(sh: &Shell, sha: &str) -> Result<()> {
    cmd!(sh, "git reset --quiet --soft {sha}")
        .quiet()
        .run()
        .with_context(|| format!("cannot reset to {sha}"))
}

/// Resets the index entries of `files` to `sha`, leaving the working tree alone.
pub fn unstage(sh: &Shell, sha: &str, files: &[String]) -> Result<()> {
    cmd!(sh, "git reset --quiet {sha} -- {files...}")
        .quiet()
        .run()
        .with_context(|| format!("cannot unstage {}", files.join(", ")))
}

pub fn rev_parse(sh: &Shell, rev: &str) -> Result<String> {
    cmd!(sh, "git rev-parse --verify --quiet {rev}")
        .quiet()
        .read()
        .with_context(|| format!("`{rev}` does not name a commit"))
}

/// Puts `files` back as they are in `sha`, in the index and the working tree.
pub fn restore(sh: &Shell, sha: &str, files: &[String]) -> Result<()> {
    cmd!(
        sh,
        "git restore --quiet --source={sha} --staged --worktree -- {files...}"
    )
    .quiet()
    .run()
    .with_context(|| format!("cannot restore {} from {sha}", files.join(", ")))
}

/// Those of `files` that git ignores.
pub fn ignored(sh: &Shell, files: &[String]) -> Result<Vec<String>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // Exit code 1 means "none ignored": read the output either way.
    let out = cmd!(sh, "git check-ignore -- {files...}")
        .quiet()
        .ignore_status()
        .read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Whether `files` differ from HEAD in the working tree or the index.
pub fn modified(sh: &Shell, files: &[String]) -> Result<bool> {
    let out = cmd!(sh, "git status --porcelain -- {files...}")
        .quiet()
        .read()?;
    Ok(!out.trim().is_empty())
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

pub fn switch_new(sh: &Shell, branch: &str) -> Result<()> {
    cmd!(sh, "git switch --quiet --create {branch}")
        .quiet()
        .run()
        .with_context(|| format!("cannot create the branch {branch}"))
}

pub fn switch(sh: &Shell, branch: &str) -> Result<()> {
    cmd!(sh, "git switch --quiet {branch}")
        .quiet()
        .run()
        .with_context(|| format!("cannot switch to {branch}"))
}

pub fn delete_branch(sh: &Shell, branch: &str) -> Result<()> {
    cmd!(sh, "git branch --quiet -D {branch}")
        .quiet()
        .run()
        .with_context(|| format!("cannot delete the branch {branch}"))
}

pub fn branch_exists(sh: &Shell, branch: &str) -> bool {
    let reference = format!("refs/heads/{branch}");
    cmd!(sh, "git show-ref --verify --quiet {reference}")
        .quiet()
        .run()
        .is_ok()
}
