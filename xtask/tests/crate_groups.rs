//! Crate groups: `crates = [...]` releases other workspace crates in
//! lock-step with a package — one version, their pins, their Cargo.lock
//! entries — and `check` flags a member out of step. The real binary, git
//! and cargo on the workspace fixture grown by two storage crates.

mod common;

use common::Repo;
use common::rate_limited::RateLimited;
use common::registries::{local_index, local_index_at};

/// The workspace fixture plus `demo-store-mem` and `demo-store-disk` at
/// demo-core's version, the disk store pinned to the memory one with
/// `version = "0.4"`, released with demo-core through a glob.
fn grouped() -> Repo {
    let repo = Repo::new("workspace");
    for (dir, extra) in [
        ("demo-store-mem", ""),
        (
            "demo-store-disk",
            "\n[dependencies]\n# Spills to memory first.\ndemo-store-mem = { path = \"../demo-store-mem\", version = \"0.4\" }\n",
        ),
    ] {
        std::fs::create_dir_all(repo.dir.join(dir).join("src")).unwrap();
        repo.write(
            &format!("{dir}/Cargo.toml"),
            &format!("[package]\nname = \"{dir}\"\nversion = \"0.4.0\"\nedition.workspace = true\nlicense.workspace = true\nrepository.workspace = true\n{extra}"),
        );
        repo.write(&format!("{dir}/src/lib.rs"), "//! A storage backend.\n");
    }
    repo.replace(
        "Cargo.toml",
        "members = [\"demo-core\", \"demo-py\"]",
        "members = [\"demo-core\", \"demo-py\", \"demo-store-mem\", \"demo-store-disk\"]",
    );
    repo.replace(
        "Cargo.toml",
        "changelog = \"CHANGELOG.md\"\n",
        "changelog = \"CHANGELOG.md\"\n# The storage backends are released with the core, always at its version.\ncrates = [\"demo-store-*\"]\n",
    );
    repo.generate_lockfile();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "feat: storage backends"]);
    repo
}

#[test]
fn a_group_moves_as_one() {
    let repo = grouped();
    repo.xtask(&["check"]).success();
    let table = repo.xtask(&["versions"]).success();
    assert!(table.contains("demo-store-disk"), "{table}");

    repo.xtask(&["bump", "--rust", "minor"]).success();
    for dir in ["demo-core", "demo-store-mem", "demo-store-disk"] {
        assert!(
            repo.read(&format!("{dir}/Cargo.toml"))
                .contains("version = \"0.5.0\""),
            "{dir}"
        );
    }
    assert!(
        repo.read("demo-store-disk/Cargo.toml")
            .contains("demo-store-mem = { path = \"../demo-store-mem\", version = \"0.5\" }")
    );
    let lock = repo.read("Cargo.lock");
    for name in ["demo-core", "demo-store-mem", "demo-store-disk"] {
        assert!(
            lock.contains(&format!("name = \"{name}\"\nversion = \"0.5.0\"")),
            "{name}: {lock}"
        );
    }
    repo.assert_locked();
    repo.xtask(&["check"]).success();
}

#[test]
fn a_member_out_of_step_is_flagged_and_synced() {
    let repo = grouped();
    repo.replace(
        "demo-store-disk/Cargo.toml",
        "version = \"0.4.0\"",
        "version = \"0.4.1\"",
    );
    repo.replace(
        "Cargo.lock",
        "name = \"demo-store-disk\"\nversion = \"0.4.0\"",
        "name = \"demo-store-disk\"\nversion = \"0.4.1\"",
    );
    let stderr = repo.xtask(&["check"]).failure();
    assert!(
        stderr.contains("demo-store-disk/Cargo.toml:3: `demo-store-disk` is at 0.4.1 but its group follows demo-core 0.4.0: set it to \"0.4.0\", or run `cargo xtask sync`"),
        "{stderr}"
    );
    repo.xtask(&["sync"]).success();
    assert!(
        repo.read("demo-store-disk/Cargo.toml")
            .contains("version = \"0.4.0\"")
    );
    repo.xtask(&["check"]).success();
    repo.assert_locked();
}

