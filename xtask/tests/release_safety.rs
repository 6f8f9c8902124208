//! What a release must never do outside its own run: sweep uncommitted
//! edits into the release, plan from a shallow clone, need the network to
//! undo what never left this clone, fight a colleague's release on origin.

mod common;

use common::{RELEASE, Repo, assert_same, install_hook};

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = RELEASE.to_vec();
    args.extend(extra);
    args
}

#[test]
fn uncommitted_edits_in_a_file_the_release_writes_stop_it_in_both_flows() {
    let repo = Repo::released();
    let mine = format!("{}- my uncommitted line\n", repo.read("CHANGELOG.md"));
    repo.write("CHANGELOG.md", &mine);
    let before = repo.state();
    let expected = "CHANGELOG.md has uncommitted changes the release would sweep in: commit or stash them (git stash)";
    for args in [
        with(&[]),
        with(&["--pr"]),
        with(&["--skip", "git-clean"]),
        with(&["--no-push"]),
    ] {
        let stderr = repo.xtask(&args).failure();
        assert!(stderr.contains(expected), "{args:?}\n{stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert_same(&before, &repo.state());
        assert_eq!(repo.read("CHANGELOG.md"), mine, "the user's edit stays");
        assert!(!repo.dir.join(".git/xtask-release").exists());
    }
    // The dry run says the same, and plans.
    let dry = repo.xtask(&["release", "--rust", "minor", "--py", "patch"]);
    dry.success();
    assert!(
        dry.stderr().contains(&format!("warning {expected}")),
        "{}",
        dry.stderr()
    );
    assert_same(&before, &repo.state());

    // Staged (the index differs from HEAD) is the same; so is an edit of
    // a file the release does not write, which stays out of it.
    repo.git(&["checkout", "--", "CHANGELOG.md"]);
    let staged = format!("{}- staged\n", repo.read("demo-py/CHANGELOG.md"));
    repo.write("demo-py/CHANGELOG.md", &staged);
    repo.git(&["add", "demo-py/CHANGELOG.md"]);
    let before = repo.state();
    let stderr = repo.xtask(&RELEASE).failure();
    assert!(
        stderr.contains("demo-py/CHANGELOG.md has uncommitted changes the release would sweep in"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
    repo.git(&["reset", "-q", "--", "demo-py/CHANGELOG.md"]);
    repo.git(&["checkout", "--", "demo-py/CHANGELOG.md"]);
    let unrelated = "pub fn answer() -> u32 {\n    44 // not released\n}\n";
    repo.write("demo-core/src/lib.rs", unrelated);
    repo.xtask(&with(&["--skip", "git-clean"])).success();
    assert_eq!(repo.read("demo-core/src/lib.rs"), unrelated);
    assert_eq!(
        repo.git(&["show", "HEAD:demo-core/src/lib.rs"]),
        "pub fn answer() -> u32 {\n    43\n}\n"
    );
}

#[test]
fn a_shallow_clone_is_warned_in_the_dry_run_and_refused_by_execute() {
    let repo = Repo::released();
    let base = repo.base.join("depth-1");
    std::fs::create_dir_all(base.join("home")).unwrap();
    let url = format!("file://{}", repo.origin.display());
    let work = base.join("work");
    repo.git(&["clone", "-q", "--depth", "1", &url, work.to_str().unwrap()]);
    let clone = Repo {
        base,
        dir: work,
        origin: repo.origin.clone(),
    };
    assert_eq!(
        clone.git(&["rev-parse", "--is-shallow-repository"]),
        "true\n"
    );
    let before = clone.state();
    let warning = "this clone is shallow: its history and tags are incomplete, so the versions and notes proposed may be wrong: run `git fetch --unshallow --tags`";
    let dry = clone.xtask(&["release"]);
    dry.success();
    assert!(dry.stderr().contains(warning), "{}", dry.stderr());
    let stderr = clone.xtask(&RELEASE).failure();
    assert!(
        stderr.contains("this clone is shallow: its history and tags are incomplete: run `git fetch --unshallow --tags`, then plan again; nothing was changed"),
        "{stderr}"
    );
    assert_same(&before, &clone.state());

    clone.git(&["fetch", "-q", "--unshallow", "--tags"]);
    let dry = clone.xtask(&["release"]);
    let out = dry.success();
    assert!(
        !dry.stderr().contains("clone is shallow"),
        "{}",
        dry.stderr()
    );
    assert!(
        out.starts_with("release demo-core 0.4.0 -> 0.4.1 (tag v0.4.1; patch: "),
        "{out}"
    );
}

fn journal(repo: &Repo) -> String {
    std::fs::read_to_string(repo.dir.join(".git/xtask-release")).unwrap()
}

#[test]
fn a_tag_a_colleague_pushed_meanwhile_is_named_undone_here_and_never_deleted() {
    let repo = Repo::released();
    let before = repo.state();
    let start = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // A colleague releases 0.5.0 from the same commit while we push.
    let hook = repo.dir.join(".git/hooks/pre-push");
    install_hook(
        &hook,
        &format!(
            "#!/bin/sh\ngit --git-dir='{}' tag v0.5.0 {start}\nexit 0\n",
            repo.origin.display()
        ),
    );
    let stderr = repo.xtask(&RELEASE).failure();
    std::fs::remove_file(&hook).unwrap();
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let expected = format!(
        "origin has v0.5.0 at {} (not the release commit {}): someone released 0.5.0; undo yours with `cargo xtask release --abort` and plan again",
        &start[..7],
        &head[..7]
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        journal(&repo).contains("push-attempted\tno\n"),
        "the journal says the push did not happen"
    );
    let theirs = format!("{start} refs/tags/v0.5.0\n");
    assert_eq!(
        repo.remote_refs(),
        format!("{}{theirs}", before["remote"]),
        "origin: main unmoved, only the colleague's tag added"
    );

    // Rollback deletes ours here, never theirs on origin.
    let dry = repo.xtask(&["rollback", "v0.5.0"]);
    let out = dry.success();
    assert!(out.contains("$ git tag --delete v0.5.0\n"), "{out}");
    assert!(!out.contains(":refs/tags/v0.5.0"), "{out}");
    assert!(
        dry.stderr().contains(&format!(
            "origin has v0.5.0 at {} (not {}, the commit it tags here): someone else released it; it is left alone on origin",
            &start[..7],
            &head[..7]
        )),
        "{}",
        dry.stderr()
    );

    // --abort restores the start; origin keeps the colleague's tag.
    repo.xtask(&["release", "--abort"]).success();
    let mut after = repo.state();
    assert!(after["remote"].contains(&theirs));
    after.insert("remote".into(), before["remote"].clone());
    assert_same(&before, &after);
}

#[test]
fn a_branch_that_moved_on_origin_says_so_and_abort_restores() {
    let repo = Repo::released();
    // Someone pushed to main: this clone has not fetched it.
    repo.git(&["switch", "-q", "-c", "side"]);
    repo.commit("OTHER.md", "x\n", "docs: other", "Ann <ann@example.com>");
    repo.git(&["push", "-q", "origin", "side:main"]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "side"]);
    let before = repo.state();
    let stderr = repo.xtask(&RELEASE).failure();
    assert!(
        stderr.contains(
            "origin/main moved: undo with `cargo xtask release --abort`, pull, and plan again"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("rerun `cargo xtask release --execute` to push them"),
        "{stderr}"
    );
    assert_eq!(repo.remote_refs(), before["remote"]);
    repo.xtask(&["release", "--abort"]).success();
    assert_same(&before, &repo.state());
}

/// Runs the xtask with a time limit: a command that hangs is a failure.
fn xtask_within(repo: &Repo, args: &[&str], secs: u64) -> common::Run {
    use std::process::Stdio;
    let mut child = repo
        .command(&[], args, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(secs) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{args:?} hung for {secs}s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    common::Run(child.wait_with_output().unwrap())
}

#[test]
fn a_fifo_in_place_of_a_changelog_is_refused_without_hanging() {
    let repo = Repo::released();
    std::fs::remove_file(repo.dir.join("CHANGELOG.md")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(repo.dir.join("CHANGELOG.md"))
        .status()
        .unwrap();
    assert!(made.success());
    for args in [
        &["changelog", "lint"][..],
        &["release"][..],
        &["versions"][..],
    ] {
        let stderr = xtask_within(&repo, args, 60).failure();
        assert!(
            stderr.contains("CHANGELOG.md is not a regular file (a FIFO, a socket, a device or a folder): put the file's text there"),
            "{args:?}\n{stderr}"
        );
    }
}

#[test]
fn a_release_from_another_branch_is_announced_by_the_dry_run_and_refused_in_both_flows() {
    let repo = Repo::released();
    repo.git(&["switch", "-q", "-c", "topic"]);
    let warning = "warning HEAD is on `topic`, not on `main`, the release branch: --execute will refuse; run `git switch main` first";
    let dry = repo.xtask(&["release", "--rust", "minor"]);
    dry.success();
    assert!(dry.stderr().contains(warning), "{}", dry.stderr());
    let dry = repo.xtask(&["release", "--rust", "minor", "--pr"]);
    assert!(dry.stderr().contains(warning), "{}", dry.stderr());
    let before = repo.state();
    for extra in [&[][..], &["--pr"][..]] {
        let mut args = RELEASE.to_vec();
        args.extend(extra);
        let stderr = repo.xtask(&args).failure();
        assert!(
            stderr.contains("releases are made from `main`, HEAD is on `topic`: run `git switch main`; nothing was changed"),
            "{args:?}\n{stderr}"
        );
        assert_same(&before, &repo.state());
    }

    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&["switch", "-q", "--detach", head.trim()]);
    let dry = repo.xtask(&["release", "--rust", "minor"]);
    assert!(
        dry.stderr().contains("warning HEAD is detached, not on `main`, the release branch: --execute will refuse; run `git switch main` first"),
        "{}",
        dry.stderr()
    );
}

#[test]
fn one_skip_list_serves_every_package_and_a_name_of_no_step_is_refused() {
    let repo = Repo::released();
    // `--skip fmt` (a crate check) with only the Python package selected.
    let mut args = vec!["release", "--py", "patch", "--execute"];
    args.extend(common::LIGHT);
    let run = repo.xtask(&args);
    run.success();
    assert!(
        run.stderr().contains("Released py-v0.3.1"),
        "{}",
        run.stderr()
    );
    let stderr = repo
        .xtask(&["preflight", "--py", "--skip", "fmtt"])
        .failure();
    assert!(
        stderr.contains("unknown step `fmtt` in --skip: the steps are git-branch, git-clean, git-sync, git-tags, git-signing, versions, fmt, "),
        "{stderr}"
    );
}

#[test]
fn abort_says_what_it_did_from_what_the_repository_shows() {
    let repo = Repo::released();
    let start = repo.state();
    let from = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    // Killed during pre-commit: the orphaned `git commit` completes.
    let hook = repo.dir.join(".git/hooks/pre-commit");
    install_hook(
        &hook,
        "#!/bin/sh\nkill -9 \"$(cut -d' ' -f4 /proc/$PPID/stat)\"\nexit 0\n",
    );
    let killed = repo.xtask(&RELEASE);
    std::fs::remove_file(&hook).unwrap();
    assert_eq!(killed.0.status.code(), None, "{}", killed.stderr());
    let made = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_ne!(made, from, "the orphaned commit completed");
    let run = repo.xtask(&["release", "--abort"]);
    run.success();
    assert!(
        run.stderr().contains(&format!(
            "Aborted the release commit is undone (HEAD reset from {} to {}); the files, the index and the tags are as they were",
            &made[..7],
            &from[..7]
        )),
        "{}",
        run.stderr()
    );
    assert_same(&start, &repo.state());

    // Stopped before the push: the tags it made are named.
    let mut stopped = RELEASE.to_vec();
    stopped.push("--no-push");
    repo.xtask(&stopped).success();
    let run = repo.xtask(&["release", "--abort"]);
    assert!(
        run.success().is_empty()
            && run
                .stderr()
                .contains("; deleted the tags py-v0.3.1, v0.5.0 here"),
        "{}",
        run.stderr()
    );
    assert_same(&start, &repo.state());
}

#[test]
fn a_rolled_back_release_is_not_pending_again() {
    let repo = Repo::released();
    repo.xtask(&RELEASE).success();
    for tag in ["v0.5.0", "py-v0.3.1"] {
        repo.xtask(&["rollback", tag, "--execute"]).success();
    }
    let before = repo.state();
    assert!(!before["remote"].contains("refs/tags/v0.5.0"));
    // Planned afresh (here it stops at the empty changelog section), never
    // taken for a release in progress.
    let dry = repo.xtask(&["release"]);
    assert!(!dry.stderr().contains("Pending"), "{}", dry.stderr());
    assert!(!dry.stderr().contains("in progress"), "{}", dry.stderr());
    let stderr = repo.xtask(&["release", "--abort"]).failure();
    assert!(stderr.contains("no pending release to abort"), "{stderr}");
    let stderr = repo
        .xtask(&["release", "--execute", "--skip-preflight"])
        .failure();
    assert!(stderr.contains("choose what to release"), "{stderr}");
    assert_same(&before, &repo.state());
}
