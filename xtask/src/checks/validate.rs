//! One validation pass over the loaded model, before any command plans:
//! the problems no planned edit repairs (flags, tag templates, mention
//! patterns, `Cargo.lock`, `pyproject.toml` versions), all at once, each with
//! where it is (file:line, or the configuration key and the file holding it)
//! and the fix. Pure: the model and the CLI's own names in, problems out.

use std::collections::BTreeSet;

use crate::checks::git_values::{self, samples};
use crate::ctx::Problem;
use crate::model::fields::{Field, Kind};
use crate::model::mention::{At, Mention};
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::pep440;
use crate::text::pyproject;
use crate::text::version::pep440_of;

fn problem(location: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        location: location.into(),
        message: message.into(),
    }
}

/// Every argument id and long option of `cmd` and its subcommands, clap's
/// own `help` and `version` included: a package flag must be none of them,
/// or clap's debug assertions panic while the command line is built. The
/// xtask reads them from `cli::OWN_NAMES`, which tests hold to this.
#[cfg(test)]
pub fn builtin_names(cmd: &clap::Command) -> BTreeSet<String> {
    // Read off the command as written, without `build()`: that would run
    // clap's debug assertions over every subcommand on each start of a debug
    // build. What `build()` would add is `--help`, and `--version` where a
    // version is set.
    let mut out = BTreeSet::from(["help".to_string()]);
    if cmd.get_version().is_some() {
        out.insert("version".to_string());
    }
    collect_names(cmd, &mut out);
    out
}

#[cfg(test)]
fn collect_names(cmd: &clap::Command, out: &mut BTreeSet<String>) {
    for arg in cmd.get_arguments() {
        out.insert(arg.get_id().to_string());
        if let Some(long) = arg.get_long() {
            out.insert(long.to_string());
        }
        out.extend(
            arg.get_all_aliases()
                .into_iter()
                .flatten()
                .map(String::from),
        );
    }
    for sub in cmd.get_subcommands() {
        collect_names(sub, out);
    }
}

/// A flag is a command-line identifier: a letter, then letters, digits, `-` or `_`.
pub fn is_identifier(flag: &str) -> bool {
    let mut chars = flag.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The packages whose flag can go on the command line: an identifier, no
/// built-in name, and the first package to claim it.
pub fn usable_flags<'a>(ws: &'a Workspace, builtin: &BTreeSet<String>) -> Vec<&'a Package> {
    let mut seen = BTreeSet::new();
    ws.packages
        .iter()
        .filter(|p| is_identifier(&p.flag) && !builtin.contains(&p.flag))
        .filter(|p| seen.insert(p.flag.as_str()))
        .collect()
}

/// Every problem of the model that no planned edit repairs. `builtin` holds
/// the command line's own names (`builtin_names`).
pub fn validate(ws: &Workspace, builtin: &BTreeSet<String>) -> Vec<Problem> {
    validate_with(ws, builtin, git_values::problems(ws))
}

/// `validate`, with the problems of the values git and gh are given
/// (`git_values::problems`) found already.
pub fn validate_with(
    ws: &Workspace,
    builtin: &BTreeSet<String>,
    values: Vec<Problem>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    flags(ws, builtin, &mut out);
    out.extend(values);
    tags(ws, &mut out);
    mentions(ws, &mut out);
    crate::checks::lock_problems::locks(ws, &mut out);
    pyprojects(ws, &mut out);
    out
}

fn flags(ws: &Workspace, builtin: &BTreeSet<String>, out: &mut Vec<Problem>) {
    for (i, package) in ws.packages.iter().enumerate() {
        let flag = &package.flag;
        let message = if !is_identifier(flag) {
            format!(
                "`flag = \"{flag}\"` of `{}` is not a command-line flag: use a letter, then letters, digits, `-` or `_` (e.g. flag = \"rust\")",
                package.name
            )
        } else if builtin.contains(flag) {
            format!(
                "`flag = \"{flag}\"` of `{}` clashes with the built-in option `--{flag}`: set `flag` to another name",
                package.name
            )
        } else if let Some(first) = ws.packages[..i].iter().find(|p| &p.flag == flag) {
            format!(
                "packages `{}` and `{}` share the flag `--{flag}`: set `flag` on one of them",
                first.name, package.name
            )
        } else {
            continue;
        };
        out.push(problem(&package.origin, message));
    }
}

