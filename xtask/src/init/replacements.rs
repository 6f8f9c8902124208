//! cargo-release's `pre-release-replacements` carried over as mentions:
//! a replacement whose `replace` is the crate's name and version in
//! cargo-release's placeholders (`{{crate_name}} = "{{version}}"`) is the
//! pattern a mention takes (`NAME = "{version}"`), kept when it finds the
//! version in its file; those of a changelog are the release's own work,
//! and the others have no counterpart: each is said. Pure.

use semver::Version;

use super::mentions::{Found, at, holds};
use super::survey::{Crate, Survey, is_changelog};
use super::tools::Settings;
use crate::model::config::{At, Mention};
use crate::model::package::rel_join;

/// Each replacement of `settings` for the crate `head`: the mention it
/// becomes, or why it does not.
pub fn carried(
    survey: &Survey,
    settings: Option<&Settings>,
    head: &Crate,
    version: &Version,
) -> Vec<(Option<Found>, String)> {
    let Some(settings) = settings else {
        return Vec::new();
    };
    let name = &head.member.name;
    settings
        .replacements
        .iter()
        .map(|r| {
            let file = rel_join(&head.member.dir, &r.file);
            let said = |why: &str| {
                format!(
                    "cargo-release's replacement in {file} (search `{}`) {why}",
                    r.search
                )
            };
            if is_changelog(&file) {
                return (
                    None,
                    said("is left out: the release promotes the changelog itself"),
                );
            }
            let pattern = r
                .replace
                .replace("{{crate_name}}", name)
                .replace("{{version}}", "{version}");
            if pattern.contains("{{") || pattern.contains('$') || !pattern.contains("{version}") {
                return (None, said("has no counterpart here: left out"));
            }
            let mention = Mention {
                file: file.clone(),
                at: At::Pattern(pattern),
                optional: false,
            };
            let Some(text) = survey.text(&file) else {
                return (None, said("names a file that is not there: left out"));
            };
            match holds(&mention, text, version) {
                Some(line) => {
                    let why = format!("cargo-release's replacement; {}", at(&file, text, line));
                    (Some(Found { mention, why }), String::new())
                }
                None => (
                    None,
                    said(&format!("does not find {version} there: left out")),
                ),
            }
        })
        .collect()
}
