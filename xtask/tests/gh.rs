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

#[test]
fn squash_and_merge_commits_of_a_release_pr_count() {
    let repo = Repo::new("workspace");
    // The crate's 0.4.0 is released: `prepare v0.4.0` can only mean the binding.
    repo.git(&["tag", "v0.4.0"]);
    repo.xtask(&["bump", "--py", "0.4.0-rc.1"]).success();
    repo.git(&[
        "commit",
        "-q",
        "-am",
        "chore(release): prepare v0.4.0rc1 (#42)",
    ]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-py\nversion=0.4.0-rc.1\ntag=py-v0.4.0-rc.1\ntags=py-v0.4.0-rc.1\n"
    );
    // A merge commit: the release subject is the merged branch's.
    repo.git(&["switch", "-q", "-c", "release/v0.4.0"]);
    repo.xtask(&["bump", "--py", "0.4.0"]).success();
    repo.git(&["commit", "-q", "-am", "chore(release): prepare v0.4.0"]);
    repo.git(&["switch", "-q", "main"]);
    repo.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #43 from o/release/v0.4.0",
        "release/v0.4.0",
    ]);
    assert_eq!(
        outputs(&repo, &["gh", "release-commit"]).unwrap(),
        "released=true\npackage=demo-py\nversion=0.4.0\ntag=py-v0.4.0\ntags=py-v0.4.0\n"
    );
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
