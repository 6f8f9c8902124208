//! Mentions that cannot hit the wrong text: patterns at word boundaries and
//! whole version tokens, ambiguous patterns refused, keyed mentions in TOML
//! and JSON files, `{major}.{minor}`, and no mention of a member's manifest.
//! The real binary and git on the workspace fixture, edited into the shape
//! of a Rust crate with a Node binding.

mod common;

use common::Repo;

/// The workspace fixture plus a standalone example crate outside the
/// workspace (its `version` follows demo-core; it also holds a
/// `rust-version` and a `napi` dependency), a Node package and one of its
/// platform packages (CRLF), and `configure` applied to the mentions.
fn node_shaped(mentions: &str) -> Repo {
    let repo = Repo::new("workspace");
    for dir in ["examples/standalone", "nodejs/npm/linux-x64-gnu"] {
        std::fs::create_dir_all(repo.dir.join(dir)).unwrap();
    }
    repo.replace(
        "Cargo.toml",
        "members = [\"demo-core\", \"demo-py\"]\n",
        "members = [\"demo-core\", \"demo-py\"]\n# A copy users start from: built on its own, not part of the workspace.\nexclude = [\"examples/standalone\"]\n",
    );
    repo.write(
        "examples/standalone/Cargo.toml",
        "[package]\nname = \"standalone\"\nversion = \"0.4.0\"   # the demo-core release it shows\nedition = \"2021\"\nrust-version = \"1.91.0\"\npublish = false\n\n[dependencies]\nnapi = { version = \"3.8.3\", default-features = false, features = [\"napi4\"] }\ndemo-core = { git = \"https://github.com/example/demo\", tag = \"v0.4.0\" }\n",
    );
    repo.write(
        "nodejs/package.json",
        "{\r\n  \"name\": \"@example/demo\",\r\n  \"version\": \"0.4.0\",\r\n  \"description\": \"demo-core for Node (napi 3.8.3)\",\r\n  \"engines\": { \"node\": \">= 18\" },\r\n  \"optionalDependencies\": {\r\n    \"@example/demo-linux-x64-gnu\": \"0.4.0\"\r\n  }\r\n}\r\n",
    );
    repo.write(
        "nodejs/npm/linux-x64-gnu/package.json",
        "{\n  \"name\": \"@example/demo-linux-x64-gnu\",\n  \"version\": \"0.4.0\",\n  \"os\": [\"linux\"],\n  \"cpu\": [\"x64\"]\n}\n",
    );
    repo.replace(
        "Cargo.toml",
        "mentions = [{ file = \"README.md\", pattern = 'demo-core = \"{version}\"' }]",
        mentions,
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "chore: node binding"]);
    repo
}

const KEYED: &str = r#"mentions = [
  { file = "README.md", pattern = 'demo-core = "{version}"' },
  { file = "examples/standalone/Cargo.toml", pattern = 'version = "{version}"' },
  { file = "nodejs/package.json", key = "version" },
  { file = "nodejs/package.json", key = "optionalDependencies.@example/demo-linux-x64-gnu" },
  { file = "nodejs/npm/linux-x64-gnu/package.json", key = "version" },
]"#;

#[test]
fn a_pattern_never_rewrites_another_key() {
    let repo = node_shaped(KEYED);
    let table = repo.xtask(&["versions"]).success();
    assert!(!table.contains("MISMATCH"), "{table}");
    assert!(
        !table.contains("1.91.0") && !table.contains("3.8.3"),
        "{table}"
    );
    repo.xtask(&["check"]).success();

    let before = repo.read("examples/standalone/Cargo.toml");
    let run = repo.xtask(&["bump", "--rust", "minor"]);
    run.success();
    assert_eq!(
        repo.read("examples/standalone/Cargo.toml"),
        before.replace("version = \"0.4.0\"   #", "version = \"0.5.0\"   #")
    );
    assert!(
        repo.read("examples/standalone/Cargo.toml")
            .contains("rust-version = \"1.91.0\"")
    );
    assert!(
        repo.read("examples/standalone/Cargo.toml")
            .contains("napi = { version = \"3.8.3\"")
    );
    repo.xtask(&["check"]).success();
}

#[test]
fn keyed_mentions_move_json_values_and_keep_the_formatting() {
    let repo = node_shaped(KEYED);
    let before = repo.read("nodejs/package.json");
    let diff = repo
        .xtask(&["bump", "--rust", "0.5.0-beta.1", "--dry-run"])
        .success();
    assert!(diff.contains("+  \"version\": \"0.5.0-beta.1\","), "{diff}");
    assert_eq!(
        repo.read("nodejs/package.json"),
        before,
        "a dry run writes nothing"
    );
    repo.xtask(&["bump", "--rust", "0.5.0-beta.1"]).success();
    assert_eq!(
        repo.read("nodejs/package.json"),
        before.replace("\"0.4.0\"", "\"0.5.0-beta.1\"")
    );
    assert!(repo.read("nodejs/package.json").contains("(napi 3.8.3)"));
    assert!(
        repo.read("nodejs/npm/linux-x64-gnu/package.json")
            .contains("\"version\": \"0.5.0-beta.1\",\n")
    );
}

#[test]
fn an_ambiguous_pattern_is_refused_naming_both_lines() {
    let repo = node_shaped(
        "mentions = [{ file = \"examples/standalone/Cargo.toml\", pattern = 'version = \"{version}\"' }]",
    );
    repo.replace(
        "examples/standalone/Cargo.toml",
        "napi = { version = \"3.8.3\", default-features = false, features = [\"napi4\"] }",
        "\n[dependencies.napi]\nversion = \"3.8.3\"",
    );
    let stderr = repo.xtask(&["check"]).failure();
    assert!(
        stderr.contains("examples/standalone/Cargo.toml:3 and examples/standalone/Cargo.toml:11: the mention pattern `version = \"{version}\"` matches both 0.4.0 and 3.8.3"),
        "{stderr}"
    );
    assert!(stderr.contains("`key = \"…\"`"), "{stderr}");
    let before = repo.snapshot();
    repo.xtask(&["bump", "--rust", "minor"]).failure();
    assert_eq!(repo.snapshot(), before);
}

#[test]
fn a_member_manifest_is_not_a_mention() {
    let repo = node_shaped(
        "mentions = [{ file = \"demo-py/Cargo.toml\", pattern = 'version = \"{version}\"' }]",
    );
    let stderr = repo.xtask(&["check"]).failure();
    assert!(
        stderr.contains("names demo-py/Cargo.toml, the manifest of the workspace member `demo-py`: a mention there would leave its Cargo.lock entry and its dependents' pins behind"),
        "{stderr}"
    );
}

#[test]
fn a_major_minor_mention_moves_only_when_the_version_leaves_it() {
    let repo = node_shaped(
        "mentions = [{ file = \"README.md\", pattern = 'demo-core = \"{major}.{minor}\"' }]",
    );
    repo.replace("README.md", "demo-core = \"0.4.0\"", "demo-core = \"0.4\"");
    repo.xtask(&["check"]).success();
    let readme = repo.read("README.md");
    repo.xtask(&["bump", "--rust", "patch"]).success();
    assert_eq!(repo.read("README.md"), readme);
    repo.xtask(&["bump", "--rust", "minor"]).success();
    assert_eq!(repo.read("README.md"), readme.replace("\"0.4\"", "\"0.5\""));
    repo.xtask(&["check"]).success();
}
