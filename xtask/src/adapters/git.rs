//! The only place that runs git. A value from the configuration, a commit
//! or a file is never an option: revisions, names and remotes follow
//! `--end-of-options` (git 2.24 or later), paths follow `--`, and a
//! message is the value of its option (`-m MESSAGE`).

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

mod ancestry;
mod branches;
mod exit;
mod files;
mod index;
mod remote;
mod signing;
mod tags;

pub use ancestry::{Listed, commits_not_in, first_parent_after, is_ancestor, merge_base_of};
pub use branches::{branch_refs, tags_merged_into};
pub use files::{adding_commits, changed_since, merge_base};
pub use index::{blob, index_entries, set_index, store_blob, tree_entries};
pub use remote::{
    fetch, fetch_branch, push_atomic, push_branch, push_delete_branch, push_delete_tag, push_lease,
    remote_branch, remote_tag_commits, remote_tags, remotes,
};
pub use signing::{probe as sign_probe, settings as signing, tag_signature};
pub use tags::{
    annotation, merged_series_tags, series_tags, tag_commit, tag_names, tags, tags_at, tags_at_head,
};

/// Commits in `range` (all history when `None`) touching `paths`, oldest
/// first, in `format`; merges are left out.
pub fn log(sh: &Shell, range: Option<&str>, paths: &[String], format: &str) -> Result<String> {
    let format = format!("--format={format}");
    let range: Vec<&str> = range.into_iter().collect();
    let out = cmd!(
        sh,
        "git log --no-merges --reverse {format} --end-of-options {range...} -- {paths...}"
    )
    .quiet()
    .read()?;
    Ok(out)
}

pub fn head(sh: &Shell) -> Result<String> {
    let exit = exit::run(cmd!(sh, "git rev-parse --verify HEAD"))?;
    if exit.code == Some(128) && exit.stderr.contains("Needed a single revision") {
        bail!("this repository has no commit yet: commit first");
    }
    Ok(exit.ok()?.trim().to_string())
}

/// The checked-out branch, `None` when HEAD is detached (`symbolic-ref
/// --quiet` exits 1 and says nothing); any other failure is an error.
pub fn branch(sh: &Shell) -> Result<Option<String>> {
    let exit = exit::run(cmd!(sh, "git symbolic-ref --quiet --short HEAD"))?;
    match exit.code {
        Some(0) => Ok(Some(exit.stdout.trim().to_string())),
        Some(1) if exit.stdout.trim().is_empty() && exit.stderr.trim().is_empty() => Ok(None),
        _ => Err(exit.failure()),
    }
}

/// Whether the root is inside a git work tree; an error other than "not a
/// git repository" is an error, never a "no".
pub fn inside_work_tree(sh: &Shell) -> Result<bool> {
    let exit = exit::run(cmd!(sh, "git rev-parse --is-inside-work-tree"))?;
    if exit.code == Some(0) {
        return Ok(exit.stdout.trim() == "true");
    }
    if exit.stderr.contains("not a git repository") {
        return Ok(false);
    }
    Err(exit.failure())
}

/// Whether HEAD names a commit (`false` before the first commit).
pub fn head_exists(sh: &Shell) -> Result<bool> {
    let rev = "HEAD^{commit}";
    let exit = exit::run(cmd!(sh, "git rev-parse --verify --quiet {rev}"))?;
    match exit.code {
        Some(0) => Ok(true),
        Some(1) if exit.stderr.trim().is_empty() => Ok(false),
        _ => Err(exit.failure()),
    }
}

/// `git status --porcelain`: tracked changes and untracked files, not ignored ones.
pub fn status(sh: &Shell) -> Result<String> {
    Ok(cmd!(sh, "git status --porcelain --untracked-files=normal")
        .quiet()
        .read()?)
}

/// Those of `files` that differ from HEAD in the index or the work tree,
/// or are untracked (ignored files are not listed).
pub fn uncommitted(sh: &Shell, files: &[String]) -> Result<Vec<String>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let out = cmd!(
        sh,
        "git status --porcelain=v1 -z --untracked-files=all -- {files...}"
    )
    .quiet()
    .read()?;
    Ok(porcelain_paths(&out))
}

/// The paths of `git status --porcelain=v1 -z` (pure): `XY path` records,
/// a rename or copy followed by its source, which is left out.
fn porcelain_paths(out: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut records = out.split('\0').filter(|r| !r.is_empty());
    while let Some(record) = records.next() {
        let Some(path) = record.get(3..) else {
            continue;
        };
        paths.push(path.to_string());
        if record.starts_with(['R', 'C']) {
            records.next();
        }
    }
    paths
}

