//! `cargo xtask downstream <path>`: moves a dependent repository from a
//! `path` dependency (or an older requirement) on a released crate to the
//! released version, then refreshes that repository's `Cargo.lock` with cargo
//! (a registry entry carries a checksum only the registry knows).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::adapters::run_plan::Step;
use crate::cli::flags::Downstream;
use crate::ctx::Ctx;
use crate::edit::{Edits, FileEdit, atomic_write};
use crate::model::package::Package;
use crate::model::selection;
use crate::model::workspace::Workspace;
use crate::out::ui::{self, Tone};
use crate::publish::registry::CrateRegistry;
use crate::text::registry_dependency;

pub fn run(ctx: &Ctx, flags: Downstream) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let cwd = std::env::current_dir()?;
    let target = cwd.join(&flags.path);
    // Its lock is refreshed by cargo, ignored by git or not.
    let downstream = Workspace::load(&target, None, &|_| Ok(Vec::new()))
        .with_context(|| format!("cannot read the dependent repository {}", target.display()))?;
    let registry = CrateRegistry::choose(&ws.config.registries, flags.registry.as_deref(), None);
    let released: Vec<&Package> = match &flags.package {
        Some(name) => vec![selection::one_of_kind(&ws.packages, Some(name), false)?],
        None => ws
            .packages
            .iter()
            .filter(|p| p.pyproject.is_none())
            .collect(),
    };

    let (edits, updates) = plan(&downstream, &released, registry.dependency_name())?;
    let changed: Vec<&FileEdit> = edits.changed().collect();
    if changed.is_empty() {
        ui::status(
            Tone::Good,
            "Up to date",
            &format!(
                "{} already depends on {} through the registry",
                target.display(),
                describe(&released)
            ),
        );
        return Ok(ExitCode::SUCCESS);
    }
    ui::print(&edits.diff());
    let has_lock = downstream.lock_in(".").is_some_and(|l| l.is_live());
    let commands = if has_lock {
        lock_updates(&updates)
    } else {
        Vec::new()
    };
    for command in &commands {
        ui::println(&format!(
            "then, in {}: {}",
            target.display(),
            command.line()
        ));
    }
    if !flags.execute {
        ui::status(
            Tone::Warn,
            "Dry run",
            &format!(
                "{} file(s) would change; pass --execute to write them and refresh Cargo.lock",
                changed.len()
            ),
        );
        return Ok(ExitCode::SUCCESS);
    }
    write(&target, &changed, &commands)?;
    ui::status(
        Tone::Good,
        "Wrote",
        &format!(
            "{} file(s) in {}{}",
            changed.len(),
            target.display(),
            if has_lock {
                ", and refreshed Cargo.lock"
            } else {
                ""
            }
        ),
    );
    Ok(ExitCode::SUCCESS)
}

/// The cargo commands that bring a lock in line with the edited manifests.
/// `--workspace` first: it drops a former path entry (not a package `-p`
/// can name), keeping every other locked version; then each crate goes to
/// exactly its release.
fn lock_updates(updates: &[(String, String)]) -> Vec<Step> {
    let mut commands = vec![Step::new("cargo", &["update", "--workspace"])];
    for (name, version) in updates {
        commands.push(Step::new(
            "cargo",
            &["update", "-p", name, "--precise", version],
        ));
    }
    commands
}

/// Writes the manifests, then runs `commands` in `target`; if one fails,
/// the manifests go back to what they were (all or nothing).
fn write(target: &Path, changed: &[&FileEdit], commands: &[Step]) -> Result<()> {
    atomic_write::apply(target, changed)?;
    let sh = xshell::Shell::new()?;
    sh.change_dir(target);
    for command in commands {
        if let Err(err) = command.cmd(&sh).run() {
            let restored = atomic_write::undo(target, changed);
            let state = match restored {
                Ok(()) => "the manifests were restored".to_string(),
                Err(e) => format!("the manifests could not be restored ({e:#})"),
            };
            return Err(err).with_context(|| {
                format!(
                    "`{}` failed in {}; {state}: check that the registry serves the version and that {} configures it",
                    command.line(),
                    target.display(),
                    target.join(".cargo/config.toml").display()
                )
            });
        }
    }
    Ok(())
}

fn describe(packages: &[&Package]) -> String {
    let list: Vec<String> = packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    list.join(", ")
}

/// The manifest edits that put every dependency on a released crate on its
/// released version, and the lock updates that follow: `(name, version)`.
pub fn plan(
    downstream: &Workspace,
    released: &[&Package],
    registry: Option<&str>,
) -> Result<(Edits, Vec<(String, String)>)> {
    let mut edits = Edits::default();
    let mut updates = Vec::new();
    for package in released {
        let mut found = false;
        for member in &downstream.members {
            for dep in member.deps.iter().filter(|d| d.package == package.name) {
                if dep.inherited {
                    // Its entry in `[workspace.dependencies]` is edited instead.
                    continue;
                }
                found = true;
                edits.edit(downstream, &member.manifest, |text| {
                    registry_dependency::use_registry(
                        &member.manifest,
                        text,
                        &dep.table,
                        &dep.key,
                        &package.version,
                        registry,
                    )
                })?;
            }
        }
        if found {
            updates.push((package.name.clone(), package.version.to_string()));
        }
    }
    if updates.is_empty() {
        let root = downstream.root.display();
        bail!(
            "{root} does not depend on {}: nothing to move to the registry",
            describe(released)
        );
    }
    Ok((edits, updates))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_follows_the_manifests_then_each_crate_goes_to_its_release() {
        let updates = [
            ("core".to_string(), "0.2.0".to_string()),
            ("extra".to_string(), "1.0.0-rc.1".to_string()),
        ];
        let lines: Vec<String> = lock_updates(&updates).iter().map(Step::line).collect();
        assert_eq!(
            lines,
            [
                "cargo update --workspace",
                "cargo update -p core --precise 0.2.0",
                "cargo update -p extra --precise 1.0.0-rc.1",
            ]
        );
    }
}
