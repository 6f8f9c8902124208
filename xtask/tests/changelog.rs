//! `changelog` commands on a repository with crafted conventional commits
//! and two tag series, with the real binary and git.

mod common;

use common::{LIGHT, LIGHT_RUST, Repo};

const ALICE: &str = "Alice <12345+alice@users.noreply.github.com>";
const BOB: &str = "Bob Smith <bob@example.com>";

/// The workspace fixture with `v0.4.0` and `py-v0.3.0` on the first commit,
/// then commits to the core, the Python sources and the README, and a later
/// `py-v0.3.1` release (manifest and tag) that must not start the crate's history.
fn history() -> Repo {
    let repo = Repo::new("workspace");
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.git(&["tag", "py-v0.3.0"]);
    repo.commit(
        "demo-core/src/stream.rs",
        "// 1\n",
        "feat(core): add streaming (#12)",
        ALICE,
    );
    repo.commit(
        "demo-py/python/demo_py/extra.py",
        "x = 1\n",
        "fix(py): python-only fix (#20)",
        ALICE,
    );
    // The binding's release 0.3.1: its manifest moves, then the tag.
    repo.xtask(&["bump", "--py", "0.3.1"]).success();
    repo.git(&["commit", "-qam", "chore(py): release 0.3.1"]);
    repo.git(&["tag", "py-v0.3.1"]);
    repo.commit(
        "demo-core/src/empty.rs",
        "// 2\n",
        "fix: handle empty input (#13)",
        BOB,
    );
    repo.commit("demo-core/src/tidy.rs", "// 3\n", "chore: tidy (#14)", BOB);
    repo.commit(
        "README.md",
        "# demo\n\n```toml\ndemo-core = \"0.4.0\"\n```\n\nMore docs.\n",
        "docs: readme only",
        BOB,
    );
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer2() -> u32 { 42 }\n",
        "refactor: rename answer\n\nBREAKING CHANGE: `answer` is now `answer2`.\nrelease: demo-core v9.9.9",
        ALICE,
    );
    repo
}

#[test]
fn a_huge_unparsable_heading_is_quoted_cut() {
    let repo = Repo::new("workspace");
    let heading = format!("## [0.4.0{}", "x".repeat(200_000));
    repo.replace("CHANGELOG.md", "## [0.4.0] - 2026-01-10", &heading);
    let run = repo.xtask(&["check"]);
    let stderr = run.failure();
    assert!(
        stderr.contains(&format!("unparsable heading `{}…`", &heading[..200])),
        "{}",
        &stderr[..stderr.len().min(600)]
    );
    assert!(stderr.len() < 4_000, "{} bytes of errors", stderr.len());
}

#[test]
fn generate_keeps_only_the_crates_commits_in_keep_a_changelog_groups() {
    let repo = history();
    let out = repo.xtask(&["changelog", "generate", "rust"]).success();
    assert_eq!(
        out,
        "### Breaking Changes\n\n\
         - rename answer by @alice\n\n\
         ### Added\n\n\
         - **core**: add streaming ([#12](https://github.com/example/demo/pull/12)) by @alice\n\n\
         ### Fixed\n\n\
         - handle empty input ([#13](https://github.com/example/demo/pull/13)) by Bob Smith\n"
    );
}

#[test]
fn generate_whats_changed_with_the_compare_line() {
    let repo = history();
    let out = repo
        .xtask(&["changelog", "generate", "rust", "--format", "whats-changed"])
        .success();
    assert_eq!(
        out,
        "### What's Changed\n\n\
         - feat(core): add streaming ([#12](https://github.com/example/demo/pull/12)) by @alice\n\
         - fix: handle empty input ([#13](https://github.com/example/demo/pull/13)) by Bob Smith\n\
         - refactor: rename answer by @alice\n\n\
         **Full Changelog**: https://github.com/example/demo/compare/v0.4.0...v0.5.0\n"
    );
}

#[test]
fn the_python_series_counts_its_own_tags_and_the_embedded_core() {
    let repo = history();
    let out = repo
        .xtask(&["changelog", "generate", "py", "--format", "whats-changed"])
        .success();
    assert!(
        !out.contains("python-only fix"),
        "py-v0.3.1 already holds it:\n{out}"
    );
    assert!(out.contains("- fix: handle empty input"), "{out}");
    assert!(out.contains("compare/py-v0.3.1...py-v"), "{out}");
    let since = repo
        .xtask(&["changelog", "generate", "py", "--since", "py-v0.3.0"])
        .success();
    assert!(
        since.contains("- **py**: python-only fix ([#20]"),
        "{since}"
    );
}

