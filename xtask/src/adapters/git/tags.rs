//! The git reads about tags. Each failure is an error: a `git tag` that
//! exits non-zero means "we do not know the tags", never "there are none".

use anyhow::Result;
use xshell::{Shell, cmd};

use super::{exit, head_exists, inside_work_tree};
use crate::text::tag_index::Tag;

/// Every tag name, whatever it points at (a name that is taken), or none
/// outside a git repository.
pub fn tag_names(sh: &Shell) -> Result<Vec<String>> {
    if !inside_work_tree(sh)? {
        return Ok(Vec::new());
    }
    let out = exit::run(cmd!(sh, "git tag --list"))?.ok()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// The tags the `patterns` select (`TagTemplate::git_pattern`: git leaves
/// every other tag out before a line is written, whatever their number)
/// that name a commit, directly or through an annotated tag: the only ones
/// that can be a release (a tag at a blob or a tree is none, and never a
/// previous release). Each with its commit and, when `dated`, the day it was
/// made (the tagger's date for an annotated tag, the commit's for a
/// lightweight one). One `for-each-ref`; none outside a git repository or
/// with no pattern.
pub fn series_tags(sh: &Shell, patterns: &[String], dated: bool) -> Result<Vec<Tag>> {
    if patterns.is_empty() || !inside_work_tree(sh)? {
        return Ok(Vec::new());
    }
    let date = if dated { "%09%(creatordate:short)" } else { "" };
    let format = format!(
        "--format=%(objecttype)%09%(*objecttype)%09%(objectname)%09%(*objectname)%09%(refname:strip=2){date}"
    );
    let out = exit::run(cmd!(
        sh,
        "git for-each-ref {format} --end-of-options {patterns...}"
    ))?
    .ok()?;
    Ok(commit_tags(&out))
}

/// The tags of `for-each-ref` lines (`type, peeled type, object, peeled
/// object, name[, date]`, tab-separated) that name a commit (pure).
fn commit_tags(out: &str) -> Vec<Tag> {
    out.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let (kind, peeled) = (fields.next()?, fields.next()?);
            let (object, peeled_object) = (fields.next()?, fields.next()?);
            let name = fields.next()?;
            let date = fields
                .next()
                .and_then(|d| crate::text::date::parse(d.trim()));
            let commit = match (kind, peeled) {
                ("commit", _) => object,
                ("tag", "commit") => peeled_object,
                _ => return None,
            };
            Some(Tag {
                name: name.to_string(),
                commit: commit.to_string(),
                date,
            })
        })
        .collect()
}

/// Every tag that names a commit, whatever its name: for `init`, which
/// proposes the series (every other command reads only its series').
pub fn tags(sh: &Shell) -> Result<Vec<String>> {
    let every = series_tags(sh, &["refs/tags".to_string()], false)?;
    Ok(every.into_iter().map(|t| t.name).collect())
}

/// The names of the tags the `patterns` select that HEAD's history
/// contains (`for-each-ref --merged HEAD`): the past of this checkout, not
/// tags made on other branches since (a maintenance branch's previous
/// release is its own). None outside a repository, before the first
/// commit, or with no pattern.
pub fn merged_series_tags(sh: &Shell, patterns: &[String]) -> Result<Vec<String>> {
    if patterns.is_empty() || !inside_work_tree(sh)? || !head_exists(sh)? {
        return Ok(Vec::new());
    }
    let format = "--format=%(refname:strip=2)";
    let out = exit::run(cmd!(
        sh,
        "git for-each-ref --merged HEAD {format} --end-of-options {patterns...}"
    ))?
    .ok()?;
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
    fn only_tags_of_commits_are_kept_with_their_commit_and_day() {
        let out = "commit\t\tc1\t\tv0.1.0\t2025-01-02\ntag\tcommit\tt2\tc2\tv0.2.0\t2025-02-03\nblob\t\tb\t\tv0.9.0\t\ntag\tblob\tt\tb\tpy-v9.0.0\t2025-01-01\ntree\t\tx\t\tt\ntag\ttag\tt3\tt4\tnested\ncommit\t\tc5\t\tv0.3.0\n";
        let tags = commit_tags(out);
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d);
        let got: Vec<(&str, &str, Option<chrono::NaiveDate>)> = tags
            .iter()
            .map(|t| (t.name.as_str(), t.commit.as_str(), t.date))
            .collect();
        assert_eq!(
            got,
            [
                ("v0.1.0", "c1", day(1, 2)),
                ("v0.2.0", "c2", day(2, 3)),
                ("v0.3.0", "c5", None)
            ]
        );
    }
}
