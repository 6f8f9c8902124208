//! Repositories of standalone Cargo packages (issue 29): no root
//! `Cargo.toml` (shape C: a crate and its Python binding with one tag; shape
//! D: a crate, a Python and a Node binding, each its own series), and a
//! root workspace with a binding beside it. Every command works on them as
//! on a workspace: the configuration comes from `xtask-release.toml` (or the
//! root's table), cargo runs in each package's folder, and every lock that
//! lists a released crate moves with it, unless git ignores it.

mod common;

use common::standalone::{assert_locked_in, beside_workspace, shape_c, shape_d};
use common::{Repo, registries};

/// The rows of `versions`, each split on whitespace.
fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

fn row(cells: &str) -> Vec<String> {
    cells.split_whitespace().map(String::from).collect()
}

/// The files a commit changed, one per line.
fn committed(repo: &Repo, rev: &str) -> String {
    repo.git(&["show", "--name-only", "--format=", rev])
}

/// The target folder of the test's own, so no `target/` lands in the tree.
fn target_env(repo: &Repo) -> String {
    repo.base.join("target").display().to_string()
}

#[test]
fn a_repository_without_a_root_manifest_is_read_from_xtask_release_toml() {
    let repo = shape_c();
    let table = repo.xtask(&["versions"]).success();
    let expected = [
        "safebind manifest core/Cargo.toml:3 0.7.0 ok",
        "safebind manifest (safebind-python) bindings/python/Cargo.toml:3 0.7.0 ok",
        "safebind pyproject (safebind-python) bindings/python/pyproject.toml dynamic (from Cargo.toml) ok",
        "safebind pin (safebind-python) bindings/python/Cargo.toml:14 0.7.0 ok",
        "safebind mention README.md:7 0.7.0 ok",
        "safebind mention README.md:11 0.7.0 ok",
        "safebind tag v{version} v0.7.0 ok",
        "safebind changelog core/CHANGELOG.md:12 0.7.0 ok",
        "safebind lock core/Cargo.lock:7 0.7.0 ok",
        "safebind-python lock bindings/python/Cargo.lock ignored by git: left alone ok",
    ];
    assert_eq!(rows(&table), expected.map(row), "{table}");
    let check = repo.xtask(&["check"]);
    check.success();
    assert!(
        check
            .stderr()
            .contains("Checked every version field agrees"),
        "{}",
        check.stderr()
    );
}

#[test]
fn with_no_configuration_the_error_shows_the_entries_to_write() {
    let repo = shape_c();
    std::fs::remove_file(repo.dir.join("xtask-release.toml")).unwrap();
    let before = repo.snapshot();
    let err = repo.xtask(&["versions"]).failure();
    assert!(
        err.contains(&format!(
            "{} has no Cargo.toml and no xtask-release.toml: write xtask-release.toml at the repository root with a [[package]] entry naming the manifest of each package to release (`cargo xtask init --write` proposes one; or pass --config FILE), e.g.\n\n[[package]]\nname = \"safebind-python\"\nmanifest = \"bindings/python/Cargo.toml\"\n\n[[package]]\nname = \"safebind\"\nmanifest = \"core/Cargo.toml\"",
            repo.dir.display()
        )),
        "{err}"
    );
    assert_eq!(repo.snapshot(), before);
    // Written as it says (a crate group, one tag), it reads.
    repo.write(
        "ci.toml",
        "[[package]]\nname = \"safebind\"\nmanifest = \"core/Cargo.toml\"\ncrates = [\"bindings/python/Cargo.toml\"]\n",
    );
    let table = repo.xtask(&["--config", "ci.toml", "versions"]).success();
    assert!(table.contains("safebind-python  lock"), "{table}");
}

