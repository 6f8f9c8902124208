//! Every version field the configuration implies, each checked against the
//! package version it must follow (pure, over the loaded model).

use crate::changelog;
use crate::model::field::field;
pub use crate::model::field::{Field, Kind};
use crate::model::group::{group_fields, pyproject_field};
use crate::model::lock_fields::lock_fields;
use crate::model::package::{Member, Package, ROOT_MANIFEST};
use crate::model::workspace::Workspace;
use crate::text::manifest::DepRef;
use crate::text::mentions::Found;
use crate::text::requirement;
use crate::text::tag_index::TagIndex;
use crate::text::toml::StrValue;

/// All fields; `tags` are the repository's tags of the configured series.
pub fn fields(ws: &Workspace, tags: &TagIndex) -> Vec<Field> {
    fields_with(ws, tags, true)
}

/// `fields`; the changelogs' rows (each a parse of its file) only when
/// `changelogs`.
fn fields_with(ws: &Workspace, tags: &TagIndex, changelogs: bool) -> Vec<Field> {
    let mut out = Vec::new();
    for package in &ws.packages {
        out.push(manifest_field(ws, package));
        out.extend(group_fields(ws, package));
        out.extend(pin_fields(ws, package));
        let pyproject = package.pyproject.as_deref();
        out.extend(pyproject.map(|path| pyproject_field(ws, package, path)));
        out.extend(mention_fields(ws, package));
        out.push(tag_field(package, tags));
        if changelogs {
            out.extend(changelog_field(ws, package));
        }
    }
    out.extend(lock_fields(ws));
    out
}

/// The version in the package's manifest, or in the root's
/// `[workspace.package]` when it inherits it.
fn manifest_field(ws: &Workspace, package: &Package) -> Field {
    let member = ws.member(&package.name).expect("packages are members");
    let (file, line) = if member.inherited {
        (ROOT_MANIFEST.to_string(), ws.workspace_version_line)
    } else {
        (member.manifest.clone(), member.version_line)
    };
    let version = package.version.to_string();
    field(package, Kind::Manifest, &file, line, version, None)
}

/// Every dependent's version requirement on the package or a crate of its
/// group (path deps with a version).
fn pin_fields(ws: &Workspace, package: &Package) -> Vec<Field> {
    let current = &package.version;
    let pin = |(dependent, dep, req): (&Member, &DepRef, &StrValue)| {
        let holder = if dependent.name.is_empty() {
            "[workspace.dependencies]".to_string()
        } else {
            dependent.name.clone()
        };
        let problem = (!requirement::satisfies(&req.value, current)).then(|| {
            let fix = match requirement::raise(&req.value, current) {
                Ok(raised) => {
                    format!("set the requirement to \"{raised}\", or run `cargo xtask sync`")
                }
                Err(_) => format!(
                    "widen the requirement to admit {current}, or write a single version such as \"{current}\" (`cargo xtask sync` cannot move a range)"
                ),
            };
            format!(
                "{}:{}: `{holder}` requires {} `{}` but {} is {current}: {fix}",
                dependent.manifest, req.line, dep.package, req.value, dep.package
            )
        });
        let file = &dependent.manifest;
        Field {
            holder: Some(holder),
            ..field(
                package,
                Kind::Pin,
                file,
                req.line,
                req.value.clone(),
                problem,
            )
        }
    };
    std::iter::once(&package.name)
        .chain(&package.crates)
        .flat_map(|name| ws.pins(name))
        .map(pin)
        .collect()
}

