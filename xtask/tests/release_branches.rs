//! Shape C end to end (issue 29 items 4 and 5): main carries the next
//! version as `X.Y.Z-dev.0`, each release is made on a branch named after
//! it (`release-0.8.0`), whose tags are never merged into main, and its
//! changelog section is brought to main with `changelog port`.

mod common;

use common::Repo;
use common::standalone::shape_c_dev;

/// The warnings a run printed.
fn warnings(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("warning")).collect()
}

#[test]
fn a_development_version_on_main_is_proposed_as_its_release() {
    let repo = shape_c_dev("");
    let plan = repo.xtask(&["release"]);
    let out = plan.success();
    assert!(
        out.starts_with(
            "release safebind 0.8.0-dev.0 -> 0.8.0 (tag v0.8.0; finishes the development version; since v0.7.0, "
        ),
        "{out}"
    );
    assert!(
        out.contains("$ git push --atomic origin main v0.8.0"),
        "{out}"
    );
    assert!(warnings(&plan.stderr()).is_empty(), "{}", plan.stderr());
    // A development version is released as it is only when asked to be.
    let err = repo.xtask(&["release", "--rust", "0.8.0-dev.0"]).failure();
    assert!(err.contains("pass --allow-dev"), "{err}");
    let dev = repo
        .xtask(&["release", "--rust", "0.8.0-dev.0", "--allow-dev"])
        .success();
    assert!(
        dev.starts_with("release safebind 0.8.0-dev.0 -> 0.8.0-dev.0 (tag v0.8.0-dev.0; first release of 0.8.0-dev.0;"),
        "{dev}"
    );
}

/// `status` on main at a development version tells of the release main
/// follows (v0.7.0, made on its release branch), never of a tag
/// `v0.8.0-dev.0` that no release makes.
#[test]
fn status_on_a_development_version_is_of_the_release_it_follows() {
    let repo = shape_c_dev("");
    let gh = repo.base.join("gh-config");
    std::fs::create_dir_all(&gh).unwrap();
    let gh = gh.display().to_string();
    let index = repo.base.join("empty-index");
    std::fs::create_dir_all(&index).unwrap();
    let index = format!("file://{}", index.display());
    let run = repo.xtask_env(
        &["status", "--index", &index],
        &[
            ("GH_CONFIG_DIR", &gh),
            ("GH_TOKEN", ""),
            ("GITHUB_TOKEN", ""),
        ],
    );
    let out = run.stdout();
    assert!(out.starts_with("safebind 0.7.0 (v0.7.0)\n"), "{out}");
    assert!(!out.contains("dev.0"), "{out}");
    assert!(!out.contains("cargo xtask release"), "{out}");
    // A named version is still checked as named.
    let named = repo.xtask_env(
        &["status", "--rust", "0.8.0-dev.0", "--index", &index],
        &[
            ("GH_CONFIG_DIR", &gh),
            ("GH_TOKEN", ""),
            ("GITHUB_TOKEN", ""),
        ],
    );
    assert!(
        named
            .stdout()
            .starts_with("safebind 0.8.0-dev.0 (v0.8.0-dev.0)\n"),
        "{}",
        named.stdout()
    );
}

#[test]
fn an_rc_made_on_its_release_branch_is_pushed_there_and_ported_to_main() {
    let repo = shape_c_dev("");
    repo.git(&["switch", "-q", "-c", "release-0.8.0"]);
    repo.git(&["push", "-q", "-u", "origin", "release-0.8.0"]);
    let plan = repo.xtask(&["release", "--pre", "rc"]);
    let out = plan.success();
    assert!(
        out.starts_with(
            "release safebind 0.8.0-dev.0 -> 0.8.0-rc.0 (tag v0.8.0-rc.0; rc; since v0.7.0, "
        ),
        "{out}"
    );
    assert!(warnings(&plan.stderr()).is_empty(), "{}", plan.stderr());
    let run = repo.xtask(&["release", "--pre", "rc", "--execute", "--skip-preflight"]);
    run.success();
    let err = run.stderr();
    assert!(
        err.contains("git push --atomic origin release-0.8.0 v0.8.0-rc.0"),
        "{err}"
    );
    assert!(
        err.contains("bring the changelog section to main: `git switch main && cargo xtask changelog port 0.8.0-rc.0 --from release-0.8.0`"),
        "{err}"
    );
    let head = repo.git(&["rev-parse", "HEAD"]);
    let remote = repo.remote_refs();
    for reference in ["refs/heads/release-0.8.0", "refs/tags/v0.8.0-rc.0"] {
        assert!(remote.contains(reference), "{reference}\n{remote}");
    }
    assert!(remote.contains(&format!("{} refs/heads/release-0.8.0", head.trim())));
    assert!(!repo.dir.join(".changes/async-handles.md").exists());

    // On main, the rc is no stray tag above 0.8.0-dev.0: nothing to warn.
    repo.git(&["switch", "-q", "main"]);
    let check = repo.xtask(&["check", "--verbose"]);
    check.success();
    assert!(warnings(&check.stderr()).is_empty(), "{}", check.stderr());
    assert!(check.stdout().is_empty() || !check.stdout().contains("above"));

    // The rc's section comes to main, in date order, with the entry its
    // change file gave; main's [Unreleased] and change file lose what it released.
    let ported = repo.xtask(&["changelog", "port", "0.8.0-rc.0", "--from", "release-0.8.0"]);
    ported.success();
    let changelog = repo.read("core/CHANGELOG.md");
    let headings: Vec<&str> = changelog.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings.len(), 3, "{changelog}");
    assert_eq!(headings[0], "## [Unreleased]");
    assert!(headings[1].starts_with("## [0.8.0-rc.0] - "), "{changelog}");
    assert_eq!(headings[2], "## [0.7.0] - 2026-01-05");
    let unreleased = &changelog[..changelog.find("## [0.8.0-rc.0]").unwrap()];
    assert!(!unreleased.contains("Store::compact"), "{changelog}");
    let section = &changelog
        [changelog.find("## [0.8.0-rc.0]").unwrap()..changelog.find("## [0.7.0]").unwrap()];
    assert!(
        section.contains("- Async handles.") && section.contains("- `Store::compact`."),
        "{section}"
    );
    assert!(!repo.dir.join(".changes/async-handles.md").exists());
    repo.xtask(&["check"]).success();
    // Twice is once.
    let again = repo.xtask(&["changelog", "port", "0.8.0-rc.0", "--from", "release-0.8.0"]);
    assert!(
        again.success().is_empty() && again.stderr().contains("has 0.8.0-rc.0 already"),
        "{}",
        again.stderr()
    );
}

