//! A dependent's version requirement on a workspace crate, judged by cargo's
//! rules (`semver::VersionReq`): drift only when the version does not satisfy
//! it. A release moves it with the crate (`upgrade`, cargo-release's
//! `dependent-version = "upgrade"`), or only when the new version leaves it
//! (`raise`, `dependent-version = "fix"`), keeping its form either way.

use anyhow::{Result, bail};
use semver::{Version, VersionReq};

/// Whether `req` admits `version`; a requirement that does not parse admits nothing.
pub fn satisfies(req: &str, version: &Version) -> bool {
    VersionReq::parse(req.trim()).is_ok_and(|r| r.matches(version))
}

/// The operator a single comparator starts with, and the rest.
fn split_operator(req: &str) -> (&str, &str) {
    for op in [">=", "=", "^", "~"] {
        if let Some(rest) = req.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", req)
}

/// How a release moves a dependent's requirement on a crate it bumps
/// (the configuration's `dependent-version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DependentVersion {
    /// To the new version, at the requirement's own precision and operator:
    /// `"0.1.0"` → `"0.1.1"`, `"0.1"` stays `"0.1"` for 0.1.1.
    #[default]
    Upgrade,
    /// Only when the new version leaves it (`raise`).
    Fix,
}

/// `req` moved for `new` as `mode` says.
pub fn follow(req: &str, new: &Version, mode: DependentVersion) -> Result<String> {
    match mode {
        DependentVersion::Upgrade => upgrade(req, new),
        DependentVersion::Fix => raise(req, new),
    }
}

/// The requirement moved to `new` at its own precision and operator, as
/// the release guide moves the binding's pin with the crate: `"0.1.0"` →
/// `"0.1.1"`, `"~0.1.0"` → `"~0.1.1"`, `"0.1"` stays `"0.1"` for 0.1.1 and
/// becomes `"0.2"` for 0.2.0. A range, wildcard or bound (`>=0.1, <0.3`,
/// `0.*`, `>=0.4`) names no version to move to: kept while it admits `new`,
/// refused when `new` leaves it (`raise`).
pub fn upgrade(req: &str, new: &Version) -> Result<String> {
    let trimmed = req.trim();
    let single = VersionReq::parse(trimmed).is_ok() && !trimmed.contains([',', '*', '<', '>']);
    if !single {
        return raise(req, new);
    }
    Ok(moved(trimmed, new))
}

/// A single-comparator `req` written for `new` at its own precision: in full
/// when the short form would not admit `new` (a pre-release).
fn moved(req: &str, new: &Version) -> String {
    let (op, rest) = split_operator(req);
    let space = &rest[..rest.len() - rest.trim_start().len()];
    let precision = rest
        .trim()
        .split(['-', '+'])
        .next()
        .map_or(3, |core| core.split('.').count());
    let short = match precision {
        1 => new.major.to_string(),
        2 => format!("{}.{}", new.major, new.minor),
        _ => new.to_string(),
    };
    let candidate = format!("{op}{space}{short}");
    if satisfies(&candidate, new) {
        return candidate;
    }
    format!("{op}{space}{new}")
}