/// Every version the package's mentions find.
fn mention_fields(ws: &Workspace, package: &Package) -> Vec<Field> {
    let current = &package.version;
    let mut out = Vec::new();
    for mention in &package.mentions {
        let file = &mention.file;
        if ws.skipped(mention) {
            let value = "no file (optional): skipped".into();
            out.push(field(package, Kind::Mention, file, 0, value, None));
            continue;
        }
        let found = mention
            .find(ws.files.text(file))
            .and_then(|found| Ok((mention.wanted(current)?, found)));
        let (wanted, found) = match found {
            Ok(found) => found,
            Err(err) => {
                let problem = Some(format!("{err:#}"));
                let value = mention.describe();
                out.push(field(package, Kind::Mention, file, 0, value, problem));
                continue;
            }
        };
        if found.is_empty() {
            let problem = Some(format!(
                "{file}: no text matches the mention {}: fix the pattern or remove it",
                mention.describe()
            ));
            let value = "not found".into();
            out.push(field(package, Kind::Mention, file, 0, value, problem));
        }
        for Found { line, value, .. } in found {
            let problem = (value != wanted).then(|| {
                format!("{file}:{line}: mentions {} {value}, the current version is {wanted}: update it, or run `cargo xtask sync`", package.name)
            });
            out.push(field(package, Kind::Mention, file, line, value, problem));
        }
    }
    out
}

/// The package's previous release, by the rule of `release_tags` (tags
/// above the manifest are warnings, `tags_above`).
fn tag_field(package: &Package, tags: &TagIndex) -> Field {
    let previous = package.previous_release(tags, &package.version);
    let value = previous.map_or_else(|| "none".to_string(), |(tag, _)| tag);
    field(package, Kind::Tag, &package.tag.template, 0, value, None)
}

/// A warning for each tag of a series above its manifest's version: not
/// taken as the previous release, and named so a stray one can be ignored.
pub fn tags_above(ws: &Workspace, tags: &TagIndex) -> Vec<String> {
    let mut out = Vec::new();
    for package in &ws.packages {
        for (tag, _) in package.tags_above(tags) {
            out.push(format!(
                "{tag} is above {} {} ({}) and is not taken as its previous release: add it to `ignore-tags` if it is no release of {}, or bump past it",
                package.name, package.version, package.manifest, package.name
            ));
        }
    }
    out
}

/// The newest release section of the package's changelog.
fn changelog_field(ws: &Workspace, package: &Package) -> Option<Field> {
    let path = package.changelog.as_ref()?;
    if ws.files.is_absent(path) {
        let value = "none (no file yet: the next release creates it)".into();
        return Some(field(package, Kind::Changelog, path, 0, value, None));
    }
    let row = match changelog::parse_in(path, ws.files.text(path), &ws.series(package)) {
        Ok(cl) => match cl.newest() {
            Some(s) => {
                let value = s.name().to_string();
                field(package, Kind::Changelog, path, s.line + 1, value, None)
            }
            None => field(package, Kind::Changelog, path, 0, "none".into(), None),
        },
        Err(err) => {
            let problem = Some(format!("{err:#}"));
            field(
                package,
                Kind::Changelog,
                path,
                0,
                "unparsable".into(),
                problem,
            )
        }
    };
    Some(row)
}

