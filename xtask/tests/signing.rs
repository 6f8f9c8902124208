//! Signed releases: git's configuration signs the tags (`tag.gpgSign`) with
//! an SSH key made in the test's folder. The pre-flight signs first, so a
//! key that is not there stops the release with nothing written; the plan
//! says what git signs; the release's tags verify with `git tag -v` against
//! an allowed-signers file; `status` tells signed and verified tags from
//! others. The user's own git configuration never leaks in (`Repo::env`).

mod common;

use std::process::Command;

use common::registries::local_index;
use common::{LIGHT, Repo, assert_same};

/// An SSH key pair in the test's folder, its public key allowed to sign
/// for the committer's e-mail; git told to sign tags with `key`.
fn signing_repo() -> (Repo, String) {
    let repo = Repo::released();
    let key = repo.base.join("release-key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "release", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = repo.base.join("allowed_signers");
    std::fs::write(&allowed, format!("committer@example.com {public}")).unwrap();
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "tag.gpgSign", "true"]);
    repo.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        allowed.to_str().unwrap(),
    ]);
    (repo, key.display().to_string())
}

/// The release with the pre-flight's git checks (the others build things).
fn release(repo: &Repo, execute: bool) -> common::Run {
    let mut args = vec!["release", "--rust", "minor", "--py", "patch"];
    if execute {
        args.push("--execute");
        args.extend(LIGHT);
    }
    repo.xtask(&args)
}

#[test]
fn a_key_git_cannot_sign_with_stops_the_release_before_anything_is_written() {
    let (repo, key) = signing_repo();
    let missing = format!("{key}-gone");
    repo.git(&["config", "user.signingKey", &missing]);
    let start = repo.state();
    let stderr = release(&repo, true).failure();
    assert!(stderr.contains("git-signing    FAILED"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "git could not sign a test commit with its configuration (tag.gpgSign = true, gpg.format = ssh, user.signingKey = {missing}): "
        )),
        "{stderr}"
    );
    // git's own reason, then the setting to fix.
    assert!(stderr.contains(&missing), "{stderr}");
    assert!(
        stderr.contains("set user.signingKey to your SSH key"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pre-flight failed (git-signing): nothing was changed"),
        "{stderr}"
    );
    assert_same(&start, &repo.state());
}

#[test]
fn the_plan_says_what_git_signs_and_the_release_tags_verify() {
    let (repo, key) = signing_repo();
    repo.git(&["config", "user.signingKey", &key]);
    let plan = release(&repo, false).success();
    let line = format!(
        "(signed by git: the tags (tag.gpgSign = true, gpg.format = ssh, user.signingKey = {key}))\n"
    );
    assert!(plan.contains(&line), "{plan}");
    // The line follows the commands it is about.
    assert!(
        plan.contains(&format!(
            "$ git push --atomic origin main v0.5.0 py-v0.3.1\n{line}"
        )),
        "{plan}"
    );
    let json = repo
        .xtask(&["release", "--rust", "minor", "--py", "patch", "--json"])
        .success();
    assert!(
        json.contains(
            "\"signing\":\"signed by git: the tags (tag.gpgSign = true, gpg.format = ssh, "
        ),
        "{json}"
    );
    let run = release(&repo, true);
    let stderr = run.stderr();
    run.success();
    assert!(stderr.contains("git-signing    ok"), "{stderr}");
    for tag in ["v0.5.0", "py-v0.3.1"] {
        let object = repo.git(&["cat-file", "tag", tag]);
        assert!(object.contains("-----BEGIN SSH SIGNATURE-----"), "{object}");
        // git itself verifies it against the allowed signers (panics if not).
        repo.git(&["tag", "-v", tag]);
    }
    // The tags reached origin signed.
    let remote = Command::new("git")
        .args(["cat-file", "tag", "v0.5.0"])
        .current_dir(&repo.origin)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&remote.stdout).contains("BEGIN SSH SIGNATURE"));
}

#[test]
fn status_says_whether_each_tag_is_signed_and_verified() {
    let (repo, key) = signing_repo();
    repo.git(&["config", "user.signingKey", &key]);
    release(&repo, true).success();
    let index = local_index(&repo);
    let tag_line = |args: &[&str]| {
        let mut all = vec!["status"];
        all.extend(args);
        all.extend(["--index", &index]);
        let out = repo.xtask(&all).stdout();
        out.lines()
            .find(|l| l.trim_start().starts_with("tag v"))
            .unwrap_or_else(|| panic!("no tag line in\n{out}"))
            .to_string()
    };
    let signed = tag_line(&["--rust", "0.5.0"]);
    assert!(signed.ends_with("; signed, verified"), "{signed}");
    // The release before this tool signed: annotated, no signature.
    let unsigned = tag_line(&["--rust", "0.4.0"]);
    assert!(unsigned.ends_with("; not signed"), "{unsigned}");
    // Without the allowed signers, git cannot verify it: its reason is said.
    repo.git(&["config", "--unset", "gpg.ssh.allowedSignersFile"]);
    let unverified = tag_line(&["--rust", "0.5.0"]);
    assert!(
        unverified.contains("; signed, not verified (")
            && unverified.contains("allowedSignersFile"),
        "{unverified}"
    );
}
