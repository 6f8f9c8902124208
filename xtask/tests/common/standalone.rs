//! Repositories of standalone Cargo packages, as the projects of issue 29
//! have them: no root `Cargo.toml` (`no-root`, `three-standalone`), or a
//! root workspace with a binding beside it (`workspace-standalone`); each
//! with tags and a few commits since, and a binding's `Cargo.lock` that git
//! ignores on main, present in the work tree as a build leaves it.

use std::process::Command;

use super::Repo;

/// Shape C: `core/` (the crate `safebind`) and `bindings/python/` (its
/// maturin binding, released with it: one tag `v*`), released as 0.7.0,
/// then a feature, a binding fix and a CI change; the binding's lock ignored.
pub fn shape_c() -> Repo {
    let repo = Repo::new("no-root");
    repo.git(&["tag", "-a", "v0.7.0", "-m", "safebind 0.7.0"]);
    let lib = repo.read("core/src/lib.rs");
    repo.commit(
        "core/src/lib.rs",
        &format!(
            "{lib}\n/// Slots freed by a compaction.\npub fn compacted() -> usize {{\n    0\n}}\n"
        ),
        "feat: Store::compact (#41)",
        "Ann <ann@example.com>",
    );
    repo.commit(
        "bindings/python/src/lib.rs",
        "/// The slots of a new store, for Python (the GIL released).\npub fn slots() -> usize {\n    safebind::slots()\n}\n",
        "fix(py): release the GIL while counting slots (#43)",
        "Bo <bo@example.com>",
    );
    repo.commit(
        ".github/workflows/ci.yml",
        "on: [push]\njobs: {}\n",
        "ci: build the wheels on every push",
        "Ann <ann@example.com>",
    );
    let changelog = repo.read("core/CHANGELOG.md").replace(
        "## [Unreleased]\n",
        "## [Unreleased]\n\n### Added\n\n- `Store::compact`.\n",
    );
    repo.commit(
        "core/CHANGELOG.md",
        &changelog,
        "docs: changelog",
        "Ann <ann@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main", "v0.7.0"]);
    repo.generate_lockfile_in("bindings/python", &[]);
    repo
}

/// Shape D: three standalone packages — the crate `lumen`, its Python
/// binding and its Node binding — each with its own tag series, released
/// as 2.3.0, then a fix in each; the Python binding's lock ignored.
pub fn shape_d() -> Repo {
    let repo = Repo::new("three-standalone");
    for (tag, name) in [
        ("v2.3.0", "lumen"),
        ("python-v2.3.0", "lumen-python"),
        ("node-v2.3.0", "lumen-node"),
    ] {
        repo.git(&["tag", "-a", tag, "-m", &format!("{name} 2.3.0")]);
    }
    for (dir, subject) in [
        ("lumen", "fix: clamp negative radiance (#88)"),
        ("bindings/python", "fix(py): accept numpy arrays (#89)"),
        ("bindings/node", "fix(node): return a Float64Array (#90)"),
    ] {
        let path = format!("{dir}/src/lib.rs");
        let text = format!("{}// {subject}\n", repo.read(&path));
        repo.commit(&path, &text, subject, "Cy <cy@example.com>");
    }
    for path in [
        "CHANGELOG.md",
        "bindings/python/CHANGELOG.md",
        "bindings/node/CHANGELOG.md",
    ] {
        let text = repo.read(path).replace(
            "## [Unreleased]\n",
            "## [Unreleased]\n\n### Fixed\n\n- A fix.\n",
        );
        repo.write(path, &text);
    }
    repo.git(&["commit", "-q", "-am", "docs: changelogs"]);
    repo.git(&["push", "-q", "origin", "main", "--tags"]);
    repo.generate_lockfile_in("bindings/python", &[]);
    repo
}

/// A root workspace (`tidepool` and its macros crate) and its Python
/// binding beside it, with a lock of its own that git tracks; released as
/// tidepool 1.4.0 and tidepool-py 0.9.0, then a fix to the crate.
pub fn beside_workspace() -> Repo {
    let repo = Repo::new("workspace-standalone");
    repo.git(&["tag", "-a", "v1.4.0", "-m", "tidepool 1.4.0"]);
    repo.git(&["tag", "-a", "py-v0.9.0", "-m", "tidepool-py 0.9.0"]);
    let path = "crates/tidepool/src/lib.rs";
    let text = format!(
        "{}\n/// Workers of a pool of `n` slots.\npub fn workers_for(n: usize) -> usize {{\n    n.min(capacity())\n}}\n",
        repo.read(path)
    );
    repo.commit(
        path,
        &text,
        "feat: workers_for (#12)",
        "Di <di@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main", "--tags"]);
    repo
}

/// Asserts that the lock of the Cargo workspace in `dir` is what its
/// manifests need: `cargo metadata --locked` resolves (unlike `--no-deps`,
/// which reads no lock), so a stale entry fails.
#[track_caller]
pub fn assert_locked_in(repo: &Repo, dir: &str) {
    let out = Command::new("cargo")
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .current_dir(repo.dir.join(dir))
        .env("CARGO_TARGET_DIR", repo.base.join("target"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{dir}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
