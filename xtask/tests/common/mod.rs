//! Fixture repositories for the integration tests: a fixture workspace copied
//! into a temporary folder, committed with real git, with a bare `origin`.
//! Git runs with a pinned identity and dates, and HOME in the temporary
//! folder, so the user's configuration never leaks in.

#![allow(dead_code)] // each test binary uses a different part

pub mod git_log;
pub mod lockstep;
pub mod rate_limited;
pub mod registries;
pub mod standalone;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Repo {
    /// The temporary folder holding `work/`, `origin.git/` and `home/`.
    pub base: PathBuf,
    /// The working tree.
    pub dir: PathBuf,
    pub origin: PathBuf,
}

impl Drop for Repo {
    fn drop(&mut self) {
        if std::env::var_os("XTASK_KEEP_TEST_REPOS").is_none() {
            let _ = std::fs::remove_dir_all(&self.base);
        }
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A release of both packages of the `workspace` fixture, run for real
/// without its pre-flight: the command the fault and race tests repeat.
pub const RELEASE: [&str; 7] = [
    "release",
    "--rust",
    "minor",
    "--py",
    "patch",
    "--execute",
    "--skip-preflight",
];

/// `--skip` options for the pre-flight checks that build or install things
/// (cargo, pip, cargo-semver-checks): the git checks and `check` still run.
/// The first 14 leave out the Python steps (`python-env` and the API checks
/// `griffe`, `stubtest`), for workspaces without a Python package.
pub const LIGHT: [&str; 20] = [
    "--skip",
    "fmt",
    "--skip",
    "clippy",
    "--skip",
    "test",
    "--skip",
    "doc",
    "--skip",
    "package",
    "--skip",
    "audit",
    "--skip",
    "semver-checks",
    "--skip",
    "python-env",
    "--skip",
    "griffe",
    "--skip",
    "stubtest",
];

/// The part of [`LIGHT`] for a workspace without a Python package.
pub const LIGHT_RUST: usize = 14;

/// The real cargo and rustup homes. Commands in a test get a scratch HOME, so
/// these are passed explicitly: by default they would point into the scratch
/// HOME, and relying on the caller to have set them works only by accident.
pub fn toolchain_homes() -> [(&'static str, PathBuf); 2] {
    let home = || PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let or_default = |name: &str, dir: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .unwrap_or_else(|| home().join(dir))
    };
    [
        ("CARGO_HOME", or_default("CARGO_HOME", ".cargo")),
        ("RUSTUP_HOME", or_default("RUSTUP_HOME", ".rustup")),
    ]
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Repo {
    /// A repository holding a copy of `tests/fixtures/<fixture>`, committed
    /// on `main` and pushed to a bare `origin`.
    pub fn new(fixture: &str) -> Repo {
        Repo::init(fixture, |dir| copy_dir(&fixtures().join(fixture), dir))
    }

    /// A repository holding `files` (each `(path, text)`), committed on
    /// `main` and pushed to a bare `origin`; `label` names its folder.
    pub fn from_files(label: &str, files: &[(String, String)]) -> Repo {
        Repo::init(label, |dir| {
            for (path, text) in files {
                let file = dir.join(path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, text).unwrap();
            }
        })
    }

    fn init(label: &str, fill: impl FnOnce(&Path)) -> Repo {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let base =
            std::env::temp_dir().join(format!("xtask-it-{}-{label}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = base.join("work");
        let origin = base.join("origin.git");
        std::fs::create_dir_all(base.join("home")).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        fill(&dir);
        let repo = Repo { base, dir, origin };
        repo.git_in(&repo.base, &["init", "-q", "--bare", "origin.git"]);
        repo.git(&["init", "-q"]);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "initial"]);
        repo.git(&["remote", "add", "origin", repo.origin.to_str().unwrap()]);
        repo.git(&["push", "-q", "-u", "origin", "main"]);
        repo
    }

    pub fn env(&self, cmd: &mut Command) {
        let home = self.base.join("home");
        cmd.envs(toolchain_homes())
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "Test Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_AUTHOR_DATE", "2026-01-15T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-15T12:00:00Z")
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_OUTPUT")
            .env_remove("GITHUB_STEP_SUMMARY");
        // The checkers a machine built into its per-user cache are not seen:
        // a test runs as on a fresh machine, the same on every clone (the
        // API end-to-end tests are given their folder in XTASK_TOOLS).
        if std::env::var_os("XTASK_TOOLS").is_none() {
            cmd.env("XTASK_TOOLS", self.base.join("no-tools"));
        }
        std::fs::write(home.join("gitconfig"), "[init]\n\tdefaultBranch = main\n[tag]\n\tgpgSign = false\n[commit]\n\tgpgSign = false\n").unwrap();
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(dir);
        self.env(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A copy of this repository and its origin in a new temporary folder,
    /// so one state can be both resumed and aborted.
    pub fn duplicate(&self) -> Repo {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = self.base.file_name().unwrap().to_string_lossy();
        let base = self.base.with_file_name(format!("{name}-copy{n}"));
        let _ = std::fs::remove_dir_all(&base);
        copy_dir(&self.base, &base);
        let copy = Repo {
            dir: base.join("work"),
            origin: base.join("origin.git"),
            base,
        };
        copy.git(&["remote", "set-url", "origin", copy.origin.to_str().unwrap()]);
        copy
    }

    /// Runs git in the working tree and returns its stdout; panics on failure.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.dir, args)
    }

    /// The `workspace` fixture released once (tags `v0.4.0`, `py-v0.3.0` on
    /// origin), then a crate fix and a Python changelog entry, and a file of
    /// the user's that git ignores, which no release may touch.
    pub fn released() -> Repo {
        let repo = Repo::new("workspace");
        repo.tag_then_fix();
        std::fs::write(repo.dir.join(".git/info/exclude"), "notes.local\n").unwrap();
        repo.write("notes.local", "my private notes\n");
        repo
    }

    /// Tags the `workspace` fixture's versions and pushes them, then commits
    /// a crate fix and a Python changelog entry: both packages have
    /// something to release.
    pub fn tag_then_fix(&self) {
        let repo = self;
        repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
        repo.git(&["tag", "-a", "py-v0.3.0", "-m", "demo-py 0.3.0"]);
        repo.git(&["push", "-q", "origin", "v0.4.0", "py-v0.3.0"]);
        let changelog = repo.read("demo-py/CHANGELOG.md").replace(
            "## [0.3.0]",
            "## [Unreleased]\n\n### Fixed\n\n- The answer.\n\n## [0.3.0]",
        );
        repo.write("demo-py/CHANGELOG.md", &changelog);
        repo.commit(
            "demo-core/src/lib.rs",
            "pub fn answer() -> u32 {\n    43\n}\n",
            "fix: the answer (#3)",
            "Ann <ann@example.com>",
        );
        repo.git(&["push", "-q", "origin", "main"]);
    }

    /// The `workspace` fixture's configuration with `next-dev = "minor"`,
    /// committed and pushed: a release is followed by a second commit.
    pub fn with_next_dev(&self) {
        self.replace(
            "Cargo.toml",
            "branch = \"main\"\n",
            "branch = \"main\"\nnext-dev = \"minor\"\n",
        );
        self.git(&["commit", "-qam", "chore: next-dev"]);
        self.git(&["push", "-q", "origin", "main"]);
    }

    /// Runs the real xtask binary on this repository.
    pub fn xtask(&self, args: &[&str]) -> Run {
        self.xtask_env(args, &[])
    }

    pub fn xtask_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.xtask_through(&[], args, env)
    }

    /// Runs the xtask with `$GITHUB_STEP_SUMMARY` set, and returns the run
    /// and the summary it wrote (empty when none).
    pub fn xtask_summary(&self, args: &[&str]) -> (Run, String) {
        let path = self.base.join("step-summary.md");
        let run = self.xtask_env(args, &[("GITHUB_STEP_SUMMARY", path.to_str().unwrap())]);
        (run, std::fs::read_to_string(&path).unwrap_or_default())
    }

    /// Runs the xtask through `prefix` (a program that execs the rest of
    /// its arguments, such as `bash -c 'ulimit -f 8; exec "$0" "$@"'`).
    pub fn xtask_through(&self, prefix: &[&str], args: &[&str], env: &[(&str, &str)]) -> Run {
        Run(self.command(prefix, args, env).output().unwrap())
    }

    /// The xtask command `xtask_through` runs, to start it in the background.
    pub fn command(&self, prefix: &[&str], args: &[&str], env: &[(&str, &str)]) -> Command {
        let bin = env!("CARGO_BIN_EXE_xtask");
        let mut cmd = match prefix.split_first() {
            Some((program, rest)) => {
                let mut cmd = Command::new(program);
                cmd.args(rest).arg(bin);
                cmd
            }
            None => Command::new(bin),
        };
        cmd.arg("--root")
            .arg(&self.dir)
            .args(args)
            .current_dir(&self.dir);
        self.env(&mut cmd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Writes `path` (creating folders) and commits it with `subject`, by `author` (`Name <email>`).
    pub fn commit(&self, path: &str, text: &str, subject: &str, author: &str) {
        let file = self.dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--author", author, "-m", subject]);
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.join(path)).unwrap()
    }

    pub fn write(&self, path: &str, text: &str) {
        std::fs::write(self.dir.join(path), text).unwrap();
    }

    /// Replaces the first `from` in `path` by `to`; the fixture must hold `from`.
    #[track_caller]
    pub fn replace(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} lacks {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Refs of the bare origin (`sha ref` lines).
    pub fn remote_refs(&self) -> String {
        self.git_in(
            &self.origin,
            &["for-each-ref", "--format=%(objectname) %(refname)"],
        )
    }

    /// Everything a release can change: the files, HEAD, the branch, local
    /// tags, the remote; one entry per item so a failed comparison shows
    /// only what differs (see `assert_same`).
    pub fn state(&self) -> BTreeMap<String, String> {
        let mut state: BTreeMap<String, String> = self
            .snapshot()
            .into_iter()
            .map(|(k, v)| {
                (
                    format!("file {k}"),
                    String::from_utf8_lossy(&v).into_owned(),
                )
            })
            .collect();
        state.insert("HEAD".into(), self.git(&["rev-parse", "HEAD"]));
        state.insert("branch".into(), self.git(&["branch", "--show-current"]));
        state.insert(
            "index".into(),
            self.git(&["diff", "--cached", "--name-only"]),
        );
        state.insert("tags".into(), self.git(&["tag", "--list"]));
        state.insert("remote".into(), self.remote_refs());
        state
    }

    /// Every file of the working tree (not `.git/`), by relative path; a
    /// symlink as `symlink -> TARGET`, never followed.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let path = entry.path();
                if entry.file_name() == ".git" || entry.file_name() == "target" {
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let kind = entry.file_type().unwrap();
                if kind.is_symlink() {
                    // A link is its target's name, never what it points to.
                    let target = std::fs::read_link(&path).unwrap();
                    let shown = format!("symlink -> {}", target.display());
                    out.insert(rel, shown.into_bytes());
                } else if kind.is_dir() {
                    walk(root, &path, out);
                } else {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.dir, &self.dir, &mut out);
        out
    }

    /// Asserts `cargo_metadata_locked` succeeds, with cargo's complaint if not.
    #[track_caller]
    pub fn assert_locked(&self) {
        let metadata = self.cargo_metadata_locked();
        assert!(
            metadata.status.success(),
            "{}",
            String::from_utf8_lossy(&metadata.stderr)
        );
    }

    /// `cargo generate-lockfile --offline`: a lock for a workspace the test grew.
    pub fn generate_lockfile(&self) {
        self.generate_lockfile_env(&[]);
    }

    /// `generate_lockfile` with `env` set (a named registry's index, say).
    pub fn generate_lockfile_env(&self, env: &[(&str, &str)]) {
        self.generate_lockfile_in(".", env);
    }

    /// `generate_lockfile_env` in the folder `dir` of the working tree (a
    /// package outside the root workspace has a lock of its own).
    pub fn generate_lockfile_in(&self, dir: &str, env: &[(&str, &str)]) {
        let lock = Command::new("cargo")
            .args(["generate-lockfile", "--offline"])
            .envs(env.iter().copied())
            .current_dir(self.dir.join(dir))
            .output()
            .unwrap();
        assert!(
            lock.status.success(),
            "{}",
            String::from_utf8_lossy(&lock.stderr)
        );
    }

    /// `cargo metadata --locked --offline` in the working tree: proves the lock file is right.
    pub fn cargo_metadata_locked(&self) -> Output {
        let mut cmd = Command::new("cargo");
        cmd.args([
            "metadata",
            "--locked",
            "--offline",
            "--format-version",
            "1",
            "--no-deps",
        ])
        .current_dir(&self.dir)
        .env("CARGO_TARGET_DIR", self.base.join("target"));
        cmd.output().unwrap()
    }
}

/// Asserts two `Repo::state`s are equal, naming only the entries that differ.
/// Writes an executable script at `path`: a git hook, here or on the bare origin.
pub fn install_hook(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[track_caller]
pub fn assert_same(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let differ: Vec<String> = keys
        .into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| {
            format!(
                "{k}:\n  before: {:?}\n  after:  {:?}",
                before.get(k),
                after.get(k)
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "the repository changed:\n{}",
        differ.join("\n")
    );
}

/// The output of one xtask run.
pub struct Run(pub Output);

impl Run {
    pub fn ok(&self) -> bool {
        self.0.status.success()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn success(&self) -> String {
        assert!(
            self.ok(),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }
    /// Asserts failure and returns stderr.
    #[track_caller]
    pub fn failure(&self) -> String {
        assert!(
            !self.ok(),
            "expected failure\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stderr()
    }
}
