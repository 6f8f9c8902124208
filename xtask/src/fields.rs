//! Every version field the configuration implies, each checked against the
//! package version it must follow (pure, over the loaded model).

use crate::changelog;
use crate::edit::manifest::pinned_version;
use crate::edit::mentions::Pattern;
use crate::edit::{pyproject, toml};
use crate::version::{parse_pep440, to_pep440};
use crate::workspace::{LOCK, ROOT_MANIFEST, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Manifest,
    Pin,
    Pyproject,
    Lock,
    Mention,
    Tag,
    Changelog,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Manifest => "manifest",
            Kind::Pin => "pin",
            Kind::Pyproject => "pyproject",
            Kind::Lock => "lock",
            Kind::Mention => "mention",
            Kind::Tag => "tag",
            Kind::Changelog => "changelog",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The package whose version this field follows.
    pub package: String,
    pub kind: Kind,
    /// Who holds the field (the dependent for a pin), when not the package itself.
    pub holder: Option<String>,
    pub file: String,
    /// 1-based; 0 when the field has no line (a tag).
    pub line: usize,
    pub value: String,
    /// What is wrong and how to fix it.
    pub problem: Option<String>,
}

impl Field {
    /// The problem without its advice: `file:line: what is wrong`.
    pub fn what(&self) -> Option<&str> {
        let problem = self.problem.as_deref()?;
        let location = self.location();
        let rest = problem.strip_prefix(&format!("{location}: "))?;
        Some(rest.rsplit_once(": ").map_or(problem, |(what, _)| {
            &problem[..location.len() + 2 + what.len()]
        }))
    }

    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}", self.file, self.line)
        }
    }
}

