//! The top-level keys `init` proposes: the main line and the release
//! branches (`branch`, or `branches` with cargo-release's `allow-branch`
//! and the release branches found), the remote,
//! `dependent-version` and `tag-message` when cargo-release's configuration
//! sets them, and, commented out, `ignore-tags` for tags above their
//! package's manifest version. Pure.

use std::collections::BTreeMap;

use semver::Version;

use super::branches;
use super::packages::Pkg;
use super::series::TagSeries;
use super::survey::Survey;
use super::tools::{Settings, Tool};
use super::{Key, quoted};
use crate::text::tags::glob_match;
use crate::text::version::order;

pub fn keys(
    survey: &Survey,
    cargo_release: Option<&Tool>,
    series: &[TagSeries],
    pkgs: &[Pkg],
    assigned: &[Vec<usize>],
) -> (Vec<Key>, String) {
    let first = |f: &dyn Fn(&Settings) -> Option<String>| {
        cargo_release.and_then(|t| t.crates.values().find_map(f))
    };
    let (branches, main) = branches(survey, cargo_release, series, assigned);
    let mut out = vec![branches];
    if let Some(remote) = first(&|s| s.push_remote.clone()) {
        out.push(Key::text(
            "remote",
            &remote,
            "cargo-release's push-remote".to_string(),
        ));
    }
    let policy = first(&|s| {
        s.dependent_version
            .clone()
            .filter(|d| ["upgrade", "fix"].contains(&d.as_str()))
    });
    if let Some(policy) = policy {
        let why = "cargo-release's dependent-version".to_string();
        out.push(Key::text("dependent-version", &policy, why));
    }
    if let Some(message) = first(&|s| s.tag_message.clone()) {
        let ours = message
            .replace("{{crate_name}}", "{name}")
            .replace("{{version}}", "{version}");
        if ours.contains("{version}") && !ours.contains("{{") {
            let why = format!("cargo-release's tag-message `{message}`");
            out.push(Key::text("tag-message", &ours, why));
        }
    }
    out.extend(above(survey, series, pkgs, assigned));
    (out, main)
}

/// The main line and the branches releases run on: cargo-release's
/// `allow-branch` (its first plain name the main line, the rest carried
/// over), else the branch git suggests (origin's default, a `main` or
/// `master`, the branch checked out), else `main`; and a glob for the
/// release branches found (`release-*`). `branch` when that is all. And
/// the main line's name.
fn branches(
    survey: &Survey,
    cargo_release: Option<&Tool>,
    series: &[TagSeries],
    assigned: &[Vec<usize>],
) -> (Key, String) {
    let allowed: Vec<String> = cargo_release
        .and_then(|t| t.crates.values().find_map(|s| s.allow_branch.clone()))
        .unwrap_or_default();
    let plain = allowed
        .iter()
        .find(|b| !b.starts_with('!') && !b.contains(['*', '?', '[']));
    let (main, mut why) = match (plain, &survey.branch) {
        (Some(first), _) => (first.clone(), "cargo-release's allow-branch".to_string()),
        (None, Some((branch, why))) => (branch.clone(), why.clone()),
        (None, None) => ("main".to_string(), "git's usual default".to_string()),
    };
    let mut extra: Vec<String> = allowed
        .iter()
        .filter(|b| **b != main && !b.starts_with('!') && *b != "HEAD")
        .cloned()
        .collect();
    let mut said = Vec::new();
    if !extra.is_empty() && plain.is_none() {
        said.push(format!(
            "{}: cargo-release's allow-branch",
            extra.join(", ")
        ));
    }
    let negated: Vec<&str> = allowed
        .iter()
        .filter(|b| b.starts_with('!'))
        .map(String::as_str)
        .collect();
    if !negated.is_empty() {
        why.push_str(&format!(
            " (its {} has no counterpart here)",
            negated.join(", ")
        ));
    }
    for (glob, seen) in release_branches(survey, series, assigned) {
        if extra
            .iter()
            .any(|e| seen.iter().all(|(name, _)| glob_match(e, name)))
        {
            continue;
        }
        let held: Vec<String> = seen.iter().map(|(b, t)| format!("{b} holds {t}")).collect();
        said.push(format!("{glob}: release branches ({})", held.join(", ")));
        extra.push(glob);
    }
    if extra.is_empty() {
        return (Key::text("branch", &main, why), main);
    }
    let list: Vec<String> = std::iter::once(&main)
        .chain(&extra)
        .map(|b| quoted(b))
        .collect();
    let why = match (plain, said.is_empty()) {
        // cargo-release's list, as it is.
        (Some(_), true) => why,
        (Some(_), false) => format!("{why}; {}", said.join("; ")),
        (None, _) => format!("{main}: {why}; {}", said.join("; ")),
    };
    let key = Key::new("branches", format!("[{}]", list.join(", ")), why);
    (key, main)
}

/// The globs of the release branches found, each with the branches it
/// takes and the newest tag of a package's series on its line each holds.
fn release_branches(
    survey: &Survey,
    series: &[TagSeries],
    assigned: &[Vec<usize>],
) -> Vec<(String, Vec<(String, String)>)> {
    let ours: BTreeMap<&str, &Version> = assigned
        .iter()
        .flatten()
        .flat_map(|&s| &series[s].tags)
        .map(|(t, v)| (t.as_str(), v))
        .collect();
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for held in &survey.held {
        let Some(line) = branches::line(&held.name) else {
            continue;
        };
        let newest = held
            .tags
            .iter()
            .filter_map(|t| Some((t, *ours.get(t.as_str())?)))
            .filter(|(_, v)| line.holds(v))
            .max_by(|a, b| order(a.1, b.1));
        let Some((tag, _)) = newest else { continue };
        let seen = (held.name.clone(), tag.clone());
        match out.iter_mut().find(|(g, _)| *g == line.glob) {
            Some((_, list)) => list.push(seen),
            None => out.push((line.glob, vec![seen])),
        }
    }
    out
}

/// `ignore-tags`, commented out: the tags of each package's series above
/// its manifest's version (a stray tag, or another line's releases).
fn above(
    survey: &Survey,
    series: &[TagSeries],
    pkgs: &[Pkg],
    assigned: &[Vec<usize>],
) -> Option<Key> {
    let mut tags = Vec::new();
    let mut whose = Vec::new();
    for (p, list) in pkgs.iter().zip(assigned) {
        let Some(&s) = list.first() else { continue };
        let member = &survey.crates[p.head].member;
        let found = series[s].above(&member.version);
        if !found.is_empty() {
            whose.push(format!("{} {}", member.name, member.version));
            tags.extend(found.into_iter().map(String::from));
        }
    }
    if tags.is_empty() {
        return None;
    }
    let list: Vec<String> = tags.iter().map(|t| quoted(t)).collect();
    let mut key = Key::new(
        "ignore-tags",
        format!("[{}]", list.join(", ")),
        format!(
            "above {}: uncomment if they are no releases (a stray tag), leave out if they are a later line's",
            whose.join(", ")
        ),
    );
    key.off = true;
    Some(key)
}
