//! `cargo xtask gh …`: the decisions GitHub Actions delegate to the xtask.
//! Every value written to `$GITHUB_OUTPUT` is checked against a strict
//! pattern first, so nothing printed here can carry shell syntax into a
//! later step.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::ArgMatches;
use regex::Regex;
use semver::Version;
use xshell::cmd;

use crate::edit::pyproject;
use crate::version::{parse_any, parse_pep440};
use crate::workspace::{Package, Workspace};
use crate::{Ctx, git};

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let (name, sub) = args.subcommand().expect("clap requires a subcommand");
    let outputs = match name {
        "verify-tag" => {
            let outputs = verify_tag(ws, sub.get_one::<String>("tag").expect("required"))?;
            if let Some(expected) = sub.get_one::<String>("package") {
                let wanted = super::changelog::find(ws, expected)?;
                if outputs[0].1 != wanted.name {
                    bail!(
                        "tag {} is of {}, not of {}: this workflow publishes {} tags only",
                        sub.get_one::<String>("tag").expect("required"),
                        outputs[0].1,
                        wanted.name,
                        wanted.tag.template
                    );
                }
            }
            outputs
        }
        "msrv" => vec![("rust-version", msrv(ws)?)],
        "release-commit" => {
            // A merge commit's own subject is `Merge pull request …`: the
            // release subject is that of the merged branch's tip.
            let parents = cmd!(ctx.sh, "git rev-list --parents -n 1 HEAD")
                .quiet()
                .read()?;
            let rev = if parents.split_whitespace().count() > 2 {
                "HEAD^2"
            } else {
                "HEAD"
            };
            let subject = cmd!(ctx.sh, "git log -1 --format=%s {rev}")
                .quiet()
                .read()?;
            release_commit(ws, &subject, &git::tags(&ctx.sh)?)?
        }
        _ => unreachable!("clap rejects unknown subcommands"),
    };
    write_outputs(&outputs)?;
    Ok(ExitCode::SUCCESS)
}

