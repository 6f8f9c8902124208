//! The fault matrix of `release --execute`: a fault at every action boundary
//! — a write, `git add`, `git commit`, each tag, the push — injected for real
//! (a `git` wrapper first on PATH that fails, or kills the xtask with SIGKILL
//! before or after running git; in-process write failures and kills; hooks
//! here and on the bare origin; a file-size limit). After each, the
//! repository is exactly as before, or a plain re-run completes the release
//! and a third run is a no-op, and `--abort` from the same state gives back
//! the start (or refuses once the push went through). A user's uncommitted
//! edit in a tracked file and an ignored file survive every case.
//!
//! The PR flow's matrix (`pr_flow`) does the same at each of its actions.
//!
//! `cargo test -p xtask --test release_faults -- --nocapture` prints the matrix.

mod common;
#[path = "release_faults/pr_flow.rs"]
mod pr_flow;

use std::path::{Path, PathBuf};

use common::{RELEASE, Repo, assert_same, install_hook};

const TAGS: [&str; 2] = ["v0.5.0", "py-v0.3.1"];
const USER_EDIT: &str = "pub fn answer() -> u32 {\n    43 // the user's work in progress\n}\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Files, HEAD, index, refs here and on origin as before; no journal.
    Restored,
    /// Something changed: a re-run finishes, `--abort` undoes.
    Pending,
    /// The push went through: a re-run finishes, `--abort` refuses.
    Pushed,
}

enum Fault {
    /// Environment variables of the xtask (in-process write faults).
    Env(&'static str, &'static str),
    /// The `git` wrapper acts at the `n`th call whose arguments start with `call`.
    Git {
        call: &'static str,
        n: u32,
        mode: &'static str,
    },
    /// A `gh` first on PATH, signed in, that fails or kills the xtask
    /// before or after it opens the pull request (`mode` as for `Git`).
    Gh(&'static str),
    /// A hook in the repository (`.git/hooks/NAME`) or on origin (`origin:NAME`).
    Hook(&'static str, &'static str),
    /// A directory where the temporary file of `path` goes.
    TempDir(&'static str),
    /// `ulimit -f` in KiB for the xtask and its git children.
    FileSize(u32),
}

struct Case {
    name: String,
    fault: Fault,
    expect: Outcome,
    /// A change file is pending: the release deletes it in its first write.
    change_file: bool,
    /// `next-dev = "minor"`: a second commit follows the tags.
    next_dev: bool,
}

fn case(name: impl Into<String>, fault: Fault, expect: Outcome) -> Case {
    Case {
        name: name.into(),
        fault,
        expect,
        change_file: false,
        next_dev: false,
    }
}

/// The second commit of a release with `next-dev = "minor"`.
pub const NEXT_DEV_SUBJECT: &str =
    "chore(release): start demo-core v0.6.0-dev.0 + demo-py v0.4.0-dev.0";

/// A change file naming both packages, which the release consumes.
pub const CHANGE_FILE: &str = ".changes/streaming.md";

fn real_git() -> String {
    let out = std::process::Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A `git` first on PATH: at the `n`th call whose arguments start with
/// `call`, fails, or kills its caller (the xtask) before or after git runs.
fn install_wrapper(base: &Path, call: &str, n: u32, mode: &str) -> PathBuf {
    let bin = base.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        r#"#!/bin/sh
case "$*" in
"{call}"*)
  count=$(( $(cat "{counter}" 2>/dev/null || echo 0) + 1 ))
  echo "$count" > "{counter}"
  if [ "$count" = "{n}" ]; then
    case "{mode}" in
    fail) echo "injected git failure at {call} #{n}" >&2; exit 1 ;;
    kill-before) kill -9 "$PPID"; exit 1 ;;
    kill-after) "{git}" "$@"; status=$?; kill -9 "$PPID"; exit $status ;;
    esac
  fi
  ;;
esac
exec "{git}" "$@"
"#,
        counter = base.join("git-calls").display(),
        git = real_git(),
    );
    install_hook(&bin.join("git"), &script);
    bin
}

