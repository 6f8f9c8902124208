//! PEP 440 versions as PyPI and maturin read them (pure): the spellings the
//! specification's "Normalization" section accepts — any case, a leading
//! `v`, `alpha`/`beta`/`c`/`pre`/`preview` for `a`/`b`/`rc`, `.`/`-`/`_` or
//! no separator around each suffix, implicit numbers (`rc` is `rc0`), `-N`,
//! `rN` and `revN` for `.postN` — their normal form, and PEP 440's order.
//! maturin reads a crate's version this way (it parses Cargo's version text
//! as PEP 440), so `0.23.1-rc0` is published as `0.23.1rc0`.

use std::cmp::Ordering;
use std::fmt;

/// A pre-release stage, in PEP 440's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    A,
    B,
    Rc,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::A => "a",
            Stage::B => "b",
            Stage::Rc => "rc",
        }
    }
}

/// A version read and normalised as PEP 440 says.
#[derive(Debug, Clone)]
pub struct Pep440 {
    pub epoch: u64,
    pub release: Vec<u64>,
    pub pre: Option<(Stage, u64)>,
    pub post: Option<u64>,
    pub dev: Option<u64>,
    /// The local version (after `+`), lower case, its segments joined by `.`.
    pub local: Option<String>,
}

/// Why a text is no PEP 440 version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotPep440 {
    pub text: String,
    pub why: String,
}

impl fmt::Display for NotPep440 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a PEP 440 version: {}", self.text, self.why)
    }
}

impl std::error::Error for NotPep440 {}

/// The spellings of each pre-release stage, longest first so `alpha` is
/// not read as `a` followed by `lpha`.
const PRE_WORDS: [(&str, Stage); 8] = [
    ("preview", Stage::Rc),
    ("alpha", Stage::A),
    ("beta", Stage::B),
    ("pre", Stage::Rc),
    ("rc", Stage::Rc),
    ("a", Stage::A),
    ("b", Stage::B),
    ("c", Stage::Rc),
];
const POST_WORDS: [&str; 3] = ["post", "rev", "r"];

/// What each suffix may be, for messages.
const SUFFIXES: &str = "a pre-release (a, b, rc, also spelled alpha, beta, c, pre, preview), a post-release (.postN, -N, rN, revN) or a dev release (.devN)";

/// The stage a pre-release word names (`alpha` → a, `pre` → rc), any case.
pub fn stage_of(word: &str) -> Option<Stage> {
    let word = word.to_ascii_lowercase();
    PRE_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, stage)| *stage)
}

