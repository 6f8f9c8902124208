//! The release planner: `(workspace, facts, selection, options) -> ReleasePlan`.
//! Pure — every value it needs from git arrives in `Facts` — so the dry run
//! and `--execute` share one plan, and the tests build facts in memory.

use anyhow::{Context, Result, anyhow};

use super::selection::{Chosen, Selected, select};
use super::{Options, Release, ReleasePlan};
use crate::edit::{self, Edits};
use crate::facts::Facts;
use crate::facts::history::History;
use crate::model::config::Mode;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::api;
use crate::text::tag_index::TagIndex;
use crate::text::train;
use crate::text::version::Target;

/// Builds the plan for `selection` (`(package, target)`, `Target::Auto` for a
/// suggestion); which packages release at all is `selection::select`'s rule.
pub fn plan(
    ws: &Workspace,
    facts: &Facts,
    selection: &[(&Package, Target)],
    opts: &Options,
) -> Result<ReleasePlan> {
    let empty = History::default();
    let Selected {
        chosen,
        unchanged,
        mut warnings,
    } = select(ws, facts, selection, &empty)?;
    let (mut releases, bumps) = releases(ws, facts, &chosen, opts)?;
    if !opts.allow_breaking {
        warnings.extend(releases.iter().filter_map(|r| r.api_refusal.clone()));
    }
    warnings.extend(crate::edit::drift::warnings(ws, &bumps));
    // The branch released from: HEAD's, when releases run there.
    let base = ws
        .config
        .release_branch(facts.branch.as_deref())
        .to_string();
    let current = facts.branch.as_deref();
    if !current.is_some_and(|b| ws.config.releases_on(b)) {
        warnings.push(off_branch(current, &ws.config));
    }
    let taking = taking(ws, &chosen, &releases);
    without_changelog(ws, facts, (&chosen, &mut releases), &taking);
    let edits = edits(ws, facts, (&chosen, &releases), &bumps, &taking, opts)?;
    let (commit_message, branch) = commit_and_branch(ws, &releases, &opts.mode, &base);
    // Git-ignored files (a lock kept out of git) are written but not committed.
    let committed = |edits: &Edits| -> Vec<String> {
        let paths = edits.changed().map(|e| e.path.clone());
        paths.filter(|f| !facts.ignored.contains(f)).collect()
    };
    let files = committed(&edits);
    let next_dev = super::next_dev::plan(ws, &edits, &releases, &base)?;
    let next_commit = next_dev
        .as_ref()
        .map(|n| (n.message.clone(), committed(&n.edits)));
    let original = facts.branch.clone().unwrap_or_else(|| base.clone());
    let change_list = super::changes::pr_list(&facts.changes, &taking);
    let actions = super::actions::actions(
        ws,
        (&releases, &change_list),
        &edits,
        files,
        (&commit_message, next_commit),
        (&branch, &base),
        &original,
        &opts.mode,
        facts.pr_tip.as_deref(),
    );
    let flags: Vec<(&str, &Target)> = chosen
        .iter()
        .map(|c| (c.package.flag.as_str(), &c.target))
        .collect();
    let execute = super::actions::execute_command(ws, &flags, &releases, opts);
    let mut next = super::actions::port_commands(ws, &chosen, &releases, &base);
    next.extend(super::next_dev::hint(ws, &releases, &base));
    Ok(ReleasePlan {
        mode: opts.mode.clone(),
        releases,
        unchanged,
        warnings,
        edits,
        next_edits: next_dev.map(|n| n.edits).unwrap_or_default(),
        commit_message,
        branch,
        base,
        actions,
        execute,
        signing: None,
        next,
    })
}

/// The notes of each released package that keeps no changelog: its change
/// files' entries and the notes drafted from its commits, always.
fn without_changelog(
    ws: &Workspace,
    facts: &Facts,
    (chosen, releases): (&[Chosen], &mut [Release]),
    taking: &[&str],
) {
    let consumed = super::changes::consumed(&facts.changes, taking);
    for (c, release) in chosen.iter().zip(releases.iter_mut()) {
        if c.package.changelog.is_none() {
            release.notes = new_notes(ws, c, release, &consumed, true);
        }
    }
}

