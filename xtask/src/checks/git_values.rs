//! The configuration's values that git and GitHub's gh are given — the
//! remote, the release branch, `pr-branch`, each package's tags — checked
//! as git checks them, and never one that reads as an option or breaks a
//! list (pure). `check` reports each by its key; every command but `check`
//! and `versions` refuses to start while one is wrong (`Ctx::ws`), so no
//! value reaches git before it is checked.

use semver::Version;

use crate::ctx::Problem;
use crate::model::config::Config;
use crate::model::workspace::Workspace;

/// Why git refuses `name` as a reference name (the rules of
/// `git check-ref-format`), or `None` when it is valid.
pub fn ref_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name == "@" {
        return Some("it is `@`");
    }
    if name.starts_with('/') || name.ends_with('/') {
        return Some("it begins or ends with `/`");
    }
    if name.contains("//") {
        return Some("it contains `//`");
    }
    if name.ends_with('.') {
        return Some("it ends with `.`");
    }
    if name.contains("..") {
        return Some("it contains `..`");
    }
    if name.contains("@{") {
        return Some("it contains `@{`");
    }
    if let Some(c) = name
        .chars()
        .find(|&c| c.is_ascii_control() || " ~^:?*[\\".contains(c))
    {
        return Some(match c {
            ' ' => "it contains a space",
            c if c.is_ascii_control() => "it contains a control character",
            '~' => "it contains `~`",
            '^' => "it contains `^`",
            ':' => "it contains `:`",
            '?' => "it contains `?`",
            '*' => "it contains `*`",
            '[' => "it contains `[`",
            _ => "it contains `\\`",
        });
    }
    for component in name.split('/') {
        if component.starts_with('.') {
            return Some("a `/`-separated part begins with `.`");
        }
        if component.ends_with(".lock") {
            return Some("a `/`-separated part ends with `.lock`");
        }
    }
    None
}

/// Why `tag` cannot be a release's tag: it reads as an option, it breaks
/// the comma-joined list `gh release-commit` writes (`tags=v1.0.0,py-v0.3.0`,
/// which the release workflow splits), or git refuses it.
pub fn tag_problem(tag: &str) -> Option<&'static str> {
    if tag.starts_with('-') {
        return Some("it starts with `-`, so git and gh would read it as an option");
    }
    if tag.contains(',') {
        return Some(
            "it contains `,`, which splits the tag list `gh release-commit` writes into two tags",
        );
    }
    if tag.chars().any(char::is_whitespace) {
        return Some("it contains whitespace");
    }
    ref_name_problem(&format!("refs/tags/{tag}"))
}

/// Why `name` cannot be a branch: git refuses it (`git check-ref-format
/// --branch`), or it reads as an option.
pub fn branch_problem(name: &str) -> Option<&'static str> {
    if name.starts_with('-') {
        return Some("it starts with `-`, so git would read it as an option");
    }
    if name == "HEAD" {
        return Some("it is `HEAD`");
    }
    ref_name_problem(&format!("refs/heads/{name}"))
}

/// Why `remote` cannot be the remote: it must be a remote's name (which
/// `check` also looks up in `git remote`) or a URL (`https://…`, `ssh://…`,
/// `git@host:path`, an absolute path), and never read as an option.
pub fn remote_problem(remote: &str) -> Option<&'static str> {
    if remote.is_empty() {
        return Some("it is empty");
    }
    if remote.starts_with('-') {
        return Some("it starts with `-`, so git would read it as an option");
    }
    if remote.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    if is_url(remote) {
        return None;
    }
    ref_name_problem(&format!("refs/remotes/{remote}/HEAD"))
        .map(|_| "it is neither a remote's name nor a URL")
}

/// `scheme://…`, an absolute path, or scp's `[user@]host:path` (a remote's
/// name holds no `:`).
fn is_url(remote: &str) -> bool {
    let scp = remote
        .split_once(':')
        .is_some_and(|(host, _)| !host.is_empty() && !host.contains('/'));
    remote.contains("://") || remote.starts_with('/') || scp
}

