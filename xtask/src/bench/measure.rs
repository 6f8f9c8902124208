//! Runs one child process and measures its wall time and peak memory.
//!
//! This is the one place that spawns with `std::process::Command` instead of
//! xshell: the peak memory of a child comes from the `rusage` that `wait4`
//! returns when it reaps it, and xshell keeps the reaping to itself.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// One measured run.
#[derive(Debug, Clone)]
pub struct Run {
    pub wall: Duration,
    /// The largest resident set of the child or of any descendant it waited
    /// for (Linux folds reaped children into `ru_maxrss`), in KiB.
    pub max_rss_kib: Option<u64>,
    /// The exit code; `None` when a signal ended the child.
    pub code: Option<i32>,
    pub stderr: String,
}

/// Runs `cmd` with stdout discarded and stderr kept in `stderr_file`.
pub fn run(cmd: &mut Command, stderr_file: &Path) -> Result<Run> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let err = File::create(stderr_file)
        .with_context(|| format!("cannot create {}", stderr_file.display()))?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(err));
    fork_not_vfork(cmd);
    let start = Instant::now();
    let child = cmd
        .spawn()
        .with_context(|| format!("cannot start `{program}`: is it installed and on PATH?"))?;
    let (code, max_rss_kib) = reap(child)?;
    let wall = start.elapsed();
    let stderr = std::fs::read_to_string(stderr_file).unwrap_or_default();
    Ok(Run {
        wall,
        max_rss_kib,
        code,
        stderr,
    })
}

/// Linux records the high-water RSS of the memory a process leaves at exec:
/// a vforked child (std's default spawn) leaves the parent's, so every row
/// would show the bench's own peak. A hook forces a real fork, whose copy
/// holds only the bench's current anonymous pages (a few MiB at most).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn fork_not_vfork(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the hook does nothing, so it is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn fork_not_vfork(_: &mut Command) {}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod sys {
    use std::os::raw::{c_int, c_long};

    /// `struct rusage` of 64-bit Linux: two `timeval`s, then fourteen longs.
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub utime: [c_long; 2],
        pub stime: [c_long; 2],
        pub maxrss: c_long,
        pub rest: [c_long; 13],
    }

    unsafe extern "C" {
        pub fn wait4(pid: c_int, status: *mut c_int, options: c_int, rusage: *mut Rusage) -> c_int;
    }
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn reap(child: std::process::Child) -> Result<(Option<i32>, Option<u64>)> {
    let pid = child.id() as i32;
    let mut status = 0;
    let mut usage = sys::Rusage::default();
    loop {
        // SAFETY: `pid` is our unreaped child; both pointers are to live locals.
        let got = unsafe { sys::wait4(pid, &mut status, 0, &mut usage) };
        if got == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("wait4 failed on a benchmarked child");
        }
    }
    // `Child` is dropped without waiting: wait4 has reaped it already.
    drop(child);
    let code = (status & 0x7f == 0).then_some((status >> 8) & 0xff);
    Ok((code, Some(usage.maxrss.max(0) as u64)))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn reap(mut child: std::process::Child) -> Result<(Option<i32>, Option<u64>)> {
    let status = child.wait().context("waiting for a benchmarked child")?;
    Ok((status.code(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_stderr_come_back() {
        let dir = std::env::temp_dir().join(format!("xtask-measure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("stderr");
        let ok = run(Command::new("git").arg("--version"), &log).unwrap();
        assert_eq!(ok.code, Some(0));
        let bad = run(Command::new("git").arg("no-such-subcommand"), &log).unwrap();
        assert_eq!(bad.code, Some(1));
        assert!(bad.stderr.contains("no-such-subcommand"), "{}", bad.stderr);
        if cfg!(target_os = "linux") {
            assert!(ok.max_rss_kib.is_some_and(|kib| kib > 0));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
