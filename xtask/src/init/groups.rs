//! Crates released as one, at one version (a crate group): those that
//! inherit `[workspace.package] version` (and those at that version beside
//! them), crates at one version pinned to each other exactly (`=1.4.0`),
//! and those cargo-release's `shared-version` names together. Each group is
//! released under the tags of its head: the crate none of the others
//! depends on, whose name the others share. A guess, said as one. Pure.

use semver::Version;

use crate::model::package::Member;

/// One group: its head and the other crates, by index into the crates
/// given, and why they were put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub head: usize,
    pub others: Vec<usize>,
    pub why: Vec<String>,
}

/// What the grouping looks at, per crate.
pub struct Input<'a> {
    pub member: &'a Member,
    /// A member of the root workspace (only those inherit its version).
    pub in_root: bool,
    /// cargo-release's `shared-version` (`true` is the name `true`).
    pub shared: Option<String>,
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent[root] != root {
        root = parent[root];
    }
    parent[i] = root;
    root
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        parent[b.max(a)] = b.min(a);
    }
}

/// The groups among `crates` (publishable crates only), with
/// `[workspace.package] version` when the root sets one.
pub fn groups(crates: &[Input], workspace: Option<&Version>) -> Vec<Group> {
    let n = crates.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut why: Vec<Vec<&str>> = vec![Vec::new(); n];
    let inheriting: Vec<usize> = (0..n)
        .filter(|&i| crates[i].in_root && crates[i].member.inherited)
        .collect();
    if let Some(&first) = inheriting.first() {
        for i in 0..n {
            let c = &crates[i];
            let at_it = c.in_root && Some(&c.member.version) == workspace;
            if c.member.inherited || at_it {
                union(&mut parent, first, i);
                why[i].push("[workspace.package] version");
            }
        }
    }
    for a in 0..n {
        for dep in &crates[a].member.deps {
            let Some(b) = crates.iter().position(|c| c.member.name == dep.package) else {
                continue;
            };
            let exact = dep.req.as_ref().is_some_and(|r| {
                let req = r.value.trim();
                req.starts_with('=')
                    && !req.starts_with("==")
                    && Version::parse(req[1..].trim()).ok().as_ref()
                        == Some(&crates[b].member.version)
            });
            if exact && crates[a].member.version == crates[b].member.version && a != b {
                union(&mut parent, a, b);
                why[a].push("exact pins");
                why[b].push("exact pins");
            }
        }
        for b in 0..n {
            if a != b && crates[a].shared.is_some() && crates[a].shared == crates[b].shared {
                union(&mut parent, a, b);
                why[a].push("cargo-release's shared-version");
            }
        }
    }
    let mut out = Vec::new();
    for root in 0..n {
        let members: Vec<usize> = (0..n).filter(|&i| find(&mut parent, i) == root).collect();
        if members.len() < 2 {
            continue;
        }
        let head = head(crates, &members);
        let mut reasons: Vec<String> = members
            .iter()
            .flat_map(|&i| why[i].iter().map(|w| w.to_string()))
            .collect();
        reasons.sort();
        reasons.dedup();
        out.push(Group {
            head,
            others: members.into_iter().filter(|&i| i != head).collect(),
            why: reasons,
        });
    }
    out
}

/// The crate a group is released as: one no other member depends on, the
/// name the others start with first, then the one depending on most of
/// them, then the shortest name.
fn head(crates: &[Input], members: &[usize]) -> usize {
    let name = |i: usize| crates[i].member.name.as_str();
    let depends = |a: usize, b: usize| crates[a].member.deps.iter().any(|d| d.package == name(b));
    let tops: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| !members.iter().any(|&j| j != i && depends(j, i)))
        .collect();
    let pool = if tops.is_empty() {
        members.to_vec()
    } else {
        tops
    };
    let key = |&i: &usize| {
        let prefix_of = members
            .iter()
            .filter(|&&j| j != i && name(j).starts_with(&format!("{}-", name(i))))
            .count();
        let uses = members.iter().filter(|&&j| depends(i, j)).count();
        (
            std::cmp::Reverse(prefix_of),
            std::cmp::Reverse(uses),
            name(i).len(),
            name(i).to_string(),
        )
    };
    *pool
        .iter()
        .min_by_key(|i| key(i))
        .expect("a group has members")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::krate;

    fn member(name: &str, version: &str, inherited: bool, deps: &str) -> Member {
        let text = krate(name, version, &format!("[dependencies]\n{deps}"));
        let mut m = crate::model::members::member(
            name.into(),
            format!("{name}/Cargo.toml"),
            &text,
            None,
            None,
        )
        .unwrap();
        m.inherited = inherited;
        m
    }

    fn grouped(
        members: &[Member],
        shared: &[Option<&str>],
        ws: Option<&str>,
    ) -> Vec<(String, Vec<String>, Vec<String>)> {
        let inputs: Vec<Input> = members
            .iter()
            .zip(shared)
            .map(|(m, s)| Input {
                member: m,
                in_root: true,
                shared: s.map(String::from),
            })
            .collect();
        let ws = ws.map(|v| Version::parse(v).unwrap());
        groups(&inputs, ws.as_ref())
            .into_iter()
            .map(|g| {
                (
                    members[g.head].name.clone(),
                    g.others.iter().map(|&i| members[i].name.clone()).collect(),
                    g.why,
                )
            })
            .collect()
    }

    #[test]
    fn inherited_versions_and_the_crates_at_them_are_one_group_headed_by_the_family_name() {
        let members = [
            member("vecstore-core", "1.0.0", true, ""),
            member(
                "vecstore",
                "1.0.0",
                false,
                "vecstore-core = { path = \"../core\", version = \"1\" }\n",
            ),
            member("vecstore-disk", "1.0.0", false, "vecstore-core = \"1.0\"\n"),
            member("other", "0.3.0", false, ""),
        ];
        let found = grouped(&members, &[None; 4], Some("1.0.0"));
        assert_eq!(
            found,
            [(
                "vecstore".to_string(),
                vec!["vecstore-core".to_string(), "vecstore-disk".to_string()],
                vec!["[workspace.package] version".to_string()]
            )]
        );
        // Without a crate that inherits it, the workspace's version groups nothing.
        let own = [
            member("a", "1.0.0", false, ""),
            member("b", "1.0.0", false, ""),
        ];
        assert!(grouped(&own, &[None; 2], Some("1.0.0")).is_empty());
    }

    #[test]
    fn exact_pins_at_one_version_and_shared_versions_group() {
        let members = [
            member("tidepool-macros", "1.4.0", false, ""),
            member(
                "tidepool",
                "1.4.0",
                false,
                "tidepool-macros = { path = \"../m\", version = \"=1.4.0\" }\n",
            ),
            member("loose", "1.4.0", false, "tidepool = \"1.4.0\"\n"),
            member("x", "2.0.0", false, ""),
            member("y", "0.1.0", false, ""),
        ];
        let shared = [None, None, None, Some("true"), Some("true")];
        let found = grouped(&members, &shared, None);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "tidepool");
        assert_eq!(found[0].1, ["tidepool-macros"]);
        assert_eq!(found[0].2, ["exact pins"]);
        assert_eq!(found[1].0, "x");
        assert_eq!(found[1].2, ["cargo-release's shared-version"]);
    }
}
