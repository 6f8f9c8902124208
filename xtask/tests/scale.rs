//! What a command costs in a repository grown large: the tags are read once
//! per command, and only those of the configured series (issue 31, item 1).
//! A `git` first on PATH logs each call: `check`, `versions`, the release
//! dry run and `changelog lint` each ask `for-each-ref` for the series'
//! prefixes alone, never for every tag (`git tag --list`, `--merged HEAD`,
//! `--points-at HEAD` or `refs/tags` all read every tag, which in a
//! monorepo's years of per-crate tagging is 100,000 of them).

mod common;

use common::Repo;
use common::git_log::{calls, logging_git};

const PATTERNS: [&str; 2] = ["refs/tags/v[0-9]*", "refs/tags/py-v[0-9]*"];

/// The `workspace` fixture released (`v0.4.0`, `py-v0.3.0`), with 600
/// packed tags of other crates (some sharing a prefix of ours: `vendor-…`,
/// `py-vx-…`), a tag at a blob above the crate's version (no release, and
/// no warning) and a fix since.
fn tagged() -> Repo {
    let repo = Repo::released();
    let head = repo.git(&["rev-parse", "HEAD~1"]);
    let blob = repo.git(&["rev-parse", "HEAD:README.md"]);
    let mut stdin = String::new();
    for k in 0..600 {
        let name = ["vendor", "py-vx", "tools", "zed"][k % 4];
        stdin.push_str(&format!(
            "create refs/tags/{name}-v0.{}.{} {}\n",
            k / 4,
            k % 4,
            head.trim()
        ));
    }
    stdin.push_str(&format!("create refs/tags/v9.0.0 {}\n", blob.trim()));
    let mut cmd = std::process::Command::new("git");
    cmd.args(["update-ref", "--stdin"])
        .current_dir(&repo.dir)
        .stdin(std::process::Stdio::piped());
    repo.env(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["pack-refs", "--all"]);
    assert_eq!(repo.git(&["tag", "--list"]).lines().count(), 603);
    repo
}

/// The git calls of `args`, and the run.
fn logged(repo: &Repo, args: &[&str]) -> (common::Run, Vec<Vec<String>>) {
    let log = repo.base.join(format!("git-{}.log", args.join("-")));
    let path = logging_git(&repo.base, &log);
    let run = repo.xtask_env(args, &[("PATH", path.as_str())]);
    (run, calls(&log))
}

/// The calls that read tags: `for-each-ref` and `git tag` (a name of one
/// tag after `--end-of-options` is a look-up, not a listing).
fn tag_reads(calls: &[Vec<String>]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| c.first().is_some_and(|a| a == "for-each-ref" || a == "tag"))
        .map(|c| c.join(" "))
        .collect()
}

/// Whether a tag read names the series' patterns and nothing wider.
fn by_series(read: &str) -> bool {
    read.starts_with("for-each-ref ")
        && read.ends_with(&format!("--end-of-options {}", PATTERNS.join(" ")))
}

#[test]
fn each_command_reads_only_the_series_tags_once() {
    let repo = tagged();
    for args in [
        &["versions"][..],
        &["release"],
        &["release", "--rust", "patch"],
        &["changelog", "lint"],
    ] {
        let (run, calls) = logged(&repo, args);
        run.success();
        let reads = tag_reads(&calls);
        assert_eq!(reads.len(), 1, "{args:?}: {reads:#?}");
        assert!(by_series(&reads[0]), "{args:?}: {reads:#?}");
    }
    // `check` also asks which of them HEAD's history contains.
    let (run, calls) = logged(&repo, &["check"]);
    let reads = tag_reads(&calls);
    assert_eq!(reads.len(), 2, "{reads:#?}\n{}", run.stderr());
    assert!(reads.iter().all(|r| by_series(r)), "{reads:#?}");
    assert!(
        reads[1].starts_with("for-each-ref --merged HEAD "),
        "{reads:#?}"
    );
}

#[test]
fn the_series_tags_are_found_among_many_others() {
    let repo = tagged();
    let table = repo.xtask(&["versions"]).success();
    let tag_rows: Vec<&str> = table.lines().filter(|l| l.contains(" tag ")).collect();
    assert_eq!(tag_rows.len(), 2, "{table}");
    assert!(tag_rows[0].contains("v0.4.0"), "{table}");
    assert!(tag_rows[1].contains("py-v0.3.0"), "{table}");
    // The tag at a blob is no release: not the previous one, not "above".
    let run = repo.xtask(&["check"]);
    run.success();
    assert!(!run.stderr().contains("v9.0.0"), "{}", run.stderr());
    let plan = repo.xtask(&["release", "--rust", "patch"]).success();
    assert!(plan.contains("since v0.4.0"), "{plan}");
    assert!(plan.contains("git tag --annotate v0.4.1"), "{plan}");
}

