//! The pre-flight's `git-signing` step: when git's configuration signs the
//! release's tags or commit, git signs a throwaway commit first, so a
//! missing key or a locked agent stops the release before anything is
//! written, naming the setting to fix.

use anyhow::anyhow;
use xshell::Shell;

use crate::adapters::git;
use crate::checks::step_runner::Step;

pub fn step(sh: &Shell) -> Step<'_> {
    Step::new("git-signing", &[], move || {
        let signing = git::signing(sh)?;
        if !signing.on() {
            return Ok(Some("off (tag.gpgSign and commit.gpgSign unset)".into()));
        }
        git::sign_probe(sh).map_err(|err| {
            anyhow!(
                "git could not sign a test commit with its configuration ({}): {err:#}: {}",
                signing.settings(),
                signing.fix()
            )
        })?;
        Ok(Some(format!("git signs ({})", signing.settings())))
    })
}
