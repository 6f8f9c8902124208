//! The shape of `xtask/src`, checked: no function over 80 lines, no file over
//! 400 lines outside its test module, no module importing a command, no two files
//! importing each other (directly or round a loop), and imports that only
//! point down the floors of `FLOORS`.
//!
//! `cargo test -p xtask --test structure -- --nocapture` prints the longest
//! functions and files. Lengths are read off rustfmt's layout: an item ends at
//! the first line that is its own indentation followed by `}`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FN: usize = 80;
const MAX_FILE: usize = 400;

/// The floors of `xtask/src`, bottom first: a file may import from its own
/// folder and from the floors below its own, never from one above. A floor is
/// a folder, or a file directly in `src/` (`ctx`, `main`).
const FLOORS: [&str; 17] = [
    "worktree",
    "out",
    "text",
    "changelog",
    "model",
    "init",
    "adapters",
    "ctx",
    "facts",
    "edit",
    "publish",
    "checks",
    "release",
    "cli",
    "bench",
    "commands",
    "main",
];

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
            let all: Vec<&str> = text.lines().collect();
            // The file ends where its test module starts: a `#[cfg(test)]`
            // on a helper function or type above it does not end it.
            let end = all
                .windows(2)
                .position(|pair| pair[0] == "#[cfg(test)]" && is_module(pair[1]))
                .unwrap_or(all.len());
            let lines = all[..end].iter().map(|l| l.to_string()).collect();
            Some(Source { rel, lines })
        })
        .collect()
}

/// `mod name {` or `pub mod name {`: the start of an inline module.
fn is_module(line: &str) -> bool {
    let line = line.trim_start();
    line.strip_prefix("pub ")
        .unwrap_or(line)
        .starts_with("mod ")
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

/// `file:line` of each printing macro (`println!`, `eprint!`, …) outside
/// `out/` (and the opt-in `bench/`): everything shown goes through
/// `out::ui`, which redacts URLs' user-info and makes control characters visible.
fn raw_prints(sources: &[Source]) -> Vec<String> {
    let macros = ["println!", "print!", "eprintln!", "eprint!"];
    let mut out = Vec::new();
    for s in sources {
        if s.rel.starts_with("out/") || s.rel.starts_with("bench/") {
            continue;
        }
        for (i, line) in s.lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let printing = macros.iter().any(|m| {
                code.match_indices(m).any(|(at, _)| {
                    let before = code[..at].chars().next_back();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                })
            });
            if printing {
                out.push(format!("{}:{}", s.rel, i + 1));
            }
        }
    }
    out
}

#[test]
fn only_the_output_floor_prints() {
    let found = raw_prints(&sources());
    assert!(
        found.is_empty(),
        "print through `out::ui` (print, println, eprintln), which makes text safe to show: {found:#?}"
    );
    let demo = Source {
        rel: "commands/demo.rs".into(),
        lines: [
            "    println!(\"{x}\");",
            "    ui::println(&x); // not println!",
            "    eprint!(\"x\");",
        ]
        .map(String::from)
        .to_vec(),
    };
    assert_eq!(
        raw_prints(&[demo]),
        ["commands/demo.rs:1", "commands/demo.rs:3"]
    );
}

