//! API-break gating with the real checkers: cargo-semver-checks on a fixture
//! crate, griffe and stubtest on a fixture Python package. Ignored by a plain
//! `cargo test`: `cargo xtask ci` runs them in its `api-e2e` step, which
//! installs the checkers and passes their places in `XTASK_TOOLS` and
//! `XTASK_VENV` (`cargo xtask ci --only api-e2e`).

mod common;

use common::{LIGHT, LIGHT_RUST, Repo};

const CORE: &str = "//! The demo core.

pub fn answer() -> u32 {
    42
}

pub fn scale(x: u32) -> u32 {
    x * 2
}

pub trait Provider {
    fn name(&self) -> String;
}

pub enum Kind {
    Chat,
    Embed,
}

#[non_exhaustive]
pub enum Mode {
    Fast,
    Slow,
}
";

const INIT: &str = "from demo_py._core import Client, answer, scale\n\n__all__ = [\"Client\", \"answer\", \"scale\"]\n";

const RUNTIME: &str = "def answer() -> int:
    return 42


def scale(x: int) -> int:
    return x * 2


class Client:
    def complete(self, prompt: str, model: str = \"m\") -> str:
        return prompt
";

const PY: &str = "demo-py/python/demo_py";

const STUB: &str = "def answer() -> int: ...
def scale(x: int) -> int: ...

class Client:
    def complete(self, prompt: str, model: str = \"m\") -> str: ...
";

/// Panics with how to run these tests when the checkers are not provided.
fn require_tools() {
    for var in ["XTASK_TOOLS", "XTASK_VENV"] {
        assert!(
            std::env::var_os(var).is_some(),
            "{var} is not set: run these tests with `cargo xtask ci --only api-e2e`, which installs the checkers"
        );
    }
}

/// The `workspace` fixture with a public API in both packages, released as
/// `v0.4.0` and `py-v0.3.0` on origin. The Python package is shaped as a PyO3
/// binding's source: `__init__.py` re-exporting from `_core`, whose API is
/// only its `.pyi` stub (the compiled module is not in the tree).
fn api_repo() -> Repo {
    require_tools();
    let repo = Repo::new("workspace");
    repo.write(".gitignore", "target/\n__pycache__/\n.mypy_cache/\n");
    repo.write("demo-core/src/lib.rs", CORE);
    repo.write("demo-py/python/demo_py/__init__.py", INIT);
    repo.commit(
        "demo-py/python/demo_py/_core.pyi",
        STUB,
        "feat: the API",
        "Ann <ann@example.com>",
    );
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.git(&["tag", "-a", "py-v0.3.0", "-m", "demo-py 0.3.0"]);
    repo.git(&["push", "-q", "origin", "main", "v0.4.0", "py-v0.3.0"]);
    repo
}

/// Back at the release, then one commit changing `path` to `text`.
fn change(repo: &Repo, path: &str, text: &str, subject: &str) {
    repo.git(&["reset", "-q", "--hard", "v0.4.0"]);
    repo.commit(path, text, subject, "Bo <bo@example.com>");
}

/// The dry run's proposal for `flag` (`--rust auto`): its release line and api line.
fn proposal(repo: &Repo, flag: &str) -> String {
    repo.xtask(&["release", flag, "auto", "--generate"])
        .success()
}

#[test]
#[ignore = "needs the checkers: cargo xtask ci --only api-e2e"]
fn crate_changes_get_their_verdict_and_level() {
    let repo = api_repo();
    let cases: [(&str, String, &str, &[&str]); 7] = [
        (
            "a removed pub fn is breaking: minor while 0.x",
            CORE.replace("pub fn scale(x: u32) -> u32 {\n    x * 2\n}\n", ""),
            "fix: tidy",
            &[
                "release demo-core 0.4.0 -> 0.5.0 (tag v0.5.0; minor: the public API has breaking changes (minor while the major version is 0), although",
                "api: 1 breaking change (function demo_core::scale",
            ],
        ),
        (
            "a changed signature is breaking",
            CORE.replace("scale(x: u32)", "scale(x: u32, y: u32)"),
            "fix: scale by two numbers",
            &["-> 0.5.0", "api: 1 breaking change (demo_core::scale"],
        ),
        (
            "a required trait method is breaking",
            CORE.replace(
                "fn name(&self) -> String;",
                "fn name(&self) -> String;\n    fn id(&self) -> u64;",
            ),
            "fix: providers have ids",
            &["-> 0.5.0", "api: 1 breaking change (", "Provider::id"],
        ),
        (
            "a variant of an exhaustive enum is breaking",
            CORE.replace("    Embed,\n", "    Embed,\n    Rerank,\n"),
            "fix: rerank",
            &[
                "-> 0.5.0",
                "api: 1 breaking change (variant Kind:Rerank: enum variant added on exhaustive enum",
            ],
        ),
        (
            "a variant of a non-exhaustive enum is not",
            CORE.replace("    Slow,\n", "    Slow,\n    Batch,\n"),
            "fix: batch mode",
            &["0.4.0 -> 0.4.1 (tag v0.4.1; patch:", "api: compatible"],
        ),
        (
            "an addition: the commits decide",
            format!("{CORE}\npub fn triple(x: u32) -> u32 {{\n    x * 3\n}}\n"),
            "feat: triple",
            &["0.4.0 -> 0.5.0 (tag v0.5.0; minor: ", "api: compatible"],
        ),
        (
            "a comment stays a patch",
            CORE.replace("//! The demo core.", "//! The demo core, documented."),
            "docs: the crate",
            &["0.4.0 -> 0.4.1 (tag v0.4.1; patch:", "api: compatible"],
        ),
    ];
    for (what, text, subject, expected) in cases {
        change(&repo, "demo-core/src/lib.rs", &text, subject);
        let out = proposal(&repo, "--rust");
        for line in expected {
            assert!(out.contains(line), "{what}: `{line}` not in:\n{out}");
        }
    }
}

#[test]
#[ignore = "needs the checkers: cargo xtask ci --only api-e2e"]
fn a_level_below_a_break_is_refused_unless_allowed() {
    let repo = api_repo();
    let removed = CORE.replace("pub fn scale(x: u32) -> u32 {\n    x * 2\n}\n", "");
    change(&repo, "demo-core/src/lib.rs", &removed, "fix: tidy");
    repo.git(&["push", "-q", "origin", "main"]);
    let before = repo.state();
    let mut args = vec!["release", "--rust", "patch", "--generate", "--execute"];
    // Every light skip but semver-checks: the crate's API check runs.
    args.extend(&LIGHT[..12]);
    let err = repo.xtask(&args).failure();
    assert!(
        err.contains("demo-core: --rust patch makes 0.4.1, but the public API has 1 breaking change since 0.4.0 (function demo_core::scale")
            && err.contains("use --rust minor (0.x) or major, or --allow-breaking to release them as they are")
            && err.contains("pre-flight failed (semver-checks): nothing was changed"),
        "{err}"
    );
    common::assert_same(&before, &repo.state());
    // The dry run warns; with --allow-breaking the plan says so and the release goes.
    let dry = repo.xtask(&["release", "--rust", "patch", "--generate"]);
    assert!(
        dry.stderr().contains("demo-core: --rust patch makes 0.4.1"),
        "{}",
        dry.stderr()
    );
    let allowed = repo.xtask(&[
        "release",
        "--rust",
        "patch",
        "--generate",
        "--allow-breaking",
    ]);
    assert!(
        allowed
            .success()
            .contains("released as it is (--allow-breaking)")
            && allowed
                .stderr()
                .contains("--rust patch --generate --allow-breaking --root"),
        "{}{}",
        allowed.stdout(),
        allowed.stderr()
    );
    args.extend(["--allow-breaking", "--no-push"]);
    repo.xtask(&args).success();
    assert!(repo.git(&["tag", "--list", "v0.4.1"]).contains("v0.4.1"));
}

#[test]
#[ignore = "needs the checkers: cargo xtask ci --only api-e2e"]
fn python_changes_get_their_verdict_and_level() {
    let repo = api_repo();
    let stub = "demo-py/python/demo_py/_core.pyi";
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "a removed function is breaking",
            STUB.replace("def scale(x: int) -> int: ...\n", ""),
            &[
                "demo-py 0.3.0 -> 0.4.0",
                "api: 1 breaking change (demo_py.scale: public object was removed)",
            ],
        ),
        (
            "a renamed parameter is breaking",
            STUB.replace("scale(x: int)", "scale(value: int)"),
            &[
                "-> 0.4.0",
                "breaking change",
                "demo_py._core.scale: parameter",
            ],
        ),
        (
            "a parameter made required is breaking",
            STUB.replace("model: str = \"m\"", "model: str"),
            &[
                "-> 0.4.0",
                "api: 1 breaking change (demo_py._core.Client.complete: parameter",
            ],
        ),
        (
            "an added function is an addition: a 0.x patch may add",
            format!("{STUB}def triple(x: int) -> int: ...\n"),
            &[
                "demo-py 0.3.0 -> 0.3.1",
                "api: additions only (demo_py.triple: function added)",
            ],
        ),
    ];
    for (what, text, expected) in cases {
        change(&repo, stub, &text, "fix: tidy");
        if !text.contains("def scale") {
            // Removed from the module's exports too, as a real removal is.
            let init = INIT
                .replace("answer, scale", "answer")
                .replace(", \"scale\"", "");
            repo.commit(
                &format!("{PY}/__init__.py"),
                &init,
                "fix: exports",
                "Bo <bo@example.com>",
            );
        }
        if text.contains("def triple") {
            let init = INIT
                .replace("answer, scale", "answer, scale, triple")
                .replace("\"scale\"]", "\"scale\", \"triple\"]");
            repo.commit(
                &format!("{PY}/__init__.py"),
                &init,
                "fix: exports",
                "Bo <bo@example.com>",
            );
        }
        let out = proposal(&repo, "--py");
        for line in expected {
            assert!(out.contains(line), "{what}: `{line}` not in:\n{out}");
        }
    }
    // An explicit patch below the break is refused by the griffe step.
    change(
        &repo,
        stub,
        &STUB.replace("scale(x: int)", "scale(value: int)"),
        "fix: tidy",
    );
    repo.git(&["push", "-q", "-f", "origin", "main"]);
    let mut args = vec!["release", "--py", "patch", "--generate", "--execute"];
    // The light skips but griffe's: the Python package's API check runs.
    args.extend(&LIGHT[..LIGHT_RUST]);
    args.extend(["--skip", "python-env", "--skip", "stubtest"]);
    let err = repo.xtask(&args).failure();
    assert!(
        err.contains("demo-py: --py patch makes 0.3.1, but the public API has")
            && err.contains("pre-flight failed (griffe)"),
        "{err}"
    );
}

