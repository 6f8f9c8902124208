//! `cargo xtask init`: on a repository of every shape the other tests
//! have, its configuration taken away, `init --write` writes one that
//! `check` and a dry-run `release` take without an edit; the guesses it
//! makes are the ones the fixture's own configuration spells out; it never
//! writes over a configuration; and another tool's configuration (here
//! cargo-release's and release-plz's) is carried over and left as it is.

mod common;

use common::{Repo, lockstep, standalone};

/// `text` without our configuration tables (`[workspace.metadata.xtask-release]`,
/// its `[[…package]]` and `[…registries]`, and the old `[workspace.metadata.release]`).
fn without_configuration(text: &str) -> String {
    let ours = |header: &str| {
        let name = header.trim_start_matches('[').trim_end_matches(']');
        [
            "workspace.metadata.xtask-release",
            "workspace.metadata.release",
        ]
        .iter()
        .any(|t| name == *t || name.starts_with(&format!("{t}.")))
    };
    let mut skipping = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = ours(line.trim());
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Takes the repository's configuration away, in the work tree only: a
/// commit would be one more commit to release for a crate at the root.
fn unconfigured(repo: &Repo) {
    let _ = std::fs::remove_file(repo.dir.join("xtask-release.toml"));
    if repo.dir.join("Cargo.toml").exists() {
        let text = repo.read("Cargo.toml");
        repo.write("Cargo.toml", &without_configuration(&text));
    }
}

/// The dry run every shape is judged by: drafting notes from the commits,
/// as a first release of a changelog whose `[Unreleased]` is empty needs.
const DRY_RUN: [&str; 2] = ["release", "--generate"];

/// The plan of the repository's own configuration, then `unconfigured`.
fn plan_then_unconfigure(repo: &Repo, label: &str) -> String {
    let plan = repo.xtask(&DRY_RUN);
    assert!(plan.ok(), "{label}: {}", plan.stderr());
    unconfigured(repo);
    plan.stdout()
}

/// The repository's own configuration taken away, `init --write`: `check`
/// and the dry run pass, and the plan is the one its own configuration made.
fn reconfigured(repo: &Repo, label: &str) -> String {
    let before = plan_then_unconfigure(repo, label);
    let written = init_check_release(repo, label);
    let after = repo.xtask(&DRY_RUN).stdout();
    assert_eq!(
        after, before,
        "{label}: the plan differs from the one of its own configuration, with\n{written}"
    );
    written
}

/// `init --write`, then `check` and a dry-run `release`, each succeeding;
/// the file written.
fn init_check_release(repo: &Repo, label: &str) -> String {
    let run = repo.xtask(&["init", "--write"]);
    let stderr = run.stderr();
    let printed = run.success();
    assert!(
        stderr.contains("Wrote xtask-release.toml"),
        "{label}: {stderr}"
    );
    assert!(!stderr.contains("check will say"), "{label}: {stderr}");
    let written = repo.read("xtask-release.toml");
    assert_eq!(
        printed, written,
        "{label}: what is printed is what is written"
    );
    let check = repo.xtask(&["check"]);
    assert!(
        check.ok(),
        "{label}: check fails on\n{written}\n{}",
        check.stderr()
    );
    let release = repo.xtask(&DRY_RUN);
    assert!(
        release.ok(),
        "{label}: the dry run fails on\n{written}\n{}",
        release.stderr()
    );
    written
}

/// Asserts `written` holds each of `lines`, a comment wrapped over lines
/// read as one.
#[track_caller]
fn has(written: &str, lines: &[&str]) {
    let unwrapped = written.replace("\n#   ", " ").replace("\n# ", " ");
    for line in lines {
        assert!(
            written.contains(line) || unwrapped.contains(line),
            "`{line}` in\n{written}"
        );
    }
}

#[test]
fn init_writes_what_check_and_a_dry_run_take_on_a_workspace_and_single_crates() {
    let repo = Repo::released();
    let written = reconfigured(&repo, "workspace");
    has(
        &written,
        &[
            "name = \"demo-core\"\nflag = \"rust\"\ntag = \"v{version}\"  # 1 tag(s), newest v0.4.0: the manifest's version\n",
            "changelog = \"CHANGELOG.md\"\n",
            "  { file = \"README.md\", pattern = 'demo-core = \"{version}\"' },\n",
            "name = \"demo-py\"\nflag = \"py\"\ntag = \"py-v{version}\"",
            "changelog = \"demo-py/CHANGELOG.md\"",
            "pyproject = \"demo-py/pyproject.toml\"\n",
        ],
    );
    // The plan is the one the fixture's own configuration gives.
    let plan = repo.xtask(&["release"]).success();
    assert!(
        plan.contains("release demo-core 0.4.0 -> 0.4.1 (tag v0.4.1; patch:"),
        "{plan}"
    );
    for fixture in ["single", "root-crate", "publish"] {
        let repo = Repo::new(fixture);
        reconfigured(&repo, fixture);
    }
}

#[test]
fn init_reads_pep440_tags_change_files_and_towncrier_fragments() {
    let repo = Repo::new("dotless");
    for tag in [
        "v0.22.2",
        "v0.23.0",
        "py-v0.23.0",
        "v0.23.1rc0",
        "py-v0.23.1rc0",
    ] {
        repo.git(&["tag", "-a", tag, "-m", tag]);
    }
    let written = reconfigured(&repo, "dotless");
    has(
        &written,
        &[
            "tag = \"v{pep440}\"",
            "tag = \"py-v{pep440}\"",
            "{ file = \"README.md\", pattern = 'tern = \"={version}\"' }",
            "not released (publish = false, no pyproject.toml or package.json beside): tern-bench",
        ],
    );
    let repo = Repo::new("changes");
    repo.git(&["tag", "-a", "v0.4.0", "-m", "vecstore 0.4.0"]);
    repo.git(&["tag", "-a", "py-v0.2.0", "-m", "vecstore-py 0.2.0"]);
    repo.git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "chore: after the release",
    ]);
    let written = reconfigured(&repo, "changes");
    has(
        &written,
        &[
            "fragments = \"vecstore-py/newsfragments\"  # towncrier's directory in its pyproject.toml\n",
        ],
    );
    let plan = repo.xtask(&["release"]).success();
    assert!(plan.contains("minor: .changes/streaming.md"), "{plan}");
}

