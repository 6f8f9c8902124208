//! Applies a plan's file edits all-or-nothing: every new content goes to a
//! temporary file first, then each is renamed over its target; if a rename
//! fails, the files already replaced get their old content back.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::plan::FileEdit;

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.xtask-tmp"))
}

/// Writes `text` to `target` through a temporary file and a rename, keeping
/// the target's permissions.
fn replace(target: &Path, text: &str) -> Result<()> {
    let temp = temp_path(target);
    fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
    if let Ok(meta) = fs::metadata(target) {
        let _ = fs::set_permissions(&temp, meta.permissions());
    }
    fs::rename(&temp, target).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })?;
    Ok(())
}

/// Checks every target first (unchanged since it was read, writable), then
/// writes them all; a failure part-way restores what was written.
pub fn apply(root: &Path, edits: &[&FileEdit]) -> Result<()> {
    for edit in edits {
        let target = root.join(&edit.path);
        let on_disk =
            fs::read_to_string(&target).with_context(|| format!("cannot read {}", edit.path))?;
        if on_disk != edit.before {
            bail!(
                "{} changed since it was read: nothing was written; rerun the command",
                edit.path
            );
        }
        let meta = fs::metadata(&target)?;
        if meta.permissions().readonly() {
            bail!(
                "{} is read-only: nothing was written; make it writable (chmod u+w {}) and rerun",
                edit.path,
                edit.path
            );
        }
    }
    let mut done: Vec<&FileEdit> = Vec::new();
    for edit in edits {
        let result =
            failpoint(done.len()).and_then(|()| replace(&root.join(&edit.path), &edit.after));
        if let Err(err) = result {
            let mut restore_errors = Vec::new();
            for written in done.iter().rev() {
                if let Err(e) = replace(&root.join(&written.path), &written.before) {
                    restore_errors.push(format!("{}: {e:#}", written.path));
                }
            }
            if restore_errors.is_empty() {
                return Err(err.context(format!(
                    "writing {} failed; every file was restored",
                    edit.path
                )));
            }
            return Err(err.context(format!(
                "writing {} failed, and these files could not be restored: {}",
                edit.path,
                restore_errors.join("; ")
            )));
        }
        done.push(edit);
    }
    Ok(())
}

/// Puts back what `apply(root, edits)` wrote: each file's `before`, written
/// all-or-nothing the same way.
pub fn undo(root: &Path, edits: &[&FileEdit]) -> Result<()> {
    let reverse: Vec<FileEdit> = edits
        .iter()
        .map(|e| FileEdit {
            path: e.path.clone(),
            before: e.after.clone(),
            after: e.before.clone(),
        })
        .collect();
    apply(root, &reverse.iter().collect::<Vec<_>>())
}

/// Test hook: `XTASK_FAIL_WRITE=N` makes the (N+1)-th write fail, so the
/// integration tests can prove that a failure part-way restores every file.
fn failpoint(written: usize) -> Result<()> {
    match std::env::var("XTASK_FAIL_WRITE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(n) if n == written => bail!("injected failure (XTASK_FAIL_WRITE={n})"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-execute-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn edit(path: &str, before: &str, after: &str) -> FileEdit {
        FileEdit {
            path: path.into(),
            before: before.into(),
            after: after.into(),
        }
    }

    #[test]
    fn all_edits_land_and_no_temporary_file_remains() {
        let dir = scratch("ok");
        fs::write(dir.join("a"), "1").unwrap();
        fs::write(dir.join("b"), "2").unwrap();
        let edits = [edit("a", "1", "one"), edit("b", "2", "two")];
        apply(&dir, &edits.iter().collect::<Vec<_>>()).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "one");
        assert_eq!(fs::read_to_string(dir.join("b")).unwrap(), "two");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
    }

    #[test]
    fn a_file_changed_since_it_was_read_stops_everything() {
        let dir = scratch("changed");
        fs::write(dir.join("a"), "1").unwrap();
        fs::write(dir.join("b"), "user edit").unwrap();
        let edits = [edit("a", "1", "one"), edit("b", "2", "two")];
        let err = apply(&dir, &edits.iter().collect::<Vec<_>>()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "b changed since it was read: nothing was written; rerun the command"
        );
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "1");
        assert_eq!(fs::read_to_string(dir.join("b")).unwrap(), "user edit");
    }

    #[test]
    fn a_read_only_file_stops_everything() {
        let dir = scratch("readonly");
        fs::write(dir.join("a"), "1").unwrap();
        fs::write(dir.join("b"), "2").unwrap();
        let mut perms = fs::metadata(dir.join("b")).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(dir.join("b"), perms).unwrap();
        let edits = [edit("a", "1", "one"), edit("b", "2", "two")];
        let err = apply(&dir, &edits.iter().collect::<Vec<_>>()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("b is read-only: nothing was written"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "1");
    }

    #[test]
    fn a_failed_rename_restores_the_files_already_written() {
        let dir = scratch("rename");
        fs::write(dir.join("a"), "1").unwrap();
        // A directory where the second file's temporary file must go makes its write fail.
        fs::write(dir.join("b"), "2").unwrap();
        fs::create_dir(dir.join(".b.xtask-tmp")).unwrap();
        let edits = [edit("a", "1", "one"), edit("b", "2", "two")];
        let err = apply(&dir, &edits.iter().collect::<Vec<_>>()).unwrap_err();
        assert_eq!(err.to_string(), "writing b failed; every file was restored");
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "1");
        assert_eq!(fs::read_to_string(dir.join("b")).unwrap(), "2");
    }
}
