//! The API checkers as subprocesses: cargo-semver-checks (installed once
//! per machine, pinned, into the tools cache), the griffe script and mypy's
//! stubtest (from the venv). They return the tools' output as it is; the
//! verdicts are read from it in `text::api`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::adapters::python::Venv;
use crate::adapters::tool_cache::{self, Tool};

/// The cargo-semver-checks release the project installs and checks with.
pub const SEMVER_CHECKS: Tool = Tool {
    name: "cargo-semver-checks",
    version: "0.51.0",
    // A cargo subcommand: its own name and version answer for it.
    version_args: &["semver-checks", "--version"],
};
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

/// The installed cargo-semver-checks, if one answers with its version.
pub fn semver_checks(sh: &Shell, root: &Path) -> Option<PathBuf> {
    tool_cache::find(sh, &SEMVER_CHECKS, root)
}

/// Installs the pinned cargo-semver-checks into the tools cache (minutes,
/// once per machine), or returns the one there.
pub fn install_semver_checks(sh: &Shell, root: &Path) -> Result<PathBuf> {
    tool_cache::ensure(sh, &SEMVER_CHECKS, root)
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
