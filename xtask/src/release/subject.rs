//! The release pull request's subject and body, and the subject read
//! back after the merge. One release of the workspace's first package keeps
//! the configured form (`chore(release): prepare v1.2.3`); any other release
//! names each package (`chore(release): prepare demo v1.2.3 + demo-py v0.4.0`),
//! so `gh release-commit` tags exactly what the pull request released.

use crate::release::Release;

/// One package of a release: `(name, version as users see it, tag)`.
pub type Released<'a> = (&'a str, &'a str, &'a str);

/// What a release subject names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// The configured form: the workspace's first package at this version.
    First(String),
    /// `(package, version)` pairs, in the subject's order.
    Packages(Vec<(String, String)>),
}

/// The part of `template` that stands for the version: `v{version}` when the
/// template writes the `v` itself, else `{version}`.
fn slot(template: &str) -> &'static str {
    if template.contains("v{version}") {
        "v{version}"
    } else {
        "{version}"
    }
}

/// Whether the configured single-version form says everything: one release,
/// of the workspace's first package.
fn plain<'a>(first: &str, releases: &[Released<'a>]) -> Option<Released<'a>> {
    match releases {
        [only] if only.0 == first => Some(*only),
        _ => None,
    }
}

/// The release commit's subject (and the pull request's title) from the
/// `pr-commit-message` template; `first` is the workspace's first package.
pub fn pr_subject(template: &str, first: &str, releases: &[Released]) -> String {
    if let Some((_, version, _)) = plain(first, releases) {
        return template.replace("{version}", version);
    }
    let list = release_list(releases.iter().map(|(name, version, _)| (*name, *version)));
    template.replacen(slot(template), &list, 1)
}

/// `name v1.2.3 + name v0.4.0rc1`: the releases as a subject names them,
/// in the PR flow's subjects and the tag flow's `{releases}`.
pub fn release_list<'a>(releases: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    releases
        .map(|(name, version)| format!("{name} v{version}"))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The releases a [`release_list`] names, read back; `None` for any other text.
pub fn parse_release_list(list: &str) -> Option<Vec<(String, String)>> {
    let mut packages = Vec::new();
    for item in list.split(" + ") {
        let (name, version) = item.split_once(" v")?;
        if name.is_empty() || name.contains(' ') || version.is_empty() || version.contains(' ') {
            return None;
        }
        packages.push((name.to_string(), version.to_string()));
    }
    Some(packages)
}

