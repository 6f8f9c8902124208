//! GitHub through the `gh` command line: what a repository shows of a
//! release, and the release pull request (open, edit, close). `gh` missing
//! or signed out is said as such, never taken for an answer.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use crate::adapters::relay;

/// What GitHub shows of the release of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// `gh` could not tell, and why (not installed, not signed in, failed).
    Unknown(String),
    Missing,
    /// Present, with the names of its assets.
    Present(Vec<String>),
}

/// Why gh cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unready {
    NotInstalled,
    SignedOut,
}

impl Unready {
    pub fn why(self) -> &'static str {
        match self {
            Unready::NotInstalled => "gh is not installed",
            Unready::SignedOut => "gh is not signed in",
        }
    }
}

/// Whether gh can be used: `Err` says why not (not installed, not signed in).
pub fn ready(sh: &Shell) -> Result<(), Unready> {
    let ok = |args: &[&str]| {
        cmd!(sh, "gh {args...}")
            .quiet()
            .ignore_stdout()
            .ignore_stderr()
            .run()
            .is_ok()
    };
    if !ok(&["--version"]) {
        return Err(Unready::NotInstalled);
    }
    if !ok(&["auth", "status"]) {
        return Err(Unready::SignedOut);
    }
    Ok(())
}

/// The GitHub release of `tag` in the repository of the working directory.
pub fn release(sh: &Shell, tag: &str) -> Release {
    match ready(sh) {
        Err(Unready::NotInstalled) => {
            return Release::Unknown("gh is not installed: install GitHub's gh to check".into());
        }
        Err(Unready::SignedOut) => {
            return Release::Unknown("gh is not signed in: run gh auth login to check".into());
        }
        Ok(()) => {}
    }
    let template = "{{range .assets}}{{.name}}\n{{end}}";
    let out = cmd!(
        sh,
        "gh release view --json assets --template {template} -- {tag}"
    )
    .quiet()
    .ignore_status()
    .output();
    match out {
        Ok(out) if out.status.success() => Release::Present(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Ok(out) => {
            let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
            match err.contains("not found") {
                true => Release::Missing,
                false => Release::Unknown(format!("gh release view {tag} failed: {err}")),
            }
        }
        Err(err) => Release::Unknown(format!("cannot run gh: {err}")),
    }
}

/// The number of the open pull request whose head is `branch`, if any.
pub fn open_pr(sh: &Shell, branch: &str) -> Result<Option<String>> {
    let head = format!("--head={branch}");
    let number = cmd!(
        sh,
        "gh pr list {head} --state open --json number --jq .[0].number"
    )
    .quiet()
    .read()
    .with_context(|| format!("gh cannot list the pull requests of {branch}"))?;
    let number = number.trim();
    Ok((!number.is_empty() && number != "null").then(|| number.to_string()))
}

/// Opens a pull request; each value is its option's (`--title=…`), never an option.
pub fn create_pr(sh: &Shell, base: &str, head: &str, title: &str, body: &str) -> Result<()> {
    let args = [
        format!("--base={base}"),
        format!("--head={head}"),
        format!("--title={title}"),
        format!("--body={body}"),
    ];
    relay::run(cmd!(sh, "gh pr create {args...}"))
        .with_context(|| format!("gh cannot open a pull request for {head}"))
}

/// Sets the title and body of pull request `number`.
pub fn edit_pr(sh: &Shell, number: &str, title: &str, body: &str) -> Result<()> {
    let args = [format!("--title={title}"), format!("--body={body}")];
    relay::run(cmd!(sh, "gh pr edit {args...} -- {number}"))
        .with_context(|| format!("gh cannot edit pull request #{number}"))
}

/// Closes pull request `number` with a comment (its branch is left to the caller).
pub fn close_pr(sh: &Shell, number: &str, comment: &str) -> Result<()> {
    let comment = format!("--comment={comment}");
    relay::run(cmd!(sh, "gh pr close {comment} -- {number}"))
        .with_context(|| format!("gh cannot close pull request #{number}"))
}
