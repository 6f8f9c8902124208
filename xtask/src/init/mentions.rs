//! The versions a repository writes outside its manifests, found as
//! mentions: in Markdown, a package's name followed by its current version
//! in a form installs take (`name = "1.4.0"`, `name = "=1.4.0"`,
//! `name = "1.4"`, `name = { version = "1.4.0" … }`, `name==1.4.0`,
//! `name@1.4.0`); in a Node binding's `package.json` files, the values at
//! `version` and at each dependency on its platform packages. Each is kept
//! only when the mention, as configured, finds this version and no other in
//! its file. Pure.

use regex::Regex;
use semver::Version;

use crate::model::config::{At, Mention};
use crate::text::version::to_pep440;

/// A mention found, and the line it was found on (`README.md:4: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub mention: Mention,
    pub why: String,
}

/// Whether `mention` finds `version` in `text`, and only it.
pub(super) fn holds(mention: &Mention, text: &str, version: &Version) -> Option<usize> {
    let found = mention.find(text).ok()?;
    let wanted = mention.wanted(version).ok()?;
    let first = found.first()?;
    found
        .iter()
        .all(|f| f.value == wanted)
        .then_some(first.line)
}

/// `path:line: the line`, cut short, for a comment.
pub(super) fn at(path: &str, text: &str, line: usize) -> String {
    let shown = text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim();
    let cut: String = shown.chars().take(60).collect();
    let more = if cut.len() < shown.len() { "…" } else { "" };
    format!("{path}:{line}: {cut}{more}")
}

/// The forms a name is followed by, as regexes over what follows it (the
/// version written `VERSION`), each capturing the text between the name and
/// the version, with whether a closing quote follows and whether PEP 440's
/// spelling is tried first (pip's form).
const FORMS: [(&str, bool, bool); 4] = [
    (r#"^(\s*=\s*"=?)VERSION""#, true, false),
    (
        r#"^(\s*=\s*\{[^}\n]*?\bversion\s*=\s*"=?)VERSION""#,
        true,
        false,
    ),
    (r"^(==)VERSION\b", false, true),
    (r"^(@)VERSION\b", false, false),
];

/// The patterns `text` suggests for `name` at `version`: one per place and
/// form, in the first spelling of the version that is there.
fn patterns(name: &str, text: &str, version: &Version) -> Vec<String> {
    let semver = (version.to_string(), "{version}");
    let pep = to_pep440(version).ok().map(|p| (p, "{pep440}"));
    let minor = (
        format!("{}.{}", version.major, version.minor),
        "{major}.{minor}",
    );
    let name_at = Regex::new(&format!(r"(^|[^\w.@/-]){}", regex::escape(name))).expect("escaped");
    let mut out = Vec::new();
    for m in name_at.find_iter(text) {
        let rest = &text[m.end()..];
        for (form, quoted, pip) in FORMS {
            let mut spellings: Vec<&(String, &str)> = vec![&semver];
            spellings.insert(usize::from(!pip), pep.as_ref().unwrap_or(&semver));
            // `X.Y` only as a whole quoted requirement of a release.
            if quoted && version.pre.is_empty() {
                spellings.push(&minor);
            }
            let found = spellings.iter().find_map(|(spelled, hole)| {
                let regex = form.replace("VERSION", &regex::escape(spelled));
                let c = Regex::new(&regex).ok()?.captures(rest)?;
                let close = if quoted { "\"" } else { "" };
                Some(format!("{name}{}{hole}{close}", &c[1]))
            });
            if let Some(pattern) = found
                && !out.contains(&pattern)
            {
                out.push(pattern);
            }
        }
    }
    out
}

/// The mentions of a package named `names` (its crate names, its Python
/// project's name) at `version` in the Markdown `files`.
pub fn in_markdown<'a>(
    names: &[String],
    version: &Version,
    files: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for (path, text) in files {
        for name in names {
            for pattern in patterns(name, text, version) {
                let mention = Mention {
                    file: path.to_string(),
                    at: At::Pattern(pattern),
                    optional: false,
                };
                if out.iter().any(|f| f.mention == mention) {
                    continue;
                }
                if let Some(line) = holds(&mention, text, version) {
                    out.push(Found {
                        why: at(path, text, line),
                        mention,
                    });
                }
            }
        }
    }
    out
}

