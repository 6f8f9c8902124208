//! A file name from a sentence (pure): `Streaming responses!` →
//! `streaming-responses`.

/// The longest slug, in characters.
pub const MAX: usize = 50;

/// Lowercase ASCII letters and digits, every other run of characters one
/// `-`, none at either end; cut at a `-` to at most [`MAX`] characters
/// (mid-word only when the first word is longer). `change` when nothing is
/// left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.len() > MAX {
        let cut = match out[..=MAX].rfind('-') {
            Some(at) if at > 0 => at,
            _ => MAX,
        };
        out.truncate(cut);
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "change".to_string()
    } else {
        out.to_string()
    }
}

/// `slug.md`, or `slug-2.md`, `slug-3.md`, … the first that `taken` does not hold.
pub fn free_name(slug: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = format!("{slug}.md");
    let mut n = 2;
    while taken(&name) {
        name = format!("{slug}-{n}.md");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let cases = [
            (
                "Streaming responses from the offline provider",
                "streaming-responses-from-the-offline-provider",
            ),
            (
                "`completion()` no longer blocks!",
                "completion-no-longer-blocks",
            ),
            ("Café au lait: déjà vu", "caf-au-lait-d-j-vu"),
            ("  --  ", "change"),
            ("日本語", "change"),
            (
                "A very long sentence that goes on and on past the limit of fifty",
                "a-very-long-sentence-that-goes-on-and-on-past-the",
            ),
            (
                "Supercalifragilisticexpialidocious-and-then-antidisestablishmentarianism",
                "supercalifragilisticexpialidocious-and-then",
            ),
            (&"x".repeat(60), &"x".repeat(50)),
            ("Line one\nline two", "line-one-line-two"),
        ];
        for (text, want) in cases {
            let got = slug(text);
            assert_eq!(got, want, "{text}");
            assert!(got.len() <= MAX, "{got}");
        }
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let taken = ["fix.md", "fix-2.md"];
        assert_eq!(free_name("fix", |n| taken.contains(&n)), "fix-3.md");
        assert_eq!(free_name("new", |n| taken.contains(&n)), "new.md");
    }
}
