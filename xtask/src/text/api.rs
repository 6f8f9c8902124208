//! API verdicts: what a package's public API did since its previous release,
//! read from the checkers' output (cargo-semver-checks for a crate, the
//! griffe script for a Python package), and the level that verdict needs
//! (pure).
//!
//! The rule for the level: a breaking change needs major (minor while the
//! major version is 0, and any bump of 0.0.z, which Cargo already treats as
//! breaking); additions need minor from 1.0.0 on (a 0.x patch may add,
//! as Cargo's `^0.x` requirement takes it). Pre-releases promise nothing:
//! a bump to or from one is never refused for its API.

use semver::Version;

use crate::text::version::{Level, bump};

/// What the public API did, or why it is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Items removed or changed so that users' code breaks, each named.
    Breaking(Vec<String>),
    /// New public items and nothing broken.
    Additions(Vec<String>),
    Compatible,
    /// No previous release: nothing to compare with.
    NoBaseline,
    /// Not computed on purpose (`--skip semver-checks`), with how.
    Skipped(String),
    /// The checker could not run or its output was not understood: the
    /// pre-flight fails with this, the tool's own message.
    Failed(String),
}

impl Verdict {
    /// The plan line's text after `api: `.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Breaking(items) => format!(
                "{} breaking change{} ({})",
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                shorten(items)
            ),
            Verdict::Additions(items) => format!("additions only ({})", shorten(items)),
            Verdict::Compatible => "compatible".into(),
            Verdict::NoBaseline => "not checked (no previous release to compare with)".into(),
            Verdict::Skipped(why) => format!("not checked ({why})"),
            Verdict::Failed(why) => format!("not checked (the checker failed: {why})"),
        }
    }

    /// Whether the verdict is known: otherwise a proposal rests on commits only.
    pub fn known(&self) -> bool {
        matches!(
            self,
            Verdict::Breaking(_) | Verdict::Additions(_) | Verdict::Compatible
        )
    }
}

/// At most three items, then how many more.
fn shorten(items: &[String]) -> String {
    let mut out = items.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
    if items.len() > 3 {
        out.push_str(&format!("; … and {} more", items.len() - 3));
    }
    out
}

/// The least level `verdict` needs from the release `base` (the previous
/// release's version), with the reason; `None` when any level will do.
pub fn needed(verdict: &Verdict, base: &Version) -> Option<(Level, String)> {
    match verdict {
        Verdict::Breaking(_) if base.major >= 1 => {
            Some((Level::Major, "the public API has breaking changes".into()))
        }
        Verdict::Breaking(_) if base.minor >= 1 => Some((
            Level::Minor,
            "the public API has breaking changes (minor while the major version is 0)".into(),
        )),
        Verdict::Additions(_) if base.major >= 1 => {
            Some((Level::Minor, "the public API has additions".into()))
        }
        _ => None,
    }
}

/// The stronger of two levels.
pub fn stronger(a: Level, b: Level) -> Level {
    let rank = |l: Level| match l {
        Level::Major => 2,
        Level::Minor => 1,
        Level::Patch => 0,
    };
    if rank(a) >= rank(b) { a } else { b }
}

/// Why releasing `to` after `base` is refused for `verdict`, or `None` when
/// the version carries what the API did. `asked` is the selection as typed
/// (`--rust patch`).
pub fn refusal(
    package: &str,
    flag: &str,
    asked: &str,
    verdict: &Verdict,
    base: &Version,
    to: &Version,
) -> Option<String> {
    if !base.pre.is_empty() || !to.pre.is_empty() {
        return None;
    }
    let (level, _) = needed(verdict, base)?;
    if *to >= bump(base, level) {
        return None;
    }
    let what = match verdict {
        Verdict::Breaking(items) => format!(
            "the public API has {} breaking change{} since {base} ({})",
            items.len(),
            if items.len() == 1 { "" } else { "s" },
            items.join("; ")
        ),
        Verdict::Additions(items) => {
            format!(
                "the public API has additions since {base} ({})",
                items.join("; ")
            )
        }
        _ => return None,
    };
    let fix = match level {
        Level::Major if base.major >= 1 => format!("--{flag} major"),
        Level::Minor if matches!(verdict, Verdict::Breaking(_)) => {
            format!("--{flag} minor (0.x) or major")
        }
        _ => format!("--{flag} {level} or major"),
    };
    Some(format!(
        "{package}: --{flag} {asked} makes {to}, but {what}: use {fix}, or --allow-breaking to release them as they are"
    ))
}

