//! One release at a time: two real xtask processes at once, held at a gate
//! (a pre-push hook, or a `git` wrapper) the test opens when it has looked.
//! The second run stops at once naming the first; a lock left by a killed
//! run is taken over; no run resumes, undoes or rewrites another's journal.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{RELEASE, Repo, assert_same, install_hook};

/// A script that says it got there (`reached`), then waits for `go`.
fn gate(repo: &Repo) -> String {
    format!(
        "touch '{reached}'\ni=0\nwhile [ ! -f '{go}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done\n",
        reached = repo.base.join("reached").display(),
        go = repo.base.join("go").display(),
    )
}

/// A pre-push hook that waits at the gate: the push is slow.
fn slow_push(repo: &Repo) {
    install_hook(
        &repo.dir.join(".git/hooks/pre-push"),
        &format!("#!/bin/sh\n{}exit 0\n", gate(repo)),
    );
}

/// A `git` first on PATH that waits at the gate before `git reset`.
fn slow_reset(repo: &Repo) -> String {
    let bin = repo.base.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let git = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    install_hook(
        &bin.join("git"),
        &format!(
            "#!/bin/sh\ncase \"$1\" in reset) {} ;; esac\nexec '{}' \"$@\"\n",
            gate(repo).trim_end().replace('\n', "; "),
            git.trim()
        ),
    );
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

fn spawn(repo: &Repo, args: &[&str], env: &[(&str, &str)]) -> Child {
    repo.command(&[], args, env)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> common::Run {
    common::Run(child.wait_with_output().unwrap())
}

/// Waits until `path` exists; the run must still be going.
#[track_caller]
fn wait_for(path: &Path, child: &mut Child) {
    let start = Instant::now();
    while !path.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the first run ended ({status}) before reaching the gate");
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn open_gate(repo: &Repo) {
    std::fs::write(repo.base.join("go"), "").unwrap();
}

fn lock(repo: &Repo) -> PathBuf {
    repo.dir.join(".git/xtask-release.lock")
}

#[track_caller]
fn refused_by(run: &common::Run, pid: u32) {
    let stderr = run.failure();
    let expected = format!("error: a release is running (pid {pid}, since ");
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(stderr.contains("): wait for it to end"), "{stderr}");
}

#[test]
fn while_a_release_pushes_a_second_run_stops_at_once() {
    let repo = Repo::released();
    slow_push(&repo);
    let mut first = spawn(&repo, &RELEASE, &[]);
    wait_for(&repo.base.join("reached"), &mut first);
    let pid = first.id();
    let held = std::fs::read_to_string(lock(&repo)).unwrap();
    assert!(held.starts_with(&format!("pid {pid}\nhost ")), "{held}");
    assert!(held.contains("\nsince "), "{held}");

    // Resume, undo, plan: each stops while the first is still pushing.
    let during = repo.state();
    for args in [&RELEASE[..], &["release", "--abort"], &["release"]] {
        let run = repo.xtask(args);
        refused_by(&run, pid);
        assert!(
            first.try_wait().unwrap().is_none(),
            "{args:?} ended after the release it had to wait for"
        );
    }
    assert_same(&during, &repo.state());
    open_gate(&repo);
    let first = finish(first);
    first.success();
    assert!(
        first.stderr().contains("Released v0.5.0, py-v0.3.1"),
        "{}",
        first.stderr()
    );
    let remote = repo.remote_refs();
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert!(
        remote.contains(&format!("{} refs/heads/main", head.trim())),
        "{remote}"
    );
    assert!(remote.contains("refs/tags/py-v0.3.1"), "{remote}");
    assert!(!lock(&repo).exists(), "the lock stays after the release");
    assert!(!repo.dir.join(".git/xtask-release").exists());
}

#[test]
fn two_runs_started_together_make_one_release() {
    let repo = Repo::released();
    slow_push(&repo);
    let mut one = spawn(&repo, &RELEASE, &[]);
    let mut two = spawn(&repo, &RELEASE, &[]);
    // One of them reaches the push; the other has stopped by then.
    let start = Instant::now();
    let loser_first = loop {
        if one.try_wait().unwrap().is_some() {
            break true;
        }
        if two.try_wait().unwrap().is_some() {
            break false;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "neither ended");
        std::thread::sleep(Duration::from_millis(20));
    };
    let (winner, loser) = if loser_first { (two, one) } else { (one, two) };
    let (winner_pid, mut winner) = (winner.id(), winner);
    wait_for(&repo.base.join("reached"), &mut winner);
    refused_by(&finish(loser), winner_pid);
    open_gate(&repo);
    finish(winner).success();
    assert_eq!(
        repo.git(&["log", "--format=%s", "-2"]),
        "release: demo-core v0.5.0 + demo-py v0.3.1\nfix: the answer (#3)\n",
        "exactly one release commit"
    );
    assert!(!lock(&repo).exists());
}

#[test]
fn an_abort_and_a_resume_exclude_each_other_in_both_orders() {
    // A release stopped before its push: one run finishes it, one undoes it.
    let repo = Repo::released();
    let start = repo.state();
    let mut stopped = RELEASE.to_vec();
    stopped.push("--no-push");
    repo.xtask(&stopped).success();
    let pending = repo.state();

    // The resume first, held in its push: the abort stops, nothing undone.
    let copy = repo.duplicate();
    slow_push(&copy);
    let mut resume = spawn(&copy, &["release", "--execute"], &[]);
    wait_for(&copy.base.join("reached"), &mut resume);
    refused_by(&copy.xtask(&["release", "--abort"]), resume.id());
    open_gate(&copy);
    finish(resume).success();
    assert!(copy.remote_refs().contains("refs/tags/v0.5.0"));
    assert_eq!(
        copy.git(&["log", "-1", "--format=%s"]),
        "release: demo-core v0.5.0 + demo-py v0.3.1\n"
    );

    // The abort first, held before its `git reset`: the resume stops.
    let path = slow_reset(&repo);
    let mut abort = spawn(&repo, &["release", "--abort"], &[("PATH", &path)]);
    wait_for(&repo.base.join("reached"), &mut abort);
    refused_by(&repo.xtask(&["release", "--execute"]), abort.id());
    assert_eq!(repo.remote_refs(), pending["remote"], "nothing was pushed");
    open_gate(&repo);
    finish(abort).success();
    assert_same(&start, &repo.state());
    assert!(!lock(&repo).exists());
}

#[test]
fn the_lock_of_a_killed_run_is_taken_over_and_every_exit_releases_it() {
    let repo = Repo::released();
    let killed = repo.xtask_env(&RELEASE, &[("XTASK_KILL_WRITE", "3")]);
    assert_eq!(killed.0.status.code(), None, "{}", killed.stderr());
    let held = std::fs::read_to_string(lock(&repo)).unwrap();
    let pid = held
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("pid "))
        .unwrap()
        .to_string();

    let run = repo.xtask(&["release", "--abort"]);
    run.success();
    let expected = format!(
        "Took over the release lock of a run that ended without removing it (pid {pid}, since "
    );
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
    assert!(!lock(&repo).exists(), "the abort keeps the lock");

    // A failed release, a stop before the push: the lock goes with the run.
    let hook = repo.dir.join(".git/hooks/pre-commit");
    install_hook(&hook, "#!/bin/sh\nexit 1\n");
    repo.xtask(&RELEASE).failure();
    assert!(!lock(&repo).exists(), "a failed run keeps the lock");
    std::fs::remove_file(hook).unwrap();
    let mut stopped = RELEASE.to_vec();
    stopped.push("--no-push");
    repo.xtask(&stopped).success();
    assert!(!lock(&repo).exists(), "--no-push keeps the lock");

    // A lock of a live process is never taken over.
    let mut sleeper = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .unwrap();
    let live = held.replacen(
        &format!("pid {pid}\n"),
        &format!("pid {}\n", sleeper.id()),
        1,
    );
    std::fs::write(lock(&repo), &live).unwrap();
    refused_by(&repo.xtask(&["release", "--execute"]), sleeper.id());
    assert_eq!(std::fs::read_to_string(lock(&repo)).unwrap(), live);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    repo.xtask(&["release", "--execute"]).success();
    assert!(repo.remote_refs().contains("refs/tags/v0.5.0"));
    assert!(!lock(&repo).exists());
}