/// Tag series that clash: two packages making the same tags, or one
/// series matching another's tags, their earlier series (`previous-tags`)
/// included: a tag is a release of one package. (A template whose tags git
/// or gh would take wrongly is `git_values`'.)
fn tags(ws: &Workspace, out: &mut Vec<Problem>) {
    for (i, a) in ws.packages.iter().enumerate() {
        for b in &ws.packages[i + 1..] {
            for x in series(a) {
                for y in series(b) {
                    out.extend(clash(&x, &y));
                }
            }
        }
        for earlier in series(a).skip(1) {
            if let Some(problem) = clash(&series(a).next().expect("its own"), &earlier) {
                out.push(problem);
            }
        }
    }
}

/// One series of a package: the package, the key and the template.
struct Named<'a> {
    package: &'a Package,
    key: String,
    template: &'a crate::text::tags::TagTemplate,
}

/// A package's series as named in messages: `tag = "v{version}"` first,
/// then each `previous-tags` entry.
fn series(package: &Package) -> impl Iterator<Item = Named<'_>> {
    let own = Named {
        package,
        key: format!("`tag = \"{}\"`", package.tag.template),
        template: &package.tag,
    };
    let earlier = package.previous_tags.iter().map(move |t| Named {
        package,
        key: format!("`previous-tags` entry `{}`", t.template),
        template: t,
    });
    std::iter::once(own).chain(earlier)
}

/// The problem of two series that make the same tags, or of one that
/// matches the other's tags.
fn clash(a: &Named, b: &Named) -> Option<Problem> {
    let same = samples().iter().find_map(|v| {
        let tag = a.template.render(v).ok()?;
        (b.template.render(v).ok()? == tag).then_some(tag)
    });
    if let Some(tag) = same {
        let with = match (a.package.name == b.package.name, a.key.starts_with("`tag")) {
            (true, _) => format!("its {}", a.key),
            (false, true) => format!("`{}` of {}", a.template.template, a.package.name),
            (false, false) => format!("{} of {}", a.key, a.package.name),
        };
        return Some(problem(
            &b.package.origin,
            format!(
                "{} of {} makes the same tags as {with} (both `{tag}`): give each package its own tag prefix, such as `v{{version}}` and `py-v{{version}}`",
                b.key, b.package.name
            ),
        ));
    }
    for (x, y) in [(a, b), (b, a)] {
        if let Some(sample) = x.template.overlaps(y.template) {
            let key = match x.key.starts_with("`tag") {
                true => format!("tag template `{}`", x.template.template),
                false => x.key.clone(),
            };
            return Some(problem(
                &x.package.origin,
                format!(
                    "{key} of {} also matches `{sample}`, a tag of {} (`{}`): give each series a distinct prefix such as `v` and `py-v`",
                    x.package.name, y.package.name, y.template.template
                ),
            ));
        }
    }
    None
}

fn mentions(ws: &Workspace, out: &mut Vec<Problem>) {
    for package in &ws.packages {
        for mention in package.mentions.iter().filter(|m| !ws.skipped(m)) {
            let file = &mention.file;
            if let Some(message) = member_manifest(ws, mention) {
                out.push(problem(&package.origin, message));
                continue;
            }
            if let (Some(Err(_)), At::Pattern(pattern)) = (mention.pattern(), &mention.at) {
                out.push(problem(
                    &package.origin,
                    format!(
                        "the mention pattern `{pattern}` (in {file}) has no single `{{version}}` or `{{pep440}}` placeholder (nor `{{major}}`, `{{minor}}`, `{{patch}}` once each): write one where the version goes, e.g. 'my-crate = \"{{version}}\"'"
                    ),
                ));
                continue;
            }
            match mention.find(ws.files.get(file).unwrap_or_default()) {
                Err(err) => {
                    let message = format!("{err:#}");
                    let (location, rest) = message.split_once(": ").unwrap_or((file, &message));
                    out.push(problem(location, rest));
                }
                Ok(found) if found.is_empty() => out.push(problem(
                    &package.origin,
                    format!(
                        "the mention {} matches nothing in {file}: fix the pattern or the text of {file}, or remove the mention",
                        mention.describe()
                    ),
                )),
                Ok(_) => {}
            }
        }
    }
}

