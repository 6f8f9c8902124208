//! A git command's exit code and output, for reads whose "no" is an exit
//! code: the caller tells that answer from a failure, which is an error
//! carrying git's own message.

use anyhow::Result;
use xshell::Cmd;

pub struct Exit {
    /// The command line, for the error.
    shown: String,
    /// `None` when a signal ended git.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to its end, whatever its exit code.
pub fn run(cmd: Cmd<'_>) -> Result<Exit> {
    let shown = cmd.to_string();
    let out = cmd.quiet().ignore_status().output()?;
    Ok(Exit {
        shown,
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

impl Exit {
    /// The failure as an error: the command and what git said.
    pub fn failure(&self) -> anyhow::Error {
        let said = self.stderr.trim();
        let code = self
            .code
            .map_or_else(|| "a signal".to_string(), |c| format!("exit code {c}"));
        if said.is_empty() {
            anyhow::anyhow!("`{}` failed ({code}) without a message", self.shown)
        } else {
            anyhow::anyhow!("`{}` failed: {said}", self.shown)
        }
    }

    /// Stdout when git succeeded, else the failure.
    pub fn ok(self) -> Result<String> {
        if self.code == Some(0) {
            Ok(self.stdout)
        } else {
            Err(self.failure())
        }
    }
}
