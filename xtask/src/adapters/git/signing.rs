//! Signing as git does it: its configuration read, a signature made with
//! it before a release writes anything, and a tag's signature checked.

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

use super::exit;
use crate::text::signing::{self, Signing};

/// The signing settings git makes this repository's commits and tags with
/// (every scope: system, user, repository, `include`s).
pub fn settings(sh: &Shell) -> Result<Signing> {
    let listing = exit::run(cmd!(sh, "git config --list -z"))?.ok()?;
    Ok(Signing::from_listing(&listing))
}

/// Signs a throwaway commit as the release will sign its commit and tags:
/// git's own `commit-tree -S`, so the format, the program, the key and the
/// agent are the ones git uses (a tag is signed with the same key: both
/// take `user.signingKey`, else the committer's identity). Its objects go
/// to a scratch object folder (`GIT_OBJECT_DIRECTORY`): the repository's
/// objects and refs are not touched. The error is git's message.
pub fn probe(sh: &Shell) -> Result<()> {
    let scratch = std::env::temp_dir().join(format!("xtask-sign-probe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .with_context(|| format!("cannot create {}", scratch.display()))?;
    let signed = sign_in(sh, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    signed
}

fn sign_in(sh: &Shell, scratch: &std::path::Path) -> Result<()> {
    let objects = ("GIT_OBJECT_DIRECTORY", scratch);
    // The empty tree, written into the scratch folder (sha1 or sha256 alike).
    let mktree = cmd!(sh, "git mktree").env(objects.0, objects.1).stdin("");
    let tree = exit::run(mktree)?.ok()?;
    let tree = tree.trim();
    let message = "xtask-release: signing probe";
    let sign = cmd!(
        sh,
        "git commit-tree -S -m {message} --end-of-options {tree}"
    );
    exit::run(sign.env(objects.0, objects.1).stdin(""))?.ok()?;
    Ok(())
}

/// What a release tag carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagSignature {
    /// A lightweight tag, or an annotated one without a signature.
    Unsigned,
    Verified,
    /// Signed, and `git tag -v` does not verify it: git's last line why.
    Unverified(String),
}

impl TagSignature {
    /// As `status` says it.
    pub fn describe(&self) -> String {
        match self {
            TagSignature::Unsigned => "not signed".into(),
            TagSignature::Verified => "signed, verified".into(),
            TagSignature::Unverified(why) => format!("signed, not verified ({why})"),
        }
    }
}

/// Whether the tag `name` is signed and whether `git tag -v` verifies it
/// (with this repository's keyring or `gpg.ssh.allowedSignersFile`).
pub fn tag_signature(sh: &Shell, name: &str) -> Result<TagSignature> {
    let reference = format!("refs/tags/{name}");
    let kind = exit::run(cmd!(sh, "git cat-file -t --end-of-options {reference}"))?.ok()?;
    if kind.trim() != "tag" {
        return Ok(TagSignature::Unsigned);
    }
    let object = exit::run(cmd!(sh, "git cat-file tag --end-of-options {reference}"))?.ok()?;
    if !signing::tag_is_signed(&object) {
        return Ok(TagSignature::Unsigned);
    }
    let verify = exit::run(cmd!(sh, "git tag -v --end-of-options {name}"))?;
    if verify.code == Some(0) {
        return Ok(TagSignature::Verified);
    }
    let why = verify
        .stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("git tag -v failed without a message");
    let why = why.strip_prefix("error: ").unwrap_or(why);
    Ok(TagSignature::Unverified(why.to_string()))
}