/// The twelve crates of the lock-step fixture, each manifest's version
/// line: its own `version`, or the inherited one.
fn group_versions(repo: &Repo) -> Vec<String> {
    let root = repo.read("Cargo.toml");
    let mut out = vec![
        root.lines()
            .find(|l| l.starts_with("version ="))
            .unwrap()
            .to_string(),
    ];
    for dir in ["meta", "stores/disk", "stores/sqlite", "bindings/ffi"] {
        let text = repo.read(&format!("{dir}/Cargo.toml"));
        out.push(
            text.lines()
                .find(|l| l.starts_with("version"))
                .unwrap()
                .to_string(),
        );
    }
    out
}

#[test]
fn a_lock_step_family_with_inherited_versions_moves_as_one() {
    let repo = common::lockstep::lockstep();
    repo.xtask(&["check"]).success();
    let table = repo.xtask(&["versions"]).success();
    assert!(
        table.contains("manifest ([workspace.package], 6 crates)  Cargo.toml:7"),
        "{table}"
    );
    assert!(table.contains("bindings/ffi/pyproject.toml"), "{table}");

    repo.xtask(&["bump", "--rust", "minor"]).success();
    assert_eq!(
        group_versions(&repo),
        [
            "version = \"1.1.0\"  # lock-step",
            "version = \"1.1.0\" # kept equal to the workspace's",
            "version = \"1.1.0\" # kept equal to the workspace's",
            "version = \"1.1.0\" # kept equal to the workspace's",
            "version = \"1.1.0\" # kept equal to the workspace's",
        ]
    );
    // The inheriting crates keep inheriting; the root is edited once, comments kept.
    let root = repo.read("Cargo.toml");
    assert!(root.contains("# The family shares this version; some crates keep their own copy of it.\nversion = \"1.1.0\"  # lock-step\n"), "{root}");
    assert!(
        repo.read("core/Cargo.toml")
            .contains("version.workspace = true")
    );
    // Requirements move with the group at their own precision (`"1"` is
    // still `"1"`); an exact one moves exactly.
    let meta = repo.read("meta/Cargo.toml");
    assert!(meta.contains("vecstore-core = { path = \"../core\", version = \"1\" }\n# The default backend.\nvecstore-mem = { version = \"1.1.0\", path = \"../stores/mem\" }\n"), "{meta}");
    assert!(
        repo.read("stores/disk/Cargo.toml")
            .contains("vecstore-mem = { path = \"../mem\", version = \"=1.1.0\" }")
    );
    // The binding of the group follows in PEP 440; the Python package's dynamic version is left alone.
    assert_eq!(
        repo.read("bindings/ffi/pyproject.toml"),
        common::lockstep::FFI_PYPROJECT.replace("\"1.0.0\"", "\"1.1.0\"")
    );
    assert!(
        repo.read("python/pyproject.toml")
            .contains("dynamic = [\"version\"]")
    );
    let lock = repo.read("Cargo.lock");
    for name in [
        "vecstore",
        "vecstore-core",
        "vecstore-macros",
        "vecstore-disk",
        "vecstore-ffi",
    ] {
        assert!(
            lock.contains(&format!("name = \"{name}\"\nversion = \"1.1.0\"")),
            "{name}: {lock}"
        );
    }
    assert!(lock.contains("name = \"vecstore-python\"\nversion = \"1.2.0\""));
    repo.assert_locked();
    repo.xtask(&["check"]).success();
}

