//! A change file (pure): `---`, a `package: level-or-section` line per
//! package, `---`, then the text users read. The front matter is a small
//! subset of YAML: keys and values plain or quoted, `#` comments, blank
//! lines; anything else is an error naming its `FILE:LINE` and the fix.
//! CRLF files are read as LF ones.

use super::change_kind::{Kind, WORDS};

/// One front-matter line: a package (by name or flag, as written) and
/// what the change is for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub package: String,
    pub kind: Kind,
    /// 1-based.
    pub line: usize,
}

/// A change file as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeFile {
    pub named: Vec<Named>,
    /// The text below the front matter, without blank lines at either end,
    /// LF line ends.
    pub body: String,
}

const SHAPE: &str = "a change file starts with `---`, a `package: level` line per package (e.g. `edgequake-llm: minor`), then `---` and the text";

/// Reads `text` (the file at `path`, for messages). Every problem found,
/// each `path:line: what: fix`.
pub fn parse_change(path: &str, text: &str) -> Result<ChangeFile, Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(vec![format!(
            "{path}:1: no front matter: {SHAPE} (see .changes/README.md)"
        )]);
    }
    let Some(close) = lines.iter().skip(1).position(|l| l.trim_end() == "---") else {
        return Err(vec![format!(
            "{path}:1: the front matter opened here is never closed: end it with a `---` line, then write the text below it"
        )]);
    };
    let close = close + 1;
    let mut problems = Vec::new();
    let mut named: Vec<Named> = Vec::new();
    for (i, line) in lines[1..close].iter().enumerate() {
        let number = i + 2;
        match front_line(line) {
            Ok(None) => {}
            Ok(Some((package, word))) => match Kind::parse(&word) {
                None => problems.push(format!(
                    "{path}:{number}: `{word}` is no level or section: use one of {}",
                    WORDS.join(", ")
                )),
                Some(_) if named.iter().any(|n| n.package == package) => problems.push(format!(
                    "{path}:{number}: `{package}` is named twice: keep one line for it"
                )),
                Some(kind) => named.push(Named {
                    package,
                    kind,
                    line: number,
                }),
            },
            Err(why) => problems.push(format!("{path}:{number}: {why}")),
        }
    }
    if named.is_empty() && problems.is_empty() {
        problems.push(format!(
            "{path}:{}: the front matter names no package: add a `package: level` line above it, e.g. `edgequake-llm: patch`",
            close + 1
        ));
    }
    let body = body_of(&lines[close + 1..]);
    if body.is_empty() {
        problems.push(format!(
            "{path}:{}: no text below the front matter: write what changed, as users should read it",
            close + 1
        ));
    }
    problems.extend(headings(path, &lines, close + 1));
    if problems.is_empty() {
        Ok(ChangeFile { named, body })
    } else {
        Err(problems)
    }
}

/// A news fragment's text: the whole file (LF line ends, no blank lines
/// at either end); an empty one, or one with a heading, is refused.
pub fn fragment_body(path: &str, text: &str) -> Result<String, Vec<String>> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let body = body_of(&lines);
    if body.is_empty() {
        return Err(vec![format!(
            "{path}:1: the fragment is empty: write what changed, as users should read it"
        )]);
    }
    let problems = headings(path, &lines, 0);
    if problems.is_empty() {
        Ok(body)
    } else {
        Err(problems)
    }
}

/// A heading in the text (from line index `from` on) would end the
/// changelog's group: refused.
fn headings(path: &str, lines: &[&str], from: usize) -> Vec<String> {
    let mut fence = false;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(from) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        let heading = (1..=6).contains(&hashes)
            && trimmed[hashes..].starts_with([' ', '\t'])
            && line.len() - trimmed.len() < 4;
        if heading && !fence {
            out.push(format!(
                "{path}:{}: a heading in the text would break the changelog's section: write the change as text (a list or paragraphs), without `#` headings",
                i + 1
            ));
        }
    }
    out
}

/// `package: word` of one front-matter line; `None` for a blank or
/// comment line; why not, for anything else.
fn front_line(line: &str) -> Result<Option<(String, String)>, String> {
    let code = strip_comment(line).trim();
    if code.is_empty() {
        return Ok(None);
    }
    let shape = || {
        format!(
            "`{}` is not a `package: level` line: write the package's name or flag, a colon, and a level or section, e.g. `edgequake-llm: minor`",
            code
        )
    };
    let (key, rest) = scalar(code).ok_or_else(shape)?;
    let rest = rest.trim_start();
    let Some(value) = rest.strip_prefix(':') else {
        return Err(shape());
    };
    let value = value.trim();
    if value.is_empty() {
        return Err(format!(
            "`{key}` has no level: add one after the colon, e.g. `{key}: patch`"
        ));
    }
    let (word, tail) = scalar(value).ok_or_else(shape)?;
    if !tail.trim().is_empty() || key.is_empty() || word.is_empty() {
        return Err(shape());
    }
    Ok(Some((key, word)))
}

