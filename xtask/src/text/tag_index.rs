//! The repository's release tags, read once per command and indexed by
//! name, so a tag series is found by its template's literal prefix (a
//! binary search) and only the tags under that prefix are ever parsed, once
//! per series (pure).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::NaiveDate;
use semver::Version;

use crate::text::tags::TagTemplate;

/// A tag that names a commit (directly or through an annotated tag): only
/// such a tag can be a release.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tag {
    pub name: String,
    /// The commit it names (empty when not read).
    pub commit: String,
    /// The day it was made, when read (the tagger's, else the commit's).
    pub date: Option<NaiveDate>,
}

/// One series: `(index into the tags, version)`, in the series' order.
type Series = Rc<[(usize, Version)]>;

/// Tags sorted by name, and each series found in them, parsed on first use.
#[derive(Debug, Default)]
pub struct TagIndex {
    tags: Vec<Tag>,
    /// The series parsed so far, by their template.
    series: RefCell<Vec<(TagTemplate, Series)>>,
    /// How many tag names were parsed as versions (what the index saves).
    parsed: Cell<usize>,
}

impl Clone for TagIndex {
    fn clone(&self) -> TagIndex {
        TagIndex::new(self.tags.clone())
    }
}

impl TagIndex {
    /// The index of `tags` (in any order; git's is by name already).
    pub fn new(mut tags: Vec<Tag>) -> TagIndex {
        if !tags.is_sorted_by(|a, b| a.name <= b.name) {
            tags.sort_by(|a, b| a.name.cmp(&b.name));
        }
        tags.dedup_by(|a, b| a.name == b.name);
        TagIndex {
            tags,
            series: RefCell::default(),
            parsed: Cell::new(0),
        }
    }

    /// The index of tag names alone (no commits, no dates).
    pub fn of_tags(names: &[String]) -> TagIndex {
        TagIndex::of_names(names)
    }

    /// The index of tag names alone (no commits, no dates).
    pub fn of_names<S: AsRef<str>>(names: &[S]) -> TagIndex {
        let tags = names
            .iter()
            .map(|n| Tag {
                name: n.as_ref().to_string(),
                ..Tag::default()
            })
            .collect();
        TagIndex::new(tags)
    }

    /// These tags and `names` (tags a plan makes).
    pub fn with_names(&self, names: &[String]) -> TagIndex {
        let mut tags = self.tags.clone();
        tags.extend(names.iter().map(|n| Tag {
            name: n.clone(),
            ..Tag::default()
        }));
        TagIndex::new(tags)
    }

