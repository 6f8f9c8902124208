//! Where the release configuration is read, with the real binary: this
//! tool's own table (`[workspace.metadata.xtask-release]`) or file
//! (`xtask-release.toml`), the old `[workspace.metadata.release]` with a
//! warning, and another tool's configuration (cargo-release's table and
//! `release.toml`) left alone by every command.

mod common;

use common::Repo;

/// cargo-release's configuration in the table it reads, as a repository
/// that releases with it writes it: keys this tool does not know.
const CARGO_RELEASE_TABLE: &str = r#"
# cargo-release (`cargo release`): signing, one version for every crate.
[workspace.metadata.release]
sign-commit = true
sign-tag = true
shared-version = true
consolidate-commits = true
pre-release-commit-message = "chore: release {{version}}"
tag-name = "{{prefix}}v{{version}}"
pre-release-replacements = [
  { file = "README.md", search = "demo-core = \"[0-9.]+\"", replace = "demo-core = \"{{version}}\"" },
]
"#;

/// cargo-release's own file: read by cargo-release, never by this tool.
const RELEASE_TOML: &str = "# cargo-release\r\nallow-branch = [\"main\", \"release-*\"]\r\npush-remote = \"origin\"\r\npublish = false\r\ndependent-version = \"warn\"\r\n";

/// The `workspace` fixture with its configuration moved out of Cargo.toml
/// into `xtask-release.toml` (the same keys at the top level), and
/// cargo-release's configuration beside it: its table and its file.
fn beside_cargo_release() -> Repo {
    let repo = Repo::new("workspace");
    let manifest = repo.read("Cargo.toml");
    let at = manifest.find("[workspace.metadata.xtask-release]").unwrap();
    let ours = manifest[at..]
        .replace("[workspace.metadata.xtask-release]\n", "")
        .replace(
            "[[workspace.metadata.xtask-release.package]]",
            "[[package]]",
        );
    repo.write("xtask-release.toml", &ours);
    repo.write(
        "Cargo.toml",
        &format!("{}{CARGO_RELEASE_TABLE}", &manifest[..at]),
    );
    repo.write("release.toml", RELEASE_TOML);
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "chore: release with cargo-release too",
    ]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo
}

#[test]
fn another_tools_configuration_beside_ours_is_left_alone_by_every_command() {
    let repo = beside_cargo_release();
    repo.tag_then_fix();
    let table = repo.xtask(&["versions"]).success();
    assert!(
        table.contains("demo-core  mention        README.md:4"),
        "{table}"
    );
    for args in [
        &["check"][..],
        &["bump", "--rust", "patch", "--dry-run"],
        &["sync", "--dry-run"],
        &["changelog", "lint"],
        &["changelog", "notes", "py", "0.3.0"],
        &["changelog", "suggest", "rust"],
        &["release"],
        &["release", "--pr"],
    ] {
        let run = repo.xtask(args);
        run.success();
        assert!(
            !run.stderr().contains("metadata.release"),
            "{args:?} names the other tool's table:\n{}",
            run.stderr()
        );
    }
    let release = repo.xtask(&[
        "release",
        "--rust",
        "patch",
        "--execute",
        "--skip-preflight",
    ]);
    release.success();
    assert_eq!(repo.git(&["tag", "--points-at", "HEAD"]), "v0.4.1\n");
    // Their configuration is theirs: not a byte of it changed.
    assert!(repo.read("Cargo.toml").ends_with(CARGO_RELEASE_TABLE));
    assert_eq!(repo.read("release.toml"), RELEASE_TOML);
}

#[test]
fn another_tools_table_alone_leaves_the_defaults() {
    let repo = Repo::new("single");
    repo.replace(
        "Cargo.toml",
        "[dependencies]",
        "[package.metadata.release]\nsign-commit = true\npre-release-replacements = []\n\n[dependencies]",
    );
    repo.write("release.toml", RELEASE_TOML);
    let table = repo.xtask(&["versions"]).success();
    assert!(table.contains("solo     manifest"), "{table}");
    let plan = repo.xtask(&["bump", "patch", "--dry-run"]);
    plan.success();
    assert!(
        plan.stderr().contains("solo 0.1.0 -> 0.1.1"),
        "{}",
        plan.stderr()
    );
}

#[test]
fn the_old_table_is_read_with_one_warning_that_names_the_new_place() {
    let repo = Repo::new("workspace");
    let manifest = repo.read("Cargo.toml").replace("xtask-release", "release");
    repo.write("Cargo.toml", &manifest);
    repo.git(&["commit", "-q", "-am", "chore: the configuration as it was"]);
    let warning = "warning Cargo.toml [workspace.metadata.release]: the configuration is read from its old place, where cargo-release looks too (and refuses keys it does not know): rename the table to Cargo.toml [workspace.metadata.xtask-release] (and each `[[…package]]` with it), or move its keys to xtask-release.toml at the repository root";

    let check = repo.xtask(&["check"]);
    check.success();
    assert_eq!(
        check.stderr().matches(warning).count(),
        1,
        "{}",
        check.stderr()
    );
    let json = repo.xtask(&["check", "--json"]).success();
    assert!(json.contains("\"warnings\":[\"Cargo.toml [workspace.metadata.release]: the configuration is read from its old place"), "{json}");

    // Its packages are read from it: the flags work.
    let versions = repo.xtask(&["versions"]);
    assert!(
        versions.success().contains("demo-py    tag"),
        "{}",
        versions.stdout()
    );
    assert_eq!(
        versions.stderr().matches(warning).count(),
        1,
        "{}",
        versions.stderr()
    );
    let plan = repo.xtask(&["release", "--rust", "patch"]);
    plan.success();
    assert_eq!(
        plan.stderr().matches(warning).count(),
        1,
        "{}",
        plan.stderr()
    );
}

#[test]
fn the_table_and_the_file_together_are_refused_naming_both() {
    let repo = Repo::new("workspace");
    repo.write("xtask-release.toml", "branch = \"main\"\n");
    let before = repo.snapshot();
    let err = repo.xtask(&["versions"]).failure();
    assert!(
        err.contains("the release configuration is in both Cargo.toml [workspace.metadata.xtask-release] and xtask-release.toml: keep one of them"),
        "{err}"
    );
    assert_eq!(repo.snapshot(), before);
}
