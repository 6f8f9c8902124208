//! The entries of change files and fragments as notes (pure): Keep a
//! Changelog groups in the shape drafted notes have, so a release places
//! them as it places drafted ones; and two drafts joined group by group.

use super::change_kind::Group;
use super::render::pr_suffix;
use super::section_body::{merge, trimmed_lines};

/// One entry: the group it joins, its text (a change file's body), and
/// the issue a fragment's name gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    pub group: Group,
    pub text: &'a str,
    pub issue: Option<u64>,
}

/// `### Group` headings in Keep a Changelog's order (breaking changes
/// first, as drafted notes put them), each entry a list item: its first
/// paragraph the bullet, further paragraphs indented under it. Entries of
/// a group keep the order given.
pub fn render_changes(entries: &[Entry], repo_url: Option<&str>) -> String {
    let repo = repo_url.map(|u| u.trim_end_matches('/'));
    let mut groups: Vec<Group> = entries.iter().map(|e| e.group).collect();
    groups.sort();
    groups.dedup();
    let mut out = String::new();
    for group in groups {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("### {}\n\n", group.title()));
        for entry in entries.iter().filter(|e| e.group == group) {
            out.push_str(&item(entry.text, &pr_suffix(entry.issue, repo)));
        }
    }
    out
}

/// A list item of `text`: `- first paragraph` (its marker dropped if it
/// has one), the suffix at its end; other lines indented two spaces.
fn item(text: &str, suffix: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first_end = lines
        .iter()
        .position(|l| l.trim().is_empty())
        .unwrap_or(lines.len());
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            let bare = line
                .strip_prefix("- ")
                .or_else(|| line.strip_prefix("* "))
                .unwrap_or(line);
            out.push_str("- ");
            out.push_str(bare.trim_start());
        } else if line.trim().is_empty() {
            out.push('\n');
            continue;
        } else {
            out.push_str("  ");
            out.push_str(line);
        }
        if i + 1 == first_end {
            out.push_str(suffix);
        }
        out.push('\n');
    }
    out
}

/// `first`'s groups, then `then`'s joined into them: an entry of `then`
/// goes after those of `first` in a group both have (change files' entries
/// before the ones drafted from commits).
pub fn join_notes(first: &str, then: &str) -> String {
    let first = trimmed_lines(first);
    let then: Vec<String> = trimmed_lines(then).into_iter().map(String::from).collect();
    let mut out = merge(&first, &then).join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(group: Group, text: &str, issue: Option<u64>) -> Entry<'_> {
        Entry { group, text, issue }
    }

    #[test]
    fn entries_are_grouped_in_keep_a_changelog_order() {
        let entries = [
            entry(Group::Fixed, "The retry loop ends.", None),
            entry(
                Group::Added,
                "Streaming responses.\n\nEach chunk arrives\nas it comes.\n\n```rust\nlet s = stream();\n```",
                None,
            ),
            entry(Group::Breaking, "- `complete()` takes a request.", Some(12)),
            entry(Group::Fixed, "Timeouts are kept.", Some(40)),
        ];
        assert_eq!(
            render_changes(&entries, Some("https://github.com/o/r/")),
            "\
### Breaking Changes

- `complete()` takes a request. ([#12](https://github.com/o/r/pull/12))

### Added

- Streaming responses.

  Each chunk arrives
  as it comes.

  ```rust
  let s = stream();
  ```

### Fixed

- The retry loop ends.
- Timeouts are kept. ([#40](https://github.com/o/r/pull/40))
"
        );
        assert_eq!(
            render_changes(&entries[3..], None),
            "### Fixed\n\n- Timeouts are kept. (#40)\n"
        );
        assert_eq!(render_changes(&[], None), "");
    }

    #[test]
    fn drafted_notes_join_the_groups_of_change_files() {
        let changes = "### Added\n\n- From a change file.\n\n### Fixed\n\n- A fix.\n";
        let drafted = "### Added\n\n- feat from a commit\n\n### Changed\n\n- perf\n";
        assert_eq!(
            join_notes(changes, drafted),
            "### Added\n\n- From a change file.\n- feat from a commit\n\n### Fixed\n\n- A fix.\n\n### Changed\n\n- perf\n"
        );
        assert_eq!(join_notes("", drafted), drafted);
        assert_eq!(join_notes(changes, ""), changes);
        assert_eq!(join_notes("", ""), "");
    }
}
