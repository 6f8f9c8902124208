//! The branches releases run on (read by `config_keys::branches`): `branch`,
//! the main line, and `branches`,
//! names or globs (`*`, `?`) such as `["main", "release-*"]`, the main line
//! first. A release on any of them pushes that branch; one on another than
//! the main line is brought to it with `changelog port`.

use crate::model::config::Config;
use crate::text::tags::glob_match;

impl Config {
    /// Whether releases may run on `branch`.
    pub fn releases_on(&self, branch: &str) -> bool {
        self.branches.iter().any(|glob| glob_match(glob, branch))
    }

    /// The branch a release made with HEAD on `current` goes on: `current`
    /// when releases run there, else the main line (a dry run elsewhere
    /// shows the main line's plan; `--execute` refuses).
    pub fn release_branch<'a>(&'a self, current: Option<&'a str>) -> &'a str {
        match current {
            Some(current) if self.releases_on(current) => current,
            _ => &self.branch,
        }
    }

    /// `main`, or `main, release-*` for messages.
    pub fn branches_list(&self) -> String {
        self.branches.join(", ")
    }

    /// `` `main` ``, or `` `main` or a branch matching `release-*` ``, for messages.
    pub fn releases_from(&self) -> String {
        let others: Vec<String> = self
            .branches
            .iter()
            .skip(1)
            .map(|b| format!("`{b}`"))
            .collect();
        match others.is_empty() {
            true => format!("`{}`", self.branch),
            false => format!(
                "`{}` or a branch matching {}",
                self.branch,
                others.join(", ")
            ),
        }
    }

    /// The release PR's branch for a release on `base`: `pr-branch` on the
    /// main line, `pr-branch` and the base (its `/` as `-`) on another:
    /// `release/next-release-0.8.0`, so each base has its one pull request.
    pub fn pr_branch_for(&self, base: &str) -> String {
        match base == self.branch {
            true => self.pr_branch.clone(),
            false => format!("{}-{}", self.pr_branch, base.replace('/', "-")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config_keys::branches as read;
    use anyhow::Result;

    fn read_keys(branch: Option<&str>, branches: Option<&[&str]>) -> Result<(String, Vec<String>)> {
        read(
            branch.map(String::from),
            branches.map(|b| b.iter().map(|s| s.to_string()).collect()),
            "xtask-release.toml",
        )
    }

    #[test]
    fn the_main_line_and_the_branches_default_to_each_other() {
        let pair = |b: (String, Vec<String>)| format!("{} {}", b.0, b.1.join(","));
        assert_eq!(pair(read_keys(None, None).unwrap()), "main main");
        assert_eq!(pair(read_keys(Some("trunk"), None).unwrap()), "trunk trunk");
        assert_eq!(
            pair(read_keys(None, Some(&["main", "release-*"])).unwrap()),
            "main main,release-*"
        );
        assert_eq!(
            pair(read_keys(Some("dev"), Some(&["release-*", "dev"])).unwrap()),
            "dev release-*,dev"
        );
    }

    #[test]
    fn branches_that_say_no_main_line_are_refused() {
        let cases: [(Option<&str>, &[&str], &str); 4] = [
            (None, &[], "`branches = []` lets no release run"),
            (
                None,
                &["release-*"],
                "`branches` starts with the glob `release-*`",
            ),
            (
                Some("main"),
                &["release-*"],
                "`branch = \"main\"` is not among `branches` (release-*)",
            ),
            (
                None,
                &["main", " "],
                "`branches` entry \" \" names no branch",
            ),
        ];
        for (branch, branches, want) in cases {
            let err = read_keys(branch, Some(branches)).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("xtask-release.toml: {want}")),
                "{err}"
            );
        }
    }

    #[test]
    fn a_release_runs_on_a_matching_branch_and_its_pr_branch_follows_the_base() {
        let config = Config {
            branches: vec!["main".into(), "release-*".into(), "v?.x".into()],
            ..Config::default()
        };
        assert!(config.releases_on("release-0.8.0") && config.releases_on("v1.x"));
        assert!(!config.releases_on("feature/x") && !config.releases_on("v10.x"));
        assert_eq!(
            config.release_branch(Some("release-0.8.0")),
            "release-0.8.0"
        );
        assert_eq!(config.release_branch(Some("feature/x")), "main");
        assert_eq!(config.release_branch(None), "main");
        assert_eq!(config.pr_branch_for("main"), "release/next");
        assert_eq!(
            config.pr_branch_for("release/0.8"),
            "release/next-release-0.8"
        );
    }
}
