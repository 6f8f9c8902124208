//! The way a changelog is written, read from its existing sections, so that
//! the sections the tool adds look like the ones around them.

use super::lines::Lines;
use super::model::{Changelog, Section, SectionKind};

use crate::text::version::parse_any;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// `## [1.2.3]` rather than `## 1.2.3`.
    pub bracketed: bool,
    /// `v1.2.3` in the heading.
    pub v_prefix: bool,
    /// `1.2.3 (2024-01-02)` rather than `1.2.3 - 2024-01-02`.
    pub paren_date: bool,
    /// Headings carry a date.
    pub dated: bool,
    /// The compare link is in the heading: `## [1.2.3](url) - …`.
    pub heading_links: bool,
    /// Sections run from the newest release down.
    pub newest_first: bool,
    /// The list marker: `-` or `*`.
    pub bullet: char,
    /// Lists run from the newest entry down (judged by `#N` numbers).
    pub entries_newest_first: bool,
    /// Version definitions point at `/releases/tag/`, never `/compare/`.
    pub release_links: bool,
    /// Headings are named by the tag: `## [rust-v1.2.3](…)` (github_changelog_generator).
    pub tag_labels: bool,
    /// The heading links to the tag's tree: `(URL/tree/TAG)`.
    pub tree_links: bool,
    /// A `[Full Changelog](URL/compare/PREV...TAG)` line opens each section.
    pub full_changelog: bool,
    /// Groups are bold labels (`**Fixed bugs:**`), not `### Fixed` headings.
    pub bold_groups: bool,
}

impl Default for Style {
    /// Keep a Changelog 1.1.0.
    fn default() -> Self {
        Style {
            bracketed: true,
            v_prefix: false,
            paren_date: false,
            dated: true,
            heading_links: false,
            newest_first: true,
            bullet: '-',
            entries_newest_first: false,
            release_links: false,
            tag_labels: false,
            tree_links: false,
            full_changelog: false,
            bold_groups: false,
        }
    }
}

/// The style of `text`; the Keep a Changelog defaults for what it does not show.
pub fn detect(text: &str, cl: &Changelog) -> Style {
    let mut style = Style::default();
    let releases: Vec<_> = cl
        .sections
        .iter()
        .filter(|s| s.version().is_some())
        .collect();
    if let Some(model) = model(cl) {
        style.bracketed = model.bracketed;
        style.v_prefix = model.name().starts_with(['v', 'V']);
        // How dates are written: by the newest section that has one.
        style.paren_date = releases
            .iter()
            .filter(|s| matches!(s.kind, SectionKind::Release { date: Some(_), .. }))
            .max_by(|a, b| a.version().cmp(&b.version()))
            .map_or(model.paren_date, |s| s.paren_date);
        style.heading_links = model.link.is_some();
        generator_traits(text, cl, model, &mut style);
        style.dated = releases
            .iter()
            .any(|s| matches!(s.kind, SectionKind::Release { date: Some(_), .. }));
    }
    let (mut down, mut up) = (0, 0);
    for pair in releases.windows(2) {
        match pair[0].version().cmp(&pair[1].version()) {
            std::cmp::Ordering::Greater => down += 1,
            std::cmp::Ordering::Less => up += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
    style.newest_first = down >= up;

    let (mut stars, mut dashes) = (0, 0);
    let (mut newer_first, mut older_first) = (0, 0);
    let mut previous: Option<u64> = None;
    let end = cl.offset(cl.links_start);
    for line in Lines::new(&text[..end]).filter(|l| !l.in_fence) {
        let marker = line.text.as_bytes().first().copied();
        let item = line.text.len() > 1 && line.text.as_bytes()[1] == b' ';
        match marker {
            Some(b'*') if item => stars += 1,
            Some(b'-') if item => dashes += 1,
            Some(b' ' | b'\t') => continue,
            _ => {
                previous = None;
                continue;
            }
        }
        let number = first_number(line.text);
        if let (Some(a), Some(b)) = (previous, number) {
            if a > b {
                newer_first += 1;
            } else if a < b {
                older_first += 1;
            }
        }
        previous = number;
    }
    style.bold_groups = Lines::new(&text[..end])
        .any(|l| !l.in_fence && l.text.starts_with("**") && l.text.trim_end().ends_with(":**"));
    style.bullet = if stars > dashes { '*' } else { '-' };
    style.entries_newest_first = newer_first > older_first;

    // The oldest version's link points at its tag in every style: only a
    // later version's shows the file never compares.
    // Found in one pass, with no list of them all to sort: a 50 MB file
    // has as many links as releases.
    let versions = || {
        cl.links
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((i, parse_any(l.label).ok()?, l.url)))
    };
    let oldest = versions().min_by(|a, b| a.1.cmp(&b.1)).map(|(i, _, _)| i);
    style.release_links = versions().all(|(_, _, u)| !u.contains("/compare/"))
        && versions().any(|(i, _, u)| Some(i) != oldest && u.contains("/releases/tag/"));
    style
}

/// The section new ones are written like: the newest release, as old
/// sections may predate a tool change; a yanked one is passed over, as its
/// heading is often edited by hand.
fn model<'a>(cl: &'a Changelog) -> Option<&'a Section> {
    cl.sections
        .iter()
        .filter(|s| matches!(s.kind, SectionKind::Release { yanked: None, .. }))
        .max_by(|a, b| a.version().cmp(&b.version()))
        .or(cl.newest())
}

