//! Commits from `git log`, and their Conventional Commits reading.

use crate::out::sanitize;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Commit {
    pub hash: String,
    pub author_name: String,
    pub author_email: String,
    pub subject: String,
    pub body: String,
}

/// The format `parse_log` reads: fields split by \x1f, records ended by \x1e.
pub const LOG_FORMAT: &str = "%H%x1f%an%x1f%ae%x1f%s%x1f%b%x1e";

/// Parses `git log --format=%H%x1f%an%x1f%ae%x1f%s%x1f%b%x1e`. git puts a
/// newline between records, so each may start with one. Records with fewer
/// than five fields are incomplete output and are skipped. Commits are
/// data: their control characters are made visible here, so no note,
/// changelog or pull request drafted from them carries one raw.
pub fn parse_log(output: &str) -> Vec<Commit> {
    output
        .split('\x1e')
        .filter_map(|record| {
            let record = record.trim_start_matches(['\n', '\r']);
            let mut fields = record.splitn(5, '\x1f');
            let mut next = || fields.next().map(sanitize::line);
            let commit = Commit {
                hash: next()?.trim().to_string(),
                author_name: next()?,
                author_email: next()?,
                subject: next()?,
                body: sanitize::text(fields.next()?.trim_end()),
            };
            (!commit.hash.is_empty()).then_some(commit)
        })
        .collect()
}

/// A pattern matching the subjects a commit-message template makes: each
/// `{placeholder}` (and `v{version}`) stands for any text, and a squash
/// merge may append `(#N)`.
pub fn subject_pattern(template: &str) -> regex::Regex {
    let mut pattern = String::from("^");
    let mut rest = template.trim();
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, after)) = after.split_once('}') else {
            break;
        };
        // Several packages fill `v{version}` with `name vX.Y.Z + …`.
        let before = match (name, before.strip_suffix('v')) {
            ("version", Some(head)) => head,
            _ => before,
        };
        pattern.push_str(&regex::escape(before));
        pattern.push_str(".+");
        rest = after;
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push_str(r"(?: \(#\d+\))?$");
    regex::Regex::new(&pattern).expect("escaped text is a valid pattern")
}

/// The commits without the tool's own release commits, recognised by the
/// configured commit-message templates.
pub fn without_release_commits(commits: &[Commit], templates: &[&str]) -> Vec<Commit> {
    let patterns: Vec<regex::Regex> = templates.iter().map(|t| subject_pattern(t)).collect();
    commits
        .iter()
        .filter(|c| !patterns.iter().any(|p| p.is_match(c.subject.trim())))
        .cloned()
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conventional {
    /// `feat`, `fix`, … lowercased; empty when the subject is not conventional.
    pub kind: String,
    pub scope: Option<String>,
    /// `!` after the type or scope, or a `BREAKING CHANGE:` footer.
    pub breaking: bool,
    /// The subject after `type(scope): `, without a trailing `(#123)`.
    pub description: String,
    /// The trailing `(#123)` GitHub adds to squash merges.
    pub pr: Option<u64>,
}

pub fn parse_conventional(subject: &str, body: &str) -> Conventional {
    let subject = subject.trim();
    let (rest, pr) = split_pr(subject);
    let footer = body
        .lines()
        .any(|line| line.starts_with("BREAKING CHANGE:") || line.starts_with("BREAKING-CHANGE:"));
    match header(rest) {
        Some((kind, scope, bang, description)) => Conventional {
            kind: kind.to_ascii_lowercase(),
            scope: scope.map(str::to_string),
            breaking: bang || footer,
            description: description.to_string(),
            pr,
        },
        None => Conventional {
            kind: String::new(),
            scope: None,
            breaking: footer,
            description: rest.to_string(),
            pr,
        },
    }
}

/// `subject (#123)` → (`subject`, Some(123)).
pub fn split_pr(subject: &str) -> (&str, Option<u64>) {
    let parsed = subject
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once("(#"))
        .and_then(|(head, number)| Some((head.trim_end(), number.parse().ok()?)));
    match parsed {
        Some((head, pr)) => (head, Some(pr)),
        None => (subject, None),
    }
}

