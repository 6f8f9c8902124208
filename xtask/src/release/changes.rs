//! What the pending change files and news fragments bring to a release
//! (pure, on the facts): the level they call for and which file decided
//! it, their entries as notes, the commits they describe (left out of
//! drafted notes), the edits that consume them, and their list in the
//! release PR's body.

use std::collections::BTreeSet;

use crate::changelog::{self, Entry, Kind};
use crate::edit::Edits;
use crate::facts::changes::{Changes, Pending};
use crate::facts::history::History;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::api::stronger;
use crate::text::version::Level;

/// The files naming `package`, with what each is for it.
pub fn of<'a>(changes: &'a Changes, package: &Package) -> Vec<(&'a Pending, &'a Kind)> {
    changes
        .pending
        .iter()
        .filter_map(|p| Some((p, p.kind_for(&package.name)?)))
        .collect()
}

/// The strongest level `files` call for in `package` and the first file
/// that calls for it: `.changes/streaming.md`, or with the 0.x rule
/// `.changes/x.md is a breaking change (minor while the major version is 0)`.
pub fn level(files: &[(&Pending, &Kind)], package: &Package) -> Option<(Level, String)> {
    let mut best: Option<(Level, &Pending, &Kind)> = None;
    for (pending, kind) in files {
        let level = kind.level(&package.version);
        let better = best
            .as_ref()
            .is_none_or(|(b, _, _)| stronger(level, *b) == level && level != *b);
        if better {
            best = Some((level, pending, kind));
        }
    }
    let (level, pending, kind) = best?;
    let why = if kind.breaking() && level != Level::Major {
        format!(
            "{} is a breaking change (minor while the major version is 0)",
            pending.path
        )
    } else {
        pending.path.clone()
    };
    Some((level, why))
}

/// The stronger of the commits' level and the files', and what decided it
/// (`the commits`, `the change files`): the files on a tie, since a person
/// wrote what the change is.
pub fn strongest(
    commits: Option<(Level, String)>,
    files: Option<(Level, String)>,
) -> (Option<(Level, String)>, &'static str) {
    match (commits, files) {
        (Some(c), Some(f)) if stronger(c.0, f.0) == c.0 && c.0 != f.0 => (Some(c), "the commits"),
        (_, Some(f)) => (Some(f), "the change files"),
        (c, None) => (c, "the commits"),
    }
}

/// The entries of `files` as Keep a Changelog notes, linking a
/// fragment's issue into `repo`.
pub fn notes(files: &[(&Pending, &Kind)], repo: Option<&str>) -> String {
    let entries: Vec<Entry> = files
        .iter()
        .map(|(p, kind)| Entry {
            group: kind.group,
            text: &p.body,
            issue: p.issue,
        })
        .collect();
    changelog::render_changes(&entries, repo)
}

/// `history` without the commits that added one of `consumed`: the files
/// say what those commits changed, so drafting them again would repeat it.
pub fn without_described(history: &History, consumed: &[&Pending]) -> History {
    let described: BTreeSet<&str> = consumed
        .iter()
        .filter_map(|p| p.added_by.as_deref())
        .collect();
    History {
        previous_tag: history.previous_tag.clone(),
        commits: history
            .commits
            .iter()
            .filter(|c| !described.contains(c.hash.as_str()))
            .cloned()
            .collect(),
    }
}

/// A release's notes in Keep a Changelog's groups: the entries of `files`,
/// then the notes drafted from `history`'s commits for the release tagged
/// `tag`, without the commits that added one of `described` (the files say
/// what those changed), each joined into its group. What `--generate`
/// appends to a new section, and the whole of the notes of a package that
/// keeps no changelog.
pub fn release_notes(
    ws: &Workspace,
    package: &Package,
    (history, tag): (&History, &str),
    files: &[(&Pending, &Kind)],
    described: &[&Pending],
) -> String {
    let repo = ws.link_base(package);
    let written = notes(files, repo.as_deref());
    let drafted = without_described(history, described).render(
        repo.as_deref(),
        &ws.config,
        changelog::Format::KeepAChangelog,
        tag,
    );
    changelog::join_notes(&written, &drafted)
}

/// The files whose entry for one of `released` goes into this release.
pub fn consumed<'a>(changes: &'a Changes, released: &[&str]) -> Vec<&'a Pending> {
    changes
        .pending
        .iter()
        .filter(|p| released.iter().any(|r| p.kind_for(r).is_some()))
        .collect()
}