/// A Keep a Changelog file of about `bytes` bytes: many releases, newest
/// first, each with its compare link at the bottom, and an entry waiting.
fn big_changelog(bytes: usize) -> (String, String) {
    const URL: &str = "https://github.com/example/big";
    let version = |k: usize| format!("{}.{}.{}", k / 10_000, (k / 100) % 100, k % 100);
    let section = |k: usize| {
        format!(
            "## [{}] - 2024-05-{:02}\n\n### Added\n\n- **core**: stream retries keep the request's headers ([#{k}]({URL}/pull/{k}))\n- budget limits per provider, read from the configuration ([#{}]({URL}/pull/{}))\n\n### Fixed\n\n- a timeout no longer drops the response\n\n",
            version(k),
            1 + k % 28,
            k + 1,
            k + 1
        )
    };
    let per = section(5000).len() + 90;
    let n = bytes / per;
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("# Changelog\n\nAll notable changes are documented here.\n\n## [Unreleased]\n\n### Fixed\n\n- the big changelog's release\n\n");
    for k in (1..n).rev() {
        out.push_str(&section(k));
    }
    out.push_str(&format!(
        "[Unreleased]: {URL}/compare/v{}...HEAD\n",
        version(n - 1)
    ));
    for k in (1..n).rev() {
        out.push_str(&format!(
            "[{}]: {URL}/compare/v{}...v{}\n",
            version(k),
            version(k - 1),
            version(k)
        ));
    }
    (out, version(n - 1))
}

/// The peak resident memory of the command, in bytes, from the `rusage`
/// `wait4` gives when it reaps the child (Linux).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes, reason = "wait4 reaps it")]
fn peak_rss(mut cmd: std::process::Command) -> (i32, u64) {
    use std::os::raw::{c_int, c_long};
    #[repr(C)]
    struct Rusage {
        times: [c_long; 4],
        maxrss: c_long,
        rest: [c_long; 13],
    }
    unsafe extern "C" {
        fn wait4(pid: c_int, status: *mut c_int, options: c_int, rusage: *mut Rusage) -> c_int;
    }
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // A vforked child (std's default) starts from this process's high-water
    // RSS, the generated file's included: a hook forces a real fork, whose
    // copy holds only what this process holds now.
    use std::os::unix::process::CommandExt;
    // SAFETY: the hook does nothing, so it is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
    let child = cmd.spawn().unwrap();
    let mut status = 0;
    let mut usage = Rusage {
        times: [0; 4],
        maxrss: 0,
        rest: [0; 13],
    };
    // SAFETY: our unreaped child, and pointers to live locals.
    let got = unsafe { wait4(child.id() as c_int, &mut status, 0, &mut usage) };
    assert_eq!(got, child.id() as c_int);
    ((status >> 8) & 0xff, usage.maxrss as u64 * 1024)
}

/// The release dry run of a crate whose changelog is 48 MB holds it once:
/// the promotion is ranges over the text read and the diff is made from
/// them, so the peak memory stays within twice the file's size (it was
/// eight times: the text, a copy per edit, the promoted copy, the diff's
/// line tables and its search over every line).
#[cfg(target_os = "linux")]
#[test]
fn a_dry_run_holds_a_big_changelog_once() {
    let (changelog, newest) = big_changelog(48 * 1024 * 1024);
    let manifest = format!(
        "[package]\nname = \"big\"\nversion = \"{newest}\"\nedition = \"2021\"\nrepository = \"https://github.com/example/big\"\n"
    );
    let repo = Repo::from_files(
        "big-changelog",
        &[
            ("Cargo.toml".into(), manifest),
            ("src/lib.rs".into(), String::new()),
            ("CHANGELOG.md".into(), changelog.clone()),
        ],
    );
    let size = changelog.len() as u64;
    drop(changelog);
    let cmd = repo.command(&[], &["release", "--rust", "patch"], &[]);
    let (code, peak) = peak_rss(cmd);
    assert_eq!(code, 0);
    let ratio = peak as f64 / size as f64;
    assert!(
        ratio <= 2.0,
        "peak RSS {peak} is {ratio:.2}x the changelog's {size} bytes"
    );
    // The plan is the one a whole-file diff gives: a section, two links.
    let plan = repo.xtask(&["release", "--rust", "patch"]).success();
    let new = next_patch(&newest);
    let url = "https://github.com/example/big/compare";
    for line in [
        format!("@@ -4,6 +4,8 @@\n \n ## [Unreleased]\n \n+## [{new}] - "),
        format!(
            "-[Unreleased]: {url}/v{newest}...HEAD\n+[Unreleased]: {url}/v{new}...HEAD\n+[{new}]: {url}/v{newest}...v{new}\n [{newest}]: "
        ),
    ] {
        let head = &plan[..plan.len().min(3000)];
        assert!(plan.contains(&line), "{line}\n{head}");
    }
}

/// The next patch of `version`.
fn next_patch(version: &str) -> String {
    let mut parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    parts[2] += 1;
    format!("{}.{}.{}", parts[0], parts[1], parts[2])
}

