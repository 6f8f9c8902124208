//! The commands `publish` runs, built as data from the package, the
//! registry and the venv: pure, so what is printed and run is unit-tested.
//!
//! Floor: publishing, the registries (lookups, the commands that upload) and
//! the plans `publish` runs.
//! Uses: model, text, adapters, out.

pub mod artifacts;
pub mod crate_run;
pub mod order;
pub mod presence;
pub mod registry;
pub mod status;
pub mod wait;

use std::path::{Path, PathBuf};

use crate::adapters::run_plan::Step;
use crate::model::locks::CargoRoot;
use crate::publish::order::Node;
use crate::publish::registry::CrateRegistry;

/// `publish crate`: pack the group, then each crate in order: ask the
/// registry, upload (or one `--dry-run` of those it lacks), and wait for it
/// when crates after it need it.
pub struct CratePlan {
    /// `cargo package` of every crate of the group at once: cargo packs each
    /// against the crates packed with it, before any is on the registry.
    pub package: Step,
    pub crates: Vec<CrateSteps>,
    /// What the upload does, under its line.
    pub upload_note: String,
    pub execute: bool,
    /// The Cargo workspace the group is packed and published from.
    pub root: CargoRoot,
}

/// One crate of the group.
pub struct CrateSteps {
    pub node: Node,
    /// The lookup `registry::crate_published` runs.
    pub query: Step,
    /// Its upload (`--execute`), or the dry run of the crates still missing.
    pub publish: Step,
    /// Crates after it need it: wait until the registry serves it.
    pub wait: bool,
}

pub fn crate_plan(
    order: &[Node],
    version: &str,
    registry: &CrateRegistry,
    execute: bool,
    root: &CargoRoot,
) -> CratePlan {
    let names: Vec<&str> = order.iter().map(|n| n.name.as_str()).collect();
    let package = Step::new("cargo", &["package"])
        .args(root.locked_arg())
        .args(names.iter().flat_map(|n| ["-p".to_string(), n.to_string()]))
        .args(registry.args())
        .args(root.manifest_arg());
    let crates = order
        .iter()
        .map(|node| CrateSteps {
            node: node.clone(),
            query: registry::crate_query(registry, &node.name, version),
            publish: publish_step(&[&node.name], registry, execute, root),
            wait: order.iter().any(|n| n.needs.contains(&node.name)),
        })
        .collect();
    let upload_note = if execute {
        format!(
            "upload, with the token from {} (never printed)",
            registry.token_env()
        )
    } else {
        "dry run: packs and verifies, uploads nothing (pass --execute to upload)".into()
    };
    CratePlan {
        package,
        crates,
        upload_note,
        execute,
        root: root.clone(),
    }
}

/// `cargo publish` of `names` (several at once only in a dry run, where
/// cargo verifies each against the others), in the Cargo workspace `root`.
pub fn publish_step(
    names: &[&str],
    registry: &CrateRegistry,
    execute: bool,
    root: &CargoRoot,
) -> Step {
    let step = Step::new("cargo", &["publish"])
        .args(root.locked_arg())
        .args(names.iter().flat_map(|n| ["-p".to_string(), n.to_string()]))
        .args(registry.args())
        .args(root.manifest_arg());
    match execute {
        true => step,
        false => step.arg("--dry-run"),
    }
}

impl CratePlan {
    /// The plan's lines: the pack, then per crate its lookup, its upload
    /// and its wait; a dry run's one upload line after the lookups.
    pub fn lines(&self, registry: &CrateRegistry, timeout_secs: u64) -> Vec<(String, String)> {
        let mut lines = vec![(String::new(), self.package.line())];
        let skip = "skip the upload when the registry already has this version".to_string();
        for c in &self.crates {
            lines.push((skip.clone(), c.query.line()));
            if self.execute {
                lines.push((self.upload_note.clone(), c.publish.line()));
            }
            if self.execute && c.wait {
                lines.push((
                    format!("the crates that need {} wait for it", c.node.name),
                    format!(
                        "wait until {registry} serves {} (the lookup again, up to {timeout_secs}s)",
                        c.node.name
                    ),
                ));
            }
        }
        if !self.execute {
            let names: Vec<&str> = self.crates.iter().map(|c| c.node.name.as_str()).collect();
            let mut note = self.upload_note.clone();
            if names.len() > 1 {
                note.push_str("; only the crates the registry lacks");
            }
            lines.push((
                note,
                publish_step(&names, registry, false, &self.root).line(),
            ));
        }
        lines
    }
}

