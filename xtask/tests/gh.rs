//! `gh verify-tag` and `gh release-commit`, as GitHub Actions run them.

mod common;

use common::Repo;

/// Runs `args` with `GITHUB_OUTPUT` set and returns what was written there.
fn outputs(repo: &Repo, args: &[&str]) -> Result<String, String> {
    let file = repo
        .base
        .join(format!("output-{}", args.join("-").replace('/', "_").len()));
    let _ = std::fs::remove_file(&file);
    let run = repo.xtask_env(args, &[("GITHUB_OUTPUT", file.to_str().unwrap())]);
    if run.ok() {
        Ok(std::fs::read_to_string(&file).unwrap_or_default())
    } else {
        Err(run.stderr())
    }
}

#[test]
fn verify_tag_finds_the_series_and_checks_the_manifest() {
    let repo = Repo::new("workspace");
    assert_eq!(
        outputs(&repo, &["gh", "verify-tag", "v0.4.0"]).unwrap(),
        "package=demo-core\nversion=0.4.0\nprerelease=false\n"
    );
    assert_eq!(
        outputs(&repo, &["gh", "verify-tag", "py-v0.3.0"]).unwrap(),
        "package=demo-py\nversion=0.3.0\nprerelease=false\n"
    );
    // Without GITHUB_OUTPUT the same lines go to stdout.
    assert_eq!(
        repo.xtask(&["gh", "verify-tag", "v0.4.0"]).success(),
        "package=demo-core\nversion=0.4.0\nprerelease=false\n"
    );

    let err = outputs(&repo, &["gh", "verify-tag", "v0.5.0"]).unwrap_err();
    assert!(
        err.contains("tag v0.5.0 says 0.5.0 but demo-core/Cargo.toml says 0.4.0 for demo-core"),
        "{err}"
    );
    let err = outputs(&repo, &["gh", "verify-tag", "py-v0.4.0"]).unwrap_err();
    assert!(
        err.contains("tag py-v0.4.0 says 0.4.0 but demo-py/Cargo.toml says 0.3.0"),
        "{err}"
    );
    let err = outputs(&repo, &["gh", "verify-tag", "release-1"]).unwrap_err();
    assert!(err.contains("`release-1` is not a tag of a configured series: the series are v{version} (demo-core), py-v{version} (demo-py)"), "{err}");
    assert!(outputs(&repo, &["gh", "verify-tag", "v0.4.0", "--package", "rust"]).is_ok());
    let err = outputs(&repo, &["gh", "verify-tag", "v0.4.0", "--package", "py"]).unwrap_err();
    assert!(err.contains("tag v0.4.0 is of demo-core, not of demo-py: this workflow publishes py-v{version} tags only"), "{err}");
    let err = outputs(&repo, &["gh", "verify-tag", "v0.4.0;touch pwned"]).unwrap_err();
    assert!(
        err.contains("refusing to output tag=\"v0.4.0;touch pwned\""),
        "{err}"
    );
    assert!(!repo.dir.join("pwned").exists());
}

#[test]
fn verify_tag_compares_pyproject_in_pep440_form() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--py", "0.4.0-rc.1"]).success();
    assert_eq!(
        outputs(&repo, &["gh", "verify-tag", "py-v0.4.0-rc.1"]).unwrap(),
        "package=demo-py\nversion=0.4.0-rc.1\nprerelease=true\n"
    );
    let file = "demo-py/pyproject.toml";
    repo.write(file, &repo.read(file).replace("0.4.0rc1", "0.4.0rc2"));
    let err = outputs(&repo, &["gh", "verify-tag", "py-v0.4.0-rc.1"]).unwrap_err();
    assert!(
        err.contains(
            "tag py-v0.4.0-rc.1 says 0.4.0-rc.1 but demo-py/pyproject.toml:7 says 0.4.0rc2"
        ),
        "{err}"
    );
}

