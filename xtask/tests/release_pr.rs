//! The release pull request that stays current: one branch (`release/next`)
//! rebuilt from main at every run, replaced with a lease, never over a
//! person's commit, closed when nothing is left to release, and undone by
//! `--abort` back to the tip it replaced. gh is not installed here: the
//! printed `gh pr …` commands are checked.

mod common;

use common::{Repo, assert_same, install_hook};

const PR: [&str; 4] = ["release", "--pr", "--execute", "--skip-preflight"];
const BRANCH: &str = "refs/heads/release/next";

/// Where `BRANCH` is on origin, if it is there.
fn origin_tip(repo: &Repo) -> Option<String> {
    repo.remote_refs().lines().find_map(|line| {
        let (sha, name) = line.split_once(' ')?;
        (name == BRANCH).then(|| sha.to_string())
    })
}

/// The release PR opened: both packages, as their commits call for.
fn opened() -> (Repo, String) {
    let repo = Repo::released();
    let run = repo.xtask(&PR);
    run.success();
    assert!(
        run.stderr().contains("gh pr create --base main --head release/next --title \"chore(release): prepare demo-core v0.4.1 + demo-py v0.3.1\""),
        "{}",
        run.stderr()
    );
    let tip = origin_tip(&repo).expect("the branch is on origin");
    (repo, tip)
}

