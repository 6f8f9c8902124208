//! What a release must never do outside its own run: sweep uncommitted
//! edits into the release, plan from a shallow clone, need the network to
//! undo what never left this clone, fight a colleague's release on origin.

mod common;

use common::{Repo, assert_same};

const RELEASE: [&str; 7] = [
    "release",
    "--rust",
    "minor",
    "--py",
    "patch",
    "--execute",
    "--skip-preflight",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = RELEASE.to_vec();
    args.extend(extra);
    args
}

#[test]
fn uncommitted_edits_in_a_file_the_release_writes_stop_it_in_both_flows() {
    let repo = Repo::released();
    let mine = format!("{}- my uncommitted line\n", repo.read("CHANGELOG.md"));
    repo.write("CHANGELOG.md", &mine);
    let before = repo.state();
    let expected = "CHANGELOG.md has uncommitted changes the release would sweep in: commit or stash them (git stash)";
    for args in [
        with(&[]),
        with(&["--pr"]),
        with(&["--skip", "git-clean"]),
        with(&["--no-push"]),
    ] {
        let stderr = repo.xtask(&args).failure();
        assert!(stderr.contains(expected), "{args:?}\n{stderr}");
        assert!(stderr.contains("nothing was changed"), "{stderr}");
        assert_same(&before, &repo.state());
        assert_eq!(repo.read("CHANGELOG.md"), mine, "the user's edit stays");
        assert!(!repo.dir.join(".git/xtask-release").exists());
    }
    // The dry run says the same, and plans.
    let dry = repo.xtask(&["release", "--rust", "minor", "--py", "patch"]);
    dry.success();
    assert!(
        dry.stderr().contains(&format!("warning {expected}")),
        "{}",
        dry.stderr()
    );
    assert_same(&before, &repo.state());

    // Staged (the index differs from HEAD) is the same; so is an edit of
    // a file the release does not write, which stays out of it.
    repo.git(&["checkout", "--", "CHANGELOG.md"]);
    let staged = format!("{}- staged\n", repo.read("demo-py/CHANGELOG.md"));
    repo.write("demo-py/CHANGELOG.md", &staged);
    repo.git(&["add", "demo-py/CHANGELOG.md"]);
    let before = repo.state();
    let stderr = repo.xtask(&RELEASE).failure();
    assert!(
        stderr.contains("demo-py/CHANGELOG.md has uncommitted changes the release would sweep in"),
        "{stderr}"
    );
    assert_same(&before, &repo.state());
    repo.git(&["reset", "-q", "--", "demo-py/CHANGELOG.md"]);
    repo.git(&["checkout", "--", "demo-py/CHANGELOG.md"]);
    let unrelated = "pub fn answer() -> u32 {\n    44 // not released\n}\n";
    repo.write("demo-core/src/lib.rs", unrelated);
    repo.xtask(&with(&["--skip", "git-clean"])).success();
    assert_eq!(repo.read("demo-core/src/lib.rs"), unrelated);
    assert_eq!(
        repo.git(&["show", "HEAD:demo-core/src/lib.rs"]),
        "pub fn answer() -> u32 {\n    43\n}\n"
    );
}

#[test]
fn a_shallow_clone_is_warned_in_the_dry_run_and_refused_by_execute() {
    let repo = Repo::released();
    let base = repo.base.join("depth-1");
    std::fs::create_dir_all(base.join("home")).unwrap();
    let url = format!("file://{}", repo.origin.display());
    let work = base.join("work");
    repo.git(&["clone", "-q", "--depth", "1", &url, work.to_str().unwrap()]);
    let clone = Repo {
        base,
        dir: work,
        origin: repo.origin.clone(),
    };
    assert_eq!(
        clone.git(&["rev-parse", "--is-shallow-repository"]),
        "true\n"
    );
    let before = clone.state();
    let warning = "this clone is shallow: its history and tags are incomplete, so the versions and notes proposed may be wrong: run `git fetch --unshallow --tags`";
    let dry = clone.xtask(&["release"]);
    dry.success();
    assert!(dry.stderr().contains(warning), "{}", dry.stderr());
    let stderr = clone.xtask(&RELEASE).failure();
    assert!(
        stderr.contains("this clone is shallow: its history and tags are incomplete: run `git fetch --unshallow --tags`, then plan again; nothing was changed"),
        "{stderr}"
    );
    assert_same(&before, &clone.state());

    clone.git(&["fetch", "-q", "--unshallow", "--tags"]);
    let dry = clone.xtask(&["release"]);
    let out = dry.success();
    assert!(
        !dry.stderr().contains("clone is shallow"),
        "{}",
        dry.stderr()
    );
    assert!(
        out.starts_with("release demo-core 0.4.0 -> 0.4.1 (tag v0.4.1; patch: "),
        "{out}"
    );
}
