//! `release`, `preflight` and `rollback` against temporary repositories with
//! a bare `origin`: the happy path, then a fault matrix where each case
//! asserts the final files, commits, tags and remote refs.

mod common;

use common::{LIGHT, LIGHT_RUST, RELEASE, Repo, assert_same, install_hook};

fn release(repo: &Repo, extra: &[&str]) -> common::Run {
    let mut args = vec!["release", "--rust", "minor", "--py", "patch", "--execute"];
    args.extend(LIGHT);
    args.extend(extra);
    repo.xtask(&args)
}

fn released() -> Repo {
    Repo::released()
}

#[test]
fn execute_commits_tags_and_pushes_then_a_rerun_has_nothing_to_do() {
    let repo = released();
    let run = release(&repo, &[]);
    run.success();
    let stderr = run.stderr();
    for line in [
        "Running git-clean",
        "Committing release: demo-core v0.5.0 + demo-py v0.3.1",
        "Tagging v0.5.0",
        "Tagging py-v0.3.1",
        "Released v0.5.0, py-v0.3.1",
    ] {
        assert!(stderr.contains(line), "expected `{line}` in\n{stderr}");
    }
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "release: demo-core v0.5.0 + demo-py v0.3.1\n"
    );
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "py-v0.3.1\nv0.5.0\n"
    );
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents:subject)", "v0.5.0"]),
        "demo-core 0.5.0\n"
    );
    let remote = repo.remote_refs();
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert!(
        remote.contains(&format!("{} refs/heads/main", head.trim())),
        "{remote}"
    );
    assert!(
        remote.contains("refs/tags/v0.5.0") && remote.contains("refs/tags/py-v0.3.1"),
        "{remote}"
    );
    assert!(
        repo.read("CHANGELOG.md")
            .contains("## [Unreleased]\n\n## [0.5.0] - "),
        "{}",
        repo.read("CHANGELOG.md")
    );
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.3.1\"")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.read("notes.local"), "my private notes\n");

    let before = repo.state();
    let again = release(&repo, &[]);
    again.success();
    assert!(
        again.stderr().contains("Finished nothing to release"),
        "{}",
        again.stderr()
    );
    assert!(
        again
            .stdout()
            .contains("unchanged demo-core: no commits since v0.5.0"),
        "{}",
        again.stdout()
    );
    assert_same(&before, &repo.state());
}

#[test]
fn the_dry_run_shows_the_plan_and_changes_nothing() {
    let repo = released();
    let before = repo.state();
    let run = repo.xtask(&["release"]);
    let out = run.success();
    assert!(
        out.starts_with("release demo-core 0.4.0 -> 0.4.1 (tag v0.4.1; patch: "),
        "{out}"
    );
    assert!(
        out.contains("release demo-py 0.3.0 -> 0.3.1 (tag py-v0.3.1; patch: "),
        "{out}"
    );
    assert!(out.contains("+++ b/demo-core/Cargo.toml\n"), "{out}");
    assert!(
        out.contains("$ git push --atomic origin main v0.4.1 py-v0.3.1\n"),
        "{out}"
    );
    let hint = format!(
        "Execute cargo xtask release --rust 0.4.1 --py 0.3.1 --root {} --execute",
        repo.dir.display()
    );
    assert!(run.stderr().contains(&hint), "{}", run.stderr());
    assert_same(&before, &repo.state());

    let summary = repo.base.join("summary.md");
    let json = repo
        .xtask_env(
            &["release", "--rust", "minor", "--json"],
            &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
        )
        .success();
    assert!(json.starts_with("{\"status\":\"dry-run\",\"mode\":\"tag\",\"releases\":[{\"package\":\"demo-core\",\"from\":\"0.4.0\",\"to\":\"0.5.0\""), "{json}");
    let markdown = std::fs::read_to_string(summary).unwrap();
    assert!(markdown.starts_with("## Release: dry-run\n\n| package | from | to | tag | api |\n|---|---|---|---|---|\n| demo-core | 0.4.0 | 0.5.0 | `v0.5.0` | not checked (cargo-semver-checks is not installed: cargo xtask api --install); the level rests on the commits only |\n"), "{markdown}");
    assert_same(&before, &repo.state());
}

