//! A usage line as the guide writes it, read as a reader and the shell
//! would: its variants (`[optional]` parts, `a | b` and `a|b` alternatives)
//! and its words, each placeholder (`VERSION`, `origin/BASE`, `<PATH>`)
//! replaced by a sample value. Test-only, for `docs_examples`.

/// A sample value for each placeholder the guide writes in capitals.
const SAMPLES: [(&str, &str); 23] = [
    ("BASE", "main"),
    ("COMMAND", "release"),
    ("CHECK", "fmt"),
    ("DIR", "dist"),
    ("FILE", "release.toml"),
    ("FORMAT", "keepachangelog"),
    ("KIND", "minor"),
    ("LABEL", "rc"),
    ("LEVEL", "minor"),
    ("N", "3"),
    ("NAME", "edgequake-llm"),
    ("PACKAGE", "rust"),
    ("PATH", "../app"),
    ("REV", "origin/main"),
    ("SECS", "60"),
    ("STEP", "fmt"),
    ("TAG", "v1.2.3"),
    ("TEXT", "A change users notice"),
    ("URL", "https://example.invalid/index/"),
    ("VERSION", "1.2.3"),
    ("X.Y.Z", "1.2.3"),
    ("YYYY-MM-DD", "2026-01-02"),
    ("BRANCH", "main"),
];

/// A usage line as a sequence: plain text, and `[optional]` groups of
/// alternatives (`[a | b]`).
#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Group(Vec<Vec<Part>>),
}

/// Reads `chars` up to the `]` that closes the group it is in (or the end).
fn parse_parts(chars: &mut std::iter::Peekable<std::str::Chars>) -> Vec<Vec<Part>> {
    let mut alternatives = vec![Vec::new()];
    let mut text = String::new();
    let mut quote = None;
    while let Some(c) = chars.next() {
        let current = alternatives.last_mut().unwrap();
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                text.push(c);
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                text.push(c);
            }
            (None, '[') => {
                current.push(Part::Text(std::mem::take(&mut text)));
                current.push(Part::Group(parse_parts(chars)));
            }
            (None, ']') => break,
            // ` | ` separates alternatives; `a|b` inside a word is read later.
            (None, '|') if text.ends_with(' ') || chars.peek() == Some(&' ') => {
                current.push(Part::Text(std::mem::take(&mut text)));
                alternatives.push(Vec::new());
            }
            _ => text.push(c),
        }
    }
    alternatives.last_mut().unwrap().push(Part::Text(text));
    alternatives
}

/// The texts `parts` stands for: with no optional group, then with each
/// group in turn, each of its alternatives, expanded the same way.
fn expand(parts: &[Part]) -> Vec<String> {
    let plain = |with: Option<(usize, &str)>| {
        parts
            .iter()
            .enumerate()
            .map(|(i, part)| match (part, with) {
                (Part::Text(text), _) => text.clone(),
                (Part::Group(_), Some((at, chosen))) if at == i => chosen.to_string(),
                (Part::Group(_), _) => String::new(),
            })
            .collect::<String>()
    };
    let mut out = vec![plain(None)];
    for (i, part) in parts.iter().enumerate() {
        if let Part::Group(alternatives) = part {
            for alternative in alternatives {
                for chosen in expand(alternative) {
                    out.push(plain(Some((i, &chosen))));
                }
            }
        }
    }
    out
}

/// `word` is a choice written `a|b` (not a quoted text).
fn is_choice(word: &str) -> bool {
    word.contains('|') && !word.starts_with(['"', '\''])
}

/// Every variant of a usage line: its `[optional]` parts, then each `a|b`
/// word's alternatives in turn (the first one elsewhere).
pub fn variants(text: &str) -> Vec<String> {
    let parts = parse_parts(&mut text.chars().peekable()).remove(0);
    let mut out: Vec<String> = Vec::new();
    for variant in expand(&parts) {
        let words: Vec<&str> = variant.split_whitespace().collect();
        let first: Vec<&str> = words
            .iter()
            .map(|w| {
                if is_choice(w) {
                    w.split('|').next().unwrap()
                } else {
                    w
                }
            })
            .collect();
        let mut all = vec![first.join(" ")];
        for (i, word) in words.iter().enumerate().filter(|(_, w)| is_choice(w)) {
            for alternative in word.split('|').skip(1) {
                let mut other = first.clone();
                other[i] = alternative;
                all.push(other.join(" "));
            }
        }
        for one in all {
            if !out.contains(&one) {
                out.push(one);
            }
        }
    }
    out
}

/// A placeholder: a run of capitals (with `.`, `-`, `_`), no digit.
fn is_placeholder(run: &str) -> bool {
    run.chars().any(|c| c.is_ascii_uppercase())
        && !run
            .chars()
            .any(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// `word` with each placeholder in it (`origin/BASE`, `<PATH>`) replaced
/// by its sample.
fn fill(word: &str) -> Result<String, String> {
    let word = match word.strip_prefix('<').and_then(|w| w.strip_suffix('>')) {
        Some(inner) => inner.to_uppercase(),
        None => word.to_string(),
    };
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| -> Result<(), String> {
        if is_placeholder(run) {
            let sample = SAMPLES.iter().find(|(name, _)| name == run).ok_or_else(|| {
                format!("the placeholder {run} has no sample value: add one to SAMPLES in xtask/src/cli/usage.rs")
            })?;
            out.push_str(sample.1);
        } else {
            out.push_str(run);
        }
        run.clear();
        Ok(())
    };
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || "_.-".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out)?;
            out.push(c);
        }
    }
    flush(&mut run, &mut out)?;
    Ok(out)
}

/// The words of `command` as the shell splits them (`"…"` and `'…'` are one
/// word, its quotes dropped), placeholders filled outside quotes.
pub fn words(command: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let (mut word, mut quoted, mut in_word, mut quote) = (String::new(), false, false, None);
    for c in command.chars().chain(std::iter::once(' ')) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => (quote, quoted, in_word) = (Some(c), true, true),
            (None, c) if c.is_whitespace() => {
                if in_word {
                    let done = std::mem::take(&mut word);
                    out.push(if quoted { done } else { fill(&done)? });
                }
                (quoted, in_word) = (false, false);
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    Ok(out)
}

#[test]
fn optional_parts_alternatives_and_placeholders() {
    assert_eq!(
        variants("rollback TAG [--execute [--yank]]"),
        [
            "rollback TAG",
            "rollback TAG --execute",
            "rollback TAG --execute --yank"
        ]
    );
    assert_eq!(
        variants("status [--registry NAME | --index URL] [--format a|b]"),
        [
            "status",
            "status --registry NAME",
            "status --index URL",
            "status --format a",
            "status --format b"
        ]
    );
    assert_eq!(
        words(r#"change --check --base origin/BASE <PATH> "KEEP AS IS" X.Y.Z"#).unwrap(),
        [
            "change",
            "--check",
            "--base",
            "origin/main",
            "../app",
            "KEEP AS IS",
            "1.2.3"
        ]
    );
    assert_eq!(
        words("release --rust 1.0.0-RC.2 --py NEXT").unwrap_err(),
        "the placeholder NEXT has no sample value: add one to SAMPLES in xtask/src/cli/usage.rs"
    );
}
