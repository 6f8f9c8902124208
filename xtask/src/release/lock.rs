//! One release at a time: `release --execute`, `--abort` and the PR flow
//! hold an exclusive lock file in the git directory, beside the journal,
//! for their whole run. It names its holder (pid, host, start time), is
//! created atomically (a complete file linked into place, which fails when
//! one exists), and is removed when the guard drops, on every exit path. A
//! lock whose process is gone (same host, no such pid) is taken over.
//!
//! Not a file of the work tree: it is read and written with `std::fs`,
//! not through `worktree` (its path comes from `git rev-parse --git-path`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};

/// The lock's name inside the git directory.
pub const NAME: &str = "xtask-release.lock";

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    /// RFC 3339.
    pub since: String,
}

impl Holder {
    /// This process, now.
    pub fn me() -> Holder {
        Holder {
            pid: std::process::id(),
            host: host_name(),
            since: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }

    /// The lock file's text (pure).
    pub fn render(&self) -> String {
        format!(
            "pid {}\nhost {}\nsince {}\n",
            self.pid, self.host, self.since
        )
    }

    /// Reads the text `render` wrote (pure); `None` when it is not one.
    pub fn parse(text: &str) -> Option<Holder> {
        let mut pid = None;
        let mut host = None;
        let mut since = None;
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("pid", v)) => pid = v.parse().ok(),
                Some(("host", v)) => host = Some(v.to_string()),
                Some(("since", v)) => since = Some(v.to_string()),
                _ => return None,
            }
        }
        Some(Holder {
            pid: pid?,
            host: host?,
            since: since?,
        })
    }

    /// `pid 4242, since 12:03:05` (the date too when it is not `today`), and
    /// the host when it is not `here` (pure).
    pub fn describe(&self, here: &str, today: chrono::NaiveDate) -> String {
        let since = match DateTime::parse_from_rfc3339(&self.since) {
            Ok(t) if t.date_naive() == today => t.format("%H:%M:%S").to_string(),
            Ok(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            Err(_) => self.since.clone(),
        };
        if self.host == here {
            format!("pid {}, since {since}", self.pid)
        } else {
            format!("pid {} on {}, since {since}", self.pid, self.host)
        }
    }
}

/// The held lock: removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    /// The holder of the stale lock this one replaced, if any.
    pub took_over: Option<Holder>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// This machine's name, as the lock records it.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|f| fs::read_to_string(f).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

/// Whether the process `pid` of this host runs (a zombie does not). Without
/// `/proc` nothing can be told, so it counts as running.
fn alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name's closing parenthesis.
        Ok(stat) => !stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(_) => false,
    }
}

/// The message for a lock held by someone else.
pub fn running(holder: &Holder, path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        running_message(holder, &host_name(), Utc::now().date_naive(), path)
    )
}

/// The message for a lock `holder` holds, seen from `here` (pure). Where
/// the process cannot be looked at (another host, no `/proc`), the way to
/// clear a lock it left is said too.
fn running_message(holder: &Holder, here: &str, today: chrono::NaiveDate, path: &Path) -> String {
    let mut message = format!(
        "a release is running ({}): wait for it to end",
        holder.describe(here, today)
    );
    if holder.host != here || !Path::new("/proc/self").exists() {
        message.push_str(&format!(
            "; if it is not running any more, remove the lock (`rm {}`)",
            path.display()
        ));
    }
    message
}

/// The live holder of the lock at `path`, if any: for commands that only
/// read (a dry run) and must not act on a journal a running release owns.
pub fn holder(path: &Path) -> Result<Option<Holder>> {
    let Some(holder) = read(path)? else {
        return Ok(None);
    };
    Ok((holder.host != host_name() || alive(holder.pid)).then_some(holder))
}

/// Takes the lock at `path`, or says who holds it.
pub fn acquire(path: &Path) -> Result<Lock> {
    let me = Holder::me();
    let mut took_over = None;
    // Each turn either takes the lock, stops, or saw it change hands.
    for _ in 0..5 {
        if create(path, &me)? {
            return Ok(Lock {
                path: path.to_path_buf(),
                took_over,
            });
        }
        let Some(holder) = read(path)? else { continue };
        if holder.host != me.host || alive(holder.pid) {
            return Err(running(&holder, path));
        }
        if take_stale(path, &holder)? {
            took_over = Some(holder);
        }
    }
    bail!(
        "cannot take the release lock {}: other runs keep taking it; wait for them to end",
        path.display()
    )
}

