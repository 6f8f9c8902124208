//! A configured mention: a version written in another file, found by a text
//! `pattern` or, in a TOML or JSON file, by the dotted `key` of its value.

use anyhow::{Result, anyhow};
use semver::Version;

use crate::text::keyed;
use crate::text::mentions::{Form, Found, Pattern};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// Literal text with placeholders (`text::mentions`).
    Pattern(String),
    /// A dotted key of a TOML or JSON file: its string value is the version.
    Key(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub file: String,
    pub at: At,
    /// `optional = true`: a file absent on some branches is skipped there.
    pub optional: bool,
}

impl Mention {
    /// How the configuration writes it: pattern `…` or key `…`.
    pub fn describe(&self) -> String {
        match &self.at {
            At::Pattern(p) => format!("pattern `{p}`"),
            At::Key(k) => format!("key `{k}`"),
        }
    }

    /// The form a keyed value takes: PEP 440 in a `pyproject.toml`, else SemVer.
    fn key_form(&self) -> Form {
        if self.file.ends_with("pyproject.toml") {
            Form::Pep440
        } else {
            Form::Semver
        }
    }

    /// The pattern, when the mention is one; an error names the file.
    pub fn pattern(&self) -> Option<Result<Pattern>> {
        match &self.at {
            At::Pattern(p) => Some(Pattern::new(p).map_err(|e| anyhow!("{}: {e}", self.file))),
            At::Key(_) => None,
        }
    }

    /// Every place of `text` (the file's content) holding the version: none
    /// when a pattern matches nothing; an error for a bad pattern, an
    /// ambiguous one, or a key with no string value.
    pub fn find(&self, text: &str) -> Result<Vec<Found>> {
        match &self.at {
            At::Pattern(_) => {
                let pattern = self.pattern().expect("a pattern")?;
                pattern.locate(&self.file, text)
            }
            At::Key(key) => {
                let found = keyed::find(&self.file, text, key)?;
                Ok(vec![Found {
                    line: found.line,
                    value: found.value,
                    range: found.span,
                }])
            }
        }
    }

    /// What the mention holds at `version`.
    pub fn wanted(&self, version: &Version) -> Result<String> {
        match &self.at {
            At::Pattern(_) => self.pattern().expect("a pattern")?.render(version),
            At::Key(_) => self.key_form().render(version),
        }
    }

    /// `text` with the mention set to `version`.
    pub fn replace(&self, text: &str, version: &Version) -> Result<String> {
        match &self.at {
            At::Pattern(_) => {
                let pattern = self.pattern().expect("a pattern")?;
                pattern.replace(&self.file, text, version)
            }
            At::Key(key) => {
                let new = self.key_form().render(version)?;
                keyed::replace(&self.file, text, key, &new)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(file: &str, at: At) -> Mention {
        Mention {
            file: file.into(),
            at,
            optional: false,
        }
    }

    #[test]
    fn a_keyed_mention_reads_and_writes_its_value() {
        let m = mention("nodejs/package.json", At::Key("version".into()));
        let text = "{\n  \"name\": \"demo\",\n  \"version\": \"0.9.0-beta.4\"\n}\n";
        let found = m.find(text).unwrap();
        assert_eq!(
            (found[0].line, found[0].value.as_str()),
            (3, "0.9.0-beta.4")
        );
        let v = Version::parse("0.9.0-beta.5").unwrap();
        assert_eq!(m.wanted(&v).unwrap(), "0.9.0-beta.5");
        assert_eq!(
            m.replace(text, &v).unwrap(),
            text.replace("beta.4", "beta.5")
        );
        assert_eq!(m.describe(), "key `version`");
    }

    #[test]
    fn a_keyed_pyproject_value_is_pep440() {
        let m = mention("docs/pyproject.toml", At::Key("tool.docs.release".into()));
        let v = Version::parse("0.9.0-beta.5").unwrap();
        assert_eq!(m.wanted(&v).unwrap(), "0.9.0b5");
    }

    #[test]
    fn a_bad_pattern_names_its_file() {
        let m = mention("README.md", At::Pattern("core".into()));
        let err = m.find("core").unwrap_err().to_string();
        assert!(
            err.starts_with("README.md: mention pattern `core`"),
            "{err}"
        );
    }
}
