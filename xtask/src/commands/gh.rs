//! `cargo xtask gh …`: the decisions GitHub Actions delegate to the xtask.
//! Every value written to `$GITHUB_OUTPUT` is checked against a strict
//! pattern first, so nothing printed here can carry shell syntax into a
//! later step.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use regex::Regex;
use semver::Version;
use xshell::cmd;

use crate::adapters::git;
use crate::cli::flags::Gh;
use crate::ctx::Ctx;
use crate::facts;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::out::ui;
use crate::publish::artifacts;
use crate::publish::registry::IndexFile;
use crate::release;
use crate::release::subject::Named;
use crate::text::pyproject;
use crate::text::tag_index::TagIndex;
use crate::text::version::{parse_any, pep440_matches};

pub fn run(ctx: &Ctx, flags: Gh) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let outputs = match flags {
        Gh::VerifyTag { tag, package } => {
            let outputs = verify_tag(ws, &tag, &facts::tags::read(&ctx.sh, ws)?)?;
            if let Some(expected) = package {
                let wanted = crate::model::selection::one(&ws.packages, &expected)?;
                if outputs[0].1 != wanted.name {
                    bail!(
                        "tag {} is of {}, not of {}: this workflow publishes {} tags only",
                        tag,
                        outputs[0].1,
                        wanted.name,
                        wanted.tag.template
                    );
                }
            }
            outputs
        }
        Gh::Msrv => msrv(ws)?,
        Gh::VerifyDist { dir, package } => verify_dist(ws, &dir, &package)?,
        Gh::ReleaseCommit => {
            let (subject, below) = release_head(ctx)?;
            let tags = facts::tags::read(&ctx.sh, ws)?;
            let mut outputs = release_commit(ws, &subject, &tags, below.is_none())?;
            // The tags go on HEAD, unless the release commit is below it.
            let released = outputs.iter().any(|(k, v)| *k == "released" && v == "true");
            outputs.extend(below.filter(|_| released).map(|c| ("commit", c)));
            not_rolled_back(ctx, ws, outputs)?
        }
        Gh::ReleasePr => release_pr(ws, &head_subject(ctx)?),
    };
    write_outputs(&outputs)?;
    Ok(ExitCode::SUCCESS)
}

/// HEAD's subject; for a merge commit (whose own subject is `Merge pull
/// request …`), that of the merged branch's tip, where a release subject is.
fn head_subject(ctx: &Ctx) -> Result<String> {
    Ok(release_head(ctx)?.0)
}

/// The subject of the release commit HEAD brings, if any, and that commit
/// when it is not HEAD. HEAD itself; for a merge commit (`Merge pull
/// request …`) the merged branch's tip (its tags at HEAD, whose tree holds
/// the release); and below a move to the next development version
/// (`next-dev`) on top of it, its parent, the release commit (a release PR
/// of two commits, rebased or merged), where its tags go.
fn release_head(ctx: &Ctx) -> Result<(String, Option<String>)> {
    let sh = &ctx.sh;
    let parents = cmd!(sh, "git rev-list --parents -n 1 HEAD")
        .quiet()
        .read()?;
    let rev = match parents.split_whitespace().count() > 2 {
        true => "HEAD^2",
        false => "HEAD",
    };
    let (subject, parent) = git::subject_and_parent(sh, rev)?;
    let next_dev = crate::model::config::NEXT_DEV_MESSAGE;
    let bare = release::subject::without_pr_number(&subject);
    if release::subject::parse_commit_subject(next_dev, bare).is_none() {
        return Ok((subject, None));
    }
    let release = match &parent {
        Some(parent) => Some((git::subject_and_parent(sh, parent)?.0, parent.clone())),
        None => None,
    };
    match release {
        Some((below, parent)) if parse_subject(ctx.ws()?, &below).is_some() => {
            Ok((below, Some(parent)))
        }
        _ => bail!(
            "HEAD is the move to the next development version ({subject}), but the commit below it is no release commit: a release PR of two commits (`next-dev`) was squash-merged, so no commit of main holds the release: tag the release PR's release commit by hand, and merge release PRs with a merge commit or by rebasing"
        ),
    }
}