/// A release and a pre-release: their tags stand for every tag of a series.
pub fn samples() -> [Version; 2] {
    [
        Version::new(1, 2, 3),
        Version::parse("1.2.3-rc.1").expect("a valid version"),
    ]
}

/// Every value of the configuration that git or gh would take wrongly:
/// `remote`, `branch`, `pr-branch`, each package's `tag`.
pub fn problems(ws: &Workspace) -> Vec<Problem> {
    let config = &ws.config;
    let mut out = Vec::new();
    let mut say = |message: String| {
        out.push(Problem {
            location: config.origin.clone(),
            message,
        })
    };
    if let Some(why) = remote_problem(&config.remote) {
        say(format!(
            "`remote = \"{}\"` cannot be the remote ({why}): set it to a remote's name (`git remote` lists them) or a URL, e.g. remote = \"origin\"",
            config.remote
        ));
    }
    for (key, value, example) in [
        ("branch", &config.branch, "main"),
        ("pr-branch", &config.pr_branch, "release/next"),
    ] {
        if let Some(why) = branch_problem(value) {
            say(format!(
                "`{key} = \"{value}\"` is not a branch name git takes ({why}): use letters, digits, `-` (not first), `_`, `/` and single dots, e.g. {key} = \"{example}\""
            ));
        }
    }
    // A glob of `branches` is judged as the names it matches: `*` and `?`
    // stand for letters, which git takes anywhere.
    for glob in config.branches.iter().filter(|b| *b != &config.branch) {
        if let Some(why) = branch_problem(&glob.replace(['*', '?'], "x")) {
            out.push(Problem {
                location: config.origin.clone(),
                message: format!(
                    "`branches` entry \"{glob}\" matches no branch name git takes ({why}): use letters, digits, `-` (not first), `_`, `/`, single dots and the globs `*` and `?`, e.g. branches = [\"{}\", \"release-*\"]",
                    config.branch
                ),
            });
        }
    }
    out.extend(tag_problems(ws));
    out
}

/// Each package whose tag template makes a tag `tag_problem` refuses.
fn tag_problems(ws: &Workspace) -> Vec<Problem> {
    let mut out = Vec::new();
    for package in &ws.packages {
        let template = &package.tag.template;
        let tags = samples().map(|v| package.tag.render(&v).ok());
        let refused = tags.iter().flatten().find_map(|tag| {
            let why = ref_name_problem(&format!("refs/tags/{tag}"));
            match why {
                Some(why) => Some(format!("`{tag}` that git refuses ({why}): write the tag with letters, digits, `-`, `_`, `/` and single dots")),
                None => tag_problem(tag).map(|why| format!("`{tag}` that cannot be used ({why}): start the tag with a letter or a digit, without `,` or whitespace")),
            }
        });
        if let Some(what) = refused {
            out.push(Problem {
                location: package.origin.clone(),
                message: format!(
                    "`tag = \"{template}\"` makes tags such as {what}, e.g. `v{{version}}`"
                ),
            });
        }
    }
    out
}

