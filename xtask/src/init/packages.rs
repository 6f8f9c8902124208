//! What the crates of a repository are released as: each crate group one
//! package (`groups`), each other published crate one, each crate beside a
//! maturin `pyproject.toml` a Python package, each unpublished crate beside
//! a `package.json` a Node binding; the others (tools, benches, examples)
//! are left out, and said. A binding with no tag series of its own, or
//! whose own series stopped where the crate's tags its version, at the
//! version of the crate it embeds, is released with that crate, under its
//! tags (`fold_bindings`). Pure.

use super::Kind;
use super::groups::{self, Input};
use super::pyproject::pyproject;
use super::survey::{Crate, Survey};
use super::tools::Tool;

/// One package to release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkg {
    pub kind: Kind,
    /// The crate it is named by, an index into the survey's crates.
    pub head: usize,
    /// The other crates of its group.
    pub others: Vec<usize>,
    /// Why they are one group, for the comment.
    pub why: Vec<String>,
}

/// The packages, Rust first, then Python, then Node, each in the order the
/// crates were found; and what was left out.
pub fn packages(survey: &Survey, tools: &[&Tool]) -> (Vec<Pkg>, Vec<String>) {
    let mut notes = Vec::new();
    let mut unpublished = Vec::new();
    let excluded = |c: &Crate| {
        tools.iter().find_map(|t| {
            let s = t.crates.get(&c.member.name)?;
            (s.release == Some(false)).then_some(t.name)
        })
    };
    let mut kinds: Vec<Option<Kind>> = Vec::new();
    for c in &survey.crates {
        let kind = kind_of(survey, c);
        if let Some(source) = excluded(c) {
            notes.push(format!(
                "{}: `release = false` in {source}'s configuration: left out",
                c.member.name
            ));
            kinds.push(None);
            continue;
        }
        if kind.is_none() {
            unpublished.push(c.member.name.clone());
        }
        kinds.push(kind);
    }
    if !unpublished.is_empty() {
        notes.push(format!(
            "not released (publish = false, no pyproject.toml or package.json beside): {}",
            unpublished.join(", ")
        ));
    }
    let published: Vec<usize> = (0..survey.crates.len())
        .filter(|&i| kinds[i].is_some() && survey.crates[i].member.publish)
        .collect();
    let shared = |c: &Crate| {
        tools
            .iter()
            .find_map(|t| t.crates.get(&c.member.name)?.shared_version.clone())
    };
    let inputs: Vec<Input> = published
        .iter()
        .map(|&i| Input {
            member: &survey.crates[i].member,
            in_root: !survey.crates[i].standalone,
            shared: shared(&survey.crates[i]),
        })
        .collect();
    let mut pkgs = Vec::new();
    let mut grouped = vec![false; survey.crates.len()];
    for g in groups::groups(&inputs, survey.workspace_version.as_ref()) {
        let head = published[g.head];
        let others: Vec<usize> = g.others.iter().map(|&i| published[i]).collect();
        for &i in others.iter().chain([&head]) {
            grouped[i] = true;
        }
        pkgs.push(Pkg {
            kind: kinds[head].expect("published"),
            head,
            others,
            why: g.why,
        });
    }
    for (i, kind) in kinds.iter().enumerate() {
        if let (Some(kind), false) = (kind, grouped[i]) {
            pkgs.push(Pkg {
                kind: *kind,
                head: i,
                others: Vec::new(),
                why: Vec::new(),
            });
        }
    }
    pkgs.sort_by_key(|p| (p.kind as u8, p.head));
    (pkgs, notes)
}

/// What a crate is released as, if at all.
fn kind_of(survey: &Survey, c: &Crate) -> Option<Kind> {
    let maturin = c
        .pyproject
        .as_ref()
        .and_then(|p| survey.text(p))
        .is_some_and(|t| pyproject(t).maturin);
    match (maturin, c.member.publish, &c.package_json) {
        (true, _, _) => Some(Kind::Python),
        (false, true, _) => Some(Kind::Rust),
        (false, false, Some(_)) => Some(Kind::Node),
        (false, false, None) => None,
    }
}

/// What the tags say of a package, for `fold_bindings`.
#[derive(Debug, Clone, Default)]
pub struct Tagged {
    /// It has a tag series.
    pub has: bool,
    /// The tag of its manifest's version in its series in use.
    pub own: Option<String>,
    /// The newest tag of its series in use.
    pub latest: Option<String>,
}

/// Folds each binding (`Python` or `Node`) into the package of a crate it
/// depends on, at one version, when the binding has no tag series of its
/// own and the crate has one; or when the crate's series tags that version
/// and the binding's own series stops below it (released with the crate
/// since: its series becomes the package's earlier one). One release,
/// under the crate's tags.
pub fn fold_bindings(survey: &Survey, pkgs: &mut Vec<Pkg>, tagged: &[Tagged]) {
    let mut tagged = tagged.to_vec();
    let mut i = 0;
    while i < pkgs.len() {
        let p = &pkgs[i];
        let binding = &survey.crates[p.head].member;
        let t = &tagged[i];
        let into = (p.kind != Kind::Rust && p.others.is_empty())
            .then(|| {
                pkgs.iter().enumerate().position(|(j, r)| {
                    let crates = std::iter::once(r.head).chain(r.others.iter().copied());
                    let depends = crates.clone().any(|c| {
                        binding
                            .deps
                            .iter()
                            .any(|d| d.package == survey.crates[c].member.name)
                    });
                    let own_stopped = t.has && t.own.is_none() && tagged[j].own.is_some();
                    r.kind == Kind::Rust
                        && ((!t.has && tagged[j].has) || own_stopped)
                        && depends
                        && survey.crates[r.head].member.version == binding.version
                })
            })
            .flatten();
        let Some(j) = into else {
            i += 1;
            continue;
        };
        let head = pkgs[i].head;
        let name = &survey.crates[pkgs[j].head].member.name;
        let why = match (&t.latest, &tagged[j].own) {
            (Some(latest), Some(tag)) if t.has => format!(
                "{} {} is tagged {tag}, {name}'s; its own tags stop at {latest}",
                binding.name, binding.version
            ),
            _ => format!(
                "{} has no tag series of its own and is at {name}'s version",
                binding.name
            ),
        };
        pkgs[j].others.push(head);
        pkgs[j].why.push(why);
        pkgs.remove(i);
        tagged.remove(i);
    }
}