/// `outputs` of `release-commit`, unless HEAD is a tag-flow release commit
/// that was rolled back (`cargo xtask rollback`, derived from what the
/// remote shows as `release` does): its missing tags were deleted on
/// purpose, and making them again would undo the rollback. Only asked when
/// a tag is missing, so an ordinary push never needs the remote.
fn not_rolled_back(ctx: &Ctx, ws: &Workspace, outputs: Outputs) -> Result<Outputs> {
    let tags = outputs.iter().find(|(k, _)| *k == "tags").map(|(_, v)| v);
    let Some(tags) = tags else {
        return Ok(outputs);
    };
    if !release::executor::head_rolled_back(&ctx.sh, ws)? {
        return Ok(outputs);
    }
    ui::eprintln(&format!(
        "HEAD's release was rolled back: {}'s {} holds it and {tags} exists neither here nor there (cargo xtask rollback): nothing to tag",
        ws.config.remote, ws.config.branch
    ));
    Ok(vec![("released", "false".to_string())])
}

/// `update=true` when a push to the release branch is to rebuild the release
/// PR: the configuration's mode is `pr`, and `subject` (HEAD's) is no
/// release commit, which `release.yml` tags instead. Why not is said on stderr.
fn release_pr(ws: &Workspace, subject: &str) -> Outputs {
    let update = if ws.config.mode != crate::model::config::Mode::Pr {
        ui::eprintln(&format!(
            "{}: mode is not \"pr\": no release PR to keep current",
            ws.config.origin
        ));
        false
    } else if parse_subject(ws, subject).is_some() {
        ui::eprintln(&format!(
            "HEAD is a release commit ({subject}): release.yml tags it, the release PR waits for the next push"
        ));
        false
    } else {
        true
    };
    vec![("update", update.to_string())]
}

/// The files in `dir` hold the sdist and a wheel for every `wheels` pattern
/// of `package`: the workflow's wheel matrix and the configuration agree.
fn verify_dist(ws: &Workspace, dir: &std::path::Path, package: &str) -> Result<Outputs> {
    let package = crate::model::selection::one(&ws.packages, package)?;
    if package.pyproject.is_none() {
        bail!(
            "{} is not a Python package: verify-dist checks the files of one",
            package.name
        );
    }
    let project = crate::publish::registry::project_name(ws, package)?;
    let display = package.display(&package.version)?;
    // The built files' folder named on the command line: only their names
    // are read, no file is opened.
    let files = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .map(|e| {
            let name = e?.file_name().to_string_lossy().into_owned();
            Ok(IndexFile {
                name,
                yanked: false,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let missing = artifacts::missing(&project, &display, &files, &package.wheels);
    if !missing.is_empty() {
        bail!(
            "{} lacks {}: build a wheel for each `wheels` pattern of {} (the workflow's matrix), or drop the pattern from `wheels`",
            dir.display(),
            missing.join(", "),
            package.name
        );
    }
    Ok(vec![("files", files.len().to_string())])
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
            // The runner's file, outside the repository: appended with `std::fs`.
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path)
                .with_context(|| format!("cannot open GITHUB_OUTPUT {}", path.to_string_lossy()))?;
            file.write_all(text.as_bytes())?;
        }
        None => ui::print(&text),
    }
    Ok(())
}

/// `rust-version` of the workspace, and `members`: each member's own as `name/version`
/// joined by `,` (the msrv job builds every member with its own toolchain).
fn msrv(ws: &Workspace) -> Result<Outputs> {
    let (rust_version, members) = crate::model::rust_version::msrv(ws)?;
    Ok(vec![
        ("rust-version", rust_version),
        ("members", members.join(",")),
    ])
}

/// The package whose tag series `tag` belongs to, once the tag is known safe to echo.
fn package_of<'a>(ws: &'a Workspace, tag: &str) -> Result<(&'a Package, Version)> {
    safe("tag", tag)?;
    ws.package_of_tag(tag)
}

