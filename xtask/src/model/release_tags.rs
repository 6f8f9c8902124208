//! Which tags are a package's releases, and which is the previous one: the
//! one place the previous-release rule lives (every command asks here).
//!
//! A package's releases are the tags of its series (`tag`) and of its
//! earlier series (`previous-tags`, such as `python-v{version}` before the
//! switch to one `v{version}` for every package); tags are only ever made
//! in its own series. The previous release of a tree at version V is the
//! release with the highest version not above V, merged into HEAD or not:
//! a release tagged on a branch counts, and the commits since are
//! `TAG..HEAD` (for a main line whose releases are tagged on release
//! branches, that is main's commits since the branch left it).
//!
//! A development version `X.Y.Z-dev.N` is not released yet, and every
//! release of X.Y.Z is ahead of it, whatever SemVer says of their labels
//! (`-rc.0` sorts after `-dev.0`, `-alpha.1` before it): below it are the
//! releases of lower versions and its own dev releases up to N, as PEP 440
//! orders them. Those releases of X.Y.Z are no stray tags above the
//! manifest (`tags_above`): the version is on its way to them.

use std::cmp::Ordering;

use semver::Version;

use crate::model::package::Package;
use crate::text::tag_index::TagIndex;
use crate::text::tags::TagTemplate;
use crate::text::train;

impl Package {
    /// The version `tag` releases, if it is a release of this package: a
    /// tag of its series, or of an earlier one (`previous-tags`).
    pub fn release_of(&self, tag: &str) -> Option<Version> {
        self.series().find_map(|t| t.parse(tag))
    }

