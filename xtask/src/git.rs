//! The only place that runs git.

use anyhow::Result;
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
/// first, in `changelog::LOG_FORMAT`; merges are left out.
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

/// The tags that point at HEAD.
pub fn tags_at_head(sh: &Shell) -> Result<Vec<String>> {
    let out = cmd!(sh, "git tag --points-at HEAD").quiet().read()?;
    Ok(out.lines().map(str::to_string).collect())
}