/// The previous release of `package` before `version` (the rule's: the
/// release with the highest version below it, merged or not), said on
/// stderr: the base its notes and compare links start from.
fn previous_release(package: &Package, version: &Version, tags: &TagIndex) -> Option<String> {
    let previous = package.release_before(tags, version).map(|(tag, _)| tag);
    match &previous {
        Some(tag) => ui::eprintln(&format!("{} {version}: since {tag}", package.name)),
        None => ui::eprintln(&format!(
            "{} {version}: first release of the series",
            package.name
        )),
    }
    previous
}

/// `outputs` with `previous-tag` when there is a previous release (an
/// output is never empty).
fn with_previous(mut outputs: Outputs, previous: Option<String>) -> Outputs {
    outputs.extend(previous.map(|tag| ("previous-tag", tag)));
    outputs
}

pub fn verify_tag(ws: &Workspace, tag: &str, tags: &TagIndex) -> Result<Outputs> {
    let (package, version) = package_of(ws, tag)?;
    // The manifest's spelling: a `{pep440}` tag reads `0.23.1rc0` as `0.23.1-rc.0`.
    let version = match package.tag.same(&version, &package.version) {
        true => package.version.clone(),
        false => version,
    };
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
        && !pep440_matches(&found.value, &version)
    {
        bail!(
            "tag {tag} says {version} but {path}:{} says {}: make them equal (`cargo xtask bump`)",
            found.line,
            found.value
        );
    }
    let outputs = vec![
        ("package", package.name.clone()),
        ("version", version.to_string()),
        ("prerelease", (!version.pre.is_empty()).to_string()),
    ];
    Ok(with_previous(
        outputs,
        previous_release(package, &version, tags),
    ))
}

