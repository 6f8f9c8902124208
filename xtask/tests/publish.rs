//! `publish crate`, `verify-published` and `downstream` without servers: a
//! local git index (a `file://` URL) stands in for the registry, so these run
//! offline in `cargo test`. `publish_e2e.rs` publishes to real servers.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Repo, registries};

/// A target folder of the repository's own (the toolchain homes come from
/// `Repo::env`).
fn toolchain_env(repo: &Repo) -> Vec<(&'static str, String)> {
    vec![(
        "CARGO_TARGET_DIR",
        repo.base.join("target").display().to_string(),
    )]
}

fn xtask(repo: &Repo, args: &[&str]) -> common::Run {
    let env = toolchain_env(repo);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    repo.xtask_env(args, &env)
}

#[test]
fn publish_refuses_a_commit_that_is_not_the_release_tag() {
    let repo = Repo::new("publish");
    let index = registries::local_index(&repo);
    let err = xtask(&repo, &["publish", "crate", "--index", &index]).failure();
    assert!(
        err.contains("error: HEAD is not the release tag v0.1.0 of xtask-e2e-core 0.1.0 (HEAD has no tag): check out the tag (git checkout v0.1.0), or pass --allow-untagged"),
        "{err}"
    );
    // The other package's tag is not this one's.
    repo.git(&["tag", "py-v0.1.0"]);
    let err = xtask(&repo, &["publish", "crate", "--index", &index]).failure();
    assert!(err.contains("(HEAD has py-v0.1.0)"), "{err}");
    // Nothing ran: no plan was printed.
    let run = xtask(&repo, &["publish", "crate", "--index", &index]);
    assert_eq!(run.stdout(), "");
}

