//! Versions: SemVer levels, pre-releases, and the PEP 440 mapping (pure).

use std::fmt;

use anyhow::{Result, bail};
use semver::{Prerelease, Version};

use crate::text::train::{self, Label};

/// A SemVer bump level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Major,
    Minor,
    Patch,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Major => "major",
            Level::Minor => "minor",
            Level::Patch => "patch",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the user asked a package's version to become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Level(Level),
    Exact(Version),
    /// The level the commits since the last tag call for; inside a train,
    /// the train's next number.
    Auto,
    /// `alpha`, `beta`, `rc`: the next pre-release of the current train.
    Pre(Label),
    /// `release`: the version a train ends with.
    Graduate,
    /// A level (`None`: auto's) with `--pre LABEL`: the first pre-release
    /// of the version that level makes.
    Start(Option<Level>, Label),
}

impl Target {
    /// `major`, `minor`, `patch`, `auto`, `alpha`, `beta`, `rc`, `release`,
    /// or a SemVer version (a leading `v` is accepted).
    pub fn parse(text: &str) -> Result<Target> {
        Ok(match text {
            "major" => Target::Level(Level::Major),
            "minor" => Target::Level(Level::Minor),
            "patch" => Target::Level(Level::Patch),
            "auto" => Target::Auto,
            "release" => Target::Graduate,
            _ => {
                if let Some(label) = Label::parse(text) {
                    return Ok(Target::Pre(label));
                }
                let bare = text.strip_prefix('v').unwrap_or(text);
                match Version::parse(bare) {
                    Ok(v) => Target::Exact(v),
                    Err(err) => bail!(
                        "`{text}` is neither a level (major, minor, patch, auto, alpha, beta, rc, release) nor a SemVer version such as 1.2.3 or 1.2.3-rc.1: {err}"
                    ),
                }
            }
        })
    }

    /// This target with `--pre LABEL`: a level (or auto) starts a train.
    pub fn with_pre(self, label: Option<Label>) -> Result<Target> {
        let Some(label) = label else { return Ok(self) };
        Ok(match self {
            Target::Level(level) => Target::Start(Some(level), label),
            Target::Auto => Target::Start(None, label),
            other => bail!(
                "--pre {label} starts a train from a level: give major, minor, patch or auto, not {}",
                other.describe()
            ),
        })
    }

    /// The target as the command line spells it, for messages.
    pub fn describe(&self) -> String {
        match self {
            Target::Level(level) => level.to_string(),
            Target::Exact(v) => v.to_string(),
            Target::Auto => "auto".into(),
            Target::Pre(label) => label.to_string(),
            Target::Graduate => "release".into(),
            Target::Start(level, label) => {
                format!("{} --pre {label}", level.map_or("auto", Level::as_str))
            }
        }
    }

    /// The version this target makes of `current`; `suggest` gives the level
    /// the commits call for, asked only when `auto` needs it.
    pub fn resolve(
        &self,
        current: &Version,
        suggest: impl FnOnce() -> Result<Level>,
    ) -> Result<Version> {
        Ok(match self {
            Target::Level(level) => bump(current, *level),
            Target::Exact(v) => v.clone(),
            Target::Auto => match train::of(current) {
                Some((label, _)) => train::advance(current, label)?,
                None => bump(current, suggest()?),
            },
            Target::Pre(label) => train::advance(current, *label)?,
            Target::Graduate => train::graduate(current)?,
            Target::Start(level, label) => {
                let level = match level {
                    Some(level) => *level,
                    None => suggest()?,
                };
                train::with_pre(&bump(current, level), *label, 1)
            }
        })
    }
}

/// The next version at `level`. A pre-release is first released as itself:
/// `1.0.0-rc.1` + patch is `1.0.0`, + minor is `1.0.0` too when the patch is 0.
pub fn bump(current: &Version, level: Level) -> Version {
    let pre = !current.pre.is_empty();
    let (major, minor, patch) = (current.major, current.minor, current.patch);
    let (major, minor, patch) = match level {
        Level::Major if pre && minor == 0 && patch == 0 => (major, 0, 0),
        Level::Major => (major + 1, 0, 0),
        Level::Minor if pre && patch == 0 => (major, minor, 0),
        Level::Minor => (major, minor + 1, 0),
        Level::Patch if pre => (major, minor, patch),
        Level::Patch => (major, minor, patch + 1),
    };
    Version::new(major, minor, patch)
}