#[test]
fn an_inherited_version_or_a_binding_out_of_step_is_flagged_and_synced() {
    let repo = common::lockstep::lockstep();
    repo.replace(
        "Cargo.toml",
        "version = \"1.0.0\"  # lock-step",
        "version = \"1.0.1\"  # lock-step",
    );
    repo.replace(
        "bindings/ffi/pyproject.toml",
        "version = \"1.0.0\"",
        "version = \"0.9.0\"",
    );
    let stderr = repo.xtask(&["check"]).failure();
    assert!(
        stderr.contains("Cargo.toml:7: `[workspace.package] version` is 1.0.1, inherited by vecstore-core, vecstore-gcs, vecstore-mem, vecstore-postgres, vecstore-redis, vecstore-macros, but their group follows vecstore 1.0.0: set it to \"1.0.0\", or run `cargo xtask sync`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bindings/ffi/pyproject.toml:8: version \"0.9.0\" disagrees with meta/Cargo.toml version 1.0.0"),
        "{stderr}"
    );
    repo.xtask(&["sync"]).success();
    assert!(
        repo.read("Cargo.toml")
            .contains("version = \"1.0.0\"  # lock-step")
    );
    assert_eq!(
        repo.read("bindings/ffi/pyproject.toml"),
        common::lockstep::FFI_PYPROJECT
    );
    repo.xtask(&["check"]).success();
}

/// `status` of a group names each crate its registry lacks.
#[test]
fn status_names_each_crate_of_the_group_the_registry_lacks() {
    let repo = grouped();
    let index = local_index(&repo);
    let run = repo.xtask(&["status", "--rust", "--index", &index]);
    assert!(!run.ok(), "nothing is on the registry");
    let out = run.stdout();
    assert!(
        out.contains(&format!(
            "demo-core 0.4.0 on index {index}  MISSING  demo-core 0.4.0, demo-store-mem 0.4.0, demo-store-disk 0.4.0"
        )),
        "{out}"
    );
}