fn hook_path(repo: &Repo, name: &str) -> PathBuf {
    match name.strip_prefix("origin:") {
        Some(hook) => repo.origin.join("hooks").join(hook),
        None => repo.dir.join(".git/hooks").join(name),
    }
}

/// Runs the release with `fault` in place, then takes the fault away.
fn run_with(repo: &Repo, fault: &Fault) -> common::Run {
    run_args_with(repo, &RELEASE, fault)
}

/// Runs the xtask with `args` and `fault` in place, then takes the fault away.
fn run_args_with(repo: &Repo, args: &[&str], fault: &Fault) -> common::Run {
    match fault {
        Fault::Env(key, value) => repo.xtask_env(args, &[(key, value)]),
        Fault::Git { call, n, mode } => {
            let bin = install_wrapper(&repo.base, call, *n, mode);
            let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
            repo.xtask_env(args, &[("PATH", &path)])
        }
        Fault::Gh(mode) => {
            let bin = pr_flow::install_gh(&repo.base, mode);
            let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
            repo.xtask_env(args, &[("PATH", &path)])
        }
        Fault::Hook(name, script) => {
            let path = hook_path(repo, name);
            install_hook(&path, script);
            let run = repo.xtask(args);
            std::fs::remove_file(path).unwrap();
            run
        }
        Fault::TempDir(file) => {
            let dir = repo.dir.join(format!(".{file}.xtask-tmp"));
            std::fs::create_dir(&dir).unwrap();
            let run = repo.xtask(args);
            std::fs::remove_dir(dir).unwrap();
            run
        }
        Fault::FileSize(kib) => {
            let script = format!("ulimit -f {kib}; exec \"$0\" \"$@\"");
            repo.xtask_through(&["bash", "-c", &script], args, &[])
        }
    }
}

fn journal(repo: &Repo) -> PathBuf {
    repo.dir.join(".git/xtask-release")
}

/// What every faulty run must show, whatever its flow: no success unless
/// nothing was to change, no panic, no stray file, the user's edits kept.
/// Returns whether the run was killed.
fn after_fault(repo: &Repo, name: &str, run: &common::Run, expect: Outcome) -> bool {
    assert!(
        !run.ok() || expect == Outcome::Restored,
        "{name}: the faulty run succeeded\n{}",
        run.stderr()
    );
    assert!(
        !run.stderr().contains("panicked at"),
        "{name}: {}",
        run.stderr()
    );
    no_stray_files(repo, name);
    user_edits_survive(repo, name);
    run.0.status.code().is_none()
}

/// The outcome seen is the one the case expects; returns the matrix row's
/// first columns, under `label`.
#[track_caller]
fn row_start(
    (name, label): (&str, &str),
    killed: bool,
    got: Outcome,
    expect: Outcome,
    run: &common::Run,
) -> String {
    assert_eq!(
        got,
        expect,
        "{name}: after the fault\nstderr:\n{}",
        run.stderr()
    );
    format!(
        "{label:<28} {:<7} {:<9}",
        if killed { "killed" } else { "failed" },
        format!("{got:?}").to_lowercase()
    )
}

/// A copy of the repository after the fault, resumed by a re-run that must
/// succeed, leaving no stray file and the user's edits.
#[track_caller]
fn resumed_copy(repo: &Repo, name: &str) -> Repo {
    let copy = repo.duplicate();
    let resumed = copy.xtask(&["release", "--execute", "--skip-preflight"]);
    assert!(
        resumed.ok(),
        "{name}: the re-run failed\n{}",
        resumed.stderr()
    );
    user_edits_survive(&copy, name);
    no_stray_files(&copy, name);
    copy
}

/// No temporary file of ours anywhere in the tree or the git directory.
#[track_caller]
fn no_stray_files(repo: &Repo, name: &str) {
    let stray: Vec<String> = repo
        .snapshot()
        .into_keys()
        .filter(|k| k.ends_with(".xtask-tmp"))
        .collect();
    assert!(stray.is_empty(), "{name}: stray files {stray:?}");
    assert!(
        !repo.dir.join(".git/xtask-release.tmp").exists(),
        "{name}: a stray journal temporary file"
    );
}

