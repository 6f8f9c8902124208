//! One release's status across git, its registry and GitHub, as checks in
//! the order a release makes them, and the command that does the first
//! thing missing. Pure: the checks are gathered by `cargo xtask status`.

use crate::out::json;

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Ok,
    Missing,
    /// It could not be told, and why: never counted as there.
    Unknown(String),
}

/// The places a release must reach, in the order it reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Tag,
    RemoteTag,
    Branch,
    Registry,
    GitHub,
}

impl Place {
    /// The place's name in `--json`, for scripts.
    pub fn name(self) -> &'static str {
        match self {
            Place::Tag => "tag",
            Place::RemoteTag => "remote-tag",
            Place::Branch => "branch",
            Place::Registry => "registry",
            Place::GitHub => "github",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub place: Place,
    /// What is checked, in words (`tag v0.1.0 on origin`).
    pub what: String,
    pub state: State,
    /// What was found: a commit, the files still missing, a reason.
    pub detail: String,
}

/// One package at one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub package: String,
    pub flag: String,
    /// The version as the manifests spell it (SemVer).
    pub version: String,
    pub tag: String,
    pub python: bool,
    pub remote: String,
    pub checks: Vec<Check>,
    /// Where the `next` command runs when it is not this xtask's own
    /// repository (`--root`), and the global options it repeats.
    pub elsewhere: Elsewhere,
}

/// The repository and global options of a `status` run with `--root` or
/// `--config`: the next command names them, since the xtask runs from its
/// own clone (`cargo xtask --root DIR …`, `git -C DIR …`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Elsewhere {
    /// The repository's folder, quoted for a shell.
    pub root: Option<String>,
    /// `--root DIR`, `--config FILE`.
    pub globals: Vec<String>,
}

impl Status {
    pub fn complete(&self) -> bool {
        self.checks.iter().all(|c| c.state == State::Ok)
    }

    /// The command that does the first thing not known to be there.
    pub fn next(&self) -> Option<String> {
        let first = self.checks.iter().find(|c| c.state != State::Ok)?;
        let (flag, version, tag) = (&self.flag, &self.version, &self.tag);
        let xtask = crate::out::shell::xtask(&self.elsewhere.globals);
        let git = match &self.elsewhere.root {
            Some(root) => format!("git -C {root}"),
            None => "git".to_string(),
        };
        Some(match (first.place, &first.state) {
            (_, State::Unknown(why)) => format!("find out first: {why}"),
            (Place::Tag, _) => format!("{xtask} release --{flag} {version} --execute"),
            (Place::RemoteTag, _) if first.detail.is_empty() => {
                format!("{git} push {} {tag}", self.remote)
            }
            (Place::RemoteTag, _) => format!(
                "{} has {tag} at another commit ({}): someone else released {version}; see {git} log {tag}",
                self.remote, first.detail
            ),
            (Place::Branch, _) => format!(
                "the release commit of {tag} is not on the release branch: merge it (or its release pull request) first"
            ),
            (Place::Registry, _) if self.python && first.detail.contains(".whl") => format!(
                "{git} checkout {tag} && {xtask} publish py --execute, on the platform of each missing wheel (a run uploads the sdist and its machine's wheel, skipping what the index has)"
            ),
            (Place::Registry, _) => format!(
                "{git} checkout {tag} && {xtask} publish {} --execute",
                if self.python { "py" } else { "crate" }
            ),
            // gh works on the repository of its folder: elsewhere it runs
            // there, reading the notes written here (`&&`: none if they fail).
            (Place::GitHub, _) => {
                let (gh, notes) = match &self.elsewhere.root {
                    None => ("gh".to_string(), "notes.md"),
                    Some(root) => (format!("(cd {root} && gh"), "\"$OLDPWD/notes.md\")"),
                };
                format!(
                    "{xtask} changelog notes {flag} {version} > notes.md && {gh} release create {tag} --title \"{} {version}\" --notes-file {notes}",
                    self.package
                )
            }
        })
    }
}

fn state_word(state: &State) -> &'static str {
    match state {
        State::Ok => "ok",
        State::Missing => "MISSING",
        State::Unknown(_) => "unknown",
    }
}

