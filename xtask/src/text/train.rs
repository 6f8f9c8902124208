//! Pre-release trains: `dev` → `alpha` → `beta` → `rc` → the release, in
//! PEP 440's order. A train is read off any spelling PEP 440 normalises
//! (`rc.1`, `rc1`, `RC-1`, `a1`, `c1`, `pre`: see `pep440.rs`) and goes on in
//! the spelling it has: `0.23.1-rc0` → `0.23.1-rc1`, `0.2.0-a3` → `0.2.0-b0`
//! or `-b1`. A new train is spelled `label.N` (`0.2.0-rc.1`; `to_pep440`
//! gives PyPI's `0.2.0rc1`), its first number `pre-start` (1 unless
//! configured). Pure.

use std::fmt;

use anyhow::{Result, bail};
use semver::{Prerelease, Version};

use crate::text::pep440::{self, Stage};

/// A train's label, in the order a train runs through them (PEP 440's:
/// a dev release sorts before the alpha, beta and rc of its version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Dev,
    Alpha,
    Beta,
    Rc,
}

impl Label {
    pub const NAMES: [&'static str; 4] = ["dev", "alpha", "beta", "rc"];

    pub fn parse(text: &str) -> Option<Label> {
        match text {
            "dev" => Some(Label::Dev),
            "alpha" => Some(Label::Alpha),
            "beta" => Some(Label::Beta),
            "rc" => Some(Label::Rc),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        Label::NAMES[self as usize]
    }

    /// The label a pre-release word names, in any spelling PEP 440 reads.
    fn of_word(word: &str) -> Option<Label> {
        if word.eq_ignore_ascii_case("dev") {
            return Some(Label::Dev);
        }
        Some(match pep440::stage_of(word)? {
            Stage::A => Label::Alpha,
            Stage::B => Label::Beta,
            Stage::Rc => Label::Rc,
        })
    }

    /// The word for this label in the style of `word`: `a`/`b` after a
    /// one-letter word, the full name otherwise.
    fn word_like(self, word: &str) -> &'static str {
        match (self, word.len() == 1) {
            (Label::Alpha, true) => "a",
            (Label::Beta, true) => "b",
            _ => self.as_str(),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A train's pre-release as written: `rc` `` `0` in `0.23.1-rc0`, `alpha`
/// `.` `3` in `-alpha.3`; the number is `None` where it is implicit (`-rc`).
struct Written<'a> {
    label: Label,
    word: &'a str,
    separator: &'a str,
    number: Option<u64>,
}

impl Written<'_> {
    fn read(version: &Version) -> Option<Written<'_>> {
        let pre = version.pre.as_str();
        let letters = pre.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (word, rest) = pre.split_at(letters);
        let label = Label::of_word(word)?;
        let (separator, digits) = match rest.strip_prefix(['.', '-', '_']) {
            Some(digits) => (&rest[..1], digits),
            None => ("", rest),
        };
        let number = match digits {
            "" if separator.is_empty() => None,
            _ if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.parse().ok()?),
            _ => return None,
        };
        Some(Written {
            label,
            word,
            separator,
            number,
        })
    }
}

/// The train `version` is on: its label and number (`0.2.0-rc.2` → rc, 2;
/// `0.23.1-rc0` → rc, 0; `-rc` → rc, 0).
pub fn of(version: &Version) -> Option<(Label, u64)> {
    let written = Written::read(version)?;
    Some((written.label, written.number.unwrap_or(0)))
}

/// Whether `version` is a development version, "not released yet": its
/// pre-release reads as PEP 440's dev (`-dev.0`, `-dev0`, `-dev`), and
/// it carries no other (`1.0.0-rc.1.dev.2` is an rc's).
pub fn is_dev(version: &Version) -> bool {
    matches!(of(version), Some((Label::Dev, _)))
}

/// `version` with the pre-release `label.number`: a new train.
pub fn with_pre(version: &Version, label: Label, number: u64) -> Version {
    spelled(version, &format!("{label}.{number}"))
}

fn spelled(version: &Version, pre: &str) -> Version {
    let mut out = Version::new(version.major, version.minor, version.patch);
    out.pre = Prerelease::new(pre).expect("a word and a number make a valid pre-release");
    out
}

/// The next pre-release `label` asks for from `current`, in its spelling:
/// the next number of the same label, or the first (`start`) of a later
/// label. Going back, or asking outside a train, is refused with the way
/// forward.
pub fn advance(current: &Version, label: Label, start: u64) -> Result<Version> {
    let Some(now) = Written::read(current) else {
        bail!(
            "{current} is not on a pre-release train: start one with a level and --pre {label} (e.g. --rust minor --pre {label})"
        );
    };
    if label < now.label {
        bail!(
            "{current} is past {label}: a train runs alpha, beta, rc, then the release, never back (a dev train may go on to any of them); ask for {} (the next {}), a later label, or release",
            now.label,
            now.label
        );
    }
    let (word, number) = match label == now.label {
        true => (now.word, now.number.unwrap_or(0) + 1),
        false => (label.word_like(now.word), start),
    };
    Ok(spelled(
        current,
        &format!("{word}{}{number}", now.separator),
    ))
}

