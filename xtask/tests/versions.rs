//! `versions`, `check` and `bump` on the three fixture layouts, with the real
//! binary, git and cargo.

mod common;

use common::Repo;

#[test]
fn the_workspace_layout_is_consistent_and_listed() {
    let repo = Repo::new("workspace");
    repo.git(&["tag", "v0.4.0"]);
    repo.git(&["tag", "py-v0.3.0"]);
    let table = repo.xtask(&["versions"]).success();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let expected = [
        vec!["package", "field", "where", "value", "status"],
        vec![
            "demo-core",
            "manifest",
            "demo-core/Cargo.toml:3",
            "0.4.0",
            "ok",
        ],
        vec![
            "demo-core",
            "pin",
            "(demo-py)",
            "demo-py/Cargo.toml:13",
            "0.4.0",
            "ok",
        ],
        vec!["demo-core", "mention", "README.md:4", "0.4.0", "ok"],
        vec!["demo-core", "tag", "v{version}", "v0.4.0", "ok"],
        vec!["demo-core", "changelog", "CHANGELOG.md:9", "0.4.0", "ok"],
        vec!["demo-py", "manifest", "demo-py/Cargo.toml:3", "0.3.0", "ok"],
        vec![
            "demo-py",
            "pyproject",
            "demo-py/pyproject.toml:7",
            "0.3.0",
            "ok",
        ],
        vec!["demo-py", "tag", "py-v{version}", "py-v0.3.0", "ok"],
        vec![
            "demo-py",
            "changelog",
            "demo-py/CHANGELOG.md:3",
            "0.3.0",
            "ok",
        ],
        vec!["demo-core", "lock", "Cargo.lock:7", "0.4.0", "ok"],
        vec!["demo-py", "lock", "Cargo.lock:11", "0.3.0", "ok"],
    ];
    assert_eq!(rows, expected, "{table}");
    repo.xtask(&["check"]).success();

    let json = repo.xtask(&["versions", "--json"]).success();
    assert!(
        json.starts_with(
            "{\"packages\":[{\"name\":\"demo-core\",\"flag\":\"rust\",\"version\":\"0.4.0\""
        ),
        "{json}"
    );
    assert!(json.contains("{\"package\":\"demo-py\",\"kind\":\"pyproject\",\"holder\":null,\"file\":\"demo-py/pyproject.toml\",\"line\":7,\"value\":\"0.3.0\",\"ok\":true,\"problem\":null}"), "{json}");
    assert!(json.trim_end().ends_with("\"problems\":[]}"), "{json}");
}

#[test]
fn bump_rust_minor_writes_every_field_and_nothing_else() {
    let repo = Repo::new("workspace");
    let before = repo.snapshot();
    let run = repo.xtask(&["bump", "--rust", "minor"]);
    let diff = run.success();
    assert!(
        run.stderr().contains("Bumping demo-core 0.4.0 -> 0.5.0"),
        "{}",
        run.stderr()
    );

    let after = repo.snapshot();
    let changed: Vec<&String> = after.keys().filter(|k| before[*k] != after[*k]).collect();
    assert_eq!(
        changed,
        [
            "Cargo.lock",
            "README.md",
            "demo-core/Cargo.toml",
            "demo-py/Cargo.toml"
        ]
    );
    let text = |p: &str| String::from_utf8(before[p].clone()).unwrap();
    assert_eq!(
        repo.read("demo-core/Cargo.toml"),
        text("demo-core/Cargo.toml").replace("\"0.4.0\" # keep me", "\"0.5.0\" # keep me")
    );
    assert_eq!(
        repo.read("demo-py/Cargo.toml"),
        text("demo-py/Cargo.toml").replace(
            "version = \"0.4.0\", default-features",
            "version = \"0.5.0\", default-features"
        )
    );
    assert_eq!(
        repo.read("README.md"),
        text("README.md").replace("0.4.0", "0.5.0")
    );
    assert_eq!(
        repo.read("Cargo.lock"),
        text("Cargo.lock").replace("version = \"0.4.0\"", "version = \"0.5.0\"")
    );
    assert!(
        diff.contains("--- a/demo-py/Cargo.toml\n+++ b/demo-py/Cargo.toml\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-version = \"0.4.0\" # keep me\n+version = \"0.5.0\" # keep me\n"),
        "{diff}"
    );

    repo.assert_locked();
    repo.xtask(&["check"]).success();
}

