//! What every command starts from: a shell at the root, the loaded
//! workspace and what validation found in it. Below the checks, which
//! take it, and the commands.
//!
//! Uses: model, adapters.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use xshell::Shell;

use crate::adapters::git;
use crate::model::workspace::Workspace;

/// What every command starts from: a shell at the root and the loaded workspace.
pub struct Ctx {
    /// Every name the command line itself uses (a package flag must be none).
    pub builtin: BTreeSet<String>,
    pub sh: Shell,
    pub root: PathBuf,
    pub config: Option<PathBuf>,
    pub(crate) loaded: Result<Workspace>,
    /// What `validate` found in the model: `check` lists it, planning commands refuse it.
    pub(crate) problems: Vec<Problem>,
    /// The problems of the values git and gh are given (`git_values`): every
    /// command but those that only list (`check`, `versions`) refuses them.
    pub(crate) values: Vec<Problem>,
}

impl Ctx {
    /// The workspace model, or the error that kept it from loading; refused
    /// while a value git or gh is given (`remote`, a branch, a tag template)
    /// would be taken wrongly, so none reaches them unchecked.
    pub fn ws(&self) -> Result<&Workspace> {
        let ws = self.model()?;
        refuse(
            &self.values,
            "value(s) of the configuration to fix before anything runs",
        )?;
        Ok(ws)
    }

    /// The workspace model whatever its values: for the commands that only
    /// list what is wrong (`check`, `versions`).
    pub fn model(&self) -> Result<&Workspace> {
        self.loaded.as_ref().map_err(|e| anyhow::anyhow!("{e:#}"))
    }

    /// The root when it is another repository than this xtask's own
    /// (`--root`): the commands a user is told to run must name it.
    pub fn other_root(&self) -> Option<&Path> {
        (self.root != crate::project_root()).then_some(self.root.as_path())
    }

    /// The validation problems of the model (none when it did not load).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The workspace model for a command about to plan edits: refused while
    /// `validate` reports a problem, since no planned edit repairs one.
    pub fn checked(&self) -> Result<&Workspace> {
        let ws = self.ws()?;
        refuse(
            &self.problems,
            "problem(s) to fix before anything is planned or written",
        )?;
        Ok(ws)
    }

    /// Reads the workspace again, after a command changed it.
    pub fn reload(&self) -> Result<Workspace> {
        load(&self.sh, &self.root, self.config.as_deref())
    }
}

/// An error listing `problems`, one a line, then their count and `what`
/// they are; `Ok` when there is none.
fn refuse(problems: &[Problem], what: &str) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    anyhow::bail!(
        "{}\n{} {what} (`cargo xtask check` lists every problem)",
        list.join("\n"),
        list.len()
    )
}

/// Reads the workspace at `root` (the shell's folder), git telling which
/// of its lock files it ignores.
pub fn load(sh: &Shell, root: &Path, config: Option<&Path>) -> Result<Workspace> {
    Workspace::load(root, config, &|paths| git::ignored(sh, paths))
}

/// One problem: what is wrong, where, and the fix, as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `file:line`, or the configuration that holds the key.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}
