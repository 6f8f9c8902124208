//! What git's configuration says about signing a release, read off
//! `git config --list -z` (pure): whether `git tag --annotate` signs
//! (`tag.gpgSign`; git leaves `tag.forceSignAnnotated` to tags made without
//! `--annotate`), whether `git commit` signs (`commit.gpgSign`), with which
//! format and key; and whether a tag object carries a signature.

/// The signing settings a release's commit and tags are made with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signing {
    /// `tag.gpgSign`: every tag git makes is signed.
    pub tags: bool,
    /// `commit.gpgSign`: every commit git makes is signed.
    pub commits: bool,
    /// `gpg.format`: `openpgp` (git's default), `ssh` or `x509`.
    pub format: String,
    /// `user.signingKey`: a key id, a key file, or `key::` and a public key.
    pub key: Option<String>,
}

/// The last value of each key of a `git config --list -z` listing: entries
/// end in NUL, the key and its value are split by a newline, and a key with
/// no value (`[tag] gpgSign`) is git's `true`. Keys compare without case,
/// as git's section and variable names do.
fn value<'a>(listing: &'a str, key: &str) -> Option<&'a str> {
    listing
        .split('\0')
        .filter_map(|entry| match entry.split_once('\n') {
            Some((k, v)) => Some((k, v)),
            None if !entry.is_empty() => Some((entry, "true")),
            None => None,
        })
        .filter(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
        .next_back()
}

/// git's boolean: `true`, `yes`, `on` or a non-zero number; anything else
/// (`false`, `no`, `off`, `0`, empty) is false.
fn boolean(text: &str) -> bool {
    let text = text.trim().to_ascii_lowercase();
    matches!(text.as_str(), "true" | "yes" | "on") || text.parse::<i64>().is_ok_and(|n| n != 0)
}

impl Signing {
    /// The settings of a `git config --list -z` listing.
    pub fn from_listing(listing: &str) -> Signing {
        let on = |key: &str| value(listing, key).is_some_and(boolean);
        Signing {
            tags: on("tag.gpgSign"),
            commits: on("commit.gpgSign"),
            format: value(listing, "gpg.format")
                .unwrap_or("openpgp")
                .to_ascii_lowercase(),
            key: value(listing, "user.signingKey")
                .filter(|k| !k.is_empty())
                .map(String::from),
        }
    }

    /// Whether git signs anything a release makes: its tags or its commit.
    pub fn on(&self) -> bool {
        self.tags || self.commits
    }

    /// The settings as git names them, for the plan and for errors:
    /// `tag.gpgSign = true, gpg.format = ssh, user.signingKey = ~/.ssh/release.pub`.
    /// A key given inline (`key::ssh-ed25519 AAAA…`) is a public key, still
    /// shown cut short: the line names it, it need not hold it.
    pub fn settings(&self) -> String {
        let mut out = Vec::new();
        if self.tags {
            out.push("tag.gpgSign = true".to_string());
        }
        if self.commits {
            out.push("commit.gpgSign = true".to_string());
        }
        out.push(format!("gpg.format = {}", self.format));
        out.push(match &self.key {
            Some(key) => format!("user.signingKey = {}", short_key(key)),
            None if self.format == "ssh" => {
                "user.signingKey unset (gpg.ssh.defaultKeyCommand decides)".to_string()
            }
            None => "user.signingKey unset (the committer's e-mail picks the key)".to_string(),
        });
        out.join(", ")
    }

    /// The plan's line: what git signs in this release. `tags`: whether the
    /// release makes tags here (the PR flow's are made by CI, with its own
    /// configuration).
    pub fn plan_line(&self, tags: bool) -> Option<String> {
        let what = match (self.tags && tags, self.commits) {
            (true, true) => "the commit and the tags",
            (true, false) => "the tags",
            (false, true) => "the commit",
            (false, false) => return None,
        };
        Some(format!("signed by git: {what} ({})", self.settings()))
    }

    /// What to fix when git cannot sign, named by git's own settings.
    pub fn fix(&self) -> &'static str {
        match self.format.as_str() {
            "ssh" => {
                "set user.signingKey to your SSH key (a file that exists, or `key::` and the public key) and, for a key with a passphrase, load it into ssh-agent (ssh-add)"
            }
            "x509" => "set user.signingKey to a certificate gpgsm knows (gpg.x509.program)",
            _ => {
                "set user.signingKey to a secret key gpg has (gpg --list-secret-keys) and unlock it in gpg-agent, or set gpg.format = ssh"
            }
        }
    }
}