/// All fields; `tags` are the repository's tag names.
pub fn fields(ws: &Workspace, tags: &[String]) -> Vec<Field> {
    let mut out = Vec::new();
    let lock_entries = ws.lock_entries();
    for package in &ws.packages {
        let current = &package.version;
        let member = ws.member(&package.name).expect("packages are members");
        let field =
            |kind, holder: Option<String>, file: &str, line, value: String, problem| Field {
                package: package.name.clone(),
                kind,
                holder,
                file: file.to_string(),
                line,
                value,
                problem,
            };
        let (file, line) = if member.inherited {
            let line = toml::parse(ROOT_MANIFEST, ws.files.text(ROOT_MANIFEST))
                .ok()
                .and_then(|doc| {
                    toml::get_str(
                        ROOT_MANIFEST,
                        ws.files.text(ROOT_MANIFEST),
                        &doc,
                        &["workspace", "package", "version"],
                    )
                    .ok()
                    .flatten()
                })
                .map_or(0, |v| v.line);
            (ROOT_MANIFEST.to_string(), line)
        } else {
            (member.manifest.clone(), member.version_line)
        };
        out.push(field(
            Kind::Manifest,
            None,
            &file,
            line,
            current.to_string(),
            None,
        ));

        for dependent in &ws.members {
            for dep in dependent.deps.iter().filter(|d| d.package == package.name) {
                let Some(req) = &dep.req else { continue };
                let holder = if dependent.name.is_empty() {
                    "[workspace.dependencies]".to_string()
                } else {
                    dependent.name.clone()
                };
                let problem = (pinned_version(&req.value).as_ref() != Some(current)).then(|| {
                    format!(
                        "{}:{}: `{holder}` requires {} `{}` but {} is {current}: set the requirement to \"{current}\", or run `cargo xtask sync`",
                        dependent.manifest, req.line, package.name, req.value, package.name
                    )
                });
                out.push(field(
                    Kind::Pin,
                    Some(holder),
                    &dependent.manifest,
                    req.line,
                    req.value.clone(),
                    problem,
                ));
            }
        }

        if let Some(path) = &package.pyproject {
            match pyproject::version(path, ws.files.text(path)) {
                Ok(Some(found)) => {
                    let wanted = to_pep440(current);
                    let same = parse_pep440(&found.value).ok().as_ref() == Some(current);
                    let problem = match (&wanted, same) {
                        (_, true) => None,
                        (Ok(wanted), false) => Some(format!(
                            "{path}:{}: version \"{}\" disagrees with {} version {current}: set it to \"{wanted}\", or run `cargo xtask sync`",
                            found.line, found.value, package.manifest
                        )),
                        (Err(why), false) => Some(format!("{path}:{}: {why}", found.line)),
                    };
                    out.push(field(
                        Kind::Pyproject,
                        None,
                        path,
                        found.line,
                        found.value,
                        problem,
                    ));
                }
                Ok(None) => out.push(field(
                    Kind::Pyproject,
                    None,
                    path,
                    0,
                    "dynamic (from Cargo.toml)".into(),
                    None,
                )),
                Err(err) => out.push(field(
                    Kind::Pyproject,
                    None,
                    path,
                    0,
                    "unreadable".into(),
                    Some(format!("{err:#}")),
                )),
            }
        }

        for mention in &package.mentions {
            let text = ws.files.text(&mention.file);
            let pattern = match Pattern::new(&mention.pattern) {
                Ok(p) => p,
                Err(err) => {
                    out.push(field(
                        Kind::Mention,
                        None,
                        &mention.file,
                        0,
                        mention.pattern.clone(),
                        Some(format!("{}: {err}", mention.file)),
                    ));
                    continue;
                }
            };
            let wanted = pattern
                .form
                .render(current)
                .unwrap_or_else(|_| current.to_string());
            let found = pattern.find(text);
            if found.is_empty() {
                out.push(field(
                    Kind::Mention,
                    None,
                    &mention.file,
                    0,
                    "not found".into(),
                    Some(format!("{}: no text matches the mention pattern `{}`: fix the pattern or remove it", mention.file, mention.pattern)),
                ));
            }
            for (line, value, _) in found {
                let problem = (value != wanted).then(|| {
                    format!("{}:{line}: mentions {} {value}, the current version is {wanted}: update it, or run `cargo xtask sync`", mention.file, package.name)
                });
                out.push(field(
                    Kind::Mention,
                    None,
                    &mention.file,
                    line,
                    value,
                    problem,
                ));
            }
        }

        let latest = package.tag.latest(tags.iter().map(String::as_str));
        let (value, problem) = match latest {
            None => ("none".to_string(), None),
            Some((tag, version)) => {
                let problem = (version > *current).then(|| {
                    format!("tag {tag} is newer than {} version {current}: bump to a version after {version}", package.manifest)
                });
                (tag, problem)
            }
        };
        out.push(field(
            Kind::Tag,
            None,
            &package.tag.template,
            0,
            value,
            problem,
        ));

        if let Some(path) = &package.changelog {
            let row = match changelog::parse(path, ws.files.text(path)) {
                Ok(cl) => match cl.newest() {
                    Some(s) => field(
                        Kind::Changelog,
                        None,
                        path,
                        s.line + 1,
                        s.name().to_string(),
                        None,
                    ),
                    None => field(Kind::Changelog, None, path, 0, "none".into(), None),
                },
                Err(err) => field(
                    Kind::Changelog,
                    None,
                    path,
                    0,
                    "unparsable".into(),
                    Some(format!("{err:#}")),
                ),
            };
            out.push(row);
        }
    }

    for member in ws.members.iter().filter(|m| !m.name.is_empty()) {
        if ws.lock.is_none() {
            break;
        }
        let entry = lock_entries.iter().find(|e| e.name == member.name);
        let (line, value, problem) = match entry {
            None => (
                0,
                "missing".to_string(),
                Some(format!(
                    "{LOCK}: no entry for `{}`: run `cargo generate-lockfile --offline`",
                    member.name
                )),
            ),
            Some(e) => {
                let problem = (e.version != member.version.to_string()).then(|| {
                    format!(
                        "{LOCK}:{}: `{}` is locked at {} but {} says {}: run `cargo update --workspace --offline` or `cargo xtask sync`",
                        e.line, member.name, e.version, member.manifest, member.version
                    )
                });
                (e.line, e.version.clone(), problem)
            }
        };
        out.push(Field {
            package: member.name.clone(),
            kind: Kind::Lock,
            holder: None,
            file: LOCK.into(),
            line,
            value,
            problem,
        });
    }
    out
}

/// The problems `sync` repairs: fields of the packages `names` (pins,
/// `pyproject.toml`, mentions, their `Cargo.lock` entries) that disagree with
/// their package's version and can be set to it.
pub fn drift(ws: &Workspace, names: &[&str]) -> Vec<Field> {
    fields(ws, &[])
        .into_iter()
        .filter(|f| {
            matches!(
                f.kind,
                Kind::Pin | Kind::Pyproject | Kind::Lock | Kind::Mention
            )
        })
        .filter(|f| names.contains(&f.package.as_str()) && f.line > 0 && f.problem.is_some())
        .collect()
}

/// Every problem `check` would find in the tree `edits` leave, with `tags`
/// (the repository's, plus those the plan creates): version fields, tag
/// series, changelog lint errors. The tree is read in memory; nothing is written.
pub fn problems_after(
    ws: &Workspace,
    edits: &crate::edits::Edits,
    tags: &[String],
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<String>> {
    let planned = crate::drift::planned(ws, edits)?;
    let builtin = crate::validate::builtin_names(&crate::cli::command(&[]));
    let found = crate::validate::validate(&planned, &builtin);
    let mut out = crate::validate::with_fields(&found, &fields(&planned, tags));
    out.extend(crate::problems::lint_changelogs(&planned, tags, today).0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
