//! The git reads about tags. Each failure is an error: a `git tag` that
//! exits non-zero means "we do not know the tags", never "there are none".

use anyhow::Result;
use xshell::{Shell, cmd};

use super::{exit, head_exists, inside_work_tree};

/// Every tag name, whatever it points at (a name that is taken), or none
/// outside a git repository.
pub fn tag_names(sh: &Shell) -> Result<Vec<String>> {
    if !inside_work_tree(sh)? {
        return Ok(Vec::new());
    }
    let out = exit::run(cmd!(sh, "git tag --list"))?.ok()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// The tags that name a commit, directly or through an annotated tag: the
/// only ones that can be a release (a tag at a blob or a tree is none, and
/// never a previous release). None outside a git repository.
pub fn tags(sh: &Shell) -> Result<Vec<String>> {
    if !inside_work_tree(sh)? {
        return Ok(Vec::new());
    }
    let format = "--format=%(objecttype) %(*objecttype) %(refname:strip=2)";
    let out = exit::run(cmd!(sh, "git for-each-ref {format} refs/tags"))?.ok()?;
    Ok(commit_tags(&out))
}

/// The names of `for-each-ref` lines (`type peeled-type name`) that name a
/// commit (pure).
fn commit_tags(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|line| {
            let (kind, rest) = line.split_once(' ')?;
            let (peeled, name) = rest.split_once(' ')?;
            (kind == "commit" || (kind == "tag" && peeled == "commit")).then(|| name.to_string())
        })
        .collect()
}

/// Tags whose commit HEAD contains (`git tag --merged HEAD`): the past of
/// this checkout, not tags made on other branches since (a maintenance
/// branch's previous release is its own). None outside a repository or
/// before the first commit.
pub fn merged_tags(sh: &Shell) -> Result<Vec<String>> {
    if !inside_work_tree(sh)? || !head_exists(sh)? {
        return Ok(Vec::new());
    }
    let out = exit::run(cmd!(sh, "git tag --merged HEAD"))?.ok()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Tags pointing at HEAD.
pub fn tags_at_head(sh: &Shell) -> Result<Vec<String>> {
    tags_at(sh, "HEAD")
}

/// Tags pointing at the commit `rev`.
pub fn tags_at(sh: &Shell, rev: &str) -> Result<Vec<String>> {
    // The revision is the option's own value, never an argument of its own.
    let points_at = format!("--points-at={rev}");
    let out = exit::run(cmd!(sh, "git tag {points_at}"))?.ok()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// The message subject of an annotated tag; `None` for a lightweight tag.
pub fn annotation(sh: &Shell, tag: &str) -> Result<Option<String>> {
    let reference = format!("refs/tags/{tag}");
    let format = "--format=%(objecttype) %(contents:subject)";
    let out = exit::run(cmd!(
        sh,
        "git for-each-ref {format} --end-of-options {reference}"
    ))?
    .ok()?;
    Ok(out.trim_end().strip_prefix("tag ").map(str::to_string))
}

/// Each tag with the day it was made (the tagger's date for an annotated
/// tag, the commit's for a lightweight one); empty outside a repository.
pub fn tag_dates(sh: &Shell) -> Result<Vec<(String, chrono::NaiveDate)>> {
    if !inside_work_tree(sh)? {
        return Ok(Vec::new());
    }
    let format = "--format=%(refname:short)%09%(creatordate:short)";
    let out = exit::run(cmd!(sh, "git for-each-ref {format} refs/tags"))?.ok()?;
    Ok(out
        .lines()
        .filter_map(|line| {
            let (tag, date) = line.split_once('\t')?;
            let date = crate::text::date::parse(date.trim())?;
            Some((tag.to_string(), date))
        })
        .collect())
}

/// The commit a tag points at, `None` when there is no such tag (`rev-parse
/// --verify --quiet` exits 1 and says nothing).
pub fn tag_commit(sh: &Shell, tag: &str) -> Result<Option<String>> {
    let rev = format!("refs/tags/{tag}^{{commit}}");
    let exit = exit::run(cmd!(sh, "git rev-parse --verify --quiet {rev}"))?;
    match exit.code {
        Some(0) => Ok(Some(exit.stdout.trim().to_string())),
        Some(1) if exit.stderr.trim().is_empty() => Ok(None),
        _ => Err(exit.failure()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tags_of_commits_are_kept() {
        let out = "commit  v0.1.0\ntag commit v0.2.0\nblob  v0.9.0\ntag blob py-v9.0.0\ntree  t\ntag tag nested\n";
        assert_eq!(commit_tags(out), ["v0.1.0", "v0.2.0"]);
    }
}