#[test]
fn publish_crate_dry_run_packs_asks_and_uploads_nothing() {
    let repo = Repo::new("publish");
    repo.git(&["tag", "v0.1.0"]);
    let index = registries::local_index(&repo);
    let run = xtask(&repo, &["publish", "crate", "--index", &index]);
    let plan = run.success();
    assert_eq!(
        plan,
        format!(
            "plan:
  1. cargo package --locked -p xtask-e2e-core --index {index}
  2. cargo info xtask-e2e-core@0.1.0 --index {index}
     skip the upload when the registry already has this version
  3. cargo publish --locked -p xtask-e2e-core --index {index} --dry-run
     dry run: packs and verifies, uploads nothing (pass --execute to upload)
"
        )
    );
    let err = run.stderr();
    assert!(err.contains("Tagged HEAD is v0.1.0"), "{err}");
    assert!(err.contains("Packaging xtask-e2e-core v0.1.0"), "{err}");
    assert!(err.contains("aborting upload due to dry run"), "{err}");
    assert!(
        err.contains(&format!(
            "Dry run xtask-e2e-core 0.1.0 is ready for index {index}; pass --execute to upload"
        )),
        "{err}"
    );
    // Untagged, with the escape hatch: the same plan, and a warning.
    repo.commit("notes.txt", "x\n", "docs: a note", "A <a@example.com>");
    let run = xtask(
        &repo,
        &["publish", "crate", "--index", &index, "--allow-untagged"],
    );
    assert_eq!(run.success(), plan);
    assert!(
        run.stderr()
            .contains("Untagged HEAD is not v0.1.0; publishing anyway (--allow-untagged)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn verify_published_times_out_with_a_non_zero_exit() {
    let repo = Repo::new("publish");
    let index = registries::local_index(&repo);
    let err = xtask(
        &repo,
        &[
            "verify-published",
            "--rust",
            "--index",
            &index,
            "--timeout",
            "0",
        ],
    )
    .failure();
    assert!(
        // The seconds waited depend on the machine's load: not asserted.
        err.contains(&format!(
            "Waiting xtask-e2e-core 0.1.0 is not on index {index} yet ("
        )) && err.contains("s of 0s)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("error: not published after 0s: xtask-e2e-core 0.1.0 on index {index}: check the publish job's log, or wait longer with --timeout SECS")),
        "{err}"
    );
}

/// A crate depending on the fixture's core through a path, with a lock file.
fn dependent(repo: &Repo) -> PathBuf {
    let dir = repo.base.join("dependent");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"dependent\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n\n[dependencies]\n# the core, until it is released\nxtask-e2e-core = {{ path = \"{}\", features = [] }}\n",
            repo.dir.join("e2e-core").display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), "").unwrap();
    let status = Command::new("cargo")
        .args(["generate-lockfile", "--offline"])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn downstream_shows_the_move_to_the_registry_and_writes_nothing_by_default() {
    let repo = Repo::new("publish");
    let dir = dependent(&repo);
    let (manifest, lock) = (read(&dir, "Cargo.toml"), read(&dir, "Cargo.lock"));
    let path = dir.display().to_string();
    let out = xtask(&repo, &["downstream", &path, "--registry", "local"]).success();
    let removed = format!(
        "-xtask-e2e-core = {{ path = \"{}\", features = [] }}",
        repo.dir.join("e2e-core").display()
    );
    assert!(out.contains(&removed), "{out}");
    assert!(
        out.contains(
            "+xtask-e2e-core = { version = \"0.1.0\", registry = \"local\", features = [] }\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "then, in {path}: cargo update --workspace\nthen, in {path}: cargo update -p xtask-e2e-core --precise 0.1.0\n"
        )),
        "{out}"
    );
    assert_eq!(read(&dir, "Cargo.toml"), manifest);
    assert_eq!(read(&dir, "Cargo.lock"), lock);
}

#[test]
fn downstream_restores_the_manifest_when_cargo_cannot_refresh_the_lock() {
    let repo = Repo::new("publish");
    let dir = dependent(&repo);
    let (manifest, lock) = (read(&dir, "Cargo.toml"), read(&dir, "Cargo.lock"));
    let path = dir.display().to_string();
    // No `[registries.nowhere]` in any cargo configuration: cargo update fails.
    let err = xtask(
        &repo,
        &["downstream", &path, "--registry", "nowhere", "--execute"],
    )
    .failure();
    assert!(
        err.contains(&format!(
            "error: `cargo update --workspace` failed in {path}; the manifests were restored"
        )),
        "{err}"
    );
    assert_eq!(read(&dir, "Cargo.toml"), manifest);
    assert_eq!(read(&dir, "Cargo.lock"), lock);
}

#[test]
fn downstream_refuses_a_repository_that_does_not_depend_on_the_crate() {
    let repo = Repo::new("publish");
    let dir = repo.base.join("unrelated");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"unrelated\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    let path = dir.display().to_string();
    let err = xtask(&repo, &["downstream", &path]).failure();
    assert!(
        err.contains(&format!(
            "error: {path} does not depend on xtask-e2e-core 0.1.0: nothing to move to the registry"
        )),
        "{err}"
    );
}

/// A venv whose tools log the command line they were run with: maturin
/// writes the files it would build, the index lookup lists nothing, twine
/// succeeds. Real builds and uploads are `publish_e2e.rs`'s; this pins what
/// `publish py` prints against what it runs.
fn logging_venv(repo: &Repo) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let venv = repo.base.join("logging-venv");
    let log = repo.base.join("argv.log");
    std::fs::create_dir_all(venv.join("bin")).unwrap();
    let log_line = format!("printf '%s\\n' \"$0 $*\" >> '{}'", log.display());
    let scripts = [
        (
            "python",
            // `-c`: the index lookup, which finds no page.
            format!("#!/bin/sh\n[ \"$1\" = -c ] && exit 0\n{log_line}\n"),
        ),
        (
            "maturin",
            format!(
                "#!/bin/sh\n[ \"$1\" = build ] && printf 'CARGO_TARGET_DIR=%s ' \"$CARGO_TARGET_DIR\" >> '{}'\n{log_line}\n\
                 while [ \"$1\" != --out ]; do shift; done\n\
                 touch \"$2/xtask_e2e_py-0.1.0.tar.gz\" \"$2/xtask_e2e_py-0.1.0-cp39-abi3-linux_x86_64.whl\"\n",
                log.display()
            ),
        ),
        // Twine runs as `python -m twine`: its script is only looked for.
        ("twine", "#!/bin/sh\nexit 1\n".to_string()),
    ];
    for (name, text) in scripts {
        let path = venv.join("bin").join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (venv, log)
}

#[test]
fn publish_py_prints_exactly_the_commands_it_runs() {
    let repo = Repo::new("publish");
    let (venv, log) = logging_venv(&repo);
    let venv = venv.display().to_string();
    for execute in [false, true] {
        let _ = std::fs::remove_file(&log);
        let mut args = vec![
            "publish",
            "py",
            "--repository-url",
            "http://127.0.0.1:9/",
            "--index-url",
            "http://127.0.0.1:9/simple/",
        ];
        if execute {
            args.push("--execute");
        }
        let env = toolchain_env(&repo);
        let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.push(("XTASK_VENV", &venv));
        let out = repo.xtask_env(&args, &env).success();
        // The plan's two builds, and the upload once its files are known.
        let printed: Vec<&str> = out
            .lines()
            .filter_map(|l| {
                l.strip_prefix("  1. ")
                    .or_else(|| l.strip_prefix("  2. "))
                    .or_else(|| l.strip_prefix("$ "))
            })
            .collect();
        let ran = std::fs::read_to_string(&log).unwrap();
        let ran: Vec<&str> = ran.lines().collect();
        assert_eq!(printed, ran, "{out}");
        let dist = repo.dir.join("dist");
        let verb = if execute { "upload" } else { "check" };
        assert!(
            ran[2].contains(&format!(" -m twine {verb} "))
                && ran[2].ends_with(&format!(
                    " {0}/xtask_e2e_py-0.1.0-cp39-abi3-linux_x86_64.whl {0}/xtask_e2e_py-0.1.0.tar.gz",
                    dist.display()
                )),
            "{out}"
        );
        assert!(
            out.contains(&format!("  4. {venv}/bin/python -m twine {verb} ")),
            "{out}"
        );
    }
}
