//! The top-level keys `init` proposes: the release branch, the remote,
//! `dependent-version` and `tag-message` when cargo-release's configuration
//! sets them, and, commented out, `ignore-tags` for tags above their
//! package's manifest version. Pure.

use super::packages::Pkg;
use super::series::TagSeries;
use super::survey::Survey;
use super::tools::{Settings, Tool};
use super::{Key, quoted};

pub fn keys(
    survey: &Survey,
    cargo_release: Option<&Tool>,
    series: &[TagSeries],
    pkgs: &[Pkg],
    assigned: &[Vec<usize>],
) -> Vec<Key> {
    let first = |f: &dyn Fn(&Settings) -> Option<String>| {
        cargo_release.and_then(|t| t.crates.values().find_map(f))
    };
    let mut out = vec![branch(survey, cargo_release)];
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
    out
}

/// The release branch: the one cargo-release allows by name, else the one
/// git suggests (origin's default, a `main` or `master`, the branch checked
/// out), else `main`.
fn branch(survey: &Survey, cargo_release: Option<&Tool>) -> Key {
    let allowed: Vec<String> = cargo_release
        .and_then(|t| t.crates.values().find_map(|s| s.allow_branch.clone()))
        .unwrap_or_default();
    let plain: Vec<&String> = allowed
        .iter()
        .filter(|b| !b.starts_with('!') && !b.contains(['*', '?', '[']))
        .collect();
    if let Some(first) = plain.first() {
        let mut why = "cargo-release's allow-branch".to_string();
        if plain.len() > 1 {
            let rest: Vec<&str> = plain[1..].iter().map(|b| b.as_str()).collect();
            why.push_str(&format!(", which also allows {}", rest.join(", ")));
        }
        return Key::text("branch", first, why);
    }
    match &survey.branch {
        Some((branch, why)) => Key::text("branch", branch, why.clone()),
        None => Key::text("branch", "main", "git's usual default".to_string()),
    }
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