#[test]
fn release_commit_reads_the_subject_with_git() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--rust", "--py", "minor"]).success();
    repo.git(&[
        "commit",
        "-q",
        "-am",
        "release: demo-core v0.5.0 + demo-py v0.4.0",
    ]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0,py-v0.4.0\n"
    );
    // `release --execute` pushes its tags with the commit: only new tags count.
    repo.git(&["tag", "v0.5.0"]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-py\nversion=0.4.0\ntag=py-v0.4.0\ntags=py-v0.4.0\n"
    );
    repo.git(&["tag", "py-v0.4.0"]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=false\n"
    );
}

#[test]
fn the_pull_request_form_and_its_checks() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--rust", "minor"]).success();
    repo.git(&["commit", "-q", "-am", "chore(release): prepare v0.5.0"]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0\n"
    );
    // No tag of the series yet: no previous-tag output, and stderr says so.
    let run = repo.xtask(&["gh", "release-commit"]);
    assert!(
        run.stderr()
            .contains("demo-core 0.5.0: first release of the series"),
        "{}",
        run.stderr()
    );
    repo.git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "chore(release): prepare v0.6.0",
    ]);
    let err = outputs(&repo, &["gh", "release-commit"]).unwrap_err();
    assert!(
        err.contains("HEAD says demo-core 0.6.0 but demo-core/Cargo.toml says 0.5.0"),
        "{err}"
    );
}

/// The workspace fixture with both packages tagged and pushed, then a fix
/// and a changelog entry for each: both have something to release.
fn released() -> Repo {
    let repo = Repo::new("workspace");
    repo.tag_then_fix();
    repo
}

/// Runs `release … --pr --execute` and returns the release branch it pushed
/// and the pull request body it printed.
fn release_pr(repo: &Repo, args: &[&str]) -> (String, String) {
    let mut all = vec!["release"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--pr", "--execute", "--skip-preflight"]);
    let run = repo.xtask(&all);
    run.success();
    let stderr = run.stderr();
    let branch = stderr
        .split("--head ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no `gh pr create --head` in: {stderr}"))
        .to_string();
    assert_eq!(repo.git(&["branch", "--show-current"]), "main\n");
    (branch, run.stdout())
}

/// Merges `branch` into main the three ways GitHub does, and returns
/// `gh release-commit`'s outputs for each (main is reset in between).
fn after_each_merge(repo: &Repo, branch: &str) -> Vec<String> {
    let base = repo.git(&["rev-parse", "HEAD"]);
    let base = base.trim();
    let subject = repo.git(&["log", "-1", "--format=%s", branch]);
    let subject = subject.trim();
    let mut found = Vec::new();
    for style in ["plain", "squash", "merge"] {
        repo.git(&["reset", "-q", "--hard", base]);
        match style {
            "plain" => {
                repo.git(&["merge", "-q", "--ff-only", branch]);
            }
            "squash" => {
                repo.git(&["merge", "-q", "--squash", branch]);
                repo.git(&["commit", "-q", "-m", &format!("{subject} (#42)")]);
            }
            _ => {
                let message = format!("Merge pull request #43 from o/{branch}");
                repo.git(&["merge", "-q", "--no-ff", "-m", &message, branch]);
            }
        }
        let out = outputs(repo, &["gh", "release-commit"]);
        found.push(out.unwrap_or_else(|err| format!("error: {err}")));
    }
    found
}

#[test]
fn a_release_pr_for_the_crate_tags_the_crate_after_any_merge() {
    let repo = released();
    let (branch, body) = release_pr(&repo, &["--rust", "minor"]);
    assert_eq!(branch, "release/next");
    assert_eq!(
        body,
        "### Added\n\n- Something new.\n\n### API\n\n- demo-core: api: not checked (--skip-preflight); the level rests on the commits only\n"
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", &branch]),
        "chore(release): prepare v0.5.0\n"
    );
    for found in after_each_merge(&repo, &branch) {
        assert_eq!(
            found,
            "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0\nprevious-tag=v0.4.0\n"
        );
    }
}

