//! Change files (`.changes/*.md`) and towncrier news fragments, end to end
//! on the `changes` fixture (a crate and its binding, whose fragments live
//! in `vecstore-py/newsfragments`): `cargo xtask change` writes and lists
//! them, `check` refuses malformed ones, a release takes their entries and
//! level and deletes them in its commit (undone by `--abort`, finished by a
//! re-run), the release PR lists them as they land, and `change --check`
//! asks a branch for one per package it changes.

mod common;

use common::{Repo, assert_same};

const FIXTURE: &str = "tests/fixtures/changes";
const STREAMING: &str = ".changes/streaming.md";
const DOT: &str = ".changes/dot-lengths.md";
const FEATURE: &str = "vecstore-py/newsfragments/41.feature.md";
const BUGFIX: &str = "vecstore-py/newsfragments/42.bugfix";
const DATE: [&str; 2] = ["--date", "2026-02-01"];

/// A pending file's text, as the fixture holds it.
fn fixture(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    std::fs::read_to_string(root.join(path)).unwrap()
}

/// The fixture released at vecstore 0.4.0 and vecstore-py 0.2.0 (tags on
/// origin), with no file pending: each test lands its own.
fn released() -> Repo {
    let repo = Repo::new("changes");
    repo.git(&["rm", "-q", STREAMING, DOT, FEATURE, BUGFIX]);
    repo.git(&[
        "commit",
        "-qm",
        "release: vecstore v0.4.0 + vecstore-py v0.2.0",
    ]);
    repo.git(&["tag", "-a", "v0.4.0", "-m", "vecstore 0.4.0"]);
    repo.git(&["tag", "-a", "py-v0.2.0", "-m", "vecstore-py 0.2.0"]);
    repo.git(&["push", "-q", "origin", "main", "v0.4.0", "py-v0.2.0"]);
    repo
}

/// Commits `files` (each `(path, text)`) with `subject`, and pushes.
fn land(repo: &Repo, files: &[(&str, &str)], subject: &str) {
    for (path, text) in files {
        let file = repo.dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "--author",
        "Ann <12+ann@users.noreply.github.com>",
        "-m",
        subject,
    ]);
    repo.git(&["push", "-q", "origin", "main"]);
}

/// The release of both packages as their commits and files call for.
fn release_args(extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "release",
        "--rust",
        "auto",
        "--py",
        "auto",
        "--execute",
        "--skip-preflight",
    ];
    args.extend(DATE);
    args.extend(extra);
    args.into_iter().map(String::from).collect()
}

fn xtask(repo: &Repo, args: &[String]) -> common::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    repo.xtask(&args)
}

#[test]
fn change_writes_a_file_numbered_when_taken_and_list_shows_every_pending_one() {
    let repo = released();
    let text = "Streaming responses from the offline provider, at last";
    let run = repo.xtask(&["change", "--rust", "minor", "--py", "fixed", text]);
    assert_eq!(
        run.success(),
        ".changes/streaming-responses-from-the-offline-provider-at.md\n"
    );
    assert_eq!(
        repo.read(".changes/streaming-responses-from-the-offline-provider-at.md"),
        format!("---\nvecstore: minor\nvecstore-py: fixed\n---\n\n{text}\n")
    );
    let again = repo.xtask(&["change", "--py", "patch", text]);
    assert_eq!(
        again.success(),
        ".changes/streaming-responses-from-the-offline-provider-at-2.md\n"
    );
    repo.write(FEATURE, &fixture(FEATURE));
    let list = repo.xtask(&["change", "--list"]).success();
    assert_eq!(
        list,
        "vecstore (1 pending)
  .changes/streaming-responses-from-the-offline-provider-at.md: minor (Added, minor): Streaming responses from the offline provider, at last
vecstore-py (3 pending)
  .changes/streaming-responses-from-the-offline-provider-at-2.md: patch (Fixed, patch): Streaming responses from the offline provider, at last
  .changes/streaming-responses-from-the-offline-provider-at.md: fixed (Fixed, patch): Streaming responses from the offline provider, at last
  vecstore-py/newsfragments/41.feature.md: feature (Added, minor): Search filters: `search(..., where={\"lang\": \"en\"})`.
"
    );
    let json = repo.xtask(&["change", "--list", "--json"]).success();
    assert!(
        json.contains("{\"path\":\"vecstore-py/newsfragments/41.feature.md\",\"kind\":\"feature\",\"section\":\"Added\",\"level\":\"minor\","),
        "{json}"
    );
    // Into a folder that is not there yet, configured elsewhere.
    repo.replace(
        "Cargo.toml",
        "# changes = \".changes\"",
        "changes = \"docs/changes\"",
    );
    let run = repo.xtask(&["change", "--rust", "removed", "`dot_old()` is gone"]);
    assert_eq!(run.success(), "docs/changes/dot-old-is-gone.md\n");
}

