//! The head of a `[[package]]` entry: what the package is (a comment),
//! `name`, `manifest`, `flag`, `tag`, `previous-tags` and `crates`, each
//! with its reason. Pure.

use super::next_dev::RELEASES;
use super::propose::Scene;
use super::series::TagSeries;
use super::{Ask, Key, Kind, Proposed, quoted};
use crate::model::package::ROOT_MANIFEST;
use crate::text::tags::TagTemplate;
use crate::text::train::is_dev;

impl Scene<'_> {
    /// The `[[package]]` entry of package `i` up to its changelog: what it
    /// is, `name`, `manifest`, `flag`, `tag`, `crates`.
    pub(super) fn package(&self, i: usize, flag: &str) -> Proposed {
        let p = &self.pkgs[i];
        let member = &self.head(i).member;
        let mut about = vec![format!(
            "{} {}: {}",
            member.name,
            member.version,
            match (p.kind, self.head(i).standalone) {
                (Kind::Rust, false) => "a crate of the root workspace",
                (Kind::Rust, true) => "a crate outside the root workspace",
                (Kind::Python, _) => "a Python package built by maturin",
                (Kind::Node, _) => "a Node binding (package.json)",
            }
        )];
        if !p.why.is_empty() {
            about.push(format!(
                "A guess: its crates share one version ({}), so they are released as one",
                p.why.join("; ")
            ));
        }
        let (earlier, passed) = self.previous(i);
        about.extend(passed);
        let mut keys = vec![Key::text("name", &member.name, None)];
        if self.head(i).standalone {
            let why = "outside the root workspace".to_string();
            keys.push(Key::text("manifest", &member.manifest, why));
        }
        keys.push(Key::text("flag", flag, None));
        let (template, why) = &self.templates[i];
        keys.push(Key::text("tag", template, why.clone()));
        if !earlier.is_empty() {
            let list: Vec<String> = earlier.iter().map(|s| quoted(&s.template())).collect();
            let said: Vec<String> = earlier
                .iter()
                .map(|s| format!("{} ({})", glob(s), s.describe()))
                .collect();
            let why = format!(
                "{}: its releases before `{template}`, read as its releases too, never made again",
                said.join(", ")
            );
            keys.push(Key::new(
                "previous-tags",
                format!("[{}]", list.join(", ")),
                why,
            ));
        }
        if let Some(crates) = self.crates_value(i) {
            keys.push(crates);
        }
        Proposed {
            name: member.name.clone(),
            about,
            keys,
            mentions: Vec::new(),
            dev: is_dev(&member.version).then(|| self.dev_ask(i)),
        }
    }

    /// What `next-dev`'s guess asks of git for package `i`: its version's
    /// file and its newest releases in its series in use.
    fn dev_ask(&self, i: usize) -> Ask {
        let head = self.head(i);
        let member = &head.member;
        let file = match member.inherited && !head.standalone {
            true => ROOT_MANIFEST.to_string(),
            false => member.manifest.clone(),
        };
        let releases = self.assigned[i]
            .first()
            .map(|&s| &self.series[s].tags)
            .into_iter()
            .flatten()
            .filter(|(_, v)| v.pre.is_empty())
            .take(RELEASES)
            .cloned()
            .collect();
        Ask {
            name: member.name.clone(),
            version: member.version.clone(),
            file,
            releases,
        }
    }

    /// The older series of package `i` that are its earlier releases
    /// (`previous-tags`), and a comment for each that is not: one with tags
    /// above its manifest's version (a later line's, or strays), or one
    /// whose tags another series of the configuration would also match.
    pub(super) fn previous(&self, i: usize) -> (Vec<&TagSeries>, Vec<String>) {
        let version = &self.head(i).member.version;
        let template = |t: &str| TagTemplate::new(t).ok();
        let others: Vec<TagTemplate> = (0..self.pkgs.len())
            .filter_map(|j| template(&self.templates[j].0))
            .collect();
        let (mut taken, mut passed) = (Vec::new(), Vec::new());
        for &older in self.assigned[i].iter().skip(1) {
            let s = &self.series[older];
            let above = s.above(version);
            let clash = template(&s.template()).and_then(|t| {
                others
                    .iter()
                    .find_map(|o| t.overlaps(o).or_else(|| o.overlaps(&t)))
            });
            let reason = match (above.first(), clash) {
                (Some(tag), _) => format!("{tag} is above its {version}"),
                (None, Some(sample)) => format!("another series also matches `{sample}`"),
                (None, None) => {
                    taken.push(s);
                    continue;
                }
            };
            passed.push(format!(
                "Its older tags {} ({}) are not read as its releases: {reason}",
                glob(s),
                s.describe()
            ));
        }
        (taken, passed)
    }

    /// `crates`: a glob `NAME-*` when it takes exactly the group's root
    /// members, else their names; a crate outside the root workspace by its
    /// manifest.
    fn crates_value(&self, i: usize) -> Option<Key> {
        let p = &self.pkgs[i];
        if p.others.is_empty() {
            return None;
        }
        let crates = &self.survey.crates;
        let head = &self.head(i).member.name;
        let heads: Vec<&str> = self
            .pkgs
            .iter()
            .map(|q| crates[q.head].member.name.as_str())
            .collect();
        let glob = format!("{head}-*");
        let mut in_root: Vec<&str> = p
            .others
            .iter()
            .filter(|&&c| !crates[c].standalone)
            .map(|&c| crates[c].member.name.as_str())
            .collect();
        in_root.sort();
        let mut matched: Vec<&str> = crates
            .iter()
            .filter(|c| !c.standalone && c.member.name.starts_with(&format!("{head}-")))
            .map(|c| c.member.name.as_str())
            .filter(|n| !heads.contains(n))
            .collect();
        matched.sort();
        let mut entries: Vec<String> = if in_root.len() > 2 && matched == in_root {
            vec![glob]
        } else {
            in_root.iter().map(|n| n.to_string()).collect()
        };
        entries.extend(
            p.others
                .iter()
                .filter(|&&c| crates[c].standalone)
                .map(|&c| crates[c].member.manifest.clone()),
        );
        let list: Vec<String> = entries.iter().map(|e| quoted(e)).collect();
        let why = "released with it, at its version, under its tags".to_string();
        Some(Key::new("crates", format!("[{}]", list.join(", ")), why))
    }
}

/// A series as a glob, for comments: `python-v*`.
fn glob(s: &TagSeries) -> String {
    s.template()
        .replace("{version}", "*")
        .replace("{pep440}", "*")
}
