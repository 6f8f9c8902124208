//! Crate groups: `crates = [...]` releases other workspace crates in
//! lock-step with a package — one version, their pins, their Cargo.lock
//! entries — and `check` flags a member out of step. The real binary, git
//! and cargo on the workspace fixture grown by two storage crates.

mod common;

use common::Repo;

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
    // Requirements the new version satisfies stay; an exact one moves exactly.
    let meta = repo.read("meta/Cargo.toml");
    assert!(meta.contains("vecstore-core = { path = \"../core\", version = \"1\" }\n# The default backend.\nvecstore-mem = { version = \"1.0.0\", path = \"../stores/mem\" }\n"), "{meta}");
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
