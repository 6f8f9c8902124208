//! The configuration a survey suggests: the packages and, for each, the
//! keys that say how it is released (`manifest`, `flag`, `tag`,
//! `previous-tags`, `crates`, `changelog`, `pyproject`, `fragments`,
//! `mentions`), then the top-level keys; every guess with what it was
//! read from. Pure.

use std::collections::BTreeMap;

use semver::Version;

use super::changelogs::{self, Reader};
use super::mentions::{self, Found};
use super::packages::{self, Pkg, Tagged};
use super::pyproject::pyproject;
use super::series::{self, Candidate, TagSeries};
use super::survey::{Crate, Survey};
use super::tools::{self, Settings, Tool};
use super::{Key, Kind, Proposal};
use crate::text::tags::TagTemplate;

/// What every package's keys are computed from.
pub(super) struct Scene<'a> {
    pub(super) survey: &'a Survey,
    pub(super) cargo_release: Option<Tool>,
    pub(super) release_plz: Option<Tool>,
    pub(super) series: Vec<TagSeries>,
    pub(super) pkgs: Vec<Pkg>,
    /// By package: the series it uses, then older ones.
    pub(super) assigned: Vec<Vec<usize>>,
    pub(super) templates: Vec<(String, String)>,
    /// Crates left out, and why.
    pub(super) left_out: Vec<String>,
    /// Series no package took.
    pub(super) free: Vec<usize>,
}

pub fn propose(survey: &Survey) -> Proposal {
    let scene = scene(survey);
    let mut proposal = Proposal {
        notes: notes(&scene),
        ..Proposal::default()
    };
    let flags = flags(&scene);
    let readers: Vec<Reader> = (0..scene.pkgs.len()).map(|i| scene.reader(i)).collect();
    let chosen = changelogs::choose(&readers, &survey.files);
    let mut claimed: Vec<Found> = Vec::new();
    for (i, p) in scene.pkgs.iter().enumerate() {
        let mut proposed = scene.package(i, &flags[i]);
        let head = &survey.crates[p.head];
        let (path, why) = match scene.plz(i).and_then(|s| s.changelog.clone()) {
            Some(path) if survey.files.contains_key(&path) => {
                (Some(path), "release-plz's changelog_path".to_string())
            }
            _ => (chosen[i].path.clone(), chosen[i].why.clone()),
        };
        proposed.about.extend(chosen[i].passed_over.clone());
        proposed.keys.push(match path {
            Some(path) => Key::text("changelog", &path, why),
            None => Key::new("changelog", "false".into(), why),
        });
        if let Some(py) = head.pyproject.as_ref().filter(|_| p.kind == Kind::Python) {
            let dynamic = survey.text(py).is_some_and(|t| pyproject(t).dynamic);
            let why = match dynamic {
                true => "maturin; `dynamic = [\"version\"]`: maturin takes Cargo.toml's",
                false => "maturin; its version is kept equal to Cargo.toml's (PEP 440)",
            };
            proposed
                .keys
                .push(Key::text("pyproject", py, why.to_string()));
        }
        if let Some(folder) = &head.fragments {
            let why = "towncrier's directory in its pyproject.toml".to_string();
            proposed.keys.push(Key::text("fragments", folder, why));
        }
        let found = scene.mentions(i, &mut proposed.about);
        proposed.mentions = found
            .into_iter()
            .filter(|f| !claimed.iter().any(|c| c.mention == f.mention))
            .collect();
        claimed.extend(proposed.mentions.clone());
        proposal.packages.push(proposed);
    }
    (proposal.top, proposal.main_line) = top(&scene);
    proposal.registries = registries(&scene);
    proposal
}

