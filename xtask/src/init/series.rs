//! The tag series a repository uses, read off its tag names (`v1.2.3`,
//! `py-v0.3.0`, `vecstore@1.0.0`, `v0.23.1rc0`), and the package each one is
//! the releases of: by the name in its prefix, by the words packages of a
//! kind use (`py`, `python`, `node`, `rust`, none), and by the versions it
//! holds (a series that tags a package's manifest version is its series).
//! Pure.

use std::cmp::Ordering;

use semver::Version;

use super::Kind;
use crate::text::version::{order, parse_pep440};

/// The tags of one prefix, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSeries {
    pub prefix: String,
    /// Some tag spells its version as PEP 440 does (`v0.23.1rc0`): the
    /// template is `{pep440}`.
    pub pep440: bool,
    pub tags: Vec<(String, Version)>,
}

impl TagSeries {
    pub fn template(&self) -> String {
        let placeholder = if self.pep440 { "pep440" } else { "version" };
        format!("{}{{{placeholder}}}", self.prefix)
    }

    /// The newest tag and its version.
    pub fn latest(&self) -> &(String, Version) {
        &self.tags[0]
    }

    /// The tag of `version`, in any spelling.
    pub fn tag_of(&self, version: &Version) -> Option<&str> {
        self.tags
            .iter()
            .find(|(_, v)| order(v, version) == Ordering::Equal)
            .map(|(t, _)| t.as_str())
    }

    /// The tags above `version`: releases of a later line, or strays.
    pub fn above(&self, version: &Version) -> Vec<&str> {
        self.tags
            .iter()
            .filter(|(_, v)| order(v, version) == Ordering::Greater)
            .map(|(t, _)| t.as_str())
            .collect()
    }

    /// `N tag(s), newest TAG`, for comments.
    pub fn describe(&self) -> String {
        format!("{} tag(s), newest {}", self.tags.len(), self.latest().0)
    }

    /// The prefix without its separators and `v`: `py-v` → `py`,
    /// `vecstore@` → `vecstore`, `v` → ``.
    fn core(&self) -> &str {
        let seps: &[char] = &['-', '_', '/', '@', '.'];
        let trimmed = self.prefix.trim_end_matches(seps);
        let without_v = match trimmed.strip_suffix(['v', 'V']) {
            Some(rest) if rest.is_empty() || rest.ends_with(seps) => rest,
            _ => trimmed,
        };
        without_v.trim_end_matches(seps)
    }
}

/// The prefix and the version of a tag: the version starts at the first
/// number that begins `MAJOR.MINOR.PATCH` and reads as SemVer, or else as
/// PEP 440 (`true`).
fn split(tag: &str) -> Option<(String, Version, bool)> {
    let starts = tag.char_indices().filter(|&(i, c)| {
        c.is_ascii_digit() && !tag[..i].ends_with(|p: char| p.is_ascii_digit() || p == '.')
    });
    for (i, _) in starts {
        let rest = &tag[i..];
        let numbers = rest.split(|c: char| !c.is_ascii_digit()).take(3);
        if rest.split('.').count() < 3 || numbers.clone().any(str::is_empty) {
            continue;
        }
        if let Ok(v) = Version::parse(rest) {
            return Some((tag[..i].to_string(), v, false));
        }
        if let Ok(v) = parse_pep440(rest) {
            return Some((tag[..i].to_string(), v, true));
        }
    }
    None
}

/// The series of `tags`, in the order of their newest tags (newest first).
pub fn series(tags: &[String]) -> Vec<TagSeries> {
    let mut out: Vec<TagSeries> = Vec::new();
    for tag in tags {
        let Some((prefix, version, pep440)) = split(tag) else {
            continue;
        };
        // A prefix git refuses in a template is no series of ours.
        if crate::text::tags::TagTemplate::new(&format!("{prefix}{{version}}")).is_err() {
            continue;
        }
        match out.iter_mut().find(|s| s.prefix == prefix) {
            Some(s) => {
                s.pep440 |= pep440;
                s.tags.push((tag.clone(), version));
            }
            None => out.push(TagSeries {
                prefix,
                pep440,
                tags: vec![(tag.clone(), version)],
            }),
        }
    }
    for s in &mut out {
        s.tags
            .sort_by(|a, b| order(&b.1, &a.1).then_with(|| a.0.cmp(&b.0)));
    }
    out.sort_by(|a, b| order(&b.latest().1, &a.latest().1).then_with(|| a.prefix.cmp(&b.prefix)));
    out
}

/// A package as the matching sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub name: String,
    pub kind: Kind,
    pub version: Version,
    /// Other names it goes by: its Python project's, its npm package's.
    pub aliases: Vec<String>,
}

const PY_WORDS: [&str; 3] = ["py", "python", "pypi"];
const NODE_WORDS: [&str; 4] = ["node", "npm", "js", "napi"];
const RUST_WORDS: [&str; 6] = ["", "rust", "rs", "crate", "crates", "lib"];