/// Creates the lock holding `me`; `false` when one exists already.
fn create(path: &Path, me: &Holder) -> Result<bool> {
    let temp = path.with_extension(format!("lock.{}", me.pid));
    let written = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&temp)?;
        file.write_all(me.render().as_bytes())?;
        file.sync_all()
    })();
    let linked = written.and_then(|()| fs::hard_link(&temp, path));
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot create the release lock {}: check that the git directory is writable",
                path.display()
            )
        }),
    }
}

/// The holder the lock at `path` names; `None` when there is no lock.
fn read(path: &Path) -> Result<Option<Holder>> {
    match fs::read_to_string(path) {
        Ok(text) => Holder::parse(&text).map(Some).with_context(|| {
            format!(
                "the release lock {} is damaged: if no release is running, remove it (`rm {}`)",
                path.display(),
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Moves the stale lock of `holder` out of the way. Renaming is atomic, so
/// of two runs taking over only one gets the file; if what it got is no
/// longer the stale lock (it changed hands meanwhile), it is put back.
fn take_stale(path: &Path, holder: &Holder) -> Result<bool> {
    let aside = path.with_extension(format!("stale.{}", std::process::id()));
    match fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot take over {}", path.display()));
        }
    }
    let got = fs::read_to_string(&aside)
        .ok()
        .and_then(|t| Holder::parse(&t));
    if got.as_ref() != Some(holder) {
        let _ = fs::hard_link(&aside, path);
        let _ = fs::remove_file(&aside);
        return Err(got.map_or_else(
            || anyhow::anyhow!("a release is running: wait for it to end"),
            |h| running(&h, path),
        ));
    }
    let _ = fs::remove_file(&aside);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder() -> Holder {
        Holder {
            pid: 4242,
            host: "box".into(),
            since: "2026-03-04T12:03:05+00:00".into(),
        }
    }

    #[test]
    fn a_holder_round_trips_and_damage_is_none() {
        assert_eq!(Holder::parse(&holder().render()), Some(holder()));
        assert_eq!(Holder::parse(""), None);
        assert_eq!(Holder::parse("pid x\nhost a\nsince b\n"), None);
        assert_eq!(Holder::parse("pid 1\nhost a\n"), None);
        assert_eq!(Holder::parse("garbage"), None);
    }

    #[test]
    fn the_holder_is_described_by_pid_time_and_a_foreign_host() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert_eq!(holder().describe("box", day(4)), "pid 4242, since 12:03:05");
        assert_eq!(
            holder().describe("other", day(5)),
            "pid 4242 on box, since 2026-03-04 12:03:05"
        );
    }

    #[test]
    fn a_holder_on_another_host_comes_with_the_way_to_clear_its_lock() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let path = Path::new("/r/.git/xtask-release.lock");
        assert_eq!(
            running_message(&holder(), "other", day, path),
            "a release is running (pid 4242 on box, since 12:03:05): wait for it to end; if it is not running any more, remove the lock (`rm /r/.git/xtask-release.lock`)"
        );
        if Path::new("/proc/self").exists() {
            assert_eq!(
                running_message(&holder(), "box", day, path),
                "a release is running (pid 4242, since 12:03:05): wait for it to end"
            );
        }
    }

    #[test]
    fn a_lock_is_exclusive_released_on_drop_and_a_dead_holder_is_replaced() {
        let dir = std::env::temp_dir().join(format!("xtask-lock-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(NAME);
        let lock = acquire(&path).unwrap();
        assert!(lock.took_over.is_none());
        let err = acquire(&path).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "a release is running (pid {}, since ",
                std::process::id()
            )),
            "{err}"
        );
        assert_eq!(holder_of(&path).map(|h| h.pid), Some(std::process::id()));
        drop(lock);
        assert!(!path.exists());
        assert_eq!(holder_of(&path), None);

        // A process of this host that is gone: a child, waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = Holder {
            pid: dead,
            ..Holder::me()
        };
        fs::write(&path, stale.render()).unwrap();
        assert_eq!(holder_of(&path), None);
        let lock = acquire(&path).unwrap();
        assert_eq!(lock.took_over, Some(stale));
        drop(lock);

        fs::write(&path, "not a lock").unwrap();
        assert!(
            acquire(&path)
                .unwrap_err()
                .to_string()
                .contains("is damaged")
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    fn holder_of(path: &Path) -> Option<Holder> {
        super::holder(path).unwrap()
    }
}