/// The warning of a plan made off the release branches, which `--execute`
/// refuses in both flows.
fn off_branch(current: Option<&str>, config: &crate::model::config::Config) -> String {
    let on = current.map_or("HEAD is detached".to_string(), |c| {
        format!("HEAD is on `{c}`")
    });
    let branch = &config.branch;
    let which = match config.branches.len() {
        1 => format!("not on `{branch}`, the release branch"),
        _ => format!(
            "on none of the release branches ({})",
            config.branches_list()
        ),
    };
    format!("{on}, {which}: --execute will refuse; run `git switch {branch}` first")
}

/// Each chosen package's release and the version bump behind it.
fn releases(
    ws: &Workspace,
    facts: &Facts,
    chosen: &[Chosen],
    opts: &Options,
) -> Result<(Vec<Release>, Vec<edit::Bump>)> {
    let allow_breaking = opts.allow_breaking;
    let mut releases = Vec::new();
    let mut bumps = Vec::new();
    for c in chosen {
        let (bump, why) = version_of(c, &facts.tags)?;
        if train::is_dev(&bump.to) && !opts.allow_dev {
            let p = c.package;
            anyhow::bail!(
                "--{} {}: {} {} is a development version, not a release (`-dev` says it is not released yet): pass --allow-dev to release it as it is, or `cargo xtask bump --{} {}` to move the branch to it without a release",
                p.flag,
                c.target.describe(),
                p.name,
                bump.to,
                p.flag,
                bump.to
            );
        }
        let api_refusal = base_version(c).and_then(|base| {
            let p = c.package;
            api::refusal(
                &p.name,
                &p.flag,
                &c.target.describe(),
                &c.api,
                &base,
                &bump.to,
            )
        });
        let api = super::api_gate::line(&c.api, api_refusal.is_some(), allow_breaking);
        // A Python package's PyPI spelling must exist, though plans write SemVer.
        c.package.display(&bump.to)?;
        let display = bump.to.to_string();
        releases.push(Release {
            package: c.package.name.clone(),
            from: bump.from.clone(),
            to: bump.to.clone(),
            tag: c.package.tag.render(&bump.to)?,
            tag_message: tag_message(ws, c.package, &display),
            shown: c.package.labelled(&bump.to),
            display,
            why,
            base: c
                .history
                .previous_tag
                .as_ref()
                .map(|tag| format!("since {tag}, {} commit(s)", c.history.commits.len())),
            api,
            api_refusal,
            notes: None,
        });
        bumps.push(bump);
    }
    Ok((releases, bumps))
}

/// The annotated tag's message for `package` at `display`.
pub fn tag_message(ws: &Workspace, package: &Package, display: &str) -> String {
    ws.config
        .tag_message
        .replace("{name}", &package.name)
        .replace("{version}", display)
}

/// The new version and why. A manifest version that was never tagged is
/// released as it is (`auto`, or that very version asked for), not bumped
/// past, even after earlier tags of the series.
fn version_of(c: &Chosen, tags: &TagIndex) -> Result<(edit::Bump, String)> {
    let package = c.package;
    // A development version is not released yet: `auto` finishes it.
    if c.target == Target::Auto && train::is_dev(&package.version) {
        let bump = edit::bumps(&[package], &Target::Graduate, false, &|_| {
            anyhow::bail!("not asked")
        })?
        .remove(0);
        return Ok((bump, "finishes the development version".into()));
    }
    // A version prepared in the manifest and never tagged (in any of its
    // series) is released as it is, whatever tags came before it.
    let untagged = !package
        .releases(tags)
        .iter()
        .any(|(_, v)| package.tag.same(v, &package.version));
    let first = match &c.target {
        Target::Auto => untagged,
        Target::Exact(v) => untagged && *v == package.version,
        _ => false,
    };
    if first {
        let bump = edit::Bump {
            package: package.name.clone(),
            from: package.version.clone(),
            to: package.version.clone(),
        };
        return Ok((bump, format!("first release of {}", package.version)));
    }
    // The stronger of the commits' level and the change files', raised to
    // what the API verdict needs.
    let written = super::changes::level(&c.changes, package);
    let ours = super::changes::strongest(c.history.suggest(package), written);
    let proposal = super::api_gate::auto_level(ours, &c.api, base_version(c).as_ref());
    let suggest = |_: &Package| {
        proposal
            .as_ref()
            .map(|(level, _)| *level)
            .context("no commits call for a release")
    };
    let bump = edit::bumps(&[package], &c.target, false, &suggest)?.remove(0);
    let why = match &c.target {
        Target::Auto => match train::of(&package.version) {
            Some((label, _)) => format!("{label}: the next of the {label} train"),
            None => proposal
                .as_ref()
                .map_or_else(String::new, |(level, why)| format!("{level}: {why}")),
        },
        Target::Exact(v) => format!("version {v} asked for"),
        other => other.describe(),
    };
    Ok((bump, why))
}

