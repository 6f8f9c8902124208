//! `cargo xtask rollback <tag>`: a release tag deleted here and on the
//! remote, and the way to yank the version it published.

use std::process::ExitCode;

use crate::flags::Rollback;
use anyhow::{Result, bail};

use crate::ui::{self, Tone};
use crate::{Ctx, git};

/// `cargo xtask rollback <tag>`: delete a release tag here and on the remote,
/// and say (or, with --yank, run) how to yank the published version.
pub fn run(ctx: &Ctx, flags: Rollback) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let sh = &ctx.sh;
    let tag = &flags.tag;
    let (package, version) = ws.package_of_tag(tag)?;
    let remote = &ws.config.remote;
    let local = git::tags(sh)?.contains(tag);
    let on_remote = git::remote_tags(sh, remote)?.contains(tag);
    let yank = if package.pyproject.is_none() {
        let registry = ws
            .config
            .registries
            .crate_registry
            .as_ref()
            .map_or(String::new(), |r| format!("--registry {r} "));
        format!("cargo yank --version {version} {registry}{}", package.name)
    } else {
        format!(
            "yank {} {} on the Python index's web page (Manage → Releases → Yank)",
            package.name,
            package.display(&version)?
        )
    };
    let mut commands = Vec::new();
    if local {
        commands.push(format!("git tag --delete {tag}"));
    }
    if on_remote {
        commands.push(format!("git push {remote} :refs/tags/{tag}"));
    }
    if commands.is_empty() {
        bail!("{tag} exists neither here nor on {remote}: nothing to roll back");
    }
    for command in &commands {
        println!("$ {command}");
    }
    if !flags.execute {
        println!("then: {yank}");
        ui::status(
            Tone::Warn,
            "Dry run",
            "nothing was changed; add --execute to delete the tag",
        );
        return Ok(ExitCode::SUCCESS);
    }
    if local {
        git::delete_tag(sh, tag)?;
        ui::status(Tone::Good, "Deleted", &format!("{tag} locally"));
    }
    if on_remote {
        git::push_delete_tag(sh, remote, tag)?;
        ui::status(Tone::Good, "Deleted", &format!("{tag} on {remote}"));
    }
    if flags.yank && package.pyproject.is_none() {
        let name = &package.name;
        let version = version.to_string();
        // The registry `publish crate` uploads to, when one is configured.
        let registry: Vec<String> = ws
            .config
            .registries
            .crate_registry
            .iter()
            .flat_map(|r| ["--registry".to_string(), r.clone()])
            .collect();
        xshell::cmd!(sh, "cargo yank --version {version} {registry...} {name}").run()?;
        ui::status(Tone::Good, "Yanked", &format!("{name} {version}"));
    } else {
        ui::status(Tone::Warn, "Next", &yank);
    }
    Ok(ExitCode::SUCCESS)
}
