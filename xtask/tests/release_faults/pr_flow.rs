//! The release-PR flow's rows of the fault matrix: `release --pr
//! --execute` with a fault at each of its actions — the branch (`git
//! switch`), the writes, `git add`, `git commit`, the push, the switch
//! back, the pull request (`gh`) — each failing, or the xtask killed before
//! or after it. Two starts: origin without `release/next` (the PR opened),
//! and with a previous release's branch while main moved on since (the PR
//! rebuilt: the branch reset, the push with a lease). After each fault
//! `--abort` gives back the start exactly (files, index, HEAD, branch, the
//! local branches, origin's refs: `release/next` absent or at its previous
//! tip), and, from a copy of the same state, a re-run completes it: one
//! release commit on top of main on origin's `release/next`, the user back
//! on main with their edits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::common::{RELEASE, Repo, assert_same, install_hook};
use super::{
    Case, Fault, Outcome, USER_EDIT, after_fault, case, journal, no_stray_files, print_matrix,
    resumed_copy, row_start, run_args_with, user_edits_survive,
};

const SUBJECT: &str = "chore(release): prepare demo-core v0.5.0 + demo-py v0.3.1\n";
const BRANCH: &str = "refs/heads/release/next";

fn pr_args() -> Vec<&'static str> {
    let mut args = RELEASE.to_vec();
    args.push("--pr");
    args
}

/// A `gh` first on PATH, installed and signed in, with no pull request
/// open: `pr create` (or `pr edit`) fails, or kills its caller (the xtask)
/// before or after it "opens" the pull request.
pub fn install_gh(base: &Path, mode: &str) -> PathBuf {
    let bin = base.join("gh-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        r#"#!/bin/sh
case "$*" in
--version) echo "gh version 2.0.0"; exit 0 ;;
"auth status") exit 0 ;;
"pr list"*) exit 0 ;;
"pr create"*|"pr edit"*)
  case "{mode}" in
  fail) echo "injected gh failure" >&2; exit 1 ;;
  kill-before) kill -9 "$PPID"; exit 1 ;;
  kill-after) echo "https://example.com/pull/1"; kill -9 "$PPID"; exit 0 ;;
  esac
  echo "https://example.com/pull/1"; exit 0 ;;
esac
echo "fake gh: unexpected $*" >&2
exit 1
"#
    );
    install_hook(&bin.join("gh"), &script);
    bin
}

/// Where the release starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// origin has no `release/next`: the PR is opened.
    Open,
    /// origin and this clone have a previous release's `release/next`, and
    /// main moved on since: the branch is reset and pushed with a lease.
    Rebuilt,
    /// As `Open`, with a change file on main that the release deletes on
    /// its branch (main keeps it until the pull request is merged).
    ChangeFile,
    /// As `Open`, with `next-dev = "minor"`: a second commit on the branch.
    NextDev,
}

fn start_repo(start: Start) -> Repo {
    let repo = Repo::released();
    if start == Start::Rebuilt {
        repo.xtask(&pr_args()).success();
        repo.commit(
            "NOTES.md",
            "A note.\n",
            "docs: a note",
            "Ann <ann@example.com>",
        );
        repo.git(&["push", "-q", "origin", "main"]);
    }
    if start == Start::NextDev {
        repo.with_next_dev();
    }
    if start == Start::ChangeFile {
        repo.commit(
            super::CHANGE_FILE,
            "---\ndemo-core: minor\ndemo-py: fixed\n---\n\nStreaming responses.\n",
            "docs: a change file",
            "Ann <ann@example.com>",
        );
        repo.git(&["push", "-q", "origin", "main"]);
    }
    repo.write("demo-core/src/lib.rs", USER_EDIT);
    repo
}

/// `Repo::state` and the local branches.
fn pr_state(repo: &Repo) -> BTreeMap<String, String> {
    let mut state = repo.state();
    let format = "--format=%(objectname) %(refname)";
    state.insert(
        "branches".into(),
        repo.git(&["for-each-ref", format, "refs/heads"]),
    );
    state
}