/// A mention of a member's own version in its `Cargo.toml`: its lock entry
/// and its dependents' pins would not follow.
fn member_manifest(ws: &Workspace, mention: &Mention) -> Option<String> {
    let member = ws.members.iter().find(|m| m.manifest == mention.file)?;
    let own_version = match &mention.at {
        At::Pattern(_) => true,
        At::Key(key) => key == "package.version",
    };
    own_version.then(|| {
        format!(
            "the mention {} names {}, the manifest of the workspace member `{}`: a mention there would leave its Cargo.lock entry and its dependents' pins behind: remove the mention and put `{}` in this package's `crates`, so it is released with it",
            mention.describe(),
            mention.file,
            member.name,
            member.name
        )
    })
}

fn pyprojects(ws: &Workspace, out: &mut Vec<Problem>) {
    for package in &ws.packages {
        let Some(path) = &package.pyproject else {
            continue;
        };
        let found = match pyproject::version(path, ws.files.get(path).unwrap_or_default()) {
            Ok(Some(found)) => found,
            Ok(None) => continue, // dynamic: maturin takes the manifest's
            Err(err) => {
                // Not TOML, no `[project]`, no version: the bump could not write it.
                let message = err.to_string();
                let (location, rest) = message.split_once(": ").unwrap_or((path, &message));
                out.push(problem(location, rest));
                continue;
            }
        };
        let current = &package.version;
        let ours = pep440_of(current).ok();
        let wanted = ours
            .as_ref()
            .map_or_else(|| current.to_string(), |p| p.to_string());
        let location = format!("{path}:{}", found.line);
        match pep440::parse(&found.value) {
            Err(err) => out.push(problem(
                location,
                format!(
                    "version {err}: set it to \"{wanted}\", the version of {}",
                    package.manifest
                ),
            )),
            Ok(v) if ours.is_some_and(|ours| v > ours) => {
                out.push(problem(
                    location,
                    format!(
                        "version \"{}\" disagrees with {} version {current}: set it to \"{wanted}\" (it is ahead of the manifest, so a bump from {current} would move the Python package back)",
                        found.value, package.manifest
                    ),
                ))
            }
            Ok(_) => {}
        }
    }
}