#[test]
fn suggest_names_the_deciding_commit() {
    let repo = history();
    let run = repo.xtask(&["changelog", "suggest", "rust"]);
    assert_eq!(run.success(), "minor\n");
    assert!(
        run.stderr().contains("minor: demo-core 0.4.0 -> 0.5.0"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("refactor: rename answer"),
        "{}",
        run.stderr()
    );

    let repo = Repo::new("workspace");
    repo.git(&["tag", "v0.4.0"]);
    // The README keeps its configured mention: a pattern that matches nothing is refused.
    repo.commit(
        "README.md",
        "docs\n\ndemo-core = \"0.4.0\"\n",
        "docs: only the readme",
        BOB,
    );
    let run = repo.xtask(&["changelog", "suggest", "rust"]);
    assert_eq!(run.success(), "none\n");
    let stderr = repo.xtask(&["bump", "--rust", "auto"]).failure();
    assert!(
        stderr.contains(
            "demo-core has no commits since v0.4.0 in demo-core: nothing calls for a release"
        ),
        "{stderr}"
    );
}

#[test]
fn bump_auto_uses_the_suggestion() {
    let repo = history();
    let run = repo.xtask(&["bump", "--rust", "auto"]);
    run.success();
    assert!(
        run.stderr().contains("Bumping demo-core 0.4.0 -> 0.5.0"),
        "{}",
        run.stderr()
    );
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"0.5.0\" # keep me")
    );
}

#[test]
fn promote_generate_merges_into_the_hand_written_groups() {
    let repo = history();
    let before = repo.read("CHANGELOG.md");
    repo.xtask(&[
        "changelog",
        "promote",
        "rust",
        "0.5.0",
        "--date",
        "2026-02-01",
        "--generate",
    ])
    .success();
    let expected = before.replace(
        "## [Unreleased]\n\n### Added\n\n- Something new.\n",
        "## [Unreleased]\n\n## [0.5.0] - 2026-02-01\n\n### Added\n\n- Something new.\n\
         - **core**: add streaming ([#12](https://github.com/example/demo/pull/12)) by @alice\n\n\
         ### Breaking Changes\n\n- rename answer by @alice\n\n\
         ### Fixed\n\n- handle empty input ([#13](https://github.com/example/demo/pull/13)) by Bob Smith\n",
    );
    assert_eq!(repo.read("CHANGELOG.md"), expected);
    let notes = repo
        .xtask(&["changelog", "notes", "demo-core", "0.5.0", "--json"])
        .success();
    assert!(notes.starts_with("{\"version\":\"0.5.0\",\"date\":\"2026-02-01\",\"body\":\"### Added\\n\\n- Something new.\\n- **core**"), "{notes}");
}

#[test]
fn promote_refuses_bad_requests_and_writes_nothing() {
    let repo = history();
    repo.write(
        "demo-py/CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n## [0.3.0] - 2026-01-10\n\n- The binding.\n",
    );
    let before = repo.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (
            &["changelog", "promote", "rust", "0.4.0"],
            "CHANGELOG.md:9: 0.4.0 already has a section",
        ),
        (
            &["changelog", "promote", "rust", "0.3.0"],
            "CHANGELOG.md:9: 0.3.0 is lower than 0.4.0, the newest version in the changelog",
        ),
        (
            &["changelog", "promote", "py", "0.4.0"],
            "demo-py/CHANGELOG.md",
        ),
        (
            &[
                "changelog",
                "promote",
                "rust",
                "0.5.0",
                "--date",
                "2026-13-01",
            ],
            "--date `2026-13-01` is not a date: write YYYY-MM-DD",
        ),
        (
            &["changelog", "promote", "rust", "banana"],
            "`banana` is neither a SemVer version",
        ),
        (
            &["changelog", "promote", "nope", "1.0.0"],
            "unknown package `nope`: the released packages are demo-core (rust), demo-py (py)",
        ),
        (
            &["changelog", "notes", "rust", "0.9.0"],
            "CHANGELOG.md: no section for `0.9.0` (it has Unreleased, 0.4.0)",
        ),
    ];
    for (args, message) in cases {
        let stderr = repo.xtask(args).failure();
        assert!(
            stderr.contains(message),
            "{args:?}: expected `{message}` in\n{stderr}"
        );
        assert_eq!(repo.snapshot(), before, "{args:?} changed a file");
    }
    repo.xtask(&[
        "changelog",
        "promote",
        "py",
        "0.4.0",
        "--allow-empty",
        "--date",
        "2026-02-02",
    ])
    .success();
    assert!(
        repo.read("demo-py/CHANGELOG.md")
            .contains("## [Unreleased]\n\n## [0.4.0] - 2026-02-02\n\n## [0.3.0]")
    );
}