#[test]
fn a_failing_check_changes_nothing() {
    let repo = released();
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer()->u32{43}\n",
        "style: squeeze",
        "Ann <ann@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);
    let before = repo.state();
    let args = [
        "release",
        "--rust",
        "minor",
        "--execute",
        "--skip",
        "clippy",
        "--skip",
        "test",
        "--skip",
        "doc",
        "--skip",
        "package",
        "--skip",
        "audit",
        "--skip",
        "semver-checks",
    ];
    let stderr = repo.xtask(&args).failure();
    assert!(stderr.contains("Failed fmt"), "{stderr}");
    assert!(
        stderr.contains("error: pre-flight failed (fmt): nothing was changed"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
}

/// A work tree with changes is refused by git-clean before any checker is
/// built: cargo-semver-checks (minutes to build) is neither installed at
/// planning nor run by the pre-flight, whose API step waits for git-clean.
#[test]
fn a_dirty_tree_is_refused_before_the_api_checker_is_built() {
    let repo = Repo::released();
    repo.git(&["push", "-q", "origin", "main"]);
    repo.write(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    44\n}\n",
    );
    let tools = repo.base.join("no-tools-yet");
    let before = repo.state();
    let args = [
        "release",
        "--rust",
        "minor",
        "--execute",
        "--skip",
        "clippy",
        "--skip",
        "test",
        "--skip",
        "doc",
        "--skip",
        "package",
        "--skip",
        "audit",
    ];
    let stderr = repo
        .xtask_env(&args, &[("XTASK_TOOLS", tools.to_str().unwrap())])
        .failure();
    assert!(stderr.contains("the work tree has changes"), "{stderr}");
    assert!(!stderr.contains("Installing"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("semver-checks") && l.contains("needs `git-clean`")),
        "{stderr}"
    );
    assert!(!tools.exists(), "a checker was installed");
    assert_same(&before, &repo.state());
}

#[test]
fn a_read_only_manifest_or_a_failed_write_changes_nothing() {
    let repo = released();
    let path = repo.dir.join("demo-py/Cargo.toml");
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms.clone()).unwrap();
    let before = repo.state();
    let stderr = release(&repo, &[]).failure();
    assert!(
        stderr.contains("demo-py/Cargo.toml is read-only: nothing was written"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());

    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    let run = repo.xtask_env(&RELEASE, &[("XTASK_FAIL_WRITE", "3")]);
    assert!(
        run.failure().contains("every file was restored"),
        "{}",
        run.stderr()
    );
    assert_same(&before, &repo.state());
}

#[test]
fn a_failing_commit_or_tag_undoes_everything() {
    let repo = released();
    let before = repo.state();
    let hook = repo.dir.join(".git/hooks/pre-commit");
    install_hook(&hook, "#!/bin/sh\necho 'pre-commit says no' >&2\nexit 1\n");
    let stderr = release(&repo, &[]).failure();
    assert!(
        stderr
            .contains("the release was undone: files, commit, tags and branches are as they were"),
        "{stderr}"
    );
    assert!(stderr.contains("git commit failed"), "{stderr}");
    assert_same(&before, &repo.state());
    std::fs::remove_file(&hook).unwrap();

    let run = repo.xtask_env(&RELEASE, &[("XTASK_FAIL_AT", "tag")]);
    let stderr = run.failure();
    assert!(
        stderr.contains("injected failure (XTASK_FAIL_AT=tag)"),
        "{stderr}"
    );
    assert!(stderr.contains("the release was undone"), "{stderr}");
    assert_same(&before, &repo.state());
}

#[test]
fn a_tag_already_on_the_remote_stops_the_preflight() {
    let repo = released();
    repo.git(&["tag", "v0.5.0", "HEAD~1"]);
    repo.git(&["push", "-q", "origin", "v0.5.0"]);
    repo.git(&["tag", "-d", "v0.5.0"]);
    let before = repo.state();
    let stderr = release(&repo, &[]).failure();
    assert!(stderr.contains("git-tags       FAILED"), "{stderr}");
    assert!(
        stderr.contains("v0.5.0 exists on origin: that version is released; choose the next one"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("exists locally"),
        "the pre-flight must not fetch tags:\n{stderr}"
    );
    assert!(
        stderr.contains("pre-flight failed (git-tags): nothing was changed"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
}

#[test]
fn a_dirty_tree_or_a_branch_behind_its_upstream_stops_the_preflight() {
    let repo = released();
    repo.write("README.md", &(repo.read("README.md") + "edited\n"));
    let before = repo.state();
    let stderr = release(&repo, &[]).failure();
    assert!(
        stderr.contains("the work tree has changes: commit or stash them first"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
    repo.git(&["checkout", "README.md"]);

    // Someone else pushed a commit: this clone is behind.
    let other = repo.base.join("other");
    repo.git(&[
        "clone",
        "-q",
        repo.origin.to_str().unwrap(),
        other.to_str().unwrap(),
    ]);
    std::fs::write(other.join("OTHER.md"), "x\n").unwrap();
    let git_other = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&other)
            .env("GIT_AUTHOR_NAME", "O")
            .env("GIT_AUTHOR_EMAIL", "o@example.com")
            .env("GIT_COMMITTER_NAME", "O")
            .env("GIT_COMMITTER_EMAIL", "o@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git_other(&["add", "OTHER.md"]);
    git_other(&["commit", "-q", "-m", "docs: other"]);
    git_other(&["push", "-q", "origin", "main"]);
    let before = repo.state();
    let stderr = release(&repo, &[]).failure();
    assert!(
        stderr.contains("the branch is 1 commit(s) behind its upstream: run `git pull --ff-only`"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
}

#[test]
fn a_rejected_push_keeps_the_release_then_resumes_then_has_nothing_to_do() {
    let repo = released();
    let hook = repo.origin.join("hooks/pre-receive");
    install_hook(&hook, "#!/bin/sh\necho 'remote says no' >&2\nexit 1\n");
    let remote_before = repo.remote_refs();
    let stderr = release(&repo, &[]).failure();
    assert!(stderr.contains("the push failed: the release commit and tags stay local; rerun `cargo xtask release --execute` to push them"), "{stderr}");
    assert_eq!(repo.remote_refs(), remote_before);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "release: demo-core v0.5.0 + demo-py v0.3.1\n"
    );
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "py-v0.3.1\nv0.5.0\n"
    );
    let pending = repo.xtask(&["release"]);
    assert!(
        pending
            .stderr()
            .contains("HEAD is a release whose tags py-v0.3.1, v0.5.0 are not on origin"),
        "{}",
        pending.stderr()
    );

    std::fs::remove_file(&hook).unwrap();
    let resumed = release(&repo, &[]);
    resumed.success();
    assert!(
        resumed
            .stderr()
            .contains("Resuming pushing the pending release py-v0.3.1, v0.5.0"),
        "{}",
        resumed.stderr()
    );
    let remote = repo.remote_refs();
    assert!(
        remote.contains("refs/tags/v0.5.0") && remote.contains("refs/tags/py-v0.3.1"),
        "{remote}"
    );
    assert!(
        remote.contains(&format!(
            "{} refs/heads/main",
            repo.git(&["rev-parse", "HEAD"]).trim()
        )),
        "{remote}"
    );

    let before = repo.state();
    let third = release(&repo, &[]);
    third.success();
    assert!(
        third.stderr().contains("nothing to release"),
        "{}",
        third.stderr()
    );
    assert_same(&before, &repo.state());
    assert_eq!(repo.read("notes.local"), "my private notes\n");
}

#[test]
fn abort_after_a_failed_push_undoes_the_commit_and_tags() {
    let repo = released();
    let before = repo.state();
    let hook = repo.origin.join("hooks/pre-receive");
    install_hook(&hook, "#!/bin/sh\nexit 1\n");
    release(&repo, &[]).failure();
    let run = repo.xtask(&["release", "--abort"]);
    run.success();
    assert!(
        run.stderr()
            .contains("Aborted the release commit is undone"),
        "{}",
        run.stderr()
    );
    assert_same(&before, &repo.state());
    let stderr = repo.xtask(&["release", "--abort"]).failure();
    assert!(stderr.contains("no pending release to abort"), "{stderr}");
}

#[test]
fn abort_after_a_push_to_an_unreachable_remote_needs_no_network() {
    let repo = released();
    repo.git(&["remote", "set-url", "origin", "http://127.0.0.1:9/demo.git"]);
    let before = repo.state();
    let stderr = release(&repo, &["--skip-preflight"]).failure();
    // Still unreachable: the abort asks nothing.
    let run = repo.xtask(&["release", "--abort"]);
    assert!(run.ok(), "{}", run.stderr());
    assert_same(&before, &repo.state());
    assert!(
        stderr.contains("the push failed, so nothing reached origin (git's atomic push lands every ref or none; origin cannot be reached to look"),
        "{stderr}"
    );
}

#[test]
fn a_tag_at_a_blob_is_never_the_previous_release() {
    let repo = Repo::new("workspace");
    repo.git(&["tag", "-a", "v0.3.0", "-m", "demo-core 0.3.0"]);
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    43\n}\n",
        "fix: the answer",
        "Ann <ann@example.com>",
    );
    // A tag of the manifest's version, at a blob: no release, lightweight or annotated.
    let blob = repo.git(&["hash-object", "-w", "README.md"]);
    repo.git(&["tag", "v0.4.0", blob.trim()]);
    repo.git(&["tag", "-a", "v0.3.5", "-m", "not a commit", blob.trim()]);
    let out = repo.xtask(&["release", "--rust", "patch"]).success();
    assert!(out.contains("since v0.3.0, 1 commit(s)"), "{out}");
    let notes = repo.xtask(&["changelog", "generate", "rust"]).success();
    assert!(notes.contains("the answer"), "{notes}");
}

#[test]
fn no_push_stops_before_pushing_and_a_later_execute_pushes() {
    let repo = released();
    let remote_before = repo.remote_refs();
    release(&repo, &["--no-push"]).success();
    assert_eq!(repo.remote_refs(), remote_before);
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "py-v0.3.1\nv0.5.0\n"
    );
    repo.xtask(&["release", "--execute"]).success();
    assert!(repo.remote_refs().contains("refs/tags/v0.5.0"));
}

#[test]
fn execute_needs_a_selection_and_a_first_release_keeps_its_version() {
    let repo = Repo::new("workspace");
    let stderr = repo.xtask(&["release", "--execute"]).failure();
    assert!(
        stderr.contains("choose what to release: --rust LEVEL, --py LEVEL"),
        "{stderr}"
    );
    let out = repo.xtask(&["release"]).success();
    assert!(
        out.starts_with("release demo-core 0.4.0 -> 0.4.0 (tag v0.4.0; first release of 0.4.0)"),
        "{out}"
    );
    repo.xtask(&[
        "release",
        "--rust",
        "0.4.0",
        "--execute",
        "--skip-preflight",
    ])
    .success();
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v0.4.0\n");
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"0.4.0\" # keep me")
    );
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "a documented first release tags HEAD as it is"
    );
    assert_eq!(repo.git(&["log", "--format=%s"]), "initial\n");
}