/// The PEP 440 form of a SemVer version, for `pyproject.toml`.
///
/// `-alpha.N` → `aN`, `-beta.N` → `bN`, `-rc.N` → `rcN`, `-dev.N` → `.devN`.
/// Anything else has no faithful PEP 440 form and is rejected with the reason.
pub fn to_pep440(version: &Version) -> Result<String> {
    let release = format!("{}.{}.{}", version.major, version.minor, version.patch);
    if !version.build.is_empty() {
        bail!(
            "{version} has build metadata `+{}`, which PEP 440 does not allow in a published version: drop the `+…` part",
            version.build
        );
    }
    if version.pre.is_empty() {
        return Ok(release);
    }
    let parts: Vec<&str> = version.pre.as_str().split('.').collect();
    let (tag, number) = match parts.as_slice() {
        [tag, number] if number.parse::<u64>().is_ok() => (*tag, *number),
        _ => bail!(
            "pre-release `{}` of {version} has no PEP 440 form: use exactly one of alpha.N, beta.N, rc.N or dev.N",
            version.pre
        ),
    };
    let number: u64 = number.parse()?;
    Ok(match tag {
        "alpha" => format!("{release}a{number}"),
        "beta" => format!("{release}b{number}"),
        "rc" => format!("{release}rc{number}"),
        "dev" => format!("{release}.dev{number}"),
        _ => bail!(
            "pre-release `{}` of {version} has no PEP 440 form: use alpha.N, beta.N, rc.N or dev.N",
            version.pre
        ),
    })
}

/// Orders versions as PEP 440 (and so PyPI) does: `dev` releases come
/// before `a`, `b` and `rc`, whereas SemVer sorts pre-release tags by name.
/// Only for versions `to_pep440` accepts.
pub fn pep440_cmp(a: &Version, b: &Version) -> std::cmp::Ordering {
    fn key(v: &Version) -> (u64, u64, u64, u8, u64) {
        let mut parts = v.pre.as_str().split('.');
        let stage = match parts.next() {
            Some("") | None => 4,
            Some("dev") => 0,
            Some("alpha") => 1,
            Some("beta") => 2,
            _ => 3,
        };
        let number = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        (v.major, v.minor, v.patch, stage, number)
    }
    key(a).cmp(&key(b))
}

/// Reads a PEP 440 version back into SemVer, so `1.0.0rc1` compares equal
/// to `1.0.0-rc.1`. Accepts the spellings PEP 440 normalises (`1.0.0-RC1`,
/// `1.0.0.alpha1`, `1.0.0c1`, `1.0`); rejects epochs, post and local versions
/// and release segments of more than three numbers.
pub fn parse_pep440(text: &str) -> Result<Version> {
    let lower = text.trim().to_ascii_lowercase();
    let s = lower.strip_prefix('v').unwrap_or(&lower);
    let release_end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map_or(s.len(), |(i, _)| i);
    let (release, rest) = s.split_at(release_end);
    // A trailing dot belongs to the suffix (`1.0.0.dev3`).
    let (release, rest) = match release.strip_suffix('.') {
        Some(r) if !rest.is_empty() => (r, &s[r.len()..]),
        _ => (release, rest),
    };
    let numbers: Vec<&str> = release.split('.').collect();
    if numbers.is_empty() || numbers.len() > 3 || numbers.iter().any(|n| n.is_empty()) {
        bail!("`{text}` is not a PEP 440 version with one to three release numbers");
    }
    let mut parsed = [0u64; 3];
    for (slot, n) in parsed.iter_mut().zip(&numbers) {
        *slot = n
            .parse()
            .map_err(|_| anyhow::anyhow!("`{text}`: `{n}` is not a number"))?;
    }
    let mut version = Version::new(parsed[0], parsed[1], parsed[2]);
    if rest.is_empty() {
        return Ok(version);
    }
    let rest = rest.trim_start_matches(['.', '-', '_']);
    let letters_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let (tag, number) = rest.split_at(letters_end);
    let number = number.trim_start_matches(['.', '-', '_']);
    let number: u64 = if number.is_empty() {
        0
    } else {
        number.parse().map_err(|_| {
            anyhow::anyhow!("`{text}` is not a PEP 440 version this tool understands (pre-release a, b, rc or dev)")
        })?
    };
    let semver_tag = match tag {
        "a" | "alpha" => "alpha",
        "b" | "beta" => "beta",
        "rc" | "c" | "pre" | "preview" => "rc",
        "dev" => "dev",
        _ => bail!(
            "`{text}` is not a PEP 440 version this tool understands: only a, b, rc and dev suffixes map to SemVer"
        ),
    };
    version.pre = Prerelease::new(&format!("{semver_tag}.{number}"))?;
    Ok(version)
}