#[test]
fn lint_errors_fail_check_and_name_the_line() {
    let repo = Repo::new("workspace");
    repo.xtask(&["changelog", "lint"]).success();
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n## [0.4.0] - 2026-01-10\n\n- a\n\n## [0.4.0] - 2026-01-09\n\n- b\n\n## [0.3.0] - 2026-02-01\n",
    );
    let stderr = repo.xtask(&["check"]).failure();
    assert!(stderr.contains("CHANGELOG.md:9: 0.4.0 has a second section (the first is at line 5): merge them into one"), "{stderr}");
    assert!(
        stderr.contains("CHANGELOG.md:13: 0.3.0 is dated 2026-02-01, later than"),
        "{stderr}"
    );
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n## [Unreleased]\n",
    );
    let stderr = repo.xtask(&["changelog", "lint"]).failure();
    assert!(stderr.contains("CHANGELOG.md:5:"), "{stderr}");
}

/// Years of crate history: six releases, one lone `releases/tag` link and an
/// unrelated definition, so missing links are only suggestions.
const LONG_HISTORY: &str = "\
# Changelog

All notable changes to this project are documented here, following
[Keep a Changelog][spec].

## [Unreleased]

## [0.4.0] - 2026-01-10

### Added

- The core.

## [0.3.2] - 2025-09-01

### Fixed

- A leak.

## [0.3.1] - 2025-06-15

### Fixed

- Windows paths.

## [0.3.0] - 2025-03-02

### Added

- Streaming.

## [0.2.0] - 2024-11-20

- Retries.

## [0.1.0] - 2024-02-01

- First release.

[spec]: https://keepachangelog.com/en/1.1.0/
[0.1.0]: https://github.com/example/demo/releases/tag/v0.1.0
";

/// The workspace fixture with `changelog` committed and `tags` on it.
fn tagged(changelog: &str, tags: &[&str]) -> Repo {
    let repo = Repo::new("workspace");
    repo.commit("CHANGELOG.md", changelog, "docs: history", ALICE);
    for tag in tags {
        repo.git(&["tag", tag]);
    }
    repo
}

/// Commits a fix to the crate (`answer()` now `answer`), pushes it, and
/// releases it as a patch for real, with `flags`.
fn release_a_fix(repo: &Repo, answer: u32, subject: &str, flags: &[&str]) {
    repo.commit(
        "demo-core/src/lib.rs",
        &format!("pub fn answer() -> u32 {{ {answer} }}\n"),
        subject,
        BOB,
    );
    repo.git(&["push", "-q", "origin", "main"]);
    let mut args = vec!["release", "--rust", "patch", "--execute"];
    args.extend(flags);
    args.extend(&LIGHT[..LIGHT_RUST]);
    repo.xtask(&args).success();
}

/// The number of messages in the `"warnings"` list of `check --json`, and
/// whether it says ok.
fn check_json(repo: &Repo) -> (bool, usize, String) {
    let out = repo.xtask(&["check", "--json"]).stdout();
    let ok = out.starts_with("{\"ok\":true,");
    let warnings = out.split("\"warnings\":[").nth(1).unwrap_or("");
    let count = warnings.matches(".md:").count();
    (ok, count, out)
}