/// The verdict in cargo-semver-checks' output (stdout and stderr together),
/// run with `--release-type patch`: every lint a patch release may not
/// break fails. `ok` is its exit status. A run that failed without its
/// summary line is the checker failing, never a pass.
pub fn from_semver_checks(output: &str, ok: bool) -> Verdict {
    let summary = output
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("Summary "))
        .map(str::trim);
    match summary {
        Some(s) if s.starts_with("semver requires new major version") => {
            Verdict::Breaking(failures(output))
        }
        Some(s) if s.starts_with("semver requires new minor version") => {
            Verdict::Additions(failures(output))
        }
        Some(s) if s.starts_with("no semver update required") && ok => Verdict::Compatible,
        _ => Verdict::Failed(error_lines(output)),
    }
}

/// Each failed lint's items: `function demo::gone removed or renamed
/// (function_missing)`, from `--- failure LINT: WHAT ---` and the indented
/// `Failed in:` lines under it.
fn failures(output: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lint: Option<(String, String)> = None;
    let mut listing = false;
    for line in output.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed
            .strip_prefix("--- failure ")
            .and_then(|r| r.strip_suffix(" ---"))
        {
            let (name, what) = rest.split_once(": ").unwrap_or((rest, ""));
            lint = Some((name.to_string(), what.to_string()));
            listing = false;
        } else if trimmed == "Failed in:" {
            listing = true;
        } else if listing && trimmed.is_empty() {
            listing = false;
        } else if listing && let Some((name, what)) = &lint {
            out.push(format!("{}: {what} ({name})", without_location(trimmed)));
        }
    }
    if out.is_empty() {
        // A lint with no `Failed in:` list still counts, by its name.
        out.push("see cargo-semver-checks' report".into());
    }
    out
}

/// An item without the file and line the checker adds: `function demo::gone,
/// previously in file /tmp/x/src/lib.rs:3` and `variant Kind:Rerank in
/// /tmp/x/src/lib.rs:18` name the item alone.
fn without_location(item: &str) -> &str {
    for marker in [", previously in file ", " in file ", " in /"] {
        if let Some((head, _)) = item.split_once(marker) {
            return head;
        }
    }
    item
}

/// The lines that say what went wrong, for a checker that failed.
fn error_lines(output: &str) -> String {
    let errors: Vec<&str> = output
        .lines()
        .map(str::trim)
        .filter(|l| l.to_ascii_lowercase().starts_with("error"))
        .collect();
    if errors.is_empty() {
        let last = output.trim().lines().last().unwrap_or("no output").trim();
        format!("cargo-semver-checks gave no verdict: {last}")
    } else {
        errors.join("; ")
    }
}

/// The verdict in the griffe script's output: one `breaking\tTEXT` or
/// `addition\tTEXT` line per finding, then `done`. Anything else (a crash,
/// a traceback) is the checker failing.
pub fn from_griffe(stdout: &str, stderr: &str, ok: bool) -> Verdict {
    let mut breaking = Vec::new();
    let mut additions = Vec::new();
    let mut done = false;
    for line in stdout.lines() {
        match line.split_once('\t') {
            Some(("breaking", text)) => breaking.push(text.to_string()),
            Some(("addition", text)) => additions.push(text.to_string()),
            _ if line.trim() == "done" => done = true,
            _ => {}
        }
    }
    if !ok || !done {
        let last = stderr
            .trim()
            .lines()
            .last()
            .unwrap_or("no output")
            .trim()
            .to_string();
        return Verdict::Failed(format!("griffe: {last}"));
    }
    match (breaking.is_empty(), additions.is_empty()) {
        (false, _) => Verdict::Breaking(breaking),
        (true, false) => Verdict::Additions(additions),
        (true, true) => Verdict::Compatible,
    }
}