#[test]
fn the_pull_request_flow_pushes_a_branch_and_no_tag() {
    let repo = released();
    let run = repo.xtask(&[
        "release",
        "--rust",
        "minor",
        "--pr",
        "--execute",
        "--skip-preflight",
    ]);
    run.success();
    let stderr = run.stderr();
    assert!(stderr.contains("gh pr create --base main --head release/next --title \"chore(release): prepare v0.5.0\""), "{stderr}");
    assert_eq!(
        run.stdout(),
        "### Added\n\n- Something new.\n\n### API\n\n- demo-core: api: not checked (--skip-preflight); the level rests on the commits only\n",
        "the PR body is the new section, then the API verdict"
    );
    let remote = repo.remote_refs();
    assert!(remote.contains("refs/heads/release/next"), "{remote}");
    assert!(!remote.contains("refs/tags/v0.5.0"), "{remote}");
    assert_eq!(repo.git(&["branch", "--show-current"]), "main\n");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", "release/next"]),
        "chore(release): prepare v0.5.0\n"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("\"0.4.0\" # keep me"),
        "main is untouched"
    );
}

#[test]
fn rollback_deletes_a_release_tag_here_and_on_the_remote() {
    let repo = released();
    release(&repo, &[]).success();
    let dry = repo.xtask(&["rollback", "v0.5.0"]);
    assert_eq!(
        dry.success(),
        "$ git tag --delete v0.5.0\n$ git push origin :refs/tags/v0.5.0\nthen: cargo yank --version 0.5.0 demo-core\n"
    );
    assert!(repo.remote_refs().contains("refs/tags/v0.5.0"));
    repo.xtask(&["rollback", "v0.5.0", "--execute"]).success();
    assert!(!repo.remote_refs().contains("refs/tags/v0.5.0"));
    assert!(!repo.git(&["tag", "--list"]).contains("v0.5.0\n"));
    let stderr = repo.xtask(&["rollback", "release-1"]).failure();
    assert!(stderr.contains("`release-1` is not a tag of a configured series: the series are v{version} (demo-core), py-v{version} (demo-py)"), "{stderr}");
    let py = repo.xtask(&["rollback", "py-v0.3.1"]).success();
    assert!(
        py.contains("yank demo-py 0.3.1 on the Python index's web page"),
        "{py}"
    );
}

