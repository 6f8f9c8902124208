//! Release branches: a branch named for a version line (`release-0.7.0`,
//! `release/1.2`, `v1.2.x`, `1.2-maintenance`, local or a remote's) that
//! holds a tag of a package's series on that line, and the glob `branches`
//! takes for it (`release-*`). Pure: the branches and the tags each holds
//! are git's, given by the command.

use semver::Version;

/// A branch and the tags it holds (`git tag --merged`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// Its short name: `release-0.7.0` for `refs/remotes/origin/release-0.7.0`.
    pub name: String,
    pub tags: Vec<String>,
}

/// The words a release branch's name may hold besides its version.
const WORDS: [&str; 9] = [
    "release",
    "releases",
    "rel",
    "stable",
    "maintenance",
    "maint",
    "support",
    "lts",
    "hotfix",
];

/// `major`, `minor`, and `patch` when a branch's name gives one.
pub type Numbers = (u64, u64, Option<u64>);

/// A branch named for a version line: the line's numbers (`major`,
/// `minor`, and `patch` when it names one) and the glob for branches
/// named like it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub numbers: Numbers,
    pub glob: String,
}

impl Line {
    /// Whether `version` is on this line.
    pub fn holds(&self, version: &Version) -> bool {
        let (major, minor, patch) = self.numbers;
        version.major == major && version.minor == minor && patch.is_none_or(|p| version.patch == p)
    }
}

/// The short name of a branch's full name: `refs/heads/NAME`, or
/// `refs/remotes/REMOTE/NAME` (a remote's name holds no `/`).
pub fn short(reference: &str) -> Option<&str> {
    if let Some(name) = reference.strip_prefix("refs/heads/") {
        return Some(name);
    }
    let rest = reference.strip_prefix("refs/remotes/")?;
    rest.split_once('/').map(|(_, name)| name)
}

/// The version line a branch is named for, if its name is a version
/// (`v1.2.x`, `0.7`) and words of `WORDS`, joined by `-`, `/` or `_`.
pub fn line(name: &str) -> Option<Line> {
    let tokens: Vec<&str> = name.split(['-', '/', '_']).collect();
    let mut found: Option<(usize, Numbers)> = None;
    for (i, token) in tokens.iter().enumerate() {
        if let Some(numbers) = version_token(token) {
            if found.is_some() {
                return None;
            }
            found = Some((i, numbers));
        } else if !WORDS.contains(&token.to_ascii_lowercase().as_str()) {
            return None;
        }
    }
    let (at, numbers) = found?;
    let token = tokens[at];
    let glob_token = match tokens.len() {
        // A name that is only a version keeps its shape: `v*.*.x`.
        1 => shape(token),
        _ => "*".to_string(),
    };
    // The token's place in the name, its separators kept.
    let start: usize = tokens[..at].iter().map(|t| t.len() + 1).sum();
    let glob = format!(
        "{}{glob_token}{}",
        &name[..start],
        &name[start + token.len()..]
    );
    Some(Line { numbers, glob })
}

/// `v1.2`, `1.2.3`, `v1.2.x`: the numbers of a version token.
fn version_token(token: &str) -> Option<Numbers> {
    let bare = token.strip_prefix(['v', 'V']).unwrap_or(token);
    let parts: Vec<&str> = bare.split('.').collect();
    let number = |p: &str| {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [major, minor] => Some((number(major)?, number(minor)?, None)),
        [major, minor, "x" | "X"] => Some((number(major)?, number(minor)?, None)),
        [major, minor, patch] => Some((number(major)?, number(minor)?, Some(number(patch)?))),
        _ => None,
    }
}

/// A version token with each run of digits made `*`: `v1.2.x` → `v*.*.x`.
fn shape(token: &str) -> String {
    let mut out = String::new();
    for c in token.chars() {
        match c.is_ascii_digit() {
            true if out.ends_with('*') => {}
            true => out.push('*'),
            false => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_named_for_a_version_line_and_their_globs() {
        for (name, numbers, glob) in [
            ("release-0.7.0", (0, 7, Some(0)), "release-*"),
            ("release/1.2", (1, 2, None), "release/*"),
            ("v1.2.x", (1, 2, None), "v*.*.x"),
            ("1.2-maintenance", (1, 2, None), "*-maintenance"),
            ("stable/v2.0", (2, 0, None), "stable/*"),
            ("Release_3.1.4", (3, 1, Some(4)), "Release_*"),
            ("0.7", (0, 7, None), "*.*"),
        ] {
            let found = line(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(found.numbers, numbers, "{name}");
            assert_eq!(found.glob, glob, "{name}");
        }
        for name in [
            "main",
            "feature/upgrade-1.2",
            "release",
            "release-next",
            "release-1.2-1.3",
            "v1",
            "1.2.3.4",
            "release-1.2.y",
        ] {
            assert_eq!(line(name), None, "{name}");
        }
        let patchless = line("release/1.2").unwrap();
        assert!(patchless.holds(&Version::parse("1.2.7-rc.1").unwrap()));
        assert!(!patchless.holds(&Version::parse("1.3.0").unwrap()));
        let exact = line("release-0.7.0").unwrap();
        assert!(!exact.holds(&Version::parse("0.7.1").unwrap()));
    }

    #[test]
    fn short_names_of_local_and_remote_branches() {
        assert_eq!(short("refs/heads/release/1.2"), Some("release/1.2"));
        assert_eq!(
            short("refs/remotes/origin/release-0.7.0"),
            Some("release-0.7.0")
        );
        assert_eq!(short("refs/tags/v1.0.0"), None);
    }
}
