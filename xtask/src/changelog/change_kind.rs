//! What a change is for a package (pure): the word a change file or a
//! towncrier fragment uses, the changelog group its entry joins and the
//! level it calls for.

use semver::Version;

use crate::text::version::Level;

/// The `###` group a change's entry joins, in the order a section lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// A `major` change: the group drafted notes give breaking commits.
    Breaking,
    Added,
    Changed,
    Deprecated,
    Removed,
    Fixed,
    Security,
    /// towncrier's `doc` fragments ("Improved Documentation").
    Documentation,
}

impl Group {
    /// The group's heading title, as drafted notes write it.
    pub fn title(self) -> &'static str {
        match self {
            Group::Breaking => "Breaking Changes",
            Group::Added => "Added",
            Group::Changed => "Changed",
            Group::Deprecated => "Deprecated",
            Group::Removed => "Removed",
            Group::Fixed => "Fixed",
            Group::Security => "Security",
            Group::Documentation => "Documentation",
        }
    }
}

/// A change for one package: the word written, where its entry goes and
/// the level it calls for (before the 0.x rule, see [`Kind::level`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    /// As written: `minor`, `fixed`, `feature`.
    pub word: String,
    pub group: Group,
    level: Level,
}

/// The words of a change file's front matter: the levels, then Keep a
/// Changelog's sections.
pub const WORDS: [&str; 9] = [
    "major",
    "minor",
    "patch",
    "added",
    "changed",
    "deprecated",
    "removed",
    "fixed",
    "security",
];

/// towncrier's default types (`feature`, `bugfix`, `doc`, `removal`,
/// `misc`), its common `deprecation` and `security`, and the words of a
/// change file's sections.
pub const FRAGMENT_TYPES: [&str; 13] = [
    "feature",
    "bugfix",
    "doc",
    "removal",
    "misc",
    "deprecation",
    "security",
    "added",
    "changed",
    "deprecated",
    "removed",
    "fixed",
    "breaking",
];

impl Kind {
    fn new(word: &str, group: Group, level: Level) -> Kind {
        Kind {
            word: word.to_string(),
            group,
            level,
        }
    }

    /// A front-matter word: a level (`major` → Breaking Changes, `minor` →
    /// Added, `patch` → Fixed) or a section (`added`, `deprecated`,
    /// `changed` → minor; `removed` → major; `fixed`, `security` → patch).
    /// Any case.
    pub fn parse(word: &str) -> Option<Kind> {
        let (group, level) = match word.to_ascii_lowercase().as_str() {
            "major" => (Group::Breaking, Level::Major),
            "minor" => (Group::Added, Level::Minor),
            "patch" => (Group::Fixed, Level::Patch),
            "added" => (Group::Added, Level::Minor),
            "changed" => (Group::Changed, Level::Minor),
            "deprecated" => (Group::Deprecated, Level::Minor),
            "removed" => (Group::Removed, Level::Major),
            "fixed" => (Group::Fixed, Level::Patch),
            "security" => (Group::Security, Level::Patch),
            _ => return None,
        };
        Some(Kind::new(word, group, level))
    }

    /// A towncrier fragment's type: `feature` → Added (minor), `bugfix` →
    /// Fixed (patch), `doc` → Documentation (patch), `removal` → Removed
    /// (major), `misc` → Changed (patch), `deprecation` → Deprecated
    /// (minor), `breaking` → Breaking Changes (major); the section words
    /// as in a change file.
    pub fn fragment(word: &str) -> Option<Kind> {
        let (group, level) = match word {
            "feature" => (Group::Added, Level::Minor),
            "bugfix" => (Group::Fixed, Level::Patch),
            "doc" => (Group::Documentation, Level::Patch),
            "removal" => (Group::Removed, Level::Major),
            "misc" => (Group::Changed, Level::Patch),
            "deprecation" => (Group::Deprecated, Level::Minor),
            "breaking" => (Group::Breaking, Level::Major),
            _ if FRAGMENT_TYPES.contains(&word) => {
                return Kind::parse(word);
            }
            _ => return None,
        };
        Some(Kind::new(word, group, level))
    }

    /// The level this change calls for in a package at `current`: a
    /// breaking one is minor while the major version is 0, as for commits
    /// and the API verdict.
    pub fn level(&self, current: &Version) -> Level {
        match self.level {
            Level::Major if current.major == 0 => Level::Minor,
            level => level,
        }
    }

    /// Whether the change breaks (its level before the 0.x rule is major).
    pub fn breaking(&self) -> bool {
        self.level == Level::Major
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_groups_and_levels() {
        let v1 = Version::new(1, 2, 0);
        let v0 = Version::new(0, 4, 0);
        let cases = [
            ("major", Group::Breaking, Level::Major, Level::Minor),
            ("Minor", Group::Added, Level::Minor, Level::Minor),
            ("patch", Group::Fixed, Level::Patch, Level::Patch),
            ("added", Group::Added, Level::Minor, Level::Minor),
            ("changed", Group::Changed, Level::Minor, Level::Minor),
            ("deprecated", Group::Deprecated, Level::Minor, Level::Minor),
            ("removed", Group::Removed, Level::Major, Level::Minor),
            ("FIXED", Group::Fixed, Level::Patch, Level::Patch),
            ("security", Group::Security, Level::Patch, Level::Patch),
        ];
        for (word, group, at_one, at_zero) in cases {
            let kind = Kind::parse(word).unwrap();
            assert_eq!(
                (kind.group, kind.level(&v1), kind.level(&v0)),
                (group, at_one, at_zero),
                "{word}"
            );
            assert_eq!(kind.word, word);
        }
        for word in ["mayor", "feature", "", "fix"] {
            assert_eq!(Kind::parse(word), None, "{word}");
        }
        assert!(Kind::parse("major").unwrap().breaking());
        assert!(!Kind::parse("changed").unwrap().breaking());
    }

    #[test]
    fn towncrier_types_map_to_groups_and_levels() {
        let v1 = Version::new(1, 0, 0);
        let cases = [
            ("feature", Group::Added, Level::Minor),
            ("bugfix", Group::Fixed, Level::Patch),
            ("doc", Group::Documentation, Level::Patch),
            ("removal", Group::Removed, Level::Major),
            ("misc", Group::Changed, Level::Patch),
            ("deprecation", Group::Deprecated, Level::Minor),
            ("security", Group::Security, Level::Patch),
            ("breaking", Group::Breaking, Level::Major),
            ("fixed", Group::Fixed, Level::Patch),
        ];
        for (word, group, level) in cases {
            let kind = Kind::fragment(word).unwrap();
            assert_eq!((kind.group, kind.level(&v1)), (group, level), "{word}");
        }
        for word in ["Feature", "major", "rst", "bug"] {
            assert_eq!(Kind::fragment(word), None, "{word}");
        }
        assert_eq!(Group::Breaking.title(), "Breaking Changes");
    }
}