#[test]
fn a_long_history_released_twice_stays_as_green_as_it_started() {
    let repo = tagged(
        LONG_HISTORY,
        &[
            "v0.1.0",
            "v0.2.0",
            "v0.3.0",
            "v0.3.1",
            "v0.3.2",
            "v0.4.0",
            "py-v0.3.0",
        ],
    );
    // A pin that drifted long ago: the first release repairs it.
    let manifest = repo
        .read("demo-py/Cargo.toml")
        .replace("version = \"0.4.0\"", "version = \"0.3.2\"");
    repo.commit("demo-py/Cargo.toml", &manifest, "chore: an old pin", ALICE);
    repo.git(&["push", "-q", "origin", "main", "--tags"]);
    let (ok, before, out) = check_json(&repo);
    assert!(!ok && out.contains("demo-py/Cargo.toml:13"), "{out}");
    assert_eq!(out.matches("demo-py/Cargo.toml").count(), 1, "{out}");
    assert!(before > 0, "the lone link leaves warnings: {out}");
    for (n, fix) in ["(#3)", "(#4)"].iter().enumerate() {
        let subject = format!("fix: the answer {fix}");
        release_a_fix(&repo, 43 + n as u32, &subject, &["--generate"]);
        let (ok, after, out) = check_json(&repo);
        eprintln!(
            "check after release {}: ok {ok}, {after} warning(s) (before: {before})",
            n + 1
        );
        assert!(ok, "after release {}: {out}", n + 1);
        // The binding's pin moves with the crate (the release guide's four
        // places), and so does the lock.
        assert!(
            repo.read("demo-py/Cargo.toml")
                .contains(&format!("version = \"0.4.{}\"", n + 1))
        );
        assert!(repo.read("Cargo.lock").contains(&format!(
            "name = \"demo-core\"\nversion = \"0.4.{}\"",
            n + 1
        )));
        assert!(
            after <= before,
            "after release {}: {after} > {before} warnings: {out}",
            n + 1
        );
        repo.xtask(&["changelog", "lint"]).success();
    }
    let text = repo.read("CHANGELOG.md");
    for line in [
        "## [0.4.2] - ",
        "- the answer ([#4](https://github.com/example/demo/pull/4)) by Bob Smith",
        "[Unreleased]: https://github.com/example/demo/compare/v0.4.2...HEAD\n\
         [0.4.2]: https://github.com/example/demo/compare/v0.4.1...v0.4.2\n\
         [0.4.1]: https://github.com/example/demo/compare/v0.4.0...v0.4.1\n\
         [0.1.0]: https://github.com/example/demo/releases/tag/v0.1.0\n",
    ] {
        assert!(text.contains(line), "`{line}` in\n{text}");
    }
    // The release commit of the first release is not an entry of the second.
    assert!(!text.contains("release: demo-core"), "{text}");
    // `lint --fix` adds the definitions the tags allow; the warnings go.
    let fixed = repo.xtask(&["changelog", "lint", "--fix"]).success();
    assert!(
        fixed.contains("+[0.4.0]: https://github.com/example/demo/compare/v0.3.2...v0.4.0"),
        "{fixed}"
    );
    let (ok, after, out) = check_json(&repo);
    eprintln!("check after lint --fix: ok {ok}, {after} warning(s)");
    assert!(ok && after < before, "{out}");
    assert!(!out.contains("CHANGELOG.md:"), "{out}");
}

/// cargo-release's template: promote keeps `## [Unreleased] - ReleaseDate`
/// and its `<!-- next-… -->` markers, and writes what cargo-release would.
#[test]
fn promote_and_notes_in_other_tools_dialects() {
    let repo = Repo::new("workspace");
    let cargo_release = "\
# Changelog

<!-- next-header -->

## [Unreleased] - ReleaseDate

### Fixed

- Exit code on empty input

## [0.4.0] - 2026-01-10

- The core.

<!-- next-url -->
[Unreleased]: https://github.com/example/demo/compare/v0.4.0...HEAD
[0.4.0]: https://github.com/example/demo/releases/tag/v0.4.0
";
    repo.commit("CHANGELOG.md", cargo_release, "docs: cargo-release", ALICE);
    repo.xtask(&[
        "changelog",
        "promote",
        "rust",
        "0.4.1",
        "--date",
        "2026-02-01",
    ])
    .success();
    assert_eq!(
        repo.read("CHANGELOG.md"),
        cargo_release
            .replace(
                "ReleaseDate\n\n### Fixed",
                "ReleaseDate\n\n## [0.4.1] - 2026-02-01\n\n### Fixed"
            )
            .replace(
                "compare/v0.4.0...HEAD\n",
                "compare/v0.4.1...HEAD\n[0.4.1]: https://github.com/example/demo/compare/v0.4.0...v0.4.1\n"
            )
    );
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "0.4.1", "--json"])
        .success();
    assert_eq!(
        notes,
        "{\"version\":\"0.4.1\",\"date\":\"2026-02-01\",\"body\":\"### Fixed\\n\\n- Exit code on empty input\"}\n"
    );

    // release-plz / git-cliff headings and knope headings are read too.
    for (text, want) in [
        (
            "# Changelog\n\n## [0.4.0](https://github.com/example/demo/releases/tag/v0.4.0) - 2026-01-10\n\n- Plz.\n",
            "{\"version\":\"0.4.0\",\"date\":\"2026-01-10\",\"body\":\"- Plz.\"}\n",
        ),
        (
            "# Changelog\n\n## 0.4.0 (2026-01-10)\n\n### Features\n\n- Knope.\n",
            "{\"version\":\"0.4.0\",\"date\":\"2026-01-10\",\"body\":\"### Features\\n\\n- Knope.\"}\n",
        ),
        (
            "# Changelog\n\n## v0.4.0\n\n* Bare.\n",
            "{\"version\":\"v0.4.0\",\"date\":null,\"body\":\"* Bare.\"}\n",
        ),
    ] {
        repo.write("CHANGELOG.md", text);
        let notes = repo
            .xtask(&["changelog", "notes", "rust", "0.4.0", "--json"])
            .success();
        assert_eq!(notes, want);
        repo.git(&["tag", "-f", "v0.4.0"]);
        repo.xtask(&["changelog", "lint"]).success();
    }
}

