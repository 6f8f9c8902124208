//! Publishing end to end, against real servers on 127.0.0.1: a cargo
//! registry (`cargo-http-registry`) and a Python index (`pypiserver`).
//!
//! Ignored by `cargo test`: it installs tools and builds a PyO3 wheel (a
//! second, quick test that is not ignored checks what it does when it cannot).
//! `cargo xtask ci` runs it (step `publish-e2e`) with `XTASK_VENV` set to the
//! project venv:
//!
//! ```sh
//! XTASK_VENV=$PWD/.venv cargo test -p xtask --test publish_e2e -- --ignored --nocapture
//! ```
//!
//! When a server cannot be installed the test fails, saying why; under
//! `cargo xtask ci` (which sets `XTASK_E2E_SKIP_FILE`) it writes why to that
//! file instead, and the step is reported as skipped, which fails the run.

mod common;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Repo;
use common::rate_limited::RateLimited;

const CORE: &str = "xtask-e2e-core";
const PY: &str = "xtask-e2e-py";
/// The second crate of the core's group; it needs the core.
const EXT: &str = "xtask-e2e-ext";

/// A server process, killed when dropped (also when the test fails).
struct Server {
    name: &'static str,
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        eprintln!("stopped {}", self.name);
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something listens on `port`; panics after `limit`.
fn wait_for_port(server: &mut Server, port: u16, limit: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{} exited early: {status}", server.name);
        }
        assert!(
            start.elapsed() < limit,
            "{} did not listen on port {port} within {limit:?}",
            server.name
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The output of a bounded command.
struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs `cmd`, killing it after `limit`; output goes through files so a
/// chatty child never blocks on a full pipe.
fn run(mut cmd: Command, limit: Duration, logs: &Path) -> Out {
    let what = format!("{cmd:?}");
    std::fs::create_dir_all(logs).unwrap();
    let n = std::fs::read_dir(logs).unwrap().count();
    let (out_path, err_path) = (logs.join(format!("{n}.out")), logs.join(format!("{n}.err")));
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |p: &Path| {
        let mut s = String::new();
        std::fs::File::open(p)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    Out {
        ok: status.success(),
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

#[track_caller]
fn success(out: Out, what: &str) -> Out {
    assert!(
        out.ok,
        "{what} failed\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    out
}

/// The error lines of a tool's output (all of it is in the logs), on one
/// line: the reason a skip gives in `cargo xtask ci`'s summary.
fn errors(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.to_ascii_lowercase().starts_with("error"))
        .collect();
    // A traceback's cause is its last line (pip: `ERROR: Exception:` first).
    let last = stderr.trim().lines().last().map(str::trim);
    match (lines.as_slice(), last) {
        ([], last) => last.unwrap_or("no output").to_string(),
        (found, Some(last)) if !found.contains(&last) => format!("{}; {last}", found.join("; ")),
        (found, _) => found.join("; "),
    }
}

/// The ignored tests run as threads of one process and share the venv: one
/// installer at a time, or two pips race on one venv.
static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `cargo-http-registry` from the tools folder `XTASK_TOOLS` names: the
/// `publish-e2e` step of `cargo xtask ci` builds it once per machine into
/// the per-user tools cache (`$CARGO_HOME/xtask-tools/`) and names its
/// folder there.
fn registry_tool() -> Result<PathBuf, String> {
    let Some(tools) = std::env::var_os("XTASK_TOOLS") else {
        return Err("XTASK_TOOLS is not set: run `cargo xtask ci --only publish-e2e`, which builds cargo-http-registry once per machine and names its folder".into());
    };
    let bin = Path::new(&tools).join("bin/cargo-http-registry");
    match bin.is_file() {
        true => Ok(bin),
        false => Err(format!(
            "{} is missing: set XTASK_TOOLS to a folder whose bin/ holds cargo-http-registry",
            bin.display()
        )),
    }
}

/// The project venv, with pypiserver installed into it once.
fn venv(logs: &Path) -> Result<PathBuf, String> {
    let venv = std::env::var_os("XTASK_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv"));
    for tool in ["python", "maturin", "twine"] {
        if !venv.join("bin").join(tool).exists() {
            return Err(format!(
                "{} has no {tool}: run `cargo xtask ci` (step python-env) first, or set XTASK_VENV",
                venv.display()
            ));
        }
    }
    let _one = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if !venv.join("bin/pypi-server").exists() {
        eprintln!("installing pypiserver into {}", venv.display());
        let mut cmd = Command::new(venv.join("bin/python"));
        cmd.args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pypiserver>=2",
        ]);
        let out = run(cmd, Duration::from_secs(600), logs);
        if !out.ok {
            return Err(format!(
                "pip install pypiserver failed: {}",
                errors(&out.stderr)
            ));
        }
    }
    Ok(venv)
}

/// The servers could not be installed: under `cargo xtask ci` the step is
/// reported as skipped (and the run fails); run by hand, the test fails.
fn cannot_run(why: &str) {
    match std::env::var_os("XTASK_E2E_SKIP_FILE") {
        Some(file) => {
            eprintln!("publish e2e did not run: {why}");
            std::fs::write(file, why).unwrap();
        }
        None => panic!("publish e2e cannot run: {why}"),
    }
}

/// The setup failing for real (a venv that does not exist), in the ignored
/// test's own binary: run by hand it fails with the reason; with
/// `XTASK_E2E_SKIP_FILE`, as `cargo xtask ci` runs it, it hands the reason
/// over in that file. Neither passes as if it had published anything.
#[test]
fn a_setup_failure_fails_the_test_or_is_handed_to_ci() {
    let scratch = std::env::temp_dir().join(format!("xtask-e2e-setup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let skip_file = scratch.join("skip");
    let run = |skip: Option<&Path>| {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "--ignored",
            "--exact",
            "publish_both_packages_to_local_servers_and_use_them",
            "--nocapture",
        ])
        .env("XTASK_VENV", scratch.join("no-venv"))
        .env_remove("XTASK_E2E_SKIP_FILE");
        if let Some(file) = skip {
            cmd.env("XTASK_E2E_SKIP_FILE", file);
        }
        cmd.output().unwrap()
    };
    let by_hand = run(None);
    let stderr = String::from_utf8_lossy(&by_hand.stderr);
    assert!(!by_hand.status.success(), "{stderr}");
    assert!(
        stderr.contains("publish e2e cannot run: ") && stderr.contains("no-venv has no python"),
        "{stderr}"
    );
    assert!(!skip_file.exists());

    let under_ci = run(Some(&skip_file));
    let stderr = String::from_utf8_lossy(&under_ci.stderr);
    assert!(under_ci.status.success(), "{stderr}");
    let why = std::fs::read_to_string(&skip_file).unwrap();
    assert!(why.contains("no-venv has no python"), "{why}");
    assert!(stderr.contains("publish e2e did not run: "), "{stderr}");
    let _ = std::fs::remove_dir_all(&scratch);
}

struct E2e {
    repo: Repo,
    logs: PathBuf,
    venv: PathBuf,
}

impl E2e {
    /// A command with the repository's pinned git environment (with the real
    /// cargo and rustup homes) and the registry token.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(dir);
        self.repo.env(&mut cmd);
        cmd.env("CARGO_TARGET_DIR", self.repo.base.join("target"))
            .env("CARGO_REGISTRIES_LOCAL_TOKEN", "e2e-token")
            .env("TWINE_USERNAME", "e2e")
            .env("TWINE_PASSWORD", "e2e")
            .env("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
            .env("XTASK_VENV", &self.venv)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        cmd
    }

    /// `xtask-e2e-ext`, which needs the core (a path and a version, on the
    /// local registry), joins the core's group (`crates`), committed.
    fn add_group_member(&self) {
        let repo = &self.repo;
        std::fs::create_dir_all(repo.dir.join("e2e-ext/src")).unwrap();
        repo.write(
            "e2e-ext/Cargo.toml",
            &format!(
                "[package]\nname = \"{EXT}\"\nversion = \"0.1.0\"\ndescription = \"The second crate of the core's group\"\nedition.workspace = true\nlicense.workspace = true\nrepository.workspace = true\n\n[dependencies]\n{CORE} = {{ path = \"../e2e-core\", version = \"0.1.0\", registry = \"local\" }}\n"
            ),
        );
        repo.write(
            "e2e-ext/src/lib.rs",
            "//! Needs the core.\n\n/// One more than the core's answer.\npub fn more() -> u32 {\n    xtask_e2e_core::answer() + 1\n}\n",
        );
        repo.replace(
            "Cargo.toml",
            "members = [\"e2e-core\", \"e2e-py\"]",
            "members = [\"e2e-core\", \"e2e-py\", \"e2e-ext\"]",
        );
        repo.replace(
            "Cargo.toml",
            "changelog = \"CHANGELOG.md\"\n",
            &format!("changelog = \"CHANGELOG.md\"\ncrates = [\"{EXT}\"]\n"),
        );
        // The lock gains the member; nothing else moves.
        let mut lock = self.command("cargo", &repo.dir);
        lock.args(["metadata", "--format-version", "1", "--offline"]);
        success(
            run(lock, Duration::from_secs(120), &self.logs),
            "cargo metadata (the lock gains the ext crate)",
        );
        repo.git(&["add", "-A"]);
        repo.git(&[
            "commit",
            "-q",
            "-m",
            "feat: the ext crate, released with the core",
        ]);
    }

    /// A dry run of the group; then half of it published (the core alone,
    /// as a run that stopped there), `status` naming the hole, `publish`
    /// filling exactly it through a registry that answers 429 twice, and
    /// `status` complete.
    fn publish_the_group_in_two_halves(&self, registry_root: &Path, crate_port: u16) {
        let dry = success(
            self.xtask(&["publish", "crate", "--registry", "local"]),
            "publish crate (dry run)",
        );
        assert!(
            dry.stdout.contains(&format!(
                "cargo publish --locked -p {CORE} -p {EXT} --registry local --dry-run"
            )),
            "{}",
            dry.stdout
        );
        assert!(
            dry.stderr
                .contains(&format!("Dry run {CORE}, {EXT} 0.2.0 is ready")),
            "{}",
            dry.stderr
        );

        let mut half = self.command("cargo", &self.repo.dir);
        half.args(["publish", "--locked", "-p", CORE, "--registry", "local"]);
        success(
            run(half, Duration::from_secs(300), &self.logs),
            "cargo publish of the core alone",
        );
        let holes = self.status();
        assert!(!holes.ok, "{}", holes.stdout);
        let line = holes
            .stdout
            .lines()
            .find(|l| l.contains(&format!("{CORE} 0.2.0 on registry `local`")))
            .unwrap_or_else(|| panic!("no registry line in {}", holes.stdout));
        assert!(
            line.contains("MISSING") && line.ends_with(&format!("  {EXT} 0.2.0")),
            "{}",
            holes.stdout
        );
        assert!(
            holes
                .stdout
                .contains(&format!("  next: git -C {dir} checkout v0.2.0 && cargo xtask --root {dir} publish crate --execute\n", dir = self.repo.dir.display())),
            "{}",
            holes.stdout
        );

        // From here uploads go through a proxy that turns the first two away.
        let proxy = RateLimited::start(2, Some(crate_port));
        self.send_uploads_to(registry_root, crate_port, &proxy.url());
        let filled = success(
            self.xtask(&["publish", "crate", "--registry", "local", "--execute"]),
            "publish crate (the rest of the group)",
        );
        let err = &filled.stderr;
        for said in [
            format!("Skipped {CORE} 0.2.0 is already published on registry `local`"),
            "(429); trying again in 2s (1 of 5 tries)".into(),
            "(429); trying again in 4s (2 of 5 tries)".into(),
            format!("Published {EXT} 0.2.0 to registry `local`"),
        ] {
            assert!(err.contains(&said), "`{said}` in\n{err}");
        }
        assert!(!err.contains(&format!("Published {CORE}")), "{err}");
        let answers: Vec<String> = proxy.seen();
        assert_eq!(answers.len(), 3, "{answers:?}");
        assert!(answers[2].ends_with("-> passed on"), "{answers:?}");

        success(
            self.xtask(&[
                "verify-published",
                "--rust",
                "--registry",
                "local",
                "--timeout",
                "60",
            ]),
            "verify-published --rust",
        );
        let complete = self.status();
        assert!(complete.ok, "{}", complete.stdout);
    }

    /// Points the index's `api` (where cargo uploads) at `api`, committed
    /// as the registry commits.
    fn send_uploads_to(&self, registry_root: &Path, port: u16, api: &str) {
        let config = registry_root.join("config.json");
        let text = std::fs::read_to_string(&config).unwrap();
        let real = format!("\"http://127.0.0.1:{port}\"");
        assert!(text.contains(&format!("\"api\": {real}")), "{text}");
        let text = text.replace(&format!("\"api\": {real}"), &format!("\"api\": \"{api}\""));
        std::fs::write(&config, text).unwrap();
        let mut commit = self.command("git", registry_root);
        commit.args(["commit", "-q", "-am", "uploads through the proxy"]);
        success(
            run(commit, Duration::from_secs(60), &self.logs),
            "git commit (the index's api)",
        );
    }

    /// `status --rust`, with a stand-in for `gh` first on PATH that shows
    /// the GitHub release: GitHub is the one place this test cannot run.
    fn status(&self) -> Out {
        let bin = self.repo.base.join("gh-stand-in");
        std::fs::create_dir_all(&bin).unwrap();
        let gh = bin.join("gh");
        std::fs::write(
            &gh,
            "#!/bin/sh\ncase \"$1 $2\" in\n  --version*) echo 'gh version 2.0.0 (stand-in)' ;;\n  'auth status') ;;\n  'release view') echo 'xtask-e2e-core-0.2.0.crate' ;;\n  *) exit 1 ;;\nesac\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut paths = vec![bin];
        paths.extend(std::env::split_paths(&path));
        let mut cmd = self.command(env!("CARGO_BIN_EXE_xtask"), &self.repo.dir);
        cmd.env("PATH", std::env::join_paths(paths).unwrap())
            .arg("--root")
            .arg(&self.repo.dir)
            .args(["status", "--rust", "--registry", "local"]);
        let out = run(cmd, Duration::from_secs(300), &self.logs);
        eprintln!(
            "$ cargo xtask status --rust --registry local\n{}",
            out.stdout.trim_end()
        );
        out
    }

    /// `publish py --execute` to the local index, which must succeed.
    #[track_caller]
    fn publish_py(&self, upload: &str, simple: &str, what: &str) -> Out {
        success(
            self.xtask(&[
                "publish",
                "py",
                "--repository-url",
                upload,
                "--index-url",
                simple,
                "--execute",
            ]),
            what,
        )
    }

    fn xtask(&self, args: &[&str]) -> Out {
        let mut cmd = self.command(env!("CARGO_BIN_EXE_xtask"), &self.repo.dir);
        cmd.arg("--root").arg(&self.repo.dir).args(args);
        let out = run(cmd, Duration::from_secs(900), &self.logs);
        eprintln!(
            "$ cargo xtask {}\n{}",
            args.join(" "),
            out.stderr.trim_end()
        );
        out
    }
}

/// `pypiserver` serving (and taking uploads into) `packages` on a free
/// port, with its upload URL and its simple index.
fn pypiserver(venv: &Path, packages: &Path) -> (Server, String, String) {
    std::fs::create_dir_all(packages).unwrap();
    let port = free_port();
    let mut pypi = Server {
        name: "pypiserver",
        child: Command::new(venv.join("bin/pypi-server"))
            .args(["run", "-i", "127.0.0.1", "-p", &port.to_string()])
            .args(["-P", ".", "-a", ".", "--disable-fallback"])
            .arg(packages)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pypi-server starts"),
    };
    wait_for_port(&mut pypi, port, Duration::from_secs(30));
    let upload = format!("http://127.0.0.1:{port}/");
    let simple = format!("http://127.0.0.1:{port}/simple/");
    (pypi, upload, simple)
}

#[test]
#[ignore = "starts servers and builds a wheel: run by `cargo xtask ci` (step publish-e2e)"]
fn publish_both_packages_to_local_servers_and_use_them() {
    let started = Instant::now();
    let logs = std::env::temp_dir().join(format!("xtask-e2e-logs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&logs);
    // The venv first: it is quick to find missing, the registry slow to install.
    let tools = venv(&logs).and_then(|venv| Ok((registry_tool()?, venv)));
    let (tool, venv) = match tools {
        Ok(tools) => tools,
        Err(why) => return cannot_run(&why),
    };
    eprintln!("tools ready after {:.1}s", started.elapsed().as_secs_f64());
    let repo = Repo::new("publish");
    let e2e = E2e {
        repo,
        logs,
        venv: venv.clone(),
    };
    let base = e2e.repo.base.clone();
    let dir = e2e.repo.dir.clone();

    // The servers.
    let registry_root = base.join("registry");
    let crate_port = free_port();
    let mut crates = Server {
        name: "cargo-http-registry",
        child: Command::new(&tool)
            .arg(&registry_root)
            .args(["--addr", &format!("127.0.0.1:{crate_port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cargo-http-registry starts"),
    };
    wait_for_port(&mut crates, crate_port, Duration::from_secs(30));
    let packages = base.join("packages");
    let (pypi, upload, simple) = pypiserver(&venv, &packages);
    let index = format!("file://{}", registry_root.display());
    let cargo_config = format!("[registries.local]\nindex = \"{index}\"\n");

    // Release 0.2.0 of both packages, the crate a group of two: bump,
    // commit, tag, push.
    std::fs::create_dir_all(dir.join(".cargo")).unwrap();
    e2e.repo.write(".cargo/config.toml", &cargo_config);
    e2e.add_group_member();
    success(e2e.xtask(&["bump", "--rust", "--py", "minor"]), "bump");
    e2e.repo.git(&["add", "-A"]);
    e2e.repo
        .git(&["commit", "-q", "-m", "chore(release): v0.2.0, py-v0.2.0"]);
    e2e.repo.git(&["tag", "v0.2.0"]);
    e2e.repo.git(&["tag", "py-v0.2.0"]);
    e2e.repo.git(&["push", "-q", "origin", "main", "--tags"]);

    e2e.publish_the_group_in_two_halves(&registry_root, crate_port);

    // The Python package.
    let published = e2e.publish_py(&upload, &simple, "publish py");
    assert!(
        published.stderr.contains("Published xtask-e2e-py 0.2.0"),
        "{}",
        published.stderr
    );
    let files: Vec<String> = std::fs::read_dir(&packages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.iter().any(|f| f == "xtask_e2e_py-0.2.0.tar.gz"),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("xtask_e2e_py-0.2.0-") && f.ends_with(".whl")),
        "{files:?}"
    );
    success(
        e2e.xtask(&[
            "verify-published",
            "--py",
            "--index-url",
            &simple,
            "--timeout",
            "60",
        ]),
        "verify-published --py",
    );
    // A version nobody published times out, non-zero.
    let missing = e2e.xtask(&[
        "verify-published",
        "--rust",
        "9.9.9",
        "--registry",
        "local",
        "--timeout",
        "2",
    ]);
    assert!(
        !missing.ok
            && missing
                .stderr
                .contains("not published after 2s: xtask-e2e-core 9.9.9"),
        "{}",
        missing.stderr
    );

    // A dependent crate moves from the path dependency to the registry, and builds.
    let consumer = base.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::create_dir_all(consumer.join(".cargo")).unwrap();
    std::fs::write(consumer.join(".cargo/config.toml"), &cargo_config).unwrap();
    std::fs::write(
        consumer.join("Cargo.toml"),
        format!(
            "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{CORE} = {{ path = \"{}\" }} # the core\n",
            dir.join("e2e-core").display()
        ),
    )
    .unwrap();
    std::fs::write(
        consumer.join("src/main.rs"),
        "fn main() {\n    assert_eq!(xtask_e2e_core::answer(), 42);\n}\n",
    )
    .unwrap();
    let mut lock = e2e.command("cargo", &consumer);
    lock.args(["generate-lockfile", "--offline"]);
    success(
        run(lock, Duration::from_secs(120), &e2e.logs),
        "cargo generate-lockfile (consumer)",
    );
    let consumer_arg = consumer.display().to_string();
    let moved = success(
        e2e.xtask(&[
            "downstream",
            &consumer_arg,
            "--registry",
            "local",
            "--execute",
        ]),
        "downstream",
    );
    assert!(
        moved.stdout.contains(&format!(
            "+{CORE} = {{ version = \"0.2.0\", registry = \"local\" }} # the core"
        )),
        "{}",
        moved.stdout
    );
    let lock_text = std::fs::read_to_string(consumer.join("Cargo.lock")).unwrap();
    assert!(
        lock_text.contains(&format!(
            "name = \"{CORE}\"\nversion = \"0.2.0\"\nsource = \"registry+{index}\""
        )),
        "{lock_text}"
    );
    let mut build = e2e.command("cargo", &consumer);
    build
        .args(["run", "--locked"])
        .env("CARGO_TARGET_DIR", base.join("target-consumer"));
    success(
        run(build, Duration::from_secs(300), &e2e.logs),
        "cargo run (consumer)",
    );

    // The wheel installs from the index into a fresh venv and imports.
    let fresh = base.join("fresh-venv");
    let mut make = e2e.command(venv.join("bin/python"), &base);
    make.args(["-m", "venv"]).arg(&fresh);
    success(
        run(make, Duration::from_secs(120), &e2e.logs),
        "python -m venv",
    );
    let mut install = e2e.command(fresh.join("bin/python"), &base);
    install.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-cache-dir",
        "--index-url",
        &simple,
        &format!("{PY}==0.2.0"),
    ]);
    success(
        run(install, Duration::from_secs(300), &e2e.logs),
        "pip install from the local index",
    );
    let mut import = e2e.command(fresh.join("bin/python"), &base);
    import.args([
        "-c",
        "import xtask_e2e_py; assert xtask_e2e_py.answer() == 42; print('ok')",
    ]);
    let imported = success(run(import, Duration::from_secs(60), &e2e.logs), "import");
    assert_eq!(imported.stdout.trim(), "ok");

    // Publishing again skips both, exit 0.
    let again = success(
        e2e.xtask(&["publish", "crate", "--registry", "local", "--execute"]),
        "publish crate again",
    );
    for name in [CORE, EXT] {
        assert!(
            again.stderr.contains(&format!(
                "Skipped {name} 0.2.0 is already published on registry `local`"
            )),
            "{}",
            again.stderr
        );
    }
    let again = e2e.publish_py(&upload, &simple, "publish py again");
    assert!(
        again.stderr.contains(&format!(
            "Skipped xtask-e2e-py 0.2.0 is already published on {simple}"
        )),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("Published"), "{}", again.stderr);

    drop(pypi);
    drop(crates);
    eprintln!("publish e2e took {:.1}s", started.elapsed().as_secs_f64());
}

/// The index's line of `status --py` (gh signed out: GitHub stays unknown).
fn py_status_line(e2e: &E2e, simple: &str) -> (bool, String) {
    let gh = e2e.repo.base.join("gh-config");
    std::fs::create_dir_all(&gh).unwrap();
    let mut cmd = e2e.command(env!("CARGO_BIN_EXE_xtask"), &e2e.repo.dir);
    cmd.env("GH_CONFIG_DIR", &gh)
        .env("GH_TOKEN", "")
        .env("GITHUB_TOKEN", "")
        .arg("--root")
        .arg(&e2e.repo.dir)
        .args(["status", "--py", "--index-url", simple]);
    let out = run(cmd, Duration::from_secs(300), &e2e.logs);
    eprintln!("$ cargo xtask status --py\n{}", out.stdout.trim_end());
    let what = format!("{PY} 0.1.0 on {simple}");
    let line = out.stdout.lines().find(|l| l.contains(&what));
    let line = line.unwrap_or_else(|| panic!("no `{what}` line in\n{}", out.stdout));
    (
        out.stdout
            .contains(&format!("  next: git -C {dir} checkout py-v0.1.0 && cargo xtask --root {dir} publish py --execute, on the platform of each missing wheel", dir = e2e.repo.dir.display())),
        line.to_string(),
    )
}

/// Half a Python release on a real index: the sdist and one of the two
/// wheels the configuration promises (a Windows wheel, which this machine
/// cannot build). `status` names the missing wheel; `publish py` uploads
/// only this machine's wheel, never the sdist again; then the index's line
/// of `status` is ok.
#[test]
#[ignore = "starts pypiserver and builds a wheel: run by `cargo xtask ci` (step publish-e2e)"]
fn a_half_published_python_release_is_finished_exactly() {
    let logs = std::env::temp_dir().join(format!("xtask-e2e-py-logs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&logs);
    let venv = match venv(&logs) {
        Ok(venv) => venv,
        Err(why) => return cannot_run(&why),
    };
    let e2e = E2e {
        repo: Repo::new("publish"),
        logs,
        venv: venv.clone(),
    };
    let repo = &e2e.repo;
    repo.replace(
        "Cargo.toml",
        "wheels = [\"*\"]",
        "wheels = [\"*-abi3-*linux*\", \"*-abi3-win_amd64\"]",
    );
    repo.git(&["commit", "-qam", "chore: a Linux and a Windows wheel"]);
    repo.git(&["tag", "-a", "py-v0.1.0", "-m", "xtask-e2e-py 0.1.0"]);
    repo.git(&["push", "-q", "origin", "main", "py-v0.1.0"]);
    let packages = repo.base.join("packages");
    let (pypi, upload, simple) = pypiserver(&venv, &packages);

    // Half of it on the index: the real sdist, and a Windows wheel.
    let mut sdist = e2e.command(venv.join("bin/maturin"), &repo.dir);
    sdist
        .args(["sdist", "--manifest-path", "e2e-py/Cargo.toml", "--out"])
        .arg(&packages);
    success(
        run(sdist, Duration::from_secs(300), &e2e.logs),
        "maturin sdist",
    );
    let sdist = packages.join("xtask_e2e_py-0.1.0.tar.gz");
    let sdist_bytes = std::fs::read(&sdist).expect("maturin wrote the sdist");
    std::fs::write(
        packages.join("xtask_e2e_py-0.1.0-cp39-abi3-win_amd64.whl"),
        "built on Windows",
    )
    .unwrap();
    let (next, line) = py_status_line(&e2e, &simple);
    assert!(
        line.contains(" MISSING ") && line.ends_with("  xtask_e2e_py-0.1.0-*-abi3-*linux*.whl"),
        "{line}"
    );
    assert!(next, "the next step is `publish py`");

    let published = e2e.publish_py(&upload, &simple, "publish py (the missing wheel)");
    let err = &published.stderr;
    assert!(
        err.contains(&format!(
            "Skipping xtask_e2e_py-0.1.0.tar.gz (already on {simple})"
        )),
        "{err}"
    );
    let twine = published
        .stdout
        .lines()
        .find(|l| l.starts_with("$ ") && l.contains(" upload "))
        .unwrap_or_else(|| panic!("no upload line in\n{}", published.stdout))
        .to_string();
    assert!(
        twine.contains(".whl") && !twine.contains(".tar.gz"),
        "only the wheel goes up: {twine}"
    );
    assert!(err.contains("Published xtask-e2e-py 0.1.0"), "{err}");
    assert_eq!(
        std::fs::read(&sdist).unwrap(),
        sdist_bytes,
        "the sdist is never replaced"
    );
    let wheels = std::fs::read_dir(&packages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".whl") && f.contains("linux"))
        .count();
    assert_eq!(wheels, 1, "this machine's wheel is on the index");

    let (next, line) = py_status_line(&e2e, &simple);
    assert!(line.contains(" ok"), "{line}");
    assert!(!next, "nothing is left to upload");
    drop(pypi);
}
