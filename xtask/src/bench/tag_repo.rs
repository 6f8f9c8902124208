//! Two clones of this workspace's HEAD: one as it is, and one grown by
//! 100,000 packed release tags of other crates, as years of per-crate
//! tagging in a monorepo leave them (`vector-sys-v1.4.2`, one in ten
//! annotated). The same command on both tells what the tags cost.

use std::path::Path;

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

pub const TAGS: usize = 100_000;
/// Every this many tags, one is annotated (a tag object).
const ANNOTATED_EVERY: usize = 10;

const FIRST: [&str; 25] = [
    "vector", "vault", "core", "net", "http", "json", "async", "cache", "crypto", "data", "py",
    "io", "log", "macro", "parse", "serde", "sql", "sync", "test", "rt", "util", "web", "xml",
    "yaml", "zip",
];
const SECOND: [&str; 20] = [
    "api", "cli", "codegen", "derive", "engine", "ext", "fmt", "impl", "kit", "lib", "proto", "rt",
    "sdk", "shim", "sys", "types", "v2", "wasm", "worker", "x",
];

/// The `k`-th tag: 500 crates, each tagged 0.0.0, 0.0.1, … in turn.
pub fn tag_name(k: usize) -> String {
    let crates = FIRST.len() * SECOND.len();
    let (c, v) = (k % crates, k / crates);
    let name = format!("{}-{}", FIRST[c / SECOND.len()], SECOND[c % SECOND.len()]);
    format!("{name}-v{}.{}.{}", v / 100, (v / 10) % 10, v % 10)
}

/// `dir/plain` and `dir/tagged`, clones of `root`'s HEAD on a branch `main`
/// (the release branch of this workspace), the second with `tags` tags.
pub fn create(root: &Path, dir: &Path, tags: usize) -> Result<()> {
    let sh = Shell::new()?;
    for name in ["plain", "tagged"] {
        let clone = dir.join(name);
        cmd!(sh, "git clone -q --no-hardlinks {root} {clone}").run()?;
        let _in = sh.push_dir(&clone);
        cmd!(sh, "git checkout -q -B main").run()?;
    }
    let _in = sh.push_dir(dir.join("tagged"));
    let commits: Vec<String> = cmd!(sh, "git rev-list HEAD")
        .read()?
        .lines()
        .map(String::from)
        .collect();
    // Annotated tags need objects: fast-import makes them (and loose refs),
    // which pack-refs packs; the lightweight ones go straight into the file.
    cmd!(sh, "git fast-import --quiet")
        .stdin(annotated_stream(&commits, tags))
        .run()
        .context("git fast-import refused the generated tags (a bug in tag_repo.rs)")?;
    cmd!(sh, "git pack-refs --all").run()?;
    let packed = dir.join("tagged/.git/packed-refs");
    let text = std::fs::read_to_string(&packed)
        .with_context(|| format!("cannot read {}", packed.display()))?;
    std::fs::write(&packed, with_lightweight(&text, &commits, tags))
        .with_context(|| format!("cannot write {}", packed.display()))?;
    let count = cmd!(sh, "git tag --list").read()?.lines().count();
    anyhow::ensure!(
        count == tags,
        "the generated repository has {count} tags, not {tags} (a bug in tag_repo.rs)"
    );
    Ok(())
}

fn commit_of(commits: &[String], k: usize) -> &str {
    &commits[k % commits.len()]
}

/// The `git fast-import` stream of the annotated tags.
fn annotated_stream(commits: &[String], tags: usize) -> Vec<u8> {
    let mut out = String::new();
    for k in (0..tags).step_by(ANNOTATED_EVERY) {
        let when = 1_500_000_000 + k * 60;
        let message = format!("Release {}\n", tag_name(k));
        out.push_str(&format!(
            "tag {}\nfrom {}\ntagger Release Bot <bot@example.com> {when} +0000\ndata {}\n{message}\n",
            tag_name(k),
            commit_of(commits, k),
            message.len()
        ));
    }
    out.into_bytes()
}

/// `packed-refs` with the lightweight tags added: records sorted by name,
/// each a `SHA NAME` line and, for an annotated tag, its `^PEELED` line.
fn with_lightweight(packed: &str, commits: &[String], tags: usize) -> String {
    let mut lines = packed.lines();
    let header = lines
        .next()
        .unwrap_or("# pack-refs with: peeled fully-peeled sorted ");
    let mut records: Vec<(String, String)> = Vec::new();
    for line in lines {
        match line.strip_prefix('^') {
            Some(_) => {
                if let Some(last) = records.last_mut() {
                    last.1.push_str(line);
                    last.1.push('\n');
                }
            }
            None => {
                let name = line.split_once(' ').map_or("", |(_, n)| n).to_string();
                records.push((name, format!("{line}\n")));
            }
        }
    }
    for k in (0..tags).filter(|k| k % ANNOTATED_EVERY != 0) {
        let name = format!("refs/tags/{}", tag_name(k));
        let line = format!("{} {name}\n", commit_of(commits, k));
        records.push((name, line));
    }
    records.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = format!("{header}\n");
    for (_, block) in records {
        out.push_str(&block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tags::TagTemplate;

    #[test]
    fn names_are_per_crate_series_none_of_this_workspaces() {
        assert_eq!(tag_name(0), "vector-api-v0.0.0");
        assert_eq!(tag_name(501), "vector-cli-v0.0.1");
        assert_eq!(tag_name(TAGS - 1), "zip-x-v1.9.9");
        let names: std::collections::BTreeSet<String> = (0..TAGS).map(tag_name).collect();
        assert_eq!(names.len(), TAGS);
        // The crate `py-v2` passes the binding's prefix (`py-v` and a
        // digit): 200 tags to look at, none of them a release of ours.
        let series = ["v{version}", "py-v{version}"].map(|t| TagTemplate::new(t).unwrap());
        let prefixed = |t: &&String| {
            ["v", "py-v"].iter().any(|p| {
                t.strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            })
        };
        assert_eq!(names.iter().filter(prefixed).count(), 200);
        assert!(
            names
                .iter()
                .all(|t| series.iter().all(|s| s.parse(t).is_none()))
        );
    }

    #[test]
    fn lightweight_tags_are_merged_in_name_order_after_the_peeled_lines() {
        let packed = "# pack-refs with: peeled fully-peeled sorted \naaaa refs/heads/main\nbbbb refs/tags/vector-api-v0.0.0\n^cccc\n";
        let commits = vec!["c1".to_string(), "c2".to_string()];
        let out = with_lightweight(packed, &commits, 2);
        assert_eq!(
            out,
            "# pack-refs with: peeled fully-peeled sorted \naaaa refs/heads/main\nbbbb refs/tags/vector-api-v0.0.0\n^cccc\nc2 refs/tags/vector-cli-v0.0.0\n"
        );
    }
}
