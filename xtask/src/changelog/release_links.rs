//! The link definitions a release changes (pure): `[Unreleased]` pointed at
//! the new tag, the new version's link next to the previous one's, and the
//! repository URL they point into.

use anyhow::{Result, anyhow};
use semver::Version;

use super::model::{Changelog, Section};
use super::promotion::{Edit, Promote};
use super::style::Style;
use crate::text::version::parse_any;

/// The repository URL: from a link definition, a heading link, or the
/// configuration.
pub(super) fn repository<'a>(cl: &'a Changelog, opts: &Promote<'a>) -> Option<&'a str> {
    repository_in(cl).or(opts.repo_url.map(|u| u.trim_end_matches('/')))
}

/// The repository URL the file's links point into.
pub fn repository_in<'a>(cl: &'a Changelog) -> Option<&'a str> {
    cl.links.iter().find_map(|l| repo_of(l.url)).or_else(|| {
        cl.sections
            .iter()
            .find_map(|s| s.link.as_deref().and_then(repo_of))
    })
}

/// `https://github.com/o/r` from a compare, release or tree link.
fn repo_of(url: &str) -> Option<&str> {
    ["/compare/", "/releases/tag/", "/tree/"]
        .iter()
        .find_map(|marker| url.find(marker).map(|i| &url[..i]))
}

/// Points `[Unreleased]` at the new tag (adding it when the file keeps
/// compare links and has an `[Unreleased]` heading) and adds the new
/// version's link next to the previous version's, in the file's order.
pub(super) fn link_edits(
    path: &str,
    text: &str,
    cl: &Changelog,
    opts: &Promote,
    style: &Style,
    newest: Option<&Section>,
) -> Result<Vec<Edit>> {
    let eol = cl.eol;
    let base = repository(cl, opts).ok_or_else(|| {
        anyhow!(
            "{path}:{}: no link definition points at `…/compare/…` or `…/releases/tag/…`, so the repository URL is unknown: pass the repository URL",
            cl.links[0].line + 1
        )
    })?;
    let new_tag = opts.new_tag();
    let unreleased_link = format!("{base}/compare/{new_tag}...HEAD");
    let mut edits = Vec::new();
    let mut add_unreleased = None;
    match cl.link("Unreleased") {
        Some(link) => {
            let start = cl.offset(link.line);
            let line = &text[start..cl.offset(link.line + 1)];
            let end = start + line.trim_end_matches(['\n', '\r']).len();
            edits.push((start..end, format!("[{}]: {unreleased_link}", link.label)));
        }
        None if !style.release_links && cl.unreleased().is_some_and(|s| s.bracketed) => {
            add_unreleased = Some(format!("[Unreleased]: {unreleased_link}"));
        }
        None => {}
    }
    let url = match opts.compare_base(newest.map(Section::name)) {
        Some(prev) if !style.release_links => format!("{base}/compare/{prev}...{new_tag}"),
        _ => format!("{base}/releases/tag/{new_tag}"),
    };
    let new_link = format!("[{}]: {url}", style.label(opts.display, &new_tag));
    // Newest first: `[Unreleased]`, then the new version; oldest first, the reverse.
    let new_lines = match (&add_unreleased, style.newest_first) {
        (Some(u), true) => format!("{u}{eol}{new_link}"),
        (Some(u), false) => format!("{new_link}{eol}{u}"),
        (None, _) => new_link,
    };
    edits.push(insert_links(text, cl, opts.version, new_lines));
    Ok(edits)
}

/// `new_lines` among the version links, where `version` belongs in their
/// order; after the last link (or `[Unreleased]`) when no older one is there.
fn insert_links(text: &str, cl: &Changelog, version: &Version, new_lines: String) -> Edit {
    let eol = cl.eol;
    // Read as they are walked, never listed: a 50 MB file has a link per release.
    let versions = || {
        cl.links
            .iter()
            .filter_map(|l| Some((parse_any(l.label).ok()?, l.line)))
    };
    let first = versions().next();
    let last = cl
        .links
        .iter()
        .rev()
        .find_map(|l| Some((parse_any(l.label).ok()?, l.line)));
    let ascending = matches!((first, last), (Some(a), Some(b)) if a.1 != b.1 && a.0 < b.0);
    // The line the new links go before.
    let older = if ascending {
        versions()
            .filter(|(v, _)| v < version)
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, line)| line + 1)
    } else {
        versions().find(|(v, _)| v < version).map(|(_, line)| line)
    };
    match older {
        Some(line) if line < cl.line_count || text.ends_with('\n') => {
            let at = cl.offset(line);
            (at..at, new_lines + eol)
        }
        _ => {
            let after = match older {
                Some(line) => line - 1,
                None => cl
                    .link("Unreleased")
                    .map_or(cl.links[cl.links.len() - 1].line, |l| l.line),
            };
            let at = cl.offset(after + 1);
            let new = if at == text.len() && !text.ends_with('\n') {
                format!("{eol}{new_lines}")
            } else {
                new_lines + eol
            };
            (at..at, new)
        }
    }
}
