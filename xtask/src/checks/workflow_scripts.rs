//! The `run:` scripts of a GitHub workflow or composite action, each with
//! the shell GitHub runs it with, so shellcheck can check exactly what runs.
//! A line-based reader of the block layout these files use (no YAML crate):
//! a `run:` key with an inline value or a `|` block, its step's `shell:`,
//! and the `defaults: run: shell:` of the workflow or of the job around it.

use anyhow::{Result, bail};

/// One `run:` script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The 1-based line of the file where the script's first line is.
    pub line: usize,
    /// The command GitHub runs, as its documentation writes it
    /// (`bash -e {0}`, `bash --noprofile --norc -eo pipefail {0}`, …).
    pub shell: String,
    /// The script, dedented, with `${{ … }}` replaced by a plain word (the
    /// runner substitutes them before the shell sees the script).
    pub body: String,
}

impl Script {
    /// The shell's program, when shellcheck can check it (`bash`, `sh`).
    pub fn shellcheck_dialect(&self) -> Option<&'static str> {
        match self.shell.split_whitespace().next() {
            Some("bash") => Some("bash"),
            Some("sh") => Some("sh"),
            _ => None,
        }
    }
}

/// The command line GitHub uses for `shell:` (`None`: the runner's default
/// on Linux and macOS, `bash -e {0}`).
pub fn shell_command(shell: Option<&str>) -> String {
    match shell {
        None => "bash -e {0}".into(),
        Some("bash") => "bash --noprofile --norc -eo pipefail {0}".into(),
        Some("sh") => "sh -e {0}".into(),
        Some("pwsh") => "pwsh -command \". '{0}'\"".into(),
        Some("python") => "python {0}".into(),
        Some(custom) => custom.into(),
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// `key: value` at `line`, with the indent of the key (after any `- `).
fn key_value<'a>(line: &'a str, key: &str) -> Option<(usize, &'a str)> {
    let mut at = indent(line);
    let mut rest = &line[at..];
    if let Some(item) = rest.strip_prefix("- ") {
        at += 2;
        rest = item;
    }
    let value = rest.strip_prefix(key)?.strip_prefix(':')?;
    (value.is_empty() || value.starts_with(' ')).then(|| (at, value.trim()))
}

/// A plain or quoted inline scalar, without a trailing comment.
fn inline_scalar(path: &str, number: usize, value: &str) -> Result<String> {
    if let Some(inner) = value.strip_prefix('"') {
        let Some(end) = inner.rfind('"') else {
            bail!("{path}:{number}: unterminated double-quoted `run:`: close the quote");
        };
        return Ok(inner[..end].replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    if let Some(inner) = value.strip_prefix('\'') {
        let Some(end) = inner.rfind('\'') else {
            bail!("{path}:{number}: unterminated single-quoted `run:`: close the quote");
        };
        return Ok(inner[..end].replace("''", "'"));
    }
    Ok(match value.find(" #") {
        Some(comment) => value[..comment].trim_end().to_string(),
        None => value.to_string(),
    })
}

/// Replaces each `${{ … }}` by a plain word.
fn without_expressions(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => {
                out.push_str("GITHUB_EXPRESSION");
                rest = &rest[start + end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The end of the block whose key is at `start`: every following line more
/// indented than `key_indent`, empty lines included (a comment as little
/// indented as the key ends it, as in YAML).
fn block_end(lines: &[&str], start: usize, key_indent: usize) -> usize {
    let mut end = start + 1;
    while end < lines.len() && (lines[end].trim().is_empty() || indent(lines[end]) > key_indent) {
        end += 1;
    }
    // Trailing blank lines belong to no block.
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    end
}

/// `defaults: run: shell:` entries: the lines they cover and the shell.
fn defaults(lines: &[&str]) -> Vec<(usize, usize, usize, String)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((at, "")) = key_value(line, "defaults") else {
            continue;
        };
        let end = block_end(lines, i, at);
        let Some(shell) = lines[i + 1..end]
            .iter()
            .find_map(|l| key_value(l, "shell").map(|(_, v)| v.to_string()))
        else {
            continue;
        };
        // The mapping that holds `defaults:`: the whole file at the top
        // level, else the job whose key is the nearest less-indented line.
        let (from, to) = if at == 0 {
            (0, lines.len())
        } else {
            let parent = (0..i)
                .rev()
                .find(|&j| !blank(lines[j]) && indent(lines[j]) < at)
                .unwrap_or(0);
            (parent, block_end(lines, parent, indent(lines[parent])))
        };
        out.push((at, from, to, shell));
    }
    out
}

/// Every `run:` script of the workflow or action `text` (read from `path`,
/// for messages).
pub fn scripts(path: &str, text: &str) -> Result<Vec<Script>> {
    let lines: Vec<&str> = text.lines().collect();
    let defaults = defaults(&lines);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((at, value)) = key_value(line, "run") else {
            continue;
        };
        // `defaults: run:` is a mapping, not a script.
        if value.is_empty() || value.starts_with('#') {
            continue;
        }
        let number = i + 1;
        let (first_line, body) = if let Some(indicator) = value.strip_prefix(['|', '>']) {
            if value.starts_with('>') {
                bail!("{path}:{number}: a folded `run: >` block joins its lines: write `run: |`");
            }
            if !indicator.trim_start_matches(['-', '+']).trim().is_empty()
                && !indicator
                    .trim_start_matches(['-', '+'])
                    .trim()
                    .starts_with('#')
            {
                bail!(
                    "{path}:{number}: `run: {value}` is not a block this check reads: write `run: |`"
                );
            }
            let end = block_end(&lines, i, at);
            let body_lines = &lines[i + 1..end];
            let dedent = body_lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| indent(l))
                .min()
                .unwrap_or(0);
            let body: Vec<&str> = body_lines
                .iter()
                .map(|l| l.get(dedent..).unwrap_or(""))
                .collect();
            (number + 1, body.join("\n") + "\n")
        } else {
            (number, inline_scalar(path, number, value)? + "\n")
        };
        // The step: from its `- ` line to the next line as little indented.
        let start = (0..=i)
            .rev()
            .find(|&j| indent(lines[j]) + 2 == at && lines[j].trim_start().starts_with("- "))
            .unwrap_or(i);
        let end = block_end(&lines, start, at.saturating_sub(2));
        let own = lines[start..end]
            .iter()
            .filter_map(|l| key_value(l, "shell"))
            .find(|(key_at, _)| *key_at == at)
            .map(|(_, v)| v.to_string());
        let inherited = defaults
            .iter()
            .filter(|(_, from, to, _)| (*from..*to).contains(&i))
            .max_by_key(|(d, ..)| *d)
            .map(|(.., shell)| shell.clone());
        out.push(Script {
            line: first_line,
            shell: shell_command(own.or(inherited).as_deref()),
            body: without_expressions(&body),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_as_little_indented_as_the_step_ends_a_block() {
        let text = "steps:\n  - run: |\n      echo a\n  # about the next step\n  - run: echo b\n";
        let found = scripts("w.yml", text).unwrap();
        assert_eq!(found[0].body, "echo a\n");
        assert_eq!(found[1].body, "echo b\n");
    }

    const WORKFLOW: &str = "\
name: demo
on: push
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000 # v1
      - run: cargo xtask check # inline
      - name: block
        env:
          X: ${{ github.sha }}
        run: |
          echo \"$X\"
            indented

          after a blank line
      - id: quoted
        run: \"echo \\\"hi\\\"\"
      - shell: bash
        run: echo explicit
  two:
    runs-on: windows-latest
    defaults:
      run:
        shell: bash
    steps:
      - run: echo job default
      - run: echo own
        shell: pwsh
";

    #[test]
    fn every_run_block_with_its_line_and_shell() {
        let found = scripts("w.yml", WORKFLOW).unwrap();
        let summary: Vec<(usize, &str, &str)> = found
            .iter()
            .map(|s| (s.line, s.shell.as_str(), s.body.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (8, "bash -e {0}", "cargo xtask check\n"),
                (
                    13,
                    "bash -e {0}",
                    "echo \"$X\"\n  indented\n\nafter a blank line\n"
                ),
                (18, "bash -e {0}", "echo \"hi\"\n"),
                (
                    20,
                    "bash --noprofile --norc -eo pipefail {0}",
                    "echo explicit\n"
                ),
                (
                    27,
                    "bash --noprofile --norc -eo pipefail {0}",
                    "echo job default\n"
                ),
                (28, "pwsh -command \". '{0}'\"", "echo own\n"),
            ]
        );
        assert_eq!(found[0].shellcheck_dialect(), Some("bash"));
        assert_eq!(found[5].shellcheck_dialect(), None);
    }

    #[test]
    fn a_workflow_default_applies_to_every_job() {
        let text = "on: push\ndefaults:\n  run:\n    shell: bash\njobs:\n  a:\n    steps:\n      - run: |\n          echo ${{ inputs.x }}\n";
        let found = scripts("w.yml", text).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].shell, "bash --noprofile --norc -eo pipefail {0}");
        assert_eq!(found[0].body, "echo GITHUB_EXPRESSION\n");
        assert_eq!(found[0].line, 9);
    }

    #[test]
    fn a_composite_action_step_names_its_shell() {
        let text = "runs:\n  using: composite\n  steps:\n    - if: always()\n      shell: bash\n      run: find target -type f\n";
        let found = scripts("action.yml", text).unwrap();
        assert_eq!(found[0].shell, "bash --noprofile --norc -eo pipefail {0}");
        assert_eq!(found[0].line, 6);
    }

    #[test]
    fn blocks_this_reader_cannot_reproduce_say_how_to_write_them() {
        let err = scripts("w.yml", "steps:\n  - run: >\n      a\n      b\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "w.yml:2: a folded `run: >` block joins its lines: write `run: |`"
        );
        let err = scripts("w.yml", "steps:\n  - run: \"echo\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "w.yml:2: unterminated double-quoted `run:`: close the quote"
        );
    }

    #[test]
    fn keys_that_only_start_with_run_are_not_scripts() {
        let text = "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - runner: x\n";
        assert!(scripts("w.yml", text).unwrap().is_empty());
    }

    #[test]
    fn expressions_become_one_plain_word() {
        assert_eq!(
            without_expressions("a ${{ x }} b ${{y}}"),
            "a GITHUB_EXPRESSION b GITHUB_EXPRESSION"
        );
        assert_eq!(without_expressions("a ${{ open"), "a ${{ open");
    }

    /// The repository's own workflows and actions, as `(name, text)`.
    fn repository_files() -> Vec<(String, String)> {
        let github = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github");
        let mut out = Vec::new();
        for dir in [github.join("workflows"), github.join("actions/xtask-cache")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
        out
    }

    #[test]
    fn every_run_key_of_the_repository_workflows_is_read_as_a_bash_script() {
        let mut total = 0;
        for (name, text) in repository_files() {
            let found = scripts(&name, &text).unwrap();
            // Every `run:` with a value, counted independently of the reader.
            let keys = text
                .lines()
                .filter(|l| {
                    let t = l.trim_start().trim_start_matches("- ");
                    t.starts_with("run: ") && !t["run: ".len()..].trim().is_empty()
                })
                .count();
            assert_eq!(found.len(), keys, "{name}");
            for script in &found {
                assert_eq!(
                    script.shellcheck_dialect(),
                    Some("bash"),
                    "{name}:{}",
                    script.line
                );
                assert!(!script.body.trim().is_empty(), "{name}:{}", script.line);
            }
            total += found.len();
        }
        assert!(total >= 25, "too few run scripts found: {total}");
    }

    #[test]
    fn every_action_is_pinned_to_a_full_sha_with_its_version() {
        let pinned = regex::Regex::new(
            r"^\s*(- )?uses: (\$/\S+|[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+)$",
        )
        .unwrap();
        for (name, text) in repository_files() {
            for (n, line) in text.lines().enumerate() {
                if line
                    .trim_start()
                    .trim_start_matches("- ")
                    .starts_with("uses:")
                {
                    assert!(pinned.is_match(line), "{name}:{}: {line}", n + 1);
                }
            }
        }
    }
}
