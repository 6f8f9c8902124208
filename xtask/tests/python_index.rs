//! `verify-published --py` against a static PEP 503 index: folders and
//! `index.html` pages served by `python3 -m http.server` on 127.0.0.1. A
//! version counts as published only with its sdist and a wheel for every
//! pattern of `wheels`, none of them yanked (PEP 592).

mod common;

use std::path::Path;

use common::Repo;
use common::registries::Server;

const WHEELS: [&str; 7] = [
    "cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp39-abi3-manylinux_2_17_aarch64.manylinux2014_aarch64",
    "cp39-abi3-musllinux_1_2_x86_64",
    "cp39-abi3-musllinux_1_2_aarch64",
    "cp39-abi3-macosx_10_12_x86_64",
    "cp39-abi3-macosx_11_0_arm64",
    "cp39-abi3-win_amd64",
];

/// The project page of `xtask-e2e-py` listing `files` (`name` or `name yanked`).
fn index(dir: &Path, files: &[String]) {
    let page = dir.join("simple/xtask-e2e-py");
    std::fs::create_dir_all(&page).unwrap();
    let links: String = files
        .iter()
        .map(|f| match f.strip_suffix(" yanked") {
            Some(name) => format!(
                "    <a href=\"../../files/{name}#sha256=00\" data-yanked=\"broken build\">{name}</a><br/>\n"
            ),
            None => format!("    <a href=\"../../files/{f}#sha256=00\">{f}</a><br/>\n"),
        })
        .collect();
    std::fs::write(
        page.join("index.html"),
        format!("<!DOCTYPE html>\n<html>\n  <body>\n{links}  </body>\n</html>\n"),
    )
    .unwrap();
}

fn release_files(version: &str) -> Vec<String> {
    let mut files = vec![format!("xtask_e2e_py-{version}.tar.gz")];
    files.extend(WHEELS.map(|w| format!("xtask_e2e_py-{version}-{w}.whl")));
    files
}

/// The publish fixture with the default `wheels` (the release guide's seven).
fn repo() -> Repo {
    let repo = Repo::new("publish");
    repo.replace("Cargo.toml", "wheels = [\"*\"]\n", "");
    repo
}

fn verify(repo: &Repo, server: &Server) -> common::Run {
    repo.xtask(&[
        "verify-published",
        "--py",
        "--index-url",
        &server.url,
        "--timeout",
        "0",
    ])
}

/// `verify-published --py VERSION`, once (no waiting).
fn verify_version(repo: &Repo, server: &Server, version: &str) -> common::Run {
    repo.xtask(&[
        "verify-published",
        "--py",
        version,
        "--index-url",
        &server.url,
        "--timeout",
        "0",
    ])
}

/// `verify-published --py` finds 0.1.0 complete at once.
fn available(repo: &Repo, server: &Server) {
    let run = verify(repo, server);
    run.success();
    let stderr = run.stderr();
    assert!(
        stderr.contains(&format!("Available xtask-e2e-py 0.1.0 on {}", server.url)),
        "{stderr}"
    );
}

#[test]
fn every_promised_wheel_and_the_sdist_make_a_release_published() {
    let repo = repo();
    let dir = repo.base.join("index");
    // Four versions: complete; no Windows wheel; no sdist; all yanked.
    let mut files = release_files("0.1.0");
    files.extend(release_files("0.0.9"));
    files.extend(release_files("0.0.8").into_iter().skip(1));
    files.extend(
        release_files("0.0.7")
            .into_iter()
            .map(|f| format!("{f} yanked")),
    );
    files.retain(|f| f != "xtask_e2e_py-0.0.9-cp39-abi3-win_amd64.whl");
    index(&dir, &files);
    let server = Server::serve(&dir);

    available(&repo, &server);

    let err = verify_version(&repo, &server, "0.0.9").failure();
    assert!(
        err.contains(&format!(
            "error: not published after 0s: xtask-e2e-py 0.0.9 on {} (missing xtask_e2e_py-0.0.9-*-abi3-win_amd64.whl)",
            server.url
        )),
        "{err}"
    );
    let err = verify_version(&repo, &server, "0.0.8").failure();
    assert!(err.contains("(missing xtask_e2e_py-0.0.8.tar.gz)"), "{err}");
    let err = verify_version(&repo, &server, "0.0.7").failure();
    assert!(
        err.contains("missing xtask_e2e_py-0.0.7.tar.gz (yanked), xtask_e2e_py-0.0.7-*-abi3-manylinux*_x86_64.whl (yanked)"),
        "{err}"
    );
    // A version the index has never seen names every artifact.
    let err = verify_version(&repo, &server, "0.2.0").failure();
    assert!(err.matches(".whl").count() >= 7, "{err}");
}