/// stubtest's findings as one message: `error: NAME …` lines, or its last line.
pub fn stubtest_failure(output: &str) -> String {
    let errors: Vec<&str> = output
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("error:"))
        .collect();
    if errors.is_empty() {
        output
            .trim()
            .lines()
            .last()
            .unwrap_or("no output")
            .to_string()
    } else {
        errors.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    const BREAKING: &str = "     Parsing demo v0.1.0 (current)
    Checking demo v0.1.0 -> v0.1.0 (assume patch change)
     Checked [   0.010s] 180 checks: 178 pass, 2 fail, 0 warn, 27 skip

--- failure function_missing: pub fn removed or renamed ---

Description:
A publicly-visible function cannot be imported by its prior path.
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#item-remove

Failed in:
  function demo::gone, previously in file /tmp/x/src/lib.rs:3

--- failure trait_method_added: pub trait method added ---

Failed in:
  trait method demo::Provider::name in file /tmp/x/src/lib.rs:9
  trait method demo::Provider::id in file /tmp/x/src/lib.rs:10

     Summary semver requires new major version: 2 major and 0 minor checks failed
    Finished [   1.2s] demo
";

    #[test]
    fn semver_checks_breaking_names_each_item_and_lint() {
        let Verdict::Breaking(items) = from_semver_checks(BREAKING, false) else {
            panic!("breaking expected");
        };
        assert_eq!(
            items,
            [
                "function demo::gone: pub fn removed or renamed (function_missing)",
                "trait method demo::Provider::name: pub trait method added (trait_method_added)",
                "trait method demo::Provider::id: pub trait method added (trait_method_added)",
            ]
        );
    }

    #[test]
    fn semver_checks_pass_is_compatible_only_with_its_summary_and_exit_zero() {
        let pass = "    Checked [0.01s] 180 checks: 180 pass, 27 skip\n     Summary no semver update required\n";
        assert_eq!(from_semver_checks(pass, true), Verdict::Compatible);
        // A pass summary with a failing exit is not a pass.
        assert!(matches!(
            from_semver_checks(pass, false),
            Verdict::Failed(_)
        ));
        // No summary at all: the checker failed, even with exit 0.
        assert!(matches!(from_semver_checks("", true), Verdict::Failed(_)));
    }

    #[test]
    fn semver_checks_errors_are_failures_with_the_tool_message() {
        let out = "error: rustdoc JSON format version 99 is not supported\n";
        assert_eq!(
            from_semver_checks(out, false),
            Verdict::Failed("error: rustdoc JSON format version 99 is not supported".into())
        );
        let out =
            "    Building demo\nerror: failed to build rustdoc for crate demo v0.1.0\nnote: …\n";
        assert_eq!(
            from_semver_checks(out, false).describe(),
            "not checked (the checker failed: error: failed to build rustdoc for crate demo v0.1.0)"
        );
    }

    #[test]
    fn semver_checks_minor_summary_is_additions() {
        let out = "--- failure function_marked_deprecated: function #[deprecated] added ---\n\nFailed in:\n  function demo::old in /x.rs:3\n\n     Summary semver requires new minor version: 0 major and 1 minor checks failed\n";
        assert!(matches!(from_semver_checks(out, false), Verdict::Additions(i) if i.len() == 1));
    }

    #[test]
    fn griffe_lines() {
        let out = "breaking\tpkg.hello: parameter was removed (name)\naddition\tpkg.mul: function added\ndone\n";
        assert_eq!(
            from_griffe(out, "", true),
            Verdict::Breaking(vec!["pkg.hello: parameter was removed (name)".into()])
        );
        assert_eq!(
            from_griffe("addition\tpkg.mul: function added\ndone\n", "", true),
            Verdict::Additions(vec!["pkg.mul: function added".into()])
        );
        assert_eq!(from_griffe("done\n", "", true), Verdict::Compatible);
        // A crash before `done`, or a failing exit, is never a pass.
        assert_eq!(
            from_griffe(
                "",
                "Traceback …\nModuleNotFoundError: No module named 'griffe'\n",
                false
            ),
            Verdict::Failed("griffe: ModuleNotFoundError: No module named 'griffe'".into())
        );
        assert!(matches!(
            from_griffe("breaking\tx\n", "", true),
            Verdict::Failed(_)
        ));
    }

    #[test]
    fn describe_shortens_long_lists() {
        let items: Vec<String> = (1..=5).map(|i| format!("f{i}")).collect();
        assert_eq!(
            Verdict::Breaking(items).describe(),
            "5 breaking changes (f1; f2; f3; … and 2 more)"
        );
        assert_eq!(
            Verdict::Breaking(vec!["f".into()]).describe(),
            "1 breaking change (f)"
        );
        assert_eq!(
            Verdict::NoBaseline.describe(),
            "not checked (no previous release to compare with)"
        );
    }

    #[test]
    fn needed_levels_follow_the_rule() {
        let breaking = Verdict::Breaking(vec!["x".into()]);
        let additions = Verdict::Additions(vec!["y".into()]);
        assert_eq!(needed(&breaking, &v("1.2.3")).unwrap().0, Level::Major);
        assert_eq!(needed(&breaking, &v("0.2.3")).unwrap().0, Level::Minor);
        assert_eq!(needed(&breaking, &v("0.0.3")), None);
        assert_eq!(needed(&additions, &v("1.2.3")).unwrap().0, Level::Minor);
        assert_eq!(needed(&additions, &v("0.2.3")), None);
        assert_eq!(needed(&Verdict::Compatible, &v("1.0.0")), None);
        assert_eq!(needed(&Verdict::Failed("x".into()), &v("1.0.0")), None);
    }

    #[test]
    fn refusals_name_the_fix_and_each_break() {
        let breaking = Verdict::Breaking(vec!["a".into(), "b".into()]);
        let msg = refusal(
            "edgequake-llm",
            "rust",
            "patch",
            &breaking,
            &v("0.1.0"),
            &v("0.1.1"),
        )
        .unwrap();
        assert_eq!(
            msg,
            "edgequake-llm: --rust patch makes 0.1.1, but the public API has 2 breaking changes since 0.1.0 (a; b): use --rust minor (0.x) or major, or --allow-breaking to release them as they are"
        );
        assert_eq!(
            refusal("c", "rust", "minor", &breaking, &v("0.1.0"), &v("0.2.0")),
            None
        );
        assert_eq!(
            refusal("c", "rust", "major", &breaking, &v("0.1.0"), &v("1.0.0")),
            None
        );
        let msg = refusal("c", "rust", "minor", &breaking, &v("1.1.0"), &v("1.2.0")).unwrap();
        assert!(msg.contains("use --rust major, or"), "{msg}");
        let additions = Verdict::Additions(vec!["n".into()]);
        assert!(refusal("c", "py", "patch", &additions, &v("1.1.0"), &v("1.1.1")).is_some());
        assert_eq!(
            refusal("c", "py", "patch", &additions, &v("0.1.0"), &v("0.1.1")),
            None
        );
        // Pre-releases promise nothing.
        assert_eq!(
            refusal("c", "rust", "rc", &breaking, &v("1.0.0"), &v("1.0.1-rc.1")),
            None
        );
        assert_eq!(
            refusal(
                "c",
                "rust",
                "patch",
                &Verdict::Compatible,
                &v("1.0.0"),
                &v("1.0.1")
            ),
            None
        );
    }
}