/// Whether `subject` (HEAD's first line) is a release commit — this
/// project's `release: name vX.Y.Z + …` or the PR flow's `chore(release):
/// prepare …` — whose versions match the manifests. The outputs name the
/// tags to see through: every tag of a release PR's merge (tags and
/// publishing are the workflow's job, so a re-run completes them), and the
/// missing ones of `release --execute`'s commit, which pushes its own tags
/// (none missing: `released=false`).
/// `at_head`: the release commit's tree is HEAD's, so the versions it names
/// must be the manifests' (below a `next-dev` commit they have moved on).
pub fn release_commit(
    ws: &Workspace,
    subject: &str,
    tags: &TagIndex,
    at_head: bool,
) -> Result<Outputs> {
    let not_release = || Ok(vec![("released", "false".to_string())]);
    let Some((found, from_pr)) = parse_subject(ws, subject) else {
        return not_release();
    };
    let mut new_tags = Vec::new();
    for (package, version) in &found {
        if at_head && package.version != *version {
            let moved_on = crate::text::train::is_dev(&package.version)
                && crate::text::version::order(&package.version, version).is_gt();
            if moved_on {
                bail!(
                    "HEAD says {} {version} but {} says {}, the next development version: a release PR with its `next-dev` commit was squash-merged, so no commit of main holds the release: tag it by hand at the commit that has {version} (`git tag -a {} COMMIT`), and merge release PRs with a merge commit or by rebasing",
                    package.name,
                    package.manifest,
                    package.version,
                    package.tag.render(version)?
                );
            }
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
        if !from_pr && tags.contains(&tag) {
            ui::eprintln(&format!("{tag} exists already: nothing to tag"));
        } else {
            new_tags.push((package, version, tag));
        }
    }
    let Some((first, version, tag)) = new_tags.first() else {
        return not_release();
    };
    let all: Vec<&str> = new_tags.iter().map(|(_, _, t)| t.as_str()).collect();
    let outputs = vec![
        ("released", "true".to_string()),
        ("package", first.name.clone()),
        ("version", version.to_string()),
        ("tag", tag.clone()),
        ("tags", all.join(",")),
    ];
    Ok(with_previous(
        outputs,
        previous_release(first, version, tags),
    ))
}

/// The `(package, version)` pairs a release subject names, and whether it is
/// the PR flow's form; `None` for any other subject.
fn parse_subject<'a>(
    ws: &'a Workspace,
    subject: &str,
) -> Option<(Vec<(&'a Package, Version)>, bool)> {
    let subject = subject.lines().next()?.trim();
    let version_of = |text: &str| parse_any(text).ok();
    // The PR flow: the configured form means the first package alone; any
    // other release names each package and its version.
    match release::subject::parse_pr_subject(&ws.config.pr_commit_message, subject) {
        Some(Named::First(version)) => {
            let first = (ws.packages.first()?, version_of(&version)?);
            return Some((vec![first], true));
        }
        Some(Named::Packages(pairs)) => {
            let mut out = Vec::new();
            for (name, version) in pairs {
                out.push((ws.package(&name)?, version_of(&version)?));
            }
            return Some((out, true));
        }
        None => {}
    }
    // The tag flow's `release: name vX.Y.Z + name vX.Y.Z`, squash-merged or not.
    let subject = release::subject::without_pr_number(subject);
    let pairs = release::subject::parse_commit_subject(&ws.config.commit_message, subject)?;
    let mut out = Vec::new();
    for (name, version) in pairs {
        out.push((ws.package(&name)?, version_of(&version)?));
    }
    (!out.is_empty()).then_some((out, false))
}

#[cfg(test)]
mod tests {
    use super::{release_commit, release_pr, verify_tag};
    use crate::model::workspace::Workspace;
    use crate::model::workspace::test_texts::{krate, load};
    use crate::text::tag_index::TagIndex;

    /// A crate `core` 0.4.0 and its binding `binding` 0.3.0 (pyproject
    /// `pyproject`), with the default tags `v{version}` and `py-v{version}`.
    fn dual(pyproject: &str) -> Workspace {
        let binding = krate(
            "binding",
            "0.3.0",
            "[dependencies]\ncore = { path = \"../core\", version = \"0.4.0\" }\n",
        );
        let pyproject = format!("[project]\nname = \"binding\"\nversion = \"{pyproject}\"\n");
        load(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"core\", \"binding\"]\n",
            ),
            ("core/Cargo.toml", &krate("core", "0.4.0", "")),
            ("binding/Cargo.toml", &binding),
            ("binding/pyproject.toml", &pyproject),
        ])
    }

    fn shown(outputs: anyhow::Result<Vec<(&str, String)>>) -> String {
        match outputs {
            Ok(pairs) => pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
            Err(err) => format!("error: {err:#}"),
        }
    }

    #[test]
    fn verify_tag_names_the_package_or_what_disagrees_with_the_tag() {
        let cases = [
            (
                "0.3.0",
                "v0.4.0",
                "package=core version=0.4.0 prerelease=false",
            ),
            (
                "0.3.0",
                "py-v0.3.0",
                "package=binding version=0.3.0 prerelease=false",
            ),
            (
                "0.3.0",
                "v0.5.0",
                "error: tag v0.5.0 says 0.5.0 but core/Cargo.toml says 0.4.0 for core: tag the commit whose manifest has 0.5.0, or fix the manifest",
            ),
            (
                "0.2.9",
                "py-v0.3.0",
                "error: tag py-v0.3.0 says 0.3.0 but binding/pyproject.toml:3 says 0.2.9: make them equal (`cargo xtask bump`)",
            ),
        ];
        for (pyproject, tag, want) in cases {
            let none = TagIndex::default();
            assert_eq!(
                shown(verify_tag(&dual(pyproject), tag, &none)),
                want,
                "{tag}"
            );
        }
        // The base it compared with: the highest tag below, never one above.
        let tags = TagIndex::of_names(&["v0.3.9", "v0.4.0", "v3.0.0", "py-v0.2.0"]);
        assert_eq!(
            shown(verify_tag(&dual("0.3.0"), "v0.4.0", &tags)),
            "package=core version=0.4.0 prerelease=false previous-tag=v0.3.9"
        );
        let err = shown(verify_tag(
            &dual("0.3.0"),
            "nightly-2026",
            &TagIndex::default(),
        ));
        assert!(err.starts_with("error: "), "{err}");
    }

    #[test]
    fn the_release_pr_is_rebuilt_in_pr_mode_on_any_push_but_a_release_commit() {
        let mut ws = dual("0.3.0");
        let update = |ws: &Workspace, subject: &str| release_pr(ws, subject)[0].1.clone();
        assert_eq!(update(&ws, "feat: a"), "false", "mode tag");
        ws.config.mode = crate::model::config::Mode::Pr;
        assert_eq!(update(&ws, "feat: a"), "true");
        for release in [
            "chore(release): prepare v0.4.0",
            "chore(release): prepare core v0.4.0 + binding v0.3.0 (#42)",
            "release: core v0.4.0",
        ] {
            assert_eq!(update(&ws, release), "false", "{release}");
        }
    }

    #[test]
    fn release_commit_tags_exactly_the_packages_its_subject_names() {
        let ws = dual("0.3.0");
        let none: &[String] = &[];
        let made = ["v0.3.9", "v0.4.0", "py-v0.2.0", "v3.0.0"].map(String::from);
        let cases: [(&str, &[String], &str); 7] = [
            ("fix: a bug", none, "released=false"),
            (
                "release: core v0.4.0 + binding v0.3.0",
                none,
                "released=true package=core version=0.4.0 tag=v0.4.0 tags=v0.4.0,py-v0.3.0",
            ),
            // `release --execute` pushed v0.4.0 itself: only the missing tag is left.
            (
                "release: core v0.4.0 + binding v0.3.0",
                &made,
                "released=true package=binding version=0.3.0 tag=py-v0.3.0 tags=py-v0.3.0 previous-tag=py-v0.2.0",
            ),
            ("release: core v0.4.0 (#42)", &made, "released=false"),
            (
                "chore(release): prepare v0.4.0 (#42)",
                &made,
                "released=true package=core version=0.4.0 tag=v0.4.0 tags=v0.4.0 previous-tag=v0.3.9",
            ),
            (
                "chore(release): prepare core v0.4.0 + binding v0.3.0",
                none,
                "released=true package=core version=0.4.0 tag=v0.4.0 tags=v0.4.0,py-v0.3.0",
            ),
            (
                "release: core v0.5.0",
                none,
                "error: HEAD says core 0.5.0 but core/Cargo.toml says 0.4.0: the release commit and the manifest disagree",
            ),
        ];
        for (subject, tags, want) in cases {
            let tags = TagIndex::of_names(tags);
            assert_eq!(
                shown(release_commit(&ws, subject, &tags, true)),
                want,
                "{subject}"
            );
        }
        // Below a `next-dev` commit, the release commit's versions are not
        // the work tree's: they are not compared.
        assert_eq!(
            shown(release_commit(
                &ws,
                "chore(release): prepare v0.3.0",
                &TagIndex::default(),
                false
            )),
            "released=true package=core version=0.3.0 tag=v0.3.0 tags=v0.3.0"
        );
        // A squash of such a pull request leaves no commit holding the release.
        let mut dev = dual("0.3.0");
        dev.packages[0].version = semver::Version::parse("0.5.0-dev.0").unwrap();
        let squashed = shown(release_commit(
            &dev,
            "chore(release): prepare v0.4.0 (#42)",
            &TagIndex::default(),
            true,
        ));
        assert!(
            squashed.contains("was squash-merged, so no commit of main holds the release"),
            "{squashed}"
        );
    }
}
