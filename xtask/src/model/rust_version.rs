//! The Rust each member builds with: its `rust-version`, or the root
//! workspace's through `rust-version.workspace = true` (read for CI's msrv job).

use anyhow::{Context, Result, bail};
use regex::Regex;

use crate::model::package::ROOT_MANIFEST;
use crate::model::workspace::Workspace;
use crate::text::toml;

/// `rust-version` of the workspace (else its first member's), and each
/// member's own as `name/version`.
pub fn msrv(ws: &Workspace) -> Result<(String, Vec<String>)> {
    let root = ROOT_MANIFEST;
    // A repository of standalone packages has no root manifest to inherit from.
    let workspace = match ws.files.get(root) {
        Some(text) => {
            let doc = toml::parse(root, text)?;
            let path = ["workspace", "package", "rust-version"];
            toml::get_str(root, text, &doc, &path)?.map(|v| v.value)
        }
        None => None,
    };
    let mut members = Vec::new();
    for member in ws.members.iter().filter(|m| !m.name.is_empty()) {
        let version = member_rust_version(
            &member.manifest,
            ws.files.text(&member.manifest),
            workspace.as_deref(),
        )?;
        members.push(format!("{}/{version}", member.name));
    }
    let first = members
        .first()
        .and_then(|m| m.split_once('/'))
        .map(|(_, v)| v.to_string());
    let Some(rust_version) = workspace.or(first) else {
        bail!("no workspace member in {root}: add `[workspace] members`")
    };
    Ok((rust_version, members))
}

/// The `rust-version` a member's manifest declares: its own string, or the
/// workspace's through `rust-version.workspace = true`.
fn member_rust_version(manifest: &str, text: &str, workspace: Option<&str>) -> Result<String> {
    let doc = toml::parse(manifest, text)?;
    let inherited = toml::get_item(doc.as_item(), &["package", "rust-version", "workspace"])
        .and_then(|i| i.as_bool())
        == Some(true);
    if inherited {
        return workspace.map(String::from).with_context(|| {
            format!(
                "{manifest}: `rust-version.workspace = true` but {} has no `[workspace.package] rust-version`: add one",
                ROOT_MANIFEST
            )
        });
    }
    match toml::get_str(manifest, text, &doc, &["package", "rust-version"])? {
        Some(v)
            if Regex::new(r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")
                .expect("valid")
                .is_match(&v.value) =>
        {
            Ok(v.value)
        }
        Some(v) => bail!(
            "{manifest}:{}: `rust-version = \"{}\"` is not a Rust version: write it as 1.85 or 1.85.0",
            v.line,
            v.value
        ),
        None => bail!(
            "{manifest}: no `rust-version`: declare the oldest Rust it builds with (`rust-version = \"1.85\"`, or `rust-version.workspace = true`)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_declares_its_own_rust_version_or_inherits_the_workspace_one() {
        let own = "[package]\nname = \"a\"\nrust-version = \"1.88\"\n";
        assert_eq!(
            member_rust_version("a/Cargo.toml", own, Some("1.85")).unwrap(),
            "1.88"
        );
        let inherited = "[package]\nname = \"b\"\nrust-version.workspace = true\n";
        assert_eq!(
            member_rust_version("b/Cargo.toml", inherited, Some("1.85")).unwrap(),
            "1.85"
        );
        let inline = "[package]\nname = \"b\"\nrust-version = { workspace = true }\n";
        assert_eq!(
            member_rust_version("b/Cargo.toml", inline, Some("1.85.0")).unwrap(),
            "1.85.0"
        );
    }

    #[test]
    fn a_missing_or_malformed_rust_version_says_where_and_how_to_fix_it() {
        let inherited = "[package]\nname = \"b\"\nrust-version.workspace = true\n";
        let err = member_rust_version("b/Cargo.toml", inherited, None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "b/Cargo.toml: `rust-version.workspace = true` but Cargo.toml has no `[workspace.package] rust-version`: add one"
        );
        let none = "[package]\nname = \"c\"\n";
        let err = member_rust_version("c/Cargo.toml", none, Some("1.85"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c/Cargo.toml: no `rust-version`: declare"),
            "{err}"
        );
        let bad = "[package]\nname = \"d\"\nrust-version = \"1.85; rm -rf\"\n";
        let err = member_rust_version("d/Cargo.toml", bad, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "d/Cargo.toml:3: `rust-version = \"1.85; rm -rf\"` is not a Rust version"
            ),
            "{err}"
        );
    }
}