/// What `check` and `versions` list: the validation problems, then the
/// field problems they do not already cover.
pub fn with_fields(problems: &[Problem], fields: &[Field]) -> Vec<String> {
    // The locks that are not TOML, by path.
    let unreadable: Vec<&str> = problems
        .iter()
        .filter(|p| p.message.contains("invalid TOML"))
        .filter_map(|p| p.location.split(':').next())
        .collect();
    let covered = |f: &Field| {
        // A mention without a line is a pattern problem; a pyproject version
        // that is ahead or unparsable is reported here, with its line; a lock
        // that is not TOML has no entries worth comparing.
        (f.kind == Kind::Mention && f.line == 0)
            || (f.kind == Kind::Pyproject
                && problems.iter().any(|p| {
                    p.location == f.location()
                        || (f.line == 0 && p.location.split(':').next() == Some(f.file.as_str()))
                }))
            || (f.kind == Kind::Lock
                && (unreadable.contains(&f.file.as_str())
                    || problems.iter().any(|p| p.location == f.location())))
    };
    problems
        .iter()
        .map(Problem::to_string)
        .chain(
            fields
                .iter()
                .filter(|f| !covered(f))
                .filter_map(|f| f.problem.clone()),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::replaced;

    const ROOT: &str = r#"[workspace]
members = ["core", "py"]

[[workspace.metadata.xtask-release.package]]
name = "core"
flag = "rust"
tag = "v{version}"
mentions = [{ file = "README.md", pattern = 'core = "{version}"' }]

[[workspace.metadata.xtask-release.package]]
name = "py"
flag = "py"
tag = "py-v{version}"
"#;
    const LOCK_TEXT: &str = "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"0.4.0\"\n\n[[package]]\nname = \"py\"\nversion = \"0.3.0\"\n";

    /// The problems of a two-package workspace after `edit` changed one file.
    fn problems_after(file: &str, from: &str, to: &str) -> Vec<String> {
        let files = [
            ("Cargo.toml", ROOT),
            ("Cargo.lock", LOCK_TEXT),
            ("README.md", "core = \"0.4.0\"\n"),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"0.4.0\"\n",
            ),
            (
                "py/Cargo.toml",
                "[package]\nname = \"py\"\nversion = \"0.3.0\"\npublish = false\n",
            ),
            (
                "py/pyproject.toml",
                "[project]\nname = \"py\"\nversion = \"0.3.0\"\n",
            ),
        ];
        let ws = replaced(&files, &[(file, from, to)]);
        let builtin = builtin_names(&crate::cli::command(&[]));
        validate(&ws, &builtin)
            .iter()
            .map(Problem::to_string)
            .collect()
    }

    #[test]
    fn a_sound_workspace_has_no_problem() {
        assert_eq!(problems_after("README.md", "", ""), Vec::<String>::new());
    }

    #[test]
    fn each_problem_names_its_place_and_fix() {
        let core = "Cargo.toml [workspace.metadata.xtask-release] package #1 (`core`)";
        let py = "Cargo.toml [workspace.metadata.xtask-release] package #2 (`py`)";
        let cases = [
            ("Cargo.toml", "flag = \"rust\"", "flag = \"execute\"", format!("{core}: `flag = \"execute\"` of `core` clashes with the built-in option `--execute`: set `flag` to another name")),
            ("Cargo.toml", "flag = \"rust\"", "flag = \"r s\"", format!("{core}: `flag = \"r s\"` of `core` is not a command-line flag: use a letter, then letters, digits, `-` or `_` (e.g. flag = \"rust\")")),
            ("Cargo.toml", "flag = \"rust\"", "flag = \"py\"", format!("{py}: packages `core` and `py` share the flag `--py`: set `flag` on one of them")),
            ("Cargo.toml", "tag = \"v{version}\"", "tag = \"v{version}.lock\"", format!("{core}: `tag = \"v{{version}}.lock\"` makes tags such as `v1.2.3.lock` that git refuses (a `/`-separated part ends with `.lock`): write the tag with letters, digits, `-`, `_`, `/` and single dots, e.g. `v{{version}}`")),
            ("Cargo.toml", "tag = \"py-v{version}\"", "tag = \"v{version}\"", format!("{py}: `tag = \"v{{version}}\"` of py makes the same tags as `v{{version}}` of core (both `v1.2.3`): give each package its own tag prefix, such as `v{{version}}` and `py-v{{version}}`")),
            ("Cargo.toml", "tag = \"py-v{version}\"", "tag = \"vpy{version}\"", format!("{core}: tag template `v{{version}}` of core also matches `vpy1.2.3`, a tag of py (`vpy{{version}}`): give each series a distinct prefix such as `v` and `py-v`")),
            ("Cargo.toml", "tag = \"py-v{version}\"", "tag = \"py-v{version}\"\nprevious-tags = [\"v{version}\"]", format!("{py}: `previous-tags` entry `v{{version}}` of py makes the same tags as `v{{version}}` of core (both `v1.2.3`): give each package its own tag prefix, such as `v{{version}}` and `py-v{{version}}`")),
            ("Cargo.toml", "tag = \"py-v{version}\"", "tag = \"py-v{version}\"\nprevious-tags = [\"py-v{version}\"]", format!("{py}: `previous-tags` entry `py-v{{version}}` of py makes the same tags as its `tag = \"py-v{{version}}\"` (both `py-v1.2.3`): give each package its own tag prefix, such as `v{{version}}` and `py-v{{version}}`")),
            ("Cargo.toml", "tag = \"py-v{version}\"", "tag = \"py-v{version}\"\nprevious-tags = [\"vpy{version}\"]", format!("{core}: tag template `v{{version}}` of core also matches `vpy1.2.3`, a tag of py (`vpy{{version}}`): give each series a distinct prefix such as `v` and `py-v`")),
            ("Cargo.toml", "'core = \"{version}\"'", "'core = \"0.4.0\"'", format!("{core}: the mention pattern `core = \"0.4.0\"` (in README.md) has no single `{{version}}` or `{{pep440}}` placeholder (nor `{{major}}`, `{{minor}}`, `{{patch}}` once each): write one where the version goes, e.g. 'my-crate = \"{{version}}\"'")),
            ("README.md", "core = ", "kore = ", format!("{core}: the mention pattern `core = \"{{version}}\"` matches nothing in README.md: fix the pattern or the text of README.md, or remove the mention")),
            ("README.md", "core = \"0.4.0\"\n", "core = \"0.4.0\"\n\ncore = \"0.3.9\"\n", "README.md:1 and README.md:3: the mention pattern `core = \"{version}\"` matches both 0.4.0 and 0.3.9, so it cannot tell the version: make the pattern match only the version's own text, or, in a TOML or JSON file, name the value with `key = \"…\"` instead of `pattern`".to_string()),
            ("Cargo.toml", "file = \"README.md\"", "file = \"py/Cargo.toml\"", format!("{core}: the mention pattern `core = \"{{version}}\"` names py/Cargo.toml, the manifest of the workspace member `py`: a mention there would leave its Cargo.lock entry and its dependents' pins behind: remove the mention and put `py` in this package's `crates`, so it is released with it")),
            ("Cargo.toml", "file = \"README.md\", pattern = 'core = \"{version}\"'", "file = \"py/pyproject.toml\", key = \"project.release\"", "py/pyproject.toml: no string at the mention key `project.release`: fix the key, or add the value to py/pyproject.toml".to_string()),
            ("Cargo.lock", "version = 4\n", "version = 4\n[[package]\n", "Cargo.lock:2: invalid TOML: unclosed array table, expected `]`: fix the syntax, or regenerate it with `cargo generate-lockfile --offline`".to_string()),
            ("Cargo.lock", "version = 4\n", "version = 4\n\n[[package]]\nname = \"py\"\nversion = \"0.3.0\"\n", "Cargo.lock:13: `py` has 2 entries (the first at line 5): cargo rejects a package specified twice: delete the extra entries, or run `cargo generate-lockfile --offline`".to_string()),
            ("Cargo.lock", "version = \"0.3.0\"", "version = \"zero\"", "Cargo.lock:9: `py` is locked at version `zero`, which is not a version (cargo refuses this lock): set it to \"0.3.0\", the version of py/Cargo.toml".to_string()),
            ("py/pyproject.toml", "\"0.3.0\"", "\"0.3.1\"", "py/pyproject.toml:3: version \"0.3.1\" disagrees with py/Cargo.toml version 0.3.0: set it to \"0.3.0\" (it is ahead of the manifest, so a bump from 0.3.0 would move the Python package back)".to_string()),
            ("py/pyproject.toml", "[project]", "[project", "py/pyproject.toml:1: invalid TOML: unclosed table, expected `]`: fix the syntax".to_string()),
            ("py/pyproject.toml", "version = \"0.3.0\"\n", "", "py/pyproject.toml: `[project]` has no `version`: add `version = \"…\"` or list it in `dynamic`".to_string()),
            ("py/pyproject.toml", "\"0.3.0\"", "\"zero\"", "py/pyproject.toml:3: version `zero` is not a PEP 440 version: it does not start with a release number such as 1.2.3: set it to \"0.3.0\", the version of py/Cargo.toml".to_string()),
        ];
        for (file, from, to, expected) in cases {
            assert_eq!(problems_after(file, from, to), [expected], "{file}: {to}");
        }
        // Drift that a bump repairs is not a validation problem.
        assert_eq!(
            problems_after("py/pyproject.toml", "\"0.3.0\"", "\"0.2.0\""),
            Vec::<String>::new()
        );
        assert_eq!(
            problems_after("README.md", "0.4.0", "0.3.9"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn flags_are_identifiers() {
        for good in ["rust", "py", "core-2", "my_crate", "R"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in ["", "py thon", "-rust", "2py", "rust=1", "ru.st", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn builtin_names_are_those_of_the_built_command() {
        let cmd = crate::cli::command(&[]);
        let mut built = cmd.clone();
        built.build();
        let mut names = BTreeSet::new();
        collect_names(&built, &mut names);
        assert_eq!(builtin_names(&cmd), names);
    }

    #[test]
    fn builtin_names_come_from_the_command_line() {
        let names = builtin_names(&crate::cli::command(&[]));
        for name in [
            "execute", "dry-run", "package", "help", "version", "root", "config", "level", "json",
            "since",
        ] {
            assert!(names.contains(name), "{name} missing from {names:?}");
        }
        assert!(!names.contains("rust") && !names.contains("py"));
    }
}
