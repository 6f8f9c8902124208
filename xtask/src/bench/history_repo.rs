//! A git repository with a long history, built by one `git fast-import` fed
//! a stream made in memory: a workspace of a crate (`core/`, tags `v*`) and a
//! Python binding (`py/`, tags `py-v*`), with `docs/` commits in between.

use std::path::Path;

use anyhow::{Context, Result};
use xshell::cmd;

use super::inputs::Rng;

pub const CORE: &str = "bench-core";
pub const PY: &str = "bench-py";
/// A crate tag every this many commits; the binding's fall in between.
const TAG_EVERY: usize = 1000;

/// Builds the repository in `dir/repo` (with git-cliff's configuration in
/// `dir/cliff.toml`).
pub fn create(dir: &Path, commits: usize) -> Result<()> {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo)?;
    std::fs::write(dir.join("cliff.toml"), CLIFF_TOML)?;
    let sh = xshell::Shell::new()?;
    sh.change_dir(&repo);
    cmd!(sh, "git init -q").run()?;
    cmd!(sh, "git symbolic-ref HEAD refs/heads/main").run()?;
    cmd!(sh, "git fast-import --quiet")
        .stdin(stream(commits))
        .run()
        .context("git fast-import refused the generated history (a bug in history_repo.rs)")?;
    cmd!(sh, "git reset -q --hard").run()?;
    Ok(())
}

/// The newest crate tag (`v*`) of the history.
pub fn newest_crate_tag(commits: usize) -> Option<String> {
    tags(commits)
        .into_iter()
        .filter(|(t, _)| t.starts_with('v'))
        .map(|(t, _)| t)
        .next_back()
}

/// Tags as `(name, commit number)`, commits numbered from 1.
pub fn tags(commits: usize) -> Vec<(String, usize)> {
    let mut tags = Vec::new();
    // The newest crate tag is 3000 commits before HEAD: `generate` reads them all.
    let crate_tags = commits.saturating_sub(3 * TAG_EVERY) / TAG_EVERY;
    for n in 1..=crate_tags {
        tags.push((format!("v0.{n}.0"), n * TAG_EVERY));
    }
    let mut n = 1;
    while TAG_EVERY / 2 + (n - 1) * 2 * TAG_EVERY < commits {
        tags.push((
            format!("py-v0.{n}.0"),
            TAG_EVERY / 2 + (n - 1) * 2 * TAG_EVERY,
        ));
        n += 1;
    }
    tags
}

/// `(crate version, binding version)`: those of the newest tags.
fn versions(commits: usize) -> (String, String) {
    let newest = |prefix: &str| {
        tags(commits)
            .iter()
            .filter_map(|(t, _)| t.strip_prefix(prefix).map(String::from))
            .next_back()
            .unwrap_or_else(|| "0.0.0".into())
    };
    (newest("v"), newest("py-v"))
}

/// The files of the first commit.
fn workspace_files(commits: usize) -> Vec<(&'static str, String)> {
    let (core, py) = versions(commits);
    let changelog = "# Changelog\n\n## [Unreleased]\n";
    vec![
        (
            "Cargo.toml",
            format!(
                r#"[workspace]
resolver = "2"
members = ["core", "py"]

[workspace.package]
edition = "2021"
repository = "https://github.com/example/bench"

[[workspace.metadata.xtask-release.package]]
name = "{CORE}"
flag = "rust"
tag = "v{{version}}"

[[workspace.metadata.xtask-release.package]]
name = "{PY}"
flag = "py"
tag = "py-v{{version}}"
"#
            ),
        ),
        (
            "core/Cargo.toml",
            format!(
                "[package]\nname = \"{CORE}\"\nversion = \"{core}\"\nedition.workspace = true\nrepository.workspace = true\n"
            ),
        ),
        ("core/src/lib.rs", String::new()),
        ("core/CHANGELOG.md", changelog.to_string()),
        (
            "py/Cargo.toml",
            format!(
                "[package]\nname = \"{PY}\"\nversion = \"{py}\"\nedition.workspace = true\nrepository.workspace = true\npublish = false\n\n[dependencies]\n{CORE} = {{ path = \"../core\", version = \"{core}\" }}\n"
            ),
        ),
        ("py/src/lib.rs", String::new()),
        (
            "py/pyproject.toml",
            format!("[project]\nname = \"{PY}\"\nversion = \"{py}\"\n"),
        ),
        ("py/CHANGELOG.md", changelog.to_string()),
        ("docs/index.md", "# Docs\n".to_string()),
    ]
}

const AUTHORS: [(&str, &str); 6] = [
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "1234+grace@users.noreply.github.com"),
    ("Linus B", "linus@example.org"),
    ("Margaret H", "5678+margaret@users.noreply.github.com"),
    (
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
    ),
    ("Ken T", "ken@example.net"),
];
const KINDS: [&str; 12] = [
    "feat", "feat", "feat", "fix", "fix", "fix", "chore", "chore", "ci", "refactor", "docs", "perf",
];
const SCOPES: [&str; 4] = ["api", "cache", "stream", "io"];
const WORDS: [&str; 12] = [
    "provider", "retries", "tokens", "budget", "limits", "timeouts", "errors", "models",
    "requests", "headers", "config", "clients",
];