/// Whether `tip` contains `commit`; `false` when `tip` is not a commit this
/// clone has (not fetched: nothing can be told).
pub fn contains(sh: &Shell, tip: &str, commit: &str) -> Result<bool> {
    if tip == commit {
        return Ok(true);
    }
    let object = format!("{tip}^{{commit}}");
    let known = exit::run(cmd!(sh, "git cat-file -e --end-of-options {object}"))?;
    if known.code != Some(0) {
        return Ok(false);
    }
    let exit = exit::run(cmd!(
        sh,
        "git merge-base --is-ancestor --end-of-options {commit} {tip}"
    ))?;
    match exit.code {
        Some(0) => Ok(true),
        Some(1) if exit.stderr.trim().is_empty() => Ok(false),
        _ => Err(exit.failure()),
    }
}

/// Whether this clone is shallow: its history, and so its tags, incomplete.
pub fn is_shallow(sh: &Shell) -> Result<bool> {
    let out = exit::run(cmd!(sh, "git rev-parse --is-shallow-repository"))?.ok()?;
    Ok(out.trim() == "true")
}

/// `(ahead, behind)` of HEAD against its upstream; `None` without an upstream.
pub fn ahead_behind(sh: &Shell) -> Result<Option<(u64, u64)>> {
    let range = "HEAD...@{upstream}";
    let exit = exit::run(cmd!(sh, "git rev-list --left-right --count {range}"))?;
    if exit.code != Some(0) && exit.stderr.contains("no upstream configured") {
        return Ok(None);
    }
    let counts = exit.ok()?;
    let mut parts = counts.split_whitespace().map(|n| n.parse::<u64>());
    match (parts.next(), parts.next()) {
        (Some(Ok(ahead)), Some(Ok(behind))) => Ok(Some((ahead, behind))),
        _ => bail!("unexpected output of git rev-list: {counts}"),
    }
}

/// Commits `files`; those in `removed` are gone from the work tree (a
/// deletion `git add` may have staged already, which a second `git add`
/// of the path refuses): only the others are added first. Its output is not
/// relayed: the hooks that print are the maintainer's own, and a `git commit`
/// whose caller was killed must still be able to finish writing (the
/// journal's resume and abort expect it).
pub fn commit(sh: &Shell, files: &[String], removed: &[String], message: &str) -> Result<()> {
    let added: Vec<&String> = files.iter().filter(|f| !removed.contains(f)).collect();
    if !added.is_empty() {
        cmd!(sh, "git add -- {added...}").quiet().run()?;
    }
    cmd!(sh, "git commit --quiet -m {message} -- {files...}")
        .quiet()
        .run()
        .context("git commit failed")
}

/// An annotated tag `name` at `commit`.
pub fn tag(sh: &Shell, name: &str, message: &str, commit: &str) -> Result<()> {
    cmd!(
        sh,
        "git tag --annotate -m {message} --end-of-options {name} {commit}"
    )
    .quiet()
    .run()
    .with_context(|| format!("cannot create the tag {name}"))
}

pub fn delete_tag(sh: &Shell, name: &str) -> Result<()> {
    cmd!(sh, "git tag --delete --end-of-options {name}")
        .quiet()
        .ignore_stdout()
        .run()
        .with_context(|| format!("cannot delete the tag {name}"))
}

/// Moves the branch back to `sha`, keeping the index and the working tree.
pub fn reset_soft(sh: &Shell, sha: &str) -> Result<()> {
    cmd!(sh, "git reset --quiet --soft --end-of-options {sha}")
        .quiet()
        .run()
        .with_context(|| format!("cannot reset to {sha}"))
}

/// Those of `files` that git ignores (a tracked file never is); outside a
/// git repository, none.
pub fn ignored(sh: &Shell, files: &[String]) -> Result<Vec<String>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // Exit code 1 means "none ignored"; any other failure is an error.
    let exit = exit::run(cmd!(sh, "git check-ignore -- {files...}"))?;
    match exit.code {
        Some(0) => Ok(exit.stdout.lines().map(str::to_string).collect()),
        Some(1) if exit.stderr.trim().is_empty() => Ok(Vec::new()),
        Some(128) if exit.stderr.contains("not a git repository") => Ok(Vec::new()),
        _ => Err(exit.failure()),
    }
}

pub fn switch_new(sh: &Shell, branch: &str) -> Result<()> {
    let create = format!("--create={branch}");
    cmd!(sh, "git switch --quiet {create}")
        .quiet()
        .run()
        .with_context(|| format!("cannot create the branch {branch}"))
}

pub fn switch(sh: &Shell, branch: &str) -> Result<()> {
    cmd!(sh, "git switch --quiet --end-of-options {branch}")
        .quiet()
        .run()
        .with_context(|| format!("cannot switch to {branch}"))
}

/// Creates `branch` at HEAD, or resets it there, and switches to it.
pub fn switch_reset(sh: &Shell, branch: &str) -> Result<()> {
    let create = format!("--force-create={branch}");
    cmd!(sh, "git switch --quiet {create}")
        .quiet()
        .run()
        .with_context(|| format!("cannot reset the branch {branch} to HEAD"))
}

