//! Nothing outside the repository is read or written (issue 30): committed
//! symlinks at a write's temporary path, a changelog linked to a file
//! outside (a credentials file, the process environment), configured paths
//! that leave the tree, broken and looping links. Each refusal leaves the
//! repository (files, index, HEAD, refs, origin) and the outside files as
//! they were.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::{Repo, assert_same};

const PRECIOUS: &str = "precious: an outside file no command may touch\n";
const TOKEN: &str = "cio_FAKE0SECRET0TOKEN0for0tests";

/// A Python release with drafted notes, run for real without its pre-flight.
const RELEASE_PY: [&str; 6] = [
    "release",
    "--py",
    "patch",
    "--generate",
    "--execute",
    "--skip-preflight",
];

/// Commits a symlink at `link` (relative to the work tree) pointing to `target`.
fn commit_link(repo: &Repo, link: &str, target: &Path) {
    let at = repo.dir.join(link);
    let _ = std::fs::remove_file(&at);
    symlink(target, &at).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", &format!("chore: link {link}")]);
}

/// A file outside the work tree (beside it, in the test's folder).
fn outside(repo: &Repo, name: &str, text: &str) -> std::path::PathBuf {
    let path = repo.base.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

#[track_caller]
fn assert_regular(repo: &Repo, rel: &str) {
    let meta = std::fs::symlink_metadata(repo.dir.join(rel)).unwrap();
    assert!(meta.is_file(), "{rel} is not a regular file: {meta:?}");
}

/// Each command that writes goes through a temporary file beside the file
/// it writes. A committed link there is removed (the link, not its target)
/// and the file written in place: the outside file stays as it was.
#[test]
fn a_link_at_the_temporary_path_of_a_write_never_sends_the_write_out() {
    type Setup = fn(&Repo);
    let no_setup: Setup = |_| {};
    let drift: Setup = |repo| {
        repo.replace(
            "README.md",
            "demo-core = \"0.4.0\"",
            "demo-core = \"0.3.9\"",
        );
        repo.git(&["commit", "-q", "-am", "docs: stale pin"]);
    };
    let links: Setup = |repo| {
        let text = repo.read("CHANGELOG.md")
            + "\n[0.4.0]: https://github.com/example/demo/releases/tag/v0.4.0\n";
        repo.write("CHANGELOG.md", &text);
        repo.git(&["commit", "-q", "-am", "docs: link the release"]);
        repo.git(&["tag", "-a", "v0.4.0", "-m", "demo-core 0.4.0"]);
    };
    let cases: [(&[&str], &[&str], Setup); 4] = [
        (
            &["bump", "--rust", "patch"],
            &[
                "demo-core/Cargo.toml",
                "demo-py/Cargo.toml",
                "Cargo.lock",
                "README.md",
            ],
            no_setup,
        ),
        (&["sync"], &["README.md"], drift),
        (
            &[
                "changelog",
                "promote",
                "rust",
                "0.4.1",
                "--date",
                "2026-02-01",
            ],
            &["CHANGELOG.md"],
            no_setup,
        ),
        (&["changelog", "lint", "--fix"], &["CHANGELOG.md"], links),
    ];
    for (args, written, setup) in cases {
        let repo = Repo::new("workspace");
        setup(&repo);
        let target = outside(&repo, "outside-file", PRECIOUS);
        for file in written {
            let temp = match file.rsplit_once('/') {
                Some((dir, name)) => format!("{dir}/.{name}.xtask-tmp"),
                None => format!(".{file}.xtask-tmp"),
            };
            commit_link(&repo, &temp, &target);
        }
        let before: Vec<String> = written.iter().map(|f| repo.read(f)).collect();
        repo.xtask(args).success();
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            PRECIOUS,
            "{args:?}"
        );
        for (file, before) in written.iter().zip(before) {
            assert_regular(&repo, file);
            assert_ne!(repo.read(file), before, "{args:?}: {file} was not written");
        }
        let links = repo
            .snapshot()
            .into_keys()
            .filter(|k| k.ends_with(".xtask-tmp"))
            .collect::<Vec<_>>();
        assert!(links.is_empty(), "{args:?}: {links:?}");
    }
}