/// The previous release's version, which the API verdict compares with.
fn base_version(c: &Chosen) -> Option<semver::Version> {
    c.package.tag.parse(c.history.previous_tag.as_deref()?)
}

/// Whether the changelog of `c` already documents the version released:
/// a first release of a version the changelog holds keeps that section.
fn documented(ws: &Workspace, c: &Chosen, release: &Release) -> bool {
    c.package.changelog.as_ref().is_some_and(|path| {
        release.from == release.to
            && crate::changelog::parse_in(path, ws.files.text(path), &ws.series(c.package))
                .is_ok_and(|cl| cl.release(&release.to).is_some())
    })
}

/// Bumps first (they compose across packages), then each changelog, then
/// the change files it consumed.
fn edits(
    ws: &Workspace,
    facts: &Facts,
    (chosen, releases): (&[Chosen], &[Release]),
    bumps: &[edit::Bump],
    taking: &[&str],
    opts: &Options,
) -> Result<Edits> {
    let mut edits = if bumps.is_empty() {
        Edits::default()
    } else {
        crate::edit::drift::with_sync(ws, bumps)?
    };
    let consumed = super::changes::consumed(&facts.changes, taking);
    for (c, release) in chosen.iter().zip(releases) {
        let Some(path) = &c.package.changelog else {
            continue;
        };
        if documented(ws, c, release) {
            continue;
        }
        let generated = new_notes(ws, c, release, &consumed, opts.generate);
        edit::promote_changelog(
            &mut edits,
            ws,
            c.package,
            &release.to,
            opts.date,
            &edit::NewSection {
                generated: generated.as_deref(),
                allow_empty: opts.allow_empty,
                previous_tag: c.history.previous_tag.as_deref(),
            },
        )
        .map_err(|e| match e.downcast_ref::<crate::changelog::EmptyRelease>() {
            None => e,
            Some(_) if ws.files.is_absent(path) => {
                let how = if opts.generate {
                    format!(
                        "{}: nothing to draft; create {path} with entries under `## [Unreleased]`, or pass --allow-empty",
                        c.history.nothing_drafted(&ws.config)
                    )
                } else {
                    format!(
                        "pass --generate to draft them from the commits, create {path} with entries under `## [Unreleased]`, or pass --allow-empty"
                    )
                };
                anyhow!(
                    "{path} does not exist yet: the release creates it with a Keep a Changelog header, and its first section needs entries: {how}"
                )
            }
            Some(empty) if opts.generate => anyhow!(
                "{}: {}: nothing to draft for {} {}; write entries under [Unreleased], or pass --allow-empty",
                empty.location,
                c.history.nothing_drafted(&ws.config),
                c.package.name,
                release.display
            ),
            Some(_) => anyhow!(
                "{e:#}; or pass --generate to draft the section from the commits, or --allow-empty to release it empty"
            ),
        })?;
    }
    super::changes::consume(&mut edits, &facts.changes, taking);
    Ok(edits)
}