/// The table of every status, a `next:` line under each incomplete one.
pub fn table(statuses: &[Status]) -> String {
    let width = statuses
        .iter()
        .flat_map(|s| s.checks.iter().map(|c| c.what.chars().count()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for s in statuses {
        out.push_str(&format!("{} {} ({})\n", s.package, s.version, s.tag));
        for c in &s.checks {
            let detail = match &c.state {
                State::Unknown(why) => why.as_str(),
                _ => c.detail.as_str(),
            };
            let line = format!(
                "  {:<width$}  {:<7}  {detail}",
                c.what,
                state_word(&c.state)
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if let Some(next) = s.next() {
            out.push_str(&format!("  next: {next}\n"));
        }
    }
    out
}

/// The statuses as a JSON array, for CI.
pub fn to_json(statuses: &[Status]) -> String {
    json::array(statuses.iter().map(|s| {
        let checks = json::array(s.checks.iter().map(|c| {
            let why = match &c.state {
                State::Unknown(why) => json::string(why),
                _ => "null".into(),
            };
            json::object(&[
                ("place", json::string(c.place.name())),
                ("what", json::string(&c.what)),
                ("state", json::string(&state_word(&c.state).to_lowercase())),
                ("detail", json::string(&c.detail)),
                ("why", why),
            ])
        }));
        let next = s.next().map_or("null".into(), |n| json::string(&n));
        json::object(&[
            ("package", json::string(&s.package)),
            ("version", json::string(&s.version)),
            ("tag", json::string(&s.tag)),
            ("complete", s.complete().to_string()),
            ("checks", checks),
            ("next", next),
        ])
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(place: Place, what: &str, state: State, detail: &str) -> Check {
        Check {
            place,
            what: what.into(),
            state,
            detail: detail.into(),
        }
    }

    fn status(checks: Vec<Check>) -> Status {
        Status {
            package: "demo-py".into(),
            flag: "py".into(),
            version: "0.3.1".into(),
            tag: "py-v0.3.1".into(),
            python: true,
            remote: "origin".into(),
            checks,
            elsewhere: Elsewhere::default(),
        }
    }

    fn all_ok() -> Vec<Check> {
        vec![
            check(Place::Tag, "tag py-v0.3.1", State::Ok, "1a2b3c4"),
            check(Place::RemoteTag, "tag on origin", State::Ok, ""),
            check(Place::Branch, "commit on main", State::Ok, ""),
            check(Place::Registry, "sdist and wheels", State::Ok, ""),
            check(Place::GitHub, "GitHub release", State::Ok, "8 assets"),
        ]
    }

    #[test]
    fn the_next_step_is_the_first_thing_missing() {
        assert_eq!(status(all_ok()).next(), None);
        assert!(status(all_ok()).complete());
        let cases = [
            (
                0,
                State::Missing,
                "",
                "cargo xtask release --py 0.3.1 --execute",
            ),
            (1, State::Missing, "", "git push origin py-v0.3.1"),
            (
                1,
                State::Missing,
                "3f2a1b0",
                "origin has py-v0.3.1 at another commit (3f2a1b0): someone else released 0.3.1; see git log py-v0.3.1",
            ),
            (
                3,
                State::Missing,
                "demo_py-0.3.1.tar.gz",
                "git checkout py-v0.3.1 && cargo xtask publish py --execute",
            ),
            (
                3,
                State::Missing,
                "demo_py-0.3.1-*-abi3-win_amd64.whl",
                "git checkout py-v0.3.1 && cargo xtask publish py --execute, on the platform of each missing wheel (a run uploads the sdist and its machine's wheel, skipping what the index has)",
            ),
            (
                4,
                State::Unknown("gh is not installed".into()),
                "",
                "find out first: gh is not installed",
            ),
            (
                4,
                State::Missing,
                "",
                "cargo xtask changelog notes py 0.3.1 > notes.md && gh release create py-v0.3.1 --title \"demo-py 0.3.1\" --notes-file notes.md",
            ),
        ];
        for (at, state, detail, next) in cases {
            let mut checks = all_ok();
            checks[at].state = state;
            checks[at].detail = detail.into();
            let s = status(checks);
            assert!(!s.complete());
            assert_eq!(s.next().as_deref(), Some(next));
        }
    }

    #[test]
    fn the_next_step_elsewhere_names_the_repository_and_the_options() {
        let elsewhere = Elsewhere {
            root: Some("'/w/my repo'".into()),
            globals: vec!["--root '/w/my repo'".into(), "--config x.toml".into()],
        };
        let cases = [
            (
                0,
                "",
                "cargo xtask --root '/w/my repo' --config x.toml release --py 0.3.1 --execute",
            ),
            (1, "", "git -C '/w/my repo' push origin py-v0.3.1"),
            (
                3,
                "demo_py-0.3.1.tar.gz",
                "git -C '/w/my repo' checkout py-v0.3.1 && cargo xtask --root '/w/my repo' --config x.toml publish py --execute",
            ),
            (
                4,
                "",
                "cargo xtask --root '/w/my repo' --config x.toml changelog notes py 0.3.1 > notes.md && (cd '/w/my repo' && gh release create py-v0.3.1 --title \"demo-py 0.3.1\" --notes-file \"$OLDPWD/notes.md\")",
            ),
        ];
        for (at, detail, next) in cases {
            let mut checks = all_ok();
            checks[at].state = State::Missing;
            checks[at].detail = detail.into();
            let s = Status {
                elsewhere: elsewhere.clone(),
                ..status(checks)
            };
            assert_eq!(s.next().as_deref(), Some(next));
        }
    }

    #[test]
    fn unknown_is_never_ok_in_the_table_or_the_json() {
        let mut checks = all_ok();
        checks[4].state = State::Unknown("gh is not signed in".into());
        let s = [status(checks)];
        let table = table(&s);
        assert!(
            table.contains("GitHub release    unknown  gh is not signed in\n"),
            "{table}"
        );
        assert!(
            table.ends_with("  next: find out first: gh is not signed in\n"),
            "{table}"
        );
        let json = to_json(&s);
        assert!(json.contains("\"complete\":false"), "{json}");
        assert!(
            json.contains("\"place\":\"github\",\"what\":\"GitHub release\",\"state\":\"unknown\""),
            "{json}"
        );
    }
}
