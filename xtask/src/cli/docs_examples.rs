//! Every `cargo xtask …` command line the guide shows (README.md and
//! docs/*.md) parses with the real command line, as `main` parses it
//! (`cli::command`, then `cli::parse`), offline and running nothing. The
//! rules — what counts as a command line, `[optional]` parts, alternatives,
//! placeholders — are told in docs/architecture.md ("The documentation is
//! tested"). Test-only.

use crate::cli::guide::{self, package_flags};
use crate::cli::{command, parse};

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

/// One command line shown in the guide: `file:line`, and its text after
/// `cargo xtask `.
#[derive(Debug, PartialEq, Eq)]
struct Example {
    place: String,
    text: String,
    /// In the text (a code span), not in a code block.
    in_text: bool,
}

/// `line` without its shell comment: from a `#` that starts a word, outside
/// quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return &line[..at],
            _ => {}
        }
        previous = c;
    }
    line
}

/// The command that starts `rest` (the text after `cargo xtask `): up to a
/// backtick, `&&`, `;`, a `>` that closes no `<`, a `)`, or a `|` outside
/// brackets and quotes.
fn command_text(rest: &str) -> &str {
    let (mut quote, mut brackets, mut angles) = (None, 0, 0);
    for (at, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => brackets += 1,
            (None, ']') => brackets -= 1,
            (None, '<') => angles += 1,
            (None, '>') if angles > 0 => angles -= 1,
            (None, '`' | ';' | '>' | ')') => return &rest[..at],
            (None, '&') if rest[at..].starts_with("&&") => return &rest[..at],
            (None, '|') if brackets == 0 => return &rest[..at],
            _ => {}
        }
    }
    rest
}

/// Each `cargo xtask …` in `text`, a line or a code span of the guide.
fn commands_in(text: &str, place: &str, in_text: bool, out: &mut Vec<Example>) {
    for (at, _) in text.match_indices("cargo xtask") {
        let rest = &text[at + "cargo xtask".len()..];
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        let command = command_text(rest).trim();
        out.push(Example {
            place: place.to_string(),
            text: command.split_whitespace().collect::<Vec<_>>().join(" "),
            in_text,
        });
    }
}

/// The code spans of one paragraph, with the byte offset each starts at: a
/// run of N backticks up to the next run of exactly N.
fn spans_in(paragraph: &str) -> Vec<(usize, String)> {
    let bytes = paragraph.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'`' {
            at += 1;
            continue;
        }
        let run = run_at(at);
        let open_end = at + run;
        let close = (open_end..bytes.len())
            .find(|&i| bytes[i] == b'`' && bytes[i - 1] != b'`' && run_at(i) == run);
        match close {
            Some(close) => {
                let content = paragraph[open_end..close].replace('\n', " ");
                out.push((at, content.trim().to_string()));
                at = close + run;
            }
            // An unmatched run is literal backticks.
            None => at = open_end,
        }
    }
    out
}

/// The code spans outside code blocks, with the line each starts on. A span
/// may run over a line break, never out of its paragraph.
fn code_spans(lines: &[guide::Line]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut flush = |paragraph: &mut String, starts: &mut Vec<(usize, usize)>| {
        for (offset, span) in spans_in(paragraph) {
            let index = starts.partition_point(|&(start, _)| start <= offset) - 1;
            out.push((starts[index].1, span));
        }
        paragraph.clear();
        starts.clear();
    };
    for line in lines {
        if line.fenced || line.text.trim().is_empty() {
            flush(&mut paragraph, &mut starts);
            continue;
        }
        starts.push((paragraph.len(), line.number));
        paragraph.push_str(line.text);
        paragraph.push('\n');
    }
    flush(&mut paragraph, &mut starts);
    out
}

