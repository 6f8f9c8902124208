//! No value of the configuration is ever an option to git (issue 30, item
//! 2). A `remote` such as `--upload-pack=touch …;git-upload-pack` runs
//! nothing, in a dry run or for real; option-like and list-breaking values
//! (`tag = "-v{version}"`, `tag = "v{version},x"`, `pr-branch =
//! "--receive-pack=…"`, `remote = "-x"`) are reported by `check` under
//! their key, and every other command refuses them before git sees one. A
//! `git` first on PATH logs each call's arguments: every configured value
//! git is given (remote, branch, pr-branch, tags, paths) comes after
//! `--end-of-options` or `--`.

mod common;

use common::git_log::{calls, logging_git};
use common::{LIGHT, LIGHT_RUST, Repo, assert_same};

/// Adds `line` under `branch = "main"` in the release configuration,
/// committed and pushed, so the tree is clean.
fn configure(repo: &Repo, line: &str) {
    repo.replace(
        "Cargo.toml",
        "branch = \"main\"\n",
        &format!("branch = \"main\"\n{line}\n"),
    );
    repo.git(&["commit", "-q", "-am", "chore: configure the release"]);
    repo.git(&["push", "-q", "origin", "main"]);
}

/// The workspace fixture released once, with `from` replaced by `to` in its
/// `Cargo.toml`, committed and pushed.
fn with(from: &str, to: &str) -> Repo {
    let repo = Repo::released();
    repo.replace("Cargo.toml", from, to);
    repo.git(&["commit", "-q", "-am", "chore: configure the release"]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo
}

#[test]
fn a_remote_that_reads_as_an_option_runs_nothing() {
    let repo = Repo::released();
    let marker = repo.base.join("pwned");
    let remote = format!("--upload-pack=touch {};git-upload-pack", marker.display());
    configure(&repo, &format!("remote = \"{remote}\""));
    let before = repo.state();
    let named = format!("`remote = \"{remote}\"` cannot be the remote (it starts with `-`");
    let mut preflight = vec!["preflight", "--rust"];
    preflight.extend(&LIGHT[..LIGHT_RUST]);
    let runs: [&[&str]; 3] = [
        &["release", "--pr", "--rust", "patch"],
        &preflight,
        &[
            "release",
            "--rust",
            "patch",
            "--execute",
            "--skip-preflight",
        ],
    ];
    for args in runs {
        let run = repo.xtask(args);
        assert!(
            !marker.exists(),
            "{args:?} ran the remote's command\n{}",
            run.stderr()
        );
        let stderr = run.failure();
        assert!(stderr.contains(&named), "{args:?}: {stderr}");
        assert_same(&before, &repo.state());
    }
    let check = repo.xtask(&["check"]).failure();
    assert!(check.contains(&named), "{check}");
}

#[test]
fn option_like_and_list_breaking_values_are_refused_by_their_key() {
    let config = "Cargo.toml [workspace.metadata.xtask-release]";
    let core = "Cargo.toml [workspace.metadata.xtask-release] package #1 (`demo-core`)";
    let cases = [
        (
            "tag = \"v{version}\"",
            "tag = \"-v{version}\"",
            format!(
                "{core}: `tag = \"-v{{version}}\"` makes tags such as `-v1.2.3` that cannot be used (it starts with `-`"
            ),
        ),
        (
            "tag = \"v{version}\"",
            "tag = \"v{version},x\"",
            format!(
                "{core}: `tag = \"v{{version}},x\"` makes tags such as `v1.2.3,x` that cannot be used (it contains `,`"
            ),
        ),
        (
            "branch = \"main\"\n",
            "branch = \"main\"\npr-branch = \"--receive-pack=./x\"\n",
            format!(
                "{config}: `pr-branch = \"--receive-pack=./x\"` is not a branch name git takes (it starts with `-`"
            ),
        ),
        (
            "branch = \"main\"\n",
            "branch = \"main\"\nremote = \"-x\"\n",
            format!("{config}: `remote = \"-x\"` cannot be the remote (it starts with `-`"),
        ),
    ];
    for (from, to, want) in cases {
        let repo = with(from, to);
        let before = repo.state();
        let check = repo.xtask(&["check"]).failure();
        assert!(check.contains(&want), "{to}: check says\n{check}");
        for args in [
            &["release", "--pr", "--rust", "patch"][..],
            &["gh", "release-commit"],
            &["changelog", "generate", "rust"],
        ] {
            let stderr = repo.xtask(args).failure();
            assert!(stderr.contains(&want), "{to}: {args:?} says\n{stderr}");
        }
        assert_same(&before, &repo.state());
    }
}

#[test]
fn a_remote_name_git_does_not_list_is_a_warning() {
    let repo = Repo::released();
    configure(&repo, "remote = \"upstream\"");
    let warning = "`remote = \"upstream\"` is no remote of this repository (`git remote` lists origin): add it with `git remote add upstream URL`, or set remote to one of them";
    let check = repo.xtask(&["check"]);
    check.success();
    assert!(check.stderr().contains(warning), "{}", check.stderr());
    repo.git(&["remote", "add", "upstream", repo.origin.to_str().unwrap()]);
    let check = repo.xtask(&["check"]);
    check.success();
    assert!(!check.stderr().contains(warning), "{}", check.stderr());
}

/// `values` that a call gives git where an option could be: before its
/// `--end-of-options` or `--`, and not the value of `-m`.
fn exposed(calls: &[Vec<String>], values: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for args in calls {
        let end = args
            .iter()
            .position(|a| a == "--end-of-options" || a == "--")
            .unwrap_or(args.len());
        for (i, arg) in args[..end].iter().enumerate() {
            let value_of_option = i > 0 && args[i - 1] == "-m";
            if values.contains(&arg.as_str()) && !value_of_option {
                out.push(format!("`{arg}` in: git {}", args.join(" ")));
            }
        }
    }
    out
}

#[test]
fn no_configured_value_reaches_git_as_an_option() {
    let values = [
        "origin",
        "main",
        "release/next",
        "v0.4.0",
        "v0.4.1",
        "v0.5.0",
        "py-v0.3.0",
        "py-v0.3.1",
        "CHANGELOG.md",
        "demo-py/CHANGELOG.md",
        "demo-core/Cargo.toml",
        "demo-py/pyproject.toml",
        "README.md",
    ];
    let mut logged = Vec::new();
    // The PR flow: its dry run (which asks the remote for its branch), then for real.
    let repo = Repo::released();
    let log = repo.base.join("git.log");
    let path = logging_git(&repo.base, &log);
    let env = [("PATH", path.as_str())];
    let pr = ["release", "--pr", "--rust", "patch", "--py", "patch"];
    repo.xtask_env(&pr, &env).success();
    let mut execute = pr.to_vec();
    execute.extend(["--execute", "--skip-preflight"]);
    repo.xtask_env(&execute, &env).success();
    logged.extend(calls(&log));
    // The tag flow with its pre-flight's git steps, a stop before the push
    // and an abort, then a release and its rollback.
    let repo = Repo::released();
    let log = repo.base.join("git.log");
    let path = logging_git(&repo.base, &log);
    let env = [("PATH", path.as_str())];
    let mut tag = vec!["release", "--rust", "minor", "--py", "patch", "--execute"];
    tag.extend(LIGHT);
    repo.xtask_env(&[&tag[..], &["--no-push"]].concat(), &env)
        .success();
    repo.xtask_env(&["release", "--abort"], &env).success();
    repo.xtask_env(&tag, &env).success();
    repo.xtask_env(&["rollback", "v0.5.0", "--execute"], &env)
        .success();
    logged.extend(calls(&log));

    let verbs: Vec<&str> = logged
        .iter()
        .filter_map(|c| c.first().map(String::as_str))
        .collect();
    for verb in [
        "ls-remote",
        "fetch",
        "push",
        "tag",
        "commit",
        "log",
        "switch",
        "reset",
    ] {
        assert!(
            verbs.contains(&verb),
            "no `git {verb}` was logged: {verbs:?}"
        );
    }
    let found = exposed(&logged, &values);
    assert!(
        found.is_empty(),
        "configured values given to git where an option could be:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_exposure_check_sees_a_value_before_the_end_of_options() {
    let call = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let calls = [
        call("ls-remote --tags --refs origin"),
        call("push --atomic --end-of-options origin main"),
        call("commit --quiet -m main -- CHANGELOG.md"),
        call("switch --quiet --create=release/next"),
    ];
    assert_eq!(
        exposed(&calls, &["origin", "main", "CHANGELOG.md", "release/next"]),
        ["`origin` in: git ls-remote --tags --refs origin"]
    );
}
