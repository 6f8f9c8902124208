//! The `workflows` step: GitHub workflows and composite actions checked
//! against their schema, by zizmor, and every `run:` script by shellcheck.
use std::path::PathBuf;

use anyhow::bail;
use xshell::{Shell, cmd};

use crate::adapters::python::Venv;
use crate::checks::step_runner::{Skip, Step};
use crate::worktree::Tree;

/// The GitHub workflows (and the repository's composite actions) validate
/// against their schema, pass zizmor's pedantic offline audits with no
/// finding and no ignore comment, and every `run:` script passes shellcheck
/// as the shell GitHub runs it with; the tools come from the venv.
pub fn workflows<'a>(sh: &'a Shell, venv: &'a Venv) -> Step<'a> {
    Step::new("workflows", &["python-env"], move || {
        let root = sh.current_dir();
        let tree = Tree::new(&root);
        let workflows = yaml(&tree, ".github/workflows");
        if workflows.is_empty() {
            return Err(Skip("skipped: no .github/workflows/*.yml".into()).into());
        }
        let mut actions = Vec::new();
        for dir in tree.subdirs(".github/actions") {
            actions.extend(
                yaml(&tree, &format!(".github/actions/{dir}"))
                    .into_iter()
                    .filter(|p| p.ends_with("/action.yml") || p.ends_with("/action.yaml")),
            );
        }
        // Read through the work tree before any tool reads them: a workflow
        // that is a link (out of the repository or not) stops the step.
        let mut texts = Vec::new();
        for rel in workflows.iter().chain(&actions) {
            texts.push((rel.clone(), tree.read(rel)?));
        }
        let schema = venv.bin("check-jsonschema");
        let workflow_files: Vec<PathBuf> = workflows.iter().map(|r| root.join(r)).collect();
        let action_files: Vec<PathBuf> = actions.iter().map(|r| root.join(r)).collect();
        let (workflow_files, action_files) = (&workflow_files, &action_files);
        cmd!(
            sh,
            "{schema} --builtin-schema vendor.github-workflows {workflow_files...}"
        )
        .run()?;
        if !actions.is_empty() {
            cmd!(
                sh,
                "{schema} --builtin-schema vendor.github-actions {action_files...}"
            )
            .run()?;
        }
        // Zero findings means zero ignores too: a silenced finding is a finding.
        for (rel, text) in &texts {
            if let Some(n) = text.lines().position(|l| l.contains("zizmor: ignore")) {
                bail!(
                    "{rel}:{}: a `zizmor: ignore` comment: fix what zizmor finds instead of silencing it",
                    n + 1
                );
            }
        }
        let zizmor = venv.bin("zizmor");
        let github = root.join(".github");
        cmd!(
            sh,
            "{zizmor} --offline --no-progress --persona pedantic {github}"
        )
        .run()?;
        let scripts = shellcheck_scripts(sh, venv, &texts)?;
        Ok(Some(format!(
            "{} workflows, {} actions, {scripts} run scripts",
            workflows.len(),
            actions.len()
        )))
    })
}

/// The `.yml` and `.yaml` files directly in the folder `dir` of the tree,
/// by relative path, sorted.
fn yaml(tree: &Tree, dir: &str) -> Vec<String> {
    tree.files(dir)
        .into_iter()
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
        .map(|name| format!("{dir}/{name}"))
        .collect()
}

/// Writes every `run:` script into target/xtask-shellcheck/ and runs
/// shellcheck over them; findings are reported at the workflow's own lines.
/// `target/` is the build's folder, not the repository's: written with xshell.
fn shellcheck_scripts(
    sh: &Shell,
    venv: &Venv,
    texts: &[(String, String)],
) -> anyhow::Result<usize> {
    let dir = sh.current_dir().join("target/xtask-shellcheck");
    let _ = sh.remove_path(&dir);
    sh.create_dir(&dir)?;
    // file name -> (workflow path, line of the script's first line)
    let mut origin = std::collections::BTreeMap::new();
    let mut paths = Vec::new();
    for (rel, text) in texts {
        for script in crate::checks::workflow_scripts::scripts(rel, text)? {
            let Some(dialect) = script.shellcheck_dialect() else {
                bail!(
                    "{rel}:{}: runs with `{}`, which shellcheck cannot check: use `shell: bash`",
                    script.line,
                    script.shell
                );
            };
            let name = format!("{}-{}.sh", rel.replace('/', "_"), script.line);
            // Line 1 is the interpreter; the script's line n is the file's n + 1.
            sh.write_file(
                dir.join(&name),
                format!("#!/usr/bin/env {dialect}\n{}", script.body),
            )?;
            origin.insert(name.clone(), (rel.clone(), script.line));
            paths.push(dir.join(name));
        }
    }
    if paths.is_empty() {
        return Ok(0);
    }
    let shellcheck = venv.bin("shellcheck");
    let count = paths.len();
    let out = cmd!(sh, "{shellcheck} --format=gcc {paths...}")
        .quiet()
        .ignore_status()
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings: Vec<String> = stdout.lines().map(|line| relocate(line, &origin)).collect();
    if !out.status.success() || !findings.is_empty() {
        bail!(
            "shellcheck: {} finding(s) in the workflows' run scripts:\n{}{}",
            findings.len(),
            findings.join("\n"),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(count)
}

/// `target/xtask-shellcheck/NAME:LINE:COL: …` as `WORKFLOW:LINE:COL: …`.
fn relocate(line: &str, origin: &std::collections::BTreeMap<String, (String, usize)>) -> String {
    let mut parts = line.splitn(3, ':');
    let (Some(file), Some(number), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return line.to_string();
    };
    let name = file.rsplit('/').next().unwrap_or(file);
    match (origin.get(name), number.parse::<usize>()) {
        (Some((rel, first)), Ok(n)) if n >= 2 => format!("{rel}:{}:{rest}", first + n - 2),
        (Some((rel, first)), _) => format!("{rel}:{first}:{rest}"),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::relocate;

    #[test]
    fn shellcheck_findings_point_at_the_workflow_line() {
        let origin = [(
            "ci.yml-12.sh".to_string(),
            (".github/workflows/ci.yml".to_string(), 12),
        )]
        .into_iter()
        .collect();
        assert_eq!(
            relocate(
                "/w/target/xtask-shellcheck/ci.yml-12.sh:3:5: warning: x [SC2086]",
                &origin
            ),
            ".github/workflows/ci.yml:13:5: warning: x [SC2086]"
        );
        assert_eq!(relocate("something else", &origin), "something else");
    }
}