#[test]
fn bump_py_moves_the_binding_and_pyproject_together_in_pep440_form() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--py", "0.4.0-rc.1"]).success();
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.4.0rc1\"   # static, equal to Cargo.toml's\n")
    );
    assert!(
        repo.read("demo-py/Cargo.toml")
            .contains("name    = \"demo-py\"\nversion = \"0.4.0-rc.1\"\n")
    );
    assert!(
        repo.read("Cargo.lock")
            .contains("name = \"demo-py\"\nversion = \"0.4.0-rc.1\"\n")
    );
    // The binding's pin on the core did not move.
    assert!(
        repo.read("demo-py/Cargo.toml")
            .contains("version = \"0.4.0\", default-features")
    );
    repo.xtask(&["check"]).success();
    assert!(repo.cargo_metadata_locked().status.success());

    repo.xtask(&["bump", "--py", "patch"]).success();
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.4.0\"")
    );
}

#[test]
fn both_packages_at_once_and_the_dry_run_writes_nothing() {
    let repo = Repo::new("workspace");
    let before = repo.snapshot();
    let run = repo.xtask(&["bump", "--rust", "--py", "major", "--dry-run"]);
    let diff = run.success();
    assert_eq!(repo.snapshot(), before, "a dry run must not write");
    for file in [
        "Cargo.lock",
        "README.md",
        "demo-core/Cargo.toml",
        "demo-py/Cargo.toml",
        "demo-py/pyproject.toml",
    ] {
        assert!(
            diff.contains(&format!("+++ b/{file}\n")),
            "{file} missing from\n{diff}"
        );
    }
    assert!(diff.contains("+version = \"1.0.0\" # keep me"), "{diff}");
    assert!(diff.contains("+version = \"1.0.0\"   # static"), "{diff}");
    assert!(
        run.stderr()
            .contains("Dry run 5 file(s) would change; nothing was written"),
        "{}",
        run.stderr()
    );
}

#[test]
fn bad_input_is_refused_with_the_reason_and_nothing_changes() {
    let repo = Repo::new("workspace");
    let before = repo.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (
            &["bump", "minor"],
            "error: choose what to bump: --rust (demo-core 0.4.0), --py (demo-py 0.3.0)",
        ),
        (
            &["bump", "--rust", "huge"],
            "error: `huge` is neither a level (major, minor, patch, auto, dev, alpha, beta, rc, release) nor a SemVer version",
        ),
        (
            &["bump", "--rust", "0.3.9"],
            "error: demo-core 0.3.9 is not greater than the current 0.4.0: pass --allow-downgrade to go back",
        ),
        (
            &["bump", "--rust", "0.4.0"],
            "error: demo-core is already at 0.4.0: choose a level or a different version",
        ),
        (
            &["bump", "--py", "1.0.0-nightly"],
            "error: demo-py cannot take 1.0.0-nightly because demo-py/pyproject.toml needs a PEP 440 version: pre-release `nightly` of 1.0.0-nightly has no PEP 440 form",
        ),
        (
            &["bump", "--py", "1.0.0+build.1"],
            "has build metadata `+build.1`, which PEP 440 does not allow",
        ),
        (
            &["bump", "--py", "1.0.0-alpha.1.2"],
            "pre-release `alpha.1.2` of 1.0.0-alpha.1.2 has no PEP 440 form",
        ),
        (
            &["bump", "-p", "ghost", "patch"],
            "error: unknown package `ghost`: the released packages are --rust (demo-core 0.4.0), --py (demo-py 0.3.0)",
        ),
        (&["bump", "--go", "patch"], "unexpected argument '--go'"),
        (
            &["bump", "--go", "patch"],
            "hint `--go` is no option of `bump` and no package of this repository: its packages' flags are --rust (demo-core 0.4.0), --py (demo-py 0.3.0)",
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
    repo.xtask(&["bump", "--rust", "0.3.9", "--allow-downgrade", "--dry-run"])
        .success();
}

#[test]
fn python_versions_must_grow_in_pep440_order() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--py", "0.4.0-beta.1"]).success();
    let before = repo.snapshot();
    let stderr = repo.xtask(&["bump", "--py", "0.4.0-dev.1"]).failure();
    assert!(
        stderr.contains(
            "demo-py 0.4.0.dev1 is not greater than the current 0.4.0b1 in PEP 440 order"
        ),
        "{stderr}"
    );
    assert_eq!(repo.snapshot(), before);
    repo.xtask(&["bump", "--py", "0.4.0-rc.1"]).success();
}