/// `type(scope)!: description`: the type is letters only, the scope has no
/// parentheses, and a space (or nothing) follows the colon.
fn header(subject: &str) -> Option<(&str, Option<&str>, bool, &str)> {
    let (head, description) = subject.split_once(':')?;
    if !(description.is_empty() || description.starts_with(' ')) {
        return None;
    }
    let (head, bang) = match head.strip_suffix('!') {
        Some(h) => (h, true),
        None => (head, false),
    };
    let (kind, scope) = match head.split_once('(') {
        Some((kind, scope)) => {
            let scope = scope.strip_suffix(')')?;
            if scope.contains(['(', ')']) {
                return None;
            }
            let scope = scope.trim();
            (kind, (!scope.is_empty()).then_some(scope))
        }
        None => (head, None),
    };
    if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some((kind, scope, bang, description.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(
        kind: &str,
        scope: Option<&str>,
        breaking: bool,
        description: &str,
        pr: Option<u64>,
    ) -> Conventional {
        Conventional {
            kind: kind.into(),
            scope: scope.map(String::from),
            breaking,
            description: description.into(),
            pr,
        }
    }

    #[test]
    fn conventional_subjects() {
        let cases = [
            ("feat: add x", "", c("feat", None, false, "add x", None)),
            ("feat(api)!: x", "", c("feat", Some("api"), true, "x", None)),
            ("Fix: y", "", c("fix", None, false, "y", None)),
            (
                "FEAT(Core): z",
                "",
                c("feat", Some("Core"), false, "z", None),
            ),
            ("revert: z", "", c("revert", None, false, "z", None)),
            (
                "feat: add (#12)",
                "",
                c("feat", None, false, "add", Some(12)),
            ),
            (
                "fix(io): close files (#345)",
                "",
                c("fix", Some("io"), false, "close files", Some(345)),
            ),
            (
                "refactor!: drop v1",
                "",
                c("refactor", None, true, "drop v1", None),
            ),
            (
                "feat()!: empty scope",
                "",
                c("feat", None, true, "empty scope", None),
            ),
            (
                "feat: rename",
                "Longer text.\n\nBREAKING CHANGE: `a` is now `b`",
                c("feat", None, true, "rename", None),
            ),
            (
                "fix: y",
                "BREAKING-CHANGE: z\n",
                c("fix", None, true, "y", None),
            ),
            (
                "fix: y",
                "not a BREAKING CHANGE: footer",
                c("fix", None, false, "y", None),
            ),
            (
                "Merge branch 'main' of https://github.com/o/r",
                "",
                c(
                    "",
                    None,
                    false,
                    "Merge branch 'main' of https://github.com/o/r",
                    None,
                ),
            ),
            (
                "Add streaming (#12)",
                "",
                c("", None, false, "Add streaming", Some(12)),
            ),
            (
                "Update README",
                "BREAKING CHANGE: x",
                c("", None, true, "Update README", None),
            ),
            (
                "Note:no space",
                "",
                c("", None, false, "Note:no space", None),
            ),
            (
                "feat(a(b)): x",
                "",
                c("", None, false, "feat(a(b)): x", None),
            ),
            ("ci2: x", "", c("", None, false, "ci2: x", None)),
            (
                "fix: see (#abc)",
                "",
                c("fix", None, false, "see (#abc)", None),
            ),
            ("chore:", "", c("chore", None, false, "", None)),
        ];
        for (subject, body, want) in cases {
            assert_eq!(
                parse_conventional(subject, body),
                want,
                "{subject:?} {body:?}"
            );
        }
    }

    #[test]
    fn release_commits_by_their_templates() {
        let subjects = [
            ("release: edgequake-llm v0.6.27", true),
            (
                "release: edgequake-llm v0.6.27 + edgequake-litellm v0.4.1",
                true,
            ),
            ("chore(release): prepare v0.6.27", true),
            ("chore(release): prepare v0.6.27 (#140)", true),
            (
                "chore(release): prepare edgequake-llm v0.6.27 + edgequake-litellm v0.4.1",
                true,
            ),
            ("release: ", false),
            ("fix: release: not a release", false),
            ("chore(release): prepare", false),
            ("feat: add x", false),
        ];
        let templates = ["release: {releases}", "chore(release): prepare v{version}"];
        let commits: Vec<Commit> = subjects
            .iter()
            .map(|(s, _)| Commit {
                subject: s.to_string(),
                ..Commit::default()
            })
            .collect();
        let kept = without_release_commits(&commits, &templates);
        let kept: Vec<&str> = kept.iter().map(|c| c.subject.as_str()).collect();
        let want: Vec<&str> = subjects
            .iter()
            .filter(|(_, release)| !release)
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(kept, want);
        // Regex characters in a template are literal; an unclosed brace is text.
        assert!(subject_pattern("bump [{version}] (*)").is_match("bump [1.0.0] (*)"));
        assert!(!subject_pattern("bump [{version}] (*)").is_match("bump x1.0.0] (*)"));
        assert!(subject_pattern("release {oops").is_match("release {oops"));
    }

    #[test]
    fn log_records() {
        let output = "aaa1111\x1fAda Lovelace\x1fada@example.com\x1ffeat: add x (#1)\x1fFirst line.\n\nBREAKING CHANGE: y\n\x1e\nbbb2222\x1fBob\x1f1+bob@users.noreply.github.com\x1ffix: z\x1f\x1e\n\nccc3333\x1fC\x1fc@x\x1fsubject with \u{1f980}\x1fbody\r\n\x1e\n";
        assert_eq!(
            parse_log(output),
            vec![
                Commit {
                    hash: "aaa1111".into(),
                    author_name: "Ada Lovelace".into(),
                    author_email: "ada@example.com".into(),
                    subject: "feat: add x (#1)".into(),
                    body: "First line.\n\nBREAKING CHANGE: y".into(),
                },
                Commit {
                    hash: "bbb2222".into(),
                    author_name: "Bob".into(),
                    author_email: "1+bob@users.noreply.github.com".into(),
                    subject: "fix: z".into(),
                    body: String::new(),
                },
                Commit {
                    hash: "ccc3333".into(),
                    author_name: "C".into(),
                    author_email: "c@x".into(),
                    subject: "subject with \u{1f980}".into(),
                    body: "body".into(),
                },
            ]
        );
        assert_eq!(parse_log(""), vec![]);
        assert_eq!(parse_log("\n"), vec![]);
        assert_eq!(parse_log("truncated\x1fname\x1e"), vec![]);
    }

    #[test]
    fn control_characters_of_a_commit_are_made_visible() {
        let output = "ddd4444\x1fEve\x1b[2J\x1fe@x\x1ffix: tidy\r::error title=x::y \x1b]8;;http://x\x07here\x1fline\r\nnext\x1b[0m\x1e";
        let commit = &parse_log(output)[0];
        assert_eq!(commit.author_name, "Eve␛[2J");
        assert_eq!(
            commit.subject,
            "fix: tidy␍::error title=x::y ␛]8;;http://x␇here"
        );
        assert_eq!(commit.body, "line\r\nnext␛[0m");
    }
}
