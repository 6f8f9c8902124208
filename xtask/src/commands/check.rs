//! `cargo xtask check`: every problem of the configuration and the files
//! (`validate`), every version inconsistency, each with its fix.

use std::process::ExitCode;

use anyhow::Result;
use clap::ArgMatches;

use super::changelog;
use crate::ui::{self, Tone};
use crate::{Ctx, fields, git, json, validate};

/// Every problem found (validation, version fields, changelog lint errors),
/// and the changelog lint warnings.
pub fn problems(ctx: &Ctx) -> Result<(Vec<String>, Vec<String>)> {
    let ws = ctx.ws()?;
    let tags = git::tags(&ctx.sh)?;
    let fields = fields::fields(ws, &tags);
    let mut problems = validate::with_fields(ctx.problems(), &fields);
    let dates = git::tag_dates(&ctx.sh)?;
    // A changelog answers for the releases in HEAD's past: on a maintenance
    // branch, main's newer tags are not its sections.
    let past = git::merged_tags(&ctx.sh)?;
    let (errors, warnings) = changelog::lint_all_dated(ws, &past, &dates, changelog::today());
    problems.extend(errors);
    Ok((problems, warnings))
}

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let (problems, warnings) = problems(ctx)?;
    if args.get_flag("json") {
        println!("{}", report_json(&problems, &warnings));
    } else {
        report(&problems, &warnings, args.get_flag("verbose"));
    }
    if problems.is_empty() {
        ui::status(Tone::Good, "Checked", "every version field agrees");
        Ok(ExitCode::SUCCESS)
    } else {
        ui::status(
            Tone::Bad,
            "Failed",
            &format!("{} problem(s)", problems.len()),
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Warnings shown without `--verbose`.
const SHOWN_WARNINGS: usize = 5;

/// Errors first, then the warnings: all of them when `verbose`, else the
/// first few and how many more there are.
pub fn report(errors: &[String], warnings: &[String], verbose: bool) {
    for line in report_lines(errors, warnings, verbose) {
        match line {
            (true, message) => ui::error(&message),
            (false, message) => ui::status(Tone::Warn, "warning", &message),
        }
    }
}

/// `(is an error, line)` in the order `report` prints them.
fn report_lines(errors: &[String], warnings: &[String], verbose: bool) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = errors.iter().map(|e| (true, e.clone())).collect();
    let shown = if verbose {
        warnings.len()
    } else {
        SHOWN_WARNINGS.min(warnings.len())
    };
    out.extend(warnings[..shown].iter().map(|w| (false, w.clone())));
    if shown < warnings.len() {
        out.push((
            false,
            format!(
                "{} more warning(s), {} in all: run with --verbose to see every one",
                warnings.len() - shown,
                warnings.len()
            ),
        ));
    }
    out
}

/// `{"ok":…,"errors":[…],"warnings":[…]}` on one line.
pub fn report_json(errors: &[String], warnings: &[String]) -> String {
    let list = |items: &[String]| json::array(items.iter().map(|i| json::string(i)));
    json::object(&[
        ("ok", errors.is_empty().to_string()),
        ("errors", list(errors)),
        ("warnings", list(warnings)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(prefix: &str, n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("{prefix}{i}")).collect()
    }

    #[test]
    fn errors_first_and_warnings_summarised() {
        let errors = strings("e", 2);
        let warnings = strings("w", 7);
        let short: Vec<(bool, String)> = report_lines(&errors, &warnings, false);
        let text: Vec<&str> = short.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            text,
            vec![
                "e1",
                "e2",
                "w1",
                "w2",
                "w3",
                "w4",
                "w5",
                "2 more warning(s), 7 in all: run with --verbose to see every one"
            ]
        );
        assert_eq!(short.iter().filter(|(e, _)| *e).count(), 2);
        assert_eq!(report_lines(&errors, &warnings, true).len(), 9);
        assert_eq!(report_lines(&[], &strings("w", 5), false).len(), 5);
        assert_eq!(report_lines(&[], &[], false), vec![]);
    }

    #[test]
    fn json_lists_both() {
        assert_eq!(
            report_json(&["a \"b\"".into()], &["w".into()]),
            r#"{"ok":false,"errors":["a \"b\""],"warnings":["w"]}"#
        );
        assert_eq!(
            report_json(&[], &[]),
            r#"{"ok":true,"errors":[],"warnings":[]}"#
        );
    }
}
