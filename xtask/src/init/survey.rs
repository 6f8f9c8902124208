//! What a repository holds before it has a release configuration: its
//! crates (the root workspace's members and the manifests outside it), the
//! `pyproject.toml` and `package.json` beside each, and the texts `init`
//! reads its guesses from (changelogs, Markdown, other tools' files), read
//! through the model's `Source` (so through `worktree`); tags and the branch
//! are git's, given by the command.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use semver::Version;

use super::branches::Held;
use super::pyproject::pyproject;
use super::tools;
use crate::model::package::{Member, ROOT_MANIFEST, rel_join};
use crate::model::source::{Files, Source};
use crate::model::{members, standalone, workspace};
use crate::text::toml;

/// How deep below the root standalone manifests are looked for.
const DEPTH: usize = 3;

#[derive(Debug, Clone)]
pub struct Survey {
    pub crates: Vec<Crate>,
    /// `[workspace.package] version`, which members may inherit.
    pub workspace_version: Option<Version>,
    /// Every tag naming a commit.
    pub tags: Vec<String>,
    /// The release branch as git suggests it, and why.
    pub branch: Option<(String, String)>,
    /// The branches named for a version line and the tags each holds
    /// (git's, given by the command after `read`).
    pub held: Vec<Held>,
    /// The texts read, by path from the root: manifests, `pyproject.toml`,
    /// `package.json`, changelogs, Markdown, other tools' configuration.
    pub files: BTreeMap<String, String>,
    /// What was seen and left out, and why: said in the file's header.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Crate {
    pub member: Member,
    /// Outside the root workspace: named by its `manifest`.
    pub standalone: bool,
    /// The `pyproject.toml` beside its manifest.
    pub pyproject: Option<String>,
    /// The `package.json` beside its manifest.
    pub package_json: Option<String>,
    /// The folder of towncrier's news fragments its `pyproject.toml` names,
    /// when it exists.
    pub fragments: Option<String>,
}

impl Survey {
    pub fn text(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Each crate's name, folder and manifest.
    pub fn places(&self) -> Vec<(String, String, String)> {
        self.crates
            .iter()
            .map(|c| {
                let m = &c.member;
                (m.name.clone(), m.dir.clone(), m.manifest.clone())
            })
            .collect()
    }

    /// The Markdown files a version may be mentioned in: at the root, in
    /// each crate's folder and under `docs/`, changelogs left out.
    pub fn markdown(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(p, _)| p.ends_with(".md") && !is_changelog(p))
            .map(|(p, t)| (p.as_str(), t.as_str()))
    }
}

/// A changelog by its name: `CHANGELOG.md`, `CHANGES.md`, `HISTORY.md`,
/// `NEWS.md`, in any case, or a file under `.changes/`.
pub fn is_changelog(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["changelog.md", "changes.md", "history.md", "news.md"].contains(&name.as_str())
        || path.starts_with(".changes/")
}

/// Reads what `source` holds; `tags` and `branch` are git's.
pub fn read(
    source: &Source,
    tags: Vec<String>,
    branch: Option<(String, String)>,
) -> Result<Survey> {
    let mut files = Files::default();
    let mut notes = Vec::new();
    let (mut crates, workspace_version) = root_crates(source, &mut files)?;
    let known: Vec<String> = crates.iter().map(|c| c.member.manifest.clone()).collect();
    for path in standalone::manifests(source, ".", DEPTH) {
        if known.contains(&path) {
            continue;
        }
        match outside(source, &path) {
            Ok(Some(member)) => crates.push(Crate::of(member, true)),
            Ok(None) => notes.push(format!(
                "{path}: a Cargo workspace of its own, no package: its members are not looked at"
            )),
            Err(err) => notes.push(format!("{path}: left out: {err:#}")),
        }
    }
    let mut survey = Survey {
        crates,
        workspace_version,
        tags,
        branch,
        held: Vec::new(),
        files: BTreeMap::new(),
        notes,
    };
    for crate_ in &mut survey.crates {
        crate_.beside(source);
    }
    survey.files = texts(source, &survey);
    Ok(survey)
}

/// The members of the root workspace (none without a root manifest).
fn root_crates(source: &Source, files: &mut Files) -> Result<(Vec<Crate>, Option<Version>)> {
    if !source.is_file(ROOT_MANIFEST) {
        return Ok((Vec::new(), None));
    }
    let text = source.read(ROOT_MANIFEST)?;
    let doc = toml::parse(ROOT_MANIFEST, &text)?;
    let version = workspace::workspace_version(&text, &doc)?.map(|(v, _)| v);
    let members = members::read(files, source, &text, &doc, version.as_ref()).context(
        "the root workspace's members cannot be read: fix them first (`cargo metadata` says how)",
    )?;
    let crates = members
        .into_iter()
        // `[workspace.dependencies]` pins are nameless members.
        .filter(|m| !m.name.is_empty())
        .map(|m| Crate::of(m, false))
        .collect();
    Ok((crates, version))
}

/// The package of a manifest outside the root workspace; `None` for a
/// virtual manifest.
fn outside(source: &Source, path: &str) -> Result<Option<Member>> {
    let text = source.read(path)?;
    let doc = toml::parse(path, &text)?;
    if doc.get("package").is_none() {
        return Ok(None);
    }
    let dir = path.rsplit_once('/').map_or(".", |(d, _)| d).to_string();
    let mut member = members::member(dir.clone(), path.to_string(), &text, None, None)?;
    member.cargo_root = dir;
    Ok(Some(member))
}

impl Crate {
    fn of(member: Member, standalone: bool) -> Crate {
        Crate {
            member,
            standalone,
            pyproject: None,
            package_json: None,
            fragments: None,
        }
    }

