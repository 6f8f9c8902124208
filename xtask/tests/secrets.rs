//! Secrets stay secret (issue 30, item 4): the user-info of a registry URL
//! (`https://user:token@host/…`) given to `status`, `verify-published` and
//! `publish crate`, or of the remote a push goes to, shows as `***` in every
//! line the xtask prints, its own and the tools' it relays (cargo's errors,
//! git's), and in nothing it writes. (A private Python index with such a
//! URL works: `python_index.rs` serves one that demands basic auth.)

mod common;

use common::Repo;

/// Unreachable registries whose URLs carry fake tokens.
const INDEX: &str = "sparse+http://user:SECRET1@127.0.0.1:9/index/";
const INDEX_URL: &str = "http://user:SECRET2@127.0.0.1:9/simple/";

/// cargo tries an unreachable registry once, not for several seconds.
const NO_RETRY: (&str, &str) = ("CARGO_NET_RETRY", "0");

/// Every place `SECRET` shows in `text`, with its line.
fn leaks(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.contains("SECRET"))
        .map(str::to_string)
        .collect()
}

/// The run's output names the registry, with its user-info redacted, and
/// never a token; nothing the repository holds names one either.
#[track_caller]
fn assert_redacted(what: &str, run: &common::Run, repo: &Repo) {
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert_eq!(leaks(&out), Vec::<String>::new(), "{what}");
    assert!(out.contains("http://***@127.0.0.1:9/"), "{what}:\n{out}");
    for (path, bytes) in repo.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(leaks(&text), Vec::<String>::new(), "{what}: {path}");
    }
}

#[test]
fn registry_tokens_never_show() {
    let repo = Repo::released();
    let flags = ["--index", INDEX, "--index-url", INDEX_URL];
    let status = repo.xtask_env(
        &[&["status", "--rust", "--py"][..], &flags].concat(),
        &[NO_RETRY],
    );
    status.failure();
    assert_redacted("status", &status, &repo);
    let verify = repo.xtask_env(
        &[
            &["verify-published", "--rust", "--py", "--timeout", "0"][..],
            &flags,
        ]
        .concat(),
        &[NO_RETRY],
    );
    verify.failure();
    assert_redacted("verify-published", &verify, &repo);
    let publish = repo.xtask_env(
        &["publish", "crate", "--allow-untagged", "--index", INDEX],
        &[
            NO_RETRY,
            (
                "CARGO_TARGET_DIR",
                repo.base.join("target").to_str().unwrap(),
            ),
        ],
    );
    publish.failure();
    assert_redacted("publish crate", &publish, &repo);
    assert!(
        publish
            .stdout()
            .contains("cargo publish --locked -p demo-core --index sparse+http://***@127.0.0.1:9/index/ --dry-run"),
        "{}",
        publish.stdout()
    );
}

#[test]
fn the_token_of_the_remote_a_push_fails_on_never_shows() {
    let repo = Repo::released();
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        "http://x-access-token:SECRET3@127.0.0.1:9/demo.git",
    ]);
    let (run, summary) = repo.xtask_summary(&[
        "release",
        "--rust",
        "patch",
        "--execute",
        "--skip-preflight",
    ]);
    run.failure();
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert_eq!(leaks(&out), Vec::<String>::new());
    let journal = std::fs::read_to_string(repo.dir.join(".git/xtask-release")).unwrap();
    assert_eq!(leaks(&journal), Vec::<String>::new());
    assert_eq!(leaks(&summary), Vec::<String>::new());
}