fn subject(rng: &mut Rng, i: usize) -> String {
    let words = format!("{} {} {}", rng.pick(&WORDS), rng.pick(&WORDS), i);
    let mut s = if rng.chance(6) {
        format!("Update {words}")
    } else {
        let kind = rng.pick(&KINDS);
        let scope = if rng.chance(30) {
            format!("({})", rng.pick(&SCOPES))
        } else {
            String::new()
        };
        let bang = if rng.chance(1) { "!" } else { "" };
        format!("{kind}{scope}{bang}: handle {words}")
    };
    if rng.chance(40) {
        s.push_str(&format!(" (#{})", 1 + i / 3));
    }
    s
}

fn data(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(format!("data {}\n", bytes.len()).as_bytes());
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

/// The `git fast-import` stream of `commits` commits on `refs/heads/main`, then the tags.
pub fn stream(commits: usize) -> Vec<u8> {
    let mut rng = Rng::new(0x6173_7421);
    let mut out = Vec::with_capacity(commits * 300);
    for i in 1..=commits {
        let (name, email) = if i == 1 {
            AUTHORS[0]
        } else {
            *rng.pick(&AUTHORS)
        };
        let when = 1_600_000_000 + i as u64 * 600;
        let mut message = if i == 1 {
            "chore: start the workspace".to_string()
        } else {
            subject(&mut rng, i)
        };
        if rng.chance(10) {
            message.push_str(&format!("\n\nWhy: {} {}.", rng.pick(&WORDS), i));
        }
        if rng.chance(1) {
            message.push_str("\n\nBREAKING CHANGE: the old behaviour is gone");
        }
        message.push('\n');
        out.extend_from_slice(
            format!(
                "commit refs/heads/main\nmark :{i}\nauthor {name} <{email}> {when} +0000\ncommitter Bench <bench@example.com> {when} +0000\n"
            )
            .as_bytes(),
        );
        data(&mut out, message.as_bytes());
        let files: Vec<(String, String)> = if i == 1 {
            workspace_files(commits)
                .into_iter()
                .map(|(p, t)| (p.to_string(), t))
                .collect()
        } else {
            let slot = rng.below(20);
            let path = match rng.below(100) {
                0..45 => format!("core/src/m{slot}.rs"),
                45..75 => format!("py/python/bench/m{slot}.py"),
                _ => format!("docs/page{slot}.md"),
            };
            vec![(path, format!("# change {i}\n"))]
        };
        for (path, text) in files {
            out.extend_from_slice(format!("M 100644 inline {path}\n").as_bytes());
            data(&mut out, text.as_bytes());
        }
        out.push(b'\n');
    }
    for (tag, at) in tags(commits) {
        out.extend_from_slice(format!("reset refs/tags/{tag}\nfrom :{at}\n\n").as_bytes());
    }
    out
}

/// A git-cliff configuration equivalent to `changelog generate`: conventional
/// commits, chore/ci/bench left out unless breaking, feat and fix grouped,
/// everything else under Changed.
pub const CLIFF_TOML: &str = r#"[changelog]
header = ""
body = """
{% for group, commits in commits | group_by(attribute="group") %}
### {{ group | striptags | trim }}

{% for commit in commits %}- {% if commit.scope %}**{{ commit.scope }}**: {% endif %}{{ commit.message }} {{ commit.author.name }}
{% endfor %}
{% endfor %}
"""
footer = ""
trim = true

[git]
conventional_commits = true
filter_unconventional = false
split_commits = false
protect_breaking_commits = true
filter_commits = false
topo_order = false
sort_commits = "oldest"
commit_parsers = [
  { message = "^(chore|ci|bench)", skip = true },
  { message = "^feat", group = "<!-- 1 -->Added" },
  { message = "^fix", group = "<!-- 2 -->Fixed" },
  { message = ".*", group = "<!-- 3 -->Changed" },
]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_of_both_series_with_the_newest_crate_tag_well_before_head() {
        let names: Vec<String> = tags(5000).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            names,
            ["v0.1.0", "v0.2.0", "py-v0.1.0", "py-v0.2.0", "py-v0.3.0"]
        );
        let newest_v = tags(20_000)
            .iter()
            .filter(|(t, _)| t.starts_with('v'))
            .map(|(_, at)| *at)
            .max();
        assert_eq!(newest_v, Some(17_000));
    }

    #[test]
    fn the_stream_is_deterministic_and_imports() {
        let s = stream(60);
        assert_eq!(s, stream(60));
        let text = String::from_utf8(s.clone()).unwrap();
        assert_eq!(text.matches("\ncommit refs/heads/main\n").count() + 1, 60);
        assert!(text.contains("users.noreply.github.com"));
        let dir = std::env::temp_dir().join(format!("xtask-history-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let sh = xshell::Shell::new().unwrap();
        sh.change_dir(&dir);
        xshell::cmd!(sh, "git init -q").run().unwrap();
        xshell::cmd!(sh, "git fast-import --quiet")
            .stdin(&s)
            .run()
            .unwrap();
        let count = xshell::cmd!(sh, "git rev-list --count refs/heads/main")
            .read()
            .unwrap();
        assert_eq!(count, "60");
        let paths = xshell::cmd!(sh, "git log --format= --name-only refs/heads/main")
            .read()
            .unwrap();
        for dir in ["core/", "py/", "docs/"] {
            assert!(paths.lines().any(|p| p.starts_with(dir)), "{dir}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