/// The changelog linked to a credentials file outside: every command that
/// reads it refuses, naming the link; `--execute` writes, commits and
/// pushes nothing, and no output holds the secret.
#[test]
fn a_changelog_linked_outside_is_refused_and_nothing_reaches_origin() {
    let repo = Repo::released();
    let secret = format!("[registry]\ntoken = \"{TOKEN}\"\n");
    let credentials = outside(&repo, "home/.cargo/credentials.toml", &secret);
    commit_link(&repo, "demo-py/CHANGELOG.md", &credentials);
    repo.git(&["push", "-q", "origin", "main"]);
    let before = repo.state();
    let expected = format!(
        "`changelog = \"demo-py/CHANGELOG.md\"` is a symlink to `{}`, outside the repository: no file is read or written through a link: replace the link by the file itself",
        credentials.display()
    );
    for args in [
        &["check"][..],
        &["changelog", "lint"],
        &["versions"],
        &["release", "--py", "patch", "--generate"],
        &RELEASE_PY,
        &[
            "release",
            "--pr",
            "--py",
            "patch",
            "--generate",
            "--execute",
            "--skip-preflight",
        ],
        &["changelog", "promote", "py", "0.3.1", "--generate"],
    ] {
        let run = repo.xtask(args);
        let stderr = run.failure();
        assert!(stderr.contains(&expected), "{args:?}\n{stderr}");
        let all = run.stdout() + &stderr;
        assert!(!all.contains(TOKEN), "{args:?} printed the token:\n{all}");
        assert_same(&before, &repo.state());
        assert_eq!(std::fs::read_to_string(&credentials).unwrap(), secret);
    }
}

/// A changelog linked to `/proc/self/environ` would print the environment
/// (a CI token) in the dry run's diff: it is refused before it is read.
#[cfg(target_os = "linux")]
#[test]
fn a_changelog_linked_to_the_process_environment_never_prints_the_token() {
    let repo = Repo::released();
    commit_link(
        &repo,
        "demo-py/CHANGELOG.md",
        Path::new("/proc/self/environ"),
    );
    let before = repo.state();
    let token = "ghp_FAKE0TOKEN0in0the0environment";
    for args in [
        &["release", "--py", "patch", "--generate"][..],
        &["release", "--pr", "--generate"],
        &["changelog", "notes", "py", "0.3.0"],
        &["changelog", "promote", "py", "0.3.1", "--dry-run"],
        &["versions"],
        &["check"],
    ] {
        let run = repo.xtask_env(args, &[("GH_TOKEN", token)]);
        let stderr = run.failure();
        assert!(
            stderr.contains("is a symlink to `/proc/self/environ`, outside the repository"),
            "{args:?}\n{stderr}"
        );
        let all = run.stdout() + &stderr;
        assert!(!all.contains(token), "{args:?} printed GH_TOKEN:\n{all}");
    }
    assert_same(&before, &repo.state());
}