#[test]
fn init_finds_packages_outside_the_root_workspace_and_their_bindings() {
    let repo = standalone::shape_c();
    let written = reconfigured(&repo, "no-root");
    has(
        &written,
        &[
            "manifest = \"core/Cargo.toml\"",
            "tag = \"v{version}\"",
            "crates = [\"bindings/python/Cargo.toml\"]",
            "safebind-python has no tag series of its own and is at safebind's version",
            "{ file = \"README.md\", pattern = \"safebind=={pep440}\" }",
        ],
    );
    assert!(!written.contains("next-dev"), "{written}");
    let repo = standalone::shape_d();
    let written = reconfigured(&repo, "three-standalone");
    has(
        &written,
        &[
            "# lumen/CHANGELOG.md stopped at 0.12.1, the newest tag is v2.3.0: left as it is\n",
            "tag = \"python-v{version}\"",
            "flag = \"node\"\ntag = \"node-v{version}\"",
            "{ file = \"bindings/node/package.json\", key = \"optionalDependencies.@lumen/node-win32-x64-msvc\" }",
            "{ file = \"bindings/node/npm/darwin-arm64/package.json\", key = \"version\" }",
        ],
    );
    let repo = standalone::beside_workspace();
    let written = reconfigured(&repo, "workspace-standalone");
    has(
        &written,
        &[
            "A guess: its crates share one version (exact pins), so they are released as one",
            "crates = [\"tidepool-macros\"]",
            "manifest = \"bindings/python/Cargo.toml\"",
            "pattern = 'tidepool = \"{major}.{minor}\"'",
        ],
    );
}

