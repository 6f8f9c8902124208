//! A package's earlier tag series (`previous-tags`, issue 29 item 7): a
//! repository that moved its bindings from their own series (`python-v*`,
//! `node-v*`) to one tag for everything keeps its history: the earlier
//! series' tags are its releases for the previous-release rule, `versions`,
//! `check`, `status` and changelog headings, and are never made again.

mod common;

use common::standalone::shape_d_switched;

#[test]
fn an_earlier_series_tag_is_the_previous_release_of_a_package_now_tagged_v() {
    let repo = shape_d_switched("changelog = \"CHANGELOG.md\"");
    let plan = repo.xtask(&["release", "--generate"]).success();
    assert!(
        plan.starts_with("release lumen 2.3.0 -> 2.3.1 (tag v2.3.1; patch: ")
            && plan.contains("; since python-v2.3.0, 3 commit(s))"),
        "{plan}"
    );
    let table = repo.xtask(&["versions"]).success();
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["lumen", "tag", "v{pep440}", "python-v2.3.0", "ok"]),
        "{table}"
    );
    // Tags are made in its own series only.
    let json = repo
        .xtask(&["release", "--rust", "patch", "--generate", "--json"])
        .success();
    assert!(
        json.contains("\"tags\":[\"v2.3.1\"],\"push\":[\"main\",\"v2.3.1\"]"),
        "{json}"
    );
}

#[test]
fn check_status_and_notes_read_the_earlier_series() {
    let repo = shape_d_switched("changelog = \"CHANGELOG.md\"");
    // A stray tag above the manifest, in the earlier series: named by check.
    repo.git(&["tag", "node-v9.0.0"]);
    let check = repo.xtask(&["check", "--verbose"]);
    check.success();
    assert!(
        check
            .stderr()
            .contains("node-v9.0.0 is above lumen 2.3.0 (lumen/Cargo.toml) and is not taken as its previous release"),
        "{}",
        check.stderr()
    );
    // 2.3.0 was released as python-v2.3.0: status looks for that tag.
    let status = repo
        .xtask(&["status", "--rust", "2.3.0", "--json"])
        .stdout();
    assert!(
        status.contains("\"tag\":\"python-v2.3.0\"")
            && status.contains("\"what\":\"tag python-v2.3.0\",\"state\":\"ok\""),
        "{status}"
    );
    // A heading named by an earlier series' tag is a section of the package.
    let text = format!(
        "{}\n## [python-v2.2.5] - 2025-12-01\n\n### Fixed\n\n- Wheels for Python 3.13.\n",
        repo.read("CHANGELOG.md")
    );
    repo.write("CHANGELOG.md", &text);
    let notes = repo
        .xtask(&["changelog", "notes", "rust", "2.2.5"])
        .success();
    assert_eq!(notes, "### Fixed\n\n- Wheels for Python 3.13.\n");
}
