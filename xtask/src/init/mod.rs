//! `cargo xtask init`: the release configuration a repository's files and
//! tags suggest. `survey` reads what is there (crates, the files beside
//! them, texts; git's tags are given); the rest is pure: `packages` decides
//! what is released as what (crate groups, bindings), `series` maps tag
//! series to packages, `branches` reads release branches off their names
//! and tags, `changelogs` and `mentions` find the files each
//! package writes, `tools` reads another release tool's configuration,
//! `propose` turns it all into keys, each guess with the reason it was
//! made, `next_dev` guesses `next-dev` from what git says the main line
//! did after releases, and `render` writes them as `xtask-release.toml`.
//!
//! Floor: init, above the model and the changelogs it reads with. Uses:
//! model, changelog, text, out, worktree.

pub mod branches;
pub mod changelogs;
pub mod entry;
pub mod groups;
pub mod mentions;
pub mod next_dev;
pub mod notes;
pub mod packages;
pub mod propose;
pub mod pyproject;
pub mod render;
pub mod replacements;
pub mod series;
pub mod survey;
pub mod tools;
pub mod top;

/// What a package is released as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A crate (and its group) on a crate registry.
    Rust,
    /// A Python package built by maturin.
    Python,
    /// A Node binding (a `package.json` beside a crate that is not published).
    Node,
}

/// One key the configuration sets: its TOML value and why it was guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub key: String,
    /// The value as TOML text (`"v{version}"`, `["a", "b"]`).
    pub value: String,
    pub why: Option<String>,
    /// Written commented out: a suggestion to take or leave.
    pub off: bool,
}

impl Key {
    pub fn new(key: &str, value: String, why: impl Into<Option<String>>) -> Key {
        Key {
            key: key.to_string(),
            value,
            why: why.into(),
            off: false,
        }
    }

    /// A string value, quoted as TOML quotes it.
    pub fn text(key: &str, value: &str, why: impl Into<Option<String>>) -> Key {
        Key::new(key, quoted(value), why)
    }
}

/// `text` as a TOML string: literal (`'…'`) when it holds a double quote,
/// as patterns usually do; else basic, escaped.
pub fn quoted(text: &str) -> String {
    if text.contains('"') && !text.contains('\'') && !text.contains('\n') {
        return format!("'{text}'");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One `[[package]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    pub name: String,
    /// Comment lines above it: what it is, what was passed over.
    pub about: Vec<String>,
    pub keys: Vec<Key>,
    pub mentions: Vec<mentions::Found>,
    /// At a development version: what `next-dev`'s guess asks of git.
    pub dev: Option<Ask>,
}

/// What `next-dev`'s guess (`next_dev`) needs of git, for one package at a
/// development version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub name: String,
    /// Its manifest's version, a development one.
    pub version: semver::Version,
    /// The file its version is written in: its manifest, or the root
    /// `Cargo.toml` whose `[workspace.package]` it inherits.
    pub file: String,
    /// Its newest releases (no pre-releases), newest first, up to
    /// `next_dev::RELEASES`.
    pub releases: Vec<(String, semver::Version)>,
}

/// The configuration `init` proposes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposal {
    /// What was found and left out, for the header.
    pub notes: Vec<String>,
    pub top: Vec<Key>,
    /// The main line's name (`branch`, or the first of `branches`).
    pub main_line: String,
    /// `[registries]` keys.
    pub registries: Vec<Key>,
    pub packages: Vec<Proposed>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_as_toml_reads_them() {
        for (text, toml) in [
            ("v{version}", "\"v{version}\""),
            ("demo = \"{version}\"", "'demo = \"{version}\"'"),
            ("it's \"x\"", "\"it's \\\"x\\\"\""),
            ("a\\b", "\"a\\\\b\""),
            ("bell\u{7}", "\"bell\\u0007\""),
        ] {
            assert_eq!(quoted(text), toml, "{text}");
            let doc: toml_edit::Document<String> = format!("k = {toml}\n").parse().unwrap();
            assert_eq!(doc["k"].as_str(), Some(text));
        }
    }
}