#[test]
fn init_reads_a_bindings_finished_series_as_previous_tags_of_the_crate_it_joined() {
    // Shape D after its switch to one tag, and one release under it: the
    // bindings' python-v* and node-v* stop at 2.3.0, v2.3.1 tags all three.
    let repo = standalone::shape_d_switched("changelog = \"CHANGELOG.md\"");
    repo.xtask(&[
        "release",
        "--rust",
        "patch",
        "--generate",
        "--execute",
        "--skip-preflight",
    ])
    .success();
    let path = "bindings/python/src/lib.rs";
    let text = format!("{}// fix(py): release the GIL\n", repo.read(path));
    repo.commit(
        path,
        &text,
        "fix(py): release the GIL (#91)",
        "Cy <cy@example.com>",
    );
    unconfigured(&repo);
    let written = init_check_release(&repo, "switched");
    has(
        &written,
        &[
            "tag = \"v{version}\"  # 2 tag(s), newest v2.3.1: the manifest's version\n",
            "python-v* (1 tag(s), newest python-v2.3.0), node-v* (1 tag(s), newest node-v2.3.0): its releases before `v{version}`, read as its releases too, never made again\nprevious-tags = [\"python-v{version}\", \"node-v{version}\"]",
            "crates = [\"bindings/python/Cargo.toml\", \"bindings/node/Cargo.toml\"]",
            "lumen-python 2.3.1 is tagged v2.3.1, lumen's; its own tags stop at python-v2.3.0",
            "{ file = \"bindings/node/package.json\", key = \"version\" }",
        ],
    );
    assert_eq!(written.matches("[[package]]").count(), 1, "{written}");
    // 2.3.0 was released as python-v2.3.0: a release of lumen's.
    let status = repo
        .xtask(&["status", "--rust", "2.3.0", "--json"])
        .stdout();
    assert!(status.contains("\"tag\":\"python-v2.3.0\""), "{status}");
    let plan = repo.xtask(&["release", "--generate"]).success();
    assert!(
        plan.starts_with("release lumen 2.3.1 -> 2.3.2 (tag v2.3.2; patch: "),
        "{plan}"
    );
}

#[test]
fn init_keeps_no_changelog_for_a_released_package_whose_changelog_stopped_or_is_absent() {
    // Shape D, whose notes moved to the GitHub releases: the root changelog
    // and the Node binding's are gone, the crate's own stopped at 0.12.1.
    let repo = standalone::shape_d();
    repo.git(&["rm", "-q", "CHANGELOG.md", "bindings/node/CHANGELOG.md"]);
    repo.git(&[
        "commit",
        "-qm",
        "docs: release notes live in the GitHub releases",
    ]);
    unconfigured(&repo);
    let written = init_check_release(&repo, "dormant");
    has(
        &written,
        &[
            "lumen/CHANGELOG.md stopped at 0.12.1, the newest tag is v2.3.0: dormant, so left as it is and read by no command; notes come from change files and commits (a path keeps a changelog again)\nchangelog = false\n",
            "no changelog, though released (newest tag node-v2.3.0): its notes live elsewhere; notes come from change files and commits (`changelog = \"bindings/node/CHANGELOG.md\"` would start one)\nchangelog = false\n",
            "changelog = \"bindings/python/CHANGELOG.md\"",
        ],
    );
    let plan = repo.xtask(&["release", "--generate"]).success();
    assert!(
        plan.starts_with("release lumen 2.3.0 -> 2.3.1 (tag v2.3.1; patch: "),
        "{plan}"
    );
    assert!(!plan.contains("lumen/CHANGELOG.md"), "{plan}");
    assert!(!plan.contains("bindings/node/CHANGELOG.md"), "{plan}");
    assert!(plan.contains("bindings/python/CHANGELOG.md"), "{plan}");
}

