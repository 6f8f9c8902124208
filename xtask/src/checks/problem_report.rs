//! How problems are listed: errors first, then the warnings (the first few,
//! or all with `--verbose`), or the whole as one line of JSON. Shared by
//! `check` and `changelog lint`.

use crate::out::json;
use crate::out::ui::{self, Tone};

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