#[test]
fn the_real_rust_preflight_passes_on_a_clean_fixture() {
    let repo = Repo::new("workspace");
    let run = repo.xtask_env(
        &["preflight", "--rust"],
        &[(
            "CARGO_TARGET_DIR",
            repo.base.join("target").to_str().unwrap(),
        )],
    );
    run.success();
    let stderr = run.stderr();
    for step in [
        "fmt",
        "clippy",
        "test",
        "doc",
        "package",
        "git-clean",
        "git-sync",
        "git-tags",
        "versions",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(step) && l.contains(" ok ")),
            "{step} did not pass:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("skipped: cargo-audit not installed")
            || stderr.contains("audit          ok"),
        "{stderr}"
    );
}

#[test]
fn abort_of_a_first_release_deletes_only_the_tags() {
    let repo = Repo::new("workspace");
    let before = repo.state();
    repo.xtask(&[
        "release",
        "--rust",
        "0.4.0",
        "--execute",
        "--skip-preflight",
        "--no-push",
    ])
    .success();
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v0.4.0\n");
    let run = repo.xtask(&["release", "--abort"]);
    run.success();
    assert!(
        run.stderr()
            .contains("HEAD is not a release commit and stays"),
        "{}",
        run.stderr()
    );
    assert_same(&before, &repo.state());
}

