//! Versions: SemVer levels, pre-releases, and the PEP 440 mapping (pure).

use std::cmp::Ordering;
use std::fmt;

use anyhow::{Result, bail};
use semver::{Prerelease, Version};

use crate::text::pep440::{self, Pep440};
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
    /// `dev`, `alpha`, `beta`, `rc`: the next pre-release of the current train.
    Pre(Label),
    /// `release`: the version a train ends with.
    Graduate,
    /// A level (`None`: auto's) with `--pre LABEL`: the first pre-release
    /// of the version that level makes.
    Start(Option<Level>, Label),
}

impl Target {
    /// `major`, `minor`, `patch`, `auto`, `dev`, `alpha`, `beta`, `rc`,
    /// `release`, or a SemVer version (a leading `v` is accepted).
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
                        "`{text}` is neither a level (major, minor, patch, auto, dev, alpha, beta, rc, release) nor a SemVer version such as 1.2.3 or 1.2.3-rc.1: {err}"
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

    /// The version this target makes of `current`; a new train or label
    /// starts at `start` (`pre-start`); `suggest` gives the level the
    /// commits call for, asked only when `auto` needs it.
    pub fn resolve(
        &self,
        current: &Version,
        start: u64,
        suggest: impl FnOnce() -> Result<Level>,
    ) -> Result<Version> {
        Ok(match self {
            Target::Level(level) => bump(current, *level),
            Target::Exact(v) => v.clone(),
            Target::Auto => match train::of(current) {
                Some((label, _)) => train::advance(current, label, start)?,
                None => bump(current, suggest()?),
            },
            Target::Pre(label) => train::advance(current, *label, start)?,
            Target::Graduate => train::graduate(current)?,
            Target::Start(level, label) => {
                let level = match level {
                    Some(level) => *level,
                    None => suggest()?,
                };
                train::with_pre(&bump(current, level), *label, start)
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

/// The PEP 440 version maturin publishes for a crate at `version`: Cargo's
/// version text read with PEP 440's normalization (`0.23.1-rc0` and
/// `0.23.1-rc.0` → `0.23.1rc0`, `-alpha1` → `a1`, `-dev.0` → `.dev0`,
/// `-pre` → `rc0`, `-post.1` → `.post1`). What the normalization refuses is
/// refused with its reason, and so is build metadata, which PEP 440 reads as
/// a local version and PyPI does not accept.
pub fn pep440_of(version: &Version) -> Result<Pep440> {
    let text = version.to_string();
    let read = match pep440::parse(&text) {
        Ok(read) => read,
        Err(err) if !version.pre.is_empty() => bail!(
            "pre-release `{}` of {version} has no PEP 440 form: {}; use a, b, rc or dev with a number, e.g. rc.1, rc1, alpha.2, dev.0",
            version.pre,
            err.why
        ),
        Err(err) => bail!("{version} has no PEP 440 form: {}", err.why),
    };
    if read.local.is_some() {
        bail!(
            "{version} has build metadata `+{}`, which PEP 440 does not allow in a published version: it reads {read} as a local version, which PyPI refuses; drop the `+…` part",
            version.build
        );
    }
    Ok(read)
}

/// The PEP 440 normal form of `version`, for `pyproject.toml` and tags
/// (see `pep440_of`).
pub fn to_pep440(version: &Version) -> Result<String> {
    Ok(pep440_of(version)?.to_string())
}

/// Whether the PEP 440 text `text` (a `pyproject.toml` version) is the
/// version maturin makes of `version`, whatever the spelling of either.
pub fn pep440_matches(text: &str, version: &Version) -> bool {
    match (pep440::parse(text), pep440_of(version)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Orders versions as PEP 440 (and so PyPI) does: `dev` releases come
/// before `a`, `b` and `rc`, `rc9` before `rc10`, whereas SemVer sorts
/// pre-release tags by name. Versions without a PEP 440 form fall back
/// to `order`.
pub fn pep440_cmp(a: &Version, b: &Version) -> Ordering {
    match (pep440_of(a), pep440_of(b)) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => order(a, b),
    }
}

/// The spelling of `version` this tool compares by: the pre-release of its
/// PEP 440 form written `label.N` (`0.23.1-rc0`, `0.23.1-RC.0` and
/// `0.23.1-c0` are all `0.23.1-rc.0`; `-a1` is `-alpha.1`, `-dev` is
/// `-dev.0`). A version without a PEP 440 form is its own.
pub fn canonical(version: &Version) -> Version {
    // Most versions have no pre-release: nothing to read.
    if version.pre.is_empty() || !version.build.is_empty() {
        return version.clone();
    }
    pep440::parse(&version.to_string())
        .ok()
        .and_then(|read| semver_of(&read).ok())
        .unwrap_or_else(|| version.clone())
}

/// Whether two versions are one, whatever their pre-release spelling
/// (`0.23.1-rc0` and a tag's `0.23.1rc0`).
pub fn same(a: &Version, b: &Version) -> bool {
    a == b || canonical(a) == canonical(b)
}

/// SemVer's order on the `canonical` spellings, so a train's numbers
/// compare as numbers in any spelling (`rc9` before `rc10`).
pub fn order(a: &Version, b: &Version) -> Ordering {
    match a.pre.is_empty() && b.pre.is_empty() {
        true => a.cmp(b),
        false => canonical(a).cmp(&canonical(b)),
    }
}

/// Reads a PEP 440 version back into SemVer, in the `canonical` spelling:
/// `1.0.0rc1`, `1.0.0-RC1` and `1.0.0c1` give `1.0.0-rc.1`, `1.0` gives
/// `1.0.0`, `1.0.0.post1` gives `1.0.0-post.1` (whose PEP 440 form it is).
/// Refuses epochs, local versions and more than three release numbers.
pub fn parse_pep440(text: &str) -> Result<Version> {
    semver_of(&pep440::parse(text)?).map_err(|why| anyhow::anyhow!("`{text}` {why}"))
}

/// The SemVer version whose PEP 440 form `read` is, spelled `label.N`.
fn semver_of(read: &Pep440) -> std::result::Result<Version, String> {
    if read.epoch != 0 {
        return Err(format!(
            "has the epoch `{}!`, which SemVer cannot say",
            read.epoch
        ));
    }
    if read.local.is_some() {
        return Err("has a local version (`+…`), which no release has".into());
    }
    let [major, minor, patch] = match read.release[..] {
        [major] => [major, 0, 0],
        [major, minor] => [major, minor, 0],
        [major, minor, patch] => [major, minor, patch],
        _ => return Err("has more than three release numbers, which SemVer cannot say".into()),
    };
    let mut parts = Vec::new();
    if let Some((stage, n)) = read.pre {
        let label = ["alpha", "beta", "rc"][stage as usize];
        parts.push(format!("{label}.{n}"));
    }
    parts.extend(read.post.map(|n| format!("post.{n}")));
    parts.extend(read.dev.map(|n| format!("dev.{n}")));
    let mut version = Version::new(major, minor, patch);
    if !parts.is_empty() {
        version.pre = Prerelease::new(&parts.join(".")).map_err(|e| e.to_string())?;
    }
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
            let got = target.resolve(&v(from), 1, no_commits).unwrap();
            assert_eq!(got, v(to), "{from} + {}", target.describe());
        }
        // `auto` outside a train, and `auto --pre`, ask the commits.
        assert_eq!(
            Target::Auto.resolve(&v("0.1.4"), 1, minor).unwrap(),
            v("0.2.0")
        );
        let auto_rc = Target::Auto.with_pre(Some(Label::Rc)).unwrap();
        assert_eq!(
            auto_rc.resolve(&v("0.1.4"), 1, minor).unwrap(),
            v("0.2.0-rc.1")
        );
        assert_eq!(auto_rc.describe(), "auto --pre rc");
        assert!(Target::Auto.resolve(&v("0.1.4"), 1, no_commits).is_err());
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
    fn trains_start_at_pre_start_and_dev_trains_exist() {
        let no_commits = || anyhow::bail!("no commits call for a release");
        let cases = [
            (
                "0.7.2",
                Target::Start(Some(Level::Minor), Label::Rc),
                0,
                "0.8.0-rc.0",
            ),
            (
                "0.7.2",
                Target::Start(Some(Level::Minor), Label::Dev),
                1,
                "0.8.0-dev.1",
            ),
            (
                "0.7.2",
                Target::Start(Some(Level::Minor), Label::Dev),
                0,
                "0.8.0-dev.0",
            ),
            ("0.8.0-dev.0", Target::Pre(Label::Dev), 0, "0.8.0-dev.1"),
            ("0.8.0-dev.3", Target::Pre(Label::Rc), 0, "0.8.0-rc.0"),
            ("0.23.1-rc0", Target::Auto, 0, "0.23.1-rc1"),
            ("0.23.1-rc0", Target::Graduate, 0, "0.23.1"),
        ];
        for (from, target, start, to) in cases {
            let got = target.resolve(&v(from), start, no_commits).unwrap();
            assert_eq!(got, v(to), "{from} + {} from {start}", target.describe());
        }
        assert_eq!(Target::parse("dev").unwrap(), Target::Pre(Label::Dev));
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
            ("1.0.0-post.1", "1.0.0.post1"),
            ("1.0.0-rc.1.dev.2", "1.0.0rc1.dev2"),
        ];
        for (semver, pep) in cases {
            assert_eq!(to_pep440(&v(semver)).unwrap(), pep, "{semver}");
            assert_eq!(parse_pep440(pep).unwrap(), v(semver), "{pep}");
        }
    }

    #[test]
    fn every_spelling_maturin_reads_has_its_pep440_form() {
        let cases = [
            ("0.23.1-rc0", "0.23.1rc0"),
            ("0.23.1-RC.0", "0.23.1rc0"),
            ("1.0.0-alpha1", "1.0.0a1"),
            ("1.0.0-a1", "1.0.0a1"),
            ("1.0.0-b2", "1.0.0b2"),
            ("1.0.0-c1", "1.0.0rc1"),
            ("1.0.0-pre", "1.0.0rc0"),
            ("1.0.0-preview.2", "1.0.0rc2"),
            ("1.0.0-dev0", "1.0.0.dev0"),
            ("1.0.0-dev", "1.0.0.dev0"),
            ("1.0.0-post1", "1.0.0.post1"),
            ("1.0.0-r1", "1.0.0.post1"),
            ("1.0.0-1", "1.0.0.post1"),
        ];
        for (semver, pep) in cases {
            assert_eq!(to_pep440(&v(semver)).unwrap(), pep, "{semver}");
            assert!(pep440_matches(pep, &v(semver)), "{semver} is {pep}");
        }
        assert!(pep440_matches("0.23.1-RC0", &v("0.23.1-rc.0")));
        assert!(!pep440_matches("0.23.1rc1", &v("0.23.1-rc0")));
        assert!(!pep440_matches("zero", &v("0.23.1-rc0")));
    }

    #[test]
    fn versions_without_a_pep440_form_are_rejected_with_the_reason() {
        let cases = [
            (
                "1.0.0+x",
                "1.0.0+x has build metadata `+x`, which PEP 440 does not allow in a published version: it reads 1.0.0+x as a local version, which PyPI refuses; drop the `+…` part",
            ),
            (
                "1.0.0-nightly",
                "pre-release `nightly` of 1.0.0-nightly has no PEP 440 form: after `1.0.0`, `-nightly` is none of a pre-release (a, b, rc, also spelled alpha, beta, c, pre, preview), a post-release (.postN, -N, rN, revN) or a dev release (.devN); use a, b, rc or dev with a number, e.g. rc.1, rc1, alpha.2, dev.0",
            ),
            (
                "1.0.0-alpha.1.2",
                "pre-release `alpha.1.2` of 1.0.0-alpha.1.2 has no PEP 440 form: after `1.0.0-alpha.1`, `.2` is none of",
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
            ("0.23.1-rc9", "0.23.1-rc10", Less),
            ("0.23.1-rc0", "0.23.1-rc.0", Equal),
            ("1.0.0-post1", "1.0.0", Greater),
        ];
        for (a, b, order) in cases {
            assert_eq!(pep440_cmp(&v(a), &v(b)), order, "{a} vs {b}");
        }
        // SemVer disagrees on the first two, which is why Python packages use this order.
        assert!(v("1.0.0-dev.1") > v("1.0.0-alpha.1"));
    }

    #[test]
    fn spellings_are_one_version() {
        assert_eq!(canonical(&v("0.23.1-rc0")), v("0.23.1-rc.0"));
        assert_eq!(canonical(&v("1.0.0-a1")), v("1.0.0-alpha.1"));
        assert_eq!(canonical(&v("1.0.0-pre")), v("1.0.0-rc.0"));
        assert_eq!(canonical(&v("1.0.0-nightly")), v("1.0.0-nightly"));
        assert_eq!(canonical(&v("1.0.0+b")), v("1.0.0+b"));
        assert!(same(&v("0.23.1-rc0"), &parse_pep440("0.23.1rc0").unwrap()));
        assert!(!same(&v("0.23.1-rc0"), &v("0.23.1-rc1")));
        // A train's numbers compare as numbers in any spelling.
        assert_eq!(
            order(&v("0.23.1-rc9"), &v("0.23.1-rc10")),
            std::cmp::Ordering::Less
        );
        assert!(
            v("0.23.1-rc9") > v("0.23.1-rc10"),
            "SemVer compares them as words"
        );
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
            ("0.23.1rc0", "0.23.1-rc.0"),
            ("1.0.0.post1", "1.0.0-post.1"),
        ];
        for (pep, semver) in cases {
            assert_eq!(parse_pep440(pep).unwrap(), v(semver), "{pep}");
        }
        for (bad, why) in [
            (
                "1!1.0",
                "`1!1.0` has the epoch `1!`, which SemVer cannot say",
            ),
            ("1.0.0+local", "has a local version"),
            ("1.2.3.4", "has more than three release numbers"),
            ("", "is not a PEP 440 version"),
            ("1..2", "is not a PEP 440 version"),
            ("x", "is not a PEP 440 version"),
        ] {
            let err = parse_pep440(bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
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