/// How well the series `s` fits the package `p` (not at all below 1).
fn score(s: &TagSeries, p: &Candidate) -> i32 {
    let core = s.core();
    let named = core == p.name || p.aliases.iter().any(|a| a == core);
    let suffixed = !core.is_empty()
        && (p.name.ends_with(&format!("-{core}")) || p.name.ends_with(&format!("_{core}")));
    let mut score = if named {
        100
    } else if suffixed {
        60
    } else {
        0
    };
    score += match (core, p.kind) {
        (c, Kind::Python) if PY_WORDS.contains(&c) => 50,
        (c, Kind::Node) if NODE_WORDS.contains(&c) => 50,
        (c, Kind::Rust) if RUST_WORDS.contains(&c) => 30,
        (c, _) if PY_WORDS.contains(&c) || NODE_WORDS.contains(&c) => -1000,
        (c, _) if RUST_WORDS.contains(&c) => -20,
        _ => 0,
    };
    if s.tag_of(&p.version).is_some() {
        score += 40;
    }
    score += if s.above(&p.version).is_empty() {
        10
    } else {
        -5
    };
    score
}

/// The series of each package (indices into `series`, the one in use
/// first, then older ones it took over from), and the series no package
/// took.
pub fn assign(series: &[TagSeries], packages: &[Candidate]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut pairs: Vec<(i32, usize, usize)> = Vec::new();
    for (si, s) in series.iter().enumerate() {
        for (pi, p) in packages.iter().enumerate() {
            let fit = score(s, p);
            if fit > 0 {
                pairs.push((fit, si, pi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken = vec![false; series.len()];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
    // First a series for each package, then the rest to the packages they
    // fit best, as older series.
    for first in [true, false] {
        for &(_, si, pi) in &pairs {
            if !taken[si] && (!first || out[pi].is_empty()) {
                taken[si] = true;
                out[pi].push(si);
            }
        }
    }
    for (pi, list) in out.iter_mut().enumerate() {
        let version = &packages[pi].version;
        // In use: the series that tags the manifest's version, else the newest.
        list.sort_by_key(|&si| {
            let s = &series[si];
            (
                s.tag_of(version).is_none(),
                std::cmp::Reverse(s.latest().1.clone()),
            )
        });
    }
    let free = (0..series.len()).filter(|&si| !taken[si]).collect();
    (out, free)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    fn candidate(name: &str, kind: Kind, version: &str) -> Candidate {
        Candidate {
            name: name.into(),
            kind,
            version: Version::parse(version).unwrap(),
            aliases: Vec::new(),
        }
    }

    #[test]
    fn tags_split_into_series() {
        let found = series(&tags(&[
            "v1.0.0",
            "py-v0.3.0",
            "v1.1.0-rc.1",
            "vecstore@2.0.0",
            "v0.23.1rc0",
            "python-v1.2.0",
            "experiment",
            "release-2024.01",
            "v1.2",
            "rust-v3.0.0",
        ]));
        let shown: Vec<(String, usize, &str)> = found
            .iter()
            .map(|s| (s.template(), s.tags.len(), s.latest().0.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("rust-v{version}".to_string(), 1, "rust-v3.0.0"),
                ("vecstore@{version}".to_string(), 1, "vecstore@2.0.0"),
                ("python-v{version}".to_string(), 1, "python-v1.2.0"),
                ("v{pep440}".to_string(), 3, "v1.1.0-rc.1"),
                ("py-v{version}".to_string(), 1, "py-v0.3.0"),
            ]
        );
        let cores: Vec<&str> = found.iter().map(TagSeries::core).collect();
        assert_eq!(cores, ["rust", "vecstore", "python", "", "py"]);
    }

    /// The templates of each package's series, and of the series left.
    fn assigned(tags_: &[&str], packages: &[Candidate]) -> (Vec<Vec<String>>, Vec<String>) {
        let found = series(&tags(tags_));
        let (assigned, free) = assign(&found, packages);
        let names =
            |list: &[usize]| -> Vec<String> { list.iter().map(|&i| found[i].template()).collect() };
        (assigned.iter().map(|a| names(a)).collect(), names(&free))
    }

    #[test]
    fn each_series_goes_to_the_package_it_names_or_whose_versions_it_tags() {
        let tags = [
            "v2.3.0",
            "v2.2.0",
            "python-v2.3.0",
            "node-v2.3.0",
            "lumen-v0.12.1",
            "nightly-v9.0.0",
        ];
        let packages = [
            candidate("lumen", Kind::Rust, "2.3.0"),
            candidate("lumen-python", Kind::Python, "2.3.0"),
            candidate("lumen-node", Kind::Node, "2.3.0"),
        ];
        let (each, free) = assigned(&tags, &packages);
        assert_eq!(
            each,
            [
                vec!["v{version}", "lumen-v{version}"],
                vec!["python-v{version}"],
                vec!["node-v{version}"]
            ]
        );
        assert_eq!(free, ["nightly-v{version}"]);
    }

    #[test]
    fn a_python_series_never_goes_to_a_crate_and_versions_decide_between_crates() {
        let tags = ["v1.2.0", "py-v0.3.0", "rust-v0.12.3", "rust-v3.0.0"];
        let packages = [
            candidate("core", Kind::Rust, "1.2.0"),
            candidate("meta", Kind::Rust, "1.0.0"),
        ];
        let (each, free) = assigned(&tags, &packages);
        assert_eq!(each, [vec!["v{version}"], vec!["rust-v{version}"]]);
        assert_eq!(free, ["py-v{version}"]);
        let rust = &series(&super::tests::tags(&tags))[0];
        assert_eq!(
            rust.above(&Version::parse("1.0.0").unwrap()),
            ["rust-v3.0.0"]
        );
    }
}
