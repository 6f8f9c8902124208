//! Every `cargo xtask …` command line the guide shows (README.md and
//! docs/*.md) parses with the real command line, as `main` parses it
//! (`cli::command`, then `cli::parse`), offline and running nothing. The
//! rules — what counts as a command line, `[optional]` parts, alternatives,
//! placeholders — are told in docs/architecture.md ("The documentation is
//! tested"). Test-only.

use crate::cli::guide::{self, package_flags};
use crate::cli::usage::{variants, words};
use crate::cli::{command, command_for, parse};

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
        // A backslash-escaped backtick, outside a span, is literal.
        if bytes[at] != b'`' || (at > 0 && bytes[at - 1] == b'\\') {
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
    let args: Vec<std::ffi::OsString> = std::iter::once("xtask".to_string())
        .chain(words)
        .map(Into::into)
        .collect();
    // As main reads it: only the subcommand named is built.
    let matches = match command_for(&flags, &args).try_get_matches_from(args) {
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
    let page = "A stray ` stays in its paragraph.\n\n\\`cargo xtask escaped` opens nothing.\n\nRun `cargo xtask release --rust\nminor` (a message: `origin moved: run cargo xtask release --abort and plan again`).\n\n```sh\ncargo xtask check && cargo xtask bump --py patch   # a comment\n$ cargo xtask versions --json | jq .\ncargo xtask status … --json\n# cargo xtask in a comment\n```\n\n``run `cargo xtask sync` `` and `cargo xtask` alone.\n";
    let found: Vec<(String, String, bool)> = examples("p.md", page)
        .into_iter()
        .map(|e| (e.place, e.text, e.in_text))
        .collect();
    let want = [
        ("p.md:5", "release --rust minor", true),
        ("p.md:9", "check", false),
        ("p.md:9", "bump --py patch", false),
        ("p.md:10", "versions --json", false),
        ("p.md:11", "status … --json", false),
        ("p.md:15", "", true),
    ];
    assert_eq!(
        found,
        want.map(|(p, t, s)| (p.to_string(), t.to_string(), s))
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
