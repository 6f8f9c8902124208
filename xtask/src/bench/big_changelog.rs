//! A Keep a Changelog file of a given size: many releases, newest first, with
//! groups, scopes, PR links, a code fence now and then, and link definitions.

use chrono::{Days, NaiveDate};

use super::inputs::Rng;

/// The old release `notes` is asked for: near the bottom of the file, so a
/// reader has to go through nearly all of it.
pub const OLD_VERSION: &str = "0.0.5";

const REPO: &str = "https://github.com/example/bench";
const WORDS: [&str; 16] = [
    "provider", "stream", "cache", "retry", "token", "budget", "rate", "limit", "timeout", "error",
    "model", "request", "response", "header", "config", "client",
];

/// The version of the `k`-th release, oldest first: 0.0.0, 0.0.1, …, 0.0.9, 0.1.0, …
fn version(k: usize) -> String {
    format!("{}.{}.{}", k / 100, (k / 10) % 10, k % 10)
}

fn sentence(rng: &mut Rng) -> String {
    let n = 4 + rng.below(8) as usize;
    let words: Vec<&str> = (0..n).map(|_| *rng.pick(&WORDS)).collect();
    words.join(" ")
}

/// The `k`-th release's section, from its own seed: sections can be made in any order.
fn section(k: usize) -> String {
    let rng = &mut Rng::new(0x5eed_c4a1 ^ (k as u64).wrapping_mul(0x9e37_79b9));
    let date = NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid") + Days::new(k as u64);
    let mut out = format!("## [{}] - {date}\n\n", version(k));
    for group in ["Added", "Changed", "Fixed"] {
        if rng.chance(25) {
            continue;
        }
        out.push_str(&format!("### {group}\n\n"));
        for _ in 0..1 + rng.below(6) {
            let scope = if rng.chance(30) { "**core**: " } else { "" };
            let pr = 1 + rng.below(9000);
            out.push_str(&format!(
                "- {scope}{} ([#{pr}]({REPO}/pull/{pr}))\n",
                sentence(rng)
            ));
        }
        if rng.chance(10) {
            // Headings inside a fence are text, not sections.
            out.push_str("\n```md\n## [9.9.9] - not a release\n```\n");
        }
        out.push('\n');
    }
    out
}

fn link(k: usize) -> String {
    match k {
        0 => format!("[{}]: {REPO}/releases/tag/v{}\n", version(0), version(0)),
        _ => format!(
            "[{}]: {REPO}/compare/v{}...v{}\n",
            version(k),
            version(k - 1),
            version(k)
        ),
    }
}

/// A changelog of at least `bytes` bytes, its `[Unreleased]` section empty.
pub fn generate(bytes: usize) -> String {
    generate_with(bytes, "").0
}

/// A changelog of at least `bytes` bytes with `unreleased` under
/// `## [Unreleased]`, and its newest release's version.
///
/// Sized in a first pass and written newest first in a second, into one
/// buffer: thousands of live section strings would stay in the bench's heap,
/// and a forked child's peak RSS counts that heap.
pub fn generate_with(bytes: usize, unreleased: &str) -> (String, String) {
    let mut size = 0;
    let mut n = 0;
    while size < bytes {
        size += section(n).len() + link(n).len();
        n += 1;
    }
    let mut out = String::with_capacity(size + 1024);
    out.push_str(
        "# Changelog\n\nAll notable changes to this project are documented in this file.\n\n",
    );
    out.push_str(
        "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\n",
    );
    out.push_str("and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n");
    out.push_str("## [Unreleased]\n\n");
    out.push_str(unreleased);
    for k in (0..n).rev() {
        out.push_str(&section(k));
    }
    out.push_str(&format!(
        "[Unreleased]: {REPO}/compare/v{}...HEAD\n",
        version(n - 1)
    ));
    for k in (0..n).rev() {
        out.push_str(&link(k));
    }
    (out, version(n - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changelog;

    #[test]
    fn same_size_same_text_and_the_xtask_reads_it() {
        let text = generate(50_000);
        assert_eq!(text, generate(50_000));
        assert!(
            text.len() >= 50_000 && text.len() < 60_000,
            "{}",
            text.len()
        );
        let notes =
            changelog::notes("CHANGELOG.md", &text, OLD_VERSION, &Default::default()).unwrap();
        assert_eq!(notes.date.as_deref(), Some("2015-01-06"));
        assert!(notes.body.starts_with("### "), "{}", notes.body);
        // Newest first, and the old version near the bottom.
        let first = text.find("## [0.").unwrap();
        assert!(
            text[first..].starts_with("## [0."),
            "{}",
            &text[first..first + 20]
        );
        assert!(text.find(&format!("## [{OLD_VERSION}]")).unwrap() > text.len() * 3 / 4);
        let (with, newest) = generate_with(50_000, "### Added\n\n- More\n\n");
        assert!(with.contains("## [Unreleased]\n\n### Added\n\n- More\n\n## ["));
        assert!(with.contains(&format!("\n## [{newest}] - ")), "{newest}");
        assert_eq!(with.len(), text.len() + "### Added\n\n- More\n\n".len());
    }
}