    /// `(tag, version)` of each release of this package among `tags`, each
    /// tag once (the first series that reads it): found by each series'
    /// prefix in the index and parsed once per series there.
    pub fn releases<'t>(&self, tags: &'t TagIndex) -> Vec<(&'t str, Version)> {
        self.ranked(tags)
            .into_iter()
            .map(|(t, v, _)| (t, v))
            .collect()
    }

    /// `releases`, each with the rank of the series that reads it (0: its own).
    fn ranked<'t>(&self, tags: &'t TagIndex) -> Vec<(&'t str, Version, usize)> {
        let mut out: Vec<(&str, Version, usize)> = Vec::new();
        let mut claimed = std::collections::BTreeSet::new();
        for (rank, template) in self.series().enumerate() {
            for (tag, version) in tags.of(template) {
                // A tag two series read is the release of the first.
                if claimed.insert(tag) {
                    out.push((tag, version, rank));
                }
            }
        }
        out
    }

    /// The day each release of this package among `tags` was made, where
    /// the index read it.
    pub fn dated_releases(&self, tags: &TagIndex) -> Vec<(Version, chrono::NaiveDate)> {
        self.releases(tags)
            .into_iter()
            .filter_map(|(t, v)| Some((v, tags.date_of(t)?)))
            .collect()
    }

    /// The previous release of a tree at `version` (see the module): the
    /// release with the highest version not above it.
    pub fn previous_release(
        &self,
        tags: &TagIndex,
        version: &Version,
    ) -> Option<(String, Version)> {
        self.newest(tags, |v| self.below(v, version) != Ordering::Greater)
    }

    /// The release before `version` itself: the highest below it, as a
    /// release of `version` compares with (its notes, its compare link).
    pub fn release_before(&self, tags: &TagIndex, version: &Version) -> Option<(String, Version)> {
        self.newest(tags, |v| self.below(v, version) == Ordering::Less)
    }

    /// The releases above the manifest's version, lowest first: never the
    /// previous release, and named by `check` (a stray tag, or another
    /// branch's release). The releases of a development version's own
    /// X.Y.Z are not among them.
    pub fn tags_above<'t>(&self, tags: &'t TagIndex) -> Vec<(&'t str, Version)> {
        let own = &self.version;
        let mut above: Vec<(&str, Version)> = self
            .releases(tags)
            .into_iter()
            .filter(|(_, v)| self.below(v, own) == Ordering::Greater && !self.on_its_way(v))
            .collect();
        above.sort_by(|a, b| self.tag.cmp(&a.1, &b.1));
        above
    }

    /// Whether `tagged` is a release of the X.Y.Z the manifest's development
    /// version is on its way to (its alphas, rcs, itself): made on a
    /// release branch, no business of this tree's changelog or warnings.
    pub fn on_its_way(&self, tagged: &Version) -> bool {
        let own = &self.version;
        train::is_dev(own)
            && same_release_numbers(tagged, own)
            && self.below(tagged, own) == Ordering::Greater
    }

    /// The tag of the release `version`: its series' tag when it exists
    /// among `tags`, else an earlier series' that does (the release was
    /// made before the switch), else its series' tag as it would be made.
    pub fn tag_of(&self, version: &Version, tags: &TagIndex) -> anyhow::Result<String> {
        let own = self.tag.render(version)?;
        if tags.contains(&own) {
            return Ok(own);
        }
        let earlier = self
            .previous_tags
            .iter()
            .filter_map(|t| t.render(version).ok())
            .find(|t| tags.contains(t));
        Ok(earlier.unwrap_or(own))
    }

    /// Its series, then its earlier ones: every template its releases were
    /// made under (the tags a command reads are theirs alone).
    pub fn series(&self) -> impl Iterator<Item = &TagTemplate> {
        std::iter::once(&self.tag).chain(&self.previous_tags)
    }

    /// How a release at `tagged` compares with a tree at `version`: the
    /// series' order, but a development version is below every other
    /// release of its X.Y.Z (PEP 440's order).
    fn below(&self, tagged: &Version, version: &Version) -> Ordering {
        if !train::is_dev(version) || !same_release_numbers(tagged, version) {
            return self.tag.cmp(tagged, version);
        }
        match (train::of(tagged), train::of(version)) {
            (Some((train::Label::Dev, a)), Some((_, b))) => a.cmp(&b),
            _ => Ordering::Greater,
        }
    }

    /// The newest release among `tags` whose version `keep` takes; on a
    /// tie, the tag of its own series, else of the earlier series listed first.
    fn newest(
        &self,
        tags: &TagIndex,
        keep: impl Fn(&Version) -> bool,
    ) -> Option<(String, Version)> {
        let mut best: Option<(&str, Version, usize)> = None;
        for (tag, version, rank) in self.ranked(tags) {
            if !keep(&version) {
                continue;
            }
            let better = match &best {
                None => true,
                Some((_, b, b_rank)) => match self.tag.cmp(&version, b) {
                    Ordering::Greater => true,
                    Ordering::Equal => rank < *b_rank,
                    Ordering::Less => false,
                },
            };
            if better {
                best = Some((tag, version, rank));
            }
        }
        best.map(|(tag, version, _)| (tag.to_string(), version))
    }
}

