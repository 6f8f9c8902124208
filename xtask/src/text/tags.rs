//! Tag templates such as `v{version}` and `py-v{version}` (pure).

use std::cmp::Ordering;

use anyhow::{Result, bail};
use semver::Version;

use crate::text::version::{order, parse_pep440, pep440_cmp, to_pep440};

#[derive(Debug, Clone)]
pub struct TagTemplate {
    pub template: String,
    prefix: String,
    suffix: String,
    pep440: bool,
    /// Versions of the series compare as PEP 440 does (a `{pep440}`
    /// template, or a Python package's series), else by SemVer (`order`).
    pep440_order: bool,
    /// Tag names and globs (`*`, `?`) that are no tags of this series.
    ignored: Vec<String>,
}

impl TagTemplate {
    /// A template with one `{version}` (SemVer) or `{pep440}` placeholder.
    pub fn new(template: &str) -> Result<TagTemplate> {
        let (placeholder, pep440) = match (
            template.matches("{version}").count(),
            template.matches("{pep440}").count(),
        ) {
            (1, 0) => ("{version}", false),
            (0, 1) => ("{pep440}", true),
            _ => bail!(
                "tag template `{template}` must contain exactly one `{{version}}` (or `{{pep440}}`)"
            ),
        };
        let (prefix, suffix) = template.split_once(placeholder).expect("counted above");
        if prefix
            .chars()
            .chain(suffix.chars())
            .any(|c| c.is_whitespace() || "~^:?*[\\".contains(c))
        {
            bail!("tag template `{template}` has a character git does not allow in tag names");
        }
        Ok(TagTemplate {
            template: template.to_string(),
            prefix: prefix.into(),
            suffix: suffix.into(),
            pep440,
            pep440_order: pep440,
            ignored: Vec::new(),
        })
    }

    /// The same series, ordered as PEP 440 says when `python` (the series
    /// of a Python package, whose versions PyPI orders).
    pub fn for_python(mut self, python: bool) -> TagTemplate {
        self.pep440_order |= python;
        self
    }

    /// How two versions of this series compare: PEP 440's order for a
    /// Python package or a `{pep440}` template, else SemVer's on each
    /// pre-release's PEP 440 reading (`order`), so a train's numbers compare
    /// as numbers in any spelling.
    pub fn cmp(&self, a: &Version, b: &Version) -> Ordering {
        match self.pep440_order {
            true => pep440_cmp(a, b),
            false => order(a, b),
        }
    }

    /// Whether `a` and `b` are one release of this series: `0.23.1-rc0` and
    /// the version of the tag `v0.23.1rc0`.
    pub fn same(&self, a: &Version, b: &Version) -> bool {
        self.cmp(a, b) == Ordering::Equal
    }

    /// The same series without the tags `ignored` names (names or globs).
    pub fn ignoring(mut self, ignored: &[String]) -> TagTemplate {
        self.ignored = ignored.to_vec();
        self
    }

    /// The literal text before the version: every tag of the series starts with it.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The `git for-each-ref` pattern of the series' tags: its literal
    /// prefix, a digit, anything, its suffix (`refs/tags/py-v[0-9]*`), so
    /// git leaves out every other tag before we read one. A template has no
    /// `*`, `?`, `[` or `\` (`new` refuses them), so the pattern is exact.
    pub fn git_pattern(&self) -> String {
        format!("refs/tags/{}[0-9]*{}", self.prefix, self.suffix)
    }

    /// Whether `other` reads the same tags as the same versions, in the same
    /// order: the same template, order and ignored tags.
    pub fn same_series(&self, other: &TagTemplate) -> bool {
        self.template == other.template
            && self.pep440_order == other.pep440_order
            && self.ignored == other.ignored
    }

    pub fn render(&self, version: &Version) -> Result<String> {
        let v = if self.pep440 {
            to_pep440(version)?
        } else {
            version.to_string()
        };
        Ok(format!("{}{v}{}", self.prefix, self.suffix))
    }

    /// The version of a tag of this series, `None` for any other tag; a
    /// `{pep440}` tag's in the `canonical` spelling (`v0.23.1rc0` gives
    /// `0.23.1-rc.0`: compare with `same` and `cmp`).
    pub fn parse(&self, tag: &str) -> Option<Version> {
        if self.ignored.iter().any(|glob| glob_match(glob, tag)) {
            return None;
        }
        let captured = self.version_text(tag)?;
        if self.pep440 {
            parse_pep440(captured).ok()
        } else {
            Version::parse(captured).ok()
        }
    }

    /// The text of a tag between the template's prefix and suffix, when it
    /// can be a version: a digit, then digits, letters, `.`, `+` and `-`
    /// (a pattern checked by hand: a regex compiled per template costs a
    /// debug build more than every other step of `changelog notes`).
    fn version_text<'t>(&self, tag: &'t str) -> Option<&'t str> {
        let middle = tag.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        let bytes = middle.as_bytes();
        let valid = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-');
        (bytes.first()?.is_ascii_digit() && bytes.iter().all(valid)).then_some(middle)
    }

    /// Whether this series' glob or pattern would also take tags of `other`.
    pub fn overlaps(&self, other: &TagTemplate) -> Option<String> {
        let samples = ["1.2.3", "1.2.3-rc.1"].map(|v| other.render(&Version::parse(v).unwrap()));
        for sample in samples.into_iter().flatten() {
            if self.parse(&sample).is_some() {
                return Some(sample);
            }
            if sample.starts_with(&self.prefix) && sample.ends_with(&self.suffix) {
                return Some(sample);
            }
        }
        None
    }
}