#[track_caller]
fn user_edits_survive(repo: &Repo, name: &str) {
    assert_eq!(repo.read("demo-core/src/lib.rs"), USER_EDIT, "{name}");
    assert_eq!(repo.read("notes.local"), "my private notes\n", "{name}");
}

/// The release is complete: both tags and the release commit on origin
/// (with `next_dev`, the tags on the release commit below HEAD, the second
/// commit).
#[track_caller]
fn complete(repo: &Repo, name: &str, next_dev: bool) {
    let head = repo.git(&["rev-parse", "HEAD"]);
    let release = match next_dev {
        true => repo.git(&["rev-parse", "HEAD~1"]),
        false => head.clone(),
    };
    let remote = repo.remote_refs();
    assert!(
        remote.contains(&format!("{} refs/heads/main", head.trim())),
        "{name}: main is not pushed\n{remote}"
    );
    for tag in TAGS {
        assert!(
            remote.contains(&format!("refs/tags/{tag}")),
            "{name}: {tag} is not on origin\n{remote}"
        );
        assert_eq!(
            repo.git(&["rev-list", "-n", "1", tag]),
            release,
            "{name}: {tag} is not at the release commit"
        );
    }
    let subjects = match next_dev {
        true => format!("{NEXT_DEV_SUBJECT}\nrelease: demo-core v0.5.0 + demo-py v0.3.1\n"),
        false => "release: demo-core v0.5.0 + demo-py v0.3.1\n".to_string(),
    };
    let count = if next_dev { "-2" } else { "-1" };
    assert_eq!(repo.git(&["log", count, "--format=%s"]), subjects, "{name}");
    if next_dev {
        let manifest = repo.read("demo-core/Cargo.toml");
        assert!(
            manifest.contains("version = \"0.6.0-dev.0\""),
            "{name}: {manifest}"
        );
    }
    assert!(!journal(repo).exists(), "{name}: the journal stays");
}

/// Runs one case and returns its matrix row.
fn run_case(case: &Case) -> String {
    let name = case.name.as_str();
    let repo = Repo::released();
    if case.next_dev {
        repo.with_next_dev();
    }
    if case.change_file {
        repo.commit(
            CHANGE_FILE,
            "---\ndemo-core: minor\ndemo-py: fixed\n---\n\nStreaming responses.\n",
            "docs: a change file",
            "Ann <ann@example.com>",
        );
        repo.git(&["push", "-q", "origin", "main"]);
    }
    if let Fault::FileSize(_) = case.fault {
        // A lock larger than the limit, of many registry entries the
        // release never touches, so its temporary file is cut short.
        let mut lock = repo.read("Cargo.lock");
        for i in 0..400 {
            lock.push_str(&format!(
                "\n[[package]]\nname = \"dep-{i:03}\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
            ));
        }
        repo.write("Cargo.lock", &lock);
        repo.git(&["commit", "-qam", "chore: a long lock"]);
        repo.git(&["push", "-q", "origin", "main"]);
    }
    repo.write("demo-core/src/lib.rs", USER_EDIT);
    let start = repo.state();

    let run = run_with(&repo, &case.fault);
    let killed = after_fault(&repo, name, &run, case.expect);

    let restored = repo.state() == start && !journal(&repo).exists();
    let got = if restored {
        Outcome::Restored
    } else if repo.remote_refs().contains("refs/tags/") && repo.remote_refs() != start["remote"] {
        Outcome::Pushed
    } else {
        Outcome::Pending
    };
    let mut row = row_start((name, name), killed, got, case.expect, &run);
    if got == Outcome::Restored {
        assert_same(&start, &repo.state());
        row.push_str(" -                  -");
        return row;
    }

    // The same state, twice: one copy resumed, the other aborted.
    let copy = resumed_copy(&repo, name);
    complete(&copy, name, case.next_dev);
    if case.change_file {
        assert!(
            !copy.dir.join(CHANGE_FILE).exists(),
            "{name}: the change file stays"
        );
        let changelog = copy.read("CHANGELOG.md");
        assert!(
            changelog.contains("- Streaming responses."),
            "{name}: {changelog}"
        );
    }
    let before_third = copy.state();
    let third = copy.xtask(&RELEASE);
    assert!(
        third.ok() && third.stderr().contains("nothing to release"),
        "{name}: the third run\n{}",
        third.stderr()
    );
    assert_same(&before_third, &copy.state());
    row.push_str(" completes");

    let abort = repo.xtask(&["release", "--abort"]);
    if got == Outcome::Pushed {
        assert!(
            !abort.ok() && abort.stderr().contains("cargo xtask rollback"),
            "{name}: abort after the push\n{}",
            abort.stderr()
        );
        row.push_str("          refuses (pushed)");
    } else {
        assert!(abort.ok(), "{name}: abort failed\n{}", abort.stderr());
        assert_same(&start, &repo.state());
        assert!(!journal(&repo).exists(), "{name}: the journal stays");
        no_stray_files(&repo, name);
        row.push_str("          restores");
    }
    row
}

