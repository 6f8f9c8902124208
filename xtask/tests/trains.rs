//! Pre-release trains through `release --execute` on both packages:
//! alpha → beta → rc → the release, SemVer in manifests and tags, PEP 440 in
//! `pyproject.toml`, and a train that never runs back; dev trains, and
//! trains that start at 0 (`pre-start`).

mod common;

use common::{LIGHT, LIGHT_RUST, Repo};

/// An entry under each changelog's `[Unreleased]`, committed and pushed.
fn entries(repo: &Repo, what: &str) {
    for path in ["CHANGELOG.md", "demo-py/CHANGELOG.md"] {
        let text = repo.read(path);
        let text = match text.contains("## [Unreleased]\n\n### Added") {
            true => text.replacen("### Added\n\n", &format!("### Added\n\n- {what}.\n"), 1),
            false => text.replacen(
                "## [Unreleased]\n",
                &format!("## [Unreleased]\n\n### Added\n\n- {what}.\n"),
                1,
            ),
        };
        repo.write(path, &text);
    }
    // A change in the crate's own folder: `auto` sees a commit to release.
    let lib = repo.read("demo-core/src/lib.rs");
    repo.write("demo-core/src/lib.rs", &format!("{lib}// {what}\n"));
    repo.git(&["commit", "-q", "-am", &format!("feat: {what}")]);
    repo.git(&["push", "-q", "origin", "main"]);
}

fn release(repo: &Repo, args: &[&str]) -> common::Run {
    let mut all = vec!["release"];
    all.extend(args);
    all.push("--execute");
    // Without the Python package, no python-env step to skip.
    all.extend(match args.contains(&"--py") {
        true => &LIGHT[..],
        false => &LIGHT[..LIGHT_RUST],
    });
    repo.xtask(&all)
}

#[test]
fn both_packages_run_a_train_from_alpha_to_the_release() {
    let repo = Repo::released();
    // (arguments, crate version, pyproject version)
    let steps: [(&[&str], &str, &str); 5] = [
        (
            &["--rust", "minor", "--py", "minor", "--pre", "alpha"],
            "0.5.0-alpha.1",
            "0.4.0a1",
        ),
        (
            &["--rust", "alpha", "--py", "beta"],
            "0.5.0-alpha.2",
            "0.4.0b1",
        ),
        (&["--rust", "rc", "--py", "rc"], "0.5.0-rc.1", "0.4.0rc1"),
        (&["--rust", "auto", "--py", "rc"], "0.5.0-rc.2", "0.4.0rc2"),
        (&["--rust", "release", "--py", "release"], "0.5.0", "0.4.0"),
    ];
    for (i, (args, core, py)) in steps.iter().enumerate() {
        entries(&repo, &format!("step {i}"));
        let run = release(&repo, args);
        assert!(run.ok(), "{args:?}\n{}", run.stderr());
        let manifest = repo.read("demo-core/Cargo.toml");
        assert!(
            manifest.contains(&format!("version = \"{core}\"")),
            "{args:?}\n{manifest}"
        );
        let pyproject = repo.read("demo-py/pyproject.toml");
        assert!(
            pyproject.contains(&format!("version = \"{py}\"")),
            "{args:?}\n{pyproject}"
        );
        // Tags in the SemVer form the template makes, on origin too.
        let py_semver = common_semver(py);
        let tags = repo.git(&["tag", "--points-at", "HEAD"]);
        assert_eq!(tags, format!("py-v{py_semver}\nv{core}\n"), "{args:?}");
        let remote = repo.remote_refs();
        assert!(remote.contains(&format!("refs/tags/v{core}")), "{remote}");
        // Each pre-release has its own changelog section.
        let changelog = repo.read("CHANGELOG.md");
        assert!(
            changelog.contains(&format!("## [{core}] - ")),
            "{changelog}"
        );
    }
    // The release's section holds every entry of its train, once each.
    let changelog = repo.read("CHANGELOG.md");
    let start = changelog.find("## [0.5.0] - ").unwrap();
    let end = changelog.find("## [0.5.0-rc.2]").unwrap();
    let section = &changelog[start..end];
    for i in 0..5 {
        assert_eq!(
            section.matches(&format!("- step {i}.")).count(),
            1,
            "{section}"
        );
    }
    let py = repo.read("demo-py/CHANGELOG.md");
    let start = py.find("## [0.4.0] - ").unwrap();
    let end = py.find("## [0.4.0rc2]").unwrap();
    assert!(py[start..end].contains("- step 0."), "{py}");
}

