//! Applies a plan's file edits all-or-nothing: every new content goes to a
//! temporary file first, then each is renamed over its target; if a rename
//! fails, the files already replaced get their old content back. Every
//! read and write goes through the work tree (`worktree::Tree`): no path
//! outside it, no link.

use std::path::Path;

use anyhow::{Result, bail};

use crate::edit::FileEdit;
use crate::worktree::Tree;

/// Writes `text` to `rel` in `tree`. No text is no file: a file an edit
/// creates (its `before` is empty) is removed again when it is restored.
fn replace(tree: &Tree, rel: &str, text: &str) -> Result<()> {
    if text.is_empty() {
        return tree.remove(rel);
    }
    tree.write(rel, text)
}

/// Checks every target first (inside the tree and no link, unchanged since
/// it was read, writable), then writes them all; a failure part-way
/// restores what was written.
pub fn apply(root: &Path, edits: &[&FileEdit]) -> Result<()> {
    let tree = Tree::new(root);
    for edit in edits {
        // A file the edit creates does not exist yet: its text is empty.
        let on_disk = tree.read_if_present(&edit.path)?;
        let created = edit.before.is_empty() && on_disk.is_none();
        if on_disk.unwrap_or_default() != *edit.before {
            bail!(
                "{} changed since it was read: nothing was written; rerun the command",
                edit.path
            );
        }
        if !created && tree.is_readonly(&edit.path)? {
            bail!(
                "{} is read-only: nothing was written; make it writable (chmod u+w {}) and rerun",
                edit.path,
                edit.path
            );
        }
    }
    let mut done: Vec<&FileEdit> = Vec::new();
    for edit in edits {
        let result = failpoint().and_then(|()| replace(&tree, &edit.path, &edit.after));
        if let Err(err) = result {
            let mut restore_errors = Vec::new();
            for written in done.iter().rev() {
                if let Err(e) = replace(&tree, &written.path, &written.before) {
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

/// Writes every changed file of `edits` (all or nothing) and says how
/// many; with `dry_run`, says how many would change and writes nothing.
pub fn apply_unless_dry_run(root: &Path, edits: &crate::edit::Edits, dry_run: bool) -> Result<()> {
    let changed: Vec<&FileEdit> = edits.changed().collect();
    if dry_run {
        let what = format!(
            "{} file(s) would change; nothing was written",
            changed.len()
        );
        crate::out::ui::status(crate::out::ui::Tone::Warn, "Dry run", &what);
    } else {
        apply(root, &changed)?;
        let what = format!("{} file(s)", changed.len());
        crate::out::ui::status(crate::out::ui::Tone::Good, "Wrote", &what);
    }
    Ok(())
}

/// Puts back what `apply(root, edits)` wrote: each file that still holds
/// what was written gets its `before` again (all of them or none). A file
/// someone else changed since (a pre-commit hook, say) is left as it is and
/// named, so nothing of theirs is lost.
pub fn undo(root: &Path, edits: &[&FileEdit]) -> Result<()> {
    let mut reverse = Vec::new();
    let mut changed = Vec::new();
    let tree = Tree::new(root);
    for edit in edits {
        // What cannot be read (a link put there since) is someone else's.
        let Ok(on_disk) = tree.read_if_present(&edit.path) else {
            changed.push(edit.path.as_str());
            continue;
        };
        let on_disk = on_disk.unwrap_or_default();
        if on_disk == *edit.after {
            let after = edit.before.to_string();
            reverse.push(FileEdit::new(&edit.path, on_disk, after));
        } else if on_disk != *edit.before {
            changed.push(edit.path.as_str());
        }
    }
    apply(root, &reverse.iter().collect::<Vec<_>>())?;
    if !changed.is_empty() {
        bail!(
            "{} changed after the release wrote it and was left as it is (the other files were restored): see `git diff -- {}`, and `git restore` it to drop the release's edit",
            changed.join(", "),
            changed.join(" ")
        );
    }
    Ok(())
}

/// Test hooks: `XTASK_FAIL_WRITE=N` makes the (N+1)-th file the process
/// writes fail, and `XTASK_KILL_WRITE=N` kills the process with SIGKILL
/// right before it, so the integration tests can prove that a failure or a
/// crash part-way is restored or resumed — in a release's second write
/// (`next-dev`) too, whose files come after the first write's.
fn failpoint() -> Result<()> {
    static WRITTEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let written = WRITTEN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let at = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n == written)
    };
    if at("XTASK_KILL_WRITE").is_some() {
        crate::adapters::signals::kill_self();
    }
    match at("XTASK_FAIL_WRITE") {
        Some(n) => bail!("injected failure (XTASK_FAIL_WRITE={n})"),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-execute-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn edit(path: &str, before: &str, after: &str) -> FileEdit {
        FileEdit::new(path, before.into(), after.into())
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
    fn undo_restores_what_it_wrote_and_names_what_others_changed() {
        let dir = scratch("undo");
        fs::write(dir.join("a"), "one").unwrap();
        fs::write(dir.join("b"), "two, then a hook's edit").unwrap();
        fs::write(dir.join("c"), "3").unwrap();
        let edits = [
            edit("a", "1", "one"),
            edit("b", "2", "two"),
            edit("c", "3", "three"),
        ];
        let err = undo(&dir, &edits.iter().collect::<Vec<_>>())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b changed after the release wrote it and was left as it is"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "1");
        assert_eq!(
            fs::read_to_string(dir.join("b")).unwrap(),
            "two, then a hook's edit"
        );
        assert_eq!(fs::read_to_string(dir.join("c")).unwrap(), "3");
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
