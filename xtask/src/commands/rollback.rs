//! `cargo xtask rollback <tag>`: a release tag deleted here and on the
//! remote, and the way to yank the version it published.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use semver::Version;

use crate::adapters::git;
use crate::adapters::run_plan::Step;
use crate::cli::flags::Rollback;
use crate::ctx::Ctx;
use crate::model::package::Package;
use crate::out::ui::{self, Tone};
use crate::publish::order;

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
    let crates: Vec<String> = order::group(ws, package)?
        .into_iter()
        .map(|n| n.name)
        .collect();
    let yank = yank(package, &crates, &version, crate_registry)?;
    let commands = deletions(tag, remote, local, on_remote);
    if commands.is_empty() {
        bail!("{tag} exists neither here nor on {remote}: nothing to roll back");
    }
    for command in &commands {
        ui::println(&format!("$ {command}"));
    }
    if !flags.execute {
        for line in yank.lines() {
            ui::println(&format!("then: {line}"));
        }
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
        Yank::Crates(steps) if flags.yank => yank_all(sh, &steps, &version)?,
        other => {
            for line in other.lines() {
                ui::status(Tone::Warn, "Next", &line);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs each `cargo yank` of `steps` in order; one that fails stops the
/// rest, which the error names to run by hand.
fn yank_all(sh: &xshell::Shell, steps: &[(String, Step)], version: &Version) -> Result<()> {
    for (done, (name, step)) in steps.iter().enumerate() {
        step.run(sh).with_context(|| {
            let left: Vec<String> = steps[done..].iter().map(|(_, s)| s.line()).collect();
            format!(
                "{name} {version} is not yanked: when the registry takes it, run {}",
                left.join(" && ")
            )
        })?;
        ui::status(Tone::Good, "Yanked", &format!("{name} {version}"));
    }
    Ok(())
}

/// How the published version is taken back: `cargo yank` for each crate of
/// the package's group (on the registry `publish crate` uploads to), a page
/// to visit for a Python package (PyPI has no yank API).
enum Yank {
    /// Each crate's name and its `cargo yank`.
    Crates(Vec<(String, Step)>),
    Python(String),
}

impl Yank {
    fn lines(&self) -> Vec<String> {
        match self {
            Yank::Crates(steps) => steps.iter().map(|(_, s)| s.line()).collect(),
            Yank::Python(what) => vec![what.clone()],
        }
    }
}

/// `crates`: the group's crates in publish order; they are yanked the other
/// way round, each before the crates it needs, so no crate left standing
/// needs a yanked one.
fn yank(
    package: &Package,
    crates: &[String],
    version: &Version,
    crate_registry: Option<&str>,
) -> Result<Yank> {
    if package.pyproject.is_some() {
        return Ok(Yank::Python(format!(
            "yank {} {} on the Python index's web page (Manage → Releases → Yank)",
            package.name,
            package.display(version)?
        )));
    }
    let registry: Vec<String> = crate_registry
        .iter()
        .flat_map(|r| ["--registry".to_string(), r.to_string()])
        .collect();
    let step = |name: &String| {
        let yank = Step::new("cargo", &["yank", "--version", &version.to_string()])
            .args(registry.iter().cloned())
            .arg(name);
        (name.clone(), yank)
    };
    Ok(Yank::Crates(crates.iter().rev().map(step).collect()))
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
        let group = ["core".to_string(), "store".to_string()];
        let lines =
            |crates: &[String], registry| yank(&core, crates, &v, registry).unwrap().lines();
        assert_eq!(
            lines(&group[..1], None),
            ["cargo yank --version 1.2.0-rc.1 core"]
        );
        assert_eq!(
            lines(&group, Some("local")),
            [
                "cargo yank --version 1.2.0-rc.1 --registry local store",
                "cargo yank --version 1.2.0-rc.1 --registry local core"
            ]
        );
        let py = package("binding", "py", true);
        assert_eq!(
            yank(&py, &[], &v, Some("local")).unwrap().lines(),
            ["yank binding 1.2.0rc1 on the Python index's web page (Manage → Releases → Yank)"]
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