/// Whether `a` and `b` have the same `X.Y.Z`.
fn same_release_numbers(a: &Version, b: &Version) -> bool {
    (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selection::tests::package;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    /// A package `safebind` at `version`, tagged `v{version}`, earlier
    /// `python-v{version}` and `node-v{version}`.
    fn safebind(version: &str) -> Package {
        let mut p = package("safebind", "rust", false);
        p.version = v(version);
        p.previous_tags = ["python-v{version}", "node-v{version}"]
            .map(|t| TagTemplate::new(t).unwrap())
            .to_vec();
        p
    }

    const TAGS: [&str; 9] = [
        "python-v1.1.0",
        "python-v1.2.0",
        "node-v1.2.0",
        "v1.2.0",
        "node-v1.2.1",
        "v1.3.0-rc.0",
        "v1.3.0",
        "v2.0.0-rc.1",
        "other-v9.0.0",
    ];

    fn previous(version: &str, tags: &[&str]) -> Option<String> {
        let p = safebind(version);
        p.previous_release(&TagIndex::of_names(tags), &p.version)
            .map(|(t, _)| t)
    }

    #[test]
    fn an_earlier_series_holds_releases_and_its_own_wins_a_tie() {
        assert_eq!(previous("1.2.0", &TAGS).as_deref(), Some("v1.2.0"));
        assert_eq!(previous("1.2.5", &TAGS).as_deref(), Some("node-v1.2.1"));
        assert_eq!(previous("1.1.9", &TAGS).as_deref(), Some("python-v1.1.0"));
        assert_eq!(previous("1.3.0", &TAGS).as_deref(), Some("v1.3.0"));
        assert_eq!(previous("1.0.0", &TAGS), None);
        let p = safebind("1.2.0");
        assert_eq!(p.release_of("python-v1.2.0"), Some(v("1.2.0")));
        assert_eq!(p.release_of("other-v9.0.0"), None);
        let tags = TagIndex::of_names(&TAGS);
        let before = p.release_before(&tags, &v("1.3.0")).unwrap().0;
        assert_eq!(before, "v1.3.0-rc.0");
        assert_eq!(p.tag_of(&v("1.1.0"), &tags).unwrap(), "python-v1.1.0");
        assert_eq!(p.tag_of(&v("1.4.0"), &tags).unwrap(), "v1.4.0");
    }

    #[test]
    fn the_newest_is_by_version_not_by_name_and_ignored_tags_are_none() {
        let tags = ["v0.9.0", "v0.10.0", "py-v1.0.0", "v0.10.0-rc.1", "random"];
        assert_eq!(previous("9.0.0", &tags).as_deref(), Some("v0.10.0"));
        assert_eq!(previous("9.0.0", &["py-v1.0.0"]), None);
        let mut p = safebind("9.0.0");
        let ignore = ["v0.10.*".to_string(), "python-v*".to_string()];
        p.tag = p.tag.ignoring(&ignore);
        p.previous_tags = p
            .previous_tags
            .into_iter()
            .map(|t| t.ignoring(&ignore))
            .collect();
        let all = TagIndex::of_names(&[&tags[..], &["python-v5.0.0"]].concat());
        let found = p.previous_release(&all, &p.version);
        assert_eq!(found.map(|(t, _)| t).as_deref(), Some("v0.9.0"));
    }

    #[test]
    fn a_development_version_is_below_every_release_of_its_numbers() {
        // SemVer puts rc.0 above dev.0 and alpha.1 below it: neither is
        // the previous release of main at 1.3.0-dev.0.
        let tags = [
            &TAGS[..],
            &["v1.3.0-alpha.1", "v1.3.0-dev.0", "v1.3.0-dev.2"],
        ]
        .concat();
        assert_eq!(
            previous("1.3.0-dev.0", &tags).as_deref(),
            Some("v1.3.0-dev.0")
        );
        assert_eq!(
            previous("1.3.0-dev.1", &tags).as_deref(),
            Some("v1.3.0-dev.0")
        );
        assert_eq!(
            previous("1.3.0-dev0", &TAGS).as_deref(),
            Some("node-v1.2.1")
        );
        assert_eq!(
            previous("1.3.0-dev.5", &tags).as_deref(),
            Some("v1.3.0-dev.2")
        );
        // Any other pre-release compares as the series does.
        assert_eq!(
            previous("1.3.0-rc.1", &TAGS).as_deref(),
            Some("v1.3.0-rc.0")
        );
    }

    #[test]
    fn above_a_development_version_only_other_numbers_are_stray() {
        let above = |version: &str| -> Vec<String> {
            let p = safebind(version);
            p.tags_above(&TagIndex::of_names(&TAGS))
                .into_iter()
                .map(|(t, _)| t.to_string())
                .collect()
        };
        assert_eq!(above("1.3.0-dev.0"), ["v2.0.0-rc.1"]);
        assert_eq!(above("1.2.1"), ["v1.3.0-rc.0", "v1.3.0", "v2.0.0-rc.1"]);
        assert_eq!(above("2.0.0-dev.0"), Vec::<String>::new());
    }
}