#[test]
fn a_private_index_gets_the_credentials_of_its_url_as_basic_auth() {
    let repo = repo();
    let dir = repo.base.join("index");
    index(&dir, &release_files("0.1.0"));
    let server = Server::serve_with_basic_auth(&dir, "reader", "SECRET-pw");
    let run = verify(&repo, &server);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(run.ok(), "{out}");
    assert!(
        out.contains("Available xtask-e2e-py 0.1.0 on http://***@127.0.0.1:"),
        "{out}"
    );
    assert!(!out.contains("SECRET"), "{out}");
    // A wrong password is the index's 401, said without the password.
    let wrong = server.url.replace("SECRET-pw", "SECRET-wrong");
    let args = [
        "verify-published",
        "--py",
        "--index-url",
        &wrong,
        "--timeout",
        "0",
    ];
    let err = repo.xtask(&args).failure();
    assert!(err.contains("HTTP 401"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn wheels_are_configured_per_python_package() {
    let repo = repo();
    let dir = repo.base.join("index");
    let mut files = release_files("0.1.0");
    files.retain(|f| !f.contains("musllinux"));
    index(&dir, &files);
    let server = Server::serve(&dir);
    let err = verify(&repo, &server).failure();
    assert!(
        err.contains(
            "musllinux_1_2_x86_64.whl, xtask_e2e_py-0.1.0-*-abi3-musllinux_1_2_aarch64.whl"
        ),
        "{err}"
    );

    // This project ships no musl wheels: it says so, and is published.
    repo.replace(
        "Cargo.toml",
        "pyproject = \"e2e-py/pyproject.toml\"",
        "pyproject = \"e2e-py/pyproject.toml\"\nwheels = [\"*-abi3-manylinux*\", \"*-abi3-macosx_*\", \"*-abi3-win_amd64\"]",
    );
    available(&repo, &server);

    // A crate has no wheels.
    repo.replace(
        "Cargo.toml",
        "changelog = \"CHANGELOG.md\"",
        "changelog = \"CHANGELOG.md\"\nwheels = [\"*\"]",
    );
    let err = repo.xtask(&["versions"]).failure();
    assert!(
        err.contains("`wheels` is for a Python package (one with a pyproject.toml): remove it from `xtask-e2e-core`"),
        "{err}"
    );
}

#[test]
fn the_built_files_cover_every_promised_wheel() {
    let repo = repo();
    let dist = repo.base.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    for file in release_files("0.1.0") {
        std::fs::write(dist.join(file), "").unwrap();
    }
    let dir = dist.display().to_string();
    let out = repo
        .xtask(&["gh", "verify-dist", &dir, "--package", "py"])
        .success();
    assert_eq!(out, "files=8\n");
    std::fs::remove_file(dist.join("xtask_e2e_py-0.1.0-cp39-abi3-win_amd64.whl")).unwrap();
    let err = repo
        .xtask(&["gh", "verify-dist", &dir, "--package", "py"])
        .failure();
    assert!(
        err.contains(&format!("error: {dir} lacks xtask_e2e_py-0.1.0-*-abi3-win_amd64.whl: build a wheel for each `wheels` pattern of xtask-e2e-py (the workflow's matrix), or drop the pattern from `wheels`")),
        "{err}"
    );
    let err = repo
        .xtask(&["gh", "verify-dist", &dir, "--package", "rust"])
        .failure();
    assert!(
        err.contains("xtask-e2e-core is not a Python package"),
        "{err}"
    );
}

/// `status --py` with gh signed out (no configuration, no token).
fn status(repo: &Repo, server: &Server) -> common::Run {
    let gh = repo.base.join("gh-config");
    std::fs::create_dir_all(&gh).unwrap();
    let gh = gh.display().to_string();
    repo.xtask_env(
        &["status", "--py", "--index-url", &server.url],
        &[
            ("GH_CONFIG_DIR", &gh),
            ("GH_TOKEN", ""),
            ("GITHUB_TOKEN", ""),
        ],
    )
}

/// The index's line of a status table.
fn registry_line(out: &str, server: &Server) -> String {
    let what = format!("xtask-e2e-py 0.1.0 on {}", server.url);
    out.lines()
        .find(|l| l.contains(&what))
        .unwrap_or_else(|| panic!("no `{what}` line in\n{out}"))
        .to_string()
}

/// Half a Python release on its index: the sdist and one of the two wheels
/// the configuration promises. `status --py` names the missing wheel, and
/// only it, exits non-zero and names the command that uploads it; with the
/// wheel there the index's line is ok.
#[test]
fn status_names_the_wheel_a_half_published_release_lacks() {
    let repo = Repo::new("publish");
    repo.replace(
        "Cargo.toml",
        "wheels = [\"*\"]",
        "wheels = [\"*-abi3-manylinux*_x86_64\", \"*-abi3-win_amd64\"]",
    );
    repo.git(&["commit", "-qam", "chore: two wheels"]);
    repo.git(&["tag", "-a", "py-v0.1.0", "-m", "xtask-e2e-py 0.1.0"]);
    repo.git(&["push", "-q", "origin", "main", "py-v0.1.0"]);
    let dir = repo.base.join("index");
    let mut files = vec![
        "xtask_e2e_py-0.1.0.tar.gz".to_string(),
        format!("xtask_e2e_py-0.1.0-{}.whl", WHEELS[6]),
    ];
    index(&dir, &files);
    let server = Server::serve(&dir);

    let run = status(&repo, &server);
    assert!(!run.ok(), "a wheel is missing");
    let out = run.stdout();
    let line = registry_line(&out, &server);
    assert!(
        line.contains(" MISSING ")
            && line.ends_with("  xtask_e2e_py-0.1.0-*-abi3-manylinux*_x86_64.whl"),
        "only the missing wheel is named:\n{out}"
    );
    assert!(
        out.contains(&format!("  next: git -C {dir} checkout py-v0.1.0 && cargo xtask --root {dir} publish py --execute, on the platform of each missing wheel", dir = repo.dir.display())),
        "{out}"
    );

    // The wheel uploaded: the index is complete; GitHub is still unknown.
    files.push(format!("xtask_e2e_py-0.1.0-{}.whl", WHEELS[0]));
    index(&dir, &files);
    let run = status(&repo, &server);
    assert!(!run.ok(), "gh is signed out: GitHub is unknown");
    let out = run.stdout();
    let line = registry_line(&out, &server);
    assert!(line.contains(" ok"), "{out}");
    assert!(!out.contains("MISSING"), "{out}");
    assert!(out.contains("  next: find out first: gh"), "{out}");
}