/// Whether `text` matches `glob`: `*` any run of characters, `?` one.
pub fn glob_match(glob: &str, text: &str) -> bool {
    let (glob, text): (Vec<char>, Vec<char>) = (glob.chars().collect(), text.chars().collect());
    let (mut g, mut t) = (0, 0);
    // Where the last `*` was, and the text position it matched up to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match glob.get(g) {
            Some('*') => {
                star = Some((g, t));
                g += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                g += 1;
                t += 1;
            }
            _ => match star {
                Some((sg, st)) => {
                    g = sg + 1;
                    t = st + 1;
                    star = Some((sg, st + 1));
                }
                None => return false,
            },
        }
    }
    glob[g..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn render_and_parse_round_trip() {
        let rust = TagTemplate::new("v{version}").unwrap();
        let py = TagTemplate::new("py-v{version}").unwrap();
        let pep = TagTemplate::new("py-{pep440}").unwrap();
        assert_eq!(rust.render(&v("0.5.0")).unwrap(), "v0.5.0");
        assert_eq!(py.render(&v("0.4.0-rc.1")).unwrap(), "py-v0.4.0-rc.1");
        assert_eq!(pep.render(&v("0.4.0-rc.1")).unwrap(), "py-0.4.0rc1");
        assert_eq!(rust.parse("v0.5.0"), Some(v("0.5.0")));
        assert_eq!(rust.parse("py-v0.5.0"), None);
        assert_eq!(py.parse("v0.5.0"), None);
        assert_eq!(pep.parse("py-0.4.0rc1"), Some(v("0.4.0-rc.1")));
        assert_eq!(rust.parse("v0.5"), None);
        assert_eq!(rust.parse("vNext"), None);
        let suffixed = TagTemplate::new("core-v{version}-py").unwrap();
        assert_eq!(suffixed.parse("core-v1.2.3-rc.1-py"), Some(v("1.2.3-rc.1")));
        for no in [
            "core-v-py",
            "core-v1.2.3",
            "core-vx1.2.3-py",
            "core-v1.2.3_x-py",
            "v1.2.3-py",
        ] {
            assert_eq!(suffixed.parse(no), None, "{no}");
        }
    }

    #[test]
    fn pep440_tags_are_the_releases_of_every_spelling() {
        let series = TagTemplate::new("v{pep440}").unwrap();
        let manifest = v("0.23.1-rc0");
        assert_eq!(series.render(&manifest).unwrap(), "v0.23.1rc0");
        let tagged = series.parse("v0.23.1rc0").unwrap();
        assert_eq!(tagged, v("0.23.1-rc.0"));
        assert!(series.same(&tagged, &manifest));
        let tags = [
            "v0.22.9",
            "v0.23.0",
            "v0.23.1.dev2",
            "v0.23.1rc0",
            "v0.23.1rc9",
        ];
        // In order, by PEP 440: a dev release before the rc of its version.
        let versions: Vec<Version> = tags.iter().map(|t| series.parse(t).unwrap()).collect();
        for pair in versions.windows(2) {
            assert!(series.cmp(&pair[0], &pair[1]).is_lt(), "{pair:?}");
        }
        assert!(series.cmp(&v("0.23.1-dev5"), &versions[3]).is_lt());
        assert!(series.cmp(&v("0.23.1-rc10"), &versions[4]).is_gt());
    }

    #[test]
    fn a_python_series_is_in_pep440_order_a_crates_in_semvers() {
        let (dev, alpha) = (v("1.0.0-dev.3"), v("1.0.0-alpha.1"));
        let python = TagTemplate::new("v{version}").unwrap().for_python(true);
        let rust = TagTemplate::new("v{version}").unwrap();
        assert!(python.cmp(&dev, &alpha).is_lt());
        assert!(rust.cmp(&dev, &alpha).is_gt());
        // Either way a train's numbers compare as numbers.
        let (nine, ten) = (v("0.23.1-rc9"), v("0.23.1-rc10"));
        assert!(rust.cmp(&nine, &ten).is_lt() && python.cmp(&nine, &ten).is_lt());
    }

    #[test]
    fn overlapping_series_are_found() {
        let t = |s| TagTemplate::new(s).unwrap();
        assert_eq!(t("v{version}").overlaps(&t("py-v{version}")), None);
        assert_eq!(t("py-v{version}").overlaps(&t("v{version}")), None);
        assert_eq!(
            t("v{version}").overlaps(&t("vpy{version}")),
            Some("vpy1.2.3".into())
        );
        assert_eq!(
            t("{version}").overlaps(&t("py-{version}")),
            Some("py-1.2.3".into())
        );
        assert_eq!(
            t("core-v{version}").overlaps(&t("core-v{version}-py")),
            Some("core-v1.2.3-py".into())
        );
    }

    #[test]
    fn bad_templates_are_refused() {
        for bad in [
            "v",
            "v{version}{version}",
            "release {version}",
            "v{version}:x",
        ] {
            assert!(TagTemplate::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn globs_match_names() {
        for (glob, text, matches) in [
            ("rust-v3.0.0", "rust-v3.0.0", true),
            ("rust-v3.*", "rust-v3.0.0", true),
            ("rust-v3.*", "rust-v0.3.0", false),
            ("*-rc*", "v1.0.0-rc.1", true),
            ("v?.0.0", "v1.0.0", true),
            ("v?.0.0", "v10.0.0", false),
            ("*", "", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
        ] {
            assert_eq!(glob_match(glob, text), matches, "{glob} ~ {text}");
        }
    }

    #[test]
    fn ignored_tags_are_no_tags_of_the_series() {
        let rust = TagTemplate::new("rust-v{version}")
            .unwrap()
            .ignoring(&["rust-v3.*".to_string()]);
        assert_eq!(rust.parse("rust-v3.0.0"), None);
        assert_eq!(rust.parse("rust-v0.12.3"), Some(v("0.12.3")));
    }
}