/// A registry answering 429 twice, then refusing (403): the upload waits
/// out the rate limit with a longer pause each time, the refusal fails that
/// crate and the next, the crate that needs them is skipped and named, and
/// the run ends non-zero. Real cargo, a real listener.
#[test]
fn a_group_waits_out_a_rate_limit_and_a_failure_skips_only_its_dependents() {
    let repo = grouped();
    let limited = RateLimited::start(2, None);
    let index = local_index_at(&repo, &limited.url());
    let run = publish_to_named(&repo, &index, &["--execute"]);
    let err = run.failure();
    let out = run.stdout();
    assert!(
        out.starts_with("plan:\n  1. cargo package --locked -p demo-core -p demo-store-mem -p demo-store-disk --registry local\n"),
        "{out}"
    );
    assert!(
        err.contains("Publishing demo-core 0.4.0 to registry `local` (its crates in this order: demo-core, demo-store-mem, demo-store-disk)"),
        "{err}"
    );
    for pause in ["in 2s (1 of 5 tries)", "in 4s (2 of 5 tries)"] {
        assert!(
            err.contains(&format!(
                "Rate-limited the registry turned the upload away (429); trying again {pause}"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("error: 3 of 3 crate(s) not published: demo-core 0.4.0 failed: the remote server responded with an error (status 403 Forbidden): this token may not publish this crate; "),
        "{err}"
    );
    assert!(
        err.contains("; demo-store-disk 0.4.0 skipped: it needs demo-store-mem, not on the registry; fix that, then run `cargo xtask publish crate --execute` again"),
        "{err}"
    );
    let seen = limited.seen();
    let statuses: Vec<&str> = seen.iter().map(|s| s.rsplit(' ').next().unwrap()).collect();
    assert_eq!(statuses, ["429", "429", "403", "403"], "{seen:?}");
    assert!(seen[0].starts_with("PUT /api/v1/crates/new "), "{seen:?}");
}

/// `publish crate --registry local --allow-untagged ARGS` with the registry
/// `local` at `index` (cargo's environment configuration), the storage pin
/// naming it, as a pin on a named registry must.
fn publish_to_named(repo: &Repo, index: &str, args: &[&str]) -> common::Run {
    repo.replace(
        "demo-store-disk/Cargo.toml",
        "version = \"0.4\" }",
        "version = \"0.4\", registry = \"local\" }",
    );
    repo.git(&["commit", "-qam", "build: the registry of the pin"]);
    let target = repo.base.join("target").display().to_string();
    let mut all = vec![
        "publish",
        "crate",
        "--registry",
        "local",
        "--allow-untagged",
    ];
    all.extend(args);
    repo.xtask_env(
        &all,
        &[
            ("CARGO_REGISTRIES_LOCAL_INDEX", index),
            ("CARGO_REGISTRIES_LOCAL_TOKEN", "t"),
            ("CARGO_TARGET_DIR", &target),
        ],
    )
}

/// The order comes from the manifests, not the configuration: with the
/// core needing the disk store (which needs the memory one), the core goes
/// last; a dry run packs and verifies all three, uploading nothing.
#[test]
fn a_group_is_published_in_the_order_its_manifests_give() {
    let repo = grouped();
    repo.replace(
        "demo-core/Cargo.toml",
        "[dependencies]\n",
        "[dependencies]\ndemo-store-disk = { path = \"../demo-store-disk\", version = \"0.4\", registry = \"local\" }\n",
    );
    let index = local_index(&repo);
    repo.generate_lockfile_env(&[("CARGO_REGISTRIES_LOCAL_INDEX", &index)]);
    repo.git(&["commit", "-qam", "feat: the core stores on disk"]);
    let run = publish_to_named(&repo, &index, &[]);
    let out = run.success();
    let order = "-p demo-store-mem -p demo-store-disk -p demo-core --registry local";
    assert!(
        out.starts_with(&format!("plan:\n  1. cargo package --locked {order}\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("  5. cargo publish --locked {order} --dry-run\n")),
        "{out}"
    );
    let err = run.stderr();
    assert!(
        err.contains(
            "Dry run demo-store-mem, demo-store-disk, demo-core 0.4.0 is ready for registry `local`"
        ),
        "{err}"
    );
}

/// A group's release is rolled back whole: the dry run plans a `cargo yank`
/// for every crate of the group, dependents first (the yank itself needs a
/// registry that takes it: only the plan is checked here).
#[test]
fn rollback_plans_a_yank_of_every_crate_of_the_group() {
    let repo = grouped();
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.git(&["push", "-q", "origin", "v0.4.0"]);
    let dry = repo.xtask(&["rollback", "v0.4.0", "--yank"]).success();
    assert_eq!(
        dry,
        "$ git tag --delete v0.4.0\n$ git push origin :refs/tags/v0.4.0\nthen: cargo yank --version 0.4.0 demo-store-disk\nthen: cargo yank --version 0.4.0 demo-store-mem\nthen: cargo yank --version 0.4.0 demo-core\n"
    );
    assert!(repo.remote_refs().contains("refs/tags/v0.4.0"), "a dry run");

    // With a registry that cannot be reached, the first yank fails and the
    // error names every yank left, to run by hand.
    let index = local_index(&repo);
    std::fs::create_dir_all(repo.dir.join(".cargo")).unwrap();
    repo.write(
        ".cargo/config.toml",
        &format!("[registries.local]\nindex = \"{index}\"\n"),
    );
    repo.replace(
        "Cargo.toml",
        "branch = \"main\"\n",
        "branch = \"main\"\nregistries = { crate-registry = \"local\" }\n",
    );
    let run = repo.xtask_env(
        &["rollback", "v0.4.0", "--execute", "--yank"],
        &[("CARGO_REGISTRIES_LOCAL_TOKEN", "t")],
    );
    let err = run.failure();
    let yank = |name: &str| format!("cargo yank --version 0.4.0 --registry local {name}");
    assert!(
        err.contains(&format!(
            "demo-store-disk 0.4.0 is not yanked: when the registry takes it, run {} && {} && {}",
            yank("demo-store-disk"),
            yank("demo-store-mem"),
            yank("demo-core")
        )),
        "{err}"
    );
    assert!(!repo.remote_refs().contains("refs/tags/v0.4.0"), "{err}");
}

#[test]
fn a_binding_counts_the_commits_of_the_group_it_depends_on() {
    // vecstore-python binds vecstore, whose group holds vecstore-core (a
    // path dependency of vecstore) and vecstore-disk (a member only);
    // since python-v1.2.0 only those two changed.
    let repo = common::lockstep::lockstep();
    let plan = repo
        .xtask(&["release", "--py", "patch", "--generate"])
        .success();
    assert!(
        plan.contains("release vecstore-python 1.2.0 -> 1.2.1 (tag python-v1.2.1; patch; since python-v1.2.0, 2 commit(s))"),
        "{plan}"
    );
    for entry in [
        "+- filter a search by tag ([#42]",
        "+- **disk**: flush before close ([#43]",
    ] {
        assert!(plan.contains(entry), "{entry}\n{plan}");
    }
    // The level follows them: the core's feat makes a minor release.
    let plan = repo
        .xtask(&["release", "--py", "auto", "--generate"])
        .success();
    assert!(
        plan.contains("release vecstore-python 1.2.0 -> 1.3.0 (tag python-v1.3.0; minor: "),
        "{plan}"
    );
}

/// A root crate `tern` whose group (`tern-core`, `tern-derive`) lives under
/// it in `crates/`, beside a private benchmark crate in `tools/bench`;
/// released as v0.58.1.
fn rooted_group() -> Repo {
    let krate = |name: &str, extra: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.58.1\"\nedition = \"2021\"\nlicense = \"MIT\"\n{extra}"
        )
    };
    let root = krate(
        "tern",
        "repository = \"https://github.com/acme/tern\"\n\n[dependencies]\ntern-core = { path = \"crates/core\", version = \"0.58.1\" }\ntern-derive = { path = \"crates/derive\", version = \"=0.58.1\" }\n\n[workspace]\nmembers = [\"crates/*\", \"tools/bench\"]\n\n[workspace.metadata.xtask-release]\nbranch = \"main\"\n\n[[workspace.metadata.xtask-release.package]]\nname = \"tern\"\n# The core and the derive macros go out with the crate, at its version.\ncrates = [\"tern-*\"]\n",
    );
    let files: Vec<(String, String)> = [
        ("Cargo.toml", root),
        ("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- Parsing.\n\n## [0.58.1] - 2026-03-02\n\n### Fixed\n\n- Spans.\n".into()),
        ("src/lib.rs", "//! tern\n".into()),
        ("crates/core/Cargo.toml", krate("tern-core", "")),
        ("crates/core/src/lib.rs", "//! tern-core\n".into()),
        ("crates/derive/Cargo.toml", krate("tern-derive", "")),
        ("crates/derive/src/lib.rs", "//! tern-derive\n".into()),
        ("tools/bench/Cargo.toml", krate("bench", "publish = false\n")),
        ("tools/bench/src/main.rs", "fn main() {}\n".into()),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t))
    .collect();
    let repo = Repo::from_files("rooted-group", &files);
    repo.generate_lockfile();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "chore: lock the workspace"]);
    repo.git(&["tag", "-a", "v0.58.1", "-m", "tern 0.58.1"]);
    repo
}

