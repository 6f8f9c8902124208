//! Whether a commit is in a ref's history: `merge-base --is-ancestor`
//! answers "no" with exit code 1, told apart from a failure.

use anyhow::Result;
use xshell::{Shell, cmd};

use super::exit;

/// Whether `commit` is in the history of `rev`.
pub fn is_ancestor(sh: &Shell, commit: &str, rev: &str) -> Result<bool> {
    let exit = exit::run(cmd!(sh, "git merge-base --is-ancestor {commit} {rev}"))?;
    match exit.code {
        Some(0) => Ok(true),
        Some(1) if exit.stderr.trim().is_empty() => Ok(false),
        _ => Err(exit.failure()),
    }
}
