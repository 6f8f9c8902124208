//! The changelog of each package, and what it is: the package's own
//! (`DIR/CHANGELOG.md`) unless it stopped before the series' newest tag
//! (dormant: said, and left alone), else the repository's (`CHANGELOG.md`
//! at the root) when its headings name the package's tags, or when no
//! package before it took it; each with its dialect. A released package
//! with none of these, or only its dormant one, keeps no changelog
//! (`changelog = false`). Pure.

use std::collections::BTreeMap;

use semver::Version;

use super::survey::is_changelog;
use crate::changelog::Series;
use crate::changelog::dialect::{Summary, summary};
use crate::model::package::rel_join;
use crate::text::tags::TagTemplate;
use crate::text::version::order;

const ROOT: &str = "CHANGELOG.md";

/// One package as the choice sees it.
pub struct Reader {
    pub dir: String,
    pub series: Series,
    /// The newest tag of its series, if it has one.
    pub latest: Option<(String, Version)>,
}

/// The changelog chosen for a package: its path (`None`: it keeps none,
/// `changelog = false`), why, and a note about a changelog passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub path: Option<String>,
    pub why: String,
    pub passed_over: Option<String>,
}

/// Why `summary` is behind the series: its newest section is below the
/// newest tag, which it has no section for.
fn behind(summary: &Summary, latest: &Option<(String, Version)>) -> Option<String> {
    let (tag, version) = latest.as_ref()?;
    let has = summary
        .releases
        .iter()
        .any(|v| order(v, version) == std::cmp::Ordering::Equal);
    let newest = summary.releases.first();
    match newest {
        Some(n) if !has && order(n, version).is_lt() => {
            Some(format!("stopped at {n}, the newest tag is {tag}"))
        }
        None if !has => Some(format!("has no release yet, the newest tag is {tag}")),
        _ => None,
    }
}

fn described(s: &Summary) -> String {
    match s.releases.first() {
        Some(newest) => format!("{}, newest {newest}", s.dialect),
        None => s.dialect.clone(),
    }
}

/// The changelog of each package of `readers`, in order; `files` holds the
/// texts read.
pub fn choose(readers: &[Reader], files: &BTreeMap<String, String>) -> Vec<Chosen> {
    let mut root_taken = false;
    let mut out = Vec::new();
    for r in readers {
        let read = |path: &str| summary(path, files.get(path)?, &r.series);
        let own_path = rel_join(&r.dir, ROOT);
        let own = read(&own_path);
        let own_behind = own.as_ref().and_then(|s| behind(s, &r.latest));
        if let (Some(s), None) = (&own, &own_behind) {
            root_taken |= own_path == ROOT;
            out.push(Chosen {
                path: Some(own_path),
                why: described(s),
                passed_over: None,
            });
            continue;
        }
        let passed_over = own_behind
            .as_ref()
            .map(|why| format!("{own_path} {why}: left as it is"));
        let root = read(ROOT).filter(|_| r.dir != ".");
        let labelled = root
            .as_ref()
            .is_some_and(|s| s.tag_labels && !s.releases.is_empty());
        let chosen = match root {
            Some(s) if labelled || !root_taken => {
                root_taken = true;
                let whose = match (labelled, &own_behind) {
                    (true, _) => "its headings name this package's tags".to_string(),
                    (false, Some(_)) => format!("the repository's, as {own_path} stopped"),
                    (false, None) => format!("the repository's; {}/ has none of its own", r.dir),
                };
                Chosen {
                    path: Some(ROOT.into()),
                    why: format!("{whose}; {}", described(&s)),
                    passed_over,
                }
            }
            _ => none_fits(r, &own_path, own_behind, files),
        };
        out.push(chosen);
    }
    out
}