#[test]
fn a_stray_tag_of_the_user_is_not_a_pending_release() {
    let repo = released();
    repo.git(&["tag", "v0.5.0"]);
    let run = repo.xtask(&["release"]);
    run.success();
    assert!(!run.stderr().contains("Pending"), "{}", run.stderr());
    let stderr = repo.xtask(&["release", "--abort"]).failure();
    assert!(stderr.contains("no pending release to abort"), "{stderr}");
    assert!(
        repo.git(&["tag", "--list"]).contains("v0.5.0\n"),
        "the user's tag stays"
    );
}

#[test]
fn a_hook_that_edits_a_file_keeps_its_edit_and_the_rest_is_restored() {
    let repo = released();
    let before = repo.state();
    let hook = repo.dir.join(".git/hooks/pre-commit");
    install_hook(
        &hook,
        "#!/bin/sh\necho '<!-- hook -->' >> CHANGELOG.md\nexit 1\n",
    );
    let stderr = release(&repo, &["--skip-preflight"]).failure();
    assert!(
        stderr.contains("CHANGELOG.md changed after the release wrote it and was left as it is"),
        "{stderr}"
    );
    let after = repo.state();
    for (key, value) in &before {
        if key != "file CHANGELOG.md" && key != "index" {
            assert_eq!(after.get(key), Some(value), "{key} was not restored");
        }
    }
    assert!(repo.read("CHANGELOG.md").ends_with("<!-- hook -->\n"));
}

#[test]
fn a_release_is_made_from_the_release_branch_even_without_preflight() {
    let repo = released();
    repo.git(&["switch", "-q", "-c", "topic"]);
    let before = repo.state();
    let stderr = release(&repo, &["--skip-preflight"]).failure();
    assert!(stderr.contains("releases are made from `main`, HEAD is on `topic`: run `git switch main`; nothing was changed"), "{stderr}");
    assert_same(&before, &repo.state());
}