/// The first column of the layout block of docs/architecture.md for
/// `xtask/src`: each entry's names (`src/git.rs, python.rs` gives both) and
/// the text describing it.
fn layout_map() -> Vec<(Vec<String>, String)> {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/architecture.md");
    let text = std::fs::read_to_string(page).unwrap();
    let block = text
        .split("## Layout")
        .nth(1)
        .and_then(|s| s.split("```").nth(1))
        .expect("docs/architecture.md has a ## Layout section with a code block");
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
fn the_architecture_page_maps_every_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let map = layout_map();
    assert!(
        !map.is_empty(),
        "no `src/` lines in the layout block of docs/architecture.md"
    );
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
            problems.push(format!(
                "src/{entry} is not in the layout of docs/architecture.md"
            ));
        }
    }
    for (names, about) in &map {
        for name in names {
            if !top.contains(name) {
                problems.push(format!(
                    "docs/architecture.md's layout names src/{name}, which does not exist"
                ));
            }
            // A folder's description names its files: they must exist.
            if let Some(dir) = name.strip_suffix('/') {
                for word in about.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
                    if word.ends_with(".rs") && !src.join(dir).join(word).exists() {
                        problems.push(format!(
                            "docs/architecture.md's layout names src/{dir}/{word}, which does not exist"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A module path (`["release", "planner"]`) for a file (`release/planner.rs`).
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "main")) {
        parts.pop();
    }
    parts
}

/// Whether `rel` is the root of a module with children (`mod.rs`, `main.rs`,
/// or `x.rs` beside a folder `x/`).
fn is_module_root(rel: &str, all: &BTreeSet<String>) -> bool {
    rel.ends_with("mod.rs")
        || rel == "main.rs"
        || all
            .iter()
            .any(|f| f.starts_with(&format!("{}/", rel.trim_end_matches(".rs"))))
}

/// Every path of a `use` tree (`crate::{a, b::{c, d}}` gives `crate::a`,
/// `crate::b::c`, `crate::b::d`).
fn expand_use(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        return vec![path.trim_end_matches("::self").to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    // Split the group at its top-level commas.
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.trim().is_empty())
        .flat_map(expand_use)
        .map(|rest| match rest.as_str() {
            "self" => prefix.to_string(),
            _ => format!("{prefix}::{rest}"),
        })
        .collect()
}

/// The module path a written path (`crate::a::b`, `super::c`, `self::d`, or a
/// child's name in a module root) names, seen from module `me`.
fn resolve(path: &str, me: &[String], root: bool, children: &[String]) -> Option<Vec<String>> {
    let mut segs: Vec<&str> = path.split("::").map(str::trim).collect();
    let mut base: Vec<String> = match segs[0] {
        "crate" => Vec::new(),
        "self" => me.to_vec(),
        "super" => me.to_vec(),
        first if root && children.iter().any(|c| c == first) => {
            segs.insert(0, "self");
            me.to_vec()
        }
        _ => return None,
    };
    while segs.first() == Some(&"super") {
        base.pop();
        segs.remove(0);
    }
    if matches!(segs.first(), Some(&"crate" | &"self")) {
        segs.remove(0);
    }
    base.extend(
        segs.into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
    );
    Some(base)
}

/// The paths a file names through `crate::`, `super::` and `self::` (and, in
/// a module root, its own children by name), with the line of each: `use`
/// statements as whole trees, other code token by token. `mod` and `pub use`
/// lines declare and re-export; they import nothing.
fn named_paths(
    source: &Source,
    me: &[String],
    root: bool,
    children: &[String],
) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    // A `use` statement read so far, with its first line.
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in source.lines.iter().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim_start();
        let started = trimmed
            .strip_prefix("use ")
            .or_else(|| trimmed.strip_prefix("pub(crate) use "));
        match (&mut pending, started) {
            (Some((_, stmt)), _) => stmt.push_str(code),
            (None, Some(rest)) => pending = Some((i + 1, rest.to_string())),
            (None, None) => {
                if trimmed.starts_with("mod ")
                    || trimmed.contains("pub mod ")
                    || trimmed.starts_with("pub use ")
                {
                    continue;
                }
                for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
                    let word = word.trim_start_matches(':');
                    if word.contains("::") {
                        out.extend(resolve(word, me, root, children).map(|p| (i + 1, p)));
                    }
                }
                continue;
            }
        }
        if code.contains(';')
            && let Some((at, stmt)) = pending.take()
        {
            for path in expand_use(stmt.trim_end_matches([';', ' '])) {
                out.extend(resolve(&path, me, root, children).map(|p| (at, p)));
            }
        }
    }
    out
}

