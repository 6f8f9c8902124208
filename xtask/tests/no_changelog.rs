//! A package that keeps no changelog (`changelog = false`, issue 29 item
//! 6): no file is read or written for it — a dormant changelog in its
//! folder is ignored by every command — and its notes (the release PR's
//! body, the GitHub release's text from `changelog notes`) come from the
//! change files its release consumed and from the commits.

mod common;

use common::standalone::shape_d_switched;

/// Shape D, whose crate's changelog stopped at 0.12 (with a `## [0.12.0]
/// YANKED` heading) and whose notes live in GitHub releases.
fn dormant() -> common::Repo {
    shape_d_switched("changelog = false   # release notes live in the GitHub releases")
}

#[test]
fn a_stale_changelog_in_its_folder_is_ignored_by_every_command() {
    let repo = dormant();
    let stale = repo.read("lumen/CHANGELOG.md");
    assert!(stale.contains("## [0.12.0] YANKED"));
    repo.xtask(&["check"]).success();
    repo.xtask(&["changelog", "lint"]).success();
    let table = repo.xtask(&["versions"]).success();
    assert!(!table.contains("CHANGELOG"), "{table}");
    let plan = repo.xtask(&["release"]).success();
    assert!(
        plan.starts_with("release lumen 2.3.0 -> 2.3.1 (tag v2.3.1; patch: "),
        "{plan}"
    );
    assert!(!plan.contains("CHANGELOG.md"), "{plan}");
    // With the default, the dormant file is the package's: its old
    // headings stop the release.
    let text = repo
        .read("xtask-release.toml")
        .replace("changelog = false", "# changelog");
    repo.write("xtask-release.toml", &text);
    let err = repo.xtask(&["release", "--rust", "patch"]).failure();
    assert!(err.contains("lumen/CHANGELOG.md"), "{err}");
}

#[test]
fn its_notes_come_from_the_change_files_and_the_commits() {
    let repo = dormant();
    repo.commit(
        ".changes/radiance.md",
        "---\nlumen: fixed\n---\n\nNegative radiance is clamped to zero.\n",
        "docs: a change file for the clamp",
        "Cy <cy@example.com>",
    );
    repo.git(&["push", "-q", "origin", "main"]);
    let stale = repo.read("lumen/CHANGELOG.md");
    let run = repo.xtask(&[
        "release",
        "--rust",
        "patch",
        "--execute",
        "--skip-preflight",
    ]);
    run.success();
    assert_eq!(repo.read("lumen/CHANGELOG.md"), stale);
    assert!(!repo.dir.join(".changes/radiance.md").exists());
    let committed = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert!(!committed.contains("CHANGELOG"), "{committed}");
    // The GitHub release's text, as publish.yml asks for it.
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "2.3.1"])
        .success();
    assert_eq!(
        notes,
        "### Fixed\n\n\
         - Negative radiance is clamped to zero.\n\
         - clamp negative radiance ([#88](https://github.com/example/lumen/pull/88)) by Cy\n\
         - **py**: accept numpy arrays ([#89](https://github.com/example/lumen/pull/89)) by Cy\n\
         - **node**: return a Float64Array ([#90](https://github.com/example/lumen/pull/90)) by Cy\n"
    );
    let err = repo
        .xtask(&["changelog", "notes", "rust", "2.4.0"])
        .failure();
    assert!(err.contains("there is no tag v2.4.0"), "{err}");
}

#[test]
fn the_release_pr_body_holds_the_drafted_notes() {
    let repo = dormant();
    let json = repo
        .xtask(&["release", "--pr", "--rust", "patch", "--json"])
        .success();
    assert!(
        json.contains("\"notes\":\"### Fixed\\n\\n- clamp negative radiance"),
        "{json}"
    );
}