#[test]
fn init_finds_release_branches_local_and_on_the_remote() {
    // Shape C as it runs: 0.7.0 tagged on `release-0.7.0`, never merged.
    let repo = standalone::shape_c_dev("");
    repo.git(&["switch", "-q", "-c", "feature/1.2-ui"]);
    repo.git(&["switch", "-q", "main"]);
    unconfigured(&repo);
    let written = init_check_release(&repo, "release branches");
    has(
        &written,
        &[
            "main: the repository has a branch main; release-*: release branches (release-0.7.0 holds v0.7.0)\nbranches = [\"main\", \"release-*\"]\n",
        ],
    );
    // A clone has the branch as origin's only.
    std::fs::remove_file(repo.dir.join("xtask-release.toml")).unwrap();
    repo.git(&["branch", "-q", "-D", "release-0.7.0"]);
    let written = init_check_release(&repo, "release branches on origin");
    has(&written, &["branches = [\"main\", \"release-*\"]\n"]);
    // The configuration lets a release run there.
    repo.git(&["switch", "-q", "-c", "release-0.8.0"]);
    let plan = repo.xtask(&["release", "--pre", "rc"]);
    plan.success();
    assert!(
        !plan.stderr().contains("none of the release branches"),
        "{}",
        plan.stderr()
    );
}

#[test]
fn init_sets_next_dev_when_the_main_line_moved_to_a_development_version_after_releases() {
    // Shape C as it runs: main moved to 0.8.0-dev.0 right after 0.7.0
    // left it for its release branch.
    let repo = standalone::shape_c_dev("");
    unconfigured(&repo);
    let written = init_check_release(&repo, "development version");
    has(
        &written,
        &[
            "safebind is at 0.8.0-dev.0, a development version, and the main line moved to the next minor's -dev.0 right after each release (0.8.0-dev.0 after v0.7.0, at ",
            "): a release on it ends with that move, a second commit\nnext-dev = \"minor\"\n",
        ],
    );
    let plan = repo.xtask(&["release", "--generate"]).success();
    assert!(
        plan.starts_with(
            "release safebind 0.8.0-dev.0 -> 0.8.0 (tag v0.8.0; finishes the development version;"
        ),
        "{plan}"
    );
    assert!(
        plan.contains("chore(release): start safebind v0.9.0-dev.0"),
        "{plan}"
    );
    // Moved to a development version later than right after its release:
    // a suggestion, commented out.
    let repo = standalone::shape_c();
    repo.xtask(&["bump", "0.8.0-dev.0"]).success();
    repo.git(&["commit", "-q", "-am", "chore: start 0.8.0 development"]);
    unconfigured(&repo);
    let written = init_check_release(&repo, "development version, later");
    has(
        &written,
        &[
            "safebind is at 0.8.0-dev.0, a development version; the main line did not move to one right after each release (0.7.0 after v0.7.0, at ",
            "): uncomment to have a release on it followed by a commit to the next version's -dev.0",
            "-dev.0\n# next-dev = \"minor\"\nmentions = [\n",
        ],
    );
}

#[test]
fn init_groups_a_lockstep_family_and_shares_a_changelog_named_by_tags() {
    let repo = lockstep::lockstep();
    let written = reconfigured(&repo, "lockstep");
    has(
        &written,
        &[
            "name = \"vecstore\"\nflag = \"rust\"\ntag = \"rust-v{version}\"",
            "crates = [\"vecstore-*\"]",
            "[workspace.package] version",
            "name = \"vecstore-python\"\nflag = \"py\"\ntag = \"python-v{version}\"",
            "# ignore-tags = [\"rust-v3.0.0\"]",
        ],
    );
    assert_eq!(
        written.matches("changelog = \"CHANGELOG.md\"").count(),
        2,
        "{written}"
    );
}

