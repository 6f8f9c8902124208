//! `sync` repairs drift; `bump` takes a value per flag and points at `sync`
//! when only drift is left; a release repairs the drift of what it releases.
//! The real binary, git and cargo on fixture repositories.

mod common;

use std::process::Command;

use common::{LIGHT, LIGHT_RUST, Repo, assert_same};

/// The workspace fixture with every kind of drift: the binding's inline-table
/// pin left at an old version (in a CRLF manifest) plus a loose dev pin, a
/// stale `pyproject.toml`, a stale lock entry, a stale README mention.
fn drifted() -> Repo {
    let repo = Repo::new("workspace");
    let edit = |file: &str, from: &str, to: &str| repo.replace(file, from, to);
    edit(
        "demo-py/Cargo.toml",
        "version = \"0.4.0\", default",
        "version = \"=0.3.2\", default",
    );
    edit(
        "demo-py/Cargo.toml",
        "default-features = false }\n",
        "default-features = false }\n\n[dev-dependencies]\ndemo-core = { path = \"../demo-core\", version = \"0.3\" }\n",
    );
    let crlf = repo.read("demo-py/Cargo.toml").replace('\n', "\r\n");
    repo.write("demo-py/Cargo.toml", &crlf);
    edit("demo-py/pyproject.toml", "\"0.3.0\"", "\"0.2.9\"");
    edit("Cargo.lock", "version = \"0.4.0\"", "version = \"0.3.7\"");
    edit(
        "README.md",
        "demo-core = \"0.4.0\"",
        "demo-core = \"0.3.0\"",
    );
    repo.git(&["commit", "-qam", "chore: drift"]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo
}

/// `cargo metadata --locked --offline` with the dependency graph resolved, so
/// a lock that disagrees with the manifests fails.
fn metadata_locked(repo: &Repo) -> std::process::Output {
    Command::new("cargo")
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .current_dir(&repo.dir)
        .env("CARGO_TARGET_DIR", repo.base.join("target"))
        .output()
        .unwrap()
}

#[test]
fn sync_sets_every_drifted_field_and_check_passes() {
    let repo = drifted();
    assert!(!metadata_locked(&repo).status.success());
    let stderr = repo.xtask(&["check"]).failure();
    assert!(stderr.contains("Failed 5 problem(s)"), "{stderr}");

    let before = repo.snapshot();
    let run = repo.xtask(&["sync", "--dry-run"]);
    let diff = run.success();
    assert_eq!(repo.snapshot(), before, "a dry run must not write");
    for line in [
        "+demo-core = { path = \"../demo-core\", version = \"=0.4.0\", default-features = false }\n",
        "+demo-core = { path = \"../demo-core\", version = \"0.4\" }\n",
        "+version = \"0.3.0\"   # static, equal to Cargo.toml's\n",
        "+demo-core = \"0.4.0\"\n",
    ] {
        assert!(diff.contains(line), "`{line}` missing from\n{diff}");
    }
    assert!(
        diff.contains("-version = \"0.3.7\"\n+version = \"0.4.0\"\n"),
        "{diff}"
    );
    assert!(
        run.stderr()
            .contains("Dry run 4 file(s) would change; nothing was written"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains(
            "Drift demo-py/pyproject.toml:7: version \"0.2.9\" disagrees with demo-py/Cargo.toml version 0.3.0\n"
        ),
        "{}",
        run.stderr()
    );

    let run = repo.xtask(&["sync"]);
    run.success();
    assert!(run.stderr().contains("Wrote 4 file(s)"), "{}", run.stderr());
    repo.xtask(&["check"]).success();
    let out = metadata_locked(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // CRLF stays CRLF, comments and the rest of each entry stay.
    let manifest = repo.read("demo-py/Cargo.toml");
    assert_eq!(
        manifest.matches('\n').count(),
        manifest.matches("\r\n").count()
    );
    assert!(
        manifest.contains("# The binding embeds the core: keep this pin equal to its version.\r\n")
    );
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"0.4.0\" # keep me")
    );
    // The diff of the whole sync: only the four version fields moved.
    let changed = repo.git(&["diff", "--numstat"]);
    assert_eq!(
        changed,
        "1\t1\tCargo.lock\n1\t1\tREADME.md\n2\t2\tdemo-py/Cargo.toml\n1\t1\tdemo-py/pyproject.toml\n"
    );

    let run = repo.xtask(&["sync"]);
    run.success();
    assert!(run.stderr().contains("nothing to do"), "{}", run.stderr());
}

#[test]
fn a_requirement_sync_cannot_rewrite_stops_it_naming_the_line() {
    let repo = drifted();
    let text = repo.read("demo-py/Cargo.toml");
    repo.write(
        "demo-py/Cargo.toml",
        &text.replace("version = \"=0.3.2\"", "version = \">=0.3, <0.4\""),
    );
    let before = repo.snapshot();
    let stderr = repo.xtask(&["sync"]).failure();
    assert!(
        stderr.contains("demo-py/Cargo.toml:13: dependency `demo-core`: cannot rewrite the requirement `>=0.3, <0.4`"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn a_failed_write_restores_every_file() {
    let repo = drifted();
    let before = repo.snapshot();
    // A directory where pyproject.toml's temporary file goes: the rename there fails.
    std::fs::create_dir(repo.dir.join("demo-py/.pyproject.toml.xtask-tmp")).unwrap();
    let stderr = repo.xtask(&["sync"]).failure();
    assert!(
        stderr.contains("writing demo-py/pyproject.toml failed; every file was restored"),
        "{stderr}"
    );
    std::fs::remove_dir(repo.dir.join("demo-py/.pyproject.toml.xtask-tmp")).unwrap();
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn bump_to_the_current_version_with_drift_points_to_sync() {
    let repo = drifted();
    let before = repo.snapshot();
    let stderr = repo.xtask(&["bump", "--rust", "0.4.0"]).failure();
    assert!(
        stderr.contains("error: demo-core is already at 0.4.0, but demo-py/Cargo.toml:13, demo-py/Cargo.toml:16, README.md:4, Cargo.lock:7 still disagree(s) with it: run `cargo xtask sync` to set every field to 0.4.0"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn bump_takes_a_value_per_flag() {
    let repo = Repo::new("workspace");
    let run = repo.xtask(&["bump", "--rust", "0.5.0", "--py", "0.3.1-rc.1", "--dry-run"]);
    run.success();
    assert!(
        run.stderr().contains("Bumping demo-core 0.4.0 -> 0.5.0"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("Bumping demo-py 0.3.0 -> 0.3.1-rc.1"),
        "{}",
        run.stderr()
    );

    repo.xtask(&["bump", "--py", "minor", "--rust", "major"])
        .success();
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"1.0.0\"")
    );
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.4.0\"")
    );
    repo.xtask(&["check"]).success();

    // A bare flag takes LEVEL; a flag's own value wins.
    repo.xtask(&["bump", "--rust", "--py", "0.5.0", "patch"])
        .success();
    assert!(
        repo.read("demo-core/Cargo.toml")
            .contains("version = \"1.0.1\"")
    );
    assert!(
        repo.read("demo-py/Cargo.toml")
            .contains("version = \"0.5.0\"")
    );

    let before = repo.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (
            &["bump", "--rust", "--py"],
            "error: no level for demo-core: give one per flag (`--rust minor`, `--rust 1.2.0`) or one LEVEL for all",
        ),
        (
            &["bump", "--rust", "minor", "--py", "patch", "major"],
            "error: LEVEL `major` applies to no package",
        ),
        (
            &["bump", "--rust", "minor", "--py", "1.0.0-nightly"],
            "demo-py cannot take 1.0.0-nightly",
        ),
    ];
    for (args, message) in cases {
        let stderr = repo.xtask(args).failure();
        assert!(
            stderr.contains(message),
            "{args:?}: expected `{message}` in\n{stderr}"
        );
        assert_eq!(repo.snapshot(), before, "{args:?} changed a file");
    }
}

#[test]
fn a_release_repairs_the_drift_of_what_it_releases_and_its_preflight_passes() {
    let repo = drifted();
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.git(&["tag", "-a", "py-v0.3.0", "-m", "demo-py 0.3.0"]);
    repo.git(&["push", "-q", "origin", "v0.4.0", "py-v0.3.0"]);
    let changelog = repo.read("demo-py/CHANGELOG.md").replace(
        "## [0.3.0]",
        "## [Unreleased]\n\n### Fixed\n\n- The answer.\n\n## [0.3.0]",
    );
    repo.write("demo-py/CHANGELOG.md", &changelog);
    repo.git(&["commit", "-qam", "docs: the binding's fix"]);
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    43\n}\n",
        "fix: the answer (#3)",
        "Ann <ann@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);

    // The pre-flight judged on disk would refuse: `check` fails.
    repo.xtask(&["check"]).failure();
    let before = repo.state();
    let run = repo.xtask(&["release", "--rust", "minor", "--py", "patch"]);
    let plan = run.success();
    assert_same(&before, &repo.state());
    assert!(
        run.stderr().contains("warning demo-py/Cargo.toml:13: `demo-py` requires demo-core `=0.3.2` but demo-core is 0.4.0: the release sets it\n"),
        "{}",
        run.stderr()
    );
    assert!(plan.contains("+version = \"0.3.1\"   # static"), "{plan}");
    assert!(plan.contains("+demo-core = \"0.5.0\"\n"), "{plan}");

    let mut args = vec!["release", "--rust", "minor", "--py", "patch", "--execute"];
    args.extend(LIGHT);
    let run = repo.xtask(&args);
    run.success();
    repo.xtask(&["check"]).success();
    let out = metadata_locked(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(repo.git(&["status", "--porcelain"]).is_empty());
    assert!(
        repo.read("demo-py/Cargo.toml")
            .contains("version = \"=0.5.0\", default-features = false }\r\n")
    );
    // The next release plans and executes on the repaired tree.
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    44\n}\n",
        "fix: the answer again (#4)",
        "Ann <ann@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);
    let mut args = vec!["release", "--rust", "patch", "--execute", "--generate"];
    args.extend(&LIGHT[..LIGHT_RUST]); // no Python step in a crate-only release
    repo.xtask(&args).success();
    repo.xtask(&["check"]).success();
    assert!(repo.git(&["tag", "--list"]).contains("v0.5.1"));
}

#[test]
fn sync_follows_an_inherited_version_and_a_workspace_dependency_pin() {
    let repo = Repo::new("workspace");
    let edit = |file: &str, from: &str, to: &str| repo.replace(file, from, to);
    edit(
        "Cargo.toml",
        "[workspace.package]\n",
        "[workspace.dependencies]\ndemo-core = { path = \"demo-core\", version = \"0.3.0\" }\n\n[workspace.package]\nversion = \"0.4.0\"\n",
    );
    edit(
        "demo-core/Cargo.toml",
        "version = \"0.4.0\" # keep me",
        "version.workspace = true",
    );
    edit(
        "demo-py/Cargo.toml",
        "version = \"0.3.0\"",
        "version.workspace = true",
    );
    edit(
        "demo-py/Cargo.toml",
        "{ path = \"../demo-core\", version = \"0.4.0\", default-features = false }",
        "{ workspace = true }",
    );
    repo.xtask(&["check"]).failure();
    repo.xtask(&["sync"]).success();
    repo.xtask(&["check"]).success();
    assert!(
        repo.read("Cargo.toml")
            .contains("demo-core = { path = \"demo-core\", version = \"0.4.0\" }\n")
    );
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.4.0\"   # static")
    );
    let out = metadata_locked(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn with_nothing_to_repair_sync_says_so_and_names_what_it_leaves() {
    let repo = Repo::new("workspace");
    let run = repo.xtask(&["sync"]);
    run.success();
    assert!(
        run.stderr().contains(
            "Synced every version field already agrees with its package's version; nothing to do"
        ),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("Remaining"), "{}", run.stderr());

    // A changelog problem is not a field sync sets: `check` keeps reporting it.
    let changelog = repo.read("CHANGELOG.md") + "\n## [0.4.0] - 2026-01-10\n\n- Again.\n";
    repo.write("CHANGELOG.md", &changelog);
    let before = repo.snapshot();
    let run = repo.xtask(&["sync"]);
    run.success();
    assert!(
        run.stderr()
            .contains("problem(s) sync does not repair; `cargo xtask check` lists them"),
        "{}",
        run.stderr()
    );
    assert_eq!(repo.snapshot(), before);
    repo.xtask(&["check"]).failure();
}

/// The workspace fixture with the binding's pins in requirement form, each
/// satisfied by demo-core 0.4.0: `0.4`, a range, and `^0.4` on a dev pin.
fn requirements() -> Repo {
    let repo = Repo::new("workspace");
    repo.replace(
        "demo-py/Cargo.toml",
        "version = \"0.4.0\", default",
        "version = \"0.4\", default",
    );
    repo.replace(
        "demo-py/Cargo.toml",
        "default-features = false }\n",
        "default-features = false }\n\n[dev-dependencies]\n# Tests run against any core of the 0.x line that has `answer`.\ndemo-core = { path = \"../demo-core\", version = \">=0.3, <0.5\" }\n\n[build-dependencies]\ndemo-core = { path = \"../demo-core\", version = \"^0.4\" }\n",
    );
    repo.git(&["commit", "-qam", "chore: loose pins"]);
    repo
}

#[test]
fn requirements_the_version_satisfies_are_no_drift() {
    let repo = requirements();
    let table = repo.xtask(&["versions"]).success();
    assert!(!table.contains("MISMATCH"), "{table}");
    repo.xtask(&["check"]).success();
    let run = repo.xtask(&["sync"]);
    run.success();
    assert!(run.stderr().contains("nothing to do"), "{}", run.stderr());

    // A patch release stays inside every requirement: none moves.
    let before = repo.read("demo-py/Cargo.toml");
    repo.xtask(&["bump", "--rust", "patch"]).success();
    assert_eq!(repo.read("demo-py/Cargo.toml"), before);
    repo.xtask(&["check"]).success();
}

#[test]
fn a_requirement_the_new_version_leaves_moves_in_its_own_form() {
    let repo = requirements();
    let before = repo.snapshot();
    let stderr = repo.xtask(&["bump", "--rust", "minor"]).failure();
    assert!(
        stderr.contains("demo-py/Cargo.toml:17: dependency `demo-core`: cannot rewrite the requirement `>=0.3, <0.5`: 0.5.0 is outside it"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot(), before);

    repo.replace("demo-py/Cargo.toml", ">=0.3, <0.5", ">=0.3, <2");
    let text = repo.read("demo-py/Cargo.toml");
    repo.xtask(&["bump", "--rust", "minor"]).success();
    assert_eq!(
        repo.read("demo-py/Cargo.toml"),
        text.replace("version = \"0.4\", default", "version = \"0.5\", default")
            .replace("\"^0.4\"", "\"^0.5\"")
    );
    repo.xtask(&["bump", "--rust", "1.0.0"]).success();
    let text = repo.read("demo-py/Cargo.toml");
    assert!(text.contains("version = \"1.0\", default"), "{text}");
    assert!(text.contains("\"^1.0\""), "{text}");
    assert!(text.contains("\">=0.3, <2\""), "{text}");
    // The default `dependent-version = "upgrade"` moves a requirement with
    // the crate at its own precision, though 1.1.0 is inside `1.0`.
    repo.xtask(&["bump", "--rust", "minor"]).success();
    assert_eq!(
        repo.read("demo-py/Cargo.toml"),
        text.replace("version = \"1.0\", default", "version = \"1.1\", default")
            .replace("\"^1.0\"", "\"^1.1\"")
    );
    repo.xtask(&["check"]).success();
    assert!(repo.cargo_metadata_locked().status.success());
}

#[test]
fn dependent_version_fix_moves_a_requirement_only_when_the_version_leaves_it() {
    let repo = requirements();
    repo.replace(
        "Cargo.toml",
        "[workspace.metadata.xtask-release]\n",
        "[workspace.metadata.xtask-release]\ndependent-version = \"fix\"\n",
    );
    repo.replace("demo-py/Cargo.toml", ">=0.3, <0.5", ">=0.3, <2");
    repo.replace("demo-py/Cargo.toml", "\"^0.4\"", "\"0.4.0\"");
    repo.git(&["commit", "-qam", "chore: fix pins"]);
    let text = repo.read("demo-py/Cargo.toml");
    repo.xtask(&["bump", "--rust", "patch"]).success();
    assert_eq!(repo.read("demo-py/Cargo.toml"), text, "0.4.1 is inside all");
    repo.xtask(&["bump", "--rust", "minor"]).success();
    assert_eq!(
        repo.read("demo-py/Cargo.toml"),
        text.replace("version = \"0.4\", default", "version = \"0.5\", default")
            .replace("\"0.4.0\"", "\"0.5.0\"")
    );
    repo.xtask(&["check"]).success();
}