/// A plain or quoted scalar at the start of `text`, and what follows it. A
/// plain key ends at the colon; a plain value at the end.
fn scalar(text: &str) -> Option<(String, &str)> {
    match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = text[1..].find(quote)? + 1;
            Some((text[1..end].to_string(), &text[end + 1..]))
        }
        _ => {
            let end = text.find(':').unwrap_or(text.len());
            let plain = text[..end].trim();
            let bad = plain.contains(['"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>']);
            (!bad).then(|| (plain.to_string(), &text[end..]))
        }
    }
}

/// The line before a `#` comment that is not inside quotes (YAML: a `#`
/// after a space, or at the start).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..i],
            None => {}
        }
        previous = c;
    }
    line
}

fn body_of(lines: &[&str]) -> String {
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last]
            .iter()
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// `text` without the front-matter lines `lines` (1-based): what is left
/// of a change file once a release consumed those packages. Line ends kept.
pub fn without_lines(text: &str, lines: &[usize]) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !lines.contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(file: &ChangeFile) -> Vec<(String, String, usize)> {
        file.named
            .iter()
            .map(|n| (n.package.clone(), n.kind.word.clone(), n.line))
            .collect()
    }

    #[test]
    fn a_change_file_in_every_spelling_yaml_allows() {
        let text = "---\r\n# what it is for\r\nedgequake-llm: minor\r\n\"py\": 'fixed'  # the binding\r\n\r\n'core' : Added\r\n---\r\n\r\n`completion()` no longer blocks.\r\n\r\nIt awaits the\r\nprovider.\r\n\r\n";
        let file = parse_change(".changes/x.md", text).unwrap();
        assert_eq!(
            named(&file),
            [
                ("edgequake-llm".into(), "minor".into(), 3),
                ("py".into(), "fixed".into(), 4),
                ("core".into(), "Added".into(), 6),
            ]
        );
        assert_eq!(
            file.body,
            "`completion()` no longer blocks.\n\nIt awaits the\nprovider."
        );
        let bom = "\u{feff}---\nrust: patch\n---\nA fix.\n";
        assert_eq!(parse_change("b.md", bom).unwrap().body, "A fix.");
        // A `#` inside quotes or a word is no comment; a heading in a fence is code.
        let code = "---\n\"a#b\": patch # note\n---\n\n- Fix.\n\n```sh\n# a comment in code\n```\n";
        let file = parse_change("c.md", code).unwrap();
        assert_eq!(named(&file), [("a#b".into(), "patch".into(), 2)]);
    }

    #[test]
    fn every_mistake_names_its_line_and_the_fix() {
        let cases: Vec<(&str, Vec<&str>)> = vec![
            (
                "Just text.\n",
                vec![
                    "x.md:1: no front matter: a change file starts with `---`, a `package: level` line per package (e.g. `edgequake-llm: minor`), then `---` and the text (see .changes/README.md)",
                ],
            ),
            (
                "---\nrust: minor\nText.\n",
                vec![
                    "x.md:1: the front matter opened here is never closed: end it with a `---` line, then write the text below it",
                ],
            ),
            (
                "---\nrust: mayor\npy fixed\npy: fixed\npy: patch\ngo:\n[a]: b\n---\nText.\n",
                vec![
                    "x.md:2: `mayor` is no level or section: use one of major, minor, patch, added, changed, deprecated, removed, fixed, security",
                    "x.md:3: `py fixed` is not a `package: level` line: write the package's name or flag, a colon, and a level or section, e.g. `edgequake-llm: minor`",
                    "x.md:5: `py` is named twice: keep one line for it",
                    "x.md:6: `go` has no level: add one after the colon, e.g. `go: patch`",
                    "x.md:7: `[a]: b` is not a `package: level` line: write the package's name or flag, a colon, and a level or section, e.g. `edgequake-llm: minor`",
                ],
            ),
            (
                "---\n# nothing\n---\nText.\n",
                vec![
                    "x.md:3: the front matter names no package: add a `package: level` line above it, e.g. `edgequake-llm: patch`",
                ],
            ),
            (
                "---\nrust: patch\n---\n\n  \n",
                vec![
                    "x.md:3: no text below the front matter: write what changed, as users should read it",
                ],
            ),
            (
                "---\nrust: patch\n---\n\n## Streaming\n\nText.\n",
                vec![
                    "x.md:5: a heading in the text would break the changelog's section: write the change as text (a list or paragraphs), without `#` headings",
                ],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_change("x.md", text).unwrap_err(), want, "{text}");
        }
    }

    #[test]
    fn a_fragment_is_its_whole_text() {
        assert_eq!(
            fragment_body("n/1.feature.md", "\r\nStreaming.\r\n\r\nMore.\r\n").unwrap(),
            "Streaming.\n\nMore."
        );
        assert_eq!(
            fragment_body("n/1.doc", "# Docs\n").unwrap_err(),
            [
                "n/1.doc:1: a heading in the text would break the changelog's section: write the change as text (a list or paragraphs), without `#` headings"
            ]
        );
    }

    #[test]
    fn consumed_lines_leave_the_rest_as_it_was() {
        let text = "---\r\nrust: minor\r\npy: fixed\r\n---\r\n\r\nText.\r\n";
        assert_eq!(
            without_lines(text, &[2]),
            "---\r\npy: fixed\r\n---\r\n\r\nText.\r\n"
        );
        assert_eq!(without_lines(text, &[]), text);
    }
}