/// Where `publish py` builds and uploads.
pub struct PyTarget<'a> {
    pub maturin: &'a Path,
    pub python: &'a Path,
    pub manifest: &'a Path,
    pub dist: &'a Path,
    /// The folder `cargo xtask ci` builds the binding in.
    pub target_dir: PathBuf,
    pub upload_url: &'a str,
    pub execute: bool,
}

/// `publish py`: the sdist and the wheel, then twine on the files the index lacks.
pub struct PyPlan {
    pub sdist: Step,
    pub wheel: Step,
    /// Twine without its files: `upload` adds them once they are known.
    twine: Step,
    pub upload_note: &'static str,
}

/// Stands for the files in the plan, before they are built and looked up.
pub const FILES: &str = "FILE...";

pub fn py_plan(to: &PyTarget) -> PyPlan {
    let path = |p: &Path| p.display().to_string();
    let sdist = Step::new(path(to.maturin), &["sdist", "--manifest-path"])
        .arg(path(to.manifest))
        .arg("--out")
        .arg(path(to.dist));
    // pyo3 is built for an extension module there, apart from `target/`.
    let wheel = Step::new(path(to.maturin), &["build", "--release", "--manifest-path"])
        .arg(path(to.manifest))
        .arg("--interpreter")
        .arg(path(to.python))
        .arg("--out")
        .arg(path(to.dist))
        .env("CARGO_TARGET_DIR", to.target_dir.clone());
    let verb = if to.execute { "upload" } else { "check" };
    let mut twine = Step::new(path(to.python), &["-m", "twine", verb]);
    if to.execute {
        twine = twine.args(["--non-interactive", "--disable-progress-bar"].map(String::from));
        // Files already on the index are left out before twine runs (any
        // index); twine's own --skip-existing also covers a race with
        // another upload, but twine accepts it for PyPI only.
        if to.upload_url.contains("pypi.org") {
            twine = twine.arg("--skip-existing");
        }
        twine = twine.arg("--repository-url").arg(to.upload_url);
    }
    let upload_note = if to.execute {
        "FILE...: the built files the index does not list; credentials from TWINE_USERNAME / TWINE_PASSWORD (never printed)"
    } else {
        "FILE...: the built files the index does not list; a dry run checks them, uploads nothing (pass --execute to upload)"
    };
    PyPlan {
        sdist,
        wheel,
        twine,
        upload_note,
    }
}

impl PyPlan {
    /// The twine command for the plan, its files still to be named.
    pub fn upload_template(&self) -> Step {
        self.twine.clone().arg(FILES)
    }