/// What a new section takes beyond `[Unreleased]`: the change files'
/// entries, then (`generate`) the notes drafted from the commits, joined
/// into their groups, without the commits whose change file is consumed.
fn new_notes(
    ws: &Workspace,
    c: &Chosen,
    release: &Release,
    consumed: &[&crate::facts::changes::Pending],
    generate: bool,
) -> Option<String> {
    if !generate {
        let repo = ws.link_base(c.package);
        let written = super::changes::notes(&c.changes, repo.as_deref());
        return (!written.is_empty()).then_some(written);
    }
    let history = (c.history, release.tag.as_str());
    let notes = super::changes::release_notes(ws, c.package, history, &c.changes, consumed);
    Some(notes)
}

/// The released packages whose new section takes their change files'
/// entries: all but a first release whose section is written already.
fn taking<'a>(ws: &Workspace, chosen: &[Chosen<'a>], releases: &[Release]) -> Vec<&'a str> {
    chosen
        .iter()
        .zip(releases)
        .filter(|(c, r)| !documented(ws, c, r))
        .map(|(c, _)| c.package.name.as_str())
        .collect()
}

/// The release commit's message and the branch it goes on: `base`, or in
/// the PR flow the release PR's branch of `base`.
fn commit_and_branch(
    ws: &Workspace,
    releases: &[Release],
    mode: &Mode,
    base: &str,
) -> (String, String) {
    if *mode == Mode::Pr {
        return crate::release::subject::plan_subject_and_branch(ws, releases, base);
    }
    (
        crate::release::subject::commit_subject(&ws.config.commit_message, releases),
        base.to_string(),
    )
}

#[cfg(test)]
pub mod tests {
    use std::path::Path;

    use chrono::NaiveDate;

    use super::*;
    use crate::changelog::Commit;
    use crate::release::Action;

    /// The fixture workspace, read from disk without git: the facts are built here.
    pub fn ws() -> Workspace {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace");
        Workspace::load(&root, None, &|_| Ok(Vec::new())).unwrap()
    }

    pub fn commit(subject: &str) -> Commit {
        Commit {
            hash: "0123456789abcdef".into(),
            author_name: "Ann".into(),
            author_email: "ann@example.com".into(),
            subject: subject.into(),
            body: String::new(),
        }
    }

    /// Facts of a repository where both packages were released at their
    /// current versions, with `core` and `py` commits since.
    pub fn facts(core: &[&str], py: &[&str]) -> Facts {
        let history = |tag: &str, subjects: &[&str]| History {
            previous_tag: Some(tag.into()),
            commits: subjects.iter().map(|s| commit(s)).collect(),
        };
        Facts {
            tags: TagIndex::of_names(&["v0.4.0", "py-v0.3.0"]),
            histories: [
                ("demo-core".into(), history("v0.4.0", core)),
                ("demo-py".into(), history("py-v0.3.0", py)),
            ]
            .into(),
            at_head: Default::default(),
            below_next_dev: Vec::new(),
            branch: Some("main".into()),
            ignored: Vec::new(),
            shallow: false,
            pr_tip: None,
            api: Default::default(),
            changes: Default::default(),
        }
    }

    pub fn opts(mode: Mode) -> Options {
        Options {
            mode,
            date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            generate: false,
            allow_empty: false,
            allow_breaking: false,
            allow_dev: false,
            repeat: Vec::new(),
        }
    }

