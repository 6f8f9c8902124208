//! The guide (README.md and docs/*.md) as the tests of the docs read it:
//! its pages, each line inside or outside a fenced code block, and a page's
//! sections by heading. Test-only.

use std::path::Path;

use crate::cli::args::PackageFlag;

/// The package flags the guide's examples use: this workspace's.
pub fn package_flags() -> Vec<PackageFlag> {
    vec![
        ("rust".into(), "edgequake-llm".into(), "0.1.0".into()),
        ("py".into(), "edgequake-litellm".into(), "0.1.0".into()),
    ]
}

/// The text of a page of the repository (`docs/commands.md`), by its path.
pub fn page(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Every page of the guide, `(path, text)`: README.md, then docs/*.md by name.
pub fn pages() -> Vec<(String, String)> {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let mut names: Vec<String> = std::fs::read_dir(&docs)
        .expect("a docs/ folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    names.sort();
    std::iter::once("README.md".to_string())
        .chain(names)
        .map(|rel| {
            let text = page(&rel);
            (rel, text)
        })
        .collect()
}

/// A line of a page: its number (from 1), its text, and whether it is inside
/// a fenced code block (the fences themselves are not).
#[derive(Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub number: usize,
    pub text: &'a str,
    pub fenced: bool,
}

/// The lines of `text` that are not fences, each marked in or out of a
/// fenced code block (```` ``` ```` or `~~~`, closed by the same fence).
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m && trimmed.trim_end() == m => fence = None,
            _ => out.push(Line {
                number: index + 1,
                text: line,
                fenced: fence.is_some(),
            }),
        }
    }
    out
}

/// The level of a heading line outside code (`## x` is 2), if it is one.
fn heading_level(line: &Line) -> Option<usize> {
    if line.fenced {
        return None;
    }
    let level = line.text.chars().take_while(|&c| c == '#').count();
    let is_heading = (1..=6).contains(&level) && line.text[level..].starts_with(' ');
    is_heading.then_some(level)
}

/// The section of `text` under the first heading that contains `name`: its
/// lines up to the next heading of the same or a higher level (its
/// subsections included), the heading first.
pub fn section(text: &str, name: &str) -> Option<Vec<String>> {
    let all = lines(text);
    let start = all
        .iter()
        .position(|l| heading_level(l).is_some() && l.text.contains(name))?;
    let level = heading_level(&all[start]).unwrap();
    let end = all[start + 1..]
        .iter()
        .position(|l| heading_level(l).is_some_and(|n| n <= level))
        .map_or(all.len(), |i| start + 1 + i);
    Some(all[start..end].iter().map(|l| l.text.to_string()).collect())
}

/// The anchor GitHub gives a heading: lower case, letters, digits, `-` and
/// `_` kept, spaces made `-`, the rest dropped; a repeated one gets `-1`, `-2`.
pub fn anchors(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines(text) {
        let Some(level) = heading_level(&line) else {
            continue;
        };
        let slug: String = line.text[level..]
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let seen = out
            .iter()
            .filter(|a| {
                **a == slug
                    || a.strip_prefix(&format!("{slug}-"))
                        .is_some_and(|n| n.parse::<u32>().is_ok())
            })
            .count();
        out.push(match seen {
            0 => slug,
            n => format!("{slug}-{n}"),
        });
    }
    out
}

/// Every link of the guide to a page of the guide (`](releasing.md#levels)`,
/// `](docs/x.md)`, `](#here)`), as `(page:line, target page, anchor)`.
pub fn links(pages: &[(String, String)]) -> Vec<(String, String, Option<String>)> {
    let link = regex::Regex::new(r"\]\(([A-Za-z0-9_./-]*\.md)?(#[^)\s]*)?\)").unwrap();
    // A link shown in a code span is an example, not a link.
    let code = regex::Regex::new(r"`+[^`]*`+").unwrap();
    let mut out = Vec::new();
    for (rel, text) in pages {
        let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
        for line in lines(text).iter().filter(|l| !l.fenced) {
            let text = code.replace_all(line.text, "");
            for caps in link.captures_iter(&text) {
                let (file, anchor) = (caps.get(1), caps.get(2));
                if file.is_none() && anchor.is_none() {
                    continue;
                }
                let target = match file {
                    Some(f) => normalized(&dir.join(f.as_str())),
                    None => rel.clone(),
                };
                let anchor = anchor.map(|a| a.as_str()[1..].to_string());
                out.push((format!("{rel}:{}", line.number), target, anchor));
            }
        }
    }
    out
}

/// `a/b/../c.md` as `a/c.md`.
fn normalized(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part.as_os_str().to_string_lossy().as_ref() {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other.to_string()),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_github_s() {
        let text = "# Title\n## Requirements and pins: `dependent-version`\n## Standalone packages: no root `Cargo.toml`\n## Notes\n### Notes\n```\n## not one\n```\n";
        assert_eq!(
            anchors(text),
            [
                "title",
                "requirements-and-pins-dependent-version",
                "standalone-packages-no-root-cargotoml",
                "notes",
                "notes-1"
            ]
        );
    }

    #[test]
    fn every_link_between_pages_reaches_its_page_and_heading() {
        let pages = pages();
        let links = links(&pages);
        assert!(
            links.len() > 50,
            "{} links: the reader misses some",
            links.len()
        );
        let mut broken = Vec::new();
        for (at, target, anchor) in links {
            let Some((_, text)) = pages.iter().find(|(rel, _)| *rel == target) else {
                // A page outside the guide (`.changes/README.md`): it must exist.
                if !Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("..")
                    .join(&target)
                    .is_file()
                {
                    broken.push(format!("{at}: no page {target}"));
                }
                continue;
            };
            if let Some(anchor) = anchor
                && !anchors(text).contains(&anchor)
            {
                broken.push(format!("{at}: {target} has no heading #{anchor}"));
            }
        }
        assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    }

    const PAGE: &str = "# Title\n\n## `a`\n\ntext\n\n```toml\n# not a heading\n```\n\n### `a b`\n\nmore\n\n## `c`\n\nlast\n";

    #[test]
    fn code_blocks_are_marked_and_hold_no_heading() {
        let fenced: Vec<usize> = lines(PAGE)
            .iter()
            .filter(|l| l.fenced)
            .map(|l| l.number)
            .collect();
        assert_eq!(fenced, [8]);
        assert_eq!(
            section(PAGE, "`a`").unwrap(),
            [
                "## `a`",
                "",
                "text",
                "",
                "# not a heading",
                "",
                "### `a b`",
                "",
                "more",
                ""
            ]
        );
        assert_eq!(
            section(PAGE, "`a b`").unwrap(),
            ["### `a b`", "", "more", ""]
        );
        assert_eq!(section(PAGE, "`c`").unwrap(), ["## `c`", "", "last"]);
        assert_eq!(section(PAGE, "not a heading"), None);
    }

    #[test]
    fn the_guide_has_its_pages() {
        let names: Vec<String> = pages().into_iter().map(|(name, _)| name).collect();
        for page in [
            "README.md",
            "docs/README.md",
            "docs/configuration.md",
            "docs/commands.md",
        ] {
            assert!(
                names.contains(&page.to_string()),
                "{page} missing: {names:?}"
            );
        }
    }
}