/// The configured remote when it is a name `git remote` does not list
/// (`remotes`): git would fail on it, so `check` says it first.
pub fn unknown_remote(config: &Config, remotes: &[String]) -> Option<Problem> {
    let remote = &config.remote;
    if is_url(remote) || remote_problem(remote).is_some() || remotes.contains(remote) {
        return None;
    }
    let listed = match remotes.is_empty() {
        true => "none".to_string(),
        false => remotes.join(", "),
    };
    Some(Problem {
        location: config.origin.clone(),
        message: format!(
            "`remote = \"{remote}\"` is no remote of this repository (`git remote` lists {listed}): add it with `git remote add {remote} URL`, or set remote to one of them"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::replaced;

    #[test]
    fn ref_names_follow_git_check_ref_format() {
        let cases = [
            ("refs/tags/v1.2.3", None),
            ("refs/tags/py-v1.2.3rc1", None),
            ("refs/tags/release/v1.2.3", None),
            ("refs/tags/v1.2.3-rc.1+build.5", None),
            ("refs/tags/@v1", None),
            ("", Some("it is empty")),
            ("@", Some("it is `@`")),
            ("/refs/tags/v1", Some("it begins or ends with `/`")),
            ("refs/tags/v1/", Some("it begins or ends with `/`")),
            ("refs/tags//v1", Some("it contains `//`")),
            ("refs/tags/v1.", Some("it ends with `.`")),
            ("refs/tags/rel..v1.2.3", Some("it contains `..`")),
            ("refs/tags/v@{1}", Some("it contains `@{`")),
            ("refs/tags/v 1", Some("it contains a space")),
            ("refs/tags/v\t1", Some("it contains a control character")),
            (
                "refs/tags/v\u{7f}1",
                Some("it contains a control character"),
            ),
            ("refs/tags/v~1", Some("it contains `~`")),
            ("refs/tags/v^1", Some("it contains `^`")),
            ("refs/tags/v:1", Some("it contains `:`")),
            ("refs/tags/v?1", Some("it contains `?`")),
            ("refs/tags/v*1", Some("it contains `*`")),
            ("refs/tags/v[1", Some("it contains `[`")),
            ("refs/tags/v\\1", Some("it contains `\\`")),
            (
                "refs/tags/.v1",
                Some("a `/`-separated part begins with `.`"),
            ),
            (
                "refs/tags/v1.2.3.lock",
                Some("a `/`-separated part ends with `.lock`"),
            ),
            (
                "refs/tags/x.lock/v1",
                Some("a `/`-separated part ends with `.lock`"),
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(ref_name_problem(name), expected, "{name:?}");
        }
    }

    #[test]
    fn option_like_and_list_breaking_values_are_refused() {
        for (tag, want) in [
            ("v1.2.3", None),
            ("py-v1.2.3rc1", None),
            ("release/v1.2.3", None),
            (
                "-v1.2.3",
                Some("it starts with `-`, so git and gh would read it as an option"),
            ),
            (
                "v1.2.3,x",
                Some(
                    "it contains `,`, which splits the tag list `gh release-commit` writes into two tags",
                ),
            ),
            ("v1.2.3\u{a0}x", Some("it contains whitespace")),
            (
                "v1.2.3.lock",
                Some("a `/`-separated part ends with `.lock`"),
            ),
        ] {
            assert_eq!(tag_problem(tag), want, "{tag}");
        }
        for (branch, want) in [
            ("main", None),
            ("release/next", None),
            (
                "--receive-pack=./x",
                Some("it starts with `-`, so git would read it as an option"),
            ),
            ("HEAD", Some("it is `HEAD`")),
            ("a b", Some("it contains a space")),
            ("x..y", Some("it contains `..`")),
        ] {
            assert_eq!(branch_problem(branch), want, "{branch}");
        }
        for (remote, want) in [
            ("origin", None),
            ("up-stream_2", None),
            ("https://github.com/o/r.git", None),
            ("ssh://git@host/r.git", None),
            ("git@github.com:o/r.git", None),
            ("/srv/git/r.git", None),
            ("file:///srv/git/r.git", None),
            (
                "-x",
                Some("it starts with `-`, so git would read it as an option"),
            ),
            (
                "--upload-pack=touch /tmp/x;git-upload-pack",
                Some("it starts with `-`, so git would read it as an option"),
            ),
            ("", Some("it is empty")),
            ("my remote", Some("it is neither a remote's name nor a URL")),
            ("../up.git", Some("it is neither a remote's name nor a URL")),
            ("origin\n", Some("it contains a control character")),
        ] {
            assert_eq!(remote_problem(remote), want, "{remote:?}");
        }
    }

    const ROOT: &str = "[workspace]\nmembers = [\"core\"]\n\n[workspace.metadata.xtask-release]\nbranch = \"main\"\n\n[[workspace.metadata.xtask-release.package]]\nname = \"core\"\nflag = \"rust\"\ntag = \"v{version}\"\n";

    fn problems_with(from: &str, to: &str) -> Vec<String> {
        let files = [
            ("Cargo.toml", ROOT),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"0.4.0\"\n",
            ),
        ];
        let ws = replaced(&files, &[("Cargo.toml", from, to)]);
        problems(&ws).iter().map(Problem::to_string).collect()
    }

    #[test]
    fn each_value_is_reported_by_its_key() {
        let config = "Cargo.toml [workspace.metadata.xtask-release]";
        let core = "Cargo.toml [workspace.metadata.xtask-release] package #1 (`core`)";
        assert_eq!(problems_with("", ""), Vec::<String>::new());
        let cases = [
            (
                "branch = \"main\"",
                "branch = \"main\"\nremote = \"-x\"",
                format!(
                    "{config}: `remote = \"-x\"` cannot be the remote (it starts with `-`, so git would read it as an option): set it to a remote's name (`git remote` lists them) or a URL, e.g. remote = \"origin\""
                ),
            ),
            (
                "branch = \"main\"",
                "branch = \"-main\"",
                format!(
                    "{config}: `branch = \"-main\"` is not a branch name git takes (it starts with `-`, so git would read it as an option): use letters, digits, `-` (not first), `_`, `/` and single dots, e.g. branch = \"main\""
                ),
            ),
            (
                "branch = \"main\"",
                "branch = \"main\"\npr-branch = \"--receive-pack=./x\"",
                format!(
                    "{config}: `pr-branch = \"--receive-pack=./x\"` is not a branch name git takes (it starts with `-`, so git would read it as an option): use letters, digits, `-` (not first), `_`, `/` and single dots, e.g. pr-branch = \"release/next\""
                ),
            ),
            (
                "branch = \"main\"",
                "branch = \"main\"\nbranches = [\"main\", \"-release-*\"]",
                format!(
                    "{config}: `branches` entry \"-release-*\" matches no branch name git takes (it starts with `-`, so git would read it as an option): use letters, digits, `-` (not first), `_`, `/`, single dots and the globs `*` and `?`, e.g. branches = [\"main\", \"release-*\"]"
                ),
            ),
            (
                "branch = \"main\"",
                "branch = \"main\"\nbranches = [\"main\", \"release..*\"]",
                format!(
                    "{config}: `branches` entry \"release..*\" matches no branch name git takes (it contains `..`): use letters, digits, `-` (not first), `_`, `/`, single dots and the globs `*` and `?`, e.g. branches = [\"main\", \"release-*\"]"
                ),
            ),
            (
                "tag = \"v{version}\"",
                "tag = \"-v{version}\"",
                format!(
                    "{core}: `tag = \"-v{{version}}\"` makes tags such as `-v1.2.3` that cannot be used (it starts with `-`, so git and gh would read it as an option): start the tag with a letter or a digit, without `,` or whitespace, e.g. `v{{version}}`"
                ),
            ),
            (
                "tag = \"v{version}\"",
                "tag = \"v{version},x\"",
                format!(
                    "{core}: `tag = \"v{{version}},x\"` makes tags such as `v1.2.3,x` that cannot be used (it contains `,`, which splits the tag list `gh release-commit` writes into two tags): start the tag with a letter or a digit, without `,` or whitespace, e.g. `v{{version}}`"
                ),
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(problems_with(from, to), [want], "{to}");
        }
    }

    #[test]
    fn a_remote_name_must_be_one_git_lists() {
        let mut config = Config::default();
        let remotes = ["origin".to_string(), "fork".to_string()];
        assert_eq!(unknown_remote(&config, &remotes), None);
        config.remote = "https://github.com/o/r.git".into();
        assert_eq!(unknown_remote(&config, &[]), None);
        config.remote = "upstream".into();
        assert_eq!(
            unknown_remote(&config, &remotes).unwrap().to_string(),
            "Cargo.toml [workspace.metadata.xtask-release]: `remote = \"upstream\"` is no remote of this repository (`git remote` lists origin, fork): add it with `git remote add upstream URL`, or set remote to one of them"
        );
    }
}