/// Errors come first, warnings are summarised unless --verbose, and
/// `check --json` lists both.
#[test]
fn check_orders_and_summarises_and_speaks_json() {
    let repo = Repo::new("workspace");
    let mut text = String::from("# Changelog\n\n## [0.4.0] - 2026-01-10\n\n- Now.\n\n");
    // Seven untagged sections below a tagged one: seven warnings.
    for minor in (1..=7).rev() {
        text.push_str(&format!(
            "## [0.3.{minor}] - 2025-0{minor}-01\n\n- Fix.\n\n"
        ));
    }
    // One misdated section: one error, whatever its neighbours.
    text = text.replace("## [0.3.4] - 2025-04-01", "## [0.3.4] - 2025-12-01");
    repo.commit("CHANGELOG.md", &text, "docs: changelog", ALICE);
    repo.git(&["tag", "v0.4.0"]);
    repo.git(&["tag", "py-v0.3.0"]);
    let run = repo.xtask(&["check"]);
    let stderr = run.failure();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: CHANGELOG.md:19: 0.3.4 is dated 2025-12-01, later than 0.3.5 above it (2025-05-01)"),
        "{stderr}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("warning")).count(),
        6,
        "{stderr}"
    );
    assert!(
        stderr.contains("2 more warning(s), 7 in all: run with --verbose to see every one"),
        "{stderr}"
    );
    let verbose = repo.xtask(&["check", "--verbose"]).failure();
    assert_eq!(
        verbose
            .matches("has no tag, but the later 0.4.0 has one")
            .count(),
        7,
        "{verbose}"
    );
    let run = repo.xtask(&["check", "--json"]);
    run.failure();
    let json = run.stdout();
    assert!(
        json.starts_with("{\"ok\":false,\"errors\":[\"CHANGELOG.md:19: 0.3.4 is dated"),
        "{json}"
    );
    assert_eq!(json.matches("has no tag").count(), 7, "{json}");
}

/// A file whose lists use `*` and run newest first gets drafted lists the
/// same way, from `generate` and from `promote --generate`.
#[test]
fn drafted_lists_follow_the_files_marker_and_order() {
    let repo = history();
    let text = "# Changelog\n\n## [Unreleased]\n\n## [0.4.0] - 2026-01-10\n\n### What's Changed\n\n* Second thing (#9)\n* First thing (#8)\n";
    repo.write("CHANGELOG.md", text);
    let args = ["--format", "whats-changed"];
    let generated = repo
        .xtask(&["changelog", "generate", "rust", args[0], args[1]])
        .success();
    let fix =
        "* fix: handle empty input ([#13](https://github.com/example/demo/pull/13)) by Bob Smith\n";
    let feat =
        "* feat(core): add streaming ([#12](https://github.com/example/demo/pull/12)) by @alice\n";
    assert!(generated.contains(&format!("{fix}{feat}")), "{generated}");
    repo.xtask(&[
        "changelog",
        "promote",
        "rust",
        "0.5.0",
        "--date",
        "2026-02-01",
        "--generate",
        args[0],
        args[1],
    ])
    .success();
    let out = repo.read("CHANGELOG.md");
    assert!(
        out.contains(&format!("## [0.5.0] - 2026-02-01\n\n### What's Changed\n\n* refactor: rename answer by @alice\n{fix}{feat}")),
        "{out}"
    );
}

