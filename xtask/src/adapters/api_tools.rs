//! The API checkers as subprocesses: cargo-semver-checks (installed once,
//! pinned, into the folder the e2e tools use), the griffe script and mypy's
//! stubtest (from the venv). They return the tools' output as it is; the
//! verdicts are read from it in `text::api`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::adapters::python::Venv;

/// The cargo-semver-checks release the project installs and checks with.
pub const SEMVER_CHECKS_VERSION: &str = "0.51.0";
/// Where installed tools live: `XTASK_TOOLS`, else `target/e2e-tools`.
pub const TOOLS_ENV: &str = "XTASK_TOOLS";
const GRIFFE_SCRIPT: &str = include_str!("griffe_api.py");

/// A tool's output, stdout and stderr apart, and whether it exited 0.
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub ok: bool,
}

impl Output {
    /// Runs `cmd` quietly to its end, whatever its exit status.
    fn of(cmd: xshell::Cmd<'_>, what: &Path) -> Result<Output> {
        let out = cmd
            .ignore_status()
            .quiet()
            .output()
            .with_context(|| format!("cannot run {}", what.display()))?;
        Ok(Output {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            ok: out.status.success(),
        })
    }

    pub fn both(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

pub fn tools_dir(root: &Path) -> PathBuf {
    match std::env::var_os(TOOLS_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => root.join("target/e2e-tools"),
    }
}

/// The installed cargo-semver-checks, if any.
pub fn semver_checks(root: &Path) -> Option<PathBuf> {
    let bin = tools_dir(root).join("bin/cargo-semver-checks");
    bin.exists().then_some(bin)
}

/// Installs the pinned cargo-semver-checks into the tools folder (minutes,
/// once), or returns the one there.
pub fn install_semver_checks(sh: &Shell, root: &Path) -> Result<PathBuf> {
    if let Some(bin) = semver_checks(root) {
        return Ok(bin);
    }
    let dir = tools_dir(root);
    cmd!(
        sh,
        "cargo install --locked cargo-semver-checks --version {SEMVER_CHECKS_VERSION} --root {dir}"
    )
    .run()
    .context("cannot install cargo-semver-checks")?;
    semver_checks(root).context("cargo install finished but left no cargo-semver-checks")
}

/// `cargo semver-checks check-release` of `package` against the source at
/// `baseline` (a git revision, built in a worktree), as a patch release so
/// every lint a patch may not break is reported.
pub fn run_semver_checks(sh: &Shell, bin: &Path, package: &str, baseline: &str) -> Result<Output> {
    let cmd = cmd!(
        sh,
        "{bin} semver-checks check-release --package {package} --baseline-rev {baseline} --release-type patch --color never"
    )
    .env("CARGO_TERM_COLOR", "never");
    Output::of(cmd, bin)
}

/// The griffe script on `module` (found under `search`, relative to the
/// repository at `repo`): the baseline at `git_ref` against the work tree.
pub fn run_griffe(
    sh: &Shell,
    venv: &Venv,
    module: &str,
    search: &str,
    git_ref: &str,
    repo: &Path,
) -> Result<Output> {
    let python = venv.python();
    let _dir = sh.push_dir(repo);
    let cmd = cmd!(sh, "{python} - {module} {search} {git_ref} {repo}")
        .stdin(GRIFFE_SCRIPT)
        .env("NO_COLOR", "1");
    Output::of(cmd, &python)
}

/// mypy's stubtest of `module` as the venv imports it, run in `dir` (the
/// binding's folder, whose mypy settings apply).
pub fn run_stubtest(sh: &Shell, venv: &Venv, module: &str, dir: &Path) -> Result<Output> {
    let python = venv.python();
    let _dir = sh.push_dir(dir);
    Output::of(cmd!(sh, "{python} -m mypy.stubtest -- {module}"), &python)
}

/// Whether the venv has griffe, which the API check of a Python package needs.
pub fn has_griffe(sh: &Shell, venv: &Venv) -> bool {
    let python = venv.python();
    python.exists()
        && cmd!(sh, "{python} -c 'import griffe'")
            .quiet()
            .ignore_stdout()
            .ignore_stderr()
            .run()
            .is_ok()
}