/// The configuration of seen problem 4: each form alone is refused by
/// `check` with its key; all at once, every one is named together and no
/// command that writes changes anything, in the repository or outside it.
#[test]
fn every_configured_path_outside_the_repository_is_named_by_its_key() {
    let origin = |n: u32, name: &str| {
        format!("Cargo.toml [workspace.metadata.xtask-release] package #{n} (`{name}`)")
    };
    let inside = "name a file inside the repository, relative to its root";
    type Form = (&'static str, &'static str, &'static str);
    // (what the configuration says, where, the line `check` prints)
    let forms: [Form; 6] = [
        (
            "changelog = \"../outside.md\"",
            "demo-py",
            "`changelog = \"../outside.md\"` is outside the repository",
        ),
        (
            "pyproject = \"../x.toml\"",
            "demo-py",
            "`pyproject = \"../x.toml\"` is outside the repository",
        ),
        (
            "mentions = [{ file = \"BASE/abs.md\", pattern = 'demo-core = \"{version}\"' }]",
            "demo-core",
            "`mentions` entry `file = \"BASE/abs.md\"` is an absolute path",
        ),
        (
            "mentions = [{ file = \"docs/install.md\", pattern = 'demo-core = \"{version}\"' }]",
            "demo-core",
            "`mentions` entry `file = \"docs/install.md\"` goes through the symlink `docs` -> `BASE/elsewhere`, which leads outside the repository",
        ),
        (
            "crates = [\"ext\"]",
            "demo-core",
            "Cargo.toml:3: workspace member `../ext` is outside the repository: move the crate into the repository, or remove `../ext` from `[workspace] members`",
        ),
        (
            "paths = [\"demo-core\", \"../ext\"]",
            "demo-core",
            "`paths` entry \"../ext\" is outside the repository",
        ),
    ];
    let setup = |repo: &Repo, chosen: &[&Form]| {
        let base = repo.base.display().to_string();
        outside(repo, "outside.md", "# Outside\n\n## [Unreleased]\n\n- x\n");
        outside(
            repo,
            "x.toml",
            "[project]\nname = \"demo-py\"\nversion = \"0.3.0\"\n",
        );
        outside(repo, "abs.md", "demo-core = \"0.4.0\"\n");
        outside(repo, "elsewhere/install.md", "demo-core = \"0.4.0\"\n");
        outside(repo, "ext/src/lib.rs", "");
        outside(
            repo,
            "ext/Cargo.toml",
            "[package]\nname = \"ext\"\nversion = \"0.4.0\"\nedition = \"2021\"\nworkspace = \"../work\"\n",
        );
        symlink(repo.base.join("elsewhere"), repo.dir.join("docs")).unwrap();
        let mut manifest = repo.read("Cargo.toml");
        for (line, package, _) in chosen {
            let line = line.replace("BASE", &base);
            let anchor = format!("name = \"{package}\"\n");
            manifest = manifest.replacen(&anchor, &format!("{anchor}{line}\n"), 1);
            if line.starts_with("changelog") || line.starts_with("pyproject") {
                let key = line.split(' ').next().unwrap();
                let own = format!(
                    "{key} = \"demo-py/{}\"\n",
                    if key == "changelog" {
                        "CHANGELOG.md"
                    } else {
                        "pyproject.toml"
                    }
                );
                manifest = manifest.replacen(&own, "", 1);
            }
            if line.starts_with("crates") {
                manifest = manifest.replace(
                    "members = [\"demo-core\", \"demo-py\"]",
                    "members = [\"demo-core\", \"demo-py\", \"../ext\"]",
                );
            }
            if line.starts_with("mentions") {
                manifest = manifest.replacen(
                    "mentions = [{ file = \"README.md\", pattern = 'demo-core = \"{version}\"' }]\n",
                    "",
                    1,
                );
            }
        }
        repo.write("Cargo.toml", &manifest);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "chore: configure"]);
        repo.git(&["push", "-q", "origin", "main"]);
    };
    let expected = |repo: &Repo, form: &Form| {
        let line = form.2.replace("BASE", &repo.base.display().to_string());
        if line.starts_with("Cargo.toml:") {
            return line;
        }
        let n = if form.1 == "demo-core" { 1 } else { 2 };
        format!("{}: {line}: {inside}", origin(n, form.1))
    };
    for form in &forms {
        let repo = Repo::new("workspace");
        setup(&repo, &[form]);
        let stderr = repo.xtask(&["check"]).failure();
        assert!(
            stderr.contains(&expected(&repo, form)),
            "{}\n{stderr}",
            form.0
        );
    }
    // All at once (the mention forms one at a time: one `mentions` key each).
    let all: Vec<&Form> = forms.iter().filter(|f| f.2 != forms[3].2).collect();
    let repo = Repo::new("workspace");
    setup(&repo, &all);
    let stderr = repo.xtask(&["check"]).failure();
    for form in &all {
        assert!(
            stderr.contains(&expected(&repo, form)),
            "{}\n{stderr}",
            form.0
        );
    }
    let outside_before = snapshot_dir(&repo.base, &["work", "origin.git", "home"]);
    let before = repo.state();
    for args in [
        &["bump", "--rust", "patch"][..],
        &["bump", "--py", "patch"],
        &["sync"],
        &["changelog", "promote", "py", "0.3.1"],
        &[
            "release",
            "--rust",
            "patch",
            "--py",
            "patch",
            "--execute",
            "--skip-preflight",
        ],
    ] {
        let stderr = repo.xtask(args).failure();
        assert!(
            stderr.contains(&expected(&repo, all[0])),
            "{args:?}\n{stderr}"
        );
        assert_same(&before, &repo.state());
        assert_eq!(
            snapshot_dir(&repo.base, &["work", "origin.git", "home"]),
            outside_before,
            "{args:?} changed a file outside the repository"
        );
    }
}

/// A broken link and a link to itself are errors in every command that
/// reads the changelog, never "no file yet" (a release would commit a new
/// file in place of the link).
#[test]
fn a_broken_or_looping_link_is_never_no_file_yet() {
    let cases = [
        (
            "CHANGELOG.md",
            "demo-py/CHANGELOG.md is a symlink that loops (-> `CHANGELOG.md`): replace the link by the file itself",
        ),
        (
            "NEWS.md",
            "demo-py/CHANGELOG.md is a broken symlink (-> `NEWS.md`, which does not exist): restore its target, or replace the link by the file itself",
        ),
    ];
    for (target, message) in cases {
        let repo = Repo::released();
        commit_link(&repo, "demo-py/CHANGELOG.md", Path::new(target));
        repo.git(&["push", "-q", "origin", "main"]);
        let before = repo.state();
        for args in [
            &["versions"][..],
            &["changelog", "lint"],
            &["check"],
            &["release"],
            &RELEASE_PY,
        ] {
            let stderr = repo.xtask(args).failure();
            let keyed = message.replacen(
                "demo-py/CHANGELOG.md ",
                "`changelog = \"demo-py/CHANGELOG.md\"` ",
                1,
            );
            assert!(stderr.contains(&keyed), "{args:?}\n{stderr}");
            assert!(!stderr.contains("no file yet"), "{args:?}\n{stderr}");
            assert_same(&before, &repo.state());
        }
    }
}

/// Every file under `dir` but the folders `skip`, by relative path.
fn snapshot_dir(dir: &Path, skip: &[&str]) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, skip: &[&str], out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string();
            if skip.contains(&rel.as_str()) {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                walk(root, &entry.path(), skip, out);
            } else {
                out.push((rel, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, skip, &mut out);
    out.sort();
    out
}
