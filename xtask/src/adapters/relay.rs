//! A tool's output relayed as it comes, line by line, through the output
//! floor: what cargo, twine or a remote's hooks print reaches the terminal
//! with a URL's user-info redacted and control characters made visible,
//! never raw. The command is built with xshell and run from its
//! `std::process::Command` (xshell can only inherit or capture streams).

use std::io::{BufRead, BufReader, Read};
use std::process::{ExitStatus, Stdio};

use anyhow::{Context, Result};
use xshell::Cmd;

use crate::out::ui;

/// How a relayed command ended, and what it printed.
pub struct Relayed {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// A relayed command that failed: git, cargo or twine said why above.
#[derive(Debug)]
pub struct Failed {
    /// The command line (shown through `out::ui`, which redacts it).
    pub shown: String,
    /// The exit code; `None` when a signal ended the command.
    pub code: Option<i32>,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code {
            Some(code) => write!(f, "`{}` failed (exit code {code})", self.shown),
            None => write!(f, "`{}` was ended by a signal", self.shown),
        }
    }
}

impl std::error::Error for Failed {}

/// Whether `err` says a relayed command ran to its end and exited non-zero
/// (not ended by a signal, not failed to start).
pub fn exited_non_zero(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<Failed>().is_some_and(|f| f.code.is_some()))
}

/// Runs `cmd` (stdin empty) with its stdout and stderr relayed, and returns
/// how it ended, whatever its exit code.
pub fn output(cmd: Cmd<'_>) -> Result<Relayed> {
    let shown = cmd.to_string();
    let mut command: std::process::Command = cmd.into();
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run `{shown}`"))?;
    let out = child.stdout.take().context("no stdout")?;
    let err = child.stderr.take().context("no stderr")?;
    let errors = std::thread::spawn(move || relay(err, ui::eprint));
    let stdout = relay(out, ui::print);
    let stderr = errors.join().unwrap_or_default();
    let status = child
        .wait()
        .with_context(|| format!("cannot wait for `{shown}`"))?;
    Ok(Relayed {
        status,
        stdout,
        stderr,
    })
}

/// Runs `cmd` relayed; a non-zero exit is a [`Failed`] error.
pub fn run(cmd: Cmd<'_>) -> Result<()> {
    let shown = cmd.to_string();
    let ended = output(cmd)?;
    if ended.status.success() {
        return Ok(());
    }
    Err(Failed {
        shown,
        code: ended.status.code(),
    }
    .into())
}

/// Shows each line of `stream` as it comes, and returns all of it.
fn relay(stream: impl Read, show: fn(&str)) -> String {
    let mut reader = BufReader::new(stream);
    let mut all = String::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let text = String::from_utf8_lossy(&line);
                show(&text);
                all.push_str(&text);
            }
        }
    }
    all
}