/// The choice for a package whose own changelog is dormant or absent and
/// that has no root changelog to take: none (`changelog = false`) when it
/// has releases, whose notes then live elsewhere (a GitHub release), and
/// which a first release of its own changelog would not have; else its own
/// path, which its first release creates.
fn none_fits(
    r: &Reader,
    own_path: &str,
    own_behind: Option<String>,
    files: &BTreeMap<String, String>,
) -> Chosen {
    // A changelog by another name (`CHANGES.md`, `HISTORY.md`, `NEWS.md`),
    // in its folder or at the root: named, not read.
    let parent = |p: &str| p.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
    let named = files.keys().find(|p| {
        let name = p.rsplit('/').next().unwrap_or(p);
        is_changelog(p)
            && !name.eq_ignore_ascii_case(ROOT)
            && [".", r.dir.as_str()].contains(&parent(p).as_str())
    });
    let or_named = named
        .map(|p| format!(", or `changelog = \"{p}\"` if that file is this package's"))
        .unwrap_or_default();
    let why = match (own_behind, &r.latest) {
        (Some(behind), _) => format!(
            "{own_path} {behind}: dormant, so left as it is and read by no command; notes come from change files and commits (a path keeps a changelog again)"
        ),
        (None, Some((tag, _))) => format!(
            "no changelog, though released (newest tag {tag}): its notes live elsewhere; notes come from change files and commits (`changelog = \"{own_path}\"` would start one{or_named})"
        ),
        (None, None) => {
            return Chosen {
                path: Some(own_path.to_string()),
                why: "no changelog yet: the first release creates it".into(),
                passed_over: None,
            };
        }
    };
    Chosen {
        path: None,
        why,
        passed_over: None,
    }
}