#[test]
fn off_the_release_branches_the_plan_warns_and_execute_refuses() {
    let repo: Repo = shape_c_dev("");
    repo.git(&["switch", "-q", "-c", "topic"]);
    let plan = repo.xtask(&["release"]);
    assert!(
        plan.stderr().contains("HEAD is on `topic`, on none of the release branches (main, release-*): --execute will refuse"),
        "{}",
        plan.stderr()
    );
    let err = repo
        .xtask(&["release", "--rust", "auto", "--execute", "--skip-preflight"])
        .failure();
    assert!(
        err.contains(
            "releases are made from `main` or a branch matching `release-*`, HEAD is on `topic`"
        ),
        "{err}"
    );
}

#[test]
fn next_dev_moves_main_to_the_next_development_version_in_a_second_commit() {
    let repo = shape_c_dev("next-dev = \"minor\"\n");
    let plan = repo.xtask(&["release"]).success();
    assert!(
        plan.contains("then, the next development version (a second commit, after the tags):"),
        "{plan}"
    );
    let commands: Vec<&str> = plan.lines().filter(|l| l.starts_with("$ ")).collect();
    assert_eq!(
        commands[commands.len() - 4..],
        [
            "$ git tag --annotate v0.8.0 -m \"safebind 0.8.0\"",
            "$ # write the next development version (the second diff above)",
            "$ git commit -m \"chore(release): start safebind v0.9.0-dev.0\" -- README.md bindings/python/Cargo.toml core/Cargo.lock core/Cargo.toml",
            "$ git push --atomic origin main v0.8.0",
        ]
    );
    repo.xtask(&["release", "--rust", "auto", "--execute", "--skip-preflight"])
        .success();
    // The tag is on the release commit; main is one commit further, at 0.9.0-dev.0.
    assert_eq!(
        repo.git(&["log", "-2", "--format=%s"]),
        "chore(release): start safebind v0.9.0-dev.0\nrelease: safebind v0.8.0\n"
    );
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD~1"]), "v0.8.0\n");
    assert_eq!(
        repo.git(&["show", "HEAD~1:core/Cargo.toml"]).lines().nth(2),
        Some("version = \"0.8.0\"")
    );
    assert!(
        repo.read("core/Cargo.toml")
            .contains("version = \"0.9.0-dev.0\"")
    );
    assert!(
        repo.read("bindings/python/Cargo.toml")
            .contains("version = \"0.9.0-dev.0\" }")
    );
    // The second commit touches no changelog and no change file.
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "README.md\nbindings/python/Cargo.toml\ncore/Cargo.lock\ncore/Cargo.toml\n"
    );
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert!(
        repo.remote_refs()
            .contains(&format!("{} refs/heads/main", head.trim()))
    );
    assert!(repo.remote_refs().contains("refs/tags/v0.8.0"));
    repo.xtask(&["check"]).success();
    let again = repo.xtask(&["release"]);
    assert!(
        again.stderr().contains("nothing to release"),
        "{}",
        again.stderr()
    );
}

#[test]
fn without_a_journal_a_release_below_its_next_dev_commit_is_tagged_pushed_or_undone() {
    let repo = shape_c_dev("next-dev = \"minor\"\n");
    let before = repo.state();
    let args = [
        "release",
        "--rust",
        "auto",
        "--execute",
        "--skip-preflight",
        "--no-push",
    ];
    repo.xtask(&args).success();
    // Both commits are made, then the journal is lost, and a tag with it.
    repo.git(&["tag", "--delete", "v0.8.0"]);
    std::fs::remove_file(repo.dir.join(".git/xtask-release")).unwrap();
    let pending = repo.xtask(&["release"]);
    pending.success();
    assert!(
        pending
            .stderr()
            .contains("a release of safebind 0.8.0 is in progress (next step: tag v0.8.0)"),
        "{}",
        pending.stderr()
    );
    let copy = repo.duplicate();
    copy.xtask(&["release", "--abort"]).success();
    common::assert_same(&before, &copy.state());

    repo.xtask(&["release", "--execute", "--skip-preflight"])
        .success();
    let release = repo.git(&["rev-parse", "HEAD~1"]);
    assert_eq!(repo.git(&["rev-list", "-n", "1", "v0.8.0"]), release);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let remote = repo.remote_refs();
    assert!(
        remote.contains(&format!("{} refs/heads/main", head.trim())),
        "{remote}"
    );
    assert!(remote.contains("refs/tags/v0.8.0"), "{remote}");
    let again = repo.xtask(&["release"]);
    assert!(
        again.stderr().contains("nothing to release"),
        "{}",
        again.stderr()
    );
}