#[test]
fn init_never_writes_over_a_configuration_and_prints_without_write() {
    let repo = Repo::new("workspace");
    let before = repo.state();
    let dry = repo.xtask(&["init"]);
    let stderr = dry.stderr();
    let printed = dry.success();
    assert!(printed.contains("[[package]]\n"), "{printed}");
    // Run on another repository (--root), the command it names says so.
    let again = format!(
        "nothing was written: `cargo xtask --root {} init --write` writes",
        repo.dir.display()
    );
    assert!(stderr.contains(&again), "{stderr}");
    let refused = repo.xtask(&["init", "--write"]).failure();
    assert!(
        refused.contains("a release configuration is in Cargo.toml [workspace.metadata.xtask-release] already: init writes none over it"),
        "{refused}"
    );
    common::assert_same(&before, &repo.state());
    let repo = Repo::new("no-root");
    let refused = repo.xtask(&["init", "--write"]).failure();
    assert!(
        refused.contains("a release configuration is in xtask-release.toml already"),
        "{refused}"
    );
}

/// A workspace released with cargo-release: its settings in the root
/// manifest, a crate's `release.toml` and a crate's manifest table; tags in
/// its default workspace form (`NAME-vX.Y.Z`).
fn cargo_release_repo() -> Repo {
    let root = r#"[workspace]
resolver = "2"
members = ["crates/*"]

[workspace.package]
edition = "2021"
license = "MIT"

# cargo-release, as the project has used it for years.
[workspace.metadata.release]
allow-branch = ["trunk", "release/*"]
sign-tag = true
sign-commit = true
dependent-version = "fix"
pre-release-commit-message = "chore: release"
tag-message = "{{crate_name}} {{version}}"
pre-release-replacements = [
  { file = "CHANGELOG.md", search = "Unreleased", replace = "{{version}}" },
  { file = "README.md", search = "gale = .*", replace = "{{crate_name}} = \"{{version}}\"", prerelease = true },
]
"#;
    let crate_text = |name: &str, deps: &str, meta: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"2.1.0\"\nedition.workspace = true\nlicense.workspace = true\n\n[dependencies]\n{deps}{meta}"
        )
    };
    let files = [
        ("Cargo.toml", root.to_string()),
        (
            "crates/gale/Cargo.toml",
            crate_text(
                "gale",
                "gale-wind = { path = \"../gale-wind\", version = \"2.1.0\" }\n",
                "\n[package.metadata.release]\nshared-version = \"family\"\n",
            ),
        ),
        (
            "crates/gale-wind/Cargo.toml",
            crate_text(
                "gale-wind",
                "",
                "\n[package.metadata.release]\nshared-version = \"family\"\n",
            ),
        ),
        (
            "crates/gale-bench/Cargo.toml",
            crate_text(
                "gale-bench",
                "",
                "\n[package.metadata.release]\nrelease = false\n",
            ),
        ),
        (
            "crates/gale-wind/release.toml",
            "tag-prefix = \"wind-\"\n".to_string(),
        ),
        (
            "README.md",
            "# gale\n\n```toml\ngale = \"2.1.0\"\n```\n".to_string(),
        ),
        (
            "crates/gale/CHANGELOG.md",
            "# Changelog\n\n## [Unreleased] - ReleaseDate\n\n## [2.1.0] - 2025-05-02\n\n- Gusts.\n"
                .to_string(),
        ),
    ];
    let files: Vec<(String, String)> = files.into_iter().map(|(p, t)| (p.to_string(), t)).collect();
    let mut all = files;
    for name in ["gale", "gale-wind", "gale-bench"] {
        all.push((format!("crates/{name}/src/lib.rs"), format!("//! {name}\n")));
    }
    let repo = Repo::from_files("cargo-release", &all);
    repo.git(&["branch", "-m", "main", "trunk"]);
    repo.generate_lockfile();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "chore: lock"]);
    repo.git(&["tag", "-a", "gale-v2.0.0", "-m", "gale 2.0.0", "HEAD~1"]);
    repo.git(&["tag", "-a", "gale-v2.1.0", "-m", "gale 2.1.0"]);
    repo.commit(
        "crates/gale/src/lib.rs",
        "//! gale

/// Gusts.
pub fn gust() {}
",
        "feat: gusts (#7)",
        "Ann <ann@example.com>",
    );
    repo
}

