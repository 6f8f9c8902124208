//! The index and the object database: what the journal records of each
//! file (index entries, blob ids) and puts back.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

/// `git ls-files --stage` lines of `files`: mode, blob and stage of each
/// tracked one, to put the index back exactly.
pub fn index_entries(sh: &Shell, files: &[String]) -> Result<Vec<String>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let out = cmd!(sh, "git ls-files --stage -- {files...}")
        .quiet()
        .read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Sets the index entries of `files` to `entries` (`ls-files --stage`
/// lines); a file without an entry leaves the index.
pub fn set_index(sh: &Shell, files: &[String], entries: &[String]) -> Result<()> {
    let untracked: Vec<&String> = files
        .iter()
        .filter(|f| {
            !entries
                .iter()
                .any(|e| e.split_once('\t').is_some_and(|(_, p)| p == f.as_str()))
        })
        .collect();
    if !untracked.is_empty() {
        cmd!(
            sh,
            "git rm --quiet --cached --ignore-unmatch -- {untracked...}"
        )
        .quiet()
        .run()
        .context("cannot reset the index")?;
    }
    if !entries.is_empty() {
        let stdin = entries.iter().map(|e| format!("{e}\n")).collect::<String>();
        cmd!(sh, "git update-index --index-info")
            .stdin(stdin)
            .quiet()
            .run()
            .context("cannot reset the index")?;
    }
    Ok(())
}

/// `git ls-tree` lines of `files` at `rev`, a form `git update-index
/// --index-info` takes.
pub fn tree_entries(sh: &Shell, rev: &str, files: &[String]) -> Result<Vec<String>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let out = cmd!(sh, "git ls-tree --end-of-options {rev} -- {files...}")
        .quiet()
        .read()?;
    Ok(out.lines().map(str::to_string).collect())
}

/// Stores `text` as a blob in the object database and returns its id: the
/// journal names file contents by id instead of carrying them.
pub fn store_blob(sh: &Shell, text: &str) -> Result<String> {
    cmd!(sh, "git hash-object -w --stdin")
        .stdin(text)
        .quiet()
        .read()
        .context("cannot write to git's object database")
}

/// The exact text of a blob `store_blob` wrote.
pub fn blob(sh: &Shell, id: &str) -> Result<String> {
    let out = cmd!(sh, "git cat-file blob --end-of-options {id}")
        .quiet()
        .output()
        .with_context(|| format!("the blob {id} named by the release journal is missing"))?;
    String::from_utf8(out.stdout).with_context(|| format!("the blob {id} is not UTF-8"))
}