    /// The twine command that runs, on exactly `files`.
    pub fn upload(&self, files: &[&PathBuf]) -> Step {
        self.twine
            .clone()
            .args(files.iter().map(|f| f.display().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(upload_url: &str, execute: bool) -> PyTarget<'_> {
        PyTarget {
            maturin: Path::new("/v/bin/maturin"),
            python: Path::new("/v/bin/python"),
            manifest: Path::new("/w/py/Cargo.toml"),
            dist: Path::new("/w/dist"),
            target_dir: "/w/target/maturin".into(),
            upload_url,
            execute,
        }
    }

    #[test]
    fn the_py_plan_builds_both_files_then_uploads_exactly_the_missing_ones() {
        let plan = py_plan(&target("http://127.0.0.1:8/", true));
        assert_eq!(
            plan.sdist.line(),
            "/v/bin/maturin sdist --manifest-path /w/py/Cargo.toml --out /w/dist"
        );
        assert_eq!(
            plan.wheel.line(),
            "CARGO_TARGET_DIR=/w/target/maturin /v/bin/maturin build --release --manifest-path /w/py/Cargo.toml --interpreter /v/bin/python --out /w/dist"
        );
        let twine = "/v/bin/python -m twine upload --non-interactive --disable-progress-bar --repository-url http://127.0.0.1:8/";
        assert_eq!(plan.upload_template().line(), format!("{twine} FILE..."));
        let files = [
            PathBuf::from("/w/dist/a.whl"),
            PathBuf::from("/w/dist/a.tar.gz"),
        ];
        let upload = plan.upload(&files.iter().collect::<Vec<_>>());
        assert_eq!(
            upload.line(),
            format!("{twine} /w/dist/a.whl /w/dist/a.tar.gz")
        );
    }

    #[test]
    fn twine_skips_existing_files_itself_only_on_pypi_and_checks_in_a_dry_run() {
        let pypi = py_plan(&target("https://upload.pypi.org/legacy/", true));
        assert!(
            pypi.upload_template()
                .args
                .contains(&"--skip-existing".to_string())
        );
        let dry = py_plan(&target("https://upload.pypi.org/legacy/", false));
        assert_eq!(
            dry.upload_template().line(),
            "/v/bin/python -m twine check FILE..."
        );
    }

    fn node(name: &str, needs: &[&str]) -> Node {
        Node {
            name: name.into(),
            needs: needs.iter().map(|n| n.to_string()).collect(),
        }
    }

    fn lines(plan: &CratePlan, registry: &CrateRegistry) -> Vec<String> {
        plan.lines(registry, 300)
            .into_iter()
            .map(|(note, line)| format!("{line} | {note}"))
            .collect()
    }

    #[test]
    fn the_crate_plan_is_a_dry_run_unless_executed() {
        let registry = CrateRegistry::Named("local".into());
        let dry = crate_plan(
            &[node("core", &[])],
            "0.1.0",
            &registry,
            false,
            &CargoRoot::here(),
        );
        assert_eq!(
            lines(&dry, &registry),
            [
                "cargo package --locked -p core --registry local | ",
                "cargo info core@0.1.0 --registry local | skip the upload when the registry already has this version",
                "cargo publish --locked -p core --registry local --dry-run | dry run: packs and verifies, uploads nothing (pass --execute to upload)",
            ]
        );
        let real = crate_plan(
            &[node("core", &[])],
            "0.1.0",
            &registry,
            true,
            &CargoRoot::here(),
        );
        assert_eq!(
            real.crates[0].publish.line(),
            "cargo publish --locked -p core --registry local"
        );
        assert_eq!(
            real.upload_note,
            "upload, with the token from CARGO_REGISTRIES_LOCAL_TOKEN (never printed)"
        );
    }

    #[test]
    fn a_group_is_packed_together_and_published_in_order_each_waited_for_by_its_dependents() {
        let registry = CrateRegistry::Named("local".into());
        let order = [node("mem", &[]), node("disk", &["mem"])];
        let real = crate_plan(&order, "0.4.0", &registry, true, &CargoRoot::here());
        let token = "upload, with the token from CARGO_REGISTRIES_LOCAL_TOKEN (never printed)";
        let skip = "skip the upload when the registry already has this version";
        assert_eq!(
            lines(&real, &registry),
            [
                "cargo package --locked -p mem -p disk --registry local | ".to_string(),
                format!("cargo info mem@0.4.0 --registry local | {skip}"),
                format!("cargo publish --locked -p mem --registry local | {token}"),
                "wait until registry `local` serves mem (the lookup again, up to 300s) | the crates that need mem wait for it".into(),
                format!("cargo info disk@0.4.0 --registry local | {skip}"),
                format!("cargo publish --locked -p disk --registry local | {token}"),
            ]
        );
        let dry = crate_plan(&order, "0.4.0", &registry, false, &CargoRoot::here());
        assert_eq!(
            lines(&dry, &registry).last().unwrap(),
            "cargo publish --locked -p mem -p disk --registry local --dry-run | dry run: packs and verifies, uploads nothing (pass --execute to upload); only the crates the registry lacks"
        );
    }
}