#[test]
fn malformed_change_files_of_each_kind_fail_check_with_their_line_and_stop_a_release() {
    let repo = released();
    land(
        &repo,
        &[
            (".changes/unknown.md", "---\nvecstor: minor\n---\n\nText.\n"),
            (
                ".changes/level.md",
                "---\r\nrust: mayor\r\n---\r\n\r\nText.\r\n",
            ),
            (".changes/shape.md", "---\nrust minor\n---\n\nText.\n"),
            (".changes/open.md", "---\nrust: minor\n\nText.\n"),
            (".changes/empty.md", "---\npy: fixed\n---\n\n"),
            (".changes/none.md", "Text without a front matter.\n"),
            ("vecstore-py/newsfragments/43.bugfix.rst", "A fix.\n"),
            ("vecstore-py/newsfragments/44.feat.md", "A feature.\n"),
        ],
        "docs: change files",
    );
    let before = repo.state();
    let stderr = repo.xtask(&["check"]).failure();
    for line in [
        "error: .changes/empty.md:3: no text below the front matter: write what changed, as users should read it",
        "error: .changes/level.md:2: `mayor` is no level or section: use one of major, minor, patch, added, changed, deprecated, removed, fixed, security",
        "error: .changes/none.md:1: no front matter: a change file starts with `---`, a `package: level` line per package (e.g. `edgequake-llm: minor`), then `---` and the text (see .changes/README.md)",
        "error: .changes/open.md:1: the front matter opened here is never closed: end it with a `---` line, then write the text below it",
        "error: .changes/shape.md:2: `rust minor` is not a `package: level` line",
        "error: .changes/unknown.md:2: `vecstor` is no package of this workspace: name one of vecstore (or rust), vecstore-py (or py)",
        "error: vecstore-py/newsfragments/43.bugfix.rst: `43.bugfix.rst` ends in `.rst`: fragments are Markdown: rename it to end in `.md` (or drop the extension)",
        "error: vecstore-py/newsfragments/44.feat.md: `44.feat.md`: `feat` is no fragment type",
        "Failed 8 problem(s)",
    ] {
        assert!(stderr.contains(line), "expected `{line}` in\n{stderr}");
    }
    let stderr = xtask(&repo, &release_args(&[])).failure();
    assert!(
        stderr.contains(
            "8 change file(s) to fix before a release is planned (`cargo xtask check` lists them)"
        ),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
}

#[test]
fn a_package_with_change_files_and_no_commit_in_its_folder_is_released_and_they_are_deleted() {
    let repo = released();
    land(
        &repo,
        &[(STREAMING, &fixture(STREAMING))],
        "docs: the streaming change file (#12)",
    );
    land(
        &repo,
        &[(DOT, &fixture(DOT))],
        "docs: the dot change file (#14)",
    );
    let dry = repo.xtask(&["release"]);
    let plan = dry.success();
    assert!(
        plan.contains("release vecstore 0.4.0 -> 0.5.0 (tag v0.5.0; minor: .changes/streaming.md; since v0.4.0, 0 commit(s))"),
        "{plan}"
    );
    assert!(
        plan.contains("release vecstore-py 0.2.0 -> 0.2.1 (tag py-v0.2.1; patch: .changes/dot-lengths.md; since py-v0.2.0, 0 commit(s))"),
        "{plan}"
    );
    xtask(&repo, &release_args(&[])).success();
    assert_eq!(
        repo.git(&["show", "--format=%s", "--name-status", "HEAD"]),
        "release: vecstore v0.5.0 + vecstore-py v0.2.1

D\t.changes/dot-lengths.md
D\t.changes/streaming.md
M\tCHANGELOG.md
M\tCargo.lock
M\tvecstore-py/CHANGELOG.md
M\tvecstore-py/Cargo.toml
M\tvecstore-py/pyproject.toml
M\tvecstore/Cargo.toml
"
    );
    assert!(repo.dir.join(".changes/README.md").exists());
    assert!(
        repo.read("CHANGELOG.md").contains(
            "## [0.5.0] - 2026-02-01\n\n### Added\n\n- Streaming search results: `search_iter()` yields each hit as it is scored.\n\n### Fixed\n\n- `dot()` no longer panics on vectors of different lengths.\n\n  It returns the product of the common prefix, as NumPy's\n  `dot` refuses to: see the docs.\n\n## [0.4.0]"
        ),
        "{}",
        repo.read("CHANGELOG.md")
    );
    // The binding's file keeps its `*` list marker.
    assert!(
        repo.read("vecstore-py/CHANGELOG.md")
            .contains("## [0.2.1] - 2026-02-01\n\n### Fixed\n\n* `dot()` no longer panics"),
        "{}",
        repo.read("vecstore-py/CHANGELOG.md")
    );
    let again = xtask(&repo, &release_args(&[]));
    assert!(
        again.success().contains("Nothing to release."),
        "{}",
        again.stdout()
    );
}

#[test]
fn entries_come_before_drafted_notes_whose_commits_added_them_and_fragments_link_their_issue() {
    let repo = released();
    land(
        &repo,
        &[
            ("vecstore/src/stream.rs", "pub fn search_iter() {}\n"),
            (STREAMING, &fixture(STREAMING)),
        ],
        "feat: streaming search (#12)",
    );
    land(
        &repo,
        &[("vecstore/src/lib.rs", "//! A store.\n\npub fn dot() {}\n")],
        "fix: cosine of zero vectors (#13)",
    );
    land(
        &repo,
        &[(BUGFIX, &fixture(BUGFIX))],
        "fix(py): musllinux wheels (#42)",
    );
    land(
        &repo,
        &[(FEATURE, &fixture(FEATURE))],
        "docs: the filters fragment",
    );
    xtask(&repo, &release_args(&["--generate"])).success();
    let crate_log = repo.read("CHANGELOG.md");
    assert!(
        crate_log.contains(
            "## [0.5.0] - 2026-02-01\n\n### Added\n\n- Streaming search results: `search_iter()` yields each hit as it is scored.\n\n### Fixed\n\n- cosine of zero vectors ([#13](https://github.com/example/vecstore/pull/13)) by @ann\n\n## [0.4.0]"
        ),
        "{crate_log}"
    );
    let py_log = repo.read("vecstore-py/CHANGELOG.md");
    assert!(
        py_log.contains(
            "## [0.3.0] - 2026-02-01\n\n### Added\n\n* Search filters: `search(..., where={\"lang\": \"en\"})`. ([#41](https://github.com/example/vecstore/pull/41))\n\n### Fixed\n\n* Wheels for musllinux load again. ([#42](https://github.com/example/vecstore/pull/42))\n* cosine of zero vectors"
        ),
        "{py_log}"
    );
    assert!(!py_log.contains("musllinux wheels"), "{py_log}");
    assert!(!repo.dir.join(FEATURE).exists() && !repo.dir.join(BUGFIX).exists());
    assert!(repo.dir.join("vecstore-py/newsfragments/.gitkeep").exists());
}

#[test]
fn abort_and_a_killed_run_after_the_files_were_deleted() {
    let repo = released();
    land(
        &repo,
        &[(STREAMING, &fixture(STREAMING)), (DOT, &fixture(DOT))],
        "docs: change files",
    );
    let start = repo.state();
    // Killed before its third write: both change files are deleted already.
    let killed = repo.xtask_env(
        &release_args(&[])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        &[("XTASK_KILL_WRITE", "2")],
    );
    assert_eq!(killed.0.status.code(), None, "{}", killed.stderr());
    assert!(!repo.dir.join(STREAMING).exists() && !repo.dir.join(DOT).exists());
    let copy = repo.duplicate();
    repo.xtask(&["release", "--abort"]).success();
    assert_same(&start, &repo.state());
    assert_eq!(repo.read(DOT), fixture(DOT));

    // The same state resumed: the release completes, the files gone from it.
    copy.xtask(&["release", "--execute", "--skip-preflight"])
        .success();
    let files = copy.git(&["show", "--format=", "--name-status", "HEAD"]);
    assert!(
        files.starts_with("D\t.changes/dot-lengths.md\nD\t.changes/streaming.md\n"),
        "{files}"
    );
    assert_eq!(copy.git(&["status", "--porcelain"]), "");
    assert!(copy.remote_refs().contains("refs/tags/v0.5.0"));
}

/// Where the release PR's branch is on origin.
fn pr_tip(repo: &Repo) -> String {
    let refs = repo.remote_refs();
    let line = refs
        .lines()
        .find(|l| l.ends_with(" refs/heads/release/next"));
    line.expect("the branch is on origin")
        .split(' ')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn the_release_pr_lists_the_files_and_follows_those_landing_between_two_runs() {
    let repo = released();
    land(
        &repo,
        &[(STREAMING, &fixture(STREAMING))],
        "docs: the streaming change file (#12)",
    );
    let mut pr: Vec<String> = ["release", "--pr", "--execute", "--skip-preflight"]
        .map(String::from)
        .to_vec();
    pr.extend(DATE.map(String::from));
    let body = xtask(&repo, &pr).success();
    assert!(
        body.contains("### Change files\n\n- vecstore: `.changes/streaming.md` (minor)\n"),
        "{body}"
    );
    let first = pr_tip(&repo);

    // A fragment and a change file land on main: the next run takes them.
    land(
        &repo,
        &[(BUGFIX, &fixture(BUGFIX))],
        "docs: the musllinux fragment (#42)",
    );
    land(
        &repo,
        &[(DOT, &fixture(DOT))],
        "docs: the dot change file (#14)",
    );
    let run = xtask(&repo, &pr);
    let body = run.success();
    assert!(
        body.contains("### Change files\n\n- vecstore: `.changes/dot-lengths.md` (patch), `.changes/streaming.md` (minor)\n- vecstore-py: `.changes/dot-lengths.md` (fixed), `vecstore-py/newsfragments/42.bugfix` (bugfix)\n"),
        "{body}"
    );
    assert!(
        run.stderr()
            .contains(&format!("--force-with-lease=release/next:{first}")),
        "{}",
        run.stderr()
    );
    let second = pr_tip(&repo);
    assert_ne!(first, second);
    repo.git(&["fetch", "-q", "origin"]);
    assert_eq!(
        repo.git(&["log", "--format=%s", "main..origin/release/next"]),
        "chore(release): prepare vecstore v0.5.0 + vecstore-py v0.2.1\n"
    );
    let deleted = repo.git(&[
        "diff",
        "--name-status",
        "--diff-filter=D",
        "main",
        "origin/release/next",
    ]);
    assert_eq!(
        deleted,
        "D\t.changes/dot-lengths.md\nD\t.changes/streaming.md\nD\tvecstore-py/newsfragments/42.bugfix\n"
    );
    // Main keeps them until the pull request is merged.
    assert!(repo.dir.join(STREAMING).exists() && repo.dir.join(BUGFIX).exists());

    // Nothing new: the branch is current, left as it is.
    let current = xtask(&repo, &pr);
    current.success();
    assert!(
        current.stderr().contains("the release PR is current"),
        "{}",
        current.stderr()
    );
    assert_eq!(pr_tip(&repo), second);
}

#[test]
fn change_check_asks_a_branch_for_a_file_per_package_it_changes() {
    let repo = released();
    repo.git(&["switch", "-q", "-c", "topic"]);
    let check = ["change", "--check", "--base", "main"];
    // Only a README outside the packages: nothing to say.
    land(&repo, &[("NOTES.md", "notes\n")], "docs: notes");
    repo.xtask(&check).success();

    land(
        &repo,
        &[("vecstore/src/lib.rs", "//! A store.\n\npub fn dot() {}\n")],
        "fix: cosine of zero vectors (#13)",
    );
    let stderr = repo.xtask(&check).failure();
    assert!(
        stderr.contains("error: vecstore changed since main (vecstore/src/lib.rs) and no change file names it: run `cargo xtask change --rust patch \"cosine of zero vectors\"` (a level or a section: see .changes/README.md) and commit the file; or pass --allow-missing if users will not notice the change"),
        "{stderr}"
    );
    // The binding compiles the crate in: its paths changed too.
    assert!(
        stderr.contains("error: vecstore-py changed since main (vecstore/src/lib.rs)"),
        "{stderr}"
    );
    let allowed = repo.xtask(&["change", "--check", "--base", "main", "--allow-missing"]);
    assert!(allowed.success().is_empty());
    assert!(
        allowed
            .stderr()
            .contains("Checked 2 package(s) without a change file, allowed (--allow-missing)"),
        "{}",
        allowed.stderr()
    );

    // The command it names writes the file; not committed yet, it counts.
    repo.xtask(&[
        "change",
        "--rust",
        "patch",
        "--py",
        "fixed",
        "Cosine of zero vectors is 0",
    ])
    .success();
    let ok = repo.xtask(&check);
    ok.success();
    assert!(
        ok.stderr()
            .contains("Covered vecstore: .changes/cosine-of-zero-vectors-is-0.md"),
        "{}",
        ok.stderr()
    );
    land(&repo, &[], "docs: the change file");
    repo.xtask(&check).success();

    // A change file the branch breaks fails the check, whatever is allowed.
    land(
        &repo,
        &[(".changes/bad.md", "---\nrust: big\n---\n\nText.\n")],
        "docs: oops",
    );
    let stderr = repo
        .xtask(&["change", "--check", "--base", "main", "--allow-missing"])
        .failure();
    assert!(
        stderr.contains("error: .changes/bad.md:2: `big` is no level or section"),
        "{stderr}"
    );

    // A change file merged on main before does not cover the branch's work.
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["switch", "-q", "-c", "other"]);
    land(
        &repo,
        &[("vecstore-py/src/lib.rs", "pub fn dot() {}\n")],
        "feat(py): dot on lists",
    );
    let stderr = repo.xtask(&check).failure();
    assert!(
        stderr.contains("vecstore-py changed since main (vecstore-py/src/lib.rs) and no change file names it: run `cargo xtask change --py minor \"dot on lists\"`"),
        "{stderr}"
    );
    assert!(!stderr.contains("error: vecstore changed"), "{stderr}");
    // Or the changelog edited by hand.
    repo.replace(
        "vecstore-py/CHANGELOG.md",
        "## [Unreleased]\n",
        "## [Unreleased]\n\n### Added\n\n* `dot()` on lists.\n",
    );
    repo.xtask(&check).success();
}

#[test]
fn the_release_pr_itself_needs_no_change_file() {
    let repo = released();
    land(
        &repo,
        &[(STREAMING, &fixture(STREAMING))],
        "docs: the streaming change file",
    );
    repo.xtask(&["release", "--pr", "--execute", "--skip-preflight"])
        .success();
    repo.git(&["switch", "-q", "release/next"]);
    let run = repo.xtask(&["change", "--check", "--base", "main"]);
    run.success();
    assert!(
        run.stderr()
            .contains("only release commits since main: no change file is needed"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_pre_release_consumes_them_and_graduating_keeps_the_trains_entries() {
    let repo = released();
    land(
        &repo,
        &[(STREAMING, &fixture(STREAMING))],
        "docs: the streaming change file",
    );
    let mut rc = vec![
        "release",
        "--rust",
        "minor",
        "--pre",
        "rc",
        "--execute",
        "--skip-preflight",
    ];
    rc.extend(DATE);
    repo.xtask(&rc).success();
    assert!(!repo.dir.join(STREAMING).exists());
    land(
        &repo,
        &[(
            DOT,
            &fixture(DOT).replace("'py': fixed   # the binding\r\n", ""),
        )],
        "docs: the dot change file",
    );
    let mut graduate = vec![
        "release",
        "--rust",
        "release",
        "--execute",
        "--skip-preflight",
    ];
    graduate.extend(DATE);
    repo.xtask(&graduate).success();
    let changelog = repo.read("CHANGELOG.md");
    assert!(
        changelog.contains(
            "## [0.5.0] - 2026-02-01\n\n### Added\n\n- Streaming search results: `search_iter()` yields each hit as it is scored.\n\n### Fixed\n\n- `dot()` no longer panics"
        ),
        "{changelog}"
    );
    assert!(
        changelog
            .contains("## [0.5.0-rc.1] - 2026-02-01\n\n### Added\n\n- Streaming search results"),
        "{changelog}"
    );
    assert!(!repo.dir.join(DOT).exists());
}

#[test]
fn a_change_file_git_does_not_track_stops_execute() {
    let repo = released();
    land(
        &repo,
        &[("vecstore/src/lib.rs", "pub fn dot() {}\n")],
        "fix: dot (#3)",
    );
    repo.write(STREAMING, &fixture(STREAMING));
    let before = repo.state();
    let dry = repo.xtask(&["release", "--rust", "auto"]);
    dry.success();
    assert!(
        dry.stderr().contains(".changes/streaming.md has uncommitted changes the release would sweep in: commit or stash them (git stash)"),
        "{}",
        dry.stderr()
    );
    let run = repo.xtask(&["release", "--rust", "auto", "--execute", "--skip-preflight"]);
    let stderr = run.failure();
    assert!(
        stderr.contains(".changes/streaming.md has uncommitted changes"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
}
