//! The file edits of a plan, by path: each file's text before (shared with
//! the model) and after (ranges replaced over it until made whole), several
//! edits of one file composed in order, their diff, and the TOML check
//! before anything is written.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::edit::planned_text::PlannedText;
use crate::model::workspace::Workspace;
use crate::out::diff;
use crate::text::splice::{self, Splice};
use crate::text::toml;

/// One file's content before and after the plan: `before` shared with the
/// model, `after` spliced over it until something needs it whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: String,
    pub before: Arc<String>,
    pub after: PlannedText,
    /// Every change so far replaced a TOML string's contents (`edit_string`):
    /// still TOML by construction, so `check_toml` need not parse it again.
    strings_only: bool,
}

impl FileEdit {
    /// An edit of `path` from `before` to `after`, both whole.
    pub fn new(path: &str, before: String, after: String) -> FileEdit {
        FileEdit {
            path: path.to_string(),
            before: Arc::new(before),
            after: PlannedText::whole(after),
            strings_only: false,
        }
    }

    /// The unified diff: from the changed ranges alone while `after` is
    /// spliced over `before`, so a large file costs its changed lines.
    pub fn diff(&self) -> String {
        match self.after.splices() {
            Some((base, splices)) if base == self.before.as_str() => {
                diff::unified_spliced(&self.path, base, splices, 3)
            }
            _ => diff::unified(&self.path, &self.before, &self.after, 3),
        }
    }
}

/// File edits by path; several edits of one file compose in order.
#[derive(Debug, Clone, Default)]
pub struct Edits(BTreeMap<String, FileEdit>);

impl Edits {
    /// Applies `change` to the current planned content of `path`.
    pub fn edit(
        &mut self,
        ws: &Workspace,
        path: &str,
        change: impl FnOnce(&str) -> Result<String>,
    ) -> Result<()> {
        self.apply(ws, path, change, false)
    }

    /// `edit`, for a `change` that only replaces the contents of TOML
    /// strings (`toml::replace_str`, which refuses what would need an
    /// escape): the file stays TOML, and 3,000 pins moved are not parsed
    /// once more each by `check_toml`.
    pub fn edit_string(
        &mut self,
        ws: &Workspace,
        path: &str,
        change: impl FnOnce(&str) -> Result<String>,
    ) -> Result<()> {
        self.apply(ws, path, change, true)
    }

    fn apply(
        &mut self,
        ws: &Workspace,
        path: &str,
        change: impl FnOnce(&str) -> Result<String>,
        strings: bool,
    ) -> Result<()> {
        let entry = self.entry(ws, path)?;
        entry.after = PlannedText::whole(change(&entry.after)?);
        entry.strings_only &= strings;
        Ok(())
    }

    /// Applies `change`, byte ranges of the text replaced (`splice`), to the
    /// planned content of `path`: kept as ranges over the text the model
    /// read while nothing else changed it.
    pub fn splice(
        &mut self,
        ws: &Workspace,
        path: &str,
        change: impl FnOnce(&str) -> Result<Vec<Splice>>,
    ) -> Result<()> {
        let entry = self.entry(ws, path)?;
        entry.strings_only = false;
        let splices = change(&entry.after)?;
        entry.after = match entry.after.splices() {
            Some((_, [])) => PlannedText::spliced(entry.before.clone(), splices),
            _ => PlannedText::whole(splice::apply(&entry.after, &splices)),
        };
        Ok(())
    }

    /// The edit of `path`, as read when it has none yet.
    fn entry(&mut self, ws: &Workspace, path: &str) -> Result<&mut FileEdit> {
        // One look-up: a release that moves 3,000 pins edits 3,000 files.
        match self.0.entry(path.to_string()) {
            std::collections::btree_map::Entry::Occupied(found) => Ok(found.into_mut()),
            std::collections::btree_map::Entry::Vacant(place) => {
                let before = ws
                    .files
                    .shared(path)
                    .with_context(|| format!("{path} was not read"))?;
                Ok(place.insert(FileEdit {
                    path: path.to_string(),
                    after: PlannedText::spliced(before.clone(), Vec::new()),
                    before,
                    strings_only: true,
                }))
            }
        }
    }

    /// Plans `path`, a file the model does not read (a change file a
    /// release consumes), from `before` (as read) to `after`; no text is no
    /// file, so an empty `after` removes it.
    pub fn put(&mut self, path: &str, before: &str, after: String) {
        let edit = FileEdit::new(path, before.to_string(), after);
        self.0.insert(path.to_string(), edit);
    }

    /// The edits that change something, by path.
    pub fn changed(&self) -> impl Iterator<Item = &FileEdit> {
        self.0.values().filter(|e| e.after.differs_from(&e.before))
    }

    /// Every TOML file must still parse before anything is written (one
    /// whose changes only replaced strings' contents is TOML by construction).
    pub fn check_toml(&self) -> Result<()> {
        for edit in self.changed().filter(|e| !e.strings_only) {
            if edit.path.ends_with(".toml") || edit.path.ends_with(".lock") {
                toml::parse(&edit.path, &edit.after).with_context(|| {
                    format!(
                        "the planned edit of {} is not valid TOML (a bug)",
                        edit.path
                    )
                })?;
            }
        }
        Ok(())
    }

    /// The unified diff of every changed file.
    pub fn diff(&self) -> String {
        self.changed().map(FileEdit::diff).collect()
    }
}