fn run_matrix(title: &str, cases: Vec<Case>) {
    print_matrix(title, cases.iter().map(run_case).collect());
}

fn print_matrix(title: &str, rows: Vec<String>) {
    println!(
        "\n{title}\n{:<28} {:<7} {:<9} {:<18} abort\n{}",
        "fault point",
        "run",
        "outcome",
        "re-run",
        rows.join("\n")
    );
}

fn git_faults(call: &'static str, n: u32, label: &str, fail: Outcome) -> Vec<Case> {
    vec![
        case(
            format!("{label}: fails"),
            Fault::Git {
                call,
                n,
                mode: "fail",
            },
            fail,
        ),
        case(
            format!("{label}: kill before"),
            Fault::Git {
                call,
                n,
                mode: "kill-before",
            },
            Outcome::Pending,
        ),
        case(
            format!("{label}: kill after"),
            Fault::Git {
                call,
                n,
                mode: "kill-after",
            },
            if call == "push" {
                Outcome::Pushed
            } else {
                Outcome::Pending
            },
        ),
    ]
}

#[test]
fn faults_around_the_file_writes() {
    // The release writes 7 files (Cargo.lock, CHANGELOG.md, README.md, three
    // manifests and pyproject.toml); before the 1st, the 4th and the last.
    let mut cases = Vec::new();
    for (n, label) in [("0", "1st"), ("3", "4th"), ("6", "7th")] {
        cases.push(case(
            format!("write {label}: fails"),
            Fault::Env("XTASK_FAIL_WRITE", n),
            Outcome::Restored,
        ));
        cases.push(case(
            format!("write {label}: kill before"),
            Fault::Env("XTASK_KILL_WRITE", n),
            Outcome::Pending,
        ));
    }
    cases.push(case(
        "write: temp path is a dir",
        Fault::TempDir("Cargo.lock"),
        Outcome::Restored,
    ));
    cases.push(case(
        "write: file-size limit",
        Fault::FileSize(16),
        Outcome::Restored,
    ));
    run_matrix("writes", cases);
}

#[test]
fn faults_around_the_commit() {
    let mut cases = git_faults("add", 1, "git add", Outcome::Restored);
    cases.extend(git_faults("commit", 1, "git commit", Outcome::Restored));
    cases.push(case(
        "pre-commit hook fails",
        Fault::Hook("pre-commit", "#!/bin/sh\nexit 1\n"),
        Outcome::Restored,
    ));
    cases.push(case(
        "commit-msg hook fails",
        Fault::Hook("commit-msg", "#!/bin/sh\nexit 1\n"),
        Outcome::Restored,
    ));
    run_matrix("commit", cases);
}

#[test]
fn faults_around_the_tags() {
    let mut cases = git_faults("tag --annotate", 1, "tag v0.5.0", Outcome::Restored);
    cases.extend(git_faults(
        "tag --annotate",
        2,
        "tag py-v0.3.1",
        Outcome::Restored,
    ));
    run_matrix("tags", cases);
}