/// The keys of a `package.json` holding `version`: `version`, and each
/// dependency (of any kind) on a package at exactly this version.
pub fn in_package_json(path: &str, text: &str, version: &Version) -> Vec<Found> {
    let mut keys = vec!["version".to_string()];
    let entry = Regex::new(&format!(
        r#""([^"\n.]+)"\s*:\s*"{}""#,
        regex::escape(&version.to_string())
    ))
    .expect("escaped");
    let names: Vec<&str> = entry
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .filter(|n| *n != "version")
        .collect();
    for table in [
        "dependencies",
        "optionalDependencies",
        "peerDependencies",
        "devDependencies",
    ] {
        keys.extend(names.iter().map(|n| format!("{table}.{n}")));
    }
    keys.into_iter()
        .filter_map(|key| {
            let mention = Mention {
                file: path.to_string(),
                at: At::Key(key),
                optional: false,
            };
            let line = holds(&mention, text, version)?;
            Some(Found {
                why: at(path, text, line),
                mention,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    fn shown(found: &[Found]) -> Vec<String> {
        found
            .iter()
            .map(|f| match &f.mention.at {
                At::Pattern(p) => format!("{} {p}", f.mention.file),
                At::Key(k) => format!("{} key {k}", f.mention.file),
            })
            .collect()
    }

    #[test]
    fn install_lines_holding_the_version_become_patterns() {
        let readme = "# safebind\n\n```toml\nsafebind = \"0.7.0\"\nsafebind-macros = \"0.7.0\"\n```\n\n```sh\npip install safebind==0.7.0\ncargo add safebind@0.7.0\n```\n";
        let docs = "tidepool = { version = \"=0.7.0\", features = [\"x\"] }\nsafebind = \"0.7\"\n";
        let old = "Upgrading from `safebind = \"0.6.0\"`? Read on.\n";
        let files = [
            ("README.md", readme),
            ("docs/install.md", docs),
            ("docs/upgrade.md", old),
        ];
        let names = ["safebind".to_string(), "tidepool".to_string()];
        let found = in_markdown(&names, &v("0.7.0"), files.into_iter());
        assert_eq!(
            shown(&found),
            [
                "README.md safebind = \"{version}\"",
                "README.md safebind=={pep440}",
                "README.md safebind@{version}",
                "docs/install.md safebind = \"{major}.{minor}\"",
                "docs/install.md tidepool = { version = \"={version}\"",
            ]
        );
        assert_eq!(found[0].why, "README.md:4: safebind = \"0.7.0\"");
    }

    #[test]
    fn a_pattern_that_also_finds_another_version_is_left_out() {
        let text = "demo = \"1.0.0\"\n\nBefore 1.0: demo = \"0.9.0\"\n";
        let found = in_markdown(
            &["demo".into()],
            &v("1.0.0"),
            [("README.md", text)].into_iter(),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_pre_release_is_found_in_both_spellings() {
        let text = "tern = \"=0.23.1-rc0\"\npip install --pre tern==0.23.1rc0\n";
        let found = in_markdown(
            &["tern".into()],
            &v("0.23.1-rc0"),
            [("README.md", text)].into_iter(),
        );
        assert_eq!(
            shown(&found),
            [
                "README.md tern = \"={version}\"",
                "README.md tern=={pep440}"
            ]
        );
    }

    #[test]
    fn package_json_keys_at_the_version() {
        let text = "{\n  \"name\": \"@lumen/node\",\n  \"version\": \"2.3.0\",\n  \"optionalDependencies\": {\n    \"@lumen/node-linux-x64-gnu\": \"2.3.0\",\n    \"@lumen/node-darwin-arm64\": \"2.3.0\"\n  },\n  \"devDependencies\": { \"@napi-rs/cli\": \"^3.0.0\" }\n}\n";
        let found = in_package_json("node/package.json", text, &v("2.3.0"));
        assert_eq!(
            shown(&found),
            [
                "node/package.json key version",
                "node/package.json key optionalDependencies.@lumen/node-linux-x64-gnu",
                "node/package.json key optionalDependencies.@lumen/node-darwin-arm64",
            ]
        );
        assert!(in_package_json("p.json", "{\"version\": \"1.0.0\"}", &v("2.3.0")).is_empty());
    }
}