/// The tool's own release commits (the configured subjects) and `style`
/// commits are not entries; `(closes #N)` is linked.
#[test]
fn generate_leaves_out_release_and_style_commits() {
    let repo = Repo::new("workspace");
    repo.git(&["tag", "v0.4.0"]);
    let files = [
        "demo-core/src/a.rs",
        "demo-core/src/b.rs",
        "demo-core/src/c.rs",
        "demo-core/src/d.rs",
    ];
    let subjects = [
        "release: demo-core v0.4.1 + demo-py v0.3.1",
        "chore(release): prepare v0.4.2 (#30)",
        "style: rustfmt",
        "fix: empty input (closes #7)",
    ];
    for (file, subject) in files.iter().zip(subjects) {
        repo.commit(file, subject, subject, BOB);
    }
    let out = repo.xtask(&["changelog", "generate", "rust"]).success();
    assert_eq!(
        out,
        "### Fixed\n\n- empty input (closes [#7](https://github.com/example/demo/issues/7)) by Bob Smith\n"
    );
}

#[test]
fn the_previous_release_is_the_highest_tag_not_above_the_manifest_merged_or_not() {
    let repo = Repo::new("workspace");
    // A stray tag far above the crate, merged long ago.
    repo.git(&["tag", "v3.0.0"]);
    // 0.4.0 was tagged on its release branch, which never went back to main.
    repo.git(&["switch", "-q", "-c", "release/0.4"]);
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    42\n}\n// released\n",
        "chore: release 0.4.0",
        BOB,
    );
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.git(&["switch", "-q", "main"]);
    repo.commit(
        "demo-core/src/empty.rs",
        "// 2\n",
        "fix: handle empty input (#13)",
        BOB,
    );
    let notes = repo
        .xtask(&["changelog", "generate", "rust", "--format", "whats-changed"])
        .success();
    assert!(notes.contains("/compare/v0.4.0...v0.4.1"), "{notes}");
    let suggestion = repo.xtask(&["changelog", "suggest", "rust"]).success();
    assert_eq!(suggestion, "patch\n");
    let plan = repo.xtask(&["release", "--rust", "auto"]).success();
    assert!(
        plan.starts_with("release demo-core 0.4.0 -> 0.4.1 (tag v0.4.1; patch: "),
        "{plan}"
    );
    // The plan line names what it compared with.
    assert!(
        plan.lines()
            .next()
            .unwrap()
            .ends_with("; since v0.4.0, 1 commit(s))"),
        "{plan}"
    );
}

/// Yanked releases in the three forms files use, around releases that are
/// not: Keep a Changelog's `- DATE [YANKED]`, a bare `YANKED`, `(yanked)`.
const YANKED: &str = "\
# Changelog

## [Unreleased]

## [0.4.0] - 2026-01-10

- The core.

## [0.3.2] - 2025-12-20 [YANKED]

- A leak on retry.

## [0.3.1] YANKED

- A crash on start.

## 0.3.0 (yanked)

- The wrong license file.

## [0.2.0] - 2025-10-01

- First release.
";

