//! Release notes drafted from commits: Keep a Changelog groups, or a GitHub
//! style "What's Changed" list. One pass over the commits.

use super::commits::{Commit, Conventional, parse_conventional, split_pr};

/// Types left out unless breaking, when the caller has no preference.
pub const DEFAULT_EXCLUDE: [&str; 4] = ["chore", "ci", "bench", "style"];

/// `### Breaking Changes`, `### Added` (feat), `### Fixed` (fix), then
/// `### Changed` (everything else not excluded, non-conventional included).
pub fn render_keepachangelog(
    commits: &[Commit],
    exclude: &[&str],
    repo_url: Option<&str>,
) -> String {
    let repo = repo_url.map(|u| u.trim_end_matches('/'));
    let mut groups: [(&str, Vec<String>); 4] = [
        ("Breaking Changes", Vec::new()),
        ("Added", Vec::new()),
        ("Fixed", Vec::new()),
        ("Changed", Vec::new()),
    ];
    for commit in commits {
        let cc = parse_conventional(&commit.subject, &commit.body);
        if !kept(&cc, exclude) {
            continue;
        }
        let group = match cc.kind.as_str() {
            _ if cc.breaking => 0,
            "feat" => 1,
            "fix" => 2,
            _ => 3,
        };
        let scope = cc
            .scope
            .as_ref()
            .map_or(String::new(), |s| format!("**{s}**: "));
        let line = format!(
            "- {scope}{}{}{}",
            link_refs(&cc.description, repo),
            pr_suffix(cc.pr, repo),
            by(commit)
        );
        groups[group].1.push(line);
    }
    let mut out = String::new();
    for (title, lines) in groups.iter().filter(|(_, lines)| !lines.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("### {title}\n\n"));
        for line in lines {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `### What's Changed` with the subjects as written, then the
/// `**Full Changelog**` link (without a repository URL, no link).
pub fn render_whats_changed(
    commits: &[Commit],
    exclude: &[&str],
    repo_url: Option<&str>,
    prev_tag: Option<&str>,
    new_tag: &str,
) -> String {
    let repo = repo_url.map(|u| u.trim_end_matches('/'));
    let mut out = String::new();
    for commit in commits {
        let cc = parse_conventional(&commit.subject, &commit.body);
        if !kept(&cc, exclude) {
            continue;
        }
        if out.is_empty() {
            out.push_str("### What's Changed\n\n");
        }
        let (subject, _) = split_pr(commit.subject.trim());
        out.push_str(&format!(
            "- {}{}{}\n",
            link_refs(subject, repo),
            pr_suffix(cc.pr, repo),
            by(commit)
        ));
    }
    if let (false, Some(repo)) = (out.is_empty(), repo) {
        let full = match prev_tag {
            Some(prev) => format!("{repo}/compare/{prev}...{new_tag}"),
            None => format!("{repo}/commits/{new_tag}"),
        };
        out.push_str(&format!("\n**Full Changelog**: {full}\n"));
    }
    out
}

/// `@login` for a GitHub noreply address, else the author's name.
pub fn credit(commit: &Commit) -> String {
    let login = commit
        .author_email
        .trim()
        .strip_suffix("@users.noreply.github.com")
        .map(|local| local.rsplit_once('+').map_or(local, |(_, login)| login))
        .filter(|login| !login.is_empty());
    match login {
        Some(login) => format!("@{login}"),
        None => commit.author_name.trim().to_string(),
    }
}

/// Breaking commits are kept whatever their type.
fn kept(cc: &Conventional, exclude: &[&str]) -> bool {
    cc.breaking || !exclude.iter().any(|e| e.eq_ignore_ascii_case(&cc.kind))
}

/// A closing reference at the end of a subject, `(closes #132)` or
/// `(fixes #7)`, linked as a pull request number is.
fn link_refs(text: &str, repo: Option<&str>) -> String {
    static REFS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\(([Cc]lose[sd]?|[Ff]ix(?:e[sd])?|[Rr]esolve[sd]?) #([0-9]+)\)$")
            .expect("a valid pattern")
    });
    match repo {
        Some(repo) => REFS
            .replace(text, |c: &regex::Captures| {
                format!("({} [#{n}]({repo}/issues/{n}))", &c[1], n = &c[2])
            })
            .into_owned(),
        None => text.to_string(),
    }
}

/// ` ([#12](REPO/pull/12))`, or ` (#12)` without a repository.
pub(super) fn pr_suffix(pr: Option<u64>, repo: Option<&str>) -> String {
    match (pr, repo) {
        (Some(n), Some(repo)) => format!(" ([#{n}]({repo}/pull/{n}))"),
        (Some(n), None) => format!(" (#{n})"),
        (None, _) => String::new(),
    }
}

fn by(commit: &Commit) -> String {
    let credit = credit(commit);
    if credit.is_empty() {
        credit
    } else {
        format!(" by {credit}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    KeepAChangelog,
    WhatsChanged,
}

impl Format {
    pub const NAMES: [&'static str; 2] = ["keepachangelog", "whats-changed"];

    pub fn parse(name: &str) -> Format {
        if name == "whats-changed" {
            Format::WhatsChanged
        } else {
            Format::KeepAChangelog
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(hash: &str, email: &str, subject: &str, body: &str) -> Commit {
        Commit {
            hash: hash.into(),
            author_name: "Ada Lovelace".into(),
            author_email: email.into(),
            subject: subject.into(),
            body: body.into(),
        }
    }

    fn history() -> Vec<Commit> {
        let gh = "12345+chaliy@users.noreply.github.com";
        vec![
            commit("a1", gh, "feat: add streaming (#12)", ""),
            commit("a2", "ada@example.com", "fix(io): close files", ""),
            commit("a3", gh, "chore: bump deps (#13)", ""),
            commit("a4", gh, "ci!: require Rust 1.95", ""),
            commit("a5", gh, "perf: faster parse", ""),
            commit("a6", gh, "Update README", ""),
            commit("a7", gh, "feat(api): rename", "BREAKING CHANGE: `a` is `b`"),
            commit("a8", gh, "bench: add", ""),
        ]
    }

    #[test]
    fn keepachangelog_groups() {
        assert_eq!(
            render_keepachangelog(
                &history(),
                &DEFAULT_EXCLUDE,
                Some("https://github.com/o/r/")
            ),
            "\
### Breaking Changes

- require Rust 1.95 by @chaliy
- **api**: rename by @chaliy

### Added

- add streaming ([#12](https://github.com/o/r/pull/12)) by @chaliy

### Fixed

- **io**: close files by Ada Lovelace

### Changed

- faster parse by @chaliy
- Update README by @chaliy
"
        );
        assert_eq!(
            render_keepachangelog(&history()[..3], &[], None),
            "### Added\n\n- add streaming (#12) by @chaliy\n\n### Fixed\n\n- **io**: close files by Ada Lovelace\n\n### Changed\n\n- bump deps (#13) by @chaliy\n"
        );
        assert_eq!(render_keepachangelog(&[], &DEFAULT_EXCLUDE, None), "");
        assert_eq!(
            render_keepachangelog(&history()[2..3], &DEFAULT_EXCLUDE, None),
            ""
        );
    }

    #[test]
    fn style_is_left_out_and_closing_references_are_linked() {
        let gh = "1+ada@users.noreply.github.com";
        let commits = vec![
            commit("b1", gh, "style: rustfmt", ""),
            commit("b2", gh, "fix: crash on empty input (closes #132)", ""),
            commit("b3", gh, "feat: retries (Fixes #7) (#140)", ""),
            commit("b4", gh, "fix: no ref (see #9)", ""),
        ];
        let repo = Some("https://github.com/o/r");
        assert_eq!(
            render_keepachangelog(&commits, &DEFAULT_EXCLUDE, repo),
            "### Added\n\n- retries (Fixes [#7](https://github.com/o/r/issues/7)) ([#140](https://github.com/o/r/pull/140)) by @ada\n\n### Fixed\n\n- crash on empty input (closes [#132](https://github.com/o/r/issues/132)) by @ada\n- no ref (see #9) by @ada\n"
        );
        assert_eq!(
            render_whats_changed(&commits[..2], &DEFAULT_EXCLUDE, repo, None, "v1"),
            "### What's Changed\n\n- fix: crash on empty input (closes [#132](https://github.com/o/r/issues/132)) by @ada\n\n**Full Changelog**: https://github.com/o/r/commits/v1\n"
        );
        assert_eq!(
            render_keepachangelog(&commits[1..2], &DEFAULT_EXCLUDE, None),
            "### Fixed\n\n- crash on empty input (closes #132) by @ada\n"
        );
    }

    #[test]
    fn whats_changed() {
        let commits = &history()[..3];
        let repo = Some("https://github.com/chaliy/llmsim");
        assert_eq!(
            render_whats_changed(commits, &DEFAULT_EXCLUDE, repo, Some("v0.1.0"), "v0.2.0"),
            "\
### What's Changed

- feat: add streaming ([#12](https://github.com/chaliy/llmsim/pull/12)) by @chaliy
- fix(io): close files by Ada Lovelace

**Full Changelog**: https://github.com/chaliy/llmsim/compare/v0.1.0...v0.2.0
"
        );
        assert_eq!(
            render_whats_changed(&commits[..1], &[], repo, None, "v0.1.0"),
            "### What's Changed\n\n- feat: add streaming ([#12](https://github.com/chaliy/llmsim/pull/12)) by @chaliy\n\n**Full Changelog**: https://github.com/chaliy/llmsim/commits/v0.1.0\n"
        );
        assert_eq!(
            render_whats_changed(&commits[..1], &[], None, Some("v1"), "v2"),
            "### What's Changed\n\n- feat: add streaming (#12) by @chaliy\n"
        );
        assert_eq!(render_whats_changed(&[], &[], repo, None, "v1"), "");
        assert_eq!(
            render_whats_changed(&commits[2..], &DEFAULT_EXCLUDE, repo, None, "v1"),
            ""
        );
    }

    #[test]
    fn credits() {
        let cases = [
            ("12345+chaliy@users.noreply.github.com", "@chaliy"),
            ("chaliy@users.noreply.github.com", "@chaliy"),
            (
                "49699333+dependabot[bot]@users.noreply.github.com",
                "@dependabot[bot]",
            ),
            ("ada@example.com", "Ada Lovelace"),
            ("@users.noreply.github.com", "Ada Lovelace"),
            ("", "Ada Lovelace"),
        ];
        for (email, want) in cases {
            assert_eq!(credit(&commit("h", email, "s", "")), want, "{email}");
        }
        let mut anonymous = commit("h", "x@y", "fix: z", "");
        anonymous.author_name = " ".into();
        assert_eq!(
            render_keepachangelog(&[anonymous], &[], None),
            "### Fixed\n\n- z\n"
        );
    }

    #[test]
    fn twenty_thousand_commits_quickly() {
        let commits: Vec<Commit> = (0..20_000)
            .map(|i| {
                commit(
                    "h",
                    "1+a@users.noreply.github.com",
                    &format!("feat(x): change {i} (#{i})"),
                    "",
                )
            })
            .collect();
        let out = render_keepachangelog(&commits, &DEFAULT_EXCLUDE, Some("https://github.com/o/r"));
        let whats = render_whats_changed(
            &commits,
            &DEFAULT_EXCLUDE,
            Some("https://github.com/o/r"),
            None,
            "v1",
        );
        assert_eq!(out.lines().count(), 20_002);
        assert_eq!(whats.lines().count(), 20_004);
    }
}
