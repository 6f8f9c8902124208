//! `cargo xtask versions`: every version field in one table.

use std::process::ExitCode;

use anyhow::Result;

use crate::checks::validate;
use crate::cli::flags;
use crate::ctx::Ctx;
use crate::model::fields::{self, Field};
use crate::out::{json, ui};

pub fn run(ctx: &Ctx, flags: flags::Versions) -> Result<ExitCode> {
    let ws = ctx.model()?;
    // Versions read mid-release are the release's: say so, and what to run.
    if let Ok(Some(run)) = crate::release::executor::pending(&ctx.sh, &ctx.root) {
        crate::out::ui::status(
            crate::out::ui::Tone::Warn,
            "Pending",
            &crate::release::executor::in_progress_note(&run.journal),
        );
    }
    let tags = crate::facts::tags::read(&ctx.sh, ws)?;
    let fields = fields::fields(ws, &tags);
    let problems = validate::with_fields(ctx.problems(), &fields);
    if flags.json {
        let packages = ws.packages.iter().map(|p| {
            json::object(&[
                ("name", json::string(&p.name)),
                ("flag", json::string(&p.flag)),
                ("version", json::string(&p.version.to_string())),
                ("manifest", json::string(&p.manifest)),
                ("tag_template", json::string(&p.tag.template)),
                ("changelog", json::opt_string(p.changelog.as_deref())),
                ("pyproject", json::opt_string(p.pyproject.as_deref())),
            ])
        });
        let rows = fields.iter().map(|f| {
            json::object(&[
                ("package", json::string(&f.package)),
                ("kind", json::string(f.kind.as_str())),
                ("holder", json::opt_string(f.holder.as_deref())),
                ("file", json::string(&f.file)),
                ("line", f.line.to_string()),
                ("value", json::string(&f.value)),
                ("ok", (f.problem.is_none()).to_string()),
                ("problem", json::opt_string(f.problem.as_deref())),
            ])
        });
        let out = json::object(&[
            ("packages", json::array(packages)),
            ("fields", json::array(rows)),
            (
                "problems",
                json::array(problems.iter().map(|p| json::string(p))),
            ),
        ]);
        ui::println(&out);
    } else {
        ui::print(&table(&fields));
        for problem in &problems {
            ui::println(&format!("problem: {problem}"));
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A plain text table, one row per field; inconsistent rows are marked.
pub fn table(fields: &[Field]) -> String {
    let rows: Vec<[String; 5]> = fields
        .iter()
        .map(|f| {
            let kind = match &f.holder {
                Some(holder) => format!("{} ({holder})", f.kind.as_str()),
                None => f.kind.as_str().to_string(),
            };
            let status = if f.problem.is_some() {
                "MISMATCH"
            } else {
                "ok"
            };
            [
                f.package.clone(),
                kind,
                f.location(),
                f.value.clone(),
                status.to_string(),
            ]
        })
        .collect();
    let header = ["package", "field", "where", "value", "status"].map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::Kind;

    fn field(kind: Kind, holder: Option<&str>, file: &str, line: usize, problem: bool) -> Field {
        Field {
            package: "core".into(),
            kind,
            holder: holder.map(String::from),
            file: file.into(),
            line,
            value: "0.1.0".into(),
            problem: problem.then(|| "wrong".to_string()),
        }
    }

    #[test]
    fn the_table_aligns_its_columns_and_marks_the_mismatches() {
        let fields = [
            field(Kind::Manifest, None, "core/Cargo.toml", 3, false),
            field(Kind::Pin, Some("binding"), "binding/Cargo.toml", 12, true),
            field(Kind::Tag, None, "v0.1.0", 0, false),
        ];
        assert_eq!(
            table(&fields),
            "package  field          where                  value  status\n\
             core     manifest       core/Cargo.toml:3      0.1.0  ok\n\
             core     pin (binding)  binding/Cargo.toml:12  0.1.0  MISMATCH\n\
             core     tag            v0.1.0                 0.1.0  ok\n"
        );
    }
}