/// The release a train ends with: `0.2.0-rc.2` → `0.2.0`.
pub fn graduate(current: &Version) -> Result<Version> {
    if current.pre.is_empty() {
        bail!(
            "{current} is not a pre-release: `release` ends a train; choose a level (major, minor, patch) for a new version"
        );
    }
    Ok(Version::new(current.major, current.minor, current.patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn a_train_runs_forward() {
        let cases = [
            ("0.2.0-rc.1", Label::Rc, "0.2.0-rc.2"),
            ("0.2.0-alpha.3", Label::Beta, "0.2.0-beta.1"),
            ("0.2.0-alpha.3", Label::Rc, "0.2.0-rc.1"),
            ("0.2.0-alpha.9", Label::Alpha, "0.2.0-alpha.10"),
            ("1.0.0-beta.1", Label::Beta, "1.0.0-beta.2"),
            ("0.8.0-dev.1", Label::Dev, "0.8.0-dev.2"),
            ("0.8.0-dev.4", Label::Alpha, "0.8.0-alpha.1"),
        ];
        for (from, label, to) in cases {
            assert_eq!(
                advance(&v(from), label, 1).unwrap(),
                v(to),
                "{from} + {label}"
            );
        }
    }

    #[test]
    fn a_train_goes_on_in_the_spelling_it_has() {
        let cases = [
            ("0.23.1-rc0", Label::Rc, 1, "0.23.1-rc1"),
            ("0.23.1-rc9", Label::Rc, 1, "0.23.1-rc10"),
            ("0.23.1-RC1", Label::Rc, 1, "0.23.1-RC2"),
            ("1.0.0-a1", Label::Alpha, 1, "1.0.0-a2"),
            ("1.0.0-a1", Label::Beta, 0, "1.0.0-b0"),
            ("1.0.0-alpha1", Label::Beta, 1, "1.0.0-beta1"),
            ("1.0.0-b2", Label::Rc, 1, "1.0.0-rc1"),
            ("1.0.0-c1", Label::Rc, 1, "1.0.0-c2"),
            ("1.0.0-rc", Label::Rc, 1, "1.0.0-rc1"),
            ("1.0.0-pre", Label::Rc, 1, "1.0.0-pre1"),
            ("1.0.0-dev0", Label::Dev, 1, "1.0.0-dev1"),
            ("1.0.0-dev0", Label::Rc, 0, "1.0.0-rc0"),
            ("1.0.0-rc-3", Label::Rc, 1, "1.0.0-rc-4"),
            ("1.0.0-alpha.0", Label::Rc, 0, "1.0.0-rc.0"),
        ];
        for (from, label, start, to) in cases {
            assert_eq!(
                advance(&v(from), label, start).unwrap(),
                v(to),
                "{from} + {label} (start {start})"
            );
        }
    }

    #[test]
    fn a_train_never_runs_back_and_needs_starting() {
        let err = advance(&v("0.2.0-rc.1"), Label::Beta, 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "0.2.0-rc.1 is past beta: a train runs alpha, beta, rc, then the release, never back (a dev train may go on to any of them); ask for rc (the next rc), a later label, or release"
        );
        let err = advance(&v("0.2.0"), Label::Rc, 1).unwrap_err().to_string();
        assert_eq!(
            err,
            "0.2.0 is not on a pre-release train: start one with a level and --pre rc (e.g. --rust minor --pre rc)"
        );
        assert!(advance(&v("0.2.0-alpha.1"), Label::Dev, 1).is_err());
        // A pre-release PEP 440 does not read as a train's is no train.
        for other in [
            "0.2.0-nightly",
            "0.2.0-rc.x",
            "0.2.0-post1",
            "0.2.0-rc.1.dev.2",
        ] {
            assert!(advance(&v(other), Label::Rc, 1).is_err(), "{other}");
        }
    }

    #[test]
    fn graduation_drops_the_label() {
        assert_eq!(graduate(&v("0.2.0-rc.2")).unwrap(), v("0.2.0"));
        assert_eq!(graduate(&v("1.0.0-alpha.1")).unwrap(), v("1.0.0"));
        assert_eq!(graduate(&v("0.23.1-rc0")).unwrap(), v("0.23.1"));
        assert!(
            graduate(&v("0.2.0"))
                .unwrap_err()
                .to_string()
                .starts_with("0.2.0 is not a pre-release")
        );
    }

    #[test]
    fn trains_are_read_off_versions() {
        assert_eq!(of(&v("0.2.0-rc.2")), Some((Label::Rc, 2)));
        assert_eq!(of(&v("0.2.0-beta.11")), Some((Label::Beta, 11)));
        assert_eq!(of(&v("0.23.1-rc0")), Some((Label::Rc, 0)));
        assert_eq!(of(&v("0.2.0-a3")), Some((Label::Alpha, 3)));
        assert_eq!(of(&v("0.2.0-preview")), Some((Label::Rc, 0)));
        assert_eq!(of(&v("0.2.0-dev.1")), Some((Label::Dev, 1)));
        assert_eq!(of(&v("0.2.0")), None);
        assert_eq!(of(&v("0.2.0-rc.x")), None);
        assert_eq!(of(&v("0.2.0-gamma.1")), None);
        assert_eq!(with_pre(&v("0.3.0"), Label::Alpha, 1), v("0.3.0-alpha.1"));
        assert_eq!(with_pre(&v("0.3.0"), Label::Dev, 0), v("0.3.0-dev.0"));
    }
}