/// `req` when it admits `new`; otherwise the same requirement moved to `new`,
/// written as precisely as it was: `"1"` → `"2"`, `"0.2"` → `"0.3"`,
/// `"^0.4.0"` → `"^0.5.0"`, `"=1.2.3"` → `"=1.2.4"` (a pre-release is
/// written in full). A range, a wildcard or an upper bound that `new`
/// leaves is refused: there is no single version to move.
pub fn raise(req: &str, new: &Version) -> Result<String> {
    if satisfies(req, new) {
        return Ok(req.to_string());
    }
    let trimmed = req.trim();
    let lower_bound = trimmed.starts_with(">=") || !trimmed.contains('>');
    let single =
        VersionReq::parse(trimmed).is_ok() && lower_bound && !trimmed.contains([',', '*', '<']);
    if !single {
        bail!(
            "cannot rewrite the requirement `{req}`: {new} is outside it and it has no single version to move: widen it by hand to admit {new}, or write a single version such as \"{new}\""
        );
    }
    Ok(moved(trimmed, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn requirements_the_version_satisfies() {
        for (req, version) in [
            ("1", "1.0.0"),
            ("1", "1.9.3"),
            ("^0.1", "0.1.0"),
            (">=0.1, <0.3", "0.1.0"),
            ("0.4.0", "0.4.7"),
            ("=0.4.0", "0.4.0"),
            ("~1.2", "1.2.9"),
            ("*", "3.0.0"),
            ("0.9.0-beta.4", "0.9.0-beta.5"),
        ] {
            assert!(satisfies(req, &v(version)), "{req} at {version}");
        }
        for (req, version) in [
            ("1", "2.0.0"),
            ("0.1", "0.2.0"),
            (">=0.1, <0.3", "0.3.0"),
            ("=0.4.0", "0.4.1"),
            ("1", "1.0.0-rc.1"),
            ("not a requirement", "1.0.0"),
        ] {
            assert!(!satisfies(req, &v(version)), "{req} at {version}");
        }
    }

    #[test]
    fn a_satisfied_requirement_is_left_alone() {
        for (req, new) in [
            ("1", "1.0.1"),
            ("^0.1", "0.1.5"),
            (">=0.1, <0.3", "0.2.0"),
            (">=0.4", "9.0.0"),
        ] {
            assert_eq!(raise(req, &v(new)).unwrap(), req, "{req} at {new}");
        }
    }

    #[test]
    fn a_left_requirement_moves_keeping_its_form() {
        for (req, new, raised) in [
            ("1", "2.0.0", "2"),
            ("0.2", "0.3.0", "0.3"),
            ("^0.4", "0.5.0", "^0.5"),
            ("^ 0.4.0", "0.5.0", "^ 0.5.0"),
            ("~0.4.0", "0.5.0", "~0.5.0"),
            ("=1.2.3", "1.2.4", "=1.2.4"),
            ("= 0.4.0", "0.5.0", "= 0.5.0"),
            ("=1.2", "1.3.0", "=1.3"),
            ("0.4.0", "0.5.0", "0.5.0"),
            ("0.4.0-rc.1", "0.5.0", "0.5.0"),
            ("1", "1.0.0-rc.1", "1.0.0-rc.1"),
            ("=0.9.0-beta.4", "0.9.0-beta.5", "=0.9.0-beta.5"),
        ] {
            assert_eq!(raise(req, &v(new)).unwrap(), raised, "{req} at {new}");
        }
    }

    #[test]
    fn upgrade_moves_every_single_requirement_with_the_crate() {
        // The table of issue 28: 0.1.0 -> 0.1.1 and 0.1.0 -> 0.2.0.
        for (req, patch, minor) in [
            ("0.1.0", "0.1.1", "0.2.0"),
            ("=0.1.0", "=0.1.1", "=0.2.0"),
            ("^0.1.0", "^0.1.1", "^0.2.0"),
            ("~0.1.0", "~0.1.1", "~0.2.0"),
            ("0.1", "0.1", "0.2"),
            ("^0.1", "^0.1", "^0.2"),
            ("= 0.1.0", "= 0.1.1", "= 0.2.0"),
        ] {
            assert_eq!(upgrade(req, &v("0.1.1")).unwrap(), patch, "{req} at 0.1.1");
            assert_eq!(upgrade(req, &v("0.2.0")).unwrap(), minor, "{req} at 0.2.0");
        }
        assert_eq!(upgrade("1", &v("1.0.1")).unwrap(), "1");
        assert_eq!(upgrade("1", &v("2.0.0")).unwrap(), "2");
        // A pre-release is written in full where the short form leaves it.
        assert_eq!(upgrade("0.1", &v("0.2.0-rc.1")).unwrap(), "0.2.0-rc.1");
        assert_eq!(upgrade("0.2.0-rc.1", &v("0.2.0")).unwrap(), "0.2.0");
        assert_eq!(
            upgrade("=0.9.0-beta.4", &v("0.9.0-beta.5")).unwrap(),
            "=0.9.0-beta.5"
        );
    }

    #[test]
    fn upgrade_keeps_a_range_while_it_holds() {
        for (req, new) in [
            (">=0.1, <0.3", "0.2.0"),
            (">=0.4", "9.0.0"),
            ("0.*", "0.5.0"),
        ] {
            assert_eq!(upgrade(req, &v(new)).unwrap(), req, "{req} at {new}");
        }
        let err = upgrade(">=0.1, <0.3", &v("0.3.0")).unwrap_err().to_string();
        assert!(
            err.starts_with("cannot rewrite the requirement `>=0.1, <0.3`: 0.3.0 is outside it"),
            "{err}"
        );
    }

    #[test]
    fn follow_picks_the_configured_rule() {
        assert_eq!(
            follow("0.1.0", &v("0.1.1"), DependentVersion::Upgrade).unwrap(),
            "0.1.1"
        );
        assert_eq!(
            follow("0.1.0", &v("0.1.1"), DependentVersion::Fix).unwrap(),
            "0.1.0"
        );
        assert_eq!(
            follow("0.1.0", &v("0.2.0"), DependentVersion::Fix).unwrap(),
            "0.2.0"
        );
    }

    #[test]
    fn a_range_the_version_leaves_is_refused() {
        for req in [">=0.1, <0.3", "<0.3", "0.2.*", "not a version", ""] {
            let err = raise(req, &v("0.3.0")).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!(
                    "cannot rewrite the requirement `{req}`: 0.3.0 is outside it"
                )),
                "{req}: {err}"
            );
        }
    }
}