/// `0.4.0rc1` → `0.4.0-rc.1`: the SemVer spelling of the test's PEP 440 forms.
fn common_semver(pep: &str) -> String {
    for (label, semver) in [("rc", "rc"), ("b", "beta"), ("a", "alpha")] {
        if let Some((release, n)) = pep.split_once(label)
            && n.chars().all(|c| c.is_ascii_digit())
            && !n.is_empty()
        {
            return format!("{release}-{semver}.{n}");
        }
    }
    pep.to_string()
}

#[test]
fn a_train_never_runs_back_and_must_be_started() {
    let repo = Repo::released();
    let err = release(&repo, &["--rust", "rc"]).failure();
    assert!(
        err.contains("0.4.0 is not on a pre-release train: start one with a level and --pre rc (e.g. --rust minor --pre rc)"),
        "{err}"
    );
    entries(&repo, "first");
    release(&repo, &["--rust", "minor", "--pre", "rc"]).success();
    entries(&repo, "second");
    let before = repo.git(&["rev-parse", "HEAD"]);
    let err = release(&repo, &["--rust", "beta"]).failure();
    assert!(
        err.contains(
            "0.5.0-rc.1 is past beta: a train runs alpha, beta, rc, then the release, never back"
        ),
        "{err}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), before, "nothing was made");
    let err = release(&repo, &["--rust", "release", "--pre", "rc"]).failure();
    assert!(
        err.contains(
            "--pre rc starts a train from a level: give major, minor, patch or auto, not release"
        ),
        "{err}"
    );
    let err = release(&repo, &["--pre", "rc"]).failure();
    assert!(err.contains("--pre rc starts a train for the packages given a level (alone, it takes those at a development version, and none is): name them, e.g. --rust minor --pre rc"), "{err}");
}

#[test]
fn a_tested_rc_graduates_with_no_commit_after_it() {
    let repo = Repo::released();
    entries(&repo, "first");
    release(&repo, &["--rust", "minor", "--pre", "rc"]).success();
    entries(&repo, "second");
    release(&repo, &["--rust", "rc"]).success();
    // HEAD is the rc.2 release commit: nothing was committed since.
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v0.5.0-rc.2\n");

    let plan = repo.xtask(&["release", "--rust", "release"]).success();
    assert!(
        plan.contains("release demo-core 0.5.0-rc.2 -> 0.5.0 (tag v0.5.0; release; since v0.5.0-rc.2, 0 commit(s))"),
        "{plan}"
    );
    // The normal end of a train: no warning of a release without commits.
    assert!(!plan.contains("releasing as asked"), "{plan}");
    let run = release(&repo, &["--rust", "release"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"0.5.0\"")
    );
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v0.5.0\n");
    assert!(repo.remote_refs().contains("refs/tags/v0.5.0"));
    // The release's section holds the train's entries, each once.
    let changelog = repo.read("CHANGELOG.md");
    let start = changelog.find("## [0.5.0] - ").unwrap();
    let end = changelog.find("## [0.5.0-rc.2]").unwrap();
    let section = &changelog[start..end];
    for entry in ["- first.", "- second.", "- Something new."] {
        assert_eq!(section.matches(entry).count(), 1, "{section}");
    }
    // Asked again, HEAD is that release: nothing is released twice.
    let again = repo.xtask(&["release", "--rust", "release"]).success();
    assert!(
        again.contains("unchanged demo-core: no commits since v0.5.0"),
        "{again}"
    );
}

/// Asserts `path` holds `version = "VERSION"`.
#[track_caller]
fn says(repo: &Repo, path: &str, version: &str) {
    let text = repo.read(path);
    let line = format!("version = \"{version}\"");
    assert!(text.contains(&line), "{path} lacks {line}:\n{text}");
}

#[test]
fn a_dev_train_comes_before_alpha_on_pypi() {
    let repo = Repo::released();
    entries(&repo, "first");
    // A dev version is released only when asked to be (`--allow-dev`).
    let err = release(&repo, &["--rust", "minor", "--py", "minor", "--pre", "dev"]).failure();
    assert!(err.contains("pass --allow-dev"), "{err}");
    release(
        &repo,
        &[
            "--rust",
            "minor",
            "--py",
            "minor",
            "--pre",
            "dev",
            "--allow-dev",
        ],
    )
    .success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-dev.1");
    says(&repo, "demo-py/pyproject.toml", "0.4.0.dev1");
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "py-v0.4.0-dev.1\nv0.5.0-dev.1\n"
    );
    // `dev` goes on with the train; PEP 440 puts alpha after dev, so the
    // Python package may go on to alpha ...
    entries(&repo, "second");
    release(&repo, &["--rust", "dev", "--py", "alpha", "--allow-dev"]).success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-dev.2");
    says(&repo, "demo-py/pyproject.toml", "0.4.0a1");
    // ... while SemVer sorts `alpha` before `dev`: a crate goes on to rc.
    entries(&repo, "third");
    let err = release(&repo, &["--rust", "alpha"]).failure();
    assert!(
        err.contains("demo-core 0.5.0-alpha.1 is not greater than the current 0.5.0-dev.2: pass --allow-downgrade to go back"),
        "{err}"
    );
    let err = release(&repo, &["--py", "dev"]).failure();
    assert!(
        err.contains("0.4.0-alpha.1 is past dev: a train runs"),
        "{err}"
    );
    release(&repo, &["--rust", "rc"]).success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-rc.1");
    repo.xtask(&["check"]).success();
}