/// A `feat:` lands on main, with its changelog entry.
fn feature_lands(repo: &Repo) {
    repo.replace(
        "CHANGELOG.md",
        "- Something new.\n",
        "- Something new.\n- Streaming.\n",
    );
    repo.commit(
        "demo-core/src/stream.rs",
        "pub fn stream() {}\n",
        "feat: streaming (#7)",
        "Bo <bo@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);
}

#[test]
fn a_rerun_rebuilds_the_same_branch_from_the_new_main_with_a_lease() {
    let (repo, old) = opened();
    feature_lands(&repo);
    let main = repo.git(&["rev-parse", "HEAD"]).trim().to_string();

    // The dry run says what --execute will do.
    let dry = repo.xtask(&["release", "--pr"]);
    let plan = dry.success();
    assert!(
        plan.contains(&format!(
            "$ git push --force-with-lease=release/next:{old} --set-upstream origin release/next\n"
        )),
        "{plan}"
    );
    assert!(
        plan.contains("$ gh pr edit release/next --title \"chore(release): prepare demo-core v0.5.0 + demo-py v0.4.0\""),
        "{plan}"
    );

    let run = repo.xtask(&PR);
    let body = run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!(
            "git push --force-with-lease=release/next:{old} --set-upstream origin release/next"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("gh is not installed; update the pull request with: gh pr edit release/next --title \"chore(release): prepare demo-core v0.5.0 + demo-py v0.4.0\" --body-file <the new changelog section>"),
        "{stderr}"
    );
    assert!(
        body.contains("## demo-core 0.5.0") && body.contains("- Streaming."),
        "{body}"
    );

    // One release commit on top of the new main, replacing the old one.
    let new = origin_tip(&repo).unwrap();
    assert_ne!(new, old);
    repo.git(&["fetch", "-q", "origin"]);
    assert_eq!(
        repo.git(&["log", "--format=%s", "main..origin/release/next"]),
        "chore(release): prepare demo-core v0.5.0 + demo-py v0.4.0\n"
    );
    assert_eq!(
        repo.git(&["rev-parse", "origin/release/next~1"]).trim(),
        main
    );
    let manifest = repo.git(&["show", "origin/release/next:demo-core/Cargo.toml"]);
    assert!(manifest.contains("version = \"0.5.0\""), "{manifest}");
    let changelog = repo.git(&["show", "origin/release/next:CHANGELOG.md"]);
    assert!(
        changelog.contains("## [0.5.0] - ")
            && changelog.contains("- Something new.\n- Streaming.\n")
            && !changelog.contains("0.4.1"),
        "{changelog}"
    );
    // Main is untouched; the local branch follows origin's.
    assert_eq!(repo.git(&["branch", "--show-current"]), "main\n");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]).trim(), main);
    assert_eq!(repo.git(&["rev-parse", "release/next"]).trim(), new);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_persons_commit_on_the_branch_is_never_overwritten() {
    let (repo, _) = opened();
    repo.git(&["switch", "-q", "release/next"]);
    repo.replace(
        "CHANGELOG.md",
        "- Something new.",
        "- Something new, and better.",
    );
    repo.git(&["commit", "-q", "-am", "docs: fix the release notes"]);
    let theirs = repo
        .git(&["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_string();
    repo.git(&["push", "-q", "origin", "release/next"]);
    repo.git(&["switch", "-q", "main"]);
    feature_lands(&repo);
    let before = repo.state();
    let tip = origin_tip(&repo);
    let stderr = repo.xtask(&PR).failure();
    assert!(
        stderr.contains(&format!(
            "origin's release/next holds commits that are not the release commit this tool made ({theirs} docs: fix the release notes): it is never overwritten: merge its pull request as it is, or move the edit to main and delete the branch (`git push origin :refs/heads/release/next`), then rerun; nothing was changed"
        )),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
    assert_eq!(origin_tip(&repo), tip, "the branch on origin is untouched");
    // The dry run warns the same way.
    let dry = repo.xtask(&["release", "--pr"]);
    dry.success();
    assert!(
        dry.stderr()
            .contains("--execute will refuse: origin's release/next holds commits"),
        "{}",
        dry.stderr()
    );
}

#[test]
fn nothing_left_to_release_closes_the_pull_request_and_deletes_the_branch() {
    let (repo, _) = opened();
    // Merged (fast-forward) and tagged, as release.yml does.
    repo.git(&["merge", "-q", "--ff-only", "release/next"]);
    repo.git(&["tag", "-a", "v0.4.1", "-m", "demo-core 0.4.1"]);
    repo.git(&["tag", "-a", "py-v0.3.1", "-m", "demo-py 0.3.1"]);
    repo.git(&["push", "-q", "origin", "main", "v0.4.1", "py-v0.3.1"]);
    let dry = repo.xtask(&["release", "--pr"]);
    dry.success();
    assert!(
        dry.stderr()
            .contains("closes the pull request of release/next and deletes the branch"),
        "{}",
        dry.stderr()
    );
    assert!(origin_tip(&repo).is_some());
    let run = repo.xtask(&PR);
    run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains("gh is not installed: close the pull request of release/next with: gh pr close release/next --comment \"Nothing is left to release: closed by cargo xtask release\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("Deleted release/next on origin (it was the release commit"),
        "{stderr}"
    );
    assert_eq!(origin_tip(&repo), None);
    assert_eq!(repo.git(&["branch", "--list", "release/next"]), "");
    // Said again, nothing to do.
    let again = repo.xtask(&PR);
    again.success();
    assert!(
        again.stderr().contains("nothing to release"),
        "{}",
        again.stderr()
    );
}

#[test]
fn an_abort_after_the_force_push_puts_the_branch_back_where_it_was() {
    let (repo, old) = opened();
    feature_lands(&repo);
    let before = repo.state();
    // Switching back to main fails after the push (post-checkout's status
    // is the switch's): the release is pushed and stays pending.
    let hook = repo.dir.join(".git/hooks/post-checkout");
    install_hook(
        &hook,
        "#!/bin/sh\n[ \"$(git branch --show-current)\" = main ] && exit 1\nexit 0\n",
    );
    repo.xtask(&PR).failure();
    std::fs::remove_file(&hook).unwrap();
    let pushed = origin_tip(&repo).unwrap();
    assert_ne!(pushed, old, "the release was force-pushed");

    let abort = repo.xtask(&["release", "--abort"]);
    abort.success();
    assert!(
        abort.stderr().contains(&format!(
            "Restored release/next on origin to {} (its tip before the release; it was the release commit {})",
            &old[..7],
            &pushed[..7]
        )),
        "{}",
        abort.stderr()
    );
    assert_eq!(origin_tip(&repo).as_deref(), Some(old.as_str()));
    assert_eq!(repo.git(&["rev-parse", "release/next"]).trim(), old);
    assert_same(&before, &repo.state());
}

#[test]
fn a_merged_release_waiting_for_its_tags_is_no_new_release() {
    let (repo, _) = opened();
    // Squash-merged; release.yml has not tagged it yet when a fix lands.
    repo.git(&["merge", "-q", "--squash", "release/next"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "chore(release): prepare demo-core v0.4.1 + demo-py v0.3.1 (#8)",
    ]);
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    44\n}\n",
        "fix: the answer again",
        "Ann <ann@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);
    let run = repo.xtask(&PR);
    let plan = run.success();
    assert!(
        plan.contains("unchanged demo-core: 0.4.1 is merged (")
            && plan.contains(
                "chore(release): prepare demo-core v0.4.1 + demo-py v0.3.1 (#8)) and waits for its tag v0.4.1, which CI makes (release.yml)"
            ),
        "{plan}"
    );
    assert!(
        plan.contains("unchanged demo-py: 0.3.1 is merged ("),
        "{plan}"
    );
    assert_eq!(origin_tip(&repo), None, "the merged PR's branch is deleted");
    assert!(
        !repo.git(&["tag", "--list"]).contains("v0.4.1"),
        "CI makes the tags"
    );
}

#[test]
fn with_mode_pr_the_workflow_rebuilds_on_a_push_but_never_on_the_release_commit() {
    let repo = Repo::released();
    let update = || repo.xtask(&["gh", "release-pr"]).success();
    assert_eq!(
        update(),
        "update=false\n",
        "mode tag: the workflow does nothing"
    );
    repo.replace(
        "Cargo.toml",
        "branch = \"main\"\n",
        "branch = \"main\"\nmode = \"pr\"\n",
    );
    repo.git(&["commit", "-q", "-am", "chore: the release PR flow"]);
    repo.git(&["push", "-q", "origin", "main"]);
    assert_eq!(update(), "update=true\n");
    // The command the workflow runs: mode pr needs no --pr.
    repo.xtask(&["release", "--execute", "--skip-preflight"])
        .success();
    assert!(origin_tip(&repo).is_some());
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #9 from o/release/next",
        "release/next",
    ]);
    let run = repo.xtask(&["gh", "release-pr"]);
    assert_eq!(run.success(), "update=false\n");
    assert!(
        run.stderr()
            .contains("HEAD is a release commit (chore(release): prepare"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_lease_refuses_a_branch_someone_pushed_to_while_the_release_ran() {
    let (repo, old) = opened();
    feature_lands(&repo);
    // Someone pushes to the branch after the release looked at it, just
    // before its push (a pre-push hook here pushes first, without hooks).
    let hook = repo.dir.join(".git/hooks/pre-push");
    install_hook(
        &hook,
        "#!/bin/sh\ngit push -q --no-verify --force origin main~1:refs/heads/release/next\nexit 0\n",
    );
    let stderr = repo.xtask(&PR).failure();
    std::fs::remove_file(&hook).unwrap();
    let theirs = repo.git(&["rev-parse", "main~1"]).trim().to_string();
    assert_eq!(origin_tip(&repo), Some(theirs), "their push stays");
    assert!(
        stderr.contains(&format!(
            "(origin's release/next was at {} when the release was planned; if someone pushed to it since, the lease refused to overwrite it: rerun to look again)",
            &old[..7]
        )) && stderr.contains(
            "; the release was undone: the files, HEAD and the branches are as they were"
        ),
        "{stderr}"
    );
    // Nothing left this clone: the local branch is back at its old tip too.
    assert_eq!(repo.git(&["rev-parse", "release/next"]).trim(), old);
    assert_eq!(repo.git(&["branch", "--show-current"]), "main\n");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_rerun_with_nothing_new_leaves_the_branch_alone_and_says_it_is_current() {
    let (repo, tip) = opened();
    let before = repo.state();
    // The dry run says so, and that --execute only refreshes the PR's text.
    let dry = repo.xtask(&["release", "--pr"]);
    dry.success();
    assert!(
        dry.stderr().contains(&format!(
            "Current the release PR is current: origin's release/next is this release's commit {} on main's HEAD; --execute only refreshes its title and body",
            &tip[..7]
        )),
        "{}",
        dry.stderr()
    );
    assert!(
        !dry.stdout().contains("--force-with-lease"),
        "{}",
        dry.stdout()
    );

    let run = repo.xtask(&PR);
    let body = run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!(
            "Current the release PR is current: origin's release/next is this release's commit {}",
            &tip[..7]
        )),
        "{stderr}"
    );
    for not in ["Pushing", "Committing", "Branching"] {
        assert!(!stderr.contains(not), "no `{not}` in\n{stderr}");
    }
    assert!(
        stderr.contains("gh is not installed; update the pull request with: gh pr edit release/next --title \"chore(release): prepare demo-core v0.4.1 + demo-py v0.3.1\""),
        "{stderr}"
    );
    assert!(body.contains("## demo-core 0.4.1"), "{body}");
    assert_eq!(origin_tip(&repo), Some(tip));
    assert_same(&before, &repo.state());
}