/// origin's refs but `release/next`.
fn other_refs(remote: &str) -> Vec<&str> {
    remote.lines().filter(|l| !l.ends_with(BRANCH)).collect()
}

/// The release PR's branch is complete: on origin, one release commit on
/// top of main (with `next_dev`, and the second commit on top of it); the
/// user back on main as they were.
#[track_caller]
fn pr_complete(repo: &Repo, start: &BTreeMap<String, String>, name: &str, next_dev: bool) {
    let remote = repo.remote_refs();
    let tip = remote
        .lines()
        .find(|l| l.ends_with(BRANCH))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("{name}: release/next is not on origin\n{remote}"));
    let tip = match next_dev {
        true => {
            assert_eq!(
                repo.git(&["log", "-1", "--format=%s", tip]),
                format!("{}\n", super::NEXT_DEV_SUBJECT),
                "{name}"
            );
            format!("{tip}~1")
        }
        false => tip.to_string(),
    };
    let tip = tip.as_str();
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", tip]),
        SUBJECT,
        "{name}"
    );
    assert_eq!(
        repo.git(&["rev-parse", &format!("{tip}~1")]),
        start["HEAD"],
        "{name}: not one commit on top of main"
    );
    assert_eq!(other_refs(&remote), other_refs(&start["remote"]), "{name}");
    let mut now = pr_state(repo);
    let mut want = start.clone();
    for state in [&mut now, &mut want] {
        state.remove("remote");
        state.remove("branches");
    }
    assert_same(&want, &now);
    assert!(!journal(repo).exists(), "{name}: the journal stays");
}