    fn beside(&mut self, source: &Source) {
        let at = |name: &str| {
            let path = rel_join(&self.member.dir, name);
            source.is_file(&path).then_some(path)
        };
        self.pyproject = at("pyproject.toml");
        self.package_json = at("package.json");
        let towncrier = self.pyproject.as_ref().and_then(|p| {
            let text = source.read(p).ok()?;
            pyproject(&text).towncrier
        });
        self.fragments = towncrier
            .map(|d| rel_join(&self.member.dir, d.trim_end_matches('/')))
            .filter(|d| source.is_folder(d));
    }
}

/// Every text the guesses are read from; a file that cannot be read (not
/// UTF-8, a link) is left out.
fn texts(source: &Source, survey: &Survey) -> BTreeMap<String, String> {
    let mut paths: Vec<String> = vec![ROOT_MANIFEST.into()];
    let mut dirs: Vec<String> = vec![".".into()];
    for c in &survey.crates {
        paths.push(c.member.manifest.clone());
        paths.extend(c.pyproject.clone());
        paths.extend(c.package_json.clone());
        dirs.push(c.member.dir.clone());
        // A Node binding's platform packages: `npm/<platform>/package.json`.
        for platform in source.subdirs(&rel_join(&c.member.dir, "npm")) {
            let npm = rel_join(&c.member.dir, "npm");
            paths.push(rel_join(&rel_join(&npm, &platform), "package.json"));
        }
    }
    dirs.extend(docs(source, "docs", 3));
    for dir in &dirs {
        for name in source.files(dir) {
            let wanted = name.ends_with(".md")
                || ["release.toml", "release-plz.toml", ".release-plz.toml"]
                    .contains(&name.as_str());
            if wanted {
                paths.push(rel_join(dir, &name));
            }
        }
    }
    let mut read: BTreeMap<String, String> = paths
        .into_iter()
        .filter(|p| source.is_file(p))
        .filter_map(|p| Some((p.clone(), source.read(&p).ok()?)))
        .collect();
    // The files cargo-release's replacements name, which may be any file.
    let crates = survey.places();
    if let Some(tool) = tools::cargo_release(&read, &crates) {
        for (name, dir, _) in &crates {
            for r in &tool.crates[name].replacements {
                let path = rel_join(dir, &r.file);
                if let Ok(text) = source.read(&path) {
                    read.insert(path, text);
                }
            }
        }
    }
    read
}

/// `dir` and its folders, `depth` levels down, hidden ones left out.
fn docs(source: &Source, dir: &str, depth: usize) -> Vec<String> {
    if !source.is_folder(dir) {
        return Vec::new();
    }
    let mut out = vec![dir.to_string()];
    if depth > 0 {
        for name in source.subdirs(dir).iter().filter(|n| !n.starts_with('.')) {
            out.extend(docs(source, &rel_join(dir, name), depth - 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn memory(files: &[(&str, &str)]) -> Source {
        Source::memory(files.iter().map(|(p, t)| (p.to_string(), t.to_string())))
    }

    #[test]
    fn crates_in_and_outside_the_root_workspace_and_the_texts_beside_them() {
        let source = memory(&[
            ("Cargo.toml", "[workspace]\nmembers = [\"core\"]\n"),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"1.0.0\"\n",
            ),
            ("core/README.md", "core = \"1.0.0\"\n"),
            ("README.md", "# x\n"),
            ("CHANGELOG.md", "# Changelog\n"),
            ("docs/guide/install.md", "x\n"),
            (
                "py/Cargo.toml",
                "[package]\nname = \"core-py\"\nversion = \"1.0.0\"\npublish = false\n[workspace]\n",
            ),
            ("py/pyproject.toml", "[project]\nname = \"core\"\n"),
            (
                "node/Cargo.toml",
                "[package]\nname = \"core-node\"\nversion = \"1.0.0\"\n",
            ),
            ("node/package.json", "{\"version\": \"1.0.0\"}\n"),
            (
                "node/npm/linux-x64/package.json",
                "{\"version\": \"1.0.0\"}\n",
            ),
            ("tools/Cargo.toml", "[workspace]\nmembers = []\n"),
            ("bad/Cargo.toml", "[package\n"),
            (
                "examples/demo/Cargo.toml",
                "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n",
            ),
            ("release.toml", "tag-name = \"v{{version}}\"\n"),
        ]);
        let survey = read(&source, vec!["v1.0.0".into()], None).unwrap();
        let crates: Vec<(&str, bool, Option<&str>, Option<&str>)> = survey
            .crates
            .iter()
            .map(|c| {
                (
                    c.member.name.as_str(),
                    c.standalone,
                    c.pyproject.as_deref(),
                    c.package_json.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            crates,
            [
                ("core", false, None, None),
                ("core-node", true, None, Some("node/package.json")),
                ("core-py", true, Some("py/pyproject.toml"), None),
            ]
        );
        let paths: Vec<&str> = survey.files.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "CHANGELOG.md",
                "Cargo.toml",
                "README.md",
                "core/Cargo.toml",
                "core/README.md",
                "docs/guide/install.md",
                "node/Cargo.toml",
                "node/npm/linux-x64/package.json",
                "node/package.json",
                "py/Cargo.toml",
                "py/pyproject.toml",
                "release.toml",
            ]
        );
        let markdown: Vec<&str> = survey.markdown().map(|(p, _)| p).collect();
        assert_eq!(
            markdown,
            ["README.md", "core/README.md", "docs/guide/install.md"]
        );
        assert_eq!(survey.notes.len(), 2, "{:?}", survey.notes);
        assert!(survey.notes[0].starts_with("bad/Cargo.toml: left out: "));
        assert!(survey.notes[1].starts_with("tools/Cargo.toml: a Cargo workspace of its own"));
    }
}
