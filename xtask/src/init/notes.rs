//! The header of the file `init` writes: what it found that no key says —
//! another tool's configuration and what of it has no counterpart here,
//! crates left out, tags that are no package's. Pure.

use super::series::TagSeries;
use super::survey::Survey;
use super::tools::Tool;

/// The notes, one a line of the header.
pub fn header(
    survey: &Survey,
    cargo_release: Option<&Tool>,
    release_plz: Option<&Tool>,
    left_out: &[String],
    free: &[&TagSeries],
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(tool) = cargo_release {
        out.push(format!(
            "cargo-release's configuration ({}): its tag names, replacements, branches, shared versions and dependent-version are carried over below; it stays as it is (cargo-release reads it, this tool never does)",
            tool.sources.join(", ")
        ));
        out.extend(cargo_release_notes(tool));
    }
    if let Some(tool) = release_plz {
        out.push(format!(
            "release-plz's configuration ({}): its git_tag_name, changelog_path and release = false are carried over below; it stays as it is",
            tool.sources.join(", ")
        ));
        if tool
            .crates
            .values()
            .any(|s| s.changelog_update == Some(false))
        {
            out.push("release-plz leaves changelogs alone (changelog_update = false): this tool promotes [Unreleased] at each release".into());
        }
    }
    out.extend(survey.notes.iter().cloned());
    out.extend(left_out.iter().cloned());
    for s in free {
        out.push(format!(
            "tags {}* ({}) are no package's releases: left alone",
            s.prefix,
            s.describe()
        ));
    }
    out
}

/// What of cargo-release's settings has no key here, said once each.
fn cargo_release_notes(tool: &Tool) -> Vec<String> {
    let mut out = Vec::new();
    let any = |f: &dyn Fn(&super::tools::Settings) -> bool| tool.crates.values().any(f);
    if any(&|s| s.sign_tag == Some(true) || s.sign_commit == Some(true)) {
        out.push("cargo-release signs (sign-tag, sign-commit): here git signs as its configuration says: `git config tag.gpgSign true` for the tags, `git config commit.gpgSign true` for the commit (the xtask's docs/releasing.md: Signed releases)".into());
    }
    let mut policies: Vec<&str> = tool
        .crates
        .values()
        .filter_map(|s| s.dependent_version.as_deref())
        .filter(|d| !["upgrade", "fix"].contains(d))
        .collect();
    policies.sort();
    policies.dedup();
    for policy in policies {
        out.push(format!(
            "cargo-release's dependent-version = \"{policy}\" has no counterpart: pins on a released crate move with it (\"upgrade\") or only when it leaves them (\"fix\")"
        ));
    }
    if any(&|s| s.publish == Some(false)) {
        out.push("cargo-release's publish = false: `cargo xtask release` never publishes; `cargo xtask publish` (or CI) does, when run".into());
    }
    if any(&|s| s.tag == Some(false)) {
        out.push("cargo-release's tag = false: every release here is tagged, as the previous release is found by its tag".into());
    }
    out
}
