//! `status` against a repository with a bare `origin`, an empty local crate
//! index and a static Python index: each place a release must reach, what is
//! missing, the command that does it, and a non-zero exit until everything
//! is known to be there (GitHub without a signed-in `gh` is unknown, never ok).

mod common;

use common::Repo;
use common::registries::{Server, local_index};

/// No `gh` configuration: gh (when installed) is signed out.
fn status(repo: &Repo, args: &[&str]) -> common::Run {
    let gh = repo.base.join("gh-config");
    std::fs::create_dir_all(&gh).unwrap();
    let gh = gh.display().to_string();
    let mut all = vec!["status"];
    all.extend(args);
    repo.xtask_env(
        &all,
        &[
            ("GH_CONFIG_DIR", &gh),
            ("GH_TOKEN", ""),
            ("GITHUB_TOKEN", ""),
        ],
    )
}

#[test]
fn each_place_of_a_crate_release_and_the_next_step() {
    let repo = Repo::released();
    let index = local_index(&repo);
    let run = status(&repo, &["--rust", "0.4.0", "--index", &index]);
    assert!(!run.ok(), "the crate is on no registry");
    let out = run.stdout();
    assert!(out.starts_with("demo-core 0.4.0 (v0.4.0)\n"), "{out}");
    // Run from the xtask's clone on another repository: the next command names it.
    let dir = repo.dir.display();
    for line in [
        "  tag v0.4.0 ",
        "  tag on origin ",
        "  release commit on main ",
        &format!("  demo-core 0.4.0 on index {index}  MISSING"),
        &format!(
            "  next: git -C {dir} checkout v0.4.0 && cargo xtask --root {dir} publish crate --execute\n"
        ),
    ] {
        assert!(out.contains(line), "`{line}` in\n{out}");
    }
    let ok_lines = out
        .lines()
        .filter(|l| l.split_whitespace().any(|w| w == "ok"))
        .count();
    assert_eq!(ok_lines, 3, "tag here, on origin, on main:\n{out}");
    assert!(
        out.contains("GitHub release") && out.contains("unknown"),
        "{out}"
    );

    // The tag gone from origin: push it.
    repo.git(&["push", "-q", "origin", ":refs/tags/v0.4.0"]);
    let out = status(&repo, &["--rust", "0.4.0", "--index", &index]).stdout();
    assert!(
        out.contains(&format!("  next: git -C {dir} push origin v0.4.0\n")),
        "{out}"
    );
    // A version never tagged: release it.
    let out = status(&repo, &["--rust", "0.5.0", "--index", &index]).stdout();
    assert!(
        out.contains(&format!(
            "  next: cargo xtask --root {dir} release --rust 0.5.0 --execute\n"
        )),
        "{out}"
    );
    // Someone else's tag of the version on origin, at another commit.
    repo.git(&["tag", "-d", "v0.4.0"]);
    repo.git(&["tag", "v0.4.0", "HEAD"]);
    repo.git(&["push", "-q", "origin", "HEAD~1:refs/tags/v0.4.0"]);
    let out = status(&repo, &["--rust", "0.4.0", "--index", &index]).stdout();
    assert!(
        out.contains("next: origin has v0.4.0 at another commit ("),
        "{out}"
    );
}

#[test]
fn a_python_release_complete_on_its_index_still_waits_for_github() {
    let repo = Repo::released();
    repo.replace(
        "Cargo.toml",
        "pyproject = \"demo-py/pyproject.toml\"",
        "pyproject = \"demo-py/pyproject.toml\"\nwheels = [\"*-abi3-win_amd64\"]",
    );
    repo.git(&["commit", "-qam", "chore: one wheel"]);
    let dir = repo.base.join("index");
    let page = dir.join("simple/demo-py");
    std::fs::create_dir_all(&page).unwrap();
    std::fs::write(
        page.join("index.html"),
        "<a href=\"demo_py-0.3.0.tar.gz\">s</a>\n<a href=\"demo_py-0.3.0-cp39-abi3-win_amd64.whl\">w</a>\n",
    )
    .unwrap();
    let server = Server::serve(&dir);
    let run = status(&repo, &["--py", "--index-url", &server.url, "--json"]);
    assert!(!run.ok(), "GitHub is not known to have it");
    let json = run.stdout();
    assert!(
        json.contains(
            "\"package\":\"demo-py\",\"version\":\"0.3.0\",\"tag\":\"py-v0.3.0\",\"complete\":false"
        ),
        "{json}"
    );
    assert!(
        json.contains(&format!(
            "\"place\":\"registry\",\"what\":\"demo-py 0.3.0 on {}\",\"state\":\"ok\"",
            server.url
        )),
        "{json}"
    );
    assert!(
        json.contains("\"what\":\"GitHub release\",\"state\":\"unknown\""),
        "{json}"
    );
    assert!(
        json.contains("\"next\":\"find out first: gh is not"),
        "{json}"
    );
}

#[test]
fn a_remote_that_cannot_be_reached_is_unknown_and_the_rest_is_still_told() {
    let repo = Repo::released();
    let index = local_index(&repo);
    // origin's repository gone: ls-remote fails, which is no answer.
    let gone = repo.base.join("origin-gone.git");
    std::fs::rename(&repo.origin, &gone).unwrap();
    let run = status(&repo, &["--rust", "0.4.0", "--index", &index]);
    assert!(!run.ok());
    let out = run.stdout();
    let line = out.lines().find(|l| l.contains("tag on origin")).unwrap();
    assert!(
        line.contains("unknown") && line.contains("cannot list the tags of `origin`"),
        "{out}"
    );
    // The other places are still checked, and the next step says what to find out.
    assert!(
        out.lines()
            .any(|l| l.contains("tag v0.4.0") && l.contains(" ok ")),
        "{out}"
    );
    assert!(
        out.contains("MISSING"),
        "the crate is on no registry:\n{out}"
    );
    assert!(
        out.contains("  next: find out first: cannot list the tags of `origin`"),
        "{out}"
    );
    std::fs::rename(&gone, &repo.origin).unwrap();
}