#[test]
fn broken_files_are_named_with_their_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "demo-core/Cargo.toml",
            "version = \"0.4.0\" # keep me",
            "version = 0.4.0",
            "demo-core/Cargo.toml:3: invalid TOML",
        ),
        (
            "demo-core/Cargo.toml",
            "version = \"0.4.0\" # keep me",
            "version = \"four\"",
            "demo-core/Cargo.toml:3: version \"four\" is not SemVer",
        ),
        (
            "demo-core/Cargo.toml",
            "version = \"0.4.0\" # keep me\n",
            "",
            "demo-core/Cargo.toml: `[package]` has no `version`",
        ),
        (
            "demo-py/pyproject.toml",
            "version = \"0.3.0\"   # static, equal to Cargo.toml's\n",
            "",
            "demo-py/pyproject.toml: `[project]` has no `version`",
        ),
        (
            "demo-py/pyproject.toml",
            "[project]",
            "[project",
            "demo-py/pyproject.toml:5: invalid TOML",
        ),
        (
            "Cargo.toml",
            "name = \"demo-py\"",
            "name = \"demo-pyx\"",
            "`demo-pyx` is not a package of this workspace: the packages are demo-core, demo-py",
        ),
        (
            "Cargo.toml",
            "pyproject = \"demo-py/pyproject.toml\"",
            "pyproject = \"demo-py/missing.toml\"",
            "pyproject `demo-py/missing.toml`: cannot read demo-py/missing.toml",
        ),
        (
            "Cargo.toml",
            "changelog = \"CHANGELOG.md\"",
            // A folder, not a file (a changelog that does not exist yet is fine).
            "changelog = \"demo-core\"",
            "changelog `demo-core`: demo-core is not a regular file",
        ),
        (
            "Cargo.toml",
            "tag = \"v{version}\"",
            "tag = \"v\"",
            "tag template `v` must contain exactly one `{version}`",
        ),
        (
            "demo-py/Cargo.toml",
            "version = \"0.4.0\", default",
            // A range that 0.5.0 leaves (one it stays in is left alone).
            "version = \">=0.4, <0.5\", default",
            "demo-py/Cargo.toml:13: dependency `demo-core`: cannot rewrite the requirement `>=0.4, <0.5`: 0.5.0 is outside it",
        ),
    ];
    for (file, from, to, message) in cases {
        let repo = Repo::new("workspace");
        repo.replace(file, from, to);
        let before = repo.snapshot();
        let stderr = repo.xtask(&["bump", "--rust", "--py", "minor"]).failure();
        assert!(
            stderr.contains(message),
            "{file}: expected `{message}` in\n{stderr}"
        );
        assert_eq!(repo.snapshot(), before, "{file}: a file changed");
    }
}

#[test]
fn check_lists_every_problem_with_its_fix() {
    let repo = Repo::new("workspace");
    let edit =
        |file: &str, from: &str, to: &str| repo.write(file, &repo.read(file).replacen(from, to, 1));
    edit("demo-py/pyproject.toml", "\"0.3.0\"", "\"0.3.1\"");
    edit(
        "demo-py/Cargo.toml",
        "version = \"0.4.0\", default",
        "version = \"0.3.0\", default",
    );
    edit("Cargo.lock", "version = \"0.3.0\"", "version = \"0.2.0\"");
    edit("README.md", "0.4.0", "0.3.5");
    edit(
        "Cargo.toml",
        "tag = \"py-v{version}\"",
        "tag = \"vpy{version}\"",
    );
    let stderr = repo.xtask(&["check"]).failure();
    let expected = [
        "demo-py/Cargo.toml:13: `demo-py` requires demo-core `0.3.0` but demo-core is 0.4.0: set the requirement to \"0.4.0\"",
        "README.md:4: mentions demo-core 0.3.5, the current version is 0.4.0: update it",
        "demo-py/pyproject.toml:7: version \"0.3.1\" disagrees with demo-py/Cargo.toml version 0.3.0: set it to \"0.3.0\"",
        "Cargo.lock:11: `demo-py` is locked at 0.2.0 but demo-py/Cargo.toml says 0.3.0: run `cargo update --workspace --offline`",
        "tag template `v{version}` of demo-core also matches `vpy1.2.3`, a tag of demo-py (`vpy{version}`)",
        "Failed 5 problem(s)",
    ];
    for line in expected {
        assert!(stderr.contains(line), "expected `{line}` in\n{stderr}");
    }
    let table = repo.xtask(&["versions"]).failure();
    assert_eq!(
        repo.xtask(&["versions"])
            .stdout()
            .matches("MISMATCH")
            .count(),
        4,
        "{table}"
    );
}