/// Reads `text` as PEP 440 does, or says where it stops.
pub fn parse(text: &str) -> Result<Pep440, NotPep440> {
    let lower = text.trim().to_ascii_lowercase();
    let fail = |why: String| NotPep440 {
        text: text.to_string(),
        why,
    };
    let mut c = Cursor { s: &lower, i: 0 };
    c.eat("v");
    let start = c.i;
    let epoch = match c.number().map_err(&fail)? {
        Some(n) if c.eat("!") => n,
        _ => {
            c.i = start;
            0
        }
    };
    let release = c.release().map_err(&fail)?;
    if release.is_empty() {
        return Err(fail(
            "it does not start with a release number such as 1.2.3".into(),
        ));
    }
    let pre = c.pre().map_err(&fail)?;
    let post = c.post().map_err(&fail)?;
    let dev = c.suffix(&["dev"]).map_err(&fail)?;
    let local = match c.eat("+") {
        true => Some(c.local().ok_or_else(|| {
            fail("the local version after `+` must be letters and digits separated by `.`, `-` or `_`".into())
        })?),
        false => None,
    };
    if c.i < lower.len() {
        let (read, rest) = lower.split_at(c.i);
        return Err(fail(format!(
            "after `{read}`, `{rest}` is none of {SUFFIXES}"
        )));
    }
    Ok(Pep440 {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// A position in the lower-cased text being read.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }

    fn eat(&mut self, word: &str) -> bool {
        let found = self.rest().starts_with(word);
        if found {
            self.i += word.len();
        }
        found
    }

    /// A separator (`.`, `-`, `_`), if one is next.
    fn separator(&mut self) -> bool {
        self.eat(".") || self.eat("-") || self.eat("_")
    }

    fn number(&mut self) -> Result<Option<u64>, String> {
        let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Ok(None);
        }
        let text = &self.rest()[..digits];
        let n = text
            .parse()
            .map_err(|_| format!("`{text}` is too large a number"))?;
        self.i += digits;
        Ok(Some(n))
    }

    /// `N(.N)*`; a dot not followed by a digit belongs to a suffix.
    fn release(&mut self) -> Result<Vec<u64>, String> {
        let mut out = Vec::new();
        while let Some(n) = self.number()? {
            out.push(n);
            let dot_digit = self.rest().starts_with('.')
                && self.rest()[1..].starts_with(|c: char| c.is_ascii_digit());
            if !dot_digit {
                break;
            }
            self.i += 1;
        }
        Ok(out)
    }

    /// The number after a suffix's word: `[sep]N`, implicitly 0.
    fn suffix_number(&mut self) -> Result<u64, String> {
        let start = self.i;
        self.separator();
        match self.number()? {
            Some(n) => Ok(n),
            None => {
                self.i = start;
                Ok(0)
            }
        }
    }

    /// `[sep]WORD[sep][N]` for one of `words`, or nothing read.
    fn suffix(&mut self, words: &[&str]) -> Result<Option<u64>, String> {
        let start = self.i;
        self.separator();
        if words.iter().any(|w| self.eat(w)) {
            return self.suffix_number().map(Some);
        }
        self.i = start;
        Ok(None)
    }

    fn pre(&mut self) -> Result<Option<(Stage, u64)>, String> {
        let start = self.i;
        self.separator();
        for (word, stage) in PRE_WORDS {
            if self.eat(word) {
                return Ok(Some((stage, self.suffix_number()?)));
            }
        }
        self.i = start;
        Ok(None)
    }

    /// `-N`, or `[sep](post|rev|r)[sep][N]`.
    fn post(&mut self) -> Result<Option<u64>, String> {
        let start = self.i;
        if self.eat("-")
            && let Some(n) = self.number()?
        {
            return Ok(Some(n));
        }
        self.i = start;
        self.suffix(&POST_WORDS)
    }

    /// `[a-z0-9]+([-_.][a-z0-9]+)*`, normalised to `.` separators.
    fn local(&mut self) -> Option<String> {
        let segments: Vec<&str> = self.rest().split(['.', '-', '_']).collect();
        let good = |s: &&str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        let local = segments.iter().all(good).then(|| segments.join("."))?;
        self.i = self.s.len();
        Some(local)
    }
}

impl fmt::Display for Pep440 {
    /// The normal form: `1!2.0rc1.post2.dev3+local.1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.epoch != 0 {
            write!(f, "{}!", self.epoch)?;
        }
        let release: Vec<String> = self.release.iter().map(u64::to_string).collect();
        f.write_str(&release.join("."))?;
        if let Some((stage, n)) = self.pre {
            write!(f, "{}{n}", stage.as_str())?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        if let Some(local) = &self.local {
            write!(f, "+{local}")?;
        }
        Ok(())
    }
}

impl Pep440 {
    /// The release without trailing zeros: `1.0` and `1.0.0` are one version.
    fn release_key(&self) -> &[u64] {
        let zeros = self.release.iter().rev().take_while(|&&n| n == 0).count();
        &self.release[..self.release.len() - zeros]
    }