#[test]
fn every_commit_to_a_group_under_the_root_crate_counts() {
    let repo = rooted_group();
    let ann = "Ann <ann@example.com>";
    // 13 commits to the group's folders, 3 of them touching the root's too.
    for i in 0..13 {
        let (dir, kind) = match i % 3 {
            0 => ("crates/core", "fix(core)"),
            1 => ("crates/derive", "feat(derive)"),
            _ => ("crates/core", "perf(core)"),
        };
        if i < 3 {
            repo.write("src/lib.rs", &format!("//! tern, {i}\n"));
        }
        let text = format!("//! {dir}, change {i}\n");
        repo.commit(
            &format!("{dir}/src/lib.rs"),
            &text,
            &format!("{kind}: change {i}"),
            ann,
        );
    }
    // Not the package's: the benchmark crate nested under the root.
    for i in 0..2 {
        let text = format!("fn main() {{ let _ = {i}; }}\n");
        repo.commit("tools/bench/src/main.rs", &text, "fix(bench): warm up", ann);
    }
    let plan = repo.xtask(&["release", "--rust", "patch"]).success();
    assert!(
        plan.contains(
            "release tern 0.58.1 -> 0.58.2 (tag v0.58.2; patch; since v0.58.1, 13 commit(s))"
        ),
        "{plan}"
    );
    let notes = repo.xtask(&["changelog", "generate", "rust"]).success();
    assert!(
        notes.contains("change 12") && !notes.contains("warm up"),
        "{notes}"
    );
}
