//! How a package's API verdict bears on its release (pure): the level `auto`
//! proposes, the plan line, and the refusal of a level below what the API
//! needs.

use semver::Version;

use crate::text::api::{self, Verdict};
use crate::text::version::Level;

/// The level `auto` proposes from the suggestion of the commits (or the
/// change files: `by` names what decided it) and the verdict against `base`
/// (the previous release's version): the stronger of the two, and why.
pub fn auto_level(
    (commits, by): (Option<(Level, String)>, &str),
    verdict: &Verdict,
    base: Option<&Version>,
) -> Option<(Level, String)> {
    let needed = base.and_then(|base| api::needed(verdict, base));
    match (commits, needed) {
        (Some((level, why)), Some((need, reason))) if api::stronger(need, level) != level => {
            Some((
                need,
                format!("{reason}, although {why} ({level} by {by} alone)"),
            ))
        }
        (Some(found), _) => Some(found),
        (None, Some(need)) => Some(need),
        (None, None) => None,
    }
}

/// The plan's `api:` line of a package.
pub fn line(verdict: &Verdict, refused: bool, allow_breaking: bool) -> String {
    let mut out = format!("api: {}", verdict.describe());
    if !verdict.known() {
        out.push_str("; the level rests on the commits only");
    }
    if refused && allow_breaking {
        out.push_str("; released as it is (--allow-breaking)");
    } else if refused {
        out.push_str("; the pre-flight refuses this level (see the warning)");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    const C: &str = "the commits";

    #[test]
    fn auto_takes_the_stronger_level_and_says_why() {
        let breaking = Verdict::Breaking(vec!["function demo::gone".into()]);
        let commits = Some((Level::Patch, "fix: tidy is a fix".to_string()));
        let (level, why) = auto_level((commits.clone(), C), &breaking, Some(&v("0.1.0"))).unwrap();
        assert_eq!(level, Level::Minor);
        assert_eq!(
            why,
            "the public API has breaking changes (minor while the major version is 0), although fix: tidy is a fix (patch by the commits alone)"
        );
        let (level, _) = auto_level((commits.clone(), C), &breaking, Some(&v("1.1.0"))).unwrap();
        assert_eq!(level, Level::Major);
        // Commits that already call for enough keep their reason.
        let feat = Some((Level::Minor, "feat: x adds a feature".to_string()));
        assert_eq!(
            auto_level((feat.clone(), C), &breaking, Some(&v("0.1.0"))),
            feat
        );
        // No verdict, or no baseline: the commits decide.
        assert_eq!(
            auto_level(
                (commits.clone(), C),
                &Verdict::Skipped("x".into()),
                Some(&v("1.0.0"))
            ),
            commits
        );
        assert_eq!(auto_level((commits.clone(), C), &breaking, None), commits);
        // Additions lift a 1.x patch to minor, not a 0.x one.
        let additions = Verdict::Additions(vec!["pkg.mul".into()]);
        assert_eq!(
            auto_level((commits.clone(), C), &additions, Some(&v("1.0.0")))
                .unwrap()
                .0,
            Level::Minor
        );
        assert_eq!(
            auto_level((commits.clone(), C), &additions, Some(&v("0.3.0"))),
            commits
        );
        // A change file that decided is named as such.
        let file = Some((Level::Patch, ".changes/tidy.md".to_string()));
        assert_eq!(
            auto_level((file, "the change files"), &breaking, Some(&v("0.1.0")))
                .unwrap()
                .1,
            "the public API has breaking changes (minor while the major version is 0), although .changes/tidy.md (patch by the change files alone)"
        );
    }

    #[test]
    fn lines_say_what_is_known() {
        assert_eq!(line(&Verdict::Compatible, false, false), "api: compatible");
        assert_eq!(
            line(&Verdict::Skipped("--skip griffe".into()), false, false),
            "api: not checked (--skip griffe); the level rests on the commits only"
        );
        assert!(
            line(&Verdict::Breaking(vec!["x".into()]), true, true).ends_with("(--allow-breaking)")
        );
    }
}