    /// A dev release of a final version sorts before its pre-releases,
    /// which sort before the final version.
    fn pre_key(&self) -> (u8, Option<Stage>, u64) {
        match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (0, None, 0),
            (Some((stage, n)), _, _) => (1, Some(stage), n),
            (None, _, _) => (2, None, 0),
        }
    }

    /// Local segments: a number sorts above any word.
    fn local_key(&self) -> Option<Vec<(bool, u64, &str)>> {
        self.local.as_ref().map(|local| {
            local
                .split('.')
                .map(|s| match s.parse::<u64>() {
                    Ok(n) => (true, n, ""),
                    Err(_) => (false, 0, s),
                })
                .collect()
        })
    }
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        let dev = |v: &Pep440| v.dev.map_or((1, 0), |n| (0, n));
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.release_key().cmp(other.release_key()))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| self.post.cmp(&other.post))
            .then_with(|| dev(self).cmp(&dev(other)))
            .then_with(|| self.local_key().cmp(&other.local_key()))
    }
}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440 {}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(text: &str) -> String {
        parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_string()
    }

    #[test]
    fn spellings_normalise_as_the_specification_says() {
        let cases = [
            // Case, a leading `v`, whitespace.
            ("1.0.0RC1", "1.0.0rc1"),
            ("V1.0", "1.0"),
            ("  1.2.3  ", "1.2.3"),
            // Pre-release spellings and separators, with an implicit number.
            ("0.23.1-rc0", "0.23.1rc0"),
            ("0.23.1-rc.0", "0.23.1rc0"),
            ("1.0.0-rc", "1.0.0rc0"),
            ("1.0.0-alpha1", "1.0.0a1"),
            ("1.0.0-a1", "1.0.0a1"),
            ("1.0.0.alpha.1", "1.0.0a1"),
            ("1.0.0-beta.2", "1.0.0b2"),
            ("1.0.0_b2", "1.0.0b2"),
            ("1.0.0-c3", "1.0.0rc3"),
            ("1.0.0-pre", "1.0.0rc0"),
            ("1.0.0-preview.4", "1.0.0rc4"),
            ("1.0.0-rc-5", "1.0.0rc5"),
            // Post releases: spelled, implicit, numbered or not.
            ("1.0.0-post1", "1.0.0.post1"),
            ("1.0.0.r1", "1.0.0.post1"),
            ("1.0.0-rev", "1.0.0.post0"),
            ("1.0.0-1", "1.0.0.post1"),
            ("1.0.0post", "1.0.0.post0"),
            // Dev releases.
            ("1.0.0-dev0", "1.0.0.dev0"),
            ("1.0.0-dev.0", "1.0.0.dev0"),
            ("1.0.0-dev", "1.0.0.dev0"),
            ("1.0.0dev3", "1.0.0.dev3"),
            // Together, leading zeros, epochs and local versions.
            ("1.0.0-rc.1.post.2.dev.3", "1.0.0rc1.post2.dev3"),
            ("1.0.0-rc.1-1", "1.0.0rc1.post1"),
            ("01.002.0003", "1.2.3"),
            ("2!1.0", "2!1.0"),
            ("1.0.0+Build-5_x", "1.0.0+build.5.x"),
            ("1.2.3.4", "1.2.3.4"),
        ];
        for (text, want) in cases {
            assert_eq!(normal(text), want, "{text}");
        }
    }

    #[test]
    fn what_the_normalization_refuses_is_said_with_where_it_stops() {
        let cases = [
            (
                "1.0.0-nightly",
                "`1.0.0-nightly` is not a PEP 440 version: after `1.0.0`, `-nightly` is none of a pre-release",
            ),
            ("1.0.0-alpha.1.2", "after `1.0.0-alpha.1`, `.2` is none of"),
            ("1.0.0-rc.x", "after `1.0.0-rc`, `.x` is none of"),
            ("1.0.0-gamma.1", "after `1.0.0`, `-gamma.1` is none of"),
            ("", "it does not start with a release number such as 1.2.3"),
            ("x", "it does not start with a release number"),
            ("1..2", "after `1`, `..2` is none of"),
            (
                "1.0+",
                "the local version after `+` must be letters and digits",
            ),
            ("1.0+a..b", "the local version after `+`"),
            ("1.0.0-dev.1.2", "after `1.0.0-dev.1`, `.2`"),
            ("99999999999999999999", "is too large a number"),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(want), "{text}: {err}");
        }
    }

    #[test]
    fn order_is_pep440s() {
        let ascending = [
            "1.0.dev0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a2",
            "1.0a12",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+5",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.1.dev1",
            "1!0.1",
        ];
        for pair in ascending.windows(2) {
            let (a, b) = (parse(pair[0]).unwrap(), parse(pair[1]).unwrap());
            assert_eq!(a.cmp(&b), Ordering::Less, "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(parse("1.0").unwrap(), parse("1.0.0").unwrap());
        assert_eq!(parse("1.0.0-RC.0").unwrap(), parse("1.0.0rc0").unwrap());
        assert_ne!(parse("1.0.0rc1").unwrap(), parse("1.0.0rc0").unwrap());
    }

    #[test]
    fn stages_are_named_by_any_spelling() {
        assert_eq!(stage_of("Alpha"), Some(Stage::A));
        assert_eq!(stage_of("preview"), Some(Stage::Rc));
        assert_eq!(stage_of("c"), Some(Stage::Rc));
        assert_eq!(stage_of("dev"), None);
    }
}