fn scene(survey: &Survey) -> Scene<'_> {
    let crates = survey.places();
    let names: Vec<String> = crates.iter().map(|c| c.0.clone()).collect();
    let cargo_release = tools::cargo_release(&survey.files, &crates);
    let release_plz = tools::release_plz(&survey.files, &names);
    let both: Vec<&Tool> = cargo_release.iter().chain(release_plz.iter()).collect();
    let (mut pkgs, left_out) = packages::packages(survey, &both);
    let found = series::series(&survey.tags);
    let candidates: Vec<Candidate> = pkgs.iter().map(|p| candidate(survey, p)).collect();
    let (assigned, free) = series::assign(&found, &candidates);
    let by_head: BTreeMap<usize, Vec<usize>> = pkgs.iter().map(|p| p.head).zip(assigned).collect();
    let tagged: Vec<Tagged> = pkgs
        .iter()
        .map(|p| {
            let in_use = by_head[&p.head].first().map(|&s| &found[s]);
            let version = &survey.crates[p.head].member.version;
            Tagged {
                has: in_use.is_some(),
                own: in_use.and_then(|s| s.tag_of(version)).map(String::from),
                latest: in_use.map(|s| s.latest().0.clone()),
            }
        })
        .collect();
    packages::fold_bindings(survey, &mut pkgs, &tagged);
    // A folded binding's series follow the crate's, as its earlier ones.
    let assigned: Vec<Vec<usize>> = pkgs
        .iter()
        .map(|p| {
            let crates = std::iter::once(&p.head).chain(&p.others);
            crates
                .filter_map(|c| by_head.get(c))
                .flatten()
                .copied()
                .collect()
        })
        .collect();
    let mut scene = Scene {
        survey,
        cargo_release,
        release_plz,
        series: found,
        pkgs,
        assigned,
        templates: Vec::new(),
        left_out,
        free,
    };
    scene.templates = templates(&scene);
    scene
}

/// A package as the series matching sees it.
fn candidate(survey: &Survey, p: &Pkg) -> Candidate {
    let head = &survey.crates[p.head];
    let mut aliases = Vec::new();
    if let Some(name) = head
        .pyproject
        .as_ref()
        .and_then(|py| pyproject(survey.text(py)?).name)
    {
        aliases.push(name);
    }
    if let Some(name) = npm_name(survey, head) {
        // `@scope/name`: the name, and the part after the scope.
        aliases.extend(name.rsplit('/').next().map(String::from));
        aliases.push(name);
    }
    Candidate {
        name: head.member.name.clone(),
        kind: p.kind,
        version: head.member.version.clone(),
        aliases,
    }
}

fn npm_name(survey: &Survey, c: &Crate) -> Option<String> {
    let path = c.package_json.as_ref()?;
    let found = crate::text::json::find_str(path, survey.text(path)?, "name").ok()??;
    Some(found.value)
}

/// Each package's tag template and why: the series it uses, else what
/// another tool's configuration says, else the default of its kind.
fn templates(scene: &Scene) -> Vec<(String, String)> {
    let count = |kind| scene.pkgs.iter().filter(|p| p.kind == kind).count();
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, p) in scene.pkgs.iter().enumerate() {
        let member = &scene.survey.crates[p.head].member;
        let found = scene.assigned[i].first().map(|&s| {
            let s = &scene.series[s];
            let tagged = match s.tag_of(&member.version) {
                Some(tag) if tag == s.latest().0 => "the manifest's version".to_string(),
                Some(tag) => format!("the manifest's {} is {tag}", member.version),
                None => format!("the manifest's {} is not tagged yet", member.version),
            };
            (s.template(), format!("{}: {tagged}", s.describe()))
        });
        let tool = || {
            let (template, source) = scene.tool_template(i)?;
            Some((template, format!("no tags yet: {source}")))
        };
        let default = || {
            let alone = count(p.kind) == 1;
            let template = match (p.kind, alone) {
                (Kind::Python, true) => "py-v{version}".to_string(),
                (Kind::Node, true) => "node-v{version}".to_string(),
                (Kind::Rust, true) => "v{version}".to_string(),
                _ => format!("{}-v{{version}}", member.name),
            };
            (
                template,
                "no tags yet: the default for this package".to_string(),
            )
        };
        let mut chosen = found.or_else(tool).unwrap_or_else(default);
        if out.iter().any(|(t, _)| *t == chosen.0) {
            chosen = (
                format!("{}-v{{version}}", member.name),
                "no tags yet: its name, as another package has the default".to_string(),
            );
        }
        out.push(chosen);
    }
    out
}

/// `rust`, `py` and `node` for the one package of each kind; else its name.
fn flags(scene: &Scene) -> Vec<String> {
    let count = |kind| scene.pkgs.iter().filter(|p| p.kind == kind).count();
    scene
        .pkgs
        .iter()
        .map(|p| match (p.kind, count(p.kind)) {
            (Kind::Rust, 1) => "rust".into(),
            (Kind::Python, 1) => "py".into(),
            (Kind::Node, 1) => "node".into(),
            _ => scene.survey.crates[p.head].member.name.clone(),
        })
        .collect()
}