/// A `cargo` first on PATH whose `install` builds a fake tool (a script
/// answering `<name> <version>`) into its `--root`, slowly enough for two
/// installs to overlap, and logs each install; anything else goes to the
/// real cargo.
fn fake_cargo(base: &std::path::Path, log: &std::path::Path) -> String {
    let bin = base.join("cargo-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let real = std::process::Command::new("sh")
        .args(["-c", "command -v cargo"])
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap();
    let script = format!(
        r#"#!/bin/sh
if [ "$1" = install ]; then
  echo "$*" >> "{log}"
  root=""; name=""; version=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --root) root="$2"; shift ;;
      --version) version="$2"; shift ;;
      install|--locked) ;;
      *) name="$1" ;;
    esac
    shift
  done
  mkdir -p "$root/bin"
  # What cargo says when the folder it installs into is not on PATH.
  case ":$PATH:" in *":$root/bin:"*) ;; *) echo "warning: be sure to add \`$root/bin\` to your PATH" >&2 ;; esac
  sleep 1
  printf '#!/bin/sh\necho "%s %s"\n' "$name" "$version" > "$root/bin/$name"
  chmod +x "$root/bin/$name"
  exit 0
fi
exec "{real}" "$@"
"#,
        log = log.display(),
        real = real.trim()
    );
    common::install_hook(&bin.join("cargo"), &script);
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
}

/// The tools the project builds for itself are built once per machine: a
/// second clone finds cargo-semver-checks in the per-user cache
/// (`$CARGO_HOME/xtask-tools/cargo-semver-checks-0.51.0/`), two clones
/// installing at once leave one working tool, a broken cached one (another
/// version answering) is built again, and `XTASK_TOOLS` still wins.
#[test]
fn tools_are_built_once_per_machine_and_never_trusted_blindly() {
    let (one, two) = (Repo::new("single"), Repo::new("single"));
    let log = one.base.join("installs.log");
    let path = fake_cargo(&one.base, &log);
    let cargo_home = one.base.join("cargo-home");
    let env = |home: &std::path::Path| {
        vec![
            ("PATH", path.clone()),
            ("CARGO_HOME", home.display().to_string()),
            // Empty: unset, so the per-user cache under CARGO_HOME is used.
            ("XTASK_TOOLS", String::new()),
        ]
    };
    let installs = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let api = |repo: &Repo, env: &[(&str, String)]| {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        repo.xtask_env(&["api", "--install"], &env)
    };
    let tool = cargo_home.join("xtask-tools/cargo-semver-checks-0.51.0/bin/cargo-semver-checks");
    // Two clones at once: one tool in place, never half of one.
    let started: Vec<std::process::Child> = [&one, &two]
        .iter()
        .map(|repo| {
            let mut cmd = repo.command(&[], &["api", "--install"], &[]);
            cmd.envs(env(&cargo_home));
            cmd.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            cmd.spawn().unwrap()
        })
        .collect();
    for mut child in started {
        assert!(child.wait().unwrap().success());
    }
    assert!(tool.is_file(), "{}", tool.display());
    let entries: Vec<String> = std::fs::read_dir(cargo_home.join("xtask-tools"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        entries,
        ["cargo-semver-checks-0.51.0"],
        "no temporary folder left"
    );
    let before = installs();
    assert!((1..=2).contains(&before), "{before}");
    // A later clone builds nothing.
    let three = Repo::new("single");
    api(&three, &env(&cargo_home)).success();
    assert_eq!(installs(), before);
    assert!(!three.dir.join("target/e2e-tools").exists());
    // Another version answering is a broken tool: built again.
    std::fs::write(&tool, "#!/bin/sh\necho 'cargo-semver-checks 0.50.0'\n").unwrap();
    let rebuilt = api(&three, &env(&cargo_home));
    let stderr = rebuilt.stderr();
    rebuilt.success();
    assert_eq!(installs(), before + 1);
    // Installed into a folder on PATH for the install: cargo asks for no PATH change.
    assert!(stderr.contains("Installing"), "{stderr}");
    assert!(!stderr.contains("be sure to add"), "{stderr}");
    let answer = std::process::Command::new(&tool)
        .args(["semver-checks", "--version"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&answer.stdout).trim(),
        "cargo-semver-checks 0.51.0"
    );
    // XTASK_TOOLS names another folder, which is used as it is.
    let own = one.base.join("own-tools");
    std::fs::create_dir_all(own.join("bin")).unwrap();
    common::install_hook(
        &own.join("bin/cargo-semver-checks"),
        "#!/bin/sh\necho 'cargo-semver-checks 0.51.0'\n",
    );
    let mut with_own = env(&one.base.join("other-home"));
    with_own.push(("XTASK_TOOLS", own.display().to_string()));
    api(&three, &with_own).success();
    assert_eq!(installs(), before + 1);
    assert!(!one.base.join("other-home").exists());
}
