//! A proposal written as `xtask-release.toml`: a header of notes, the
//! top-level keys, `[registries]`, then a `[[package]]` per package, each
//! guess with its reason in a `#` comment (after the value when the line
//! stays short, else above it). Text read from files that reaches a comment
//! is one line with its control characters visible. Pure.

use super::{Key, Proposal, Proposed, quoted};
use crate::model::config::At;
use crate::out::sanitize;

/// Lines are kept to this width where a comment allows.
const WIDTH: usize = 96;

const INTRO: &str = "Release configuration of `cargo xtask release` (the xtask's docs/configuration.md), written by `cargo xtask init` from this repository's files and tags. Each `#` comment says what a guess was read from: read them, fix what is wrong, then run `cargo xtask check` and `cargo xtask release` (a dry run: it changes nothing).";

/// `text` as comment lines of `indent`, wrapped at the width; the lines
/// of a list item (`- …`) hang under its text.
fn comment(text: &str, indent: &str, out: &mut String) {
    let text = sanitize::line(text);
    let hang = if text.starts_with("- ") { "  " } else { "" };
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && indent.len() + 2 + line.len() + 1 + word.len() > WIDTH {
            out.push_str(&format!("{indent}# {line}\n"));
            line = hang.to_string();
        }
        if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(format!("{indent}# {line}").trim_end());
    out.push('\n');
}

/// `key = value`, its reason after it or above it.
fn key(k: &Key, out: &mut String) {
    let off = if k.off { "# " } else { "" };
    let line = format!("{off}{} = {}", k.key, k.value);
    match &k.why {
        Some(why) if line.len() + 4 + why.chars().count() <= WIDTH => {
            out.push_str(&format!("{line}  # {}\n", sanitize::line(why)));
        }
        Some(why) => {
            comment(why, "", out);
            out.push_str(&line);
            out.push('\n');
        }
        None => {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

fn package(p: &Proposed, out: &mut String) {
    out.push_str("\n[[package]]\n");
    for line in &p.about {
        comment(line, "", out);
    }
    for k in &p.keys {
        key(k, out);
    }
    if p.mentions.is_empty() {
        return;
    }
    out.push_str("mentions = [\n");
    for found in &p.mentions {
        let m = &found.mention;
        let at = match &m.at {
            At::Pattern(pattern) => format!("pattern = {}", quoted(pattern)),
            At::Key(k) => format!("key = {}", quoted(k)),
        };
        comment(&found.why, "  ", out);
        out.push_str(&format!("  {{ file = {}, {at} }},\n", quoted(&m.file)));
    }
    out.push_str("]\n");
}

/// The text of `xtask-release.toml`.
pub fn render(proposal: &Proposal) -> String {
    let mut out = String::new();
    comment(INTRO, "", &mut out);
    if !proposal.notes.is_empty() {
        out.push_str("#\n");
        for note in &proposal.notes {
            comment(&format!("- {note}"), "", &mut out);
        }
    }
    out.push('\n');
    for k in &proposal.top {
        key(k, &mut out);
    }
    if !proposal.registries.is_empty() {
        out.push_str("\n[registries]\n");
        for k in &proposal.registries {
            key(k, &mut out);
        }
    }
    for p in &proposal.packages {
        package(p, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::mentions::Found;
    use crate::model::config::Mention;

    #[test]
    fn the_file_is_toml_with_every_reason_in_a_comment() {
        let long = "the repository's; demo has none of its own; Keep a Changelog (`## [X.Y.Z] - DATE`), newest 0.4.0";
        let mut off = Key::text("ignore-tags", "v9.0.0", "above demo 0.4.0".to_string());
        off.off = true;
        let proposal = Proposal {
            notes: vec!["a note\u{1b}[31m with an escape".into()],
            top: vec![
                Key::text("branch", "main", "the branch checked out".to_string()),
                off,
            ],
            main_line: "main".into(),
            registries: vec![],
            packages: vec![Proposed {
                name: "demo".into(),
                about: vec!["demo 0.4.0: a crate of the root workspace".into()],
                keys: vec![
                    Key::text("name", "demo", None),
                    Key::text("changelog", "CHANGELOG.md", long.to_string()),
                ],
                mentions: vec![Found {
                    mention: Mention {
                        file: "README.md".into(),
                        at: At::Pattern("demo = \"{version}\"".into()),
                        optional: false,
                    },
                    why: "README.md:4: demo = \"0.4.0\"".into(),
                }],
                dev: None,
            }],
        };
        let text = render(&proposal);
        assert!(text.contains("# - a note␛[31m with an escape\n"), "{text}");
        assert!(text.contains("\nbranch = \"main\"  # the branch checked out\n# ignore-tags = \"v9.0.0\"  # above demo 0.4.0\n"), "{text}");
        // A long reason goes above its key, wrapped.
        assert!(text.contains("\n# the repository's; demo has none of its own; Keep a Changelog (`## [X.Y.Z] - DATE`), newest\n# 0.4.0\nchangelog = \"CHANGELOG.md\"\n"), "{text}");
        assert!(text.contains("mentions = [\n  # README.md:4: demo = \"0.4.0\"\n  { file = \"README.md\", pattern = 'demo = \"{version}\"' },\n]\n"), "{text}");
        assert!(
            text.lines()
                .all(|l| l.chars().count() <= WIDTH || !l.starts_with('#')),
            "{text}"
        );
        let doc: toml_edit::Document<String> = text.parse().unwrap();
        let package = &doc["package"].as_array_of_tables().unwrap().get(0).unwrap();
        assert_eq!(package["changelog"].as_str(), Some("CHANGELOG.md"));
        assert!(doc.get("ignore-tags").is_none());
    }
}
