//! Bad input, as a new user would give it: broken manifests, pyproject files,
//! lock files, configurations, changelogs, command lines, git states and
//! paths. Each case runs the real binary on a fresh copy of a fixture and
//! asserts the exit code, no panic, the file or key named in the message,
//! and that nothing changed: every file (tracked, untracked or ignored),
//! the index, HEAD, every ref and tag, and the refs of `origin`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{LIGHT, LIGHT_RUST, Repo};

/// One change to the fresh copy before the run.
enum Op {
    /// Replace the first `from` with `to` in a file (which must hold `from`).
    Edit(&'static str, &'static str, &'static str),
    Write(&'static str, &'static str),
    Bytes(&'static str, &'static [u8]),
    Append(&'static str, &'static str),
    /// Delete a file or a folder.
    Remove(&'static str),
    /// Every line ending of a file becomes CRLF.
    Crlf(&'static str),
    Git(&'static [&'static str]),
    /// Tags for the fixture's versions, pushed, then a crate fix on top and
    /// an `[Unreleased]` section in the binding's changelog: ready to release.
    Released,
}

use Op::*;

struct Case {
    name: &'static str,
    fixture: &'static str,
    ops: Vec<Op>,
    args: Vec<&'static str>,
    /// Pass `--root` with the copy (a case may give its own instead).
    root: bool,
    code: i32,
    /// Every one must appear in stderr or stdout.
    expect: Vec<&'static str>,
}

fn case(
    name: &'static str,
    fixture: &'static str,
    ops: Vec<Op>,
    args: &[&'static str],
    code: i32,
    expect: &[&'static str],
) -> Case {
    Case {
        name,
        fixture,
        ops,
        args: args.to_vec(),
        root: true,
        code,
        expect: expect.to_vec(),
    }
}

/// The workspace fixture's configuration of demo-core / demo-py.
const CORE: &str = "Cargo.toml [workspace.metadata.xtask-release] package #1 (`demo-core`)";
const PY: &str = "Cargo.toml [workspace.metadata.xtask-release] package #2 (`demo-py`)";

fn execute_args() -> Vec<&'static str> {
    let mut args = vec!["release", "--rust", "minor", "--py", "patch", "--execute"];
    args.extend(LIGHT);
    args
}

#[rustfmt::skip] // one line per case: the corpus reads as a table
fn cases() -> Vec<Case> {
    let w = "workspace";
    let flag = |to: &'static str| Edit("Cargo.toml", "flag = \"rust\"", to);
    let py_flag = |to: &'static str| Edit("Cargo.toml", "flag = \"py\"", to);
    let tag = |to: &'static str| Edit("Cargo.toml", "tag = \"v{version}\"", to);
    let py_tag = |to: &'static str| Edit("Cargo.toml", "tag = \"py-v{version}\"", to);
    let pattern =
        |to: &'static str| Edit("Cargo.toml", "pattern = 'demo-core = \"{version}\"'", to);
    let py_version = |to: &'static str| Edit("demo-py/pyproject.toml", "\"0.3.0\"", to);
    let check = &["check"][..];
    let bump_rust = &["bump", "--rust", "patch"][..];
    let bump_py = &["bump", "--py", "patch"][..];
    let release_rust = &["release", "--rust", "patch"][..];
    let release_py = &["release", "--py", "patch"][..];
    let release_both = &["release", "--rust", "patch", "--py", "patch"][..];
    let dup_lock = "\n[[package]]\nname = \"demo-core\"\nversion = \"0.4.0\"\n";
    let stray_lock = || {
        Edit(
            "Cargo.lock",
            "version = 4\n",
            "version = 4\nthis is not toml\n",
        )
    };
    let mut out = vec![
        // Package flags: identifiers, no built-in name, no two alike.
        case("flag execute: check", w, vec![flag("flag = \"execute\"")], check, 1, &[CORE, "`flag = \"execute\"` of `demo-core` clashes with the built-in option `--execute`"]),
        case("flag execute: release --py", w, vec![flag("flag = \"execute\"")], release_py, 1, &[CORE, "clashes with the built-in option `--execute`"]),
        case("flag execute: bump --py", w, vec![flag("flag = \"execute\"")], bump_py, 1, &[CORE, "clashes with the built-in option `--execute`"]),
        case("flag execute: versions", w, vec![flag("flag = \"execute\"")], &["versions"], 1, &[CORE, "--execute"]),
        case("flag execute: release --execute patch", w, vec![flag("flag = \"execute\"")], &["release", "--execute", "patch"], 2, &[CORE, "clashes with the built-in option `--execute`"]),
        case("flag empty: check", w, vec![flag("flag = \"\"")], check, 1, &[CORE, "`flag = \"\"` of `demo-core` is not a command-line flag"]),
        case("flag empty: bump --py", w, vec![flag("flag = \"\"")], bump_py, 1, &[CORE, "is not a command-line flag"]),
        case("flag with a space: check", w, vec![flag("flag = \"py thon\"")], check, 1, &[CORE, "`flag = \"py thon\"`"]),
        case("flag with a space: release --py", w, vec![flag("flag = \"py thon\"")], release_py, 1, &[CORE, "is not a command-line flag"]),
        case("flag with dashes: check", w, vec![flag("flag = \"--rust\"")], check, 1, &[CORE, "`flag = \"--rust\"`"]),
        case("flag starting with a digit", w, vec![flag("flag = \"2fast\"")], check, 1, &[CORE, "`flag = \"2fast\"`"]),
        case("flag with =", w, vec![py_flag("flag = \"py=1\"")], bump_rust, 1, &[PY, "`flag = \"py=1\"`"]),
        case("shared flag: check", w, vec![flag("flag = \"py\"")], check, 1, &[PY, "packages `demo-core` and `demo-py` share the flag `--py`"]),
        case("shared flag: bump --py", w, vec![flag("flag = \"py\"")], bump_py, 1, &[PY, "share the flag `--py`"]),
        case("shared flag: release --py", w, vec![flag("flag = \"py\"")], release_py, 1, &[PY, "share the flag"]),
        case("flag dry-run", w, vec![flag("flag = \"dry-run\"")], bump_py, 1, &[CORE, "built-in option `--dry-run`"]),
        case("flag package", w, vec![flag("flag = \"package\"")], &["bump", "-p", "demo-py", "patch"], 1, &[CORE, "built-in option `--package`"]),
        case("flag help", w, vec![flag("flag = \"help\"")], check, 1, &[CORE, "built-in option `--help`"]),
        case("flag level (a positional)", w, vec![flag("flag = \"level\"")], bump_py, 1, &[CORE, "`flag = \"level\"`"]),
        case("flag root", w, vec![py_flag("flag = \"root\"")], check, 1, &[PY, "built-in option `--root`"]),
        case("flag json", w, vec![py_flag("flag = \"json\"")], release_rust, 1, &[PY, "built-in option `--json`"]),
        case("flag since", w, vec![py_flag("flag = \"since\"")], check, 1, &[PY, "built-in option `--since`"]),
        case("flag abort", w, vec![py_flag("flag = \"abort\"")], release_rust, 1, &[PY, "built-in option `--abort`"]),
        case("flag not a string", w, vec![flag("flag = 3")], check, 1, &[CORE, "`flag` must be a string"]),
        // Tag templates: refs git accepts; distinct, non-overlapping series.
        case("tag with ..: check", w, vec![tag("tag = \"rel..v{version}\"")], check, 1, &[CORE, "`tag = \"rel..v{version}\"` makes tags such as `rel..v1.2.3` that git refuses (it contains `..`)"]),
        case("tag with ..: bump", w, vec![tag("tag = \"rel..v{version}\"")], bump_rust, 1, &[CORE, "git refuses"]),
        case("tag with ..: release", w, vec![tag("tag = \"rel..v{version}\"")], release_rust, 1, &[CORE, "git refuses"]),
        case("tag ending .lock", w, vec![tag("tag = \"v{version}.lock\"")], check, 1, &[CORE, "ends with `.lock`"]),
        case("tag ending .lock: release", w, vec![tag("tag = \"v{version}.lock\"")], release_rust, 1, &[CORE, "ends with `.lock`"]),
        case("tag starting with .", w, vec![tag("tag = \".v{version}\"")], check, 1, &[CORE, "begins with `.`"]),
        case("tag ending with /", w, vec![tag("tag = \"v{version}/\"")], check, 1, &[CORE, "begins or ends with `/`"]),
        case("tag with //", w, vec![tag("tag = \"v//{version}\"")], bump_rust, 1, &[CORE, "contains `//`"]),
        case("tag with @{", w, vec![tag("tag = \"v@{{version}\"")], check, 1, &[CORE, "contains `@{`"]),
        case("tag ending with .", w, vec![tag("tag = \"v{version}.\"")], check, 1, &[CORE, "ends with `.`"]),
        case("tag with ~", w, vec![tag("tag = \"v{version}~\"")], check, 1, &[CORE, "a character git does not allow"]),
        case("tag with a space", w, vec![py_tag("tag = \"py v{version}\"")], bump_rust, 1, &[PY, "a character git does not allow"]),
        case("tag without placeholder", w, vec![tag("tag = \"v\"")], check, 1, &[CORE, "must contain exactly one `{version}`"]),
        case("tag with two placeholders", w, vec![tag("tag = \"v{version}-{version}\"")], release_rust, 1, &[CORE, "exactly one"]),
        case("same tag twice: check", w, vec![py_tag("tag = \"v{version}\"")], check, 1, &[PY, "`tag = \"v{version}\"` of demo-py makes the same tags as `v{version}` of demo-core (both `v1.2.3`)"]),
        case("same tag twice: release both", w, vec![py_tag("tag = \"v{version}\"")], release_both, 1, &[PY, "makes the same tags"]),
        case("same tag twice: bump --py", w, vec![py_tag("tag = \"v{version}\"")], bump_py, 1, &[PY, "makes the same tags"]),
        case("same tags in pep440 form", w, vec![py_tag("tag = \"v{pep440}\"")], check, 1, &[PY, "makes the same tags"]),
        case("overlapping series: check", w, vec![py_tag("tag = \"vpy{version}\"")], check, 1, &[CORE, "tag template `v{version}` of demo-core also matches `vpy1.2.3`"]),
        case("overlapping series: bump", w, vec![py_tag("tag = \"vpy{version}\"")], bump_rust, 1, &[CORE, "also matches"]),
        case("overlapping bare series", w, vec![tag("tag = \"{version}\""), py_tag("tag = \"py-{version}\"")], release_rust, 1, &[CORE, "also matches `py-1.2.3`"]),
        // Mention patterns: one placeholder, and a match in their file.
        case("pattern without placeholder: check", w, vec![pattern("pattern = 'demo-core = \"0.4.0\"'")], check, 1, &[CORE, "the mention pattern `demo-core = \"0.4.0\"` (in README.md) has no single `{version}`"]),
        case("pattern without placeholder: bump", w, vec![pattern("pattern = 'demo-core = \"0.4.0\"'")], bump_rust, 1, &[CORE, "has no single `{version}`"]),
        case("pattern with two placeholders", w, vec![pattern("pattern = '{version} {version}'")], check, 1, &[CORE, "has no single"]),
        case("pattern matching nothing: check", w, vec![pattern("pattern = 'demo-core == \"{version}\"'")], check, 1, &[CORE, "matches nothing in README.md"]),
        case("pattern matching nothing: bump", w, vec![pattern("pattern = 'demo-core == \"{version}\"'")], bump_rust, 1, &[CORE, "matches nothing in README.md"]),
        case("pattern matching nothing: release", w, vec![pattern("pattern = 'demo-core == \"{version}\"'")], release_rust, 1, &[CORE, "matches nothing in README.md"]),
        case("mention gone from the file", w, vec![Write("README.md", "# demo\n")], bump_rust, 1, &[CORE, "matches nothing in README.md"]),
        case("mention file missing", w, vec![Edit("Cargo.toml", "file = \"README.md\"", "file = \"MISSING.md\"")], check, 1, &[CORE, "mention file `MISSING.md`"]),
        case("mention file not UTF-8", w, vec![Bytes("README.md", b"# demo\ndemo-core = \"0.4.0\" \xff\n")], bump_rust, 1, &[CORE, "README.md:2: not UTF-8 text: save the file as UTF-8"]),
        case("mentions not an array", w, vec![Edit("Cargo.toml", "mentions = [{ file = \"README.md\", pattern = 'demo-core = \"{version}\"' }]", "mentions = \"README.md\"")], check, 1, &[CORE, "`mentions` must be an array"]),
        case("mention without a pattern", w, vec![Edit("Cargo.toml", ", pattern = 'demo-core = \"{version}\"'", "")], check, 1, &[CORE, "each mention needs `file` and `pattern`"]),
        // Workspace members exist and load.
        case("member folder missing: check", w, vec![Edit("Cargo.toml", "\"demo-py\"]", "\"demo-py\", \"ghost\"]")], check, 1, &["Cargo.toml:3: workspace member `ghost` has no ghost/Cargo.toml"]),
        case("member folder missing: bump", w, vec![Edit("Cargo.toml", "\"demo-py\"]", "\"demo-py\", \"ghost\"]")], bump_rust, 1, &["Cargo.toml:3: workspace member `ghost`"]),
        case("member folder missing: versions", w, vec![Edit("Cargo.toml", "\"demo-py\"]", "\"demo-py\", \"ghost\"]")], &["versions"], 1, &["Cargo.toml:3", "ghost"]),
        case("member manifest deleted", w, vec![Remove("demo-py/Cargo.toml")], check, 1, &["Cargo.toml:3: workspace member `demo-py` has no demo-py/Cargo.toml"]),
        case("member manifest deleted: release", w, vec![Remove("demo-py/Cargo.toml")], release_rust, 1, &["workspace member `demo-py` has no demo-py/Cargo.toml"]),
        case("member folder deleted", w, vec![Remove("demo-core")], bump_py, 1, &["Cargo.toml:3: workspace member `demo-core`"]),
        case("member manifest invalid TOML", w, vec![Edit("demo-core/Cargo.toml", "[package]", "[package")], check, 1, &["demo-core/Cargo.toml:1: invalid TOML"]),
        case("member without a name", w, vec![Edit("demo-core/Cargo.toml", "name = \"demo-core\"\n", "")], bump_rust, 1, &["demo-core/Cargo.toml: no `[package] name`"]),
        case("member version not SemVer", w, vec![Edit("demo-core/Cargo.toml", "\"0.4.0\"", "\"four\"")], check, 1, &["demo-core/Cargo.toml:3: version \"four\" is not SemVer"]),
        case("member version with two numbers", w, vec![Edit("demo-core/Cargo.toml", "\"0.4.0\"", "\"0.4\"")], bump_rust, 1, &["demo-core/Cargo.toml:3", "not SemVer"]),
        case("member version a number", w, vec![Edit("demo-core/Cargo.toml", "\"0.4.0\"", "4")], check, 1, &["demo-core/Cargo.toml"]),
        case("member version missing", w, vec![Edit("demo-core/Cargo.toml", "version = \"0.4.0\" # keep me\n", "")], check, 1, &["demo-core/Cargo.toml: `[package]` has no `version`"]),
        case("inherited version without a workspace version", w, vec![Edit("demo-core/Cargo.toml", "version = \"0.4.0\" # keep me", "version.workspace = true")], check, 1, &["demo-core/Cargo.toml: `version.workspace = true` but Cargo.toml has no `[workspace.package] version`"]),
        case("workspace version not SemVer", w, vec![Edit("Cargo.toml", "edition = \"2021\"", "edition = \"2021\"\nversion = \"1.x\"")], check, 1, &["Cargo.toml:7: `workspace.package.version = \"1.x\"` is not SemVer"]),
        case("unknown package name", w, vec![Edit("Cargo.toml", "name = \"demo-py\"", "name = \"demo-pyx\"")], bump_rust, 1, &["package #2 (`demo-pyx`): `demo-pyx` is not a package of this workspace"]),
        case("manifest of another member", w, vec![Edit("Cargo.toml", "flag = \"rust\"", "flag = \"rust\"\nmanifest = \"demo-py/Cargo.toml\"")], check, 1, &[CORE, "is not the manifest of `demo-core`"]),
        // Cargo.lock: TOML, one entry per member.
        case("lock version not a version: check", w, vec![Edit("Cargo.lock", "version = \"0.3.0\"", "version = \"zero\"")], check, 1, &["Cargo.lock:11: `demo-py` is locked at version `zero`, which is not a version (cargo refuses this lock): set it to \"0.3.0\", the version of demo-py/Cargo.toml"]),
        case("lock version not a version: sync", w, vec![Edit("Cargo.lock", "version = \"0.3.0\"", "version = \"zero\"")], &["sync"], 1, &["Cargo.lock:11", "not a version"]),
        case("lock version not a version: bump", w, vec![Edit("Cargo.lock", "version = \"0.3.0\"", "version = \"zero\"")], bump_py, 1, &["Cargo.lock:11", "not a version"]),
        case("lock version not a version: release", w, vec![Edit("Cargo.lock", "version = \"0.3.0\"", "version = \"zero\"")], release_py, 1, &["Cargo.lock:11", "not a version"]),
        case("lock entry twice: check", w, vec![Append("Cargo.lock", dup_lock)], check, 1, &["Cargo.lock:18: `demo-core` has 2 entries (the first at line 7): cargo rejects a package specified twice"]),
        case("lock entry twice: release", w, vec![Append("Cargo.lock", dup_lock)], release_rust, 1, &["Cargo.lock:18", "specified twice"]),
        case("lock entry twice: bump", w, vec![Append("Cargo.lock", dup_lock)], bump_py, 1, &["Cargo.lock:18", "specified twice"]),
        case("lock stray line: check", w, vec![stray_lock()], check, 1, &["Cargo.lock:4: invalid TOML", "cargo generate-lockfile --offline"]),
        case("lock stray line: bump", w, vec![stray_lock()], bump_rust, 1, &["Cargo.lock:4: invalid TOML"]),
        case("lock stray line: release", w, vec![stray_lock()], release_both, 1, &["Cargo.lock:4: invalid TOML"]),
        case("lock broken header: check", w, vec![Edit("Cargo.lock", "[[package]]\nname = \"demo-core\"", "[[package]\nname = \"demo-core\"")], check, 1, &["Cargo.lock:5: invalid TOML", "Failed 1 problem(s)"]),
        case("lock broken header: release", w, vec![Edit("Cargo.lock", "[[package]]\nname = \"demo-core\"", "[[package]\nname = \"demo-core\"")], release_rust, 1, &["Cargo.lock:5: invalid TOML"]),
        case("lock unterminated string", w, vec![Edit("Cargo.lock", "\"demo-py\"\n", "\"demo-py\n")], bump_py, 1, &["Cargo.lock:10: invalid TOML"]),
        case("lock entry missing: check", w, vec![Edit("Cargo.lock", "[[package]]\nname = \"demo-py\"\nversion = \"0.3.0\"\n", "")], check, 1, &["Cargo.lock: no entry for `demo-py`"]),
        case("lock entry missing: bump", w, vec![Edit("Cargo.lock", "[[package]]\nname = \"demo-py\"\nversion = \"0.3.0\"\n", "")], bump_py, 1, &["Cargo.lock: no entry for the workspace member `demo-py`"]),
        case("lock version stale: bump", w, vec![Edit("Cargo.lock", "version = \"0.3.0\"", "version = \"0.2.0\"")], bump_py, 1, &["Cargo.lock:11: `demo-py` is locked at 0.2.0"]),
        case("lock empty: check", w, vec![Write("Cargo.lock", "")], check, 1, &["Cargo.lock: no entry for `demo-core`"]),
        case("lock not UTF-8", w, vec![Bytes("Cargo.lock", b"version = 4\n\xff\xfe\n")], check, 1, &["Cargo.lock:2: not UTF-8 text"]),
        // pyproject.toml: PEP 440, not ahead of the manifest.
        case("pyproject ahead: check", w, vec![py_version("\"0.4.0\"")], check, 1, &["demo-py/pyproject.toml:7: version \"0.4.0\" disagrees with demo-py/Cargo.toml version 0.3.0: set it to \"0.3.0\" (it is ahead of the manifest"]),
        case("pyproject ahead: bump --py", w, vec![py_version("\"0.4.0\"")], bump_py, 1, &["demo-py/pyproject.toml:7", "ahead of the manifest"]),
        case("pyproject ahead: release --py", w, vec![py_version("\"0.4.0\"")], release_py, 1, &["demo-py/pyproject.toml:7", "ahead of the manifest"]),
        case("pyproject ahead by a pre-release", w, vec![py_version("\"0.3.1rc1\"")], bump_py, 1, &["demo-py/pyproject.toml:7", "ahead"]),
        case("pyproject not PEP 440: check", w, vec![py_version("\"zero.one\"")], check, 1, &["demo-py/pyproject.toml:7: version `zero.one` is not a PEP 440 version"]),
        case("pyproject not PEP 440: bump", w, vec![py_version("\"zero.one\"")], bump_py, 1, &["demo-py/pyproject.toml:7", "not a PEP 440 version", "set it to \"0.3.0\""]),
        // A post release is PEP 440 (PyPI takes it), and above the manifest's 0.3.0.
        case("pyproject post release", w, vec![py_version("\"0.3.0.post1\"")], release_py, 1, &["demo-py/pyproject.toml:7", "ahead of the manifest"]),
        case("pyproject behind (drift): check", w, vec![py_version("\"0.2.0\"")], check, 1, &["demo-py/pyproject.toml:7: version \"0.2.0\" disagrees"]),
        case("pyproject invalid TOML: check", w, vec![Edit("demo-py/pyproject.toml", "[project]", "[project")], check, 1, &["demo-py/pyproject.toml:5: invalid TOML", "Failed 1 problem(s)"]),
        case("pyproject invalid TOML", w, vec![Edit("demo-py/pyproject.toml", "[project]", "[project")], bump_py, 1, &["demo-py/pyproject.toml:5: invalid TOML"]),
        case("pyproject without [project]", w, vec![Edit("demo-py/pyproject.toml", "[project]", "[tool.other]")], bump_py, 1, &["demo-py/pyproject.toml: no `[project]` table"]),
        case("pyproject without version", w, vec![Edit("demo-py/pyproject.toml", "version = \"0.3.0\"   # static, equal to Cargo.toml's\n", "")], check, 1, &["demo-py/pyproject.toml: `[project]` has no `version`"]),
        case("pyproject version a number", w, vec![py_version("3")], bump_py, 1, &["demo-py/pyproject.toml:7: `project.version` must be a string"]),
        case("pyproject missing", w, vec![Edit("Cargo.toml", "pyproject = \"demo-py/pyproject.toml\"", "pyproject = \"demo-py/missing.toml\"")], check, 1, &[PY, "pyproject `demo-py/missing.toml`"]),
        case("pyproject not UTF-8", w, vec![Bytes("demo-py/pyproject.toml", b"[project]\nname = \"\xff\"\n")], check, 1, &[PY, "demo-py/pyproject.toml:2: not UTF-8 text"]),
        // The configuration and the root manifest.
        case("root manifest invalid TOML", w, vec![Edit("Cargo.toml", "[workspace.package]", "[workspace.package")], check, 1, &["Cargo.toml:5: invalid TOML"]),
        case("root manifest not UTF-8", w, vec![Bytes("Cargo.toml", b"[workspace]\n\xff\n")], check, 1, &["Cargo.toml:2: not UTF-8 text"]),
        case("root manifest empty", w, vec![Write("Cargo.toml", "")], bump_rust, 1, &["Cargo.toml: neither `[package]` nor `[workspace]`"]),
        case("unknown top key", w, vec![Edit("Cargo.toml", "branch = \"main\"", "brnch = \"main\"")], check, 1, &["Cargo.toml [workspace.metadata.xtask-release]: unknown key `brnch`"]),
        case("unknown mode", w, vec![Edit("Cargo.toml", "branch = \"main\"", "mode = \"yolo\"")], release_rust, 1, &["Cargo.toml [workspace.metadata.xtask-release]: `mode = \"yolo\"` is unknown"]),
        case("branch not a string", w, vec![Edit("Cargo.toml", "branch = \"main\"", "branch = 1")], check, 1, &["Cargo.toml [workspace.metadata.xtask-release]: `branch` must be a string"]),
        case("commit message without placeholder", w, vec![Edit("Cargo.toml", "branch = \"main\"", "commit-message = \"release\"")], release_rust, 1, &["`commit-message = \"release\"` must contain `{releases}`"]),
        case("unknown package key", w, vec![Edit("Cargo.toml", "tag = \"v{version}\"", "tags = \"v{version}\"")], check, 1, &[CORE, "unknown key `tags`"]),
        case("package without a name", w, vec![Edit("Cargo.toml", "name = \"demo-core\"\n", "")], check, 1, &["package #1: `name` is missing"]),
        case("paths not strings", w, vec![Edit("Cargo.toml", "flag = \"rust\"", "flag = \"rust\"\npaths = [1]")], check, 1, &[CORE, "`paths` must be an array of strings"]),
        case("package not an array of tables", w, vec![Write("release.toml", "package = 3\n")], &["--config", "release.toml", "check"], 1, &["release.toml: `package` must be an array of tables"]),
        case("registry URL without a scheme", w, vec![Edit("Cargo.toml", "branch = \"main\"", "branch = \"main\"\nregistries = { crate-index = \"index.crates.io\" }")], check, 1, &["registries: `crate-index = \"index.crates.io\"` is not a URL"]),
        case("--config missing", w, vec![], &["--config", "nosuch.toml", "check"], 1, &["cannot read the configuration", "nosuch.toml"]),
        case("--config invalid TOML", w, vec![Write("release.toml", "[[package]\nname = \"demo-core\"\n")], &["--config", "release.toml", "check"], 1, &["release.toml:1: invalid TOML"]),
        case("--config flag execute", w, vec![Write("release.toml", "[[package]]\nname = \"demo-core\"\nflag = \"execute\"\n")], &["--config", "release.toml", "bump", "-p", "demo-core", "patch"], 1, &["release.toml package #1 (`demo-core`)", "built-in option `--execute`"]),
        // Changelogs.
        // A changelog that does not exist yet is created by the first release; a folder is refused.
        case("changelog is a folder", w, vec![Edit("Cargo.toml", "changelog = \"CHANGELOG.md\"", "changelog = \"demo-core\"")], check, 1, &[CORE, "changelog `demo-core`"]),
        case("changelog not UTF-8", w, vec![Bytes("CHANGELOG.md", b"# Changelog\n\n## [Unreleased]\n\n- caf\xe9\n")], release_rust, 1, &[CORE, "CHANGELOG.md:5: not UTF-8 text"]),
        case("changelog empty: release", w, vec![Write("CHANGELOG.md", "")], release_rust, 1, &["CHANGELOG.md: no `## [Unreleased]` section"]),
        case("changelog duplicate section", w, vec![Append("CHANGELOG.md", "\n## [0.4.0] - 2026-01-10\n\n- Again.\n")], check, 1, &["CHANGELOG.md:"]),
        case("changelog two Unreleased", w, vec![Append("CHANGELOG.md", "\n## [Unreleased]\n\n- Again.\n")], release_rust, 1, &["CHANGELOG.md:"]),
        case("changelog unparsable heading", w, vec![Edit("CHANGELOG.md", "## [0.4.0] - 2026-01-10", "## [four] - 2026-01-10")], check, 1, &["CHANGELOG.md:"]),
        case("changelog bad date", w, vec![Edit("CHANGELOG.md", "2026-01-10", "2026-13-40")], check, 1, &["CHANGELOG.md:"]),
        case("changelog without Unreleased: release --py", w, vec![], release_py, 1, &["demo-py/CHANGELOG.md"]),
        case("promote an empty Unreleased", w, vec![Edit("CHANGELOG.md", "### Added\n\n- Something new.\n\n", "")], &["changelog", "promote", "rust", "0.5.0"], 1, &["CHANGELOG.md"]),
        case("notes of a missing version", w, vec![], &["changelog", "notes", "rust", "9.9.9"], 1, &["CHANGELOG.md", "9.9.9"]),
        case("generate since a missing tag", w, vec![], &["changelog", "generate", "rust", "--since", "nosuchtag"], 1, &["--since nosuchtag: no tag or commit of that name in this repository", "`v{version}` series of demo-core"]),
        case("generate for an unknown package", w, vec![], &["changelog", "generate", "nosuch"], 1, &["nosuch"]),
        // The command line.
        case("unknown level", w, vec![], &["bump", "--rust", "banana"], 1, &["banana"]),
        case("nothing selected", w, vec![], &["bump", "patch"], 1, &["choose what to bump: --rust (demo-core 0.4.0), --py (demo-py 0.3.0)"]),
        case("unknown package", w, vec![], &["bump", "-p", "nosuch", "patch"], 1, &["unknown package `nosuch`"]),
        case("the same version", w, vec![], &["bump", "--rust", "0.4.0"], 1, &["demo-core is already at 0.4.0"]),
        case("a downgrade", w, vec![], &["bump", "--rust", "0.3.0"], 1, &["demo-core 0.3.0 is not greater than the current 0.4.0"]),
        case("no PEP 440 form", w, vec![], &["bump", "--py", "1.0.0-foo.1"], 1, &["demo-py/pyproject.toml", "PEP 440"]),
        case("unknown subcommand", w, vec![], &["frobnicate"], 2, &["frobnicate"]),
        case("unknown option", w, vec![], &["bump", "--rust", "patch", "--yes"], 2, &["--yes"]),
        case("unknown tag to verify", w, vec![], &["gh", "verify-tag", "nosuch"], 1, &["nosuch"]),
        case("rollback an unknown tag", w, vec![], &["rollback", "v9.9.9"], 1, &["v9.9.9"]),
        Case { root: false, ..case("--root at a file", w, vec![], &["--root", "README.md", "check"], 1, &["README.md is not a folder: pass --root with the work tree of your repository"]) },
        Case { root: false, ..case("--root at a missing folder", w, vec![], &["--root", "nowhere", "versions"], 1, &["nowhere is not a folder: pass --root"]) },
        Case { root: false, ..case("--root at a folder without Cargo.toml", w, vec![], &["--root", "demo-py/python", "bump", "--rust", "patch"], 1, &["demo-py/python holds no Cargo.toml: pass --root with the work tree"]) },
        // Git states: the pre-flight refuses before any edit.
        case("detached HEAD", w, vec![Released, Git(&["checkout", "-q", "--detach"])], &execute_args(), 1, &["HEAD is detached: run `git switch main`"]),
        case("another branch", w, vec![Released, Git(&["switch", "-q", "-c", "topic"])], &execute_args(), 1, &["on branch `topic`"]),
        case("dirty tree", w, vec![Released, Append("demo-core/src/lib.rs", "// wip\n")], &execute_args(), 1, &["the work tree has changes"]),
        case("untracked file", w, vec![Released, Write("scratch.txt", "x\n")], &execute_args(), 1, &["the work tree has changes", "scratch.txt"]),
        case("tag already on origin", w, vec![Released, Git(&["push", "-q", "origin", "HEAD:refs/tags/v0.5.0"])], &execute_args(), 1, &["v0.5.0 exists on origin"]),
        // A tag above its manifest is a warning, never an error (issue 19): it is not the previous release.
        case("tag of the next version already here", w, vec![Released, Git(&["tag", "py-v0.3.1"])], check, 0, &["py-v0.3.1 is above demo-py 0.3.0 (demo-py/Cargo.toml) and is not taken as its previous release: add it to `ignore-tags`"]),
        case("ahead of origin", w, vec![Released, Append("README.md", "more\n"), Git(&["commit", "-qam", "docs: more"])], &execute_args(), 1, &["ahead of its upstream"]),
        case("no upstream", w, vec![Released, Git(&["branch", "-q", "--unset-upstream"])], &execute_args(), 1, &["no upstream"]),
        case("tag newer than the manifest", w, vec![Git(&["tag", "v0.9.0"])], check, 0, &["v0.9.0 is above demo-core 0.4.0"]),
        // Other fixtures.
        case("single: version not SemVer", "single", vec![Edit("Cargo.toml", "\"0.1.0\"", "\"0.1\"")], &["bump", "patch"], 1, &["Cargo.toml:3", "not SemVer"]),
        case("single: flag execute", "single", vec![Append("Cargo.toml", "\n[package.metadata.xtask-release]\n[[package.metadata.xtask-release.package]]\nname = \"solo\"\nflag = \"execute\"\n")], &["bump", "patch"], 1, &["package #1 (`solo`)", "built-in option `--execute`"]),
        case("single: tag git refuses", "single", vec![Append("Cargo.toml", "\n[package.metadata.xtask-release]\n[[package.metadata.xtask-release.package]]\nname = \"solo\"\ntag = \"solo..{version}\"\n")], &["release", "--rust", "patch"], 1, &["package #1 (`solo`)", "contains `..`"]),
        case("single: changelog empty", "single", vec![Write("CHANGELOG.md", "")], &["release", "--rust", "patch"], 1, &["CHANGELOG.md"]),
        case("root crate: binding pyproject ahead", "root-crate", vec![Edit("binding/pyproject.toml", "\"0.9.0\"", "\"1.0.0\"")], &["bump", "--py", "patch"], 1, &["binding/pyproject.toml:7", "ahead of the manifest"]),
        case("root crate: lock entry twice", "root-crate", vec![Append("Cargo.lock", "\n[[package]]\nname = \"rooted\"\nversion = \"1.2.3\"\n")], &["bump", "--rust", "patch"], 1, &["Cargo.lock:18: `rooted` has 2 entries"]),
        case("root crate: member missing", "root-crate", vec![Edit("Cargo.toml", "[\"binding\"]", "[\"binding\", \"extra\"]")], &["check"], 1, &["Cargo.toml:9: workspace member `extra` has no extra/Cargo.toml"]),
        // sync refuses the same problems, and repairs drift (a dry run here).
        case("flag execute: sync", w, vec![flag("flag = \"execute\"")], &["sync"], 1, &[CORE, "clashes with the built-in option `--execute`"]),
        case("lock entry twice: sync", w, vec![Append("Cargo.lock", dup_lock)], &["sync"], 1, &["Cargo.lock:18", "specified twice"]),
        case("pyproject ahead: sync", w, vec![py_version("\"0.4.0\"")], &["sync"], 1, &["demo-py/pyproject.toml:7", "ahead of the manifest"]),
        case("pattern matching nothing: sync", w, vec![pattern("pattern = 'demo-core == \"{version}\"'")], &["sync", "--dry-run"], 1, &[CORE, "matches nothing in README.md"]),
        case("tag git refuses: sync", w, vec![tag("tag = \"v{version}.lock\"")], &["sync"], 1, &[CORE, "ends with `.lock`"]),
        case("pyproject behind (drift): sync dry run", w, vec![py_version("\"0.2.0\"")], &["sync", "--dry-run"], 0, &["demo-py/pyproject.toml"]),
        // CRLF files are accepted (and left CRLF: nothing is written here).
        case("CRLF root manifest: check", w, vec![Crlf("Cargo.toml")], check, 0, &["every version field agrees"]),
        case("CRLF everything: versions", w, vec![Crlf("Cargo.toml"), Crlf("Cargo.lock"), Crlf("demo-core/Cargo.toml"), Crlf("demo-py/Cargo.toml"), Crlf("demo-py/pyproject.toml"), Crlf("README.md"), Crlf("CHANGELOG.md")], &["versions"], 0, &["demo-core"]),
        case("CRLF lock: bump dry run", w, vec![Crlf("Cargo.lock")], &["bump", "--rust", "patch", "--dry-run"], 0, &["Cargo.lock", "nothing was written"]),
        case("CRLF changelog: release dry run", w, vec![Crlf("CHANGELOG.md")], release_rust, 0, &["CHANGELOG.md"]),
        case("CRLF pyproject: bump dry run", w, vec![Crlf("demo-py/pyproject.toml")], &["bump", "--py", "patch", "--dry-run"], 0, &["demo-py/pyproject.toml"]),
    ];
    // Several problems at once are reported together.
    out.push(case(
        "every problem at once",
        w,
        vec![
            flag("flag = \"execute\""),
            py_tag("tag = \"py..v{version}\""),
            pattern("pattern = 'demo-core == \"{version}\"'"),
            Append("Cargo.lock", dup_lock),
            py_version("\"0.4.0\""),
        ],
        check,
        1,
        &[
            "clashes with the built-in option `--execute`",
            "git refuses",
            "matches nothing in README.md",
            "specified twice",
            "ahead of the manifest",
            "Failed 5 problem(s)",
        ],
    ));
    out
}

/// Everything a command could change: each file's bytes (ignored and
/// untracked ones too), the index, HEAD, every ref, and origin's refs.
fn state(repo: &Repo) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path == root.join(".git") {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap().to_string_lossy();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(format!("file {rel}"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&repo.dir, &repo.dir, &mut out);
    let git = |args: &[&str]| repo.git(args).into_bytes();
    out.insert("HEAD".into(), git(&["rev-parse", "HEAD"]));
    out.insert(
        "HEAD name".into(),
        git(&["rev-parse", "--symbolic-full-name", "HEAD"]),
    );
    out.insert("index".into(), git(&["ls-files", "--stage"]));
    out.insert(
        "refs".into(),
        git(&["for-each-ref", "--format=%(objectname) %(refname)"]),
    );
    out.insert("origin refs".into(), repo.remote_refs().into_bytes());
    out
}

fn apply(repo: &Repo, op: &Op) {
    let path = |p: &str| repo.dir.join(p);
    match op {
        Edit(file, from, to) => repo.replace(file, from, to),
        Write(file, text) => repo.write(file, text),
        Bytes(file, bytes) => std::fs::write(path(file), bytes).unwrap(),
        Append(file, text) => repo.write(file, &(repo.read(file) + text)),
        Remove(p) => {
            if path(p).is_dir() {
                std::fs::remove_dir_all(path(p)).unwrap();
            } else {
                std::fs::remove_file(path(p)).unwrap();
            }
        }
        Crlf(file) => {
            let text = repo.read(file).replace("\r\n", "\n").replace('\n', "\r\n");
            repo.write(file, &text);
        }
        Git(args) => {
            repo.git(args);
        }
        Released => repo.tag_then_fix(),
    }
}

/// Runs one case; `Err` says what went wrong.
fn run(case: &Case) -> Result<(), String> {
    let repo = Repo::new(case.fixture);
    // A user's file that git ignores, and one it does not know: both must stay.
    std::fs::write(repo.dir.join(".git/info/exclude"), "notes.local\n").unwrap();
    repo.write("notes.local", "my private notes\n");
    for op in &case.ops {
        apply(&repo, op);
    }
    let before = state(&repo);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    if case.root {
        cmd.arg("--root").arg(&repo.dir);
    }
    cmd.args(&case.args).current_dir(&repo.dir);
    repo.env(&mut cmd);
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let both = format!("{stderr}{stdout}");
    let mut wrong = Vec::new();
    if out.status.code() != Some(case.code) {
        wrong.push(format!(
            "exit code {:?}, expected {}",
            out.status.code(),
            case.code
        ));
    }
    if both.contains("panicked at") {
        wrong.push("a panic".into());
    }
    if both.contains("(a bug)") {
        wrong.push("the user's input called a bug".into());
    }
    for expected in &case.expect {
        if !both.contains(expected) {
            wrong.push(format!("no `{expected}` in the output"));
        }
    }
    let after = state(&repo);
    for key in before.keys().chain(after.keys()) {
        if before.get(key) != after.get(key) {
            wrong.push(format!("{key} changed"));
            break;
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: {}\nstderr:\n{stderr}stdout:\n{stdout}",
            case.name,
            wrong.join("; ")
        ))
    }
}

#[test]
fn every_bad_input_is_refused_with_its_file_and_nothing_changes() {
    let cases = cases();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let mut names = std::collections::BTreeSet::new();
    for case in &cases {
        assert!(names.insert(case.name), "two cases named {}", case.name);
    }
    // Two threads: each case is one fresh repository and one run.
    let (even, odd): (Vec<_>, Vec<_>) = cases.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles = [even, odd].map(|half| {
            s.spawn(move || {
                half.into_iter()
                    .filter_map(|(_, case)| run(case).err())
                    .collect::<Vec<_>>()
            })
        });
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// CRLF files are accepted by a real bump, and stay CRLF.
#[test]
fn a_bump_keeps_crlf_files_crlf() {
    let repo = Repo::new("workspace");
    let files = [
        "Cargo.toml",
        "Cargo.lock",
        "demo-core/Cargo.toml",
        "demo-py/Cargo.toml",
        "demo-py/pyproject.toml",
        "README.md",
    ];
    for file in files {
        apply(&repo, &Crlf(file));
    }
    repo.xtask(&["bump", "--rust", "--py", "minor"]).success();
    for file in files {
        let text = repo.read(file);
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "{file} lost its CRLF:\n{text:?}"
        );
    }
    assert!(repo.read("demo-core/Cargo.toml").contains("\"0.5.0\""));
    assert!(repo.read("demo-py/pyproject.toml").contains("\"0.4.0\""));
}

/// A configuration problem never traps a release under way: `--abort`
/// still undoes it (validation refuses only a new plan).
#[test]
fn a_pending_release_can_be_aborted_whatever_the_configuration() {
    let repo = Repo::new("workspace");
    apply(&repo, &Released);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let mut args = vec!["release", "--rust", "minor", "--execute", "--no-push"];
    args.extend(&LIGHT[..LIGHT_RUST]); // no Python package: no python-env step to skip
    repo.xtask(&args).success();
    assert_ne!(repo.git(&["rev-parse", "HEAD"]), head);
    // The same packages, but a flag clap would refuse.
    let config = repo.base.join("release.toml");
    let text = "[[package]]\nname = \"demo-core\"\nflag = \"execute\"\ntag = \"v{version}\"\nchangelog = \"CHANGELOG.md\"\n\n[[package]]\nname = \"demo-py\"\nflag = \"py\"\ntag = \"py-v{version}\"\nchangelog = \"demo-py/CHANGELOG.md\"\npyproject = \"demo-py/pyproject.toml\"\n";
    std::fs::write(&config, text).unwrap();
    let config = config.to_str().unwrap();
    let refused = repo.xtask(&["--config", config, "bump", "--py", "patch"]);
    assert!(
        refused
            .failure()
            .contains("clashes with the built-in option `--execute`")
    );
    repo.xtask(&["--config", config, "release", "--abort"])
        .success();
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["tag", "--list", "v0.5.0"]), "");
}
