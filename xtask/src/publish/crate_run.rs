//! Publishing a crate group in its order, crate by crate: a crate whose
//! upload fails stops only the crates that need it (skipped, and named);
//! the others still go, and the run ends with what is left. Pure: the
//! upload of one crate is given as a function.

use anyhow::{Result, bail};

use crate::publish::order::Node;

/// What became of one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Published,
    /// The registry served it already: not uploaded again.
    AlreadyThere,
    /// Its upload (or the wait for it) failed, and why.
    Failed(String),
    /// Not tried: the crates it needs that are not on the registry.
    Skipped(Vec<String>),
}

impl Outcome {
    fn there(&self) -> bool {
        matches!(self, Outcome::Published | Outcome::AlreadyThere)
    }
}

/// Runs `publish` on each crate of `order` whose needs are all there; a
/// failure is an outcome, never the end of the run.
pub fn run(
    order: &[Node],
    mut publish: impl FnMut(&Node) -> Result<Outcome>,
) -> Vec<(String, Outcome)> {
    let mut outcomes: Vec<(String, Outcome)> = Vec::new();
    for node in order {
        let lacking: Vec<String> = node
            .needs
            .iter()
            .filter(|need| !outcomes.iter().any(|(name, o)| name == *need && o.there()))
            .cloned()
            .collect();
        let outcome = if lacking.is_empty() {
            publish(node).unwrap_or_else(|err| Outcome::Failed(format!("{err:#}")))
        } else {
            Outcome::Skipped(lacking)
        };
        outcomes.push((node.name.clone(), outcome));
    }
    outcomes
}

/// `Ok` when every crate is there; else an error naming each crate left,
/// why, and the command that finishes them.
pub fn verdict(version: &str, outcomes: &[(String, Outcome)], again: &str) -> Result<()> {
    let left: Vec<String> = outcomes
        .iter()
        .filter_map(|(name, outcome)| match outcome {
            Outcome::Failed(why) => Some(format!("{name} {version} failed: {}", cause(why))),
            Outcome::Skipped(needs) => Some(format!(
                "{name} {version} skipped: it needs {}, not on the registry",
                needs.join(", ")
            )),
            _ => None,
        })
        .collect();
    if left.is_empty() {
        return Ok(());
    }
    let done: Vec<&str> = outcomes
        .iter()
        .filter(|(_, o)| o.there())
        .map(|(name, _)| name.as_str())
        .collect();
    let done = match done.is_empty() {
        true => String::new(),
        false => format!(" (on the registry: {})", done.join(", ")),
    };
    bail!(
        "{} of {} crate(s) not published{done}: {}; fix that, then run `{again}` again: it uploads only what the registry lacks",
        left.len(),
        outcomes.len(),
        left.join("; ")
    )
}

/// The line of an error that says why: its last (cargo's cause comes last;
/// the whole output is printed above).
fn cause(why: &str) -> &str {
    why.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or(why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, needs: &[&str]) -> Node {
        Node {
            name: name.into(),
            needs: needs.iter().map(|n| n.to_string()).collect(),
        }
    }

    /// core <- disk <- cli; mem alone; core already there in the second run.
    fn group() -> Vec<Node> {
        vec![
            node("mem", &[]),
            node("core", &[]),
            node("disk", &["core", "mem"]),
            node("cli", &["disk"]),
            node("docs", &["mem"]),
        ]
    }

    #[test]
    fn a_failed_crate_stops_only_the_crates_that_need_it() {
        let mut tried = Vec::new();
        let outcomes = run(&group(), |n| {
            tried.push(n.name.clone());
            match n.name.as_str() {
                "core" => {
                    bail!("`cargo publish -p core` failed:\nerror: 500 Internal Server Error")
                }
                _ => Ok(Outcome::Published),
            }
        });
        assert_eq!(tried, ["mem", "core", "docs"]);
        assert_eq!(
            outcomes,
            [
                ("mem".to_string(), Outcome::Published),
                (
                    "core".into(),
                    Outcome::Failed(
                        "`cargo publish -p core` failed:\nerror: 500 Internal Server Error".into()
                    )
                ),
                ("disk".into(), Outcome::Skipped(vec!["core".into()])),
                ("cli".into(), Outcome::Skipped(vec!["disk".into()])),
                ("docs".into(), Outcome::Published),
            ]
        );
        let err = verdict("0.4.0", &outcomes, "cargo xtask publish crate --execute")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "3 of 5 crate(s) not published (on the registry: mem, docs): core 0.4.0 failed: error: 500 Internal Server Error; disk 0.4.0 skipped: it needs core, not on the registry; cli 0.4.0 skipped: it needs disk, not on the registry; fix that, then run `cargo xtask publish crate --execute` again: it uploads only what the registry lacks"
        );
    }

    #[test]
    fn a_rerun_uploads_only_the_holes() {
        let there = ["mem", "core", "docs"];
        let mut uploaded = Vec::new();
        let outcomes = run(&group(), |n| {
            if there.contains(&n.name.as_str()) {
                return Ok(Outcome::AlreadyThere);
            }
            uploaded.push(n.name.clone());
            Ok(Outcome::Published)
        });
        assert_eq!(uploaded, ["disk", "cli"]);
        assert!(verdict("0.4.0", &outcomes, "x").is_ok());
    }
}