/// Each file's imports of other files: `(from, to, line)`.
fn file_imports(sources: &[Source]) -> Vec<(String, String, String)> {
    let all: BTreeSet<String> = sources.iter().map(|s| s.rel.clone()).collect();
    let by_module: BTreeMap<Vec<String>, String> = sources
        .iter()
        .map(|s| (module_of(&s.rel), s.rel.clone()))
        .collect();
    let mut out = Vec::new();
    for s in sources {
        let me = module_of(&s.rel);
        let root = is_module_root(&s.rel, &all);
        let children: Vec<String> = by_module
            .keys()
            .filter(|k| k.len() == me.len() + 1 && k.starts_with(&me))
            .map(|k| k.last().unwrap().clone())
            .collect();
        for (line, path) in named_paths(s, &me, root, &children) {
            {
                // The longest prefix of the path that is a file.
                let target = (1..=path.len())
                    .rev()
                    .find_map(|k| by_module.get(&path[..k]));
                if let Some(target) = target
                    && *target != s.rel
                {
                    out.push((s.rel.clone(), target.clone(), format!("{}:{line}", s.rel)));
                }
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    out
}

/// Every loop of imports between files: each strongly connected component of
/// more than one file, as its sorted file names.
fn import_loops(imports: &[(String, String, String)]) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to, _) in imports {
        next.entry(from).or_default().push(to);
    }
    let reach = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start];
        while let Some(at) = todo.pop() {
            for &n in next.get(at).into_iter().flatten() {
                if seen.insert(n) {
                    todo.push(n);
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|&k| (k, reach(k))).collect();
    let mut loops: BTreeSet<Vec<String>> = BTreeSet::new();
    for (&a, from_a) in &reached {
        let mut group: Vec<String> = from_a
            .iter()
            .filter(|&&b| b != a && reached.get(b).is_some_and(|r| r.contains(a)))
            .map(|b| b.to_string())
            .collect();
        if !group.is_empty() {
            group.push(a.to_string());
            group.sort();
            loops.insert(group);
        }
    }
    loops.into_iter().collect()
}

/// The floor of a file: its top folder, or its own name for a file in `src/`.
fn floor(rel: &str) -> &str {
    rel.split('/').next().unwrap().trim_end_matches(".rs")
}

/// Imports that climb: from a floor to one above it in `FLOORS`.
fn upward_imports(imports: &[(String, String, String)]) -> Vec<String> {
    let rank = |f: &str| FLOORS.iter().position(|x| *x == f);
    let mut out = Vec::new();
    for (from, to, at) in imports {
        let (a, b) = (floor(from), floor(to));
        if a == b {
            continue;
        }
        match (rank(a), rank(b)) {
            (Some(x), Some(y)) if y < x => {}
            (Some(_), Some(_)) => out.push(format!("{at}: {a} imports {to}, a floor above it")),
            _ => out.push(format!("{at}: {a} or {b} is not a floor of FLOORS: add it")),
        }
    }
    out
}

#[test]
fn imports_point_down_and_never_loop() {
    let sources = sources();
    let imports = file_imports(&sources);
    println!("imports between files: {}", imports.len());
    let loops = import_loops(&imports);
    let upward = upward_imports(&imports);
    println!(
        "import loops: {}, upward imports: {}",
        loops.len(),
        upward.len()
    );
    assert!(
        loops.is_empty(),
        "files importing each other (move what both need into a file below them): {loops:#?}"
    );
    assert!(
        upward.is_empty(),
        "imports that climb a floor (FLOORS lists them bottom first): {upward:#?}"
    );
}

#[test]
fn the_loop_check_sees_a_loop() {
    let source = |rel: &str, lines: &[&str]| Source {
        rel: rel.into(),
        lines: lines.iter().map(|l| l.to_string()).collect(),
    };
    let sources = [
        source(
            "main.rs",
            &[
                "mod model;",
                "mod release;",
                "use model::workspace::Workspace;",
            ],
        ),
        source("model/mod.rs", &["pub mod workspace;", "pub mod defaults;"]),
        source(
            "model/workspace.rs",
            &["use crate::model::{defaults, members::Member};"],
        ),
        source("model/defaults.rs", &["use super::workspace::Package;"]),
        source("model/members.rs", &["pub struct Member;"]),
        source(
            "release/mod.rs",
            &["pub mod planner;", "pub fn plan() { planner::go() }"],
        ),
        source("release/planner.rs", &["use super::Release; // the parent"]),
        source(
            "text/version.rs",
            &["fn f() -> crate::release::Release { todo!() }"],
        ),
    ];
    let imports = file_imports(&sources);
    let pairs: Vec<(&str, &str)> = imports
        .iter()
        .map(|(a, b, _)| (a.as_str(), b.as_str()))
        .collect();
    assert!(
        pairs.contains(&("model/workspace.rs", "model/members.rs")),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("main.rs", "model/workspace.rs")),
        "{pairs:?}"
    );
    assert_eq!(
        import_loops(&imports),
        [
            vec!["model/defaults.rs".to_string(), "model/workspace.rs".into()],
            vec!["release/mod.rs".to_string(), "release/planner.rs".into()],
        ]
    );
    let upward = upward_imports(&imports);
    assert_eq!(upward.len(), 1, "{upward:?}");
    assert!(
        upward[0].starts_with("text/version.rs:1: text imports release/mod.rs"),
        "{upward:?}"
    );
}