/// A version as written in a changelog heading or a tag: SemVer, or else PEP 440.
pub fn parse_any(text: &str) -> Result<Version> {
    let bare = text.strip_prefix('v').unwrap_or(text);
    if let Ok(v) = Version::parse(bare) {
        return Ok(v);
    }
    parse_pep440(bare).map_err(|_| {
        anyhow::anyhow!("`{text}` is neither a SemVer version (1.2.3, 1.2.3-rc.1) nor a PEP 440 version (1.2.3rc1)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn levels_bump_as_semver_says() {
        let cases = [
            ("0.1.0", Level::Patch, "0.1.1"),
            ("0.1.9", Level::Minor, "0.2.0"),
            ("0.9.3", Level::Major, "1.0.0"),
            ("1.2.3", Level::Major, "2.0.0"),
            ("1.0.0-rc.1", Level::Patch, "1.0.0"),
            ("1.0.0-rc.1", Level::Minor, "1.0.0"),
            ("1.0.0-rc.1", Level::Major, "1.0.0"),
            ("1.2.0-beta.2", Level::Major, "2.0.0"),
            ("1.2.3-beta.2", Level::Minor, "1.3.0"),
            ("1.2.3+build.5", Level::Patch, "1.2.4"),
        ];
        for (from, level, to) in cases {
            assert_eq!(bump(&v(from), level), v(to), "{from} + {level}");
        }
    }

    #[test]
    fn targets_parse_levels_and_versions() {
        assert_eq!(Target::parse("minor").unwrap(), Target::Level(Level::Minor));
        assert_eq!(Target::parse("auto").unwrap(), Target::Auto);
        assert_eq!(Target::parse("v1.2.3").unwrap(), Target::Exact(v("1.2.3")));
        assert_eq!(
            Target::parse("2.0.0-rc.1").unwrap(),
            Target::Exact(v("2.0.0-rc.1"))
        );
        assert_eq!(Target::parse("rc").unwrap(), Target::Pre(Label::Rc));
        assert_eq!(Target::parse("release").unwrap(), Target::Graduate);
        let err = Target::parse("huge").unwrap_err().to_string();
        assert!(err.starts_with("`huge` is neither a level"), "{err}");
        assert!(Target::parse("1.2").is_err());
    }

    #[test]
    fn targets_resolve_levels_trains_and_graduation() {
        let no_commits = || anyhow::bail!("no commits call for a release");
        let minor = || Ok(Level::Minor);
        let start = Target::Level(Level::Minor)
            .with_pre(Some(Label::Rc))
            .unwrap();
        let cases = [
            ("0.1.4", start.clone(), "0.2.0-rc.1"),
            ("0.2.0-rc.1", Target::Pre(Label::Rc), "0.2.0-rc.2"),
            ("0.2.0-alpha.3", Target::Pre(Label::Beta), "0.2.0-beta.1"),
            ("0.2.0-rc.2", Target::Graduate, "0.2.0"),
            ("0.2.0-rc.2", Target::Auto, "0.2.0-rc.3"),
            ("0.1.4", Target::Level(Level::Patch), "0.1.5"),
            (
                "0.9.9",
                Target::Start(Some(Level::Major), Label::Alpha),
                "1.0.0-alpha.1",
            ),
        ];
        for (from, target, to) in cases {
            let got = target.resolve(&v(from), no_commits).unwrap();
            assert_eq!(got, v(to), "{from} + {}", target.describe());
        }
        // `auto` outside a train, and `auto --pre`, ask the commits.
        assert_eq!(
            Target::Auto.resolve(&v("0.1.4"), minor).unwrap(),
            v("0.2.0")
        );
        let auto_rc = Target::Auto.with_pre(Some(Label::Rc)).unwrap();
        assert_eq!(
            auto_rc.resolve(&v("0.1.4"), minor).unwrap(),
            v("0.2.0-rc.1")
        );
        assert_eq!(auto_rc.describe(), "auto --pre rc");
        assert!(Target::Auto.resolve(&v("0.1.4"), no_commits).is_err());
        let err = Target::Graduate
            .with_pre(Some(Label::Rc))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "--pre rc starts a train from a level: give major, minor, patch or auto, not release"
        );
        assert_eq!(start.describe(), "minor --pre rc");
    }

    #[test]
    fn pep440_table() {
        let cases = [
            ("1.0.0", "1.0.0"),
            ("1.0.0-alpha.1", "1.0.0a1"),
            ("1.0.0-beta.2", "1.0.0b2"),
            ("1.0.0-rc.1", "1.0.0rc1"),
            ("1.0.0-dev.3", "1.0.0.dev3"),
            ("0.10.20-rc.0", "0.10.20rc0"),
        ];
        for (semver, pep) in cases {
            assert_eq!(to_pep440(&v(semver)).unwrap(), pep, "{semver}");
            assert_eq!(parse_pep440(pep).unwrap(), v(semver), "{pep}");
        }
    }

    #[test]
    fn versions_without_a_pep440_form_are_rejected_with_the_reason() {
        let cases = [
            ("1.0.0+x", "build metadata `+x`"),
            (
                "1.0.0-nightly",
                "pre-release `nightly` of 1.0.0-nightly has no PEP 440 form",
            ),
            (
                "1.0.0-alpha.1.2",
                "pre-release `alpha.1.2` of 1.0.0-alpha.1.2 has no PEP 440 form",
            ),
            (
                "1.0.0-gamma.1",
                "pre-release `gamma.1` of 1.0.0-gamma.1 has no PEP 440 form",
            ),
            ("1.0.0-rc.x", "pre-release `rc.x`"),
        ];
        for (semver, reason) in cases {
            let err = to_pep440(&v(semver)).unwrap_err().to_string();
            assert!(err.contains(reason), "{semver}: {err}");
        }
    }

    #[test]
    fn pep440_order_puts_dev_releases_first() {
        use std::cmp::Ordering::*;
        let cases = [
            ("1.0.0-dev.1", "1.0.0-alpha.1", Less),
            ("1.0.0-beta.1", "1.0.0-dev.9", Greater),
            ("1.0.0-rc.1", "1.0.0", Less),
            ("1.0.0-rc.2", "1.0.0-rc.10", Less),
            ("0.9.9", "1.0.0-dev.0", Less),
            ("1.0.0", "1.0.0", Equal),
        ];
        for (a, b, order) in cases {
            assert_eq!(pep440_cmp(&v(a), &v(b)), order, "{a} vs {b}");
        }
        // SemVer disagrees on the first two, which is why Python packages use this order.
        assert!(v("1.0.0-dev.1") > v("1.0.0-alpha.1"));
    }

    #[test]
    fn pep440_spellings_normalise() {
        let cases = [
            ("1.0", "1.0.0"),
            ("2", "2.0.0"),
            ("1.0.0-RC1", "1.0.0-rc.1"),
            ("1.0.0.alpha1", "1.0.0-alpha.1"),
            ("1.0.0c2", "1.0.0-rc.2"),
            ("1.0.0b", "1.0.0-beta.0"),
            ("1.0.0_dev_4", "1.0.0-dev.4"),
            ("v0.3.1", "0.3.1"),
        ];
        for (pep, semver) in cases {
            assert_eq!(parse_pep440(pep).unwrap(), v(semver), "{pep}");
        }
        for bad in [
            "1!1.0",
            "1.0.0.post1",
            "1.0.0+local",
            "1.2.3.4",
            "",
            "1..2",
            "x",
        ] {
            assert!(parse_pep440(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn parse_any_takes_semver_then_pep440() {
        assert_eq!(parse_any("1.2.3-rc.1").unwrap(), v("1.2.3-rc.1"));
        assert_eq!(parse_any("1.2.3rc1").unwrap(), v("1.2.3-rc.1"));
        assert_eq!(parse_any("v0.6.26").unwrap(), v("0.6.26"));
        assert!(parse_any("banana").is_err());
    }
}
