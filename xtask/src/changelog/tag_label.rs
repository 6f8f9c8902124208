//! Headings named by a tag: `## [rust-v0.12.3](…)`, `## [v1.2.3] - …`,
//! `## [python-v1.2.0]`. The package's tag template maps such a label to its
//! version; another series' template marks it as another package's release.

use semver::Version;

use super::model::Series;
use crate::text::version::parse_any;

/// What a label that is not a bare version stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagLabel {
    /// A release of this package: a tag of its series, or, with no template
    /// that reads it, a tag-like `PREFIX` + version label.
    Own { version: Version, by_template: bool },
    /// A tag of another package's series.
    Other,
}

/// `label` read as a tag, or `None` when it is none.
pub fn read(label: &str, series: &Series) -> Option<TagLabel> {
    let own = series.own.iter().chain(&series.earlier);
    if let Some(version) = own.into_iter().find_map(|t| t.parse(label)) {
        return Some(TagLabel::Own {
            version,
            by_template: true,
        });
    }
    if series.others.iter().any(|t| t.parse(label).is_some()) {
        return Some(TagLabel::Other);
    }
    generic(label).map(|version| TagLabel::Own {
        version,
        by_template: false,
    })
}

/// `PREFIX` + version, the prefix a letter, then letters, digits, `-`, `_`
/// and `/`, ending in a letter, `-`, `_` or `/` (`rust-v`, `release/`, `py-`).
fn generic(label: &str) -> Option<Version> {
    let (i, _) = label.char_indices().find(|&(i, c)| {
        i > 0
            && c.is_ascii_digit()
            && label[..i]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_ascii_alphabetic() || "-_/".contains(p))
    })?;
    let prefix = &label[..i];
    let plain = prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c));
    if !plain {
        return None;
    }
    parse_any(&label[i..]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tags::TagTemplate;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn series(own: &str, others: &[&str]) -> Series {
        Series {
            own: Some(TagTemplate::new(own).unwrap()),
            earlier: vec![TagTemplate::new("python-v{version}").unwrap()],
            others: others
                .iter()
                .map(|t| TagTemplate::new(t).unwrap())
                .collect(),
        }
    }

    #[test]
    fn the_own_template_reads_its_tags() {
        let rust = series("rust-v{version}", &["py-v{version}"]);
        assert_eq!(
            read("rust-v0.12.3", &rust),
            Some(TagLabel::Own {
                version: v("0.12.3"),
                by_template: true
            })
        );
        assert_eq!(read("py-v1.2.0", &rust), Some(TagLabel::Other));
        // Its earlier series' headings are its releases.
        assert_eq!(
            read("python-v1.2.0", &rust),
            Some(TagLabel::Own {
                version: v("1.2.0"),
                by_template: true
            })
        );
        let py = series("py-v{version}", &["rust-v{version}"]);
        assert_eq!(read("rust-v0.12.3", &py), Some(TagLabel::Other));
        let pep = series("py-{pep440}", &[]);
        assert_eq!(
            read("py-1.0.0rc1", &pep),
            Some(TagLabel::Own {
                version: v("1.0.0-rc.1"),
                by_template: true
            })
        );
    }

    #[test]
    fn without_a_template_a_prefixed_version_is_read() {
        let none = Series::default();
        for (label, version) in [
            ("rust-v0.12.3", "0.12.3"),
            ("python-v1.2.0", "1.2.0"),
            ("release/1.0.0-rc.1", "1.0.0-rc.1"),
            ("py-v0.4.0rc1", "0.4.0-rc.1"),
        ] {
            assert_eq!(
                read(label, &none),
                Some(TagLabel::Own {
                    version: v(version),
                    by_template: false
                }),
                "{label}"
            );
        }
        for label in [
            "Next",
            "rust-vNext",
            "x 1.2.3",
            "v-",
            "1.0.0.post1",
            "a.b1.2.3",
        ] {
            assert_eq!(read(label, &none), None, "{label}");
        }
    }
}
