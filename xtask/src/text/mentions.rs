//! Version mentions in other files, such as `edgequake-llm = "0.4.0"` in a
//! README. A pattern is literal text with one `{version}` (SemVer) or
//! `{pep440}` placeholder.

use std::ops::Range;

use anyhow::{Result, bail};
use regex::Regex;
use semver::Version;

use crate::text::version::to_pep440;

const SEMVER: &str = r"[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?";
const PEP440: &str = r"[0-9]+\.[0-9]+\.[0-9]+(?:(?:a|b|rc)[0-9]+|\.dev[0-9]+)?";

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

pub struct Pattern {
    regex: Regex,
    pub form: Form,
}

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern> {
        let (form, placeholder) = match (
            pattern.matches("{version}").count(),
            pattern.matches("{pep440}").count(),
        ) {
            (1, 0) => (Form::Semver, "{version}"),
            (0, 1) => (Form::Pep440, "{pep440}"),
            _ => bail!(
                "mention pattern `{pattern}` must contain exactly one `{{version}}` or `{{pep440}}`"
            ),
        };
        let (before, after) = pattern.split_once(placeholder).expect("counted above");
        let body = if form == Form::Semver { SEMVER } else { PEP440 };
        let regex = Regex::new(&format!(
            "{}({body}){}",
            regex::escape(before),
            regex::escape(after)
        ))?;
        Ok(Pattern { regex, form })
    }

    /// Every mention: the 1-based line, the version as written, its bytes.
    pub fn find(&self, text: &str) -> Vec<(usize, String, Range<usize>)> {
        self.regex
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| {
                (
                    super::toml::line_of(text, m.start()),
                    m.as_str().to_string(),
                    m.range(),
                )
            })
            .collect()
    }

    /// Every mention rewritten to `new`.
    pub fn replace(&self, text: &str, new: &Version) -> Result<String> {
        let new = self.form.render(new)?;
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (_, _, range) in self.find(text) {
            out.push_str(&text[last..range.start]);
            out.push_str(&new);
            last = range.end;
        }
        out.push_str(&text[last..]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_every_mention() {
        let text = "Add\n\n```toml\nedgequake-llm = \"0.4.0\"\n```\nor edgequake-llm = \"0.3.9-rc.1\". Not other-llm = \"0.4\".\n";
        let pattern = Pattern::new("edgequake-llm = \"{version}\"").unwrap();
        let found: Vec<(usize, String)> = pattern
            .find(text)
            .into_iter()
            .map(|(l, v, _)| (l, v))
            .collect();
        assert_eq!(
            found,
            [(4, "0.4.0".to_string()), (6, "0.3.9-rc.1".to_string())]
        );
        let out = pattern
            .replace(text, &Version::parse("0.5.0").unwrap())
            .unwrap();
        assert_eq!(
            out,
            text.replace("0.4.0", "0.5.0")
                .replace("0.3.9-rc.1", "0.5.0")
        );
    }

    #[test]
    fn pep440_mentions_render_in_pep440_form() {
        let pattern = Pattern::new("pip install edgequake-litellm=={pep440}").unwrap();
        let text = "pip install edgequake-litellm==0.3.0rc1.\n";
        let out = pattern
            .replace(text, &Version::parse("0.4.0-beta.2").unwrap())
            .unwrap();
        assert_eq!(out, "pip install edgequake-litellm==0.4.0b2.\n");
    }

    #[test]
    fn a_pattern_needs_one_placeholder() {
        for bad in [
            "no placeholder",
            "{version} {version}",
            "{version} {pep440}",
        ] {
            let err = Pattern::new(bad).err().unwrap().to_string();
            assert!(err.contains("exactly one"), "{bad}: {err}");
        }
    }
}
