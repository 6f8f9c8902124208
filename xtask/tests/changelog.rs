//! `changelog` commands on a repository with crafted conventional commits
//! and two tag series, with the real binary and git.

mod common;

use common::Repo;

const ALICE: &str = "Alice <12345+alice@users.noreply.github.com>";
const BOB: &str = "Bob Smith <bob@example.com>";

/// The workspace fixture with `v0.4.0` and `py-v0.3.0` on the first commit,
/// then commits to the core, the Python sources and the README, and a later
/// `py-v0.3.1` tag that must not start the crate's history.
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
fn promote_generate_appends_after_the_hand_written_text() {
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
        "## [Unreleased]\n\n## [0.5.0] - 2026-02-01\n\n### Added\n\n- Something new.\n\n\
         ### Breaking Changes\n\n- rename answer by @alice\n\n\
         ### Added\n\n- **core**: add streaming ([#12](https://github.com/example/demo/pull/12)) by @alice\n\n\
         ### Fixed\n\n- handle empty input ([#13](https://github.com/example/demo/pull/13)) by Bob Smith\n",
    );
    assert_eq!(repo.read("CHANGELOG.md"), expected);
    let notes = repo
        .xtask(&["changelog", "notes", "demo-core", "0.5.0", "--json"])
        .success();
    assert!(notes.starts_with("{\"version\":\"0.5.0\",\"date\":\"2026-02-01\",\"body\":\"### Added\\n\\n- Something new.\\n\\n### Breaking Changes"), "{notes}");
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
