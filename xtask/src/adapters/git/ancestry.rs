//! Whether a commit is in a ref's history: `merge-base --is-ancestor`
//! answers "no" with exit code 1, told apart from a failure; the commits
//! of one history that another lacks; where two histories meet, and the
//! first commit of a line after that.

use anyhow::Result;
use xshell::{Shell, cmd};

use super::exit;

/// Whether `commit` is in the history of `rev`.
pub fn is_ancestor(sh: &Shell, commit: &str, rev: &str) -> Result<bool> {
    let exit = exit::run(cmd!(
        sh,
        "git merge-base --is-ancestor --end-of-options {commit} {rev}"
    ))?;
    match exit.code {
        Some(0) => Ok(true),
        Some(1) if exit.stderr.trim().is_empty() => Ok(false),
        _ => Err(exit.failure()),
    }
}

/// A commit as `commits_not_in` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub sha: String,
    pub subject: String,
    /// Author and committer times (seconds): equal for a commit made once,
    /// different for one amended or rebased since.
    pub authored: i64,
    pub committed: i64,
}

/// The commits in `tip`'s history that `base`'s lacks, newest first (merges too).
pub fn commits_not_in(sh: &Shell, tip: &str, base: &str) -> Result<Vec<Listed>> {
    let not = format!("^{base}");
    let out = cmd!(
        sh,
        "git log --format=%H%x1f%at%x1f%ct%x1f%s --end-of-options {tip} {not}"
    )
    .quiet()
    .read()?;
    Ok(out
        .lines()
        .filter_map(|line| {
            let mut f = line.splitn(4, '\x1f');
            let sha = f.next()?.to_string();
            let authored = f.next()?.parse().ok()?;
            let committed = f.next()?.parse().ok()?;
            let subject = crate::out::sanitize::line(f.next().unwrap_or_default());
            Some(Listed {
                sha,
                subject,
                authored,
                committed,
            })
        })
        .collect())
}

/// The merge base of `a` and `b`; `None` when they share no history.
pub fn merge_base_of(sh: &Shell, a: &str, b: &str) -> Result<Option<String>> {
    let exit = exit::run(cmd!(sh, "git merge-base --end-of-options {a} {b}"))?;
    match exit.code {
        Some(0) => Ok(Some(exit.stdout.trim().to_string())),
        Some(1) if exit.stderr.trim().is_empty() => Ok(None),
        _ => Err(exit.failure()),
    }
}

/// The first commit on `tip`'s first-parent line after `base`, if any.
pub fn first_parent_after(sh: &Shell, base: &str, tip: &str) -> Result<Option<String>> {
    let range = format!("{base}..{tip}");
    let out = exit::run(cmd!(
        sh,
        "git rev-list --first-parent --reverse --end-of-options {range}"
    ))?
    .ok()?;
    Ok(out.lines().next().map(str::to_string))
}