    pub fn select<'a>(ws: &'a Workspace, picks: &[(&str, &str)]) -> Vec<(&'a Package, Target)> {
        picks
            .iter()
            .map(|(name, target)| (ws.package(name).unwrap(), Target::parse(target).unwrap()))
            .collect()
    }

    /// What the plan writes to `path`, if it changes it (`""`: it removes it).
    pub fn written(plan: &ReleasePlan, path: &str) -> Option<String> {
        let edit = plan.edits.changed().find(|e| e.path == path);
        edit.map(|e| e.after.to_string())
    }

    /// `package from -> to (why)` lines and `name: why` for the unchanged.
    pub fn summary(plan: &ReleasePlan) -> Vec<String> {
        plan.releases
            .iter()
            .map(|r| format!("{} {} -> {} ({})", r.package, r.from, r.shown, r.why))
            .chain(plan.unchanged.iter().map(|(p, why)| format!("{p}: {why}")))
            .collect()
    }

    /// The fixture with demo-core at a development version.
    fn at_dev(version: &str) -> Workspace {
        let ws = ws();
        let manifest = ws
            .files
            .text("demo-core/Cargo.toml")
            .replace("0.4.0", version);
        ws.with_texts([("demo-core/Cargo.toml".to_string(), manifest)])
            .unwrap()
    }

    #[test]
    fn a_development_version_is_finished_never_proposed_and_released_only_when_allowed() {
        let ws = at_dev("0.5.0-dev.0");
        let facts = facts(&["feat: streaming"], &[]);
        let run = |target: &str, allow_dev: bool| {
            let picks = select(&ws, &[("demo-core", target)]);
            let opts = Options {
                allow_dev,
                ..opts(Mode::Tag)
            };
            plan(&ws, &facts, &picks, &opts)
                .map(|p| summary(&p))
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            run("auto", false).unwrap(),
            ["demo-core 0.5.0-dev.0 -> 0.5.0 (finishes the development version)"]
        );
        assert_eq!(
            run("rc", false).unwrap(),
            ["demo-core 0.5.0-dev.0 -> 0.5.0-rc.1 (rc)"]
        );
        assert_eq!(
            run("release", false).unwrap(),
            ["demo-core 0.5.0-dev.0 -> 0.5.0 (release)"]
        );
        assert_eq!(
            run("dev", false).unwrap_err(),
            "--rust dev: demo-core 0.5.0-dev.1 is a development version, not a release (`-dev` says it is not released yet): pass --allow-dev to release it as it is, or `cargo xtask bump --rust 0.5.0-dev.1` to move the branch to it without a release"
        );
        assert_eq!(
            run("dev", true).unwrap(),
            ["demo-core 0.5.0-dev.0 -> 0.5.0-dev.1 (dev)"]
        );
        assert!(
            run("0.5.0-dev.0", false)
                .unwrap_err()
                .contains("pass --allow-dev")
        );
        // A dotless spelling is one too; its rc keeps the spelling.
        let ws = at_dev("0.5.0-dev0");
        let picks = select(&ws, &[("demo-core", "rc")]);
        let dotless = plan(&ws, &facts, &picks, &opts(Mode::Tag)).unwrap();
        assert_eq!(
            summary(&dotless),
            ["demo-core 0.5.0-dev0 -> 0.5.0-rc1 (rc)"]
        );
    }

    #[test]
    fn versions_come_from_the_target_and_the_commits() {
        let ws = ws();
        // (what, facts, selection, expected summary)
        type Case<'a> = (&'a str, Facts, Vec<(&'a str, &'a str)>, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (
                "auto follows the commits; a package without commits is unchanged",
                facts(&["feat: streaming"], &[]),
                vec![("demo-core", "auto"), ("demo-py", "auto")],
                vec![
                    "demo-core 0.4.0 -> 0.5.0 (minor: 0123456 (feat: streaming) adds a feature)",
                    "demo-py: no commits since py-v0.3.0",
                ],
            ),
            (
                "a level asked for releases even without commits",
                facts(&[], &[]),
                vec![("demo-core", "patch")],
                vec!["demo-core 0.4.0 -> 0.4.1 (patch)"],
            ),
            (
                "an exact version, in SemVer with the PyPI form beside it for the binding",
                facts(&["fix: a"], &["fix: b"]),
                vec![("demo-core", "1.0.0"), ("demo-py", "0.4.0-rc.1")],
                vec![
                    "demo-core 0.4.0 -> 1.0.0 (version 1.0.0 asked for)",
                    "demo-py 0.3.0 -> 0.4.0-rc.1 (PyPI 0.4.0rc1) (version 0.4.0-rc.1 asked for)",
                ],
            ),
            (
                "a version never tagged is a first release of itself",
                Facts {
                    tags: TagIndex::default(),
                    histories: [(
                        "demo-core".into(),
                        History {
                            previous_tag: None,
                            commits: vec![commit("initial")],
                        },
                    )]
                    .into(),
                    ..Facts::default()
                },
                vec![("demo-core", "auto")],
                vec!["demo-core 0.4.0 -> 0.4.0 (first release of 0.4.0)"],
            ),
            (
                "a merged release PR whose tag CI has not made yet is no new release",
                Facts {
                    tags: TagIndex::of_names(&["v0.3.0"]),
                    histories: [(
                        "demo-core".into(),
                        History {
                            previous_tag: Some("v0.3.0".into()),
                            commits: vec![
                                commit("chore(release): prepare demo-core v0.4.0 (#9)"),
                                commit("fix: later"),
                            ],
                        },
                    )]
                    .into(),
                    ..Facts::default()
                },
                vec![("demo-core", "auto")],
                vec![
                    "demo-core: 0.4.0 is merged (0123456 chore(release): prepare demo-core v0.4.0 (#9)) and waits for its tag v0.4.0, which CI makes (release.yml)",
                ],
            ),
            (
                "HEAD carrying the current version's tag is released already",
                Facts {
                    at_head: [("demo-core".into(), vec!["v0.4.0".into()])].into(),
                    ..facts(&[], &[])
                },
                vec![("demo-core", "minor")],
                vec!["demo-core: no commits since v0.4.0"],
            ),
        ];
        // The binding's changelog has no [Unreleased] entries: draft them.
        let generate = Options {
            generate: true,
            ..opts(Mode::Tag)
        };
        for (name, facts, picks, expected) in cases {
            let plan = plan(&ws, &facts, &select(&ws, &picks), &generate).unwrap();
            assert_eq!(summary(&plan), expected, "{name}");
        }
    }

    #[test]
    fn a_release_without_commits_warns_and_an_empty_section_needs_allow_empty() {
        let ws = ws();
        let facts = facts(&[], &[]);
        let plan = plan(
            &ws,
            &facts,
            &select(&ws, &[("demo-core", "patch")]),
            &opts(Mode::Tag),
        )
        .unwrap();
        assert_eq!(
            plan.warnings,
            ["demo-core: no commits since v0.4.0; releasing as asked"]
        );
        // The binding's changelog has no [Unreleased] entries.
        let picks = select(&ws, &[("demo-py", "patch")]);
        let err = super::plan(&ws, &facts, &picks, &opts(Mode::Tag))
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("or --allow-empty to release it empty"),
            "{err}"
        );
        let allow = Options {
            allow_empty: true,
            ..opts(Mode::Tag)
        };
        let plan = super::plan(&ws, &facts, &picks, &allow).unwrap();
        assert!(plan.execute.contains(" --py patch --allow-empty --execute"));
    }

    #[test]
    fn tag_mode_commits_tags_and_pushes_everything_atomically() {
        let ws = ws();
        let facts = Facts {
            ignored: vec!["Cargo.lock".into()],
            ..facts(&["fix: a"], &["fix: b"])
        };
        let picks = select(&ws, &[("demo-core", "minor"), ("demo-py", "auto")]);
        let generate = Options {
            generate: true,
            ..opts(Mode::Tag)
        };
        let plan = plan(&ws, &facts, &picks, &generate).unwrap();
        let py = plan
            .edits
            .changed()
            .find(|e| e.path == "demo-py/CHANGELOG.md");
        assert!(
            py.unwrap()
                .after
                .contains("## [0.3.1] - 2026-02-01\n\n### Fixed\n\n- b"),
            "the binding's section is drafted from its commit"
        );
        let Action::Commit { message, files } = &plan.actions[1] else {
            panic!("{:?}", plan.actions)
        };
        assert_eq!(message, "release: demo-core v0.5.0 + demo-py v0.3.1");
        assert!(
            !files.contains(&"Cargo.lock".to_string()),
            "an ignored file is written, not committed: {files:?}"
        );
        assert!(plan.edits.changed().any(|e| e.path == "Cargo.lock"));
        assert_eq!(
            plan.commands()[2..],
            [
                "git tag --annotate v0.5.0 -m \"demo-core 0.5.0\"",
                "git tag --annotate py-v0.3.1 -m \"demo-py 0.3.1\"",
                "git push --atomic origin main v0.5.0 py-v0.3.1",
            ]
        );
        assert_eq!(
            plan.execute,
            "cargo xtask release --rust minor --py 0.3.1 --generate --execute"
        );
    }

    #[test]
    fn a_plan_off_the_release_branch_warns_that_execute_refuses() {
        let config = crate::model::config::Config::default();
        assert_eq!(
            off_branch(None, &config),
            "HEAD is detached, not on `main`, the release branch: --execute will refuse; run `git switch main` first"
        );
        let ws = ws();
        let facts = Facts {
            branch: Some("topic".into()),
            ..facts(&["fix: a"], &[])
        };
        let picks = select(&ws, &[("demo-core", "patch")]);
        let plan = plan(&ws, &facts, &picks, &opts(Mode::Tag)).unwrap();
        assert!(
            plan.warnings
                .contains(&off_branch(Some("topic"), &ws.config))
        );
        let branches = crate::model::config::Config {
            branches: vec!["main".into(), "release-*".into()],
            ..config
        };
        assert_eq!(
            off_branch(Some("topic"), &branches),
            "HEAD is on `topic`, on none of the release branches (main, release-*): --execute will refuse; run `git switch main` first"
        );
    }

    #[test]
    fn on_a_release_branch_the_push_and_the_pull_request_name_it() {
        let mut ws = ws();
        ws.config.branches = vec!["main".into(), "release-*".into()];
        let facts = Facts {
            branch: Some("release-0.4".into()),
            ..facts(&["fix: a"], &[])
        };
        let picks = select(&ws, &[("demo-core", "patch")]);
        let tag = plan(&ws, &facts, &picks, &opts(Mode::Tag)).unwrap();
        assert!(
            tag.warnings
                .iter()
                .all(|w| !w.contains("--execute will refuse")),
            "{:?}",
            tag.warnings
        );
        assert_eq!(tag.push_refs(), ["release-0.4", "v0.4.1"]);
        assert_eq!(
            (tag.branch.as_str(), tag.base.as_str()),
            ("release-0.4", "release-0.4")
        );
        let pr = plan(&ws, &facts, &picks, &opts(Mode::Pr)).unwrap();
        let commands = pr.commands();
        assert_eq!(
            commands[0],
            "git switch --force-create release/next-release-0.4"
        );
        assert_eq!(
            commands.last().unwrap(),
            "gh pr create --base release-0.4 --head release/next-release-0.4 --title \"chore(release): prepare v0.4.1\" --body-file <the new changelog section>"
        );
    }

    #[test]
    fn pr_mode_branches_commits_pushes_and_returns_to_the_branch_it_left() {
        let ws = ws();
        let facts = Facts {
            branch: Some("topic".into()),
            ..facts(&["fix: a"], &[])
        };
        let picks = select(&ws, &[("demo-core", "patch")]);
        let plan = plan(&ws, &facts, &picks, &opts(Mode::Pr)).unwrap();
        assert_eq!(
            plan.commands(),
            [
                "git switch --force-create release/next",
                // demo-py's pin `0.4.0` moves with the crate.
                "# write CHANGELOG.md, Cargo.lock, README.md, demo-core/Cargo.toml, demo-py/Cargo.toml (the diff above)",
                "git commit -m \"chore(release): prepare v0.4.1\" -- CHANGELOG.md Cargo.lock README.md demo-core/Cargo.toml demo-py/Cargo.toml",
                "git push --set-upstream origin release/next",
                "git switch topic",
                "gh pr create --base main --head release/next --title \"chore(release): prepare v0.4.1\" --body-file <the new changelog section>",
            ]
        );
        assert!(plan.tags().is_empty());
        // The branch on the remote is replaced with a lease on its tip, and its pull request updated.
        let facts = Facts {
            pr_tip: Some("0123abc".into()),
            ..facts
        };
        let plan = super::plan(&ws, &facts, &picks, &opts(Mode::Pr)).unwrap();
        assert_eq!(
            plan.commands()[3..],
            [
                "git push --force-with-lease=release/next:0123abc --set-upstream origin release/next",
                "git switch topic",
                "gh pr edit release/next --title \"chore(release): prepare v0.4.1\" --body-file <the new changelog section>",
            ]
        );
    }
}
