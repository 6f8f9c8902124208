//! Version mentions in other files, such as `edgequake-llm = "0.4.0"` in a
//! README. A pattern is literal text with placeholders: one `{version}`
//! (SemVer) or `{pep440}`, or some of `{major}`, `{minor}`, `{patch}` (such as
//! `{major}.{minor}`, which keeps `"0.2"` current for every 0.2.x).
//!
//! A pattern matches only where its literal text starts and ends at a word
//! boundary and where its version is a whole token: `version = "{version}"`
//! does not match inside `rust-version = "1.91.0"`, nor a key inside an inline
//! table (`napi = { version = "3.8.3" }`). Its matches in one file must hold
//! one version: anything else is refused as ambiguous.

use std::ops::Range;

use anyhow::{Result, bail};
use regex::Regex;
use semver::Version;

use crate::text::version::to_pep440;

const SEMVER: &str = r"[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?";
const PEP440: &str = r"[0-9]+\.[0-9]+\.[0-9]+(?:(?:a|b|rc)[0-9]+|\.dev[0-9]+)?";
const NUMBER: &str = "[0-9]+";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Semver,
    Pep440,
}

impl Form {
    pub fn render(self, version: &Version) -> Result<String> {
        match self {
            Form::Semver => Ok(version.to_string()),
            Form::Pep440 => to_pep440(version),
        }
    }
}

/// A placeholder of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hole {
    Version,
    Pep440,
    Major,
    Minor,
    Patch,
}

const HOLES: [(&str, Hole); 5] = [
    ("{version}", Hole::Version),
    ("{pep440}", Hole::Pep440),
    ("{major}", Hole::Major),
    ("{minor}", Hole::Minor),
    ("{patch}", Hole::Patch),
];