#[test]
fn faults_around_the_push() {
    let mut cases = git_faults("push", 1, "git push", Outcome::Pending);
    cases.push(case(
        "pre-push hook fails",
        Fault::Hook("pre-push", "#!/bin/sh\nexit 1\n"),
        Outcome::Pending,
    ));
    cases.push(case(
        "origin rejects all",
        Fault::Hook("origin:pre-receive", "#!/bin/sh\nexit 1\n"),
        Outcome::Pending,
    ));
    cases.push(case(
        "origin rejects py-v* only",
        Fault::Hook(
            "origin:pre-receive",
            "#!/bin/sh\nwhile read old new ref; do case \"$ref\" in refs/tags/py-v*) exit 1;; esac; done\nexit 0\n",
        ),
        Outcome::Pending,
    ));
    run_matrix("push", cases);
}

#[test]
fn faults_after_the_change_files_were_deleted() {
    // The change file sorts first: the 1st write deletes it.
    let mut cases = vec![
        case(
            "write 2nd: fails",
            Fault::Env("XTASK_FAIL_WRITE", "1"),
            Outcome::Restored,
        ),
        case(
            "write 2nd: kill before",
            Fault::Env("XTASK_KILL_WRITE", "1"),
            Outcome::Pending,
        ),
        case(
            "write: temp path is a dir",
            Fault::TempDir("Cargo.lock"),
            Outcome::Restored,
        ),
    ];
    cases.extend(git_faults("add", 1, "git add", Outcome::Restored));
    cases.extend(git_faults("commit", 1, "git commit", Outcome::Restored));
    cases.extend(git_faults(
        "tag --annotate",
        2,
        "tag py-v0.3.1",
        Outcome::Restored,
    ));
    cases.extend(git_faults("push", 1, "git push", Outcome::Pending));
    for case in &mut cases {
        case.change_file = true;
    }
    run_matrix("with a change file", cases);
}

/// The second commit's write (`next-dev`) failing, or the xtask killed at it.
fn write_next_faults() -> Vec<Case> {
    vec![
        case(
            "write-next: fails",
            Fault::Env("XTASK_FAIL_AT", "write-next"),
            Outcome::Restored,
        ),
        case(
            "write-next: kill at it",
            Fault::Env("XTASK_KILL_AT", "write-next"),
            Outcome::Pending,
        ),
    ]
}

#[test]
fn faults_around_the_next_dev_commit() {
    // The release writes 7 files, then the second commit 5 more: its 1st
    // write is the run's 8th, its 3rd the 10th. The git calls count from
    // the run's start: the second `git add` and `git commit` are its.
    let mut cases = write_next_faults();
    cases.extend([
        case(
            "write-next 3rd: fails",
            Fault::Env("XTASK_FAIL_WRITE", "9"),
            Outcome::Restored,
        ),
        case(
            "write-next 3rd: kill before",
            Fault::Env("XTASK_KILL_WRITE", "9"),
            Outcome::Pending,
        ),
        case(
            "commit-msg hook refuses it",
            Fault::Hook(
                "commit-msg",
                "#!/bin/sh\ngrep -q 'chore(release): start' \"$1\" && exit 1\nexit 0\n",
            ),
            Outcome::Restored,
        ),
    ]);
    cases.extend(git_faults("add", 2, "2nd git add", Outcome::Restored));
    cases.extend(git_faults("commit", 2, "2nd git commit", Outcome::Restored));
    cases.extend(git_faults(
        "tag --annotate",
        2,
        "tag py-v0.3.1",
        Outcome::Restored,
    ));
    cases.extend(git_faults("push", 1, "git push", Outcome::Pending));
    for case in &mut cases {
        case.next_dev = true;
    }
    run_matrix("with next-dev (a second commit after the tags)", cases);
}

/// A `git` first on PATH that logs the arguments of every call, one a line.
fn install_logger(base: &Path) -> PathBuf {
    let bin = base.join("log-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> \"{log}\"\nexec \"{git}\" \"$@\"\n",
        log = base.join("git-log").display(),
        git = real_git(),
    );
    install_hook(&bin.join("git"), &script);
    bin
}