#[test]
fn a_release_pr_with_its_next_dev_commit_is_tagged_at_the_release_commit() {
    let repo = released();
    repo.with_next_dev();
    let (branch, _) = release_pr(&repo, &["--rust", "minor"]);
    assert_eq!(
        repo.git(&["log", "-2", "--format=%s", &branch]),
        "chore(release): start demo-core v0.6.0-dev.0\nchore(release): prepare v0.5.0\n"
    );
    // Run again on the same main: the branch is current, nothing is pushed.
    let again = repo.xtask(&[
        "release",
        "--pr",
        "--rust",
        "minor",
        "--execute",
        "--skip-preflight",
    ]);
    again.success();
    assert!(
        again.stderr().contains("the release PR is current"),
        "{}",
        again.stderr()
    );
    let release = repo.git(&["rev-parse", &format!("{branch}^")]);
    let found = after_each_merge(&repo, &branch);
    let tagged = format!(
        "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0\nprevious-tag=v0.4.0\ncommit={release}"
    );
    assert_eq!(found[0], tagged, "rebased (fast-forward)");
    assert_eq!(found[2], tagged, "merge commit");
    // A squash leaves no commit of main holding the release, under the
    // subject of either commit.
    assert!(found[1].contains("was squash-merged"), "{}", found[1]);
    repo.git(&["reset", "-q", "--hard", "origin/main"]);
    repo.git(&["merge", "-q", "--squash", &branch]);
    repo.git(&["commit", "-q", "-m", "chore(release): prepare v0.5.0 (#42)"]);
    let err = outputs(&repo, &["gh", "release-commit"]).unwrap_err();
    assert!(
        err.contains("was squash-merged, so no commit of main holds the release"),
        "{err}"
    );
}

#[test]
fn a_release_pr_for_both_packages_tags_each_at_its_own_version() {
    let repo = released();
    let (branch, body) = release_pr(&repo, &["--rust", "minor", "--py", "patch"]);
    assert_eq!(branch, "release/next");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", &branch]),
        "chore(release): prepare demo-core v0.5.0 + demo-py v0.3.1\n"
    );
    assert_eq!(
        body,
        "## demo-core 0.5.0\n\n### Added\n\n- Something new.\n\n## demo-py 0.3.1\n\n### Fixed\n\n- The answer.\n\n### API\n\n- demo-core: api: not checked (--skip-preflight); the level rests on the commits only\n- demo-py: api: not checked (--skip-preflight); the level rests on the commits only\n"
    );
    for found in after_each_merge(&repo, &branch) {
        assert_eq!(
            found,
            "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0,py-v0.3.1\nprevious-tag=v0.4.0\n"
        );
    }
    // A re-run after a failure once a tag exists still names every tag: the
    // workflow checks each one and does only what is missing.
    repo.git(&["tag", "v0.5.0"]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0,py-v0.3.1\nprevious-tag=v0.4.0\n"
    );
}

#[test]
fn a_release_pr_for_the_binding_alone_names_it_and_tags_it_alone() {
    let repo = released();
    let (branch, body) = release_pr(&repo, &["--py", "patch"]);
    assert_eq!(branch, "release/next");
    assert_eq!(
        body,
        "### Fixed\n\n- The answer.\n\n### API\n\n- demo-py: api: not checked (--skip-preflight); the level rests on the commits only\n"
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", &branch]),
        "chore(release): prepare demo-py v0.3.1\n"
    );
    for found in after_each_merge(&repo, &branch) {
        assert_eq!(
            found,
            "released=true\npackage=demo-py\nversion=0.3.1\ntag=py-v0.3.1\ntags=py-v0.3.1\nprevious-tag=py-v0.3.0\n"
        );
    }
}

#[test]
fn the_crate_alone_is_tagged_while_the_binding_sits_untagged_at_the_same_version() {
    let repo = released();
    // The binding is bumped to 0.5.0 but not released: no py-v0.5.0 tag.
    repo.xtask(&["bump", "--py", "0.5.0"]).success();
    repo.git(&["commit", "-q", "-am", "chore: the binding's next version"]);
    repo.git(&["push", "-q", "origin", "main"]);
    let (branch, _) = release_pr(&repo, &["--rust", "0.5.0"]);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", &branch]),
        "chore(release): prepare v0.5.0\n"
    );
    for found in after_each_merge(&repo, &branch) {
        assert_eq!(
            found,
            "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0\nprevious-tag=v0.4.0\n"
        );
    }
}

