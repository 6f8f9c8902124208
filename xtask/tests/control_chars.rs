//! Text from commits and files is data (issue 30, item 3): commit subjects
//! holding a carriage return before a workflow command, a screen-clearing
//! escape and an OSC-8 hyperlink, and changelog lines that are workflow
//! commands, reach no output, changelog, pull request body or step summary
//! raw: each control character shows as its picture (`␍`, `␛`, `␇`), a
//! bidirectional override as `\u{202e}`, and no
//! line reads as a workflow command to GitHub's runner (which splits lines
//! on a bare carriage return, trims leading whitespace and looks for `::`,
//! and looks for `##[` anywhere).

mod common;

use common::Repo;

const SUBJECTS: [&str; 4] = [
    "fix: tidy\r::error title=injected::pwned",
    "feat: clear \x1b[2J the screen",
    "fix: a \x1b]8;;http://x\x07link\x1b]8;;\x07 here",
    // A right-to-left override: shown as `nimda` reversed, which reads "admin".
    "fix: check \u{202e}nimda\u{202c} access",
];

/// The released workspace with one commit per subject of `SUBJECTS` on the
/// crate, and workflow commands in its changelog's `[Unreleased]`.
fn repo() -> Repo {
    let repo = Repo::released();
    repo.replace(
        "CHANGELOG.md",
        "- Something new.\n",
        "- Something new.\n\n::warning title=x::from the changelog\n  ::add-mask::indented\n- a ##[error]legacy command\n",
    );
    for (i, subject) in SUBJECTS.iter().enumerate() {
        repo.commit(
            &format!("demo-core/src/extra{i}.rs"),
            "pub fn extra() {}\n",
            subject,
            "Eve <eve@example.com>",
        );
    }
    repo.git(&["push", "-q", "origin", "main"]);
    repo
}

/// Raw control characters of `text` (tab and line feed aside), bidirectional
/// embeddings, overrides and isolates included, by name.
fn raw_controls(text: &str) -> Vec<String> {
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    text.chars()
        .filter(|&c| c != '\n' && c != '\t' && (c.is_control() || bidi(c)))
        .map(|c| format!("{:?}", c))
        .collect()
}

/// Lines GitHub's runner would take for a workflow command.
fn workflow_commands(text: &str) -> Vec<String> {
    text.split(['\n', '\r'])
        .filter(|line| line.trim_start().starts_with("::") || line.contains("##["))
        .map(str::to_string)
        .collect()
}

/// `text` is safe to show: no raw control, no workflow command, and each
/// subject there in its visible form.
#[track_caller]
fn assert_inert(what: &str, text: &str) {
    assert_eq!(raw_controls(text), Vec::<String>::new(), "{what}:\n{text}");
    assert_eq!(
        workflow_commands(text),
        Vec::<String>::new(),
        "{what}:\n{text}"
    );
    for shown in [
        "tidy␍::error title=injected::pwned",
        "clear ␛[2J the screen",
        "a ␛]8;;http://x␇link␛]8;;␇ here",
        "check \\u{202e}nimda\\u{202c} access",
    ] {
        assert!(text.contains(shown), "{what} lacks {shown:?}:\n{text}");
    }
}

#[test]
fn generated_notes_show_control_characters_and_run_no_command() {
    let repo = repo();
    let run = repo.xtask(&["release", "--rust", "patch", "--generate"]);
    run.success();
    assert_inert(
        "release --generate",
        &format!("{}{}", run.stdout(), run.stderr()),
    );
    let run = repo.xtask(&["changelog", "generate", "rust"]);
    run.success();
    assert_inert(
        "changelog generate",
        &format!("{}{}", run.stdout(), run.stderr()),
    );
}

#[test]
fn a_release_pull_request_commits_and_shows_no_raw_control() {
    let repo = repo();
    let args = ["--pr", "--rust", "patch", "--generate", "--execute"];
    let (run, summary) =
        repo.xtask_summary(&[&["release"][..], &args, &["--skip-preflight"]].concat());
    run.success();
    // The pull request's body is printed (gh is not installed here).
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert_inert("release --pr --execute", &out);
    assert!(out.contains("from the changelog"), "{out}");
    let committed = repo.git(&["show", "release/next:CHANGELOG.md"]);
    assert_eq!(
        raw_controls(&committed),
        Vec::<String>::new(),
        "{committed}"
    );
    assert!(
        committed.contains("- tidy␍::error title=injected::pwned"),
        "{committed}"
    );
    assert!(summary.contains("0.4.1"), "{summary}");
    assert_eq!(raw_controls(&summary), Vec::<String>::new(), "{summary}");
    let pushed = std::process::Command::new("git")
        .args(["log", "-1", "--format=%B", "release/next"])
        .current_dir(&repo.origin)
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&pushed.stdout);
    assert_eq!(raw_controls(&message), Vec::<String>::new(), "{message}");
}