/// A key as shown: a path or a key id whole, an inline public key cut to
/// its type and first characters.
fn short_key(key: &str) -> String {
    match key.strip_prefix("key::") {
        Some(inline) => {
            let cut: String = inline.chars().take(24).collect();
            format!("key::{cut}…")
        }
        None => key.to_string(),
    }
}

/// Whether the text of a tag object (`git cat-file tag`) ends in a
/// signature: OpenPGP, SSH or X.509 (CMS), as git writes them.
pub fn tag_is_signed(object: &str) -> bool {
    object.lines().any(|line| {
        matches!(
            line.trim_end(),
            "-----BEGIN PGP SIGNATURE-----"
                | "-----BEGIN SSH SIGNATURE-----"
                | "-----BEGIN SIGNED MESSAGE-----"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(entries: &[&str]) -> String {
        entries.iter().map(|e| format!("{e}\0")).collect()
    }

    #[test]
    fn signing_is_read_as_git_reads_it() {
        let rows: [(&[&str], bool, bool); 9] = [
            (&[], false, false),
            (&["tag.gpgsign\ntrue"], true, false),
            (&["commit.gpgsign\nyes"], false, true),
            (&["tag.gpgsign\nON", "commit.gpgsign\n1"], true, true),
            // The last value wins, as in git: the repository's over the user's.
            (&["tag.gpgsign\ntrue", "tag.gpgsign\nfalse"], false, false),
            (&["tag.gpgsign\nfalse", "tag.gpgsign\ntrue"], true, false),
            // A key with no value is true; an empty one is false.
            (&["tag.gpgsign"], true, false),
            (&["tag.gpgsign\n"], false, false),
            (&["TAG.GPGSIGN\n2", "commit.gpgsign\noff"], true, false),
        ];
        for (entries, tags, commits) in rows {
            let signing = Signing::from_listing(&listing(entries));
            assert_eq!(
                (signing.tags, signing.commits),
                (tags, commits),
                "{entries:?}"
            );
        }
        let none = Signing::from_listing("");
        assert_eq!(
            (none.format.as_str(), none.key.as_deref(), none.on()),
            ("openpgp", None, false)
        );
    }

    #[test]
    fn the_settings_name_git_keys_and_never_more_than_a_public_key() {
        let ssh = Signing::from_listing(&listing(&[
            "tag.gpgsign\ntrue",
            "gpg.format\nssh",
            "user.signingkey\n/home/ann/.ssh/release.pub",
            "user.email\nann@example.com",
        ]));
        assert_eq!(
            ssh.plan_line(true).unwrap(),
            "signed by git: the tags (tag.gpgSign = true, gpg.format = ssh, user.signingKey = /home/ann/.ssh/release.pub)"
        );
        // The PR flow makes no tag here: only a signed commit is said.
        assert_eq!(ssh.plan_line(false), None);
        let inline = Signing {
            commits: true,
            key: Some("key::ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKk0a1b2c3d4e5f6".into()),
            format: "ssh".into(),
            ..Signing::default()
        };
        assert_eq!(
            inline.plan_line(false).unwrap(),
            "signed by git: the commit (commit.gpgSign = true, gpg.format = ssh, user.signingKey = key::ssh-ed25519 AAAAC3NzaC1l…)"
        );
        let gpg = Signing {
            tags: true,
            commits: true,
            format: "openpgp".into(),
            key: None,
        };
        assert_eq!(
            gpg.settings(),
            "tag.gpgSign = true, commit.gpgSign = true, gpg.format = openpgp, user.signingKey unset (the committer's e-mail picks the key)"
        );
        assert!(gpg.fix().contains("gpg-agent"));
        assert!(inline.fix().contains("ssh-add"));
    }

    #[test]
    fn a_tag_object_is_signed_when_it_ends_in_a_signature() {
        let plain = "object 1a2b\ntype commit\ntag v1.0.0\ntagger A <a@x> 1 +0000\n\nv1.0.0\n";
        assert!(!tag_is_signed(plain));
        for begin in [
            "-----BEGIN PGP SIGNATURE-----",
            "-----BEGIN SSH SIGNATURE-----",
            "-----BEGIN SIGNED MESSAGE-----",
        ] {
            let signed = format!("{plain}{begin}\nAAAA\n-----END-----\n");
            assert!(tag_is_signed(&signed), "{begin}");
        }
        // Quoted in the message, indented: not git's signature block.
        assert!(!tag_is_signed(&format!(
            "{plain}  -----BEGIN PGP SIGNATURE-----x\n"
        )));
    }
}