#[test]
#[ignore = "needs the checkers: cargo xtask ci --only api-e2e"]
fn a_stub_that_lies_fails_stubtest() {
    let repo = api_repo();
    // What a wheel installs: the package with its compiled module (here a
    // `.py` standing in for it), apart from the stubs in the source tree.
    let site = repo.base.join("site");
    std::fs::create_dir_all(site.join("demo_py")).unwrap();
    std::fs::write(site.join("demo_py/__init__.py"), INIT).unwrap();
    std::fs::write(site.join("demo_py/_core.py"), RUNTIME).unwrap();
    let stubs = repo.dir.join("demo-py/python");
    let env = [
        ("PYTHONPATH", site.to_str().unwrap()),
        ("MYPYPATH", stubs.to_str().unwrap()),
    ];
    let ok = repo.xtask_env(&["api", "--py", "--stubtest"], &env);
    assert!(ok.ok(), "{}\n{}", ok.stdout(), ok.stderr());
    assert!(
        ok.stdout().contains("demo-py since py-v0.3.0: compatible"),
        "{}",
        ok.stdout()
    );
    // The stub claims a parameter the module does not take.
    let lying = STUB.replace("def answer() -> int", "def answer(verbose: bool) -> int");
    change(
        &repo,
        "demo-py/python/demo_py/_core.pyi",
        &lying,
        "fix: docs",
    );
    let err = repo
        .xtask_env(&["api", "--py", "--stubtest"], &env)
        .failure();
    assert!(
        err.contains("the stubs of demo_py disagree with the built module (mypy.stubtest)")
            && err.contains("demo_py._core.answer"),
        "{err}"
    );
}

#[test]
#[ignore = "needs the checkers: cargo xtask ci --only api-e2e"]
fn a_checker_that_cannot_run_fails_and_never_passes() {
    let repo = api_repo();
    // A baseline that does not build: the tag's crate has a syntax error.
    repo.git(&["tag", "-d", "v0.4.0"]);
    repo.write(
        "demo-core/src/lib.rs",
        &format!("{CORE}\npub fn broken( {{\n"),
    );
    repo.git(&["commit", "-qam", "wip"]);
    repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    repo.commit(
        "demo-core/src/lib.rs",
        CORE,
        "fix: build",
        "Bo <bo@example.com>",
    );
    let out = proposal(&repo, "--rust");
    assert!(
        out.contains("api: not checked (the checker failed:")
            && out.contains("the level rests on the commits only"),
        "{out}"
    );
    let err = repo.xtask(&["api", "--rust"]).failure();
    assert!(err.contains("demo-core since v0.4.0: not checked"), "{err}");
}
