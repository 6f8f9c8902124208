//! The project's Python virtualenv (`.venv/` at the repository root): created
//! on first use, its tools installed from one requirements file, reused after.
//! The venv is git-ignored, not the repository's: its files are looked at
//! directly; the requirements file is read through `worktree`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::worktree::Tree;

/// The interpreter on PATH a venv is created with.
const SYSTEM_PYTHON: &str = if cfg!(windows) { "python" } else { "python3" };

/// The requirements file, in the binding's folder, that pins the lower
/// bounds of every Python tool.
pub const REQUIREMENTS: &str = "requirements-dev.txt";
/// Records which requirements the venv was last installed from.
const STAMP: &str = ".xtask-requirements";

/// Names another venv than `.venv/` for every command (`cargo xtask ci`
/// passes its own to the publishing end-to-end test).
pub const VENV_ENV: &str = "XTASK_VENV";

pub struct Venv {
    dir: PathBuf,
}

/// The project's venv: `XTASK_VENV` when set, else `.venv/` at `root`.
pub fn project_venv(root: &Path) -> Venv {
    match std::env::var_os(VENV_ENV) {
        Some(dir) => Venv::new(PathBuf::from(dir)),
        None => Venv::new(root.join(".venv")),
    }
}

impl Venv {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Venv { dir: dir.into() }
    }

    /// The venv's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A console script or the interpreter inside the venv.
    pub fn bin(&self, tool: &str) -> PathBuf {
        if cfg!(windows) {
            self.dir.join("Scripts").join(format!("{tool}.exe"))
        } else {
            self.dir.join("bin").join(tool)
        }
    }

    pub fn python(&self) -> PathBuf {
        self.bin("python")
    }

    /// The venv's interpreter when the venv exists, else the system's: for
    /// work any Python does (reading an index page).
    pub fn python_or_system(&self) -> PathBuf {
        let python = self.python();
        if python.exists() {
            python
        } else {
            SYSTEM_PYTHON.into()
        }
    }

    /// Creates the venv unless it already has an interpreter.
    pub fn ensure(&self, sh: &Shell) -> Result<&'static str> {
        if self.python().exists() {
            return Ok("reused");
        }
        let python = SYSTEM_PYTHON;
        cmd!(sh, "{python} --version")
            .quiet()
            .ignore_stdout()
            .run()
            .map_err(|_| {
                anyhow::anyhow!(
                    "`{python}` was not found on PATH: install Python 3.9 or newer \
                 (Debian/Ubuntu: apt-get install python3 python3-venv)"
                )
            })?;
        let dir = &self.dir;
        cmd!(sh, "{python} -m venv {dir}").run().with_context(|| {
            format!(
                "could not create the virtualenv {}: install the venv module \
                 (Debian/Ubuntu: apt-get install python3-venv), then delete {} and rerun",
                dir.display(),
                dir.display()
            )
        })?;
        Ok("created")
    }

    /// Installs the tools of the requirements file `rel` of the work tree at
    /// `root` unless the venv was last installed from the same file contents.
    pub fn install_requirements(&self, sh: &Shell, root: &Path, rel: &str) -> Result<&'static str> {
        // A repository file, read (and handed to pip) through the work tree:
        // never a link, never outside it.
        let tree = Tree::new(root);
        let wanted = tree.read(rel)?;
        let requirements = tree.file_path(rel)?;
        // The stamp lives in the venv, not in the repository.
        let stamp = self.dir.join(STAMP);
        if sh.read_file(&stamp).ok().as_deref() == Some(wanted.as_str()) {
            return Ok("up to date");
        }
        let python = self.python();
        cmd!(sh, "{python} -m pip --version")
            .quiet()
            .ignore_stdout()
            .run()
            .map_err(|_| {
                anyhow::anyhow!(
                    "pip is missing from {}: delete that folder and rerun, or install pip \
                 (Debian/Ubuntu: apt-get install python3-pip)",
                    self.dir.display()
                )
            })?;
        cmd!(
            sh,
            "{python} -m pip install --quiet --disable-pip-version-check -r {requirements}"
        )
        .run()
        .with_context(|| format!("pip could not install {}", requirements.display()))?;
        sh.write_file(&stamp, wanted)?;
        Ok("installed")
    }

    /// Installs a wheel file in place of any earlier build of the package.
    pub fn install_wheel(&self, sh: &Shell, wheel: &Path) -> Result<()> {
        let python = self.python();
        cmd!(
            sh,
            "{python} -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps {wheel}"
        )
        .run()
        .with_context(|| format!("pip could not install {}", wheel.display()))
    }
}

/// The single `.whl` file in `dir`; anything else is an error that lists what is there.
pub fn only_wheel(sh: &Shell, dir: &Path) -> Result<PathBuf> {
    let wheels: Vec<PathBuf> = sh
        .read_dir(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "whl"))
        .collect();
    match wheels.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!(
            "expected one wheel in {}, found {:?}",
            dir.display(),
            wheels
        ),
    }
}