/// The edits that consume the files for `released`: a file that names
/// only released packages is deleted; one that names others too keeps
/// their lines, for their own release.
pub fn consume(edits: &mut Edits, changes: &Changes, released: &[&str]) {
    for pending in consumed(changes, released) {
        let (gone, kept): (Vec<_>, Vec<_>) = pending
            .packages
            .iter()
            .partition(|(name, _, _)| released.contains(&name.as_str()));
        let after = if kept.is_empty() {
            String::new()
        } else {
            let lines: Vec<usize> = gone.iter().map(|(_, _, line)| *line).collect();
            changelog::without_lines(&pending.text, &lines)
        };
        edits.put(&pending.path, &pending.text, after);
    }
}

/// The release PR's list of the files it consumes, per released package:
/// `- vecstore: `.changes/a.md` (minor), …`; empty when there are none.
pub fn pr_list(changes: &Changes, released: &[&str]) -> String {
    let mut lines = Vec::new();
    for name in released {
        let files: Vec<String> = changes
            .pending
            .iter()
            .filter_map(|p| Some(format!("`{}` ({})", p.path, p.kind_for(name)?.word)))
            .collect();
        if !files.is_empty() {
            lines.push(format!("- {name}: {}", files.join(", ")));
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("### Change files\n\n{}\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use crate::changelog::Commit;
    use crate::facts::Facts;
    use crate::facts::changes::of_texts;
    use crate::facts::history::History;
    use crate::model::config::Mode;
    use crate::model::workspace::Workspace;
    use crate::release::planner;
    use crate::release::planner::tests::{commit, facts, opts, select, summary, written, ws};
    use crate::release::{Action, Options};
    use crate::text::api::Verdict;

    /// `facts` with the pending files `(path, text)`.
    fn pending(ws: &Workspace, facts: Facts, files: &[(&str, &str)]) -> Facts {
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let changes = of_texts(ws, &texts);
        assert!(changes.problems.is_empty(), "{:?}", changes.problems);
        Facts { changes, ..facts }
    }

    const MINOR: (&str, &str) = (
        ".changes/streaming.md",
        "---\nrust: minor\n---\n\nStreaming.\n",
    );
    const BOTH: (&str, &str) = (
        ".changes/dot.md",
        "---\ndemo-core: patch\npy: fixed\n---\n\n`dot()` no longer panics.\n",
    );
    const BREAKING: (&str, &str) = (
        ".changes/drop.md",
        "---\nrust: removed\n---\n\nNo `old()`.\n",
    );
    const PATCH: (&str, &str) = (
        ".changes/tidy.md",
        "---\nrust: patch\n---\n\nTidier errors.\n",
    );

    #[test]
    fn the_strongest_of_files_commits_and_api_decides_and_is_named() {
        let ws = ws();
        let breaking = Verdict::Breaking(vec!["function demo_core::gone".into()]);
        type Case<'a> = (&'a str, Facts, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (
                "a change file above the commits",
                pending(&ws, facts(&["fix: a"], &[]), &[MINOR]),
                vec![
                    "demo-core 0.4.0 -> 0.5.0 (minor: .changes/streaming.md)",
                    "demo-py: no commits since py-v0.3.0",
                ],
            ),
            (
                "a package with change files and no commit in its folder",
                pending(&ws, facts(&[], &[]), &[BOTH]),
                vec![
                    "demo-core 0.4.0 -> 0.4.1 (patch: .changes/dot.md)",
                    "demo-py 0.3.0 -> 0.3.1 (patch: .changes/dot.md)",
                ],
            ),
            (
                "commits above the change files",
                pending(&ws, facts(&["feat!: drop x"], &[]), &[PATCH]),
                vec![
                    "demo-core 0.4.0 -> 0.5.0 (minor: 0123456 (feat!: drop x) is a breaking change (minor while the major version is 0))",
                    "demo-py: no commits since py-v0.3.0",
                ],
            ),
            (
                "a removal is breaking: minor while 0.x",
                pending(&ws, facts(&["fix: a"], &[]), &[PATCH, BREAKING]),
                vec![
                    "demo-core 0.4.0 -> 0.5.0 (minor: .changes/drop.md is a breaking change (minor while the major version is 0))",
                    "demo-py: no commits since py-v0.3.0",
                ],
            ),
            (
                "the API verdict above both",
                Facts {
                    api: [("demo-core".to_string(), breaking)].into(),
                    ..pending(&ws, facts(&["fix: a"], &[]), &[PATCH])
                },
                vec![
                    "demo-core 0.4.0 -> 0.5.0 (minor: the public API has breaking changes (minor while the major version is 0), although .changes/tidy.md (patch by the change files alone))",
                    "demo-py: no commits since py-v0.3.0",
                ],
            ),
        ];
        for (name, facts, expected) in cases {
            let picks = select(&ws, &[("demo-core", "auto"), ("demo-py", "auto")]);
            let plan = planner::plan(&ws, &facts, &picks, &opts(Mode::Tag)).unwrap();
            assert_eq!(summary(&plan), expected, "{name}");
            assert!(plan.warnings.is_empty(), "{name}: {:?}", plan.warnings);
        }
    }

    /// A commit with its own hash, by Ann.
    fn hashed(hash: &str, subject: &str) -> Commit {
        Commit {
            hash: hash.into(),
            ..commit(subject)
        }
    }

    #[test]
    fn entries_go_first_drafts_of_their_commits_are_dropped_and_the_files_consumed() {
        let ws = ws();
        let mut facts = pending(&ws, facts(&[], &[]), &[MINOR, BOTH]);
        facts.changes.pending[1].added_by = Some("aaaa111".into());
        facts.histories.insert(
            "demo-core".into(),
            History {
                previous_tag: Some("v0.4.0".into()),
                commits: vec![
                    hashed("aaaa111", "feat: streaming (#7)"),
                    hashed("bbbb222", "fix: the cache (#8)"),
                ],
            },
        );
        let generate = Options {
            generate: true,
            ..opts(Mode::Pr)
        };
        let picks = select(&ws, &[("demo-core", "auto")]);
        let plan = planner::plan(&ws, &facts, &picks, &generate).unwrap();
        assert_eq!(
            summary(&plan)[0],
            "demo-core 0.4.0 -> 0.5.0 (minor: .changes/streaming.md)"
        );
        let after = |path: &str| written(&plan, path);
        let changelog = after("CHANGELOG.md").unwrap();
        assert!(
            changelog.contains(
                "## [0.5.0] - 2026-02-01\n\n### Added\n\n- Something new.\n- Streaming.\n\n### Fixed\n\n- `dot()` no longer panics.\n- the cache ([#8](https://github.com/example/demo/pull/8)) by Ann\n\n## [0.4.0]"
            ),
            "{changelog}"
        );
        assert!(!changelog.contains("streaming (#7)"), "{changelog}");
        // Named only by the released package: deleted; by another too: its line kept.
        assert_eq!(after(".changes/streaming.md").as_deref(), Some(""));
        assert_eq!(
            after(".changes/dot.md").as_deref(),
            Some("---\npy: fixed\n---\n\n`dot()` no longer panics.\n")
        );
        let Action::PullRequest { body, .. } = plan.actions.last().unwrap() else {
            panic!("{:?}", plan.actions)
        };
        assert!(
            body.contains("### Change files\n\n- demo-core: `.changes/dot.md` (patch), `.changes/streaming.md` (minor)\n"),
            "{body}"
        );
        let Action::Commit { files, .. } = &plan.actions[2] else {
            panic!("{:?}", plan.actions)
        };
        assert!(
            files.contains(&".changes/streaming.md".to_string()),
            "{files:?}"
        );

        // Both released: the shared file is deleted, the binding takes its entry.
        let picks = select(&ws, &[("demo-core", "auto"), ("demo-py", "auto")]);
        let plan = planner::plan(&ws, &facts, &picks, &generate).unwrap();
        assert_eq!(written(&plan, ".changes/dot.md").as_deref(), Some(""));
        let py = written(&plan, "demo-py/CHANGELOG.md").unwrap();
        let section = "## [0.3.1] - 2026-02-01\n\n### Fixed\n\n- `dot()` no longer panics.\n";
        assert!(py.contains(section), "{py}");
    }

    #[test]
    fn a_pre_release_consumes_them_and_a_file_left_for_later_keeps_its_text() {
        let ws = ws();
        let facts = pending(&ws, facts(&[], &[]), &[MINOR]);
        let picks = select(&ws, &[("demo-core", "minor")]);
        let mut picks = picks;
        picks[0].1 = picks[0]
            .1
            .clone()
            .with_pre(Some(crate::text::train::Label::Rc))
            .unwrap();
        let plan = planner::plan(&ws, &facts, &picks, &opts(Mode::Tag)).unwrap();
        let changelog = written(&plan, "CHANGELOG.md").unwrap();
        let section =
            "## [0.5.0-rc.1] - 2026-02-01\n\n### Added\n\n- Something new.\n- Streaming.\n";
        assert!(changelog.contains(section), "{changelog}");
        assert_eq!(written(&plan, MINOR.0).as_deref(), Some(""));
        // The binding alone is released: the crate's file stays as it is.
        let picks = select(&ws, &[("demo-py", "patch")]);
        let plan = planner::plan(
            &ws,
            &facts,
            &picks,
            &Options {
                allow_empty: true,
                ..opts(Mode::Tag)
            },
        )
        .unwrap();
        assert_eq!(written(&plan, MINOR.0), None);
    }
}