#[test]
fn pre_start_zero_starts_each_train_and_label_at_zero() {
    let repo = Repo::new("workspace");
    repo.replace(
        "Cargo.toml",
        "branch = \"main\"\n",
        "branch = \"main\"\n# Candidates count from 0 here: 0.5.0-rc.0, then -rc.1.\npre-start = 0\n",
    );
    repo.xtask(&["bump", "--rust", "minor", "--pre", "beta"])
        .success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-beta.0");
    repo.xtask(&["bump", "--rust", "beta"]).success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-beta.1");
    repo.xtask(&["bump", "--rust", "rc"]).success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-rc.0");
    repo.xtask(&["bump", "--py", "minor", "--pre", "rc"])
        .success();
    says(&repo, "demo-py/pyproject.toml", "0.4.0rc0");
    repo.xtask(&["check"]).success();

    // A package's own `pre-start` wins over the workspace's.
    let repo = Repo::new("workspace");
    repo.replace(
        "Cargo.toml",
        "branch = \"main\"\n",
        "branch = \"main\"\npre-start = 0\n",
    );
    repo.replace(
        "Cargo.toml",
        "pyproject = \"demo-py/pyproject.toml\"",
        "pyproject = \"demo-py/pyproject.toml\"\npre-start = 1",
    );
    repo.xtask(&["bump", "--rust", "--py", "minor", "--pre", "dev"])
        .success();
    says(&repo, "demo-core/Cargo.toml", "0.5.0-dev.0");
    says(&repo, "demo-py/pyproject.toml", "0.4.0.dev1");
    repo.replace("Cargo.toml", "pre-start = 0", "pre-start = 5");
    let stderr = repo.xtask(&["versions"]).failure();
    assert!(
        stderr.contains(
            "`pre-start = 5` is unknown: use 0 (a train starts at rc.0) or 1 (at rc.1, the default)"
        ),
        "{stderr}"
    );
}