#[test]
fn bump_moves_the_crate_and_its_binding_and_leaves_the_ignored_lock_alone() {
    let repo = shape_c();
    let binding_lock = repo.read("bindings/python/Cargo.lock");
    let run = repo.xtask(&["bump", "patch"]);
    run.success();
    assert!(
        run.stderr().contains("Bumping safebind 0.7.0 -> 0.7.1"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        repo.git(&["diff", "--name-only"]),
        "README.md\nbindings/python/Cargo.toml\ncore/Cargo.lock\ncore/Cargo.toml\n"
    );
    assert!(
        repo.read("bindings/python/Cargo.toml")
            .contains("safebind = { path = \"../../core\", version = \"0.7.1\" }")
    );
    assert!(
        repo.read("README.md")
            .contains("pip install safebind==0.7.1")
    );
    assert_eq!(repo.read("bindings/python/Cargo.lock"), binding_lock);
    assert_locked_in(&repo, "core");
    repo.xtask(&["check"]).success();
    // A drifted pin is repaired by sync, in the binding's own manifest.
    repo.replace(
        "bindings/python/Cargo.toml",
        "version = \"0.7.1\" }",
        "version = \"0.6.0\" }",
    );
    let err = repo.xtask(&["check"]).failure();
    assert!(
        err.contains("bindings/python/Cargo.toml:14: `safebind-python` requires safebind `0.6.0` but safebind is 0.7.1"),
        "{err}"
    );
    repo.xtask(&["sync"]).success();
    repo.xtask(&["check"]).success();
}

#[test]
fn on_a_release_branch_the_force_added_lock_moves_with_the_crates_it_lists() {
    let repo = shape_c();
    repo.git(&["switch", "-q", "-c", "release-0.7.1"]);
    repo.git(&["add", "-f", "bindings/python/Cargo.lock"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "chore: lock the binding for the release",
    ]);
    let table = repo.xtask(&["versions"]).success();
    for cells in [
        "safebind-python lock bindings/python/Cargo.lock:11 0.7.0 ok",
        "safebind lock bindings/python/Cargo.lock:7 0.7.0 ok",
    ] {
        assert!(rows(&table).contains(&row(cells)), "{cells} in\n{table}");
    }
    repo.xtask(&["bump", "patch"]).success();
    let lock = repo.read("bindings/python/Cargo.lock");
    assert!(
        lock.contains("name = \"safebind\"\nversion = \"0.7.1\"\n")
            && lock.contains("name = \"safebind-python\"\nversion = \"0.7.1\"\n"),
        "{lock}"
    );
    assert_locked_in(&repo, "bindings/python");
    assert_locked_in(&repo, "core");
}

#[test]
fn a_release_of_standalone_packages_runs_cargo_in_each_packages_folder() {
    let repo = shape_c();
    let target = target_env(&repo);
    let env = [("CARGO_TARGET_DIR", target.as_str())];
    let plan = repo.xtask_env(&["release"], &env);
    let out = plan.success();
    assert!(
        out.starts_with("release safebind 0.7.0 -> 0.8.0 (tag v0.8.0; minor: "),
        "{out}"
    );
    let args = [
        "release",
        "--rust",
        "patch",
        "--execute",
        "--skip",
        "semver-checks",
        "--skip",
        "audit",
    ];
    let run = repo.xtask_env(&args, &env);
    run.success();
    let err = run.stderr();
    for step in ["fmt", "clippy", "test", "doc", "package"] {
        assert!(err.contains(&format!("Passed {step} in")), "{step}:\n{err}");
    }
    assert!(
        err.contains("cargo package --locked --quiet -p safebind"),
        "{err}"
    );
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v0.7.1\n");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "release: safebind v0.7.1\n"
    );
    assert_eq!(
        committed(&repo, "HEAD"),
        "README.md\nbindings/python/Cargo.toml\ncore/CHANGELOG.md\ncore/Cargo.lock\ncore/Cargo.toml\n"
    );
    assert!(repo.remote_refs().contains("refs/tags/v0.7.1"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn publish_status_and_api_work_without_a_root_manifest() {
    let repo = shape_c();
    repo.git(&["checkout", "-q", "v0.7.0"]);
    let index = registries::local_index(&repo);
    let target = target_env(&repo);
    let env = [("CARGO_TARGET_DIR", target.as_str())];
    let run = repo.xtask_env(&["publish", "crate", "--index", &index], &env);
    assert_eq!(
        run.success(),
        format!(
            "plan:
  1. cargo package --locked -p safebind --index {index} --manifest-path core/Cargo.toml
  2. cargo info safebind@0.7.0 --index {index}
     skip the upload when the registry already has this version
  3. cargo publish --locked -p safebind --index {index} --manifest-path core/Cargo.toml --dry-run
     dry run: packs and verifies, uploads nothing (pass --execute to upload)
"
        )
    );
    assert!(
        run.stderr().contains("Packaging safebind v0.7.0"),
        "{}",
        run.stderr()
    );

    let status = repo.xtask_env(&["status", "--rust", "--index", &index], &env);
    assert!(!status.ok(), "the crate is on no registry");
    let out = status.stdout();
    for line in [
        "safebind 0.7.0 (v0.7.0)\n",
        &format!("  safebind 0.7.0 on index {index}  MISSING"),
        &format!(
            "  next: git -C {dir} checkout v0.7.0 && cargo xtask --root {dir} publish crate --execute\n",
            dir = repo.dir.display()
        ),
    ] {
        assert!(out.contains(line), "`{line}` in\n{out}");
    }
    let api = repo.xtask_env(&["api", "--rust"], &env);
    assert!(
        api.stdout().contains("safebind"),
        "{}\n{}",
        api.stdout(),
        api.stderr()
    );
    assert!(!api.stderr().contains("Cargo.toml"), "{}", api.stderr());
}

#[test]
fn a_group_published_from_two_cargo_workspaces_is_refused_naming_them() {
    let repo = shape_c();
    repo.replace(
        "bindings/python/Cargo.toml",
        "publish = false   # released on PyPI by maturin, not on crates.io\n",
        "",
    );
    let index = registries::local_index(&repo);
    let args = ["publish", "crate", "--allow-untagged", "--index", &index];
    let err = repo.xtask(&args).failure();
    assert!(
        err.contains("the crates of `safebind` to publish live in several Cargo workspaces (core, bindings/python): cargo packs a group in one workspace"),
        "{err}"
    );
}

#[test]
fn three_standalone_packages_each_with_its_series_and_its_lock() {
    let repo = shape_d();
    let table = repo.xtask(&["versions"]).success();
    let expected = [
        "lumen manifest lumen/Cargo.toml:3 2.3.0 ok",
        "lumen pin (lumen-python) bindings/python/Cargo.toml:13 2.3.0 ok",
        "lumen pin (lumen-node) bindings/node/Cargo.toml:12 2.3.0 ok",
        "lumen tag v{version} v2.3.0 ok",
        "lumen changelog CHANGELOG.md:12 2.3.0 ok",
        "lumen-python manifest bindings/python/Cargo.toml:3 2.3.0 ok",
        "lumen-python pyproject bindings/python/pyproject.toml dynamic (from Cargo.toml) ok",
        "lumen-python tag python-v{version} python-v2.3.0 ok",
        "lumen-python changelog bindings/python/CHANGELOG.md:9 2.3.0 ok",
        "lumen-node manifest bindings/node/Cargo.toml:3 2.3.0 ok",
        "lumen-node mention bindings/node/package.json:3 2.3.0 ok",
        "lumen-node mention bindings/node/package.json:11 2.3.0 ok",
        "lumen-node mention bindings/node/package.json:12 2.3.0 ok",
        "lumen-node mention bindings/node/package.json:13 2.3.0 ok",
        "lumen-node mention bindings/node/npm/linux-x64-gnu/package.json:3 2.3.0 ok",
        "lumen-node mention bindings/node/npm/darwin-arm64/package.json:3 2.3.0 ok",
        "lumen-node mention bindings/node/npm/win32-x64-msvc/package.json:3 2.3.0 ok",
        "lumen-node mention bindings/node/npm/android-arm64/package.json no file (optional): skipped ok",
        "lumen-node tag node-v{version} node-v2.3.0 ok",
        "lumen-node changelog bindings/node/CHANGELOG.md:9 2.3.0 ok",
        "lumen lock lumen/Cargo.lock:7 2.3.0 ok",
        "lumen-python lock bindings/python/Cargo.lock ignored by git: left alone ok",
        "lumen-node lock bindings/node/Cargo.lock:11 2.3.0 ok",
        "lumen lock bindings/node/Cargo.lock:7 2.3.0 ok",
    ];
    assert_eq!(rows(&table), expected.map(row), "{table}");
    repo.xtask(&["check"]).success();
    // The dormant changelog in the crate's folder is no changelog of it.
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "2.3.0"])
        .success();
    assert!(notes.contains("Spectrum::integrate_weighted"), "{notes}");
}

#[test]
fn the_node_bindings_package_files_and_lock_follow_it_and_an_optional_one_where_it_is() {
    let repo = shape_d();
    let crlf = "bindings/node/npm/win32-x64-msvc/package.json";
    repo.xtask(&["bump", "--node", "minor"]).success();
    assert_eq!(
        repo.git(&["diff", "--name-only"]),
        "bindings/node/Cargo.lock\nbindings/node/Cargo.toml\nbindings/node/npm/darwin-arm64/package.json\nbindings/node/npm/linux-x64-gnu/package.json\nbindings/node/npm/win32-x64-msvc/package.json\nbindings/node/package.json\n"
    );
    let package = repo.read("bindings/node/package.json");
    assert_eq!(package.matches("\"2.4.0\"").count(), 4, "{package}");
    assert!(repo.read(crlf).contains("\"version\": \"2.4.0\",\r\n"));
    let lock = repo.read("bindings/node/Cargo.lock");
    assert!(
        lock.contains("name = \"lumen-node\"\nversion = \"2.4.0\"\n"),
        "{lock}"
    );
    assert!(
        lock.contains("name = \"lumen\"\nversion = \"2.3.0\"\n"),
        "{lock}"
    );
    assert_locked_in(&repo, "bindings/node");
    repo.git(&["checkout", "-q", "."]);

    // A release branch that builds for Android has the optional file.
    repo.git(&["switch", "-q", "-c", "release-2.4"]);
    let android = "bindings/node/npm/android-arm64/package.json";
    std::fs::create_dir_all(repo.dir.join("bindings/node/npm/android-arm64")).unwrap();
    repo.commit(
        android,
        "{\n  \"name\": \"@lumen/node-android-arm64\",\n  \"version\": \"2.3.0\"\n}\n",
        "build(node): android",
        "Cy <cy@example.com>",
    );
    let table = repo.xtask(&["versions"]).success();
    assert!(
        rows(&table).contains(&row(&format!("lumen-node mention {android}:3 2.3.0 ok"))),
        "{table}"
    );
    repo.xtask(&["bump", "--node", "minor"]).success();
    assert!(repo.read(android).contains("\"version\": \"2.4.0\""));
}

#[test]
fn standalone_packages_are_released_together_each_at_its_own_tag() {
    let repo = shape_d();
    let plan = repo.xtask(&["release", "--py", "2.4.0-rc.1"]).success();
    assert!(
        plan.starts_with(
            "release lumen-python 2.3.0 -> 2.4.0-rc.1 (PyPI 2.4.0rc1) (tag python-v2.4.0-rc.1; "
        ),
        "{plan}"
    );
    assert!(plan.contains("## [2.4.0rc1] - "), "{plan}");
    assert!(
        !plan.contains("pyproject.toml"),
        "a dynamic version is maturin's: {plan}"
    );
    let args = [
        "release",
        "--rust",
        "patch",
        "--py",
        "patch",
        "--node",
        "patch",
        "--execute",
        "--skip-preflight",
    ];
    repo.xtask(&args).success();
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "node-v2.3.1\npython-v2.3.1\nv2.3.1\n"
    );
    let files = committed(&repo, "HEAD");
    assert!(files.contains("bindings/node/Cargo.lock\n"), "{files}");
    assert!(files.contains("lumen/Cargo.lock\n"), "{files}");
    assert!(!files.contains("bindings/python/Cargo.lock"), "{files}");
    assert!(!files.contains("lumen/CHANGELOG.md"), "{files}");
    assert_locked_in(&repo, "lumen");
    assert_locked_in(&repo, "bindings/node");
    repo.xtask(&["check"]).success();
}