/// Points `branch` (not checked out) at `sha`.
pub fn set_branch(sh: &Shell, branch: &str, sha: &str) -> Result<()> {
    cmd!(
        sh,
        "git branch --quiet --force --end-of-options {branch} {sha}"
    )
    .quiet()
    .run()
    .with_context(|| format!("cannot move the branch {branch} back to {sha}"))
}

pub fn delete_branch(sh: &Shell, branch: &str) -> Result<()> {
    cmd!(sh, "git branch --quiet -D --end-of-options {branch}")
        .quiet()
        .run()
        .with_context(|| format!("cannot delete the branch {branch}"))
}

/// The branch `remote`'s HEAD names (`origin/HEAD`, as a clone sets it),
/// if it names one.
pub fn remote_default_branch(sh: &Shell, remote: &str) -> Result<Option<String>> {
    let reference = format!("refs/remotes/{remote}/HEAD");
    let exit = exit::run(cmd!(sh, "git symbolic-ref --quiet --short {reference}"))?;
    match exit.code {
        Some(0) => Ok(exit
            .stdout
            .trim()
            .strip_prefix(&format!("{remote}/"))
            .map(String::from)),
        Some(1) if exit.stderr.trim().is_empty() => Ok(None),
        _ => Err(exit.failure()),
    }
}

/// The local branches, by their short names.
pub fn local_branches(sh: &Shell) -> Result<Vec<String>> {
    let out = cmd!(sh, "git for-each-ref --format=%(refname:short) refs/heads/")
        .quiet()
        .read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Whether the local branch exists (`show-ref` exits 1 when it does not).
pub fn branch_exists(sh: &Shell, branch: &str) -> Result<bool> {
    let reference = format!("refs/heads/{branch}");
    let exit = exit::run(cmd!(
        sh,
        "git show-ref --verify --quiet --end-of-options {reference}"
    ))?;
    match exit.code {
        Some(0) => Ok(true),
        Some(1) if exit.stderr.trim().is_empty() => Ok(false),
        _ => Err(exit.failure()),
    }
}

/// Where `name` lives inside the git directory (`.git/NAME`, or the
/// worktree's own git directory), as an absolute path.
pub fn git_path(sh: &Shell, name: &str) -> Result<std::path::PathBuf> {
    let out = exit::run(cmd!(sh, "git rev-parse --git-path {name}"))?
        .ok()
        .context("cannot find the git directory: run the release from a git checkout")?;
    Ok(sh.current_dir().join(out.trim()))
}

/// The first line of `rev`'s message and its first parent, if it has one.
pub fn subject_and_parent(sh: &Shell, rev: &str) -> Result<(String, Option<String>)> {
    let out = cmd!(sh, "git log -1 --format=%P%n%s --end-of-options {rev}")
        .quiet()
        .read()?;
    let (parents, subject) = out.split_once('\n').unwrap_or((&out, ""));
    Ok((
        crate::out::sanitize::line(subject),
        parents.split_whitespace().next().map(str::to_string),
    ))
}

/// Files that differ between two commits.
pub fn changed_files(sh: &Shell, from: &str, to: &str) -> Result<Vec<String>> {
    let out = cmd!(sh, "git diff --name-only --end-of-options {from} {to}")
        .quiet()
        .read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// A file's text at `rev` (empty when it does not exist there).
pub fn show(sh: &Shell, rev: &str, path: &str) -> Result<String> {
    let spec = format!("{rev}:{path}");
    // The bytes must stay exact: the output is not trimmed.
    let exit = exit::run(cmd!(sh, "git show --end-of-options {spec}"))?;
    let missing = exit.stderr.contains("does not exist in")
        || exit.stderr.contains("exists on disk, but not in");
    match exit.code {
        Some(0) => Ok(exit.stdout),
        Some(128) if missing => Ok(String::new()),
        _ => Err(exit.failure()),
    }
}

/// The commit `rev` names. (`rev-parse` takes `--end-of-options` only from
/// git 2.30: a revision that reads as an option is refused here instead.)
pub fn rev_parse(sh: &Shell, rev: &str) -> Result<String> {
    if rev.starts_with('-') {
        bail!("`{rev}` is no revision: it reads as an option");
    }
    cmd!(sh, "git rev-parse --verify --quiet {rev}")
        .quiet()
        .read()
        .with_context(|| format!("`{rev}` does not name a commit"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_names_each_path_once_and_not_a_rename_source() {
        assert_eq!(
            porcelain_paths(" M CHANGELOG.md\0M  a b.md\0R  new.md\0old.md\0?? x\0"),
            ["CHANGELOG.md", "a b.md", "new.md", "x"]
        );
        assert!(porcelain_paths("").is_empty());
    }
}
