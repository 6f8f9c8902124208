//! Every problem `cargo xtask check` reports, gathered from the model
//! (`validate`), the version fields, the changelogs' lint and the pending
//! change files; shared by
//! `check`, `changelog lint`, the `versions` step and the planned-tree check.

use std::collections::BTreeSet;

use anyhow::Result;
use chrono::NaiveDate;

use crate::adapters::git;
use crate::changelog::{self, LintContext, Severity};
use crate::checks::{git_values, validate};
use crate::ctx::Ctx;
use crate::edit::drift;
use crate::facts::{self, changes};
use crate::model::fields;
use crate::model::workspace::Workspace;
use crate::text::date;
use crate::text::tag_index::TagIndex;
use crate::worktree::Tree;

/// Every problem found (validation, version fields, changelog lint errors),
/// and the changelog lint warnings.
pub fn gather(ctx: &Ctx) -> Result<(Vec<String>, Vec<String>)> {
    let ws = ctx.model()?;
    // One read of the series' tags, with their days, for every check below.
    let tags = facts::tags::read_dated(&ctx.sh, ws)?;
    let fields = fields::fields(ws, &tags);
    let mut problems = validate::with_fields(ctx.problems(), &fields);
    // A changelog answers for the releases in HEAD's past: on a maintenance
    // branch, main's newer tags are not its sections. Their days are all
    // the tags', which say which of two contradicting sections is wrong.
    let past = facts::tags::merged(&ctx.sh, ws, &tags)?;
    let (errors, mut warnings) = lint_changelogs_dated(ws, &past, &tags, date::today());
    problems.extend(errors);
    problems.extend(changes::read(&Tree::new(&ctx.root), ws).problems);
    warnings.splice(0..0, fields::tags_above(ws, &tags));
    // A remote name git does not know fails where it is used; said first
    // here (a warning: a checkout without remotes is no broken workspace).
    if git::inside_work_tree(&ctx.sh)? {
        let remotes = git::remotes(&ctx.sh)?;
        let unknown = git_values::unknown_remote(&ws.config, &remotes);
        warnings.splice(0..0, unknown.map(|p| p.to_string()));
    }
    warnings.splice(0..0, ws.config.warning.iter().cloned());
    Ok((once(problems), once(warnings)))
}

/// Each message once, in the order first found: a changelog two packages
/// share, read for each, or read for its field and by lint, tells one problem.
fn once(messages: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    messages
        .into_iter()
        .filter(|m| seen.insert(m.clone()))
        .collect()
}

/// Every problem `check` would find in the tree `edits` leave, with `tags`
/// (the repository's, plus those the plan creates): version fields, tag
/// series, changelog lint errors. The tree is read in memory; nothing is written.
pub fn problems_after(
    ws: &Workspace,
    edits: &crate::edit::Edits,
    tags: &TagIndex,
    today: chrono::NaiveDate,
    builtin: &BTreeSet<String>,
) -> anyhow::Result<Vec<String>> {
    let planned = drift::planned(ws, edits)?;
    let found = validate::validate(&planned, builtin);
    let mut out = validate::with_fields(&found, &fields::fields(&planned, tags));
    out.extend(lint_changelogs(&planned, tags, today).0);
    Ok(once(out))
}

/// Lint findings of every package's changelog: `(errors, warnings)`.
/// Without tag dates: for the planned-tree check (`problems_after`).
pub fn lint_changelogs(
    ws: &Workspace,
    tags: &TagIndex,
    today: NaiveDate,
) -> (Vec<String>, Vec<String>) {
    lint_changelogs_dated(ws, tags, &TagIndex::default(), today)
}

/// `lint_changelogs`, with the day each tag of `dated` was made (see
/// `facts::tags::read_dated`), which says which of two sections with
/// contradicting dates is wrong.
pub fn lint_changelogs_dated(
    ws: &Workspace,
    tags: &TagIndex,
    dated: &TagIndex,
    today: NaiveDate,
) -> (Vec<String>, Vec<String>) {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for package in &ws.packages {
        let Some(path) = package
            .changelog
            .as_ref()
            .filter(|p| !ws.files.is_absent(p))
        else {
            continue; // none, or not written yet: the first release creates it
        };
        // A development version's own rcs, on their release branch, are
        // not this changelog's (`changelog port` brings their sections).
        let tagged: Vec<semver::Version> = package
            .releases(tags)
            .into_iter()
            .map(|(_, v)| v)
            .filter(|v| !package.on_its_way(v))
            .collect();
        let tag_dates = package.dated_releases(dated);
        let ctx = LintContext {
            today,
            tag_dates,
            released: tagged.iter().any(|v| package.tag.same(v, &package.version)),
            tags: tagged,
            current: Some(package.version.clone()),
            series: ws.series(package),
        };
        for problem in changelog::lint(path, ws.files.text(path), &ctx) {
            match problem.severity {
                Severity::Error => errors.push(problem.message),
                Severity::Warning => warnings.push(problem.message),
            }
        }
    }
    (errors, warnings)
}
