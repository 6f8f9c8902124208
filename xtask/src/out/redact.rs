//! A URL's user-info (`https://user:token@host/`) is a secret: it is never
//! printed, whatever prints it (a plan, an error, a tool's relayed output).

use std::sync::OnceLock;

/// `s` with the user-info of every URL in it replaced by `***`:
/// `sparse+https://u:secret@host/index/` → `sparse+https://***@host/index/`.
pub fn urls(s: &str) -> String {
    // No user-info without an `@`: most text is never given to the regex.
    if !s.contains('@') || !s.contains("://") {
        return s.to_string();
    }
    static USER_INFO: OnceLock<regex::Regex> = OnceLock::new();
    let pattern = USER_INFO.get_or_init(|| {
        // The authority ends at the first `/`, `?`, `#` or space; the
        // user-info is all of it up to its last `@` (a password may hold one).
        regex::Regex::new(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@").expect("a valid pattern")
    });
    pattern.replace_all(s, "${1}***@").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_is_replaced_and_the_rest_kept() {
        let cases = [
            ("no url here", "no url here"),
            (
                "index sparse+https://u:SECRET@host/index/ failed",
                "index sparse+https://***@host/index/ failed",
            ),
            (
                "`https://u:SECRET2@127.0.0.1:8080/simple/demo/`",
                "`https://***@127.0.0.1:8080/simple/demo/`",
            ),
            (
                "https://x-access-token:ghs_abc@github.com/o/r.git",
                "https://***@github.com/o/r.git",
            ),
            ("https://TOKEN@github.com", "https://***@github.com"),
            ("http://u:p@ss@host/x", "http://***@host/x"),
            (
                "two: https://a:1@h/ and ssh://git@h/r",
                "two: https://***@h/ and ssh://***@h/r",
            ),
            ("https://host/path?x=a@b", "https://host/path?x=a@b"),
            ("https://host/a@b", "https://host/a@b"),
            ("git@github.com:o/r.git", "git@github.com:o/r.git"),
            ("file:///srv/index", "file:///srv/index"),
            ("HTTPS://U:P@HOST/", "HTTPS://***@HOST/"),
        ];
        for (input, want) in cases {
            assert_eq!(urls(input), want, "{input}");
        }
    }
}
