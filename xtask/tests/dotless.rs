//! SemVer pre-releases without a dot (`0.23.1-rc0`), as repositories whose
//! Python package maturin versions from Cargo.toml carry them: PyPI shows
//! `0.23.1rc0`, and the tags (`v{pep440}`) say `v0.23.1rc0`. Every command
//! reads them, and a release train goes on in their spelling. The `dotless`
//! fixture: a crate, its binding (static `pyproject.toml` version, a CRLF
//! changelog), a benchmark member, compare links named by tag.

mod common;

use common::{LIGHT, Repo};

/// The fixture with its releases tagged (`v0.22.2` … `v0.23.1rc0`,
/// `py-v0.23.0`, `py-v0.23.1rc0`), then a fix to release.
fn dotless() -> Repo {
    let repo = Repo::new("dotless");
    let tags = [
        "v0.22.2",
        "v0.23.0",
        "py-v0.23.0",
        "v0.23.1rc0",
        "py-v0.23.1rc0",
    ];
    for tag in tags {
        repo.git(&["tag", "-a", tag, "-m", tag]);
    }
    let mut push = vec!["push", "-q", "origin"];
    push.extend(tags);
    repo.git(&push);
    let lib = repo.read("tern/src/lib.rs").replace(
        ".max_by_key(|k| k.len())",
        ".max_by_key(|k| (k.len(), std::cmp::Reverse(k.as_str())))",
    );
    repo.commit(
        "tern/src/lib.rs",
        &lib,
        "fix: longest_prefix prefers the longest key (#52)",
        "Ann <ann@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);
    repo
}

fn release(repo: &Repo, args: &[&str]) -> common::Run {
    let mut all = vec!["release"];
    all.extend(args);
    all.extend(["--execute"]);
    all.extend(LIGHT);
    repo.xtask(&all)
}

#[test]
fn every_command_reads_dotless_pre_releases() {
    let repo = dotless();
    let run = repo.xtask(&["check"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    let table = repo.xtask(&["versions"]).success();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for row in [
        "tern-py pyproject tern-py/pyproject.toml:7 0.23.1rc0 ok",
        "tern tag v{pep440} v0.23.1rc0 ok",
        "tern-py tag py-v{pep440} py-v0.23.1rc0 ok",
    ] {
        let row: Vec<&str> = row.split(' ').collect();
        assert!(rows.contains(&row), "{row:?}\n{table}");
    }
    let notes = repo
        .xtask(&["changelog", "notes", "py", "0.23.1-rc0"])
        .success();
    assert!(notes.contains("`Tern.longest_prefix`"), "{notes}");
    let verified = repo.xtask(&["gh", "verify-tag", "v0.23.1rc0"]).success();
    assert!(verified.contains("version=0.23.1-rc0\n"), "{verified}");
    // The dry run: the next of the rc train, in the crate's spelling.
    let plan = repo
        .xtask(&["release", "--rust", "rc", "--py", "rc"])
        .success();
    for line in [
        "release tern 0.23.1-rc0 -> 0.23.1-rc1 (tag v0.23.1rc1; rc; since v0.23.1rc0",
        "release tern-py 0.23.1-rc0 -> 0.23.1-rc1 (PyPI 0.23.1rc1) (tag py-v0.23.1rc1; rc; since py-v0.23.1rc0",
        "-version = \"0.23.1rc0\"",
        "+version = \"0.23.1rc1\"",
    ] {
        assert!(plan.contains(line), "{line}\n{plan}");
    }
}

#[test]
fn a_dotless_train_is_released_in_its_own_spelling() {
    let repo = dotless();
    let run = release(&repo, &["--rust", "rc", "--py", "rc"]);
    assert!(run.ok(), "{}", run.stderr());
    assert!(
        repo.read("tern/Cargo.toml")
            .contains("version = \"0.23.1-rc1\"")
    );
    let binding = repo.read("tern-py/Cargo.toml");
    assert!(binding.contains("version = \"0.23.1-rc1\""), "{binding}");
    assert!(binding.contains("version = \"=0.23.1-rc1\""), "{binding}");
    let pyproject = repo.read("tern-py/pyproject.toml");
    assert!(pyproject.contains("version = \"0.23.1rc1\""), "{pyproject}");
    assert!(repo.read("README.md").contains("tern = \"=0.23.1-rc1\""));
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "py-v0.23.1rc1\nv0.23.1rc1\n"
    );
    assert!(repo.remote_refs().contains("refs/tags/py-v0.23.1rc1"));
    let changelog = repo.read("CHANGELOG.md");
    for line in [
        "## [0.23.1-rc1] - ",
        "[Unreleased]: https://github.com/example/tern/compare/v0.23.1rc1...HEAD",
        "[0.23.1-rc1]: https://github.com/example/tern/compare/v0.23.1rc0...v0.23.1rc1",
    ] {
        assert!(changelog.contains(line), "{line}\n{changelog}");
    }
    let py = repo.read("tern-py/CHANGELOG.md");
    assert!(py.contains("\r\n## [0.23.1rc1] - "), "{py:?}");
    assert!(!py.replace("\r\n", "").contains('\n'), "CRLF kept: {py:?}");
    repo.assert_locked();
    let run = repo.xtask(&["check"]);
    assert!(
        run.ok() && !run.stderr().contains("warning"),
        "{}",
        run.stderr()
    );

    // The next candidate, then the release.
    let dry = repo
        .xtask(&["bump", "--rust", "rc", "--py", "rc", "--dry-run"])
        .success();
    assert!(dry.contains("+version = \"0.23.1-rc2\""), "{dry}");
    assert!(dry.contains("+version = \"0.23.1rc2\""), "{dry}");
    repo.commit(
        "tern-py/python/tern/__init__.py",
        "from ._tern import Tern\n\n__all__ = [\"Tern\"]\n__version__: str\n",
        "feat: __version__ (#53)",
        "Bob <bob@example.com>",
    );
    for (path, entry) in [
        ("CHANGELOG.md", "- `Tern::len`.\n"),
        ("tern-py/CHANGELOG.md", "- `tern.__version__`.\r\n"),
    ] {
        let eol = if entry.ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let text = repo.read(path).replacen(
            &format!("## [Unreleased]{eol}"),
            &format!("## [Unreleased]{eol}{eol}### Added{eol}{eol}{entry}"),
            1,
        );
        repo.write(path, &text);
    }
    repo.git(&["commit", "-qam", "docs: changelog entries"]);
    repo.git(&["push", "-q", "origin", "main"]);
    let run = release(&repo, &["--rust", "release", "--py", "release"]);
    assert!(run.ok(), "{}", run.stderr());
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "py-v0.23.1\nv0.23.1\n"
    );
    let pyproject = repo.read("tern-py/pyproject.toml");
    assert!(pyproject.contains("version = \"0.23.1\""), "{pyproject}");
    // The release's section holds its train's entries, rc0's too.
    let changelog = repo.read("CHANGELOG.md");
    let start = changelog.find("## [0.23.1] - ").unwrap();
    let end = changelog.find("## [0.23.1-rc1] - ").unwrap();
    assert!(
        changelog[start..end].contains("`Tern::longest_prefix` (#49)"),
        "{changelog}"
    );
    let link = "[0.23.1]: https://github.com/example/tern/compare/v0.23.1rc1...v0.23.1";
    assert!(changelog.contains(link), "{changelog}");
    let run = repo.xtask(&["check"]);
    assert!(
        run.ok() && !run.stderr().contains("warning"),
        "{}",
        run.stderr()
    );
}