/// cargo-release's `tag-name` (with `tag-prefix`) in our placeholders.
fn cargo_release_tag(s: &Settings, name: &str, at_root: bool) -> Option<String> {
    let default_prefix = if at_root { "" } else { "{{crate_name}}-" };
    let prefix = s.tag_prefix.as_deref().unwrap_or(default_prefix);
    let template = s
        .tag_name
        .as_deref()
        .unwrap_or("{{prefix}}v{{version}}")
        .replace("{{prefix}}", prefix)
        .replace("{{crate_name}}", name)
        .replace("{{version}}", "{version}");
    (!template.contains("{{") && TagTemplate::new(&template).is_ok()).then_some(template)
}

/// release-plz's `git_tag_name` (Tera: `{{ package }}`, `{{ version }}`).
fn release_plz_tag(s: &Settings, name: &str, public: usize) -> Option<String> {
    let default = if public > 1 {
        "{{ package }}-v{{ version }}"
    } else {
        "v{{ version }}"
    };
    let tera = s.tag_name.as_deref().unwrap_or(default);
    let placeholder =
        |word: &str| regex::Regex::new(&format!(r"\{{\{{\s*{word}\s*\}}\}}")).expect("static");
    let template = placeholder("package").replace_all(tera, name);
    let template = placeholder("version").replace_all(&template, "{version}");
    (!template.contains("{{") && TagTemplate::new(&template).is_ok()).then(|| template.into_owned())
}

impl Scene<'_> {
    pub(super) fn head(&self, i: usize) -> &Crate {
        &self.survey.crates[self.pkgs[i].head]
    }

    fn cr(&self, i: usize) -> Option<&Settings> {
        self.cargo_release
            .as_ref()?
            .crates
            .get(&self.head(i).member.name)
    }

    fn plz(&self, i: usize) -> Option<&Settings> {
        self.release_plz
            .as_ref()?
            .crates
            .get(&self.head(i).member.name)
    }

    fn tool_template(&self, i: usize) -> Option<(String, String)> {
        let member = &self.head(i).member;
        if let Some(s) = self.cr(i)
            && let Some(t) = cargo_release_tag(s, &member.name, member.dir == ".")
        {
            return Some((t, "cargo-release's tag-name".into()));
        }
        let public = self.pkgs.len();
        let s = self.plz(i)?;
        let t = release_plz_tag(s, &member.name, public)?;
        Some((t, "release-plz's git_tag_name".into()))
    }

    fn reader(&self, i: usize) -> Reader {
        let others: Vec<&str> = (0..self.pkgs.len())
            .filter(|&j| j != i)
            .map(|j| self.templates[j].0.as_str())
            .collect();
        let earlier: Vec<String> = self.previous(i).0.iter().map(|s| s.template()).collect();
        let series = changelogs::series_of(&self.templates[i].0, &earlier, &others);
        let latest = self.assigned[i]
            .first()
            .map(|&s| self.series[s].latest().clone());
        Reader {
            dir: self.head(i).member.dir.clone(),
            series,
            latest,
        }
    }
}

/// The mentions of package `i`: in Markdown, in a Node binding's
/// `package.json` files (its own or its group's), and cargo-release's replacements; what could not
/// be carried over is said in `about`.
impl Scene<'_> {
    fn mentions(&self, i: usize, about: &mut Vec<String>) -> Vec<Found> {
        let p = &self.pkgs[i];
        let version: &Version = &self.head(i).member.version;
        let crates: Vec<&Crate> = std::iter::once(p.head)
            .chain(p.others.iter().copied())
            .map(|c| &self.survey.crates[c])
            .collect();
        let mut names: Vec<String> = crates.iter().map(|c| c.member.name.clone()).collect();
        for c in &crates {
            let py = c.pyproject.as_ref().and_then(|p| self.survey.text(p));
            names.extend(py.and_then(|t| pyproject(t).name));
            names.extend(npm_name(self.survey, c));
        }
        names.sort();
        names.dedup();
        let mut found = mentions::in_markdown(&names, version, self.survey.markdown());
        // A Node binding's, the package's own or one of its group.
        for c in crates.iter().filter(|c| c.package_json.is_some()) {
            let dir = format!("{}/", c.member.dir);
            for (path, text) in &self.survey.files {
                if path.starts_with(&dir) && path.ends_with("package.json") {
                    found.extend(mentions::in_package_json(path, text, version));
                }
            }
        }
        for (f, note) in
            super::replacements::carried(self.survey, self.cr(i), self.head(i), version)
        {
            match f {
                Some(f) if !found.iter().any(|g| g.mention == f.mention) => found.push(f),
                Some(_) => {}
                None => about.push(note),
            }
        }
        found
    }
}