/// The problems `sync` repairs: fields of the packages `names` (pins,
/// `pyproject.toml`, mentions, their `Cargo.lock` entries) that disagree with
/// their package's version and can be set to it.
pub fn drift(ws: &Workspace, names: &[&str]) -> Vec<Field> {
    // No changelog row is drift: a 50 MB changelog is not parsed to say so.
    fields_with(ws, &TagIndex::default(), false)
        .into_iter()
        .filter(|f| {
            matches!(
                f.kind,
                Kind::Pin | Kind::Pyproject | Kind::Lock | Kind::Mention
            ) || (f.kind == Kind::Manifest && f.holder.is_some())
        })
        .filter(|f| names.contains(&f.package.as_str()) && f.line > 0 && f.problem.is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::{krate, load};

    const CORE: &str = "[package]\nname = \"core\"\nversion = \"1.2.3\"\n";

    /// A workspace of `core` 1.2.3 (its manifest is `CORE`), its dependent
    /// `app` (unreleased) and `files` added or in place of those.
    fn ws(files: &[(&str, &str)]) -> Workspace {
        let mut all: Vec<(&str, &str)> = vec![
            ("Cargo.toml", "[workspace]\nmembers = [\"core\", \"app\"]\n"),
            ("core/Cargo.toml", CORE),
            (
                "app/Cargo.toml",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\npublish = false\n",
            ),
        ];
        for (path, text) in files {
            all.retain(|(p, _)| p != path);
            all.push((path, text));
        }
        load(&all)
    }

    /// The fields of `kind`, each as `package holder location value`, then
    /// ` | problem` when it has one.
    fn rows(ws: &Workspace, tags: &[&str], kind: Kind) -> Vec<String> {
        fields(ws, &TagIndex::of_names(tags))
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| {
                let holder = f.holder.as_deref().unwrap_or("-");
                let row = format!("{} {holder} {} {}", f.package, f.location(), f.value);
                match &f.problem {
                    Some(problem) => format!("{row} | {problem}"),
                    None => row,
                }
            })
            .collect()
    }

    #[test]
    fn manifest_fields() {
        assert_eq!(
            rows(&ws(&[]), &[], Kind::Manifest),
            ["core - core/Cargo.toml:3 1.2.3"]
        );
        let inherited = ws(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"core\", \"app\"]\n\n[workspace.package]\nversion = \"2.0.0\"\n",
            ),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion.workspace = true\n",
            ),
        ]);
        assert_eq!(
            rows(&inherited, &[], Kind::Manifest),
            ["core - Cargo.toml:5 2.0.0"]
        );
    }

    #[test]
    fn pin_fields() {
        let app = |dep: &str| {
            krate(
                "app",
                "0.1.0",
                &format!("publish = false\n[dependencies]\n{dep}\n"),
            )
        };
        let rows_of = |dep: &str| rows(&ws(&[("app/Cargo.toml", &app(dep))]), &[], Kind::Pin);
        let table: [(&str, &[&str]); 9] = [
            (
                "core = { path = \"../core\", version = \"1.2.3\" }",
                &["core app app/Cargo.toml:6 1.2.3"],
            ),
            (
                "core = { path = \"../core\", version = \"=1.2.3\" }",
                &["core app app/Cargo.toml:6 =1.2.3"],
            ),
            // Requirements that 1.2.3 satisfies are no drift.
            (
                "core = { path = \"../core\", version = \"1.2.0\" }",
                &["core app app/Cargo.toml:6 1.2.0"],
            ),
            (
                "core = { path = \"../core\", version = \"^1.2\" }",
                &["core app app/Cargo.toml:6 ^1.2"],
            ),
            (
                "core = { path = \"../core\", version = \">=1.0, <2\" }",
                &["core app app/Cargo.toml:6 >=1.0, <2"],
            ),
            (
                "core = { path = \"../core\", version = \"=1.2.0\" }",
                &[
                    "core app app/Cargo.toml:6 =1.2.0 | app/Cargo.toml:6: `app` requires core `=1.2.0` but core is 1.2.3: set the requirement to \"=1.2.3\", or run `cargo xtask sync`",
                ],
            ),
            (
                "core = { path = \"../core\", version = \"0.9\" }",
                &[
                    "core app app/Cargo.toml:6 0.9 | app/Cargo.toml:6: `app` requires core `0.9` but core is 1.2.3: set the requirement to \"1.2\", or run `cargo xtask sync`",
                ],
            ),
            (
                "core = { path = \"../core\", version = \">=1.0, <1.2\" }",
                &[
                    "core app app/Cargo.toml:6 >=1.0, <1.2 | app/Cargo.toml:6: `app` requires core `>=1.0, <1.2` but core is 1.2.3: widen the requirement to admit 1.2.3, or write a single version such as \"1.2.3\" (`cargo xtask sync` cannot move a range)",
                ],
            ),
            ("core = { path = \"../core\" }", &[]),
        ];
        for (dep, expected) in table {
            assert_eq!(rows_of(dep), expected, "{dep}");
        }
        let root = "[workspace]\nmembers = [\"core\", \"app\"]\n\n[workspace.dependencies]\ncore = { path = \"core\", version = \"1.2.3\" }\n";
        assert_eq!(
            rows(&ws(&[("Cargo.toml", root)]), &[], Kind::Pin),
            ["core [workspace.dependencies] Cargo.toml:5 1.2.3"]
        );
    }

    #[test]
    fn pyproject_fields() {
        let binding = "[package]\nname = \"core\"\nversion = \"1.3.0-rc.1\"\n";
        let table: [(&str, &str, &str); 5] = [
            (
                CORE,
                "[project]\nname = \"core\"\nversion = \"1.2.3\"\n",
                "core - core/pyproject.toml:3 1.2.3",
            ),
            (
                binding,
                "[project]\nname = \"core\"\nversion = \"1.3.0rc1\"\n",
                "core - core/pyproject.toml:3 1.3.0rc1",
            ),
            (
                CORE,
                "[project]\nname = \"core\"\nversion = \"1.2.0\"\n",
                "core - core/pyproject.toml:3 1.2.0 | core/pyproject.toml:3: version \"1.2.0\" disagrees with core/Cargo.toml version 1.2.3: set it to \"1.2.3\", or run `cargo xtask sync`",
            ),
            (
                CORE,
                "[project]\nname = \"core\"\ndynamic = [\"version\"]\n",
                "core - core/pyproject.toml dynamic (from Cargo.toml)",
            ),
            (
                CORE,
                "[tool.maturin]\n",
                "core - core/pyproject.toml unreadable | core/pyproject.toml: no `[project]` table: add one with `name` and `version`",
            ),
        ];
        for (manifest, pyproject, expected) in table {
            let ws = ws(&[
                ("core/Cargo.toml", manifest),
                ("core/pyproject.toml", pyproject),
            ]);
            assert_eq!(rows(&ws, &[], Kind::Pyproject), [expected], "{pyproject}");
        }
        assert!(rows(&ws(&[]), &[], Kind::Pyproject).is_empty());
    }

    #[test]
    fn lock_fields() {
        let lock = |core: &str| {
            format!(
                "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n{core}\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
            )
        };
        let table: [(String, &[&str]); 3] = [
            (
                lock("\n[[package]]\nname = \"core\"\nversion = \"1.2.3\"\n"),
                &["core - Cargo.lock:9 1.2.3", "app - Cargo.lock:5 0.1.0"],
            ),
            (
                lock("\n[[package]]\nname = \"core\"\nversion = \"1.2.0\"\n"),
                &[
                    "core - Cargo.lock:9 1.2.0 | Cargo.lock:9: `core` is locked at 1.2.0 but core/Cargo.toml says 1.2.3: run `cargo update --workspace --offline` or `cargo xtask sync`",
                    "app - Cargo.lock:5 0.1.0",
                ],
            ),
            (
                lock(""),
                &[
                    "core - Cargo.lock missing | Cargo.lock: no entry for `core`: run `cargo generate-lockfile --offline`",
                    "app - Cargo.lock:5 0.1.0",
                ],
            ),
        ];
        for (text, expected) in table {
            assert_eq!(
                rows(&ws(&[("Cargo.lock", &text)]), &[], Kind::Lock),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            rows(&ws(&[]), &[], Kind::Lock),
            [
                "core - Cargo.lock no file: left alone",
                "app - Cargo.lock no file: left alone"
            ]
        );
    }

    #[test]
    fn an_optional_mention_of_a_file_absent_here_is_skipped() {
        let root = "[workspace]\nmembers = [\"core\", \"app\"]\n[[workspace.metadata.xtask-release.package]]\nname = \"core\"\nmentions = [\n  { file = \"npm/android/package.json\", key = \"version\", optional = true },\n]\n";
        let absent = ws(&[("Cargo.toml", root)]);
        assert_eq!(
            rows(&absent, &[], Kind::Mention),
            ["core - npm/android/package.json no file (optional): skipped"]
        );
        assert!(crate::checks::validate::validate(&absent, &Default::default()).is_empty());
        let bumps = [crate::edit::Bump {
            package: "core".into(),
            from: semver::Version::new(1, 2, 3),
            to: semver::Version::new(1, 3, 0),
        }];
        let edits = crate::edit::bump_edits(&absent, &bumps).unwrap();
        assert!(
            edits
                .changed()
                .all(|e| e.path != "npm/android/package.json")
        );
        // Where the file is, it is a mention like any other.
        let json = "{ \"version\": \"1.2.0\" }\n";
        let present = ws(&[("Cargo.toml", root), ("npm/android/package.json", json)]);
        assert_eq!(
            rows(&present, &[], Kind::Mention),
            [
                "core - npm/android/package.json:1 1.2.0 | npm/android/package.json:1: mentions core 1.2.0, the current version is 1.2.3: update it, or run `cargo xtask sync`"
            ]
        );
        let err = crate::model::workspace::test_texts::error(&[
            (
                "Cargo.toml",
                &root.replace("optional = true", "optional = \"yes\""),
            ),
            ("core/Cargo.toml", CORE),
        ]);
        assert!(
            err.ends_with("a mention's `optional` must be true or false"),
            "{err}"
        );
    }

    #[test]
    fn mention_fields() {
        let config = |pattern: &str| {
            format!(
                "[workspace]\nmembers = [\"core\", \"app\"]\n[[workspace.metadata.xtask-release.package]]\nname = \"core\"\nmentions = [{{ file = \"README.md\", pattern = '{pattern}' }}]\n"
            )
        };
        let table: [(&str, &str, &[&str]); 6] = [
            (
                "core = \"{version}\"",
                "# core\n\ncore = \"1.2.3\"\n",
                &["core - README.md:3 1.2.3"],
            ),
            (
                "core = \"{version}\"",
                "# core\n\ncore = \"1.0.0\"\n",
                &[
                    "core - README.md:3 1.0.0 | README.md:3: mentions core 1.0.0, the current version is 1.2.3: update it, or run `cargo xtask sync`",
                ],
            ),
            (
                "core = \"{version}\"",
                "core = \"1.2.3\"\ncore = \"1.0.0\"\n",
                &[
                    "core - README.md pattern `core = \"{version}\"` | README.md:1 and README.md:2: the mention pattern `core = \"{version}\"` matches both 1.2.3 and 1.0.0, so it cannot tell the version: make the pattern match only the version's own text, or, in a TOML or JSON file, name the value with `key = \"…\"` instead of `pattern`",
                ],
            ),
            (
                "core = \"{major}.{minor}\"",
                "core = \"1.2\"\n",
                &["core - README.md:1 1.2"],
            ),
            (
                "core = \"{version}\"",
                "nothing here\n",
                &[
                    "core - README.md not found | README.md: no text matches the mention pattern `core = \"{version}\"`: fix the pattern or remove it",
                ],
            ),
            (
                "core",
                "core\n",
                &[
                    "core - README.md pattern `core` | README.md: mention pattern `core` must contain exactly one `{version}` or `{pep440}`, or `{major}`, `{minor}`, `{patch}` once each at most (such as `{major}.{minor}`)",
                ],
            ),
        ];
        for (pattern, readme, expected) in table {
            let root = config(pattern);
            let ws = ws(&[("Cargo.toml", &root), ("README.md", readme)]);
            assert_eq!(
                rows(&ws, &[], Kind::Mention),
                expected,
                "{pattern} in {readme}"
            );
        }
    }

    #[test]
    fn tag_fields() {
        let table: [(&[&str], &str); 4] = [
            (&[], "core - v{version} none"),
            (
                &["v1.2.2", "v1.2.3", "py-v9.0.0"],
                "core - v{version} v1.2.3",
            ),
            // A tag above the manifest is not its previous release (a warning).
            (&["v1.0.0", "v1.10.0"], "core - v{version} v1.0.0"),
            (&["release-2"], "core - v{version} none"),
        ];
        for (tags, expected) in table {
            assert_eq!(rows(&ws(&[]), tags, Kind::Tag), [expected], "{tags:?}");
        }
    }

    #[test]
    fn changelog_fields() {
        let table: [(&str, &str); 3] = [
            (
                "# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2024-05-01\n\n## [1.2.2] - 2024-04-01\n",
                "core - core/CHANGELOG.md:5 1.2.3",
            ),
            (
                "# Changelog\n\n## [Unreleased]\n",
                "core - core/CHANGELOG.md none",
            ),
            (
                "# Changelog\n\n## [Unreleased]\n\n## [Unreleased]\n",
                "core - core/CHANGELOG.md unparsable | core/CHANGELOG.md:5: a second `[Unreleased]` section (the first is at line 3): merge the two",
            ),
        ];
        for (text, expected) in table {
            let ws = ws(&[("core/CHANGELOG.md", text)]);
            assert_eq!(rows(&ws, &[], Kind::Changelog), [expected], "{text}");
        }
        assert!(rows(&ws(&[]), &[], Kind::Changelog).is_empty());
    }

    fn field(line: usize, problem: Option<&str>) -> Field {
        Field {
            package: "core".into(),
            kind: Kind::Mention,
            holder: None,
            file: "README.md".into(),
            line,
            value: "0.1.0".into(),
            problem: problem.map(String::from),
        }
    }

    #[test]
    fn drift_is_the_repairable_problems_of_the_named_packages() {
        let app = krate(
            "app",
            "0.1.0",
            "publish = false\n[dependencies]\ncore = { path = \"../core\", version = \"0.9.0\" }\n",
        );
        let lock = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n";
        let ws = ws(&[("app/Cargo.toml", &app), ("Cargo.lock", lock)]);
        let drifted: Vec<(Kind, String)> = drift(&ws, &["core"])
            .into_iter()
            .map(|f| (f.kind, f.location()))
            .collect();
        // The missing lock entry has no line to set: it is not drift.
        assert_eq!(drifted, [(Kind::Pin, "app/Cargo.toml:6".to_string())]);
        assert!(drift(&ws, &["app"]).is_empty());
    }

    #[test]
    fn what_is_the_problem_without_its_advice() {
        let f = field(
            4,
            Some(
                "README.md:4: mentions core 0.1.0, the current version is 0.2.0: update it, or run `cargo xtask sync`",
            ),
        );
        assert_eq!(
            f.what(),
            Some("README.md:4: mentions core 0.1.0, the current version is 0.2.0")
        );
        let bare = field(4, Some("README.md:4: no advice here"));
        assert_eq!(bare.what(), Some("README.md:4: no advice here"));
        assert_eq!(field(4, None).what(), None);
    }

    #[test]
    fn tags_above_the_manifest_are_warnings() {
        let tags = TagIndex::of_names(&["v1.0.0", "v3.0.0", "v1.10.0", "py-v9.0.0"]);
        assert_eq!(
            tags_above(&ws(&[]), &tags),
            [
                "v1.10.0 is above core 1.2.3 (core/Cargo.toml) and is not taken as its previous release: add it to `ignore-tags` if it is no release of core, or bump past it",
                "v3.0.0 is above core 1.2.3 (core/Cargo.toml) and is not taken as its previous release: add it to `ignore-tags` if it is no release of core, or bump past it",
            ]
        );
    }
}
