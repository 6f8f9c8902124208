//! GitHub through the `gh` command line: what a repository shows of a
//! release. `gh` missing or signed out is said as such, never taken for an
//! answer.

use xshell::{Shell, cmd};

/// What GitHub shows of the release of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// `gh` could not tell, and why (not installed, not signed in, failed).
    Unknown(String),
    Missing,
    /// Present, with the names of its assets.
    Present(Vec<String>),
}

/// The GitHub release of `tag` in the repository of the working directory.
pub fn release(sh: &Shell, tag: &str) -> Release {
    if cmd!(sh, "gh --version")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_err()
    {
        return Release::Unknown("gh is not installed: install GitHub's gh to check".into());
    }
    if cmd!(sh, "gh auth status")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_err()
    {
        return Release::Unknown("gh is not signed in: run gh auth login to check".into());
    }
    let template = "{{range .assets}}{{.name}}\n{{end}}";
    let out = cmd!(
        sh,
        "gh release view {tag} --json assets --template {template}"
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
