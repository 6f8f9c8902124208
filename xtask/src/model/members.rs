//! The workspace's members, read from their manifests: the root package,
//! then `[workspace] members` minus `exclude`, then the pins of a virtual
//! root's `[workspace.dependencies]`.

use anyhow::{Result, bail};
use semver::Version;
use toml_edit::Document;

use crate::model::package::{Member, ROOT_MANIFEST, rel_join};
use crate::model::source::{Files, Source};
use crate::text::manifest::{self, PackageVersion};
use crate::text::toml;
use crate::worktree::Refusal;

/// Every member of the workspace whose root manifest is `root_text`.
pub fn read(
    files: &mut Files,
    source: &Source,
    root_text: &str,
    root_doc: &Document<String>,
    workspace_version: Option<&Version>,
) -> Result<Vec<Member>> {
    let workspace_repository = toml::get_str(
        ROOT_MANIFEST,
        root_text,
        root_doc,
        &["workspace", "package", "repository"],
    )?
    .map(|r| r.value);
    let mut members = Vec::new();
    for dir in member_dirs(source, root_text, root_doc)? {
        let manifest = rel_join(&dir, ROOT_MANIFEST);
        let text = files.read(source, &manifest)?.to_string();
        members.push(member(
            dir,
            manifest,
            &text,
            workspace_version,
            workspace_repository.as_deref(),
        )?);
    }
    members.extend(workspace_pins(root_text, root_doc)?);
    Ok(members)
}

/// Member folders: the root package, then `[workspace] members` minus `exclude`.
fn member_dirs(
    source: &Source,
    root_text: &str,
    root_doc: &Document<String>,
) -> Result<Vec<String>> {
    let mut dirs: Vec<String> = Vec::new();
    if root_doc.get("package").is_some() {
        dirs.push(".".into());
    }
    let list = |key: &str| -> Vec<String> {
        toml::get_value(root_doc.as_item(), &["workspace", key])
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let excluded = list("exclude");
    // Folders taken so far: a glob of 3,000 members is not 3,000 scans.
    let mut seen: std::collections::BTreeSet<String> = dirs.iter().cloned().collect();
    let mut missing = Vec::new();
    for pattern in list("members") {
        // A member outside the repository (cargo allows `../ext`) is no
        // file of it: never read, never written.
        if let Err(refusal) = source.check(pattern.split('*').next().unwrap_or_default()) {
            missing.push(outside_member(root_text, &pattern, &refusal));
            continue;
        }
        let found = expand_members(source, &pattern)?;
        // Cargo refuses a workspace whose named member has no manifest.
        if found.is_empty() && !pattern.contains('*') && !excluded.contains(&pattern) {
            missing.push(missing_member(root_text, &pattern));
        }
        for dir in found {
            if !excluded.contains(&dir) && seen.insert(dir.clone()) {
                dirs.push(dir);
            }
        }
    }
    if !missing.is_empty() {
        bail!("{}", missing.join("\n"));
    }
    Ok(dirs)
}

/// Member folders named by `members` patterns; `*` matches one path segment.
fn expand_members(source: &Source, pattern: &str) -> Result<Vec<String>> {
    let pattern = pattern.trim_end_matches('/');
    let mut found = vec![String::new()];
    for segment in pattern.split('/') {
        let mut next = Vec::new();
        for base in &found {
            if segment.contains('*') {
                let (pre, post) = segment.split_once('*').expect("contains *");
                let names: Vec<String> = source
                    .subdirs(base)
                    .into_iter()
                    .filter(|n| {
                        n.starts_with(pre) && n.ends_with(post) && n.len() >= pre.len() + post.len()
                    })
                    .collect();
                next.extend(names.into_iter().map(|n| rel_join(base, &n)));
            } else {
                next.push(rel_join(base, segment));
            }
        }
        found = next;
    }
    Ok(found
        .into_iter()
        .filter(|d| source.is_file(&rel_join(d, ROOT_MANIFEST)))
        .collect())
}

/// A `members` entry with no manifest: where it is written, and the fix.
fn missing_member(root_text: &str, pattern: &str) -> String {
    let line = root_text
        .find(&format!("\"{pattern}\""))
        .map_or(0, |offset| toml::line_of(root_text, offset));
    let dir = pattern.trim_end_matches('/');
    format!(
        "{ROOT_MANIFEST}:{line}: workspace member `{pattern}` has no {dir}/{ROOT_MANIFEST}: restore it, or remove `{pattern}` from `[workspace] members`"
    )
}

/// A `members` entry outside the repository, or through a link out of it.
fn outside_member(root_text: &str, pattern: &str, refusal: &Refusal) -> String {
    let line = root_text
        .find(&format!("\"{pattern}\""))
        .map_or(0, |offset| toml::line_of(root_text, offset));
    format!(
        "{ROOT_MANIFEST}:{line}: workspace member `{pattern}` {}: move the crate into the repository, or remove `{pattern}` from `[workspace] members`",
        refusal.reason
    )
}

/// The member in `dir` of the root workspace, whose manifest `manifest`
/// reads `text` (a standalone package sets its own `cargo_root`).
pub fn member(
    dir: String,
    manifest: String,
    text: &str,
    workspace_version: Option<&Version>,
    workspace_repository: Option<&str>,
) -> Result<Member> {
    let doc = toml::parse(&manifest, text)?;
    let Some(name) = manifest::package_name(&manifest, text, &doc)? else {
        bail!("{manifest}: no `[package] name`: a workspace member must be a package");
    };
    let (version, version_line, inherited) = match manifest::package_version(&manifest, text, &doc)?
    {
        PackageVersion::Own(v) => {
            let parsed = Version::parse(&v.value).map_err(|e| {
                    anyhow::anyhow!("{manifest}:{}: version \"{}\" is not SemVer ({e}): write it as MAJOR.MINOR.PATCH", v.line, v.value)
                })?;
            (parsed, v.line, false)
        }
        PackageVersion::Inherited => match workspace_version {
            Some(v) => (v.clone(), 0, true),
            None => bail!(
                "{manifest}: `version.workspace = true` but {ROOT_MANIFEST} has no `[workspace.package] version`"
            ),
        },
    };
    let publish = toml::get_value(doc.as_item(), &["package", "publish"]).and_then(|v| v.as_bool())
        != Some(false);
    let deps = manifest::dependencies(&manifest, text, &doc)?;
    let repository = toml::get_str(&manifest, text, &doc, &["package", "repository"])
        .ok()
        .flatten()
        .map(|r| r.value)
        .or_else(|| workspace_repository.map(String::from))
        .map(|r| r.trim_end_matches('/').trim_end_matches(".git").to_string());
    Ok(Member {
        name,
        manifest,
        dir,
        cargo_root: ".".into(),
        version,
        version_line,
        inherited,
        publish,
        repository,
        deps,
    })
}

/// `[workspace.dependencies]` of a virtual root are pins too: a nameless member holds them.
fn workspace_pins(root_text: &str, root_doc: &Document<String>) -> Result<Option<Member>> {
    if root_doc.get("package").is_some() {
        return Ok(None);
    }
    let deps = manifest::dependencies(ROOT_MANIFEST, root_text, root_doc)?;
    Ok((!deps.is_empty()).then(|| Member {
        name: String::new(),
        manifest: ROOT_MANIFEST.into(),
        dir: ".".into(),
        cargo_root: ".".into(),
        version: Version::new(0, 0, 0),
        version_line: 0,
        inherited: false,
        publish: false,
        repository: None,
        deps,
    }))
}
