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
    compact_and_gil(&repo);
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

/// Shape C as it really runs: main always at the next version's `-dev.0`,
/// each release prepared on a branch named after it whose tags are never
/// merged into main. `release-0.7.0` holds the tag `v0.7.0` (and the
/// binding's lock, force-added); main moved to `0.8.0-dev.0`, then got a
/// feature, a binding fix, a change file and changelog entries. The
/// configuration lets releases run on `main` and `release-*`, trains start
/// at `rc.0`; `extra` is added to its top.
pub fn shape_c_dev(extra: &str) -> Repo {
    let repo = Repo::new("no-root");
    let config = repo.read("xtask-release.toml").replace(
        "branch = \"main\"\n",
        &format!("branches = [\"main\", \"release-*\"]\npre-start = 0\n{extra}"),
    );
    repo.commit(
        "xtask-release.toml",
        &config,
        "chore: release branches",
        "Ann <ann@example.com>",
    );
    repo.git(&["switch", "-q", "-c", "release-0.7.0"]);
    repo.generate_lockfile_in("bindings/python", &[]);
    repo.git(&["add", "-f", "bindings/python/Cargo.lock"]);
    repo.git(&["commit", "-q", "-m", "chore: lock the binding for 0.7.0"]);
    repo.git(&["tag", "-a", "v0.7.0", "-m", "safebind 0.7.0"]);
    repo.git(&["switch", "-q", "main"]);
    repo.xtask(&["bump", "0.8.0-dev.0"]).success();
    repo.git(&["commit", "-q", "-am", "chore: start 0.8.0 development"]);
    compact_and_gil(&repo);
    repo.commit(
        ".changes/async-handles.md",
        "---\nsafebind: added\n---\n\nAsync handles.\n",
        "feat: async handles (#44)",
        "Bo <bo@example.com>",
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
    repo.git(&["push", "-q", "origin", "main", "release-0.7.0", "v0.7.0"]);
    repo.generate_lockfile_in("bindings/python", &[]);
    repo
}

/// Shape C's work after 0.7.0: a feature in the crate, a fix in the binding.
fn compact_and_gil(repo: &Repo) {
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
}

/// Shape D's work after 2.3.0: a fix in each of its three packages.
fn a_fix_in_each(repo: &Repo) {
    for (dir, subject) in [
        ("lumen", "fix: clamp negative radiance (#88)"),
        ("bindings/python", "fix(py): accept numpy arrays (#89)"),
        ("bindings/node", "fix(node): return a Float64Array (#90)"),
    ] {
        let path = format!("{dir}/src/lib.rs");
        let text = format!("{}// {subject}\n", repo.read(&path));
        repo.commit(&path, &text, subject, "Cy <cy@example.com>");
    }
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
    a_fix_in_each(&repo);
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

/// Shape D's configuration after its switch to one tag: the crate and both
/// bindings released as one package (a crate group) under `v{pep440}`,
/// whose earlier releases are the bindings' own `python-v*` and `node-v*`
/// series; `{changelog}` is the package's `changelog` line.
const SWITCHED: &str = r#"# cargo xtask release: one tag, v*, for the crate and both bindings since
# 2.3.0; before, each binding had its own series (python-v*, node-v*).
branch = "main"
exclude-types = ["chore", "ci", "style", "test"]

[[package]]
name = "lumen"
manifest = "lumen/Cargo.toml"
flag = "rust"
tag = "v{pep440}"   # pre-releases are 2.4.0-rc0 in Cargo.toml, v2.4.0rc0 as tags
previous-tags = ["python-v{version}", "node-v{version}"]
crates = ["bindings/python/Cargo.toml", "bindings/node/Cargo.toml"]
{changelog}
mentions = [
  { file = "bindings/node/package.json", key = "version" },
  { file = "bindings/node/npm/linux-x64-gnu/package.json", key = "version" },
]
"#;

/// Shape D after the switch (see `SWITCHED`): the crate last tagged
/// `v2.2.0`, the bindings `python-v2.3.0` and `node-v2.3.0` (released
/// alone, before the switch), then a fix to each package.
pub fn shape_d_switched(changelog: &str) -> Repo {
    let repo = Repo::new("three-standalone");
    repo.git(&["tag", "-a", "v2.2.0", "-m", "lumen 2.2.0"]);
    repo.commit(
        "xtask-release.toml",
        &SWITCHED.replace("{changelog}", changelog),
        "chore: one tag for the crate and its bindings",
        "Cy <cy@example.com>",
    );
    for (tag, name) in [
        ("python-v2.3.0", "lumen-python"),
        ("node-v2.3.0", "lumen-node"),
    ] {
        repo.git(&["tag", "-a", tag, "-m", &format!("{name} 2.3.0")]);
    }
    a_fix_in_each(&repo);
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
