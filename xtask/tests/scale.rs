//! What a command costs in a repository grown large: the tags are read once
//! per command, and only those of the configured series (issue 31, item 1).
//! A `git` first on PATH logs each call: `check`, `versions`, the release
//! dry run and `changelog lint` each ask `for-each-ref` for the series'
//! prefixes alone, never for every tag (`git tag --list`, `--merged HEAD`,
//! `--points-at HEAD` or `refs/tags` all read every tag, which in a
//! monorepo's years of per-crate tagging is 100,000 of them).

mod common;

use common::Repo;
use common::git_log::{calls, logging_git};

const PATTERNS: [&str; 2] = ["refs/tags/v[0-9]*", "refs/tags/py-v[0-9]*"];

/// The `workspace` fixture released (`v0.4.0`, `py-v0.3.0`), with 600
/// packed tags of other crates (some sharing a prefix of ours: `vendor-…`,
/// `py-vx-…`), a tag at a blob above the crate's version (no release, and
/// no warning) and a fix since.
fn tagged() -> Repo {
    let repo = Repo::released();
    let head = repo.git(&["rev-parse", "HEAD~1"]);
    let blob = repo.git(&["rev-parse", "HEAD:README.md"]);
    let mut stdin = String::new();
    for k in 0..600 {
        let name = ["vendor", "py-vx", "tools", "zed"][k % 4];
        stdin.push_str(&format!(
            "create refs/tags/{name}-v0.{}.{} {}\n",
            k / 4,
            k % 4,
            head.trim()
        ));
    }
    stdin.push_str(&format!("create refs/tags/v9.0.0 {}\n", blob.trim()));
    let mut cmd = std::process::Command::new("git");
    cmd.args(["update-ref", "--stdin"])
        .current_dir(&repo.dir)
        .stdin(std::process::Stdio::piped());
    repo.env(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["pack-refs", "--all"]);
    assert_eq!(repo.git(&["tag", "--list"]).lines().count(), 603);
    repo
}

/// The git calls of `args`, and the run.
fn logged(repo: &Repo, args: &[&str]) -> (common::Run, Vec<Vec<String>>) {
    let log = repo.base.join(format!("git-{}.log", args.join("-")));
    let path = logging_git(&repo.base, &log);
    let run = repo.xtask_env(args, &[("PATH", path.as_str())]);
    (run, calls(&log))
}

/// The calls that read tags: `for-each-ref` and `git tag` (a name of one
/// tag after `--end-of-options` is a look-up, not a listing).
fn tag_reads(calls: &[Vec<String>]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.first().is_some_and(|a| a == "for-each-ref" || a == "tag"))
        .map(|c| c.join(" "))
        .collect()
}

/// Whether a tag read names the series' patterns and nothing wider.
fn by_series(read: &str) -> bool {
    read.starts_with("for-each-ref ")
        && read.ends_with(&format!("--end-of-options {}", PATTERNS.join(" ")))
}

#[test]
fn each_command_reads_only_the_series_tags_once() {
    let repo = tagged();
    for args in [
        &["versions"][..],
        &["release"],
        &["release", "--rust", "patch"],
        &["changelog", "lint"],
    ] {
        let (run, calls) = logged(&repo, args);
        run.success();
        let reads = tag_reads(&calls);
        assert_eq!(reads.len(), 1, "{args:?}: {reads:#?}");
        assert!(by_series(&reads[0]), "{args:?}: {reads:#?}");
    }
    // `check` also asks which of them HEAD's history contains.
    let (run, calls) = logged(&repo, &["check"]);
    let reads = tag_reads(&calls);
    assert_eq!(reads.len(), 2, "{reads:#?}\n{}", run.stderr());
    assert!(reads.iter().all(|r| by_series(r)), "{reads:#?}");
    assert!(
        reads[1].starts_with("for-each-ref --merged HEAD "),
        "{reads:#?}"
    );
}

#[test]
fn the_series_tags_are_found_among_many_others() {
    let repo = tagged();
    let table = repo.xtask(&["versions"]).success();
    let tag_rows: Vec<&str> = table.lines().filter(|l| l.contains(" tag ")).collect();
    assert_eq!(tag_rows.len(), 2, "{table}");
    assert!(tag_rows[0].contains("v0.4.0"), "{table}");
    assert!(tag_rows[1].contains("py-v0.3.0"), "{table}");
    // The tag at a blob is no release: not the previous one, not "above".
    let run = repo.xtask(&["check"]);
    run.success();
    assert!(!run.stderr().contains("v9.0.0"), "{}", run.stderr());
    let plan = repo.xtask(&["release", "--rust", "patch"]).success();
    assert!(plan.contains("since v0.4.0"), "{plan}");
    assert!(plan.contains("git tag --annotate v0.4.1"), "{plan}");
}