#[test]
fn only_the_subject_counts_and_odd_subjects_are_not_releases() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--rust", "minor"]).success();
    repo.git(&[
        "commit",
        "-q",
        "-am",
        "fix: tidy\n\nrelease: demo-core v0.5.0\nchore(release): prepare v0.5.0",
    ]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=false\n"
    );
    for subject in [
        "release: demo-core v0.5.0$(touch pwned)",
        "release: demo-core v0.5.0; touch pwned",
        "chore(release): prepare v0.5.0`touch pwned`",
        "release: ghost v0.5.0",
        "Release: demo-core v0.5.0",
        "release: demo-core v0.5.0 (#1; touch pwned)",
    ] {
        repo.git(&["commit", "-q", "--allow-empty", "-m", subject]);
        assert_eq!(
            outputs(&repo, &["gh", "release-commit"]).unwrap(),
            "released=false\n",
            "{subject}"
        );
    }
    assert!(!repo.dir.join("pwned").exists());
}

#[test]
fn msrv_names_each_member_with_its_own_rust_version() {
    let repo = Repo::new("workspace");
    let err = outputs(&repo, &["gh", "msrv"]).unwrap_err();
    assert!(
        err.contains(
            "demo-core/Cargo.toml: no `rust-version`: declare the oldest Rust it builds with"
        ),
        "{err}"
    );
    let root = repo.read("Cargo.toml");
    repo.write(
        "Cargo.toml",
        &root.replace(
            "[workspace.package]\n",
            "[workspace.package]\nrust-version = \"1.80\"\n",
        ),
    );
    let core = repo.read("demo-core/Cargo.toml");
    repo.write(
        "demo-core/Cargo.toml",
        &core.replace(
            "edition.workspace = true\n",
            "edition.workspace = true\nrust-version.workspace = true\n",
        ),
    );
    let py = repo.read("demo-py/Cargo.toml");
    repo.write(
        "demo-py/Cargo.toml",
        &py.replace(
            "publish = false\n",
            "publish = false\nrust-version = \"1.88\"\n",
        ),
    );
    assert_eq!(
        outputs(&repo, &["gh", "msrv"]).unwrap(),
        "rust-version=1.80\nmembers=demo-core/1.80,demo-py/1.88\n"
    );
}

#[test]
fn a_rolled_back_release_is_not_tagged_again_but_a_merged_pr_still_is() {
    let repo = Repo::released();
    repo.xtask(&common::RELEASE).success();
    // Rolled back in part: v0.5.0 is gone here and on origin, py-v0.3.1 stays.
    repo.xtask(&["rollback", "v0.5.0", "--execute"]).success();
    let run = repo.xtask_env(&["gh", "release-commit"], &[]);
    assert!(
        run.stderr().contains("release was rolled back: origin's main holds it and v0.5.0 exists neither here nor there"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=false\n"
    );
    // The same commit not on origin's main (never pushed): its missing tag
    // is still to make.
    let head = repo.git(&["rev-parse", "HEAD"]);
    let parent = repo.git(&["rev-parse", "HEAD~1"]);
    repo.git(&[
        "push",
        "-q",
        "--force",
        "origin",
        &format!("{}:main", parent.trim()),
    ]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0\nprevious-tag=v0.4.0\n"
    );
    // A merged release PR is never pushed with its tags: on origin's main
    // with its tags made neither here nor there, it is tagged.
    repo.git(&["reset", "-q", "--hard", parent.trim()]);
    repo.git(&["tag", "-d", "py-v0.3.1"]);
    repo.git(&["push", "-q", "origin", ":refs/tags/py-v0.3.1"]);
    let (branch, _) = release_pr(&repo, &["--rust", "minor"]);
    repo.git(&["merge", "-q", "--ff-only", &branch]);
    repo.git(&["push", "-q", "origin", "main"]);
    assert_ne!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-core\nversion=0.5.0\ntag=v0.5.0\ntags=v0.5.0\nprevious-tag=v0.4.0\n"
    );
}
