//! The order a crate group is published in: each crate after the group's
//! crates it depends on, read from the manifests alone — its normal and build
//! dependencies, and the dev-dependencies that keep a `version` (cargo drops
//! a path-only dev-dependency from the published manifest; one with a
//! version must be on the registry first). Pure.

use anyhow::{Result, bail};

use crate::model::package::{Member, Package};
use crate::model::workspace::Workspace;

/// One crate of a group and the group's crates it needs published first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub needs: Vec<String>,
}

/// The group's publishable crates (the package, then its `crates`), in
/// publish order.
pub fn group(ws: &Workspace, package: &Package) -> Result<Vec<Node>> {
    let members: Vec<&Member> = std::iter::once(&package.name)
        .chain(&package.crates)
        .filter_map(|name| ws.member(name))
        .filter(|m| m.publish || m.name == package.name)
        .collect();
    if members.is_empty() {
        // Not a workspace member (a package of a test model): alone.
        return Ok(vec![Node {
            name: package.name.clone(),
            needs: vec![],
        }]);
    }
    order(&package.name, nodes(&members))
}

/// Each member with the names of the other members it needs first.
pub fn nodes(members: &[&Member]) -> Vec<Node> {
    members
        .iter()
        .map(|m| {
            let mut needs: Vec<String> = Vec::new();
            for dep in &m.deps {
                let kind = dep.table.last().map(String::as_str).unwrap_or("");
                let published = match kind {
                    "dependencies" | "build-dependencies" => true,
                    "dev-dependencies" => dep.req.is_some() || dep.inherited,
                    _ => false,
                };
                let ours = members.iter().any(|o| o.name == dep.package);
                if published
                    && ours
                    && dep.table.first().is_none_or(|t| t != "workspace")
                    && dep.package != m.name
                    && !needs.contains(&dep.package)
                {
                    needs.push(dep.package.clone());
                }
            }
            Node {
                name: m.name.clone(),
                needs,
            }
        })
        .collect()
}

/// `nodes` in an order where each comes after what it needs; among those
/// ready at once, the configured order. A cycle is refused, named.
pub fn order(group: &str, mut nodes: Vec<Node>) -> Result<Vec<Node>> {
    let mut done: Vec<Node> = Vec::new();
    while !nodes.is_empty() {
        let ready = nodes
            .iter()
            .position(|n| n.needs.iter().all(|d| done.iter().any(|x| &x.name == d)));
        match ready {
            Some(at) => done.push(nodes.remove(at)),
            None => bail!(
                "the crates of `{group}` depend on each other in a cycle ({}): cargo cannot publish them; drop the `version` of the dev-dependency that closes it (cargo then leaves it out of the published manifest)",
                cycle(&nodes).join(" -> ")
            ),
        }
    }
    Ok(done)
}

/// A cycle among `left` (every one of which needs another of `left`).
fn cycle(left: &[Node]) -> Vec<String> {
    let mut path: Vec<&str> = vec![&left[0].name];
    loop {
        let last = left.iter().find(|n| n.name == *path.last().unwrap());
        let next = last
            .and_then(|n| n.needs.iter().find(|d| left.iter().any(|o| &&o.name == d)))
            .map(String::as_str);
        let Some(next) = next else {
            return path.iter().map(|s| s.to_string()).collect();
        };
        if let Some(at) = path.iter().position(|p| *p == next) {
            let mut out: Vec<String> = path[at..].iter().map(|s| s.to_string()).collect();
            out.push(next.to_string());
            return out;
        }
        path.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::manifest::DepRef;

    fn dep(table: &[&str], package: &str, req: bool) -> DepRef {
        DepRef {
            table: table.iter().map(|t| t.to_string()).collect(),
            key: package.into(),
            package: package.into(),
            req: req.then(|| crate::text::toml::StrValue {
                value: "0.4".into(),
                line: 1,
                span: 0..0,
            }),
            inherited: false,
            line: 1,
        }
    }

    fn member(name: &str, deps: Vec<DepRef>) -> Member {
        Member {
            name: name.into(),
            manifest: format!("{name}/Cargo.toml"),
            dir: name.into(),
            cargo_root: ".".into(),
            version: semver::Version::new(0, 4, 0),
            version_line: 3,
            inherited: false,
            publish: true,
            repository: None,
            deps,
        }
    }

    fn names(nodes: &[Node]) -> Vec<&str> {
        nodes.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn each_crate_comes_after_the_group_crates_it_depends_on() {
        let normal = ["dependencies"];
        let members = [
            // The package first in the configuration, yet it needs both stores.
            member(
                "meta",
                vec![dep(&normal, "meta-disk", true), dep(&normal, "serde", true)],
            ),
            member(
                "meta-disk",
                vec![
                    dep(&["target", "cfg(unix)", "dependencies"], "meta-mem", true),
                    dep(&["build-dependencies"], "meta-mem", true),
                ],
            ),
            member("meta-mem", vec![dep(&["dev-dependencies"], "meta", false)]),
            member("meta-cli", vec![]),
        ];
        let refs: Vec<&Member> = members.iter().collect();
        let nodes = nodes(&refs);
        assert_eq!(nodes[1].needs, ["meta-mem"], "one need, named once");
        assert_eq!(
            nodes[2].needs,
            Vec::<String>::new(),
            "a path-only dev-dependency is dropped"
        );
        let ordered = order("meta", nodes).unwrap();
        assert_eq!(
            names(&ordered),
            ["meta-mem", "meta-disk", "meta", "meta-cli"]
        );
    }

    #[test]
    fn a_cycle_is_refused_naming_it() {
        let members = [
            member("a", vec![dep(&["dependencies"], "b", true)]),
            member("b", vec![dep(&["dependencies"], "c", true)]),
            member("c", vec![dep(&["dev-dependencies"], "b", true)]),
        ];
        let refs: Vec<&Member> = members.iter().collect();
        let err = order("a", nodes(&refs)).unwrap_err().to_string();
        assert!(
            err.starts_with("the crates of `a` depend on each other in a cycle (b -> c -> b): cargo cannot publish them"),
            "{err}"
        );
    }
}
