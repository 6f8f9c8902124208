//! `next-dev`, for a package whose manifest is at a development version
//! (`0.8.0-dev.0`): set when the history shows the main line moved to the
//! next version's `-dev.0` right after its releases — the first commit on
//! the main line after each release left it (or was made on it) holds the
//! development version — else commented out, a suggestion. `minor` or
//! `patch` as those moves went. The moves are git's, read by the command
//! for the releases an `Ask` names. Pure.

use semver::Version;

use super::{Ask, Key};
use crate::text::toml;
use crate::text::train::is_dev;
use crate::text::version::Level;

/// How many releases are looked at.
pub const RELEASES: usize = 3;

/// What the main line did right after one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub tag: String,
    pub released: Version,
    /// The main line's first commit after the release (short), and the
    /// version its `file` holds; `None` when it has none (the release is
    /// its tip, or shares no history with it).
    pub next: Option<(String, Option<Version>)>,
}

/// The version a manifest text holds: `[package] version`, else
/// `[workspace.package] version`.
pub fn version_in(path: &str, text: &str) -> Option<Version> {
    let doc = toml::parse(path, text).ok()?;
    let keyed = |keys: &[&str]| toml::get_str(path, text, &doc, keys).ok().flatten();
    let found =
        keyed(&["package", "version"]).or_else(|| keyed(&["workspace", "package", "version"]))?;
    Version::parse(&found.value).ok()
}

/// The level a move from `released` to the development version `next`
/// takes, when `next-dev` makes such moves: `0.7.0` → `0.8.0-dev.0` minor,
/// → `0.7.1-dev.0` patch.
fn level(released: &Version, next: &Version) -> Option<Level> {
    let same_major = next.major == released.major;
    match () {
        _ if !is_dev(next) || !same_major => None,
        _ if next.minor == released.minor + 1 && next.patch == 0 => Some(Level::Minor),
        _ if next.minor == released.minor && next.patch == released.patch + 1 => Some(Level::Patch),
        _ => None,
    }
}

/// The `next-dev` key of `ask`, given what the main line did after its
/// releases: set when every one of them was followed by a move of one
/// level; else commented out, with the level its version suggests.
pub fn key(ask: &Ask, afters: &[After]) -> Key {
    let suggested = ask
        .releases
        .first()
        .and_then(|(_, r)| level(r, &ask.version))
        .unwrap_or(Level::Minor);
    let moved: Vec<Option<Level>> = afters
        .iter()
        .map(|a| {
            a.next
                .as_ref()?
                .1
                .as_ref()
                .and_then(|v| level(&a.released, v))
        })
        .collect();
    let shown = !moved.is_empty() && moved.iter().all(|m| *m == Some(suggested));
    let value = format!("\"{}\"", suggested.as_str());
    let facts: Vec<String> = afters.iter().map(said).collect();
    let at = format!("{} is at {}, a development version", ask.name, ask.version);
    if shown {
        let why = format!(
            "{at}, and the main line moved to the next {}'s -dev.0 right after each release ({}): a release on it ends with that move, a second commit",
            suggested.as_str(),
            facts.join("; ")
        );
        return Key::new("next-dev", value, why);
    }
    let history = match facts.is_empty() {
        true => "no release to read the main line's moves from".to_string(),
        false => facts.join("; "),
    };
    let why = format!(
        "{at}; the main line did not move to one right after each release ({history}): uncomment to have a release on it followed by a commit to the next version's -dev.0"
    );
    let mut key = Key::new("next-dev", value, why);
    key.off = true;
    key
}

/// What followed one release on the main line, for the comment.
fn said(a: &After) -> String {
    match &a.next {
        Some((sha, Some(v))) => format!("{} after {}, at {sha}", v, a.tag),
        Some((sha, None)) => format!("no version after {}, at {sha}", a.tag),
        None => format!("no commit after {}", a.tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    fn ask() -> Ask {
        Ask {
            name: "safebind".into(),
            version: v("0.8.0-dev.0"),
            file: "core/Cargo.toml".into(),
            releases: vec![("v0.7.0".into(), v("0.7.0")), ("v0.6.0".into(), v("0.6.0"))],
        }
    }

    fn after(tag: &str, released: &str, next: Option<&str>) -> After {
        After {
            tag: tag.into(),
            released: v(released),
            next: Some(("1a2b3c4".into(), next.map(v))),
        }
    }

    #[test]
    fn set_when_every_release_was_followed_by_a_move_of_one_level() {
        let afters = [
            after("v0.7.0", "0.7.0", Some("0.8.0-dev.0")),
            after("v0.6.0", "0.6.0", Some("0.7.0-dev0")),
        ];
        let found = key(&ask(), &afters);
        assert_eq!((found.value.as_str(), found.off), ("\"minor\"", false));
        assert_eq!(
            found.why.as_deref(),
            Some(
                "safebind is at 0.8.0-dev.0, a development version, and the main line moved to the next minor's -dev.0 right after each release (0.8.0-dev.0 after v0.7.0, at 1a2b3c4; 0.7.0-dev0 after v0.6.0, at 1a2b3c4): a release on it ends with that move, a second commit"
            )
        );
        let mut patch = ask();
        patch.version = v("0.7.1-dev.0");
        let afters = [after("v0.7.0", "0.7.0", Some("0.7.1-dev.0"))];
        let found = key(&patch, &afters);
        assert_eq!((found.value.as_str(), found.off), ("\"patch\"", false));
    }

    #[test]
    fn commented_out_when_the_history_does_not_show_it() {
        for afters in [
            vec![
                after("v0.7.0", "0.7.0", Some("0.8.0-dev.0")),
                after("v0.6.0", "0.6.0", Some("0.6.1")),
            ],
            vec![after("v0.7.0", "0.7.0", Some("0.7.1-dev.0"))],
            vec![after("v0.7.0", "0.7.0", None)],
            vec![],
        ] {
            let found = key(&ask(), &afters);
            assert_eq!(
                (found.value.as_str(), found.off),
                ("\"minor\"", true),
                "{afters:?}"
            );
            assert!(found.why.unwrap().ends_with(": uncomment to have a release on it followed by a commit to the next version's -dev.0"));
        }
        let found = key(&ask(), &[]);
        assert!(
            found
                .why
                .unwrap()
                .contains("(no release to read the main line's moves from)")
        );
    }

    #[test]
    fn the_version_a_manifest_or_a_root_workspace_holds() {
        let own = "[package]\nname = \"a\"\nversion = \"0.8.0-dev.0\"\n";
        assert_eq!(version_in("a/Cargo.toml", own), Some(v("0.8.0-dev.0")));
        let root =
            "[workspace]\nmembers = [\"a\"]\n\n[workspace.package]\nversion = \"1.1.0-dev0\"\n";
        assert_eq!(version_in("Cargo.toml", root), Some(v("1.1.0-dev0")));
        assert_eq!(version_in("Cargo.toml", "[package\n"), None);
        assert_eq!(version_in("Cargo.toml", ""), None);
    }
}