#[test]
fn init_carries_cargo_releases_settings_over_and_leaves_them_alone() {
    let repo = cargo_release_repo();
    let manifest = repo.read("Cargo.toml");
    let written = init_check_release(&repo, "cargo-release");
    has(
        &written,
        &[
            "cargo-release's configuration (Cargo.toml [workspace.metadata.release], crates/gale/Cargo.toml [package.metadata.release],",
            "gale-bench: `release = false` in cargo-release's configuration: left out",
            "`git config tag.gpgSign true`",
            "branches = [\"trunk\", \"release/*\"]  # cargo-release's allow-branch\n",
            "dependent-version = \"fix\"  # cargo-release's dependent-version\n",
            "tag-message = \"{name} {version}\"",
            "crates = [\"gale-wind\"]",
            "cargo-release's shared-version",
            "tag = \"gale-v{version}\"  # 2 tag(s), newest gale-v2.1.0: the manifest's version\n",
            "  { file = \"README.md\", pattern = 'gale = \"{version}\"' },\n",
            "cargo-release's replacement in crates/gale/CHANGELOG.md (search `Unreleased`) is left out: the release promotes the changelog itself",
            "# cargo-release's template (`## [Unreleased] - ReleaseDate`), newest 2.1.0\nchangelog = \"crates/gale/CHANGELOG.md\"\n",
        ],
    );
    // cargo-release's configuration stays as it was: cargo-release reads it.
    assert_eq!(repo.read("Cargo.toml"), manifest);
    let plan = repo
        .xtask(&["release", "--rust", "minor", "--generate"])
        .success();
    assert!(
        plan.contains("release gale 2.1.0 -> 2.2.0 (tag gale-v2.2.0; minor"),
        "{plan}"
    );
    assert!(
        plan.contains("-gale = \"2.1.0\"\n+gale = \"2.2.0\""),
        "{plan}"
    );
}

#[test]
fn init_takes_release_plz_tag_names_and_changelog_paths() {
    let files: Vec<(String, String)> = [
        (
            "Cargo.toml",
            "[package]\nname = \"breeze\"\nversion = \"0.3.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
        ),
        ("src/lib.rs", "//! breeze\n"),
        (
            "release-plz.toml",
            "[workspace]\nchangelog_update = true\n\n[[package]]\nname = \"breeze\"\ngit_tag_name = \"breeze@{{ version }}\"\nchangelog_path = \"docs/CHANGES.md\"\n",
        ),
        (
            "docs/CHANGES.md",
            "# Changelog\n\n## [Unreleased]\n\n## [0.3.0](https://github.com/o/breeze/compare/breeze@0.2.0...breeze@0.3.0) - 2025-02-02\n\n- Calm.\n",
        ),
    ]
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .to_vec();
    let repo = Repo::from_files("release-plz", &files);
    let written = init_check_release(&repo, "release-plz");
    has(
        &written,
        &[
            "release-plz's configuration (release-plz.toml)",
            "tag = \"breeze@{version}\"  # no tags yet: release-plz's git_tag_name\n",
            "changelog = \"docs/CHANGES.md\"  # release-plz's changelog_path\n",
        ],
    );
}

#[test]
fn init_names_what_it_cannot_read_and_writes_nothing() {
    let files: Vec<(String, String)> = [
        ("Cargo.toml", "[workspace]\nmembers = [\"core\"]\n"),
        (
            "core/Cargo.toml",
            "[package]\nname = \"core\"\nversion = \"1.0\"\n",
        ),
        ("core/src/lib.rs", "//! core\n"),
    ]
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .to_vec();
    let repo = Repo::from_files("init-bad", &files);
    let before = repo.state();
    let stderr = repo.xtask(&["init", "--write"]).failure();
    assert!(
        stderr.contains("core/Cargo.toml:3: version \"1.0\" is not SemVer"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    common::assert_same(&before, &repo.state());
    let refused = repo.xtask(&["init", "--config", "x.toml"]).failure();
    assert!(
        refused.contains(
            "init writes xtask-release.toml at the repository root and reads no --config"
        ),
        "{refused}"
    );
}