#[test]
fn a_release_in_progress_is_shown_and_a_changed_tree_stops_the_resume() {
    let repo = released();
    let before = repo.state();
    // Killed after writing three of the files.
    let killed = repo.xtask_env(
        &[
            "release",
            "--rust",
            "minor",
            "--py",
            "patch",
            "--execute",
            "--skip-preflight",
        ],
        &[("XTASK_KILL_WRITE", "3")],
    );
    assert_eq!(killed.0.status.code(), None, "{}", killed.stderr());
    let note = "a release of demo-core 0.5.0, demo-py 0.3.1 is in progress (next step: write the files): `cargo xtask release --execute` finishes it, `cargo xtask release --abort` undoes it";
    // `versions` also reports the half-written fields (and exits 1).
    for args in [&["release"][..], &["versions"][..]] {
        let run = repo.xtask(args);
        assert!(run.stderr().contains(note), "{args:?}: {}", run.stderr());
    }
    // The user edits a file the release wrote, then tries to go on.
    let written = repo.read("Cargo.lock");
    repo.write("Cargo.lock", &format!("{written}# mine\n"));
    let stderr = repo
        .xtask(&["release", "--execute", "--skip-preflight"])
        .failure();
    assert!(
        stderr.contains("is in progress, but the repository is not as it left it: Cargo.lock changed since the release wrote it: undo the release with `cargo xtask release --abort` (your changes are kept)"),
        "{stderr}"
    );
    let stderr = repo.xtask(&["release", "--abort"]).failure();
    assert!(
        stderr.contains("Cargo.lock changed after the release wrote it and was left as it is"),
        "{stderr}"
    );
    assert_eq!(repo.read("Cargo.lock"), format!("{written}# mine\n"));
    let after = repo.state();
    for (key, value) in &before {
        if key != "file Cargo.lock" {
            assert_eq!(after.get(key), Some(value), "{key} was not restored");
        }
    }
    // Once the user drops that edit, the next release plans as before.
    repo.git(&["checkout", "--", "Cargo.lock"]);
    assert_same(&before, &repo.state());
    repo.xtask(&["release"]).success();
}

#[test]
fn a_maintenance_branch_compares_with_its_own_previous_release() {
    let repo = released();
    // main moves on to 0.5.0; a maintenance branch from v0.4.0 gets a fix.
    release(&repo, &[]).success();
    repo.git(&["switch", "-q", "-c", "maint-0.4", "v0.4.0"]);
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    41\n}\n",
        "fix: the old answer",
        "Ann <ann@example.com>",
    );
    let out = repo.xtask(&["release", "--rust", "auto"]).success();
    assert!(
        out.starts_with("release demo-core 0.4.0 -> 0.4.1 (tag v0.4.1; patch: "),
        "{out}"
    );
    let notes = repo.xtask(&["changelog", "generate", "rust"]).success();
    assert!(notes.contains("the old answer"), "{notes}");
    assert!(
        !notes.contains("the answer (#3)"),
        "main's fix is not in 0.4.x: {notes}"
    );
    // The comparison starts at the branch's own previous release, not main's newer one.
    let notes = repo
        .xtask(&["changelog", "generate", "rust", "--format", "whats-changed"])
        .success();
    assert!(notes.contains("/compare/v0.4.0...v0.4.1"), "{notes}");
}

#[test]
fn without_a_journal_a_release_commit_is_recognised_tagged_and_pushed() {
    let repo = released();
    let before = repo.state();
    // The release commit is made, then the journal is lost: no tag exists.
    release(&repo, &["--skip-preflight", "--no-push"]).success();
    repo.git(&["tag", "--delete", "v0.5.0", "py-v0.3.1"]);
    std::fs::remove_file(repo.dir.join(".git/xtask-release")).unwrap();
    let pending = repo.xtask(&["release"]);
    assert!(pending.success().is_empty());
    assert!(
        pending
            .stderr()
            .contains("Pending a release of demo-core 0.5.0, demo-py 0.3.1 is in progress (next step: tag v0.5.0)"),
        "{}",
        pending.stderr()
    );

    // --abort without a journal undoes the release commit it recognises.
    let copy = repo.duplicate();
    copy.xtask(&["release", "--abort"]).success();
    assert_same(&before, &copy.state());

    let run = repo.xtask(&["release", "--execute", "--skip-preflight"]);
    run.success();
    let remote = repo.remote_refs();
    let head = repo.git(&["rev-parse", "HEAD"]);
    for tag in ["v0.5.0", "py-v0.3.1"] {
        assert!(remote.contains(&format!("refs/tags/{tag}")), "{remote}");
        assert_eq!(repo.git(&["rev-list", "-n", "1", tag]), head);
    }
    assert_eq!(
        repo.git(&[
            "for-each-ref",
            "--format=%(contents:subject)",
            "refs/tags/py-v0.3.1"
        ]),
        "demo-py 0.3.1\n"
    );
    release(&repo, &["--skip-preflight"]).success();
}