/// Each yanked form is read by every command: the notes of each version
/// and of its neighbours, lint's warning with the standard form, and a
/// release on top that leaves the yanked headings as they are.
#[test]
fn yanked_headings_in_every_form_are_read_by_every_command() {
    let tags = [
        "v0.2.0",
        "v0.3.0",
        "v0.3.1",
        "v0.3.2",
        "v0.4.0",
        "py-v0.3.0",
    ];
    let repo = tagged(YANKED, &tags);
    for (version, body) in [
        ("0.4.0", "- The core.\n"),
        ("0.3.2", "- A leak on retry.\n"),
        ("0.3.1", "- A crash on start.\n"),
        ("0.3.0", "- The wrong license file.\n"),
        ("0.2.0", "- First release.\n"),
    ] {
        let notes = repo
            .xtask(&["changelog", "notes", "rust", version])
            .success();
        assert_eq!(notes, body, "{version}");
    }
    let lint = repo.xtask(&["changelog", "lint"]);
    let stderr = lint.stderr();
    assert!(lint.ok(), "{stderr}");
    for (line, version) in [(13, "0.3.1"), (17, "0.3.0")] {
        let want = format!(
            "CHANGELOG.md:{line}: {version} is marked yanked in another form than Keep a Changelog's: write `## [{version}] - YYYY-MM-DD [YANKED]`"
        );
        assert!(stderr.contains(&want), "{stderr}");
    }
    assert!(!stderr.contains("0.3.2 is marked yanked"), "{stderr}");
    repo.xtask(&["check"]).success();

    repo.git(&["push", "-q", "origin", "main", "--tags"]);
    release_a_fix(&repo, 43, "fix: the answer (#3)", &["--generate"]);
    let text = repo.read("CHANGELOG.md");
    assert!(text.contains("## [Unreleased]\n\n## [0.4.1] - "), "{text}");
    let old = &YANKED[YANKED.find("## [0.4.0]").unwrap()..];
    assert!(
        text.contains(old),
        "the yanked headings as they were:\n{text}"
    );
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "0.4.1"])
        .success();
    assert!(notes.contains("the answer"), "{notes}");
    repo.xtask(&["check"]).success();
}

/// GitHub's generated release notes pasted under each version, and a `##`
/// heading in the introduction.
const GITHUB_NOTES: &str = "\
# Changelog

Release notes of demo, newest first. From 0.4.0 on, each section also holds
the notes GitHub generated for the release.

## Support

Only the newest minor version gets fixes.

## [Unreleased]

### Fixed

- Reconnect after a dropped stream.

## [0.4.0] - 2026-01-10

The core, rewritten.

## What's Changed
* feat(core): the core by @alice in https://github.com/example/demo/pull/12
* fix: empty input by @bob in https://github.com/example/demo/pull/13

## New Contributors
* @bob made their first contribution in https://github.com/example/demo/pull/13

**Full Changelog**: https://github.com/example/demo/compare/v0.3.0...v0.4.0

## [0.3.0] - 2025-11-01

- First release.

[Unreleased]: https://github.com/example/demo/compare/v0.4.0...HEAD
[0.4.0]: https://github.com/example/demo/compare/v0.3.0...v0.4.0
[0.3.0]: https://github.com/example/demo/releases/tag/v0.3.0
";

/// `## What's Changed` and `## New Contributors` belong to the section they
/// sit in: `notes` prints all of it, `lint` and `check` see no error, and
/// a release promotes on top of them.
#[test]
fn github_notes_headings_belong_to_their_section() {
    let repo = tagged(GITHUB_NOTES, &["v0.3.0", "v0.4.0", "py-v0.3.0"]);
    let section = |text: &str, from: &str, to: &str| -> String {
        let start = text.find(from).unwrap() + from.len();
        let end = text.find(to).unwrap();
        format!("{}\n", text[start..end].trim())
    };
    let want = section(GITHUB_NOTES, "## [0.4.0] - 2026-01-10\n", "## [0.3.0]");
    assert!(want.contains("## New Contributors\n* @bob"), "{want}");
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "0.4.0"])
        .success();
    assert_eq!(notes, want);
    let json = repo
        .xtask(&["changelog", "notes", "rust", "0.4.0", "--json"])
        .success();
    assert!(
        json.contains("\\n## New Contributors\\n* @bob made"),
        "{json}"
    );
    let lint = repo.xtask(&["changelog", "lint"]).stderr();
    assert!(lint.contains("Linted 0 error(s), 0 warning(s)"), "{lint}");
    let check = repo.xtask(&["check"]);
    assert!(check.ok(), "{}", check.stderr());
    assert!(
        !check.stderr().contains("CHANGELOG.md"),
        "{}",
        check.stderr()
    );

    repo.git(&["push", "-q", "origin", "main", "--tags"]);
    release_a_fix(&repo, 43, "fix: reconnect (#14)", &[]);
    let text = repo.read("CHANGELOG.md");
    let new = section(&text, "## [Unreleased]\n", "## [0.4.0]");
    assert!(
        new.starts_with("## [0.4.1] - ")
            && new.ends_with("### Fixed\n\n- Reconnect after a dropped stream.\n"),
        "{text}"
    );
    assert!(text.contains(&want), "{text}");
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "0.4.0"])
        .success();
    assert_eq!(notes, want);
    repo.xtask(&["check"]).success();
}