/// The pull request's body: each released package's new changelog section,
/// under its name and version when there are several (without a final
/// newline, as a single section comes).
pub fn pr_body(sections: &[(Released, String)]) -> String {
    match sections {
        [] => String::new(),
        [(_, body)] => body.clone(),
        _ => sections
            .iter()
            .map(|((name, version, _), body)| format!("## {name} {version}\n\n{}", body.trim_end()))
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

/// A subject without the pull request number a squash merge appends (` (#42)`).
pub fn without_pr_number(subject: &str) -> &str {
    match subject.rsplit_once(" (#") {
        Some((head, number))
            if number
                .strip_suffix(')')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            head
        }
        _ => subject,
    }
}

/// What a subject in the `pr-commit-message` form names; `None` for any
/// other subject. Versions come back as written, without their `v`.
pub fn parse_pr_subject(template: &str, subject: &str) -> Option<Named> {
    let slot = slot(template);
    let (pre, post) = template.split_once(slot)?;
    let rest = without_pr_number(subject)
        .strip_prefix(pre)?
        .strip_suffix(post)?;
    if rest.is_empty() {
        return None;
    }
    if !rest.contains(' ') {
        // The slot's own `v`, when the template writes one, comes first.
        let version = match slot.strip_suffix("{version}") {
            Some("v") => rest.strip_prefix('v')?,
            _ => rest,
        };
        return (!version.is_empty()).then(|| Named::First(version.to_string()));
    }
    parse_release_list(rest).map(Named::Packages)
}

/// The release plan's subject and branch in the PR flow: [`pr_subject`],
/// and the configured branch, whose name never changes (one pull request).
pub fn plan_subject_and_branch(
    ws: &crate::model::workspace::Workspace,
    releases: &[Release],
    base: &str,
) -> (String, String) {
    let first = ws.packages.first().map_or("", |p| p.name.as_str());
    let released: Vec<Released> = releases
        .iter()
        .map(|r| (r.package.as_str(), r.display.as_str(), r.tag.as_str()))
        .collect();
    (
        pr_subject(&ws.config.pr_commit_message, first, &released),
        ws.config.pr_branch_for(base),
    )
}

/// The pull request's body from the plan: the new section of each released
/// package's changelog, as the edits will write it, then `change_list` (the
/// change files it consumes) and the API verdicts; text from files is
/// data, so a control character in it shows, never acts.
pub fn plan_body(
    ws: &crate::model::workspace::Workspace,
    edits: &crate::edit::Edits,
    releases: &[Release],
    change_list: &str,
) -> String {
    let sections: Vec<(Released, String)> = releases
        .iter()
        .filter_map(|r| {
            let released = (r.package.as_str(), r.display.as_str(), r.tag.as_str());
            // A package without a changelog: the notes the plan drafted.
            if let Some(notes) = &r.notes {
                return Some((released, notes.trim_end().to_string()));
            }
            let package = ws.package(&r.package)?;
            let path = package.changelog.as_ref()?;
            let text = &edits.changed().find(|e| &e.path == path)?.after;
            let series = ws.series(package);
            let notes = crate::changelog::notes(path, text, &r.display, &series).ok()?;
            Some((released, notes.body))
        })
        .collect();
    let body = pr_body(&sections);
    let body = match (body.trim_end(), change_list.trim_end()) {
        (body, "") => body.to_string(),
        ("", list) => list.to_string(),
        (body, list) => format!("{body}\n\n{list}"),
    };
    crate::out::sanitize::text(&with_api(body, releases))
}

/// The body with each package's API verdict below it, for the reviewer.
fn with_api(body: String, releases: &[Release]) -> String {
    let lines: Vec<String> = releases
        .iter()
        .filter(|r| !r.api.is_empty())
        .map(|r| format!("- {}: {}", r.package, r.api))
        .collect();
    if lines.is_empty() {
        return body;
    }
    let body = body.trim_end();
    let gap = if body.is_empty() { "" } else { "\n\n" };
    format!("{body}{gap}### API\n\n{}", lines.join("\n"))
}

/// The release commit's subject from `template` (`release: {releases}`,
/// the list `name v1.2.3 + …`); [`parse_commit_subject`] reads it back, which
/// is how a release whose journal is lost is recognised.
pub fn commit_subject(template: &str, releases: &[Release]) -> String {
    let list = release_list(
        releases
            .iter()
            .map(|r| (r.package.as_str(), r.display.as_str())),
    );
    template.replace("{releases}", &list)
}

/// The `(package, version)` pairs named by a release commit's subject made
/// from `template` (`release: {releases}`, the list `name v1.2.3 + …`);
/// `None` for any other subject (pure).
pub fn parse_commit_subject(template: &str, subject: &str) -> Option<Vec<(String, String)>> {
    let (pre, post) = template.split_once("{releases}")?;
    let list = subject.trim().strip_prefix(pre)?.strip_suffix(post)?;
    parse_release_list(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "chore(release): prepare v{version}";
    const CRATE: Released = ("demo", "1.2.0", "v1.2.0");
    const PY: Released = ("demo-py", "0.4.0rc1", "py-v0.4.0-rc.1");

    fn named(pairs: &[(&str, &str)]) -> Named {
        Named::Packages(
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn the_first_package_alone_keeps_the_configured_form() {
        assert_eq!(
            pr_subject(TEMPLATE, "demo", &[CRATE]),
            "chore(release): prepare v1.2.0"
        );
    }

    #[test]
    fn another_package_or_several_are_named() {
        assert_eq!(
            pr_subject(TEMPLATE, "demo", &[PY]),
            "chore(release): prepare demo-py v0.4.0rc1"
        );
        assert_eq!(
            pr_subject(TEMPLATE, "demo", &[CRATE, PY]),
            "chore(release): prepare demo v1.2.0 + demo-py v0.4.0rc1"
        );
    }

    #[test]
    fn a_template_without_its_own_v_names_packages_the_same_way() {
        let template = "release {version} [skip changelog]";
        assert_eq!(
            pr_subject(template, "demo", &[CRATE]),
            "release 1.2.0 [skip changelog]"
        );
        let both = pr_subject(template, "demo", &[CRATE, PY]);
        assert_eq!(
            both,
            "release demo v1.2.0 + demo-py v0.4.0rc1 [skip changelog]"
        );
        assert_eq!(
            parse_pr_subject(template, &both),
            Some(named(&[("demo", "1.2.0"), ("demo-py", "0.4.0rc1")]))
        );
    }

    #[test]
    fn render_then_parse_gives_back_what_was_released() {
        for (first, releases) in [
            ("demo", vec![CRATE]),
            ("demo", vec![PY]),
            ("demo", vec![CRATE, PY]),
            ("demo", vec![PY, CRATE]),
            ("demo-py", vec![PY]),
        ] {
            for template in [TEMPLATE, "release {version}", "v{version}: release"] {
                let subject = pr_subject(template, first, &releases);
                let expected = match plain(first, &releases) {
                    Some((_, version, _)) => Named::First(version.to_string()),
                    None => named(
                        &releases
                            .iter()
                            .map(|(n, v, _)| (*n, *v))
                            .collect::<Vec<_>>(),
                    ),
                };
                assert_eq!(
                    parse_pr_subject(template, &subject),
                    Some(expected.clone()),
                    "{subject}"
                );
                // A squash merge appends the pull request number.
                let squashed = format!("{subject} (#42)");
                assert_eq!(
                    parse_pr_subject(template, &squashed),
                    Some(expected),
                    "{squashed}"
                );
            }
        }
    }

    #[test]
    fn other_subjects_are_not_release_subjects() {
        for subject in [
            "chore(release): prepare",
            "chore(release): prepare v",
            "chore(release): prepare demo 1.2.0",
            "chore(release): prepare demo v1.2.0 +  v1",
            "chore(release): prepare demo v1.2.0 + ",
            "chore(release): prepare a b v1.2.0",
            "chore: prepare v1.2.0",
            "release: demo v1.2.0",
        ] {
            assert_eq!(parse_pr_subject(TEMPLATE, subject), None, "{subject}");
        }
    }

    #[test]
    fn only_a_numeric_pr_suffix_is_dropped() {
        assert_eq!(without_pr_number("x (#42)"), "x");
        assert_eq!(without_pr_number("x (#)"), "x (#)");
        assert_eq!(without_pr_number("x (#4; y)"), "x (#4; y)");
        assert_eq!(without_pr_number("x"), "x");
    }

    #[test]
    fn the_body_carries_every_new_section() {
        assert_eq!(pr_body(&[]), "");
        assert_eq!(
            pr_body(&[(CRATE, "### Added\n\n- A.\n".into())]),
            "### Added\n\n- A.\n"
        );
        assert_eq!(
            pr_body(&[
                (CRATE, "### Added\n\n- A.\n".into()),
                (PY, "### Fixed\n\n- B.\n".into())
            ]),
            "## demo 1.2.0\n\n### Added\n\n- A.\n\n## demo-py 0.4.0rc1\n\n### Fixed\n\n- B."
        );
    }

    #[test]
    fn a_commit_subject_reads_back_as_the_releases_it_names() {
        let release = |package: &str, display: &str| Release {
            package: package.into(),
            from: semver::Version::new(0, 1, 0),
            to: semver::Version::new(0, 5, 0),
            display: display.into(),
            shown: display.into(),
            tag: String::new(),
            tag_message: String::new(),
            why: String::new(),
            base: None,
            api: String::new(),
            api_refusal: None,
            notes: None,
        };
        let releases = [
            release("demo-core", "0.5.0"),
            release("demo-py", "0.3.1rc1"),
        ];
        for template in ["release: {releases}", "Release {releases} [skip ci]"] {
            let subject = commit_subject(template, &releases);
            assert_eq!(
                parse_commit_subject(template, &subject),
                Some(vec![
                    ("demo-core".into(), "0.5.0".into()),
                    ("demo-py".into(), "0.3.1rc1".into())
                ]),
                "{subject}"
            );
        }
        assert_eq!(
            commit_subject("release: {releases}", &releases[..1]),
            "release: demo-core v0.5.0"
        );
    }

    #[test]
    fn commit_subjects_parse_back_to_their_releases() {
        let t = "release: {releases}";
        assert_eq!(
            parse_commit_subject(t, "release: demo-core v0.5.0 + demo-py v0.3.1rc1"),
            Some(vec![
                ("demo-core".into(), "0.5.0".into()),
                ("demo-py".into(), "0.3.1rc1".into())
            ])
        );
        assert_eq!(
            parse_commit_subject(t, "release: a v1.0.0"),
            Some(vec![("a".into(), "1.0.0".into())])
        );
        for other in ["fix: x", "release: ", "release: a 1.0.0", "release:a v1"] {
            assert_eq!(parse_commit_subject(t, other), None, "{other}");
        }
        assert_eq!(
            parse_commit_subject("Release {releases} [skip ci]", "Release a v2.0.0 [skip ci]"),
            Some(vec![("a".into(), "2.0.0".into())])
        );
    }
}