#[test]
fn a_pre_release_is_spelled_in_semver_with_its_pypi_form_beside_it() {
    let repo = released();
    let plan = repo
        .xtask(&["release", "--rust", "minor", "--py", "0.4.0-beta.5"])
        .success();
    assert!(
        plan.contains(
            "release demo-py 0.3.0 -> 0.4.0-beta.5 (PyPI 0.4.0b5) (tag py-v0.4.0-beta.5; "
        ),
        "{plan}"
    );
    assert!(
        plan.contains("release: demo-core v0.5.0 + demo-py v0.4.0-beta.5"),
        "{plan}"
    );

    let mut args = vec![
        "release",
        "--rust",
        "minor",
        "--py",
        "0.4.0-beta.5",
        "--execute",
        "--no-push",
    ];
    args.extend(LIGHT);
    let run = repo.xtask(&args);
    run.success();
    let stderr = run.stderr();
    for line in [
        "Bumping demo-core 0.4.0 -> 0.5.0\n",
        "Bumping demo-py 0.3.0 -> 0.4.0-beta.5 (PyPI 0.4.0b5)\n",
    ] {
        assert!(stderr.contains(line), "expected `{line}` in\n{stderr}");
    }
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "release: demo-core v0.5.0 + demo-py v0.4.0-beta.5\n"
    );
    assert_eq!(
        repo.git(&[
            "tag",
            "-l",
            "--format=%(contents:subject)",
            "py-v0.4.0-beta.5"
        ]),
        "demo-py 0.4.0-beta.5\n"
    );
    assert!(
        repo.read("demo-py/Cargo.toml")
            .contains("version = \"0.4.0-beta.5\"")
    );
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.4.0b5\"")
    );
}

#[test]
fn without_a_journal_a_tag_already_at_head_is_not_the_next_step() {
    let repo = released();
    let before = repo.state();
    // `--no-push` made the commit and the tags; one tag is gone, and the
    // journal is lost.
    release(&repo, &["--skip-preflight", "--no-push"]).success();
    repo.git(&["tag", "--delete", "py-v0.3.1"]);
    std::fs::remove_file(repo.dir.join(".git/xtask-release")).unwrap();
    let pending = repo.xtask(&["release"]);
    let stderr = pending.stderr();
    assert!(
        stderr.contains("is in progress (next step: tag py-v0.3.1)"),
        "{stderr}"
    );
    assert!(!stderr.contains("next step: tag v0.5.0"), "{stderr}");

    // Undone, the tags it made go too.
    let copy = repo.duplicate();
    copy.xtask(&["release", "--abort"]).success();
    assert_same(&before, &copy.state());

    repo.xtask(&["release", "--execute", "--skip-preflight"])
        .success();
    let remote = repo.remote_refs();
    assert!(
        remote.contains("refs/tags/v0.5.0") && remote.contains("refs/tags/py-v0.3.1"),
        "{remote}"
    );
}

#[test]
fn a_version_prepared_in_the_manifest_after_earlier_tags_is_released_as_it_is() {
    let repo = Repo::new("workspace");
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.xtask(&["bump", "--rust", "1.0.0"]).success();
    repo.git(&["commit", "-qam", "feat!: prepare 1.0.0"]);
    repo.git(&["push", "-q", "origin", "main", "v0.4.0"]);

    let plan = repo.xtask(&["release"]).success();
    assert!(
        plan.contains("release demo-core 1.0.0 -> 1.0.0 (tag v1.0.0; first release of 1.0.0; since v0.4.0, 1 commit(s))"),
        "{plan}"
    );
    let plan = repo.xtask(&["release", "--rust", "1.0.0"]).success();
    assert!(plan.contains("+## [1.0.0] - "), "{plan}");
    let mut args = vec!["release", "--rust", "1.0.0", "--execute"];
    args.extend(&LIGHT[..LIGHT_RUST]);
    repo.xtask(&args).success();
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v1.0.0\n");
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"1.0.0\" # keep me")
    );
}
