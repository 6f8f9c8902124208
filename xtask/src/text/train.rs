//! Pre-release trains: `alpha` → `beta` → `rc` → the release, in SemVer's
//! spelling (`0.2.0-rc.1`; `to_pep440` gives PyPI's `0.2.0rc1`). Pure.

use std::fmt;

use anyhow::{Result, bail};
use semver::{Prerelease, Version};

/// A train's label, in the order a train runs through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Alpha,
    Beta,
    Rc,
}

impl Label {
    pub const NAMES: [&'static str; 3] = ["alpha", "beta", "rc"];

    pub fn parse(text: &str) -> Option<Label> {
        match text {
            "alpha" => Some(Label::Alpha),
            "beta" => Some(Label::Beta),
            "rc" => Some(Label::Rc),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        Label::NAMES[self as usize]
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The train `version` is on: its label and number (`0.2.0-rc.2` → rc, 2).
pub fn of(version: &Version) -> Option<(Label, u64)> {
    let (label, number) = version.pre.as_str().split_once('.')?;
    Some((Label::parse(label)?, number.parse().ok()?))
}

/// `version` with the pre-release `label.number`.
pub fn with_pre(version: &Version, label: Label, number: u64) -> Version {
    let mut out = Version::new(version.major, version.minor, version.patch);
    out.pre =
        Prerelease::new(&format!("{label}.{number}")).expect("label.number is a valid pre-release");
    out
}

/// The next pre-release `label` asks for from `current`: the next number of
/// the same label, or the first of a later label. Going back, or asking
/// outside a train, is refused with the way forward.
pub fn advance(current: &Version, label: Label) -> Result<Version> {
    let Some((now, number)) = of(current) else {
        bail!(
            "{current} is not on a pre-release train: start one with a level and --pre {label} (e.g. --rust minor --pre {label})"
        );
    };
    if label < now {
        bail!(
            "{current} is past {label}: a train runs alpha, beta, rc, then the release, never back; ask for {now} (the next {now}), a later label, or release"
        );
    }
    Ok(match label == now {
        true => with_pre(current, label, number + 1),
        false => with_pre(current, label, 1),
    })
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
        ];
        for (from, label, to) in cases {
            assert_eq!(advance(&v(from), label).unwrap(), v(to), "{from} + {label}");
        }
    }

    #[test]
    fn a_train_never_runs_back_and_needs_starting() {
        let err = advance(&v("0.2.0-rc.1"), Label::Beta)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "0.2.0-rc.1 is past beta: a train runs alpha, beta, rc, then the release, never back; ask for rc (the next rc), a later label, or release"
        );
        let err = advance(&v("0.2.0"), Label::Rc).unwrap_err().to_string();
        assert_eq!(
            err,
            "0.2.0 is not on a pre-release train: start one with a level and --pre rc (e.g. --rust minor --pre rc)"
        );
        // A pre-release of another kind is no train.
        assert!(advance(&v("0.2.0-dev.1"), Label::Rc).is_err());
        assert!(advance(&v("0.2.0-rc"), Label::Rc).is_err());
    }

    #[test]
    fn graduation_drops_the_label() {
        assert_eq!(graduate(&v("0.2.0-rc.2")).unwrap(), v("0.2.0"));
        assert_eq!(graduate(&v("1.0.0-alpha.1")).unwrap(), v("1.0.0"));
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
        assert_eq!(of(&v("0.2.0")), None);
        assert_eq!(of(&v("0.2.0-rc.x")), None);
        assert_eq!(with_pre(&v("0.3.0"), Label::Alpha, 1), v("0.3.0-alpha.1"));
    }
}
