//! `cargo xtask rollback <tag>`: a release tag deleted here and on the
//! remote, and the way to yank the version it published.

use std::process::ExitCode;

use anyhow::{Result, bail};
use semver::Version;

use crate::adapters::git;
use crate::adapters::run_plan::Step;
use crate::cli::flags::Rollback;
use crate::ctx::Ctx;
use crate::model::package::Package;
use crate::out::ui::{self, Tone};

/// `cargo xtask rollback <tag>`: delete a release tag here and on the remote,
/// and say (or, with --yank, run) how to yank the published version.
pub fn run(ctx: &Ctx, flags: Rollback) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let sh = &ctx.sh;
    let tag = &flags.tag;
    let (package, version) = ws.package_of_tag(tag)?;
    let remote = &ws.config.remote;
    let local_at = git::tag_commit(sh, tag)?;
    let remote_at = git::remote_tag_commits(sh, remote)?
        .into_iter()
        .find(|(t, _)| t == tag)
        .map(|(_, at)| at);
    let local = local_at.is_some();
    // The remote's tag at another commit is someone else's release: never ours to delete.
    let on_remote = remote_at.is_some() && (local_at.is_none() || local_at == remote_at);
    if let (Some(here), Some(there)) = (&local_at, &remote_at)
        && here != there
    {
        ui::status(
            Tone::Warn,
            "warning",
            &format!(
                "{remote} has {tag} at {} (not {}, the commit it tags here): someone else released it; it is left alone on {remote}",
                short(there),
                short(here)
            ),
        );
    }
    let crate_registry = ws.config.registries.crate_registry.as_deref();
    let yank = yank(package, &version, crate_registry)?;
    let commands = deletions(tag, remote, local, on_remote);
    if commands.is_empty() {
        bail!("{tag} exists neither here nor on {remote}: nothing to roll back");
    }
    for command in &commands {
        println!("$ {command}");
    }
    if !flags.execute {
        println!("then: {}", yank.line());
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
    match yank {
        Yank::Crate(step) if flags.yank => {
            step.run(sh)?;
            ui::status(Tone::Good, "Yanked", &format!("{} {version}", package.name));
        }
        other => ui::status(Tone::Warn, "Next", &other.line()),
    }
    Ok(ExitCode::SUCCESS)
}

/// How the published version is taken back: `cargo yank` for a crate (on
/// the registry `publish crate` uploads to), a page to visit for a Python
/// package (PyPI has no yank API).
enum Yank {
    Crate(Step),
    Python(String),
}

impl Yank {
    fn line(&self) -> String {
        match self {
            Yank::Crate(step) => step.line(),
            Yank::Python(what) => what.clone(),
        }
    }
}

fn yank(package: &Package, version: &Version, crate_registry: Option<&str>) -> Result<Yank> {
    if package.pyproject.is_some() {
        return Ok(Yank::Python(format!(
            "yank {} {} on the Python index's web page (Manage → Releases → Yank)",
            package.name,
            package.display(version)?
        )));
    }
    let registry = crate_registry
        .iter()
        .flat_map(|r| ["--registry".to_string(), r.to_string()]);
    Ok(Yank::Crate(
        Step::new("cargo", &["yank", "--version", &version.to_string()])
            .args(registry)
            .arg(&package.name),
    ))
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// The git commands that delete `tag` where it exists.
fn deletions(tag: &str, remote: &str, local: bool, on_remote: bool) -> Vec<String> {
    let mut commands = Vec::new();
    if local {
        commands.push(format!("git tag --delete {tag}"));
    }
    if on_remote {
        commands.push(format!("git push {remote} :refs/tags/{tag}"));
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selection::tests::package;

    #[test]
    fn a_crate_is_yanked_on_its_registry_and_a_python_package_by_hand() {
        let v = Version::parse("1.2.0-rc.1").unwrap();
        let core = package("core", "rust", false);
        let line = |registry| yank(&core, &v, registry).unwrap().line();
        assert_eq!(line(None), "cargo yank --version 1.2.0-rc.1 core");
        assert_eq!(
            line(Some("local")),
            "cargo yank --version 1.2.0-rc.1 --registry local core"
        );
        let py = package("binding", "py", true);
        assert_eq!(
            yank(&py, &v, Some("local")).unwrap().line(),
            "yank binding 1.2.0rc1 on the Python index's web page (Manage → Releases → Yank)"
        );
    }

    #[test]
    fn a_tag_is_deleted_where_it_exists() {
        assert_eq!(
            deletions("v1.0.0", "origin", true, true),
            [
                "git tag --delete v1.0.0",
                "git push origin :refs/tags/v1.0.0"
            ]
        );
        assert_eq!(
            deletions("v1.0.0", "up", false, true),
            ["git push up :refs/tags/v1.0.0"]
        );
        assert!(deletions("v1.0.0", "origin", false, false).is_empty());
    }
}