/// Every command line shown in the page `rel`: in code blocks, each
/// `cargo xtask` on a line outside its comment; in the text, each code span
/// that starts with `cargo xtask`.
fn examples(rel: &str, text: &str) -> Vec<Example> {
    let lines = guide::lines(text);
    let mut out = Vec::new();
    for line in lines.iter().filter(|l| l.fenced) {
        let place = format!("{rel}:{}", line.number);
        commands_in(strip_comment(line.text), &place, false, &mut out);
    }
    for (number, span) in code_spans(&lines) {
        if span.starts_with("cargo xtask ") || span == "cargo xtask" {
            let place = format!("{rel}:{number}");
            commands_in(strip_comment(&span), &place, true, &mut out);
        }
    }
    out.sort_by_key(|e| {
        let (_, line) = e.place.rsplit_once(':').unwrap();
        line.parse::<usize>().unwrap()
    });
    out
}

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
fn variants(text: &str) -> Vec<String> {
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
                format!("the placeholder {run} has no sample value: add one to SAMPLES in xtask/src/cli/docs_examples.rs")
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
fn words(command: &str) -> Result<Vec<String>, String> {
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

/// Whether `words` name a command and nothing more (`gh verify-tag`, or
/// none: the tool itself), as the text does when it speaks of one.
fn names_a_command(words: &[String]) -> bool {
    let mut cmd = command(&package_flags());
    words.iter().all(|word| match cmd.find_subcommand(word) {
        Some(sub) => {
            cmd = sub.clone();
            true
        }
        None => false,
    })
}

/// Parses `text` (after `cargo xtask `) as `main` does; `Err` is clap's
/// message, or the typed parse's. In the text, a command named alone need
/// only exist.
fn check(text: &str, in_text: bool) -> Result<(), String> {
    let words = words(text)?;
    if in_text && names_a_command(&words) {
        return Ok(());
    }
    let flags = package_flags();
    let args = std::iter::once("xtask".to_string()).chain(words);
    let matches = match command(&flags).try_get_matches_from(args) {
        Ok(matches) => matches,
        // `--help` shows the help: what the example means.
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => return Ok(()),
        Err(e) => return Err(e.to_string().trim_end().to_string()),
    };
    parse(&matches, &flags)
        .map(|_| ())
        .map_err(|e| format!("{e:#}"))
}

/// How many command lines `pages` show, and each that does not parse, with
/// its `file:line` and the error.
fn failures(pages: &[(String, String)]) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut out = Vec::new();
    for (rel, text) in pages {
        for example in examples(rel, text) {
            // `cargo xtask release …`: an elision, not a command line.
            if example.text.contains('…') || example.text.contains("...") {
                continue;
            }
            for variant in variants(&example.text) {
                count += 1;
                if let Err(err) = check(&variant, example.in_text) {
                    out.push(format!(
                        "{}: `cargo xtask {variant}` does not parse:\n{err}",
                        example.place
                    ));
                }
            }
        }
    }
    (count, out)
}

#[test]
fn every_command_line_in_the_guide_parses() {
    let (count, failures) = failures(&guide::pages());
    assert!(
        count >= 100,
        "only {count} command lines found in the guide"
    );
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n\n"));
}

#[test]
fn command_lines_are_read_as_the_rules_say() {
    let page = "A stray ` stays in its paragraph.\n\nRun `cargo xtask release --rust\nminor` (a message: `origin moved: run cargo xtask release --abort and plan again`).\n\n```sh\ncargo xtask check && cargo xtask bump --py patch   # a comment\n$ cargo xtask versions --json | jq .\ncargo xtask status … --json\n# cargo xtask in a comment\n```\n\n``run `cargo xtask sync` `` and `cargo xtask` alone.\n";
    let found: Vec<(String, String, bool)> = examples("p.md", page)
        .into_iter()
        .map(|e| (e.place, e.text, e.in_text))
        .collect();
    let want = [
        ("p.md:3", "release --rust minor", true),
        ("p.md:7", "check", false),
        ("p.md:7", "bump --py patch", false),
        ("p.md:8", "versions --json", false),
        ("p.md:9", "status … --json", false),
        ("p.md:13", "", true),
    ];
    assert_eq!(
        found,
        want.map(|(p, t, s)| (p.to_string(), t.to_string(), s))
    );
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
        "the placeholder NEXT has no sample value: add one to SAMPLES in xtask/src/cli/docs_examples.rs"
    );
}

#[test]
fn what_does_not_parse_is_named_with_clap_s_error() {
    assert!(check("release --help", false).is_ok());
    assert!(check("gh verify-tag", true).is_ok());
    let err = check("gh verify-tag", false).unwrap_err();
    assert!(
        err.starts_with("error: the following required arguments were not provided"),
        "{err}"
    );
    assert_eq!(
        check("release --date 2026-13-01", false).unwrap_err(),
        "--date `2026-13-01` is not a date: write YYYY-MM-DD"
    );
    // The README's own tour, with its execute line broken.
    let good = "Execute cargo xtask release --rust patch --py patch --execute";
    let readme = guide::page("README.md");
    let line = readme
        .lines()
        .position(|l| l.contains(good))
        .expect("the tour's line")
        + 1;
    let broken = readme.replace(
        good,
        "Execute cargo xtask release --rust patch --py patch --exeute",
    );
    let (_, failed) = failures(&[("README.md".to_string(), broken)]);
    assert_eq!(failed.len(), 1, "{failed:#?}");
    let want = format!(
        "README.md:{line}: `cargo xtask release --rust patch --py patch --exeute` does not parse:\nerror: unexpected argument '--exeute' found"
    );
    assert!(failed[0].starts_with(&want), "{}", failed[0]);
}