impl Hole {
    fn regex(self) -> &'static str {
        match self {
            Hole::Version => SEMVER,
            Hole::Pep440 => PEP440,
            _ => NUMBER,
        }
    }

    fn render(self, version: &Version) -> Result<String> {
        Ok(match self {
            Hole::Version => version.to_string(),
            Hole::Pep440 => to_pep440(version)?,
            Hole::Major => version.major.to_string(),
            Hole::Minor => version.minor.to_string(),
            Hole::Patch => version.patch.to_string(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Hole(Hole),
}

/// `pattern` as literal text and placeholders.
fn parts(pattern: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = pattern;
    let mut text = String::new();
    while !rest.is_empty() {
        if let Some((name, hole)) = HOLES.iter().find(|(name, _)| rest.starts_with(name)) {
            if !text.is_empty() {
                out.push(Part::Text(std::mem::take(&mut text)));
            }
            out.push(Part::Hole(*hole));
            rest = &rest[name.len()..];
        } else {
            let c = rest.chars().next().expect("not empty");
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !text.is_empty() {
        out.push(Part::Text(text));
    }
    out
}

/// One mention found: the 1-based line, the version as written, its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub line: usize,
    pub value: String,
    pub range: Range<usize>,
}

pub struct Pattern {
    source: String,
    regex: Regex,
    /// From the first placeholder to the last: what a match's version is.
    middle: Vec<Part>,
    /// The literal text before and after it.
    prefix: String,
    suffix: String,
}

/// A character of a name or key: `rust-version` is one word, not `version`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// A character that continues a version token (`0.2` in `0.2.9`, `1.0.0` in `1.0.0-rc.1`).
fn continues_version(c: char, next: Option<char>) -> bool {
    c.is_alphanumeric() || c == '_' || ".-+".contains(c) && next.is_some_and(char::is_alphanumeric)
}

/// Whether `start` is inside a TOML inline table, after its `{` or a `,`:
/// a key there belongs to the table's own key.
fn in_inline_table(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    before.contains('{')
        && matches!(
            before.trim_end_matches([' ', '\t']).chars().next_back(),
            Some('{' | ',')
        )
}

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern> {
        let parts = parts(pattern);
        let holes: Vec<Hole> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Hole(h) => Some(*h),
                Part::Text(_) => None,
            })
            .collect();
        let whole = holes
            .iter()
            .any(|h| matches!(h, Hole::Version | Hole::Pep440));
        let repeated = holes
            .iter()
            .enumerate()
            .any(|(i, h)| holes[..i].contains(h));
        if holes.is_empty() || repeated || whole && holes.len() > 1 {
            bail!(
                "mention pattern `{pattern}` must contain exactly one `{{version}}` or `{{pep440}}`, or `{{major}}`, `{{minor}}`, `{{patch}}` once each at most (such as `{{major}}.{{minor}}`)"
            );
        }
        let is_hole = |p: &Part| matches!(p, Part::Hole(_));
        let first = parts.iter().position(is_hole).expect("a placeholder");
        let last = parts.iter().rposition(is_hole).expect("a placeholder");
        let text = |p: &Part| match p {
            Part::Text(t) => t.clone(),
            Part::Hole(_) => String::new(),
        };
        let prefix = parts[..first].iter().map(text).collect::<String>();
        let suffix = parts[last + 1..].iter().map(text).collect::<String>();
        let middle = parts[first..=last].to_vec();
        let body: String = middle
            .iter()
            .map(|p| match p {
                Part::Text(t) => regex::escape(t),
                Part::Hole(h) => format!("(?:{})", h.regex()),
            })
            .collect();
        let regex = Regex::new(&format!(
            "{}({body}){}",
            regex::escape(&prefix),
            regex::escape(&suffix)
        ))?;
        Ok(Pattern {
            source: pattern.to_string(),
            regex,
            middle,
            prefix,
            suffix,
        })
    }

    /// The text a mention of `version` holds: `0.2` for `{major}.{minor}` of 0.2.9.
    pub fn render(&self, version: &Version) -> Result<String> {
        self.middle
            .iter()
            .map(|p| match p {
                Part::Text(t) => Ok(t.clone()),
                Part::Hole(h) => h.render(version),
            })
            .collect()
    }

    /// Whether the match at `whole` starts and ends at a boundary.
    fn bounded(&self, text: &str, whole: &Range<usize>) -> bool {
        let before = text[..whole.start].chars().next_back();
        let mut after = text[whole.end..].chars();
        let (after, after_next) = (after.next(), after.next());
        let starts = match self.prefix.chars().next() {
            None => !before.is_some_and(|c| c.is_alphanumeric() || "._-+".contains(c)),
            Some(c) if is_word(c) => {
                !before.is_some_and(|c| is_word(c) || c == '.')
                    && !in_inline_table(text, whole.start)
            }
            Some(_) => true,
        };
        let ends = match self.suffix.chars().next_back() {
            None => !after.is_some_and(|c| continues_version(c, after_next)),
            Some(c) if is_word(c) => !after.is_some_and(is_word),
            Some(_) => true,
        };
        starts && ends
    }

    /// Every mention, at a boundary, in order.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos <= text.len() {
            let Some(c) = self.regex.captures_at(text, pos) else {
                break;
            };
            let (whole, version) = (c.get(0).expect("a match"), c.get(1).expect("one group"));
            if self.bounded(text, &whole.range()) {
                out.push(Found {
                    line: super::toml::line_of(text, version.start()),
                    value: version.as_str().to_string(),
                    range: version.range(),
                });
                pos = whole.end();
            } else {
                let step = text[whole.start()..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                pos = whole.start() + step;
            }
        }
        out
    }

    /// Every mention in the file `path`; an error when they hold different versions.
    pub fn locate(&self, path: &str, text: &str) -> Result<Vec<Found>> {
        let found = self.find(text);
        if let Some(first) = found.first()
            && let Some(other) = found.iter().find(|f| f.value != first.value)
        {
            bail!(
                "{path}:{} and {path}:{}: the mention pattern `{}` matches both {} and {}, so it cannot tell the version: make the pattern match only the version's own text, or, in a TOML or JSON file, name the value with `key = \"…\"` instead of `pattern`",
                first.line,
                other.line,
                self.source,
                first.value,
                other.value
            );
        }
        Ok(found)
    }

    /// Every mention in the file `path` rewritten to `new`.
    pub fn replace(&self, path: &str, text: &str, new: &Version) -> Result<String> {
        let new = self.render(new)?;
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for found in self.locate(path, text)? {
            out.push_str(&text[last..found.range.start]);
            out.push_str(&new);
            last = found.range.end;
        }
        out.push_str(&text[last..]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn values(pattern: &str, text: &str) -> Vec<(usize, String)> {
        Pattern::new(pattern)
            .unwrap()
            .find(text)
            .into_iter()
            .map(|f| (f.line, f.value))
            .collect()
    }

    #[test]
    fn finds_and_replaces_every_mention() {
        let text = "Add\n\n```toml\nedgequake-llm = \"0.4.0\"\n```\nor edgequake-llm = \"0.4.0\". Not other-llm = \"0.4\".\n";
        let pattern = Pattern::new("edgequake-llm = \"{version}\"").unwrap();
        assert_eq!(
            values("edgequake-llm = \"{version}\"", text),
            [(4, "0.4.0".to_string()), (6, "0.4.0".to_string())]
        );
        let out = pattern.replace("README.md", text, &v("0.5.0")).unwrap();
        assert_eq!(out, text.replace("0.4.0", "0.5.0"));
    }

    #[test]
    fn pep440_mentions_render_in_pep440_form() {
        let pattern = Pattern::new("pip install edgequake-litellm=={pep440}").unwrap();
        let text = "pip install edgequake-litellm==0.3.0rc1.\n";
        let out = pattern.replace("R", text, &v("0.4.0-beta.2")).unwrap();
        assert_eq!(out, "pip install edgequake-litellm==0.4.0b2.\n");
    }

    #[test]
    fn a_pattern_needs_its_placeholders_once() {
        for bad in [
            "no placeholder",
            "{version} {version}",
            "{version} {pep440}",
            "{major}.{major}",
            "{version} ({major})",
        ] {
            let err = Pattern::new(bad).err().unwrap().to_string();
            assert!(err.contains("exactly one"), "{bad}: {err}");
        }
        for good in ["{major}.{minor}", "{major}", "v{major}.{minor}.{patch}"] {
            assert!(Pattern::new(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn a_key_never_matches_inside_a_longer_key() {
        let manifest = "[package]\nname = \"demo-py\"\nversion = \"0.9.0\"\nrust-version = \"1.91.0\"\nedition = \"2024\"\n";
        assert_eq!(
            values("version = \"{version}\"", manifest),
            [(3, "0.9.0".to_string())]
        );
        let no_version =
            "[package]\nrust-version = \"1.91.0\"\nmy_version = \"2.0.0\"\nx.version = \"3.0.0\"\n";
        assert!(values("version = \"{version}\"", no_version).is_empty());
    }

    #[test]
    fn a_key_never_matches_inside_an_inline_table() {
        let manifest = "[dependencies]\nnapi = { version = \"3.8.3\", default-features = false }\nserde = { features = [\"derive\"], version = \"1.0.0\" }\n\n[package.metadata]\nversion = \"0.9.0\"\n";
        assert_eq!(
            values("version = \"{version}\"", manifest),
            [(6, "0.9.0".to_string())]
        );
    }

    #[test]
    fn a_version_is_a_whole_token() {
        let text = "tag v1.2.3.4 and x1.2.3 and 1.2.3-beta.1 and 1.2.3\n";
        assert_eq!(
            values("{version}", text),
            [(1, "1.2.3-beta.1".to_string()), (1, "1.2.3".to_string())]
        );
        assert!(values("demo {version}", "demo 1.2.3.4\n").is_empty());
        assert!(values("demo {version}", "demo 1.2.3x\n").is_empty());
        assert_eq!(values("demo {version}", "demo 1.2.3.\n").len(), 1);
    }

    #[test]
    fn matches_holding_different_versions_are_ambiguous() {
        let text = "[package]\nversion = \"0.9.0\"\n\n[dependencies.napi]\nversion = \"3.8.3\"\n";
        let pattern = Pattern::new("version = \"{version}\"").unwrap();
        let err = pattern
            .locate("node/Cargo.toml", text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "node/Cargo.toml:2 and node/Cargo.toml:5: the mention pattern `version = \"{version}\"` matches both 0.9.0 and 3.8.3, so it cannot tell the version: make the pattern match only the version's own text, or, in a TOML or JSON file, name the value with `key = \"…\"` instead of `pattern`"
        );
        assert!(
            pattern
                .replace("node/Cargo.toml", text, &v("1.0.0"))
                .is_err()
        );
        let same = "version = \"0.9.0\"\nversion = \"0.9.0\"\n";
        assert_eq!(pattern.locate("f", same).unwrap().len(), 2);
    }

    #[test]
    fn major_minor_mentions_move_only_when_the_version_leaves_them() {
        let text = "```toml\r\nedgequake-llm = \"0.2\"\r\n```\r\n";
        let pattern = Pattern::new("edgequake-llm = \"{major}.{minor}\"").unwrap();
        assert_eq!(
            values("edgequake-llm = \"{major}.{minor}\"", text),
            [(2, "0.2".to_string())]
        );
        assert_eq!(pattern.render(&v("0.2.9")).unwrap(), "0.2");
        assert_eq!(pattern.replace("R", text, &v("0.2.10")).unwrap(), text);
        assert_eq!(
            pattern.replace("R", text, &v("0.3.0")).unwrap(),
            text.replace("\"0.2\"", "\"0.3\"")
        );
        // `0.2.9` is not of the form `{major}.{minor}`.
        assert!(
            values(
                "edgequake-llm = \"{major}.{minor}\"",
                "edgequake-llm = \"0.2.9\""
            )
            .is_empty()
        );
        assert!(values("v{major}.{minor}", "see v0.2.9").is_empty());
        assert_eq!(
            values("v{major}.{minor}", "see v0.2, v0.2."),
            [(1, "0.2".to_string()), (1, "0.2".to_string())]
        );
    }
}
