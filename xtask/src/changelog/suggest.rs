//! The bump level the commits since the last release call for.

use semver::Version;

use super::commits::{Commit, parse_conventional};
use crate::text::version::Level;

/// Breaking → major (minor while the major version is 0), else a feature →
/// minor, else any commit → patch. The reason names the deciding commit:
/// the first one, in the given order, of the winning kind.
pub fn suggest(commits: &[Commit], current: &Version) -> Option<(Level, String)> {
    let mut feature = None;
    for commit in commits {
        let cc = parse_conventional(&commit.subject, &commit.body);
        if cc.breaking {
            let named = name(commit);
            return Some(if current.major == 0 {
                (
                    Level::Minor,
                    format!("{named} is a breaking change (minor while the major version is 0)"),
                )
            } else {
                (Level::Major, format!("{named} is a breaking change"))
            });
        }
        if feature.is_none() && cc.kind == "feat" {
            feature = Some(commit);
        }
    }
    if let Some(commit) = feature {
        return Some((Level::Minor, format!("{} adds a feature", name(commit))));
    }
    let first = commits.first()?;
    Some((
        Level::Patch,
        format!(
            "{} and the rest neither add a feature nor break anything",
            name(first)
        ),
    ))
}

/// `a1b2c3d (feat: add x)`.
fn name(commit: &Commit) -> String {
    let short: String = commit.hash.chars().take(7).collect();
    format!("{short} ({})", commit.subject.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(hash: &str, subject: &str, body: &str) -> Commit {
        Commit {
            hash: hash.into(),
            subject: subject.into(),
            body: body.into(),
            ..Commit::default()
        }
    }

    #[test]
    fn levels_and_reasons() {
        let fix = c("1111111aaaa", "fix: a", "");
        let feat = c("2222222bbbb", "feat(x): b", "");
        let feat2 = c("2222223bbbb", "feat: b2", "");
        let bang = c("3333333cccc", "refactor!: c", "");
        let footer = c("4444444dddd", "fix: d", "BREAKING CHANGE: e");
        let chore = c("5555555eeee", "chore: f", "");
        let v = |s: &str| Version::parse(s).unwrap();
        type Case<'a> = (Vec<&'a Commit>, &'a str, Option<(Level, &'a str)>);
        let cases: Vec<Case> = vec![
            (vec![], "1.0.0", None),
            (
                vec![&chore],
                "1.0.0",
                Some((
                    Level::Patch,
                    "5555555 (chore: f) and the rest neither add a feature nor break anything",
                )),
            ),
            (
                vec![&chore, &fix],
                "0.3.0",
                Some((
                    Level::Patch,
                    "5555555 (chore: f) and the rest neither add a feature nor break anything",
                )),
            ),
            (
                vec![&fix, &feat, &feat2],
                "1.2.0",
                Some((Level::Minor, "2222222 (feat(x): b) adds a feature")),
            ),
            (
                vec![&fix, &feat, &feat2],
                "0.2.0",
                Some((Level::Minor, "2222222 (feat(x): b) adds a feature")),
            ),
            (
                vec![&feat, &bang, &footer],
                "1.2.0",
                Some((Level::Major, "3333333 (refactor!: c) is a breaking change")),
            ),
            (
                vec![&footer, &bang],
                "1.2.0",
                Some((Level::Major, "4444444 (fix: d) is a breaking change")),
            ),
            (
                vec![&feat, &bang],
                "0.9.1",
                Some((
                    Level::Minor,
                    "3333333 (refactor!: c) is a breaking change (minor while the major version is 0)",
                )),
            ),
            (
                vec![&bang],
                "1.0.0-rc.1",
                Some((Level::Major, "3333333 (refactor!: c) is a breaking change")),
            ),
        ];
        for (commits, current, want) in cases {
            let commits: Vec<Commit> = commits.into_iter().cloned().collect();
            let got = suggest(&commits, &v(current));
            let got = got.as_ref().map(|(l, r)| (*l, r.as_str()));
            assert_eq!(got, want, "{current}");
        }
    }
}