fn notes(scene: &Scene) -> Vec<String> {
    let free: Vec<&TagSeries> = scene.free.iter().map(|&s| &scene.series[s]).collect();
    super::notes::header(
        scene.survey,
        scene.cargo_release.as_ref(),
        scene.release_plz.as_ref(),
        &scene.left_out,
        &free,
    )
}

fn top(scene: &Scene) -> (Vec<Key>, String) {
    super::top::keys(
        scene.survey,
        scene.cargo_release.as_ref(),
        &scene.series,
        &scene.pkgs,
        &scene.assigned,
    )
}

fn registries(scene: &Scene) -> Vec<Key> {
    let registry = (0..scene.pkgs.len()).find_map(|i| scene.cr(i)?.registry.clone());
    registry
        .map(|r| {
            vec![Key::text(
                "crate-registry",
                &r,
                "cargo-release's registry".to_string(),
            )]
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::source::Source;

    /// The proposal for `files` with `tags`, as `key = value` lines per
    /// package and the top-level keys.
    fn proposed(files: &[(&str, &str)], tags: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
        let source = Source::memory(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let tags = tags.iter().map(|t| t.to_string()).collect();
        let survey = crate::init::survey::read(&source, tags, None).unwrap();
        let proposal = propose(&survey);
        let line = |k: &Key| format!("{}{} = {}", if k.off { "# " } else { "" }, k.key, k.value);
        let top = proposal.top.iter().map(line).collect();
        let packages = proposal
            .packages
            .iter()
            .map(|p| {
                let mut lines: Vec<String> = p.keys.iter().map(line).collect();
                lines.extend(p.mentions.iter().map(|m| format!("mention {}", m.why)));
                lines
            })
            .collect();
        (top, packages)
    }

    const BINDING: &str = "[package]\nname = \"core-py\"\nversion = \"1.0.0\"\npublish = false\n\n[dependencies]\ncore = { path = \"../core\", version = \"1.0.0\" }\n";
    const MATURIN: &str = "[build-system]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"core\"\ndynamic = [\"version\"]\n";

    #[test]
    fn a_group_and_a_binding_without_tags_of_its_own_are_one_release() {
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"core\", \"core-macros\", \"py\"]\n\n[workspace.package]\nversion = \"1.0.0\"\n",
            ),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion.workspace = true\n\n[dependencies]\ncore-macros = { path = \"../core-macros\", version = \"=1.0.0\" }\n",
            ),
            (
                "core-macros/Cargo.toml",
                "[package]\nname = \"core-macros\"\nversion.workspace = true\n",
            ),
            ("py/Cargo.toml", BINDING),
            ("py/pyproject.toml", MATURIN),
            ("README.md", "core = \"1.0\"\n\npip install core==1.0.0\n"),
            (
                "CHANGELOG.md",
                "# Changelog\n\n## [1.0.0] - 2026-01-02\n\n- First.\n",
            ),
        ];
        let (top, packages) = proposed(&files, &["v0.9.0", "v1.0.0", "v3.0.0"]);
        assert_eq!(top, ["branch = \"main\"", "# ignore-tags = [\"v3.0.0\"]"]);
        assert_eq!(
            packages,
            [[
                "name = \"core\"",
                "flag = \"rust\"",
                "tag = \"v{version}\"",
                "crates = [\"core-macros\", \"core-py\"]",
                "changelog = \"CHANGELOG.md\"",
                "mention README.md:1: core = \"1.0\"",
                "mention README.md:3: pip install core==1.0.0",
            ]]
        );
    }

    #[test]
    fn a_binding_with_its_own_series_is_a_package_and_cargo_release_says_the_rest() {
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"core\", \"py\"]\n\n[workspace.metadata.release]\nallow-branch = [\"trunk\"]\ntag-name = \"{{crate_name}}@{{version}}\"\npush-remote = \"upstream\"\n",
            ),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"1.0.0\"\n",
            ),
            ("py/Cargo.toml", BINDING),
            ("py/pyproject.toml", MATURIN),
        ];
        let (top, packages) = proposed(&files, &["py-v1.0.0"]);
        assert_eq!(top, ["branch = \"trunk\"", "remote = \"upstream\""]);
        assert_eq!(packages.len(), 2);
        assert_eq!(packages[0][2], "tag = \"core@{version}\"");
        assert_eq!(packages[0][3], "changelog = \"core/CHANGELOG.md\"");
        assert_eq!(
            &packages[1][1..3],
            ["flag = \"py\"", "tag = \"py-v{version}\""]
        );
        assert_eq!(packages[1][4], "pyproject = \"py/pyproject.toml\"");
    }

    #[test]
    fn an_older_series_is_read_as_earlier_releases_unless_it_has_tags_above() {
        let files = [(
            "Cargo.toml",
            "[package]\nname = \"lumen\"\nversion = \"2.3.0\"\n",
        )];
        let (_, packages) = proposed(&files, &["lumen-v2.1.0", "lumen-v2.2.0", "v2.3.0"]);
        assert_eq!(packages[0][2], "tag = \"v{version}\"");
        assert_eq!(packages[0][3], "previous-tags = [\"lumen-v{version}\"]");
        let source = Source::memory(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let tags = ["lumen-v2.4.0", "v2.3.0"].map(String::from).to_vec();
        let survey = crate::init::survey::read(&source, tags, None).unwrap();
        let proposal = propose(&survey);
        let lumen = &proposal.packages[0];
        assert!(!lumen.keys.iter().any(|k| k.key == "previous-tags"));
        assert!(
            lumen.about.contains(&"Its older tags lumen-v* (1 tag(s), newest lumen-v2.4.0) are not read as its releases: lumen-v2.4.0 is above its 2.3.0".to_string()),
            "{:?}",
            lumen.about
        );
    }

    #[test]
    fn a_binding_whose_series_stopped_where_the_crates_tags_its_version_joins_it() {
        let files = [
            ("Cargo.toml", "[workspace]\nmembers = [\"core\", \"py\"]\n"),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"1.0.0\"\n",
            ),
            ("py/Cargo.toml", BINDING),
            ("py/pyproject.toml", MATURIN),
        ];
        let (_, packages) = proposed(&files, &["py-v0.9.0", "v0.9.0", "v1.0.0"]);
        assert_eq!(
            packages,
            [[
                "name = \"core\"",
                "flag = \"rust\"",
                "tag = \"v{version}\"",
                "previous-tags = [\"py-v{version}\"]",
                "crates = [\"core-py\"]",
                "changelog = false",
            ]]
        );
    }

    #[test]
    fn release_branches_holding_a_packages_tags_on_their_line_join_allow_branch() {
        let files = [
            (
                "Cargo.toml",
                "[package]\nname = \"gale\"\nversion = \"1.1.1\"\n",
            ),
            (
                "release.toml",
                "allow-branch = [\"trunk\", \"release/*\", \"!HEAD\"]\n",
            ),
        ];
        let source = Source::memory(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
        let tags = ["v1.0.0", "v1.1.0", "v1.1.1"].map(String::from).to_vec();
        let mut survey = crate::init::survey::read(&source, tags, None).unwrap();
        let held = |name: &str, tags: &[&str]| crate::init::branches::Held {
            name: name.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        };
        survey.held = vec![
            held("release/1.1", &["v1.0.0", "v1.1.0", "v1.1.1"]),
            held("v1.0.x", &["v1.0.0"]),
            held("feature/1.2-ui", &["v1.1.1"]),
            held("release-2.0", &["v1.0.0", "v1.1.0"]),
        ];
        let top = propose(&survey).top;
        assert_eq!(top[0].key, "branches");
        assert_eq!(top[0].value, "[\"trunk\", \"release/*\", \"v*.*.x\"]");
        assert_eq!(
            top[0].why.as_deref(),
            Some(
                "cargo-release's allow-branch (its !HEAD has no counterpart here); v*.*.x: release branches (v1.0.x holds v1.0.0)"
            )
        );
        // Without cargo-release: the branch git suggests, then the globs.
        survey.files.remove("release.toml");
        survey.branch = Some((
            "main".into(),
            "origin's default branch (origin/HEAD)".into(),
        ));
        let top = propose(&survey).top;
        assert_eq!(top[0].value, "[\"main\", \"release/*\", \"v*.*.x\"]");
        assert_eq!(
            top[0].why.as_deref(),
            Some(
                "main: origin's default branch (origin/HEAD); release/*: release branches (release/1.1 holds v1.1.1); v*.*.x: release branches (v1.0.x holds v1.0.0)"
            )
        );
    }
}
