//! `cargo xtask change --check`: every package whose files a branch
//! changed since it left the base is named by a change file (or a news
//! fragment) the branch adds or edits, or has its changelog edited by hand;
//! each one that is not is named with the `cargo xtask change` command that
//! writes its file. A branch of release commits only (the release PR) has
//! nothing to say.

use anyhow::Result;

use crate::adapters::git;
use crate::changelog::{self, Commit, LOG_FORMAT};
use crate::ctx::Ctx;
use crate::facts::changes::{self, Changes};
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::worktree::{Kind, Tree};

/// What the check found.
#[derive(Debug, Default)]
pub struct Found {
    /// Only release commits since the base: nothing to check.
    pub release_only: bool,
    /// `package: the files naming it` of each changed package that has them.
    pub covered: Vec<String>,
    /// One message per changed package without a change file, with the fix.
    pub missing: Vec<String>,
    /// What is wrong with the change files the branch adds.
    pub problems: Vec<String>,
}

/// Checks HEAD (and the work tree) against where it left `rev`.
pub fn check(ctx: &Ctx, rev: &str) -> Result<Found> {
    let (sh, ws) = (&ctx.sh, ctx.ws()?);
    let base = git::merge_base(sh, rev)?;
    let range = format!("{base}..HEAD");
    let own = changelog::parse_log(&git::log(sh, Some(&range), &[], LOG_FORMAT)?);
    if !own.is_empty() && not_released(ws, &own).is_empty() {
        return Ok(Found {
            release_only: true,
            ..Found::default()
        });
    }
    let folders = folders(ws);
    let all = git::changed_since(sh, &base, &[])?;
    let added = added_changes(ctx, ws, &all, &folders)?;
    let mut found = Found {
        problems: added.problems.clone(),
        ..Found::default()
    };
    for package in &ws.packages {
        let touched: Vec<String> = git::changed_since(sh, &base, &package.paths)?
            .into_iter()
            .filter(|f| !folders.iter().any(|d| f.starts_with(&format!("{d}/"))))
            .collect();
        let edited_changelog = package.changelog.as_ref().is_some_and(|c| all.contains(c));
        if touched.is_empty() || edited_changelog {
            continue;
        }
        let naming: Vec<&str> = added.of(&package.name).map(|p| p.path.as_str()).collect();
        if naming.is_empty() {
            let commits = git::log(sh, Some(&range), &package.paths, LOG_FORMAT)?;
            let commits = not_released(ws, &changelog::parse_log(&commits));
            found
                .missing
                .push(missing(package, rev, &touched, &commits));
        } else {
            found
                .covered
                .push(format!("{}: {}", package.name, naming.join(", ")));
        }
    }
    Ok(found)
}

/// The change folders: `changes` and every package's `fragments`.
fn folders(ws: &Workspace) -> Vec<String> {
    std::iter::once(ws.config.changes.clone())
        .chain(ws.packages.iter().filter_map(|p| p.fragments.clone()))
        .collect()
}

/// The change files and fragments among `changed` (those still there: a
/// deleted one names nothing).
fn added_changes(
    ctx: &Ctx,
    ws: &Workspace,
    changed: &[String],
    folders: &[String],
) -> Result<Changes> {
    let tree = Tree::new(&ctx.root);
    let mut texts = Vec::new();
    for path in changed {
        let name = path.rsplit('/').next().unwrap_or(path);
        let direct = folders.iter().any(|d| *path == format!("{d}/{name}"));
        if !direct || changes::ignored(name) || tree.kind(path) != Ok(Kind::File) {
            continue;
        }
        texts.push((path.clone(), tree.read(path)?));
    }
    Ok(changes::of_texts(ws, &texts))
}

/// `commits` without the tool's own release commits.
fn not_released(ws: &Workspace, commits: &[Commit]) -> Vec<Commit> {
    let templates = [
        ws.config.commit_message.as_str(),
        ws.config.pr_commit_message.as_str(),
        crate::model::config::NEXT_DEV_MESSAGE,
    ];
    changelog::without_release_commits(commits, &templates)
}

/// The message for `package`, changed with no change file: what changed,
/// and the command that writes its file, with the level and text its
/// commits suggest.
fn missing(package: &Package, rev: &str, touched: &[String], commits: &[Commit]) -> String {
    let level = changelog::suggest(commits, &package.version)
        .map_or("patch".to_string(), |(level, _)| level.to_string());
    let text = commits
        .iter()
        .rev()
        .map(|c| changelog::parse_conventional(&c.subject, &c.body).description)
        .find(|d| !d.trim().is_empty())
        .unwrap_or_else(|| "What changed, as users should read it".to_string());
    let shown: Vec<&str> = touched.iter().take(3).map(String::as_str).collect();
    let more = match touched.len() {
        n if n > 3 => format!(", and {} more", n - 3),
        _ => String::new(),
    };
    format!(
        "{} changed since {rev} ({}{more}) and no change file names it: run `cargo xtask change --{} {level} \"{}\"` (a level or a section: see .changes/README.md) and commit the file; or pass --allow-missing if users will not notice the change",
        package.name,
        shown.join(", "),
        package.flag,
        shell_quoted(&text)
    )
}

/// `text` for a shell's double quotes: `"`, `\`, `$` and `` ` `` escaped.
fn shell_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_suggested_is_one_a_shell_takes_as_it_is() {
        assert_eq!(
            shell_quoted("`dot()` costs $0 \"now\""),
            "\\`dot()\\` costs \\$0 \\\"now\\\""
        );
    }
}