/// The series a package's changelog is read for: its own template, its
/// earlier ones (their headings are its releases too), the others' (a
/// heading named by their tags is theirs).
pub fn series_of(own: &str, earlier: &[String], others: &[&str]) -> Series {
    let template = |t: &str| TagTemplate::new(t).ok();
    Series {
        own: template(own),
        earlier: earlier.iter().filter_map(|t| template(t)).collect(),
        others: others.iter().filter_map(|t| template(t)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(dir: &str, own: &str, others: &[&str], latest: Option<&str>) -> Reader {
        let series = series_of(own, &[], others);
        let latest = latest.map(|tag| {
            let v = series.own.as_ref().unwrap().parse(tag).unwrap();
            (tag.to_string(), v)
        });
        Reader {
            dir: dir.into(),
            series,
            latest,
        }
    }

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    const KAC: &str = "# Changelog\n\n## [Unreleased]\n\n## [2.3.0] - 2026-01-08\n\n- A.\n";

    #[test]
    fn a_package_in_a_folder_takes_the_root_changelog_once_and_its_own_otherwise() {
        let files = files(&[
            ("CHANGELOG.md", KAC),
            (
                "lumen/CHANGELOG.md",
                "# Changelog\n\n## [0.12.1] - 2021-09-14\n\n- Old.\n",
            ),
            (
                "py/CHANGELOG.md",
                "# Changelog\n\n## [2.3.0] - 2026-01-08\n\n- B.\n",
            ),
        ]);
        let readers = [
            reader(
                "lumen",
                "v{version}",
                &["python-v{version}"],
                Some("v2.3.0"),
            ),
            reader(
                "py",
                "python-v{version}",
                &["v{version}"],
                Some("python-v2.3.0"),
            ),
            reader("node", "node-v{version}", &[], None),
        ];
        let chosen = choose(&readers, &files);
        assert_eq!(chosen[0].path.as_deref(), Some("CHANGELOG.md"));
        assert_eq!(
            chosen[0].why,
            "the repository's, as lumen/CHANGELOG.md stopped; Keep a Changelog (`## [X.Y.Z] - DATE`), newest 2.3.0"
        );
        assert_eq!(
            chosen[0].passed_over.as_deref(),
            Some("lumen/CHANGELOG.md stopped at 0.12.1, the newest tag is v2.3.0: left as it is")
        );
        assert_eq!(chosen[1].path.as_deref(), Some("py/CHANGELOG.md"));
        assert_eq!(chosen[2].path.as_deref(), Some("node/CHANGELOG.md"));
        assert_eq!(
            chosen[2].why,
            "no changelog yet: the first release creates it"
        );
    }

    #[test]
    fn a_root_changelog_named_by_tags_serves_each_series_it_names() {
        let text = "## [python-v1.2.0](u/tree/python-v1.2.0) (2026-06-02)\n\n## [rust-v0.12.3](u/tree/rust-v0.12.3) (2026-05-19)\n";
        let files = files(&[("CHANGELOG.md", text)]);
        let readers = [
            reader("meta", "rust-v{version}", &["python-v{version}"], None),
            reader("python", "python-v{version}", &["rust-v{version}"], None),
        ];
        let chosen = choose(&readers, &files);
        assert!(
            chosen
                .iter()
                .all(|c| c.path.as_deref() == Some("CHANGELOG.md")),
            "{chosen:?}"
        );
        assert!(
            chosen[1]
                .why
                .starts_with("its headings name this package's tags; github_changelog_generator")
        );
    }

    #[test]
    fn a_root_package_reads_the_root_changelog_as_its_own() {
        let files = files(&[("CHANGELOG.md", KAC)]);
        let readers = [
            reader(".", "v{version}", &[], Some("v2.3.0")),
            reader("py", "py-v{version}", &[], None),
        ];
        let chosen = choose(&readers, &files);
        assert_eq!(chosen[0].path.as_deref(), Some("CHANGELOG.md"));
        assert_eq!(chosen[1].path.as_deref(), Some("py/CHANGELOG.md"));
    }

    #[test]
    fn a_released_package_with_a_dormant_or_no_changelog_keeps_none() {
        let dormant = "# Changelog\n\n## [0.12.1] - 2021-09-14\n\n- Old.\n";
        let texts = files(&[("lumen/CHANGELOG.md", dormant), (".changes/a.md", "x\n")]);
        let readers = [
            reader("lumen", "v{version}", &[], Some("v2.3.0")),
            reader("node", "node-v{version}", &[], Some("node-v2.3.0")),
            reader("wasm", "wasm-v{version}", &[], None),
            reader(".", "root-v{version}", &[], Some("root-v0.1.0")),
        ];
        let chosen = choose(&readers, &texts);
        let paths: Vec<Option<&str>> = chosen.iter().map(|c| c.path.as_deref()).collect();
        assert_eq!(paths, [None, None, Some("wasm/CHANGELOG.md"), None]);
        assert!(
            chosen[0].why.starts_with(
                "lumen/CHANGELOG.md stopped at 0.12.1, the newest tag is v2.3.0: dormant"
            ),
            "{}",
            chosen[0].why
        );
        assert!(
            chosen[1]
                .why
                .starts_with("no changelog, though released (newest tag node-v2.3.0)"),
            "{}",
            chosen[1].why
        );
        // A changelog by another name is named, not read.
        let texts = files(&[("bindings/node/HISTORY.md", "# History\n")]);
        let chosen = choose(
            &[reader(
                "bindings/node",
                "node-v{version}",
                &[],
                Some("node-v2.3.0"),
            )],
            &texts,
        );
        assert_eq!(chosen[0].path, None);
        assert!(
            chosen[0].why.ends_with(
                "(`changelog = \"bindings/node/CHANGELOG.md\"` would start one, or `changelog = \"bindings/node/HISTORY.md\"` if that file is this package's)"
            ),
            "{}",
            chosen[0].why
        );
        // A dormant root changelog of the root package is the same.
        let texts = files(&[("CHANGELOG.md", dormant)]);
        let chosen = choose(&[reader(".", "v{version}", &[], Some("v2.3.0"))], &texts);
        assert_eq!(chosen[0].path, None);
    }
}