#[test]
fn pep440_spellings_in_pyproject_compare_by_value() {
    let repo = Repo::new("workspace");
    repo.xtask(&["bump", "--py", "0.4.0-rc.1"]).success();
    let file = "demo-py/pyproject.toml";
    repo.write(
        file,
        &repo.read(file).replace("\"0.4.0rc1\"", "\"0.4.0-RC1\""),
    );
    repo.xtask(&["check"]).success();
}

#[test]
fn a_failure_part_way_restores_every_file() {
    let repo = Repo::new("workspace");
    let before = repo.snapshot();
    let run = repo.xtask_env(
        &["bump", "--rust", "--py", "minor"],
        &[("XTASK_FAIL_WRITE", "2")],
    );
    let stderr = run.failure();
    assert!(stderr.contains("every file was restored"), "{stderr}");
    assert!(stderr.contains("injected failure"), "{stderr}");
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn a_read_only_manifest_stops_the_bump_before_any_write() {
    let repo = Repo::new("workspace");
    let path = repo.dir.join("demo-py/Cargo.toml");
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = repo.snapshot();
    let stderr = repo.xtask(&["bump", "--rust", "minor"]).failure();
    assert!(
        stderr.contains("demo-py/Cargo.toml is read-only: nothing was written"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn a_root_crate_with_a_binding_beside_it_works_on_defaults() {
    let repo = Repo::new("root-crate");
    let table = repo.xtask(&["versions"]).success();
    assert!(
        table.contains("rooted     pin (rooted-py)  binding/Cargo.toml:8"),
        "{table}"
    );
    assert!(
        table.contains("rooted-py  pyproject        binding/pyproject.toml:7"),
        "{table}"
    );
    let stderr = repo.xtask(&["bump", "patch"]).failure();
    assert!(
        stderr.contains("choose what to bump: --rust (rooted 1.2.3), --py (rooted-py 0.9.0)"),
        "{stderr}"
    );

    repo.xtask(&["bump", "--rust", "patch"]).success();
    assert!(
        repo.read("Cargo.toml")
            .contains("name = \"rooted\"\nversion = \"1.2.4\"\n")
    );
    assert!(
        repo.read("binding/Cargo.toml")
            .contains("rooted = { version = \"=1.2.4\", path = \"..\" }")
    );
    assert!(repo.cargo_metadata_locked().status.success());
    repo.xtask(&["bump", "--py", "minor"]).success();
    assert!(
        repo.read("binding/pyproject.toml")
            .contains("version = \"0.10.0\"")
    );
    repo.xtask(&["check"]).success();
}

#[test]
fn a_single_crate_without_a_lock_needs_no_configuration() {
    let repo = Repo::new("single");
    let table = repo.xtask(&["versions"]).success();
    assert_eq!(table.lines().count(), 5, "{table}");
    // No lock: nothing to move, and the table says so.
    assert!(
        table.contains("solo     lock       Cargo.lock    no file: left alone"),
        "{table}"
    );
    assert!(
        table.contains("solo     manifest   Cargo.toml:3"),
        "{table}"
    );
    assert!(table.contains("solo     tag        v{version}"), "{table}");
    repo.xtask(&["bump", "minor"]).success();
    assert!(repo.read("Cargo.toml").contains("version = \"0.2.0\""));
    assert!(
        !repo.dir.join("Cargo.lock").exists(),
        "no lock file is created"
    );
}

#[test]
fn the_configuration_can_come_from_a_file() {
    let repo = Repo::new("single");
    repo.write(
        "release.toml",
        "[[package]]\nname = \"solo\"\nflag = \"crate\"\ntag = \"solo-v{version}\"\n",
    );
    let table = repo
        .xtask(&["--config", "release.toml", "versions"])
        .success();
    assert!(table.contains("solo-v{version}"), "{table}");
    repo.xtask(&["--config", "release.toml", "bump", "--crate", "patch"])
        .success();
    assert!(repo.read("Cargo.toml").contains("version = \"0.1.1\""));
    repo.write(
        "release.toml",
        "[[package]]\nname = \"solo\"\nflg = \"x\"\n",
    );
    let stderr = repo
        .xtask(&["--config", "release.toml", "versions"])
        .failure();
    assert!(
        stderr.contains("release.toml package #1 (`solo`): unknown key `flg`"),
        "{stderr}"
    );
}

#[test]
fn packages_sharing_the_workspace_version_move_together() {
    let repo = Repo::new("workspace");
    let edit = |file: &str, from: &str, to: &str| repo.replace(file, from, to);
    edit(
        "Cargo.toml",
        "[workspace.package]\n",
        "[workspace.package]\nversion = \"0.4.0\"\n",
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
    edit("demo-py/pyproject.toml", "\"0.3.0\"", "\"0.4.0\"");
    edit("Cargo.lock", "version = \"0.3.0\"", "version = \"0.4.0\"");
    repo.xtask(&["check"]).success();

    let before = repo.snapshot();
    let stderr = repo.xtask(&["bump", "--rust", "minor"]).failure();
    assert!(stderr.contains("demo-core, demo-py inherit [workspace.package] version from Cargo.toml: select them all, to one version"), "{stderr}");
    assert_eq!(repo.snapshot(), before);

    repo.xtask(&["bump", "--rust", "--py", "minor"]).success();
    assert!(
        repo.read("Cargo.toml")
            .contains("[workspace.package]\nversion = \"0.5.0\"\n")
    );
    assert!(
        repo.read("demo-py/pyproject.toml")
            .contains("version = \"0.5.0\"")
    );
    assert!(
        repo.read("demo-py/Cargo.toml")
            .contains("version = \"0.5.0\", default-features")
    );
    assert_eq!(
        repo.read("Cargo.lock")
            .matches("version = \"0.5.0\"")
            .count(),
        2
    );
    repo.xtask(&["check"]).success();
    assert!(repo.cargo_metadata_locked().status.success());
}

#[test]
fn ignored_tags_are_no_releases_for_any_command() {
    let repo = Repo::new("workspace");
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    // A tag from an old experiment, merged long ago, far above the crate.
    repo.git(&["tag", "-a", "v3.0.0", "-m", "experiment"]);
    repo.commit(
        "demo-core/src/lib.rs",
        "pub fn answer() -> u32 {\n    43\n}\n",
        "fix: the answer (#3)",
        "Ann <ann@example.com>",
    );
    // Above the manifest: a warning naming the way out, never an error.
    let run = repo.xtask(&["check"]);
    run.success();
    assert!(
        run.stderr().contains("v3.0.0 is above demo-core 0.4.0 (demo-core/Cargo.toml) and is not taken as its previous release: add it to `ignore-tags` if it is no release of demo-core, or bump past it"),
        "{}",
        run.stderr()
    );

    repo.replace(
        "Cargo.toml",
        "branch = \"main\"\n",
        "branch = \"main\"\n# An experiment, never released.\nignore-tags = [\"v3.*\"]\n",
    );
    let run = repo.xtask(&["check"]);
    run.success();
    assert!(!run.stderr().contains("v3.0.0"), "{}", run.stderr());
    let table = repo.xtask(&["versions"]).success();
    assert!(!table.contains("v3.0.0"), "{table}");
    let plan = repo.xtask(&["release", "--rust", "auto"]).success();
    assert!(plan.contains("release demo-core 0.4.0 -> 0.4.1"), "{plan}");
    let notes = repo
        .xtask(&["changelog", "generate", "rust", "--format", "whats-changed"])
        .success();
    assert!(notes.contains("/compare/v0.4.0...v0.4.1"), "{notes}");
}