fn faults(label: &str, fault: impl Fn(&'static str) -> Fault, expect: [Outcome; 3]) -> Vec<Case> {
    ["fail", "kill-before", "kill-after"]
        .into_iter()
        .zip(expect)
        .map(|(mode, expect)| {
            let what = match mode {
                "fail" => "fails",
                "kill-before" => "kill before",
                _ => "kill after",
            };
            case(format!("{label}: {what}"), fault(mode), expect)
        })
        .collect()
}

fn git(call: &'static str, n: u32) -> impl Fn(&'static str) -> Fault {
    move |mode| Fault::Git { call, n, mode }
}

/// The actions before the push: nothing left this clone.
fn before_the_push() -> Vec<Case> {
    use Outcome::{Pending, Restored};
    let mut cases = faults(
        "branch (switch)",
        git("switch", 1),
        [Restored, Pending, Pending],
    );
    cases.push(case(
        "write 1st: fails",
        Fault::Env("XTASK_FAIL_WRITE", "0"),
        Restored,
    ));
    cases.push(case(
        "write 1st: kill before",
        Fault::Env("XTASK_KILL_WRITE", "0"),
        Pending,
    ));
    cases.push(case(
        "write 7th: kill before",
        Fault::Env("XTASK_KILL_WRITE", "6"),
        Pending,
    ));
    cases.extend(faults(
        "git add",
        git("add", 1),
        [Restored, Pending, Pending],
    ));
    cases.extend(faults(
        "git commit",
        git("commit", 1),
        [Restored, Pending, Pending],
    ));
    cases
}

/// The push and what follows it.
fn from_the_push() -> Vec<Case> {
    use Outcome::{Pending, Pushed, Restored};
    let mut cases = faults("git push", git("push", 1), [Restored, Pending, Pushed]);
    cases.extend(faults("switch back", git("switch", 2), [Pushed; 3]));
    cases.extend(faults("pull request", Fault::Gh, [Pushed; 3]));
    cases
}

/// Runs one case and returns its matrix row.
fn run_pr_case(case: &Case, start: Start, template: &Repo) -> String {
    let name = format!("{start:?}: {}", case.name);
    let name = name.as_str();
    let repo = template.duplicate();
    let before = pr_state(&repo);
    let run = run_args_with(&repo, &pr_args(), &case.fault);
    let killed = after_fault(&repo, name, &run, case.expect);
    let got = if pr_state(&repo) == before && !journal(&repo).exists() {
        Outcome::Restored
    } else if repo.remote_refs() != before["remote"] {
        Outcome::Pushed
    } else {
        Outcome::Pending
    };
    let mut row = row_start((name, &case.name), killed, got, case.expect, &run);
    if got == Outcome::Restored {
        row.push_str(" -                  -");
        return row;
    }

    // The same state, twice: one copy resumed, the other aborted.
    let copy = resumed_copy(&repo, name);
    pr_complete(&copy, &before, name, start == Start::NextDev);
    if start == Start::ChangeFile {
        let gone = copy.git(&[
            "diff",
            "--name-status",
            "main",
            "origin/release/next",
            "--",
            ".changes",
        ]);
        assert_eq!(gone, format!("D\t{}\n", super::CHANGE_FILE), "{name}");
    }
    row.push_str(" completes");

    let abort = repo.xtask(&["release", "--abort"]);
    assert!(abort.ok(), "{name}: abort failed\n{}", abort.stderr());
    assert_same(&before, &pr_state(&repo));
    assert!(!journal(&repo).exists(), "{name}: the journal stays");
    no_stray_files(&repo, name);
    user_edits_survive(&repo, name);
    row.push_str("          restores");
    row
}

fn run_pr_matrix(title: &str, start: Start, cases: Vec<Case>) {
    let template = start_repo(start);
    let rows = cases
        .iter()
        .map(|c| run_pr_case(c, start, &template))
        .collect();
    print_matrix(title, rows);
}

#[test]
fn faults_of_the_pr_flow_opening_before_its_push() {
    run_pr_matrix(
        "PR flow, opened: branch to commit",
        Start::Open,
        before_the_push(),
    );
}

#[test]
fn faults_of_the_pr_flow_opening_from_its_push() {
    run_pr_matrix(
        "PR flow, opened: push to pull request",
        Start::Open,
        from_the_push(),
    );
}

#[test]
fn faults_of_the_pr_flow_rebuilding_before_its_push() {
    run_pr_matrix(
        "PR flow, rebuilt: branch to commit",
        Start::Rebuilt,
        before_the_push(),
    );
}

#[test]
fn faults_of_the_pr_flow_rebuilding_from_its_push() {
    run_pr_matrix(
        "PR flow, rebuilt: push to pull request",
        Start::Rebuilt,
        from_the_push(),
    );
}

#[test]
fn faults_of_the_pr_flow_consuming_a_change_file() {
    use Outcome::{Pending, Pushed};
    // The change file sorts first: the 2nd write comes after its deletion.
    let mut cases = vec![case(
        "write 2nd: kill before",
        Fault::Env("XTASK_KILL_WRITE", "1"),
        Pending,
    )];
    cases.extend(faults(
        "git add",
        git("add", 1),
        [Outcome::Restored, Pending, Pending],
    ));
    cases.push(case(
        "git commit: kill after",
        git("commit", 1)("kill-after"),
        Pending,
    ));
    cases.push(case(
        "git push: kill after",
        git("push", 1)("kill-after"),
        Pushed,
    ));
    cases.push(case(
        "switch back: kill before",
        git("switch", 2)("kill-before"),
        Pushed,
    ));
    run_pr_matrix("PR flow, a change file consumed", Start::ChangeFile, cases);
}

#[test]
fn faults_of_the_pr_flow_with_next_dev() {
    use Outcome::{Pending, Pushed, Restored};
    let mut cases = super::write_next_faults();
    cases.extend(faults(
        "2nd git add",
        git("add", 2),
        [Restored, Pending, Pending],
    ));
    cases.extend(faults(
        "2nd git commit",
        git("commit", 2),
        [Restored, Pending, Pending],
    ));
    cases.extend(faults(
        "git push",
        git("push", 1),
        [Restored, Pending, Pushed],
    ));
    cases.push(case(
        "switch back: kill before",
        git("switch", 2)("kill-before"),
        Pushed,
    ));
    run_pr_matrix("PR flow, with next-dev: two commits", Start::NextDev, cases);
}