/// `(key, value)` pairs for `$GITHUB_OUTPUT`.
type Outputs = Vec<(&'static str, String)>;

/// The strict shape of every output value: no spaces, quotes, `$`, `;`, newlines…
fn safe(key: &str, value: &str) -> Result<()> {
    let pattern = Regex::new(r"^[A-Za-z0-9][A-Za-z0-9._+/,-]{0,255}$").expect("valid");
    if pattern.is_match(value) {
        Ok(())
    } else {
        bail!("refusing to output {key}={value:?}: it must match {pattern}")
    }
}

/// Appends `key=value` lines to `$GITHUB_OUTPUT`, or prints them without it.
fn write_outputs(outputs: &Outputs) -> Result<()> {
    for (key, value) in outputs {
        safe(key, value)?;
    }
    let text: String = outputs.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    match std::env::var_os("GITHUB_OUTPUT").filter(|p| !p.is_empty()) {
        Some(path) => {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path)
                .with_context(|| format!("cannot open GITHUB_OUTPUT {}", path.to_string_lossy()))?;
            file.write_all(text.as_bytes())?;
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// `rust-version` of the workspace (or of the first released package).
fn msrv(ws: &Workspace) -> Result<String> {
    let root = crate::workspace::ROOT_MANIFEST;
    let text = ws.files.text(root);
    let doc = crate::edit::toml::parse(root, text)?;
    let mut found =
        crate::edit::toml::get_str(root, text, &doc, &["workspace", "package", "rust-version"])?;
    if found.is_none()
        && let Some(package) = ws.packages.first()
    {
        let text = ws.files.text(&package.manifest);
        let doc = crate::edit::toml::parse(&package.manifest, text)?;
        found = crate::edit::toml::get_str(
            &package.manifest,
            text,
            &doc,
            &["package", "rust-version"],
        )?;
    }
    found
        .map(|v| v.value)
        .context("no `rust-version` in [workspace.package] or the first package: add one")
}

/// The package whose tag series `tag` belongs to, once the tag is known safe to echo.
fn package_of<'a>(ws: &'a Workspace, tag: &str) -> Result<(&'a Package, Version)> {
    safe("tag", tag)?;
    ws.package_of_tag(tag)
}

/// Checks that the manifest (and `pyproject.toml`) of the tag's package say
/// the tag's version.
pub fn verify_tag(ws: &Workspace, tag: &str) -> Result<Outputs> {
    let (package, version) = package_of(ws, tag)?;
    if package.version != version {
        bail!(
            "tag {tag} says {version} but {} says {} for {}: tag the commit whose manifest has {version}, or fix the manifest",
            package.manifest,
            package.version,
            package.name
        );
    }
    if let Some(path) = &package.pyproject
        && let Some(found) = pyproject::version(path, ws.files.text(path))?
        && parse_pep440(&found.value).ok().as_ref() != Some(&version)
    {
        bail!(
            "tag {tag} says {version} but {path}:{} says {}: make them equal (`cargo xtask bump`)",
            found.line,
            found.value
        );
    }
    Ok(vec![
        ("package", package.name.clone()),
        ("version", version.to_string()),
        ("prerelease", (!version.pre.is_empty()).to_string()),
    ])
}

/// Whether `subject` (HEAD's first line) is a release commit — this
/// project's `release: name vX.Y.Z + …` or the PR flow's `chore(release):
/// prepare vX.Y.Z` — whose versions match the manifests; the outputs name
/// the tags that do not exist yet (none: `released=false`).
pub fn release_commit(ws: &Workspace, subject: &str, tags: &[String]) -> Result<Outputs> {
    let not_release = || Ok(vec![("released", "false".to_string())]);
    let found: Vec<(&Package, Version)> = match parse_subject(ws, subject) {
        Some(found) => found,
        None => return not_release(),
    };
    let mut new_tags = Vec::new();
    for (package, version) in &found {
        if package.version != *version {
            bail!(
                "HEAD says {} {version} but {} says {}: the release commit and the manifest disagree",
                package.name,
                package.manifest,
                package.version
            );
        }
        let tag = package.tag.render(version)?;
        // `cargo xtask release --execute` pushes its tags with the commit:
        // a tag that exists was made already, and is nothing to do here.
        if tags.contains(&tag) {
            eprintln!("{tag} exists already: nothing to tag");
        } else {
            new_tags.push((package, version, tag));
        }
    }
    let Some((first, version, tag)) = new_tags.first() else {
        return not_release();
    };
    let all: Vec<&str> = new_tags.iter().map(|(_, _, t)| t.as_str()).collect();
    Ok(vec![
        ("released", "true".to_string()),
        ("package", first.name.clone()),
        ("version", version.to_string()),
        ("tag", tag.clone()),
        ("tags", all.join(",")),
    ])
}

/// The `(package, version)` pairs a release subject names; `None` for any other subject.
fn parse_subject<'a>(ws: &'a Workspace, subject: &str) -> Option<Vec<(&'a Package, Version)>> {
    let subject = subject.lines().next()?.trim();
    // A squash merge appends the pull request number: `… (#42)`.
    let subject = match subject.rsplit_once(" (#") {
        Some((head, number))
            if number
                .strip_suffix(')')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            head
        }
        _ => subject,
    };
    // A version as the tool writes it: SemVer or PEP 440, with a `v`.
    let version_of = |text: &str| parse_any(text.strip_prefix('v')?).ok();
    // The PR flow: the configured prefix and suffix around `{version}`.
    let (pre, post) = ws.config.pr_commit_message.split_once("{version}")?;
    if let Some(rest) = subject.strip_prefix(pre).and_then(|r| r.strip_suffix(post)) {
        let version = version_of(&format!("v{rest}"))?;
        // Every package at that version (checked against the tags later), or
        // the first, whose manifest then reports the mismatch.
        let mut found: Vec<(&Package, Version)> = ws
            .packages
            .iter()
            .filter(|p| p.version == version)
            .map(|p| (p, version.clone()))
            .collect();
        if found.is_empty() {
            found.push((ws.packages.first()?, version));
        }
        return Some(found);
    }
    // `release: name vX.Y.Z + name vX.Y.Z`.
    let (pre, post) = ws.config.commit_message.split_once("{releases}")?;
    let list = subject.strip_prefix(pre)?.strip_suffix(post)?;
    let mut out = Vec::new();
    for item in list.split(" + ") {
        let (name, version) = item.trim().split_once(' ')?;
        out.push((ws.package(name)?, version_of(version)?));
    }
    (!out.is_empty()).then_some(out)
}
