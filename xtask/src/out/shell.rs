//! Commands printed for a user to run in a POSIX shell (pure).

use std::path::Path;

/// A path as one word: as it is when every character is plain (letters,
/// digits, `_./,:@%+=-`), else in single quotes, a `'` written `'\''`.
pub fn word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./,:@%+=-".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text;
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `cargo xtask` with the global options a command must repeat (`--root
/// DIR`, `--config FILE`), as the user runs it from the xtask's clone.
pub fn xtask(globals: &[String]) -> String {
    std::iter::once("cargo xtask")
        .chain(globals.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_one_word_for_a_shell() {
        for (path, word_of) in [
            ("/w/repo-1.2_x", "/w/repo-1.2_x"),
            ("/w/my repo", "'/w/my repo'"),
            ("/w/bob's repo", "'/w/bob'\\''s repo'"),
            ("/w/a&b;$(x)`y`*", "'/w/a&b;$(x)`y`*'"),
            ("", "''"),
        ] {
            assert_eq!(word(Path::new(path)), word_of, "{path}");
        }
    }

    #[test]
    fn the_xtask_with_its_global_options() {
        assert_eq!(xtask(&[]), "cargo xtask");
        assert_eq!(
            xtask(&["--root '/w/a b'".into(), "--config x.toml".into()]),
            "cargo xtask --root '/w/a b' --config x.toml"
        );
    }
}