/// The git calls `args` makes on a fresh `Repo::released()`, in order.
fn git_calls(args: &[&str]) -> Vec<String> {
    let repo = Repo::released();
    let bin = install_logger(&repo.base);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    repo.xtask_env(args, &[("PATH", &path)]).success();
    std::fs::read_to_string(repo.base.join("git-log"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The reads among `calls`: those before the first `git add` (the release
/// commit's), but for the objects the journal stores.
fn reads(calls: &[String]) -> Vec<(u32, String)> {
    calls
        .iter()
        .take_while(|c| !c.starts_with("add "))
        .enumerate()
        .filter(|(_, c)| !c.starts_with("hash-object"))
        .map(|(i, c)| (i as u32 + 1, c.clone()))
        .collect()
}

/// Fails the `n`th git call of `args`: the run must stop with git's message
/// and leave everything as it was.
/// The user's edit is left out with the pre-flight, whose git-clean refuses it.
fn read_fails(args: &[&str], n: u32, call: &str) -> String {
    let repo = Repo::released();
    let edit = !args.contains(&"--skip") || args.contains(&"--skip-preflight");
    if edit {
        repo.write("demo-core/src/lib.rs", USER_EDIT);
    }
    let start = repo.state();
    let bin = install_wrapper(&repo.base, "", n, "fail");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = repo.xtask_env(args, &[("PATH", &path)]);
    let name = format!("#{n} git {call}");
    assert!(!run.ok(), "{name}: the run went on\n{}", run.stderr());
    assert!(
        run.stderr()
            .contains(&format!("injected git failure at  #{n}")),
        "{name}: git's message is not shown\n{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("panicked at"), "{name}");
    assert_same(&start, &repo.state());
    assert!(!journal(&repo).exists(), "{name}: a journal stays");
    assert!(
        !repo.dir.join(".git/xtask-release.lock").exists(),
        "{name}: the lock stays"
    );
    if edit {
        user_edits_survive(&repo, &name);
    }
    format!("{:<52} failed  stops     unchanged", truncate(&name, 52))
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[test]
fn faults_at_every_git_read() {
    const DRY_RUN: [&str; 5] = ["release", "--rust", "minor", "--py", "patch"];
    // The pre-flight's git checks run; those that build or install do not.
    let mut checked: Vec<&str> = RELEASE[..6].to_vec();
    checked.extend(common::LIGHT);
    for (title, args) in [
        ("reads of the dry run", &DRY_RUN[..]),
        ("reads of --execute --skip-preflight", &RELEASE[..]),
        ("reads of --execute with the git pre-flight", &checked[..]),
    ] {
        let calls = git_calls(args);
        let reads = reads(&calls);
        assert!(reads.len() >= 8, "{title}: too few reads {calls:#?}");
        let rows: Vec<String> = reads
            .iter()
            .map(|(n, call)| read_fails(args, *n, call))
            .collect();
        println!(
            "\n{title}\n{:<52} {:<7} {:<9} after\n{}",
            "git read failing",
            "run",
            "outcome",
            rows.join("\n")
        );
    }
}

#[test]
fn a_failed_read_of_the_commits_adding_change_files_stops_the_run() {
    for args in [
        &["release", "--rust", "minor", "--py", "patch"][..],
        &RELEASE[..],
    ] {
        let repo = Repo::released();
        repo.commit(
            CHANGE_FILE,
            "---\nrust: minor\n---\n\nStreaming responses.\n",
            "docs: a change file",
            "Ann <ann@example.com>",
        );
        let start = repo.state();
        let call = "log --no-merges --diff-filter=A";
        let bin = install_wrapper(&repo.base, call, 1, "fail");
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let run = repo.xtask_env(args, &[("PATH", &path)]);
        let stderr = run.failure();
        assert!(
            stderr.contains(&format!("injected git failure at {call} #1")),
            "{stderr}"
        );
        assert_same(&start, &repo.state());
        assert!(!journal(&repo).exists());
    }
}

#[test]
fn abort_is_offline_when_no_push_was_attempted_and_says_what_it_needs_otherwise() {
    // Stopped before the push: the journal knows nothing left this clone.
    let repo = Repo::released();
    repo.write("demo-core/src/lib.rs", USER_EDIT);
    let start = repo.state();
    let mut stopped = RELEASE.to_vec();
    stopped.push("--no-push");
    repo.xtask(&stopped).success();
    let away = repo.base.join("origin-away.git");
    std::fs::rename(&repo.origin, &away).unwrap();
    let abort = repo.xtask(&["release", "--abort"]);
    std::fs::rename(&away, &repo.origin).unwrap();
    abort.success();
    assert_same(&start, &repo.state());
    user_edits_survive(&repo, "offline abort");

    // Killed during the push: only origin can tell whether it went through.
    let killed = run_with(
        &repo,
        &Fault::Git {
            call: "push",
            n: 1,
            mode: "kill-before",
        },
    );
    assert_eq!(killed.0.status.code(), None, "{}", killed.stderr());
    let pending = repo.state();
    std::fs::rename(&repo.origin, &away).unwrap();
    let abort = repo.xtask(&["release", "--abort"]);
    std::fs::rename(&away, &repo.origin).unwrap();
    let stderr = abort.failure();
    assert!(
        stderr.contains("cannot tell whether the push reached origin (the run ended during it): `--abort` asks origin, which must be reachable; rerun it then, or finish the release with `cargo xtask release --execute`"),
        "{stderr}"
    );
    assert_same(&pending, &repo.state());
    repo.xtask(&["release", "--abort"]).success();
    assert_same(&start, &repo.state());
}

#[test]
fn the_pull_request_flow_is_undone_after_its_branch_push() {
    let mut pr = RELEASE.to_vec();
    pr.push("--pr");
    for (call, n, mode, label) in [
        ("push", 1, "kill-after", "killed after the push"),
        ("push", 1, "kill-before", "killed before the push"),
        ("switch", 2, "kill-before", "killed switching back"),
    ] {
        let repo = Repo::released();
        repo.write("demo-core/src/lib.rs", USER_EDIT);
        let start = repo.state();
        let bin = install_wrapper(&repo.base, call, n, mode);
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        let killed = repo.xtask_env(&pr, &[("PATH", &path)]);
        assert_eq!(killed.0.status.code(), None, "{label}: {}", killed.stderr());
        let pushed = repo.remote_refs().contains("refs/heads/release/next\n");
        assert_eq!(pushed, mode == "kill-after" || call == "switch", "{label}");
        let abort = repo.xtask(&["release", "--abort"]);
        assert!(abort.ok(), "{label}: {}", abort.stderr());
        if pushed {
            assert!(
                abort
                    .stderr()
                    .contains("Deleted release/next on origin (it was the release commit"),
                "{label}: {}",
                abort.stderr()
            );
        }
        assert_same(&start, &repo.state());
        assert!(!journal(&repo).exists(), "{label}");
        user_edits_survive(&repo, label);
    }

    // Killed after the push, on the way back to main; someone pushed to
    // the release branch since: it is theirs, kept, and the abort stops.
    let repo = Repo::released();
    let bin = install_wrapper(&repo.base, "switch", 2, "kill-before");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    repo.xtask_env(&pr, &[("PATH", &path)]);
    repo.git(&[
        "push",
        "-q",
        "origin",
        "main:refs/heads/release/next",
        "--force",
    ]);
    let stderr = repo.xtask(&["release", "--abort"]).failure();
    assert!(
        stderr.contains("origin's release/next is at ")
            && stderr.contains("someone pushed to it: it is left alone"),
        "{stderr}"
    );
    assert!(repo.remote_refs().contains("refs/heads/release/next\n"));
}

#[test]
fn a_release_whose_push_landed_before_the_kill_is_said_to_be_on_origin() {
    let repo = Repo::released();
    let bin = install_wrapper(&repo.base, "push", 1, "kill-after");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let killed = repo.xtask_env(&RELEASE, &[("PATH", &path)]);
    assert_eq!(killed.0.status.code(), None, "{}", killed.stderr());
    assert!(repo.remote_refs().contains("refs/tags/v0.5.0"));
    let before = repo.state();
    let dry = repo.xtask(&["release"]);
    dry.success();
    assert!(
        dry.stderr().contains("Pending the push of py-v0.3.1, v0.5.0 reached origin before the run ended: `cargo xtask release --execute` finishes the release"),
        "{}",
        dry.stderr()
    );
    assert!(
        !dry.stderr().contains("are not on origin"),
        "{}",
        dry.stderr()
    );
    assert_same(&before, &repo.state());
}