#[test]
fn a_package_beside_the_workspace_is_a_package_like_any_other() {
    let repo = beside_workspace();
    let table = repo.xtask(&["versions"]).success();
    for cells in [
        "tidepool pin (tidepool-py) bindings/python/Cargo.toml:16 1.4.0 ok",
        "tidepool-py pyproject bindings/python/pyproject.toml:7 0.9.0 ok",
        "tidepool lock Cargo.lock:7 1.4.0 ok",
        "tidepool-py lock bindings/python/Cargo.lock:18 0.9.0 ok",
        "tidepool lock bindings/python/Cargo.lock:7 1.4.0 ok",
        "tidepool-macros lock bindings/python/Cargo.lock:14 1.4.0 ok",
    ] {
        assert!(rows(&table).contains(&row(cells)), "{cells} in\n{table}");
    }
    repo.xtask(&["check"]).success();
    repo.xtask(&["bump", "--py", "minor"]).success();
    assert!(
        repo.read("bindings/python/pyproject.toml")
            .contains("version = \"0.10.0\"")
    );
    assert_locked_in(&repo, "bindings/python");
}

#[test]
fn a_bump_of_the_crate_moves_every_lock_that_lists_it() {
    let repo = beside_workspace();
    repo.xtask(&["bump", "--rust", "minor"]).success();
    let lock = repo.read("bindings/python/Cargo.lock");
    assert!(
        lock.contains("name = \"tidepool\"\nversion = \"1.5.0\"\n"),
        "{lock}"
    );
    assert!(
        lock.contains("name = \"tidepool-macros\"\nversion = \"1.5.0\"\n"),
        "{lock}"
    );
    assert_locked_in(&repo, ".");
    assert_locked_in(&repo, "bindings/python");
    repo.xtask(&["check"]).success();

    // A binding lock behind the crate is drift: check names it, sync repairs it.
    repo.git(&["checkout", "-q", "."]);
    repo.replace(
        "bindings/python/Cargo.lock",
        "name = \"tidepool\"\nversion = \"1.4.0\"",
        "name = \"tidepool\"\nversion = \"1.3.1\"",
    );
    let err = repo.xtask(&["check"]).failure();
    assert!(
        err.contains("bindings/python/Cargo.lock:7: `tidepool` is locked at 1.3.1 but crates/tidepool/Cargo.toml says 1.4.0: run `cargo update -p tidepool --offline --manifest-path bindings/python/Cargo.toml` or `cargo xtask sync`"),
        "{err}"
    );
    repo.xtask(&["sync"]).success();
    assert_locked_in(&repo, "bindings/python");
}