    /// The tags among these that `names` lists (those merged into HEAD).
    pub fn only(&self, names: &[String]) -> TagIndex {
        let mut names = names.to_vec();
        names.sort_unstable();
        let tags = self
            .tags
            .iter()
            .filter(|t| names.binary_search(&t.name).is_ok())
            .cloned()
            .collect();
        TagIndex::new(tags)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    fn find(&self, name: &str) -> Option<&Tag> {
        let i = self.tags.binary_search_by(|t| t.name.as_str().cmp(name));
        i.ok().map(|i| &self.tags[i])
    }

    /// How many tag names have been parsed as versions so far.
    #[cfg(test)]
    pub fn parsed(&self) -> usize {
        self.parsed.get()
    }

    /// The tags of `template`'s series in its order, oldest first: only the
    /// names that start with its literal prefix are parsed, once.
    fn series(&self, template: &TagTemplate) -> Series {
        if let Some((_, found)) = self
            .series
            .borrow()
            .iter()
            .find(|(t, _)| t.same_series(template))
        {
            return found.clone();
        }
        let prefix = template.prefix();
        let start = self.tags.partition_point(|t| t.name.as_str() < prefix);
        let mut found: Vec<(usize, Version)> = Vec::new();
        for (i, tag) in self.tags[start..].iter().enumerate() {
            if !tag.name.starts_with(prefix) {
                break;
            }
            self.parsed.set(self.parsed.get() + 1);
            if let Some(v) = template.parse(&tag.name) {
                found.push((start + i, v));
            }
        }
        found.sort_by(|a, b| template.cmp(&a.1, &b.1));
        let found: Series = found.into();
        let key = template.clone();
        self.series.borrow_mut().push((key, found.clone()));
        found
    }

    /// Each tag of the series with its version, oldest first.
    pub fn of(&self, template: &TagTemplate) -> Vec<(&str, Version)> {
        self.series(template)
            .iter()
            .map(|(i, v)| (self.tags[*i].name.as_str(), v.clone()))
            .collect()
    }

    /// The names of the tags that name `commit`.
    pub fn at<'a>(&'a self, commit: &'a str) -> impl Iterator<Item = &'a str> {
        self.tags
            .iter()
            .filter(move |t| !commit.is_empty() && t.commit == commit)
            .map(|t| t.name.as_str())
    }

    /// The day the tag `name` was made, when it was read.
    pub fn date_of(&self, name: &str) -> Option<NaiveDate> {
        self.find(name)?.date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn t(s: &str) -> TagTemplate {
        TagTemplate::new(s).unwrap()
    }

    /// 100,000 tags of 500 other crates, and 1,000 of the `v` series
    /// among them (`v0.0.0` … `v0.9.99`), plus names that only share its
    /// prefix (`vector-…`, `v-next`).
    fn many() -> Vec<String> {
        let mut names: Vec<String> = (0..99_000)
            .map(|k| format!("crate{}-v{}.{}.0", k % 500, k / 500, k % 7))
            .collect();
        names.extend((0..1000).map(|k| format!("v0.{}.{}", k / 100, k % 100)));
        names.extend((0..200).map(|k| format!("vector-v1.{k}.0")));
        names.push("v-next".into());
        names.reverse();
        names
    }

    #[test]
    fn only_the_tags_under_a_series_prefix_are_parsed_once_per_series() {
        let index = TagIndex::of_names(&many());
        let rust = t("v{version}");
        assert_eq!(index.parsed(), 0);
        let series = index.of(&rust);
        assert_eq!(series.len(), 1_000);
        assert_eq!(series[0], ("v0.0.0", v("0.0.0")));
        assert_eq!(series[999], ("v0.9.99", v("0.9.99")));
        // The `v` series' 1,000 tags, `vector-…` and `v-next`: nothing else.
        assert_eq!(index.parsed(), 1_201);
        // The same series again is not parsed again; another one parses its own.
        assert_eq!(index.of(&rust).len(), 1_000);
        assert_eq!(index.parsed(), 1_201);
        let crate7 = t("crate7-v{version}");
        assert_eq!(index.of(&crate7).len(), 198);
        assert_eq!(index.parsed(), 1_201 + 198);
        assert!(index.of(&t("py-v{version}")).is_empty());
        assert_eq!(index.parsed(), 1_201 + 198);
    }

    #[test]
    fn a_series_is_in_its_own_order_with_ignored_tags_left_out() {
        let names = ["v0.9.0", "v0.10.0", "v0.10.0-rc.1", "v3.0.0", "py-v1.0.0"];
        let index = TagIndex::of_names(&names);
        let rust = t("v{version}").ignoring(&["v3.*".to_string()]);
        let tags: Vec<&str> = index.of(&rust).into_iter().map(|(t, _)| t).collect();
        assert_eq!(tags, ["v0.9.0", "v0.10.0-rc.1", "v0.10.0"]);
        // A template ignoring nothing is another series.
        assert_eq!(index.of(&t("v{version}")).len(), 4);
    }

    #[test]
    fn commits_dates_and_names_added_or_kept() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let tag = |name: &str, commit: &str, date| Tag {
            name: name.into(),
            commit: commit.into(),
            date,
        };
        let index = TagIndex::new(vec![
            tag("v1.1.0", "bbb", None),
            tag("v1.0.0", "aaa", Some(day)),
            tag("py-v1.0.0", "bbb", Some(day)),
        ]);
        let rust = t("v{version}");
        let at_bbb: Vec<&str> = index.at("bbb").collect();
        assert_eq!(at_bbb, ["py-v1.0.0", "v1.1.0"]);
        assert_eq!(index.at("").count(), 0);
        assert_eq!(index.date_of("v1.0.0"), Some(day));
        assert_eq!(index.date_of("v1.1.0"), None);
        let planned = index.with_names(&["v1.2.0".to_string()]);
        assert!(planned.contains("v1.2.0") && !index.contains("v1.2.0"));
        let merged = index.only(&["py-v1.0.0".to_string(), "v1.0.0".to_string()]);
        assert_eq!(merged.of(&rust), [("v1.0.0", v("1.0.0"))]);
        assert!(merged.contains("py-v1.0.0") && !merged.contains("v1.1.0"));
    }
}
