//! The workflows fetch what they need: a job whose xtask command reads tags
//! or history (`check`, `release`, `preflight`, `gh release-commit`, …)
//! checks out with `fetch-depth: 0`. A shallow checkout (the default) has
//! no tags: the xtask would compare with nothing, or refuse.

use std::path::Path;

/// The xtask commands that read tags or history.
const READS_TAGS: [&str; 11] = [
    "cargo xtask check",
    "cargo xtask release",
    "cargo xtask preflight",
    "cargo xtask versions",
    "cargo xtask bump",
    "cargo xtask sync",
    "cargo xtask gh release-commit",
    "cargo xtask changelog lint",
    "cargo xtask changelog generate",
    "cargo xtask changelog suggest",
    "cargo xtask change --check",
];

/// `(file, job, text)` of every job of every workflow.
fn jobs() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let mut in_jobs = false;
        for line in text.lines() {
            if !line.starts_with(' ') && !line.is_empty() && !line.starts_with('#') {
                in_jobs = line.trim_end() == "jobs:";
                continue;
            }
            let job = line
                .strip_prefix("  ")
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
                .and_then(|l| l.trim_end().strip_suffix(':'));
            match job {
                Some(job) if in_jobs => out.push((name.clone(), job.to_string(), String::new())),
                _ => {
                    if let Some(last) = out.last_mut().filter(|_| in_jobs) {
                        last.2.push_str(line);
                        last.2.push('\n');
                    }
                }
            }
        }
    }
    out
}

#[test]
fn jobs_that_read_tags_check_out_the_whole_history() {
    let jobs = jobs();
    assert!(jobs.len() >= 5, "no jobs found: {jobs:?}");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (file, job, text) in &jobs {
        let Some(command) = READS_TAGS.iter().find(|c| text.contains(*c)) else {
            continue;
        };
        checked += 1;
        if !text.contains("actions/checkout") || !text.contains("fetch-depth: 0") {
            problems.push(format!(
                "{file} job `{job}` runs `{command}` but its checkout is shallow: add `fetch-depth: 0` under `with:` of actions/checkout"
            ));
        }
    }
    assert!(checked >= 3, "too few jobs read tags: {checked}");
    assert!(problems.is_empty(), "{problems:#?}");
}