/// What github_changelog_generator's sections show, read from the newest
/// release `model`: a tag as the label, a link to the tag's tree, a
/// `[Full Changelog](…/compare/…)` line.
fn generator_traits(text: &str, cl: &Changelog, model: &Section, style: &mut Style) {
    style.tree_links = model.link.as_deref().is_some_and(|l| l.contains("/tree/"));
    let bare = model.name().trim_start_matches(['v', 'V']);
    style.tag_labels = parse_any(bare).is_err();
    let body = &text[cl.span(model.body.clone())];
    style.full_changelog = body.lines().any(|l| l.starts_with("[Full Changelog]("));
}

/// A draft restyled as `changelog` writes its lists (marker, entry order);
/// the draft as is when the changelog cannot be read.
pub fn restyle(changelog: &str, draft: &str) -> String {
    let Ok(cl) = super::parse::parse_located("", changelog, &Default::default()) else {
        return draft.to_string();
    };
    let lines: Vec<&str> = draft.lines().collect();
    let mut out = detect(changelog, &cl).apply(&lines).join("\n");
    if draft.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A group heading as github_changelog_generator labels it: `### Fixed`
/// is `**Fixed bugs:**`, `### Added` `**Implemented enhancements:**`.
fn bold_group(group: &str) -> String {
    let label = match group.trim() {
        "Added" | "Features" => "Implemented enhancements",
        "Fixed" | "Bug Fixes" => "Fixed bugs",
        "Breaking Changes" => "Breaking changes",
        "Security" => "Security fixes",
        other => other,
    };
    format!("**{label}:**")
}

/// The first `#123` of a line.
fn first_number(text: &str) -> Option<u64> {
    text.match_indices('#').find_map(|(i, _)| {
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

impl Style {
    /// The heading of a new release section (`tag` its tag), without its line ending.
    pub fn heading(&self, display: &str, tag: &str, date: &str, link: Option<&str>) -> String {
        self.heading_labelled(&self.label(display, tag), date, link)
    }

    /// A heading to suggest for `label` (tag `tag`), its date `date` (or
    /// `YYYY-MM-DD`), its link into `base` where the file's headings link.
    pub fn suggested_heading(
        &self,
        label: &str,
        tag: &str,
        date: Option<&str>,
        base: Option<&str>,
    ) -> String {
        let link = self.heading_links.then(|| match (base, self.tree_links) {
            (Some(base), true) => format!("{base}/tree/{tag}"),
            (Some(base), false) => format!("{base}/compare/PREVIOUS...{tag}"),
            (None, _) => "URL".to_string(),
        });
        self.heading_labelled(label, date.unwrap_or("YYYY-MM-DD"), link.as_deref())
    }

    fn heading_labelled(&self, label: &str, date: &str, link: Option<&str>) -> String {
        let mut out = match (self.bracketed || link.is_some(), link) {
            (_, Some(url)) => format!("## [{label}]({url})"),
            (true, None) => format!("## [{label}]"),
            (false, None) => format!("## {label}"),
        };
        if self.dated {
            if self.paren_date {
                out.push_str(&format!(" ({date})"));
            } else {
                out.push_str(&format!(" - {date}"));
            }
        }
        out
    }

    /// The label of a new section as its heading and link definition spell
    /// it: the tag in a file whose headings are tags.
    pub fn label(&self, display: &str, tag: &str) -> String {
        if self.tag_labels {
            tag.to_string()
        } else if self.v_prefix {
            format!("v{display}")
        } else {
            display.to_string()
        }
    }

    /// Drafted lines in this style: the list marker, and the order of the
    /// entries of each list (drafts come oldest first).
    pub fn apply(&self, lines: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(lines.len());
        let mut list_start: Option<usize> = None;
        for line in lines {
            match line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
                Some(rest) => {
                    list_start.get_or_insert(out.len());
                    out.push(format!("{} {rest}", self.bullet));
                }
                None if line.starts_with([' ', '\t']) && list_start.is_some() => {
                    // A continuation line stays with its entry.
                    out.push(line.to_string());
                }
                None => {
                    if let Some(start) = list_start.take() {
                        self.order(&mut out[start..]);
                    }
                    match line.strip_prefix("### ") {
                        Some(group) if self.bold_groups => out.push(bold_group(group)),
                        _ => out.push(line.to_string()),
                    }
                }
            }
        }
        if let Some(start) = list_start {
            self.order(&mut out[start..]);
        }
        out
    }

    /// Reverses a list of entries, continuation lines kept under their entry.
    fn order(&self, list: &mut [String]) {
        if !self.entries_newest_first {
            return;
        }
        let mut entries: Vec<Vec<String>> = Vec::new();
        for line in list.iter() {
            if line.starts_with([' ', '\t'])
                && let Some(last) = entries.last_mut()
            {
                last.push(line.clone());
                continue;
            }
            entries.push(vec![line.clone()]);
        }
        entries.reverse();
        for (slot, line) in list.iter_mut().zip(entries.into_iter().flatten()) {
            *slot = line;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::DIALECTS;
    use super::super::parse::parse;
    use super::*;

    #[test]
    fn each_dialect() {
        // name, bracketed, v, paren date, dated, heading links, newest first,
        // bullet, entries newest first, release links.
        type Row = (
            &'static str,
            bool,
            bool,
            bool,
            bool,
            bool,
            bool,
            char,
            bool,
            bool,
        );
        #[rustfmt::skip]
        let want: [Row; 11] = [
            ("crate", true, false, false, true, false, true, '-', false, false),
            ("python", true, false, false, true, false, true, '-', false, false),
            ("llmsim", true, false, false, true, false, true, '-', false, false),
            ("cargo-release", true, false, false, true, false, true, '-', false, false),
            ("heading-links", true, false, false, true, true, true, '-', false, false),
            ("knope", false, false, true, true, false, true, '-', false, false),
            ("v-undated", false, true, false, false, false, true, '*', true, false),
            ("oldest-first", true, false, false, true, false, false, '-', false, false),
            ("v-bracketed", true, true, false, true, false, true, '-', false, false),
            ("github-notes", true, false, false, true, false, true, '*', false, false),
            ("yanked", true, false, false, true, false, true, '-', false, false),
        ];
        for ((name, text), row) in DIALECTS.iter().zip(want) {
            let s = detect(text, &parse("C.md", text).unwrap());
            let got: Row = (
                name,
                s.bracketed,
                s.v_prefix,
                s.paren_date,
                s.dated,
                s.heading_links,
                s.newest_first,
                s.bullet,
                s.entries_newest_first,
                s.release_links,
            );
            assert_eq!(got, row);
        }
    }

    /// A yanked release marked by hand is no model for the next section.
    #[test]
    fn a_yanked_newest_release_sets_no_style() {
        let text = "# C\n\n## 0.13.0 (yanked)\n\n- a\n\n## [0.12.1] - 2026-01-05\n\n- b\n";
        let style = detect(text, &parse("C.md", text).unwrap());
        assert!(style.bracketed && style.dated && !style.paren_date);
        let only = "# C\n\n## 0.13.0 (yanked)\n\n- a\n";
        assert!(!detect(only, &parse("C.md", only).unwrap()).bracketed);
    }

    #[test]
    fn headings() {
        let base = Style::default();
        let cases = [
            (base.clone(), None, "## [1.2.3] - 2024-01-02"),
            (
                base.clone(),
                Some("https://r/compare/v1...v1.2.3"),
                "## [1.2.3](https://r/compare/v1...v1.2.3) - 2024-01-02",
            ),
            (
                Style {
                    bracketed: false,
                    paren_date: true,
                    ..base.clone()
                },
                None,
                "## 1.2.3 (2024-01-02)",
            ),
            (
                Style {
                    bracketed: false,
                    v_prefix: true,
                    dated: false,
                    ..base.clone()
                },
                None,
                "## v1.2.3",
            ),
            (
                Style {
                    v_prefix: true,
                    ..base.clone()
                },
                None,
                "## [v1.2.3] - 2024-01-02",
            ),
        ];
        for (style, link, want) in cases {
            assert_eq!(style.heading("1.2.3", "v1.2.3", "2024-01-02", link), want);
        }
    }

    #[test]
    fn the_generators_traits_are_read_from_the_newest_release() {
        let url = "https://github.com/o/r-rs";
        let gcg = format!(
            "# Changelog\n\nIntro.\n\n## [rust-v0.12.3]({url}/tree/rust-v0.12.3) (2026-05-19)\n\n[Full Changelog]({url}/compare/rust-v0.12.2...rust-v0.12.3)\n\n**Fixed bugs:**\n\n- a\n\n## [rust-v0.12.2]({url}/tree/rust-v0.12.2) (2026-05-01)\n\n- b"
        );
        let style = detect(&gcg, &parse("C.md", &gcg).unwrap());
        let traits = |s: &Style| (s.tag_labels, s.tree_links, s.full_changelog, s.bold_groups);
        assert_eq!(traits(&style), (true, true, true, true));
        assert!(style.heading_links && style.paren_date && style.newest_first);
        // Keep a Changelog, a `v` heading and a compare link in the heading: none of them.
        for text in [
            super::super::fixtures::CRATE,
            "## v1.0.0 (2026-01-01)\n\n### Fixed\n\n- a\n",
            "## [1.0.0](https://github.com/o/r/compare/v0.9.0...v1.0.0) - 2026-01-01\n\n- a\r\n",
        ] {
            let style = detect(text, &parse("C.md", text).unwrap());
            assert_eq!(traits(&style), (false, false, false, false), "{text}");
        }
    }

    #[test]
    fn restyle_follows_the_file() {
        let draft = "### What's Changed\n\n- a (#1)\n- b (#2)\n";
        assert_eq!(
            restyle(super::super::fixtures::V_UNDATED, draft),
            "### What's Changed\n\n* b (#2)\n* a (#1)\n"
        );
        assert_eq!(restyle(super::super::fixtures::CRATE, draft), draft);
        assert_eq!(restyle("## [x - 1]\n", draft), draft);
    }

    #[test]
    fn apply_restyles_markers_and_order() {
        let draft = [
            "### What's Changed",
            "",
            "- one (#1)",
            "  more about one",
            "- two (#2)",
            "",
            "**Full Changelog**: x",
        ];
        let newest = Style {
            bullet: '*',
            entries_newest_first: true,
            ..Style::default()
        };
        assert_eq!(
            newest.apply(&draft),
            vec![
                "### What's Changed",
                "",
                "* two (#2)",
                "* one (#1)",
                "  more about one",
                "",
                "**Full Changelog**: x",
            ]
        );
        assert_eq!(Style::default().apply(&draft), draft.to_vec());
    }
}
