//! The shape of `xtask/src`, checked: no function over 80 lines, no file over
//! 400 lines outside its tests, and no module importing a command.
//!
//! `cargo test -p xtask --test structure -- --nocapture` prints the longest
//! functions and files. Lengths are read off rustfmt's layout: an item ends at
//! the first line that is its own indentation followed by `}`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MAX_FN: usize = 80;
const MAX_FILE: usize = 400;

struct Source {
    /// Path relative to `src/`, with `/` separators.
    rel: String,
    /// The lines before the file's `#[cfg(test)]` module (all when it has none).
    lines: Vec<String>,
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let test_only = test_only_modules(&src, &files);
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if test_only.contains(&rel) {
                return None;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lines = text
                .lines()
                .take_while(|l| *l != "#[cfg(test)]")
                .map(str::to_string)
                .collect();
            Some(Source { rel, lines })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files declared as `#[cfg(test)] mod name;`: they are tests as a whole.
fn test_only_modules(src: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        let dir = path.parent().unwrap().strip_prefix(src).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for pair in lines.windows(2) {
            if pair[0].trim() == "#[cfg(test)]"
                && let Some(name) = pair[1]
                    .trim()
                    .strip_prefix("mod ")
                    .and_then(|r| r.strip_suffix(';'))
            {
                let rel = dir.join(format!("{name}.rs"));
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// `(name, first line, length)` of every `fn` with a body.
fn functions(source: &Source) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in source.lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let indent = line.len() - line.trim_start().len();
        let close = format!("{}}}", " ".repeat(indent));
        // A one-line body, or a declaration without one.
        if line.trim_end().ends_with('}') || line.trim_end().ends_with(';') {
            out.push((name, i + 1, 1));
            continue;
        }
        let end = source.lines[i + 1..]
            .iter()
            .position(|l| l.trim_end() == close)
            .map(|k| i + 1 + k);
        if let Some(end) = end {
            out.push((name, i + 1, end - i + 1));
        }
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "unsafe ",
        "extern \"C\" ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Which command modules a file names, other than through `cli.rs`/`main.rs`,
/// which dispatch to them.
/// `(key, where)` of each import: one key per file and command.
fn command_imports(source: &Source, commands: &[String]) -> Vec<(String, String)> {
    if source.rel == "cli.rs" || source.rel == "main.rs" || source.rel == "commands/mod.rs" {
        return Vec::new();
    }
    let own = source
        .rel
        .strip_prefix("commands/")
        .map(|r| r.trim_end_matches(".rs").to_string());
    let mut found = Vec::new();
    for (i, line) in source.lines.iter().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for cmd in commands {
            if Some(cmd) == own.as_ref() {
                continue;
            }
            let names = [format!("commands::{cmd}"), format!("super::{cmd}::")];
            let inside_commands = own.is_some();
            if names
                .iter()
                .enumerate()
                .any(|(k, n)| (k == 0 || inside_commands) && code.contains(n.as_str()))
            {
                found.push((
                    format!("import {} {cmd}", source.rel),
                    format!("{}:{}: {}", source.rel, i + 1, line.trim()),
                ));
            }
        }
    }
    found
}

fn command_names(sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .filter_map(|s| s.rel.strip_prefix("commands/"))
        .filter(|r| *r != "mod.rs")
        .map(|r| r.trim_end_matches(".rs").to_string())
        .collect()
}

#[test]
fn the_source_tree_keeps_its_shape() {
    let sources = sources();
    let mut fns: Vec<(usize, String)> = Vec::new();
    let mut files: Vec<(usize, String)> = Vec::new();
    for s in &sources {
        files.push((s.lines.len(), s.rel.clone()));
        for (name, line, len) in functions(s) {
            fns.push((len, format!("{}:{line} {name}", s.rel)));
        }
    }
    fns.sort_by(|a, b| b.cmp(a));
    files.sort_by(|a, b| b.cmp(a));
    println!("longest functions (limit {MAX_FN}):");
    for (len, at) in fns.iter().take(10) {
        println!("  {len:4}  {at}");
    }
    println!("longest files outside tests (limit {MAX_FILE}):");
    for (len, at) in files.iter().take(10) {
        println!("  {len:4}  {at}");
    }
    let per_dir = files.iter().fold(BTreeMap::new(), |mut m, (len, rel)| {
        *m.entry(rel.rsplit_once('/').map_or("", |p| p.0))
            .or_insert(0) += len;
        m
    });
    println!("lines outside tests per folder: {per_dir:?}");

    let commands = command_names(&sources);
    let mut excesses: Vec<(String, String)> = sources
        .iter()
        .flat_map(|s| command_imports(s, &commands))
        .collect();
    for (len, at) in &fns {
        if *len > MAX_FN {
            let (file, name) = at.split_once(' ').unwrap();
            let file = file.split(':').next().unwrap();
            excesses.push((format!("fn {file} {name}"), format!("{at}: {len} lines")));
        }
    }
    for (len, rel) in &files {
        if *len > MAX_FILE {
            excesses.push((format!("file {rel}"), format!("{rel}: {len} lines")));
        }
    }
    excesses.sort();
    excesses.dedup_by(|a, b| a.0 == b.0);
    let found: Vec<&String> = excesses.iter().map(|(_, at)| at).collect();
    println!("over the limits or importing a command: {}", found.len());
    assert!(
        found.is_empty(),
        "over {MAX_FN} lines per function or {MAX_FILE} per file, or a module importing a \
         command (move the shared part below `commands/`): {found:#?}"
    );
}

#[test]
fn the_measure_sees_what_it_measures() {
    let source = Source {
        rel: "commands/demo.rs".into(),
        lines: [
            "use crate::commands::publish::one_package;",
            "pub fn short() -> u8 { 1 }",
            "fn long(",
            "    a: u8,",
            ") -> u8 {",
            "    let b = {",
            "    };",
            "    a",
            "}",
            "    pub(crate) fn inner() {",
            "        x();",
            "    }",
        ]
        .map(String::from)
        .to_vec(),
    };
    assert_eq!(
        functions(&source),
        [
            ("short".to_string(), 2, 1),
            ("long".to_string(), 3, 7),
            ("inner".to_string(), 10, 3)
        ]
    );
    let imports = command_imports(&source, &["demo".into(), "publish".into()]);
    assert_eq!(imports.len(), 1, "{imports:?}");
}

/// The first column of README's layout block for `xtask/src`: each entry's
/// names (`src/git.rs, python.rs` gives both) and the text describing it.
fn readme_map() -> Vec<(Vec<String>, String)> {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(readme).unwrap();
    let block = text
        .split("## Layout")
        .nth(1)
        .and_then(|s| s.split("```").nth(1))
        .expect("README has a ## Layout section with a code block");
    let mut entries: Vec<(Vec<String>, String)> = Vec::new();
    for line in block.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("src/") {
            let (names, about) = rest.split_once("  ").unwrap_or((rest, ""));
            let names = names.split(", ").map(|n| n.trim().to_string()).collect();
            entries.push((names, about.trim().to_string()));
        } else if line.starts_with("    ")
            && let Some(last) = entries.last_mut()
        {
            // A continuation line of the entry above.
            last.1.push(' ');
            last.1.push_str(trimmed);
        } else if !line.starts_with("  ") {
            // Out of xtask/'s part of the block.
            if !entries.is_empty() {
                break;
            }
        }
    }
    entries
}

#[test]
fn the_readme_maps_every_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let map = readme_map();
    assert!(!map.is_empty(), "no `src/` lines in README's layout block");
    let named: Vec<String> = map.iter().flat_map(|(n, _)| n.clone()).collect();
    let mut problems = Vec::new();
    let mut top: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    top.sort();
    for entry in &top {
        if !named.contains(entry) {
            problems.push(format!("src/{entry} is not in README's layout"));
        }
    }
    for (names, about) in &map {
        for name in names {
            if !top.contains(name) {
                problems.push(format!(
                    "README's layout names src/{name}, which does not exist"
                ));
            }
            // A folder's description names its files: they must exist.
            if let Some(dir) = name.strip_suffix('/') {
                for word in about.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
                    if word.ends_with(".rs") && !src.join(dir).join(word).exists() {
                        problems.push(format!(
                            "README's layout names src/{dir}/{word}, which does not exist"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
