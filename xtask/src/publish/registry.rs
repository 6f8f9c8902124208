//! Asking the registries what they serve: the crate index through cargo
//! (`cargo info NAME@VERSION`, which reads sparse, git and file indexes
//! alike, with cargo's own configuration and credentials), and a Python
//! simple index (PEP 503) through the venv's Python and its urllib.

use std::path::Path;

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::adapters::run_plan::Step;
use crate::model::config::{CRATES_IO_INDEX, Registries};
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::toml;

/// The name a package goes by on its registry: `[project] name` of its
/// `pyproject.toml`, else the Cargo package name.
pub fn project_name(ws: &Workspace, package: &Package) -> Result<String> {
    let Some(path) = &package.pyproject else {
        return Ok(package.name.clone());
    };
    let text = ws.files.text(path);
    let doc = toml::parse(path, text)?;
    Ok(toml::get_str(path, text, &doc, &["project", "name"])?
        .map_or_else(|| package.name.clone(), |s| s.value))
}

/// Where crates go: a registry named in cargo's configuration, or an index URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrateRegistry {
    Named(String),
    Index(String),
}

impl CrateRegistry {
    /// `--registry NAME` beats `--index URL`, which beats the configuration.
    /// The crates.io index is cargo's `crates-io` registry, so cargo reads
    /// `CARGO_REGISTRY_TOKEN` for it.
    pub fn choose(config: &Registries, name: Option<&str>, index: Option<&str>) -> CrateRegistry {
        match (name, index, &config.crate_registry) {
            (Some(name), _, _) => CrateRegistry::Named(name.into()),
            (None, Some(url), _) => CrateRegistry::from_index(url),
            (None, None, Some(name)) => CrateRegistry::Named(name.clone()),
            (None, None, None) => CrateRegistry::from_index(&config.crate_index),
        }
    }

    fn from_index(url: &str) -> CrateRegistry {
        if url == CRATES_IO_INDEX {
            CrateRegistry::Named("crates-io".into())
        } else {
            CrateRegistry::Index(url.into())
        }
    }

    /// The cargo arguments that select it.
    pub fn args(&self) -> Vec<String> {
        match self {
            CrateRegistry::Named(name) => vec!["--registry".into(), name.clone()],
            CrateRegistry::Index(url) => vec!["--index".into(), url.clone()],
        }
    }

    /// The registry name a dependency's `registry = "…"` needs, if any.
    pub fn dependency_name(&self) -> Option<&str> {
        match self {
            CrateRegistry::Named(name) if name != "crates-io" => Some(name),
            _ => None,
        }
    }

    /// The environment variable cargo reads the token from.
    pub fn token_env(&self) -> String {
        match self {
            CrateRegistry::Named(name) if name != "crates-io" => format!(
                "CARGO_REGISTRIES_{}_TOKEN",
                name.to_ascii_uppercase().replace('-', "_")
            ),
            _ => "CARGO_REGISTRY_TOKEN".into(),
        }
    }
}

impl std::fmt::Display for CrateRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CrateRegistry::Named(name) if name == "crates-io" => write!(f, "crates.io"),
            CrateRegistry::Named(name) => write!(f, "registry `{name}`"),
            CrateRegistry::Index(url) => write!(f, "index {url}"),
        }
    }
}

/// The command that asks the registry for `name@version`: what plans print
/// is what `crate_published` runs. (Its output is captured, so cargo does
/// not colour it; the answer is read from the words, which colour leaves be.)
pub fn crate_query(registry: &CrateRegistry, name: &str, version: &str) -> Step {
    let spec = format!("{name}@{version}");
    Step::new("cargo", &["info", &spec]).args(registry.args())
}

/// Whether the registry serves `name@version`. Run at the root so cargo
/// reads the repository's `.cargo/config.toml`; the explicit registry keeps
/// `cargo info` from answering with the workspace member itself.
pub fn crate_published(
    sh: &Shell,
    registry: &CrateRegistry,
    name: &str,
    version: &str,
) -> Result<bool> {
    let spec = format!("{name}@{version}");
    let out = crate_query(registry, name, version)
        .cmd(sh)
        .quiet()
        .ignore_status()
        .output()
        .context("cannot run `cargo info`: is cargo on PATH")?;
    if out.status.success() {
        return Ok(true);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("could not find") {
        return Ok(false);
    }
    bail!(
        "cannot ask {registry} for {spec}: `cargo info` failed:\n{}",
        stderr.trim_end()
    )
}

/// PEP 503 normalized project name: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn normalize(project: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in project.chars() {
        if "-_.".contains(c) {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The page of `project` on the simple index `index_url`.
pub fn project_page(index_url: &str, project: &str) -> String {
    format!(
        "{}/{}/",
        index_url.trim_end_matches('/'),
        normalize(project)
    )
}

/// The version part of a distribution file name of `project`
/// (`demo_py-0.3.0.tar.gz`, `demo_py-0.3.0-cp39-abi3-linux_x86_64.whl`).
pub fn file_version(project: &str, file: &str) -> Option<String> {
    let (name, rest) = file.split_once('-')?;
    if normalize(name) != normalize(project) {
        return None;
    }
    let version = if let Some(sdist) = rest
        .strip_suffix(".tar.gz")
        .or_else(|| rest.strip_suffix(".zip"))
    {
        sdist
    } else if rest.ends_with(".whl") {
        rest.split('-').next()?
    } else {
        return None;
    };
    Some(version.to_string())
}

/// One file a simple index lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    pub name: String,
    /// Marked `data-yanked` (PEP 592): installers skip it.
    pub yanked: bool,
}

/// Fetches a simple-index page and prints the file name of every link and
/// whether it is yanked (PEP 592 `data-yanked`), tab-separated, one a line;
/// a 404 prints nothing (the project does not exist yet). A URL's user-info
/// (`https://user:token@host/simple/`) goes as HTTP basic auth, never as
/// part of the host, and is dropped on a redirect to another host; messages
/// name the URL without it. The URL comes in the environment (`INDEX_PAGE`):
/// a command line is visible to every user of the machine.
const LIST_FILES: &str = r##"
import base64, os, re, sys, urllib.error, urllib.parse, urllib.request
url = os.environ["INDEX_PAGE"]
parts = urllib.parse.urlsplit(url)
headers = {"Accept": "text/html"}
if "@" in parts.netloc:
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    headers["Authorization"] = f"Basic {token}"
    url = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
class SameHostAuth(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, hdrs, newurl):
        new = super().redirect_request(req, fp, code, msg, hdrs, newurl)
        if new is not None and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")
        return new
opener = urllib.request.build_opener(SameHostAuth)
try:
    with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as r:
        page = r.read().decode("utf-8", "replace")
except urllib.error.HTTPError as e:
    if e.code == 404:
        sys.exit(0)
    sys.exit(f"{url}: HTTP {e.code} {e.reason}")
except (urllib.error.URLError, OSError, ValueError) as e:
    sys.exit(f"{url}: {e}")
for anchor in re.findall(r'<a\s[^>]*>', page, re.I):
    href = re.search(r'href\s*=\s*["\']([^"\']+)', anchor, re.I)
    if not href:
        continue
    name = urllib.parse.unquote(href.group(1).split("#")[0].rstrip("/").rsplit("/", 1)[-1])
    yanked = re.search(r'\sdata-yanked(\s|=|/?>)', anchor, re.I) is not None
    if name:
        print(f"{name}\t{int(yanked)}")
"##;

/// Every file the simple index lists for `project` (none when it has no page).
pub fn python_files(
    sh: &Shell,
    python: &Path,
    index_url: &str,
    project: &str,
) -> Result<Vec<IndexFile>> {
    let page = project_page(index_url, project);
    let out = cmd!(sh, "{python} -c {LIST_FILES}")
        .env("INDEX_PAGE", &page)
        .quiet()
        .ignore_status()
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !out.status.success() {
        bail!(
            "cannot read the Python index page {page}: {}: check --index-url or `python-index` in the release configuration",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let (name, yanked) = line.split_once('\t').unwrap_or((line, "0"));
            IndexFile {
                name: name.to_string(),
                yanked: yanked == "1",
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_chosen_by_flag_then_configuration() {
        let public = Registries::default();
        assert_eq!(
            CrateRegistry::choose(&public, None, None),
            CrateRegistry::Named("crates-io".into())
        );
        assert_eq!(
            CrateRegistry::choose(&public, None, Some("file:///srv/index")),
            CrateRegistry::Index("file:///srv/index".into())
        );
        let local = Registries {
            crate_registry: Some("local".into()),
            ..Registries::default()
        };
        assert_eq!(
            CrateRegistry::choose(&local, None, None),
            CrateRegistry::Named("local".into())
        );
        assert_eq!(
            CrateRegistry::choose(&local, Some("other"), Some("file:///x")),
            CrateRegistry::Named("other".into())
        );
        let named = CrateRegistry::Named("my-reg".into());
        assert_eq!(named.args(), ["--registry", "my-reg"]);
        assert_eq!(named.token_env(), "CARGO_REGISTRIES_MY_REG_TOKEN");
        assert_eq!(named.dependency_name(), Some("my-reg"));
        let public = CrateRegistry::Named("crates-io".into());
        assert_eq!(public.token_env(), "CARGO_REGISTRY_TOKEN");
        assert_eq!(public.dependency_name(), None);
        assert_eq!(public.to_string(), "crates.io");
    }

    #[test]
    fn python_names_and_files() {
        assert_eq!(normalize("Edgequake_LiteLLM"), "edgequake-litellm");
        assert_eq!(normalize("a.-_b"), "a-b");
        assert_eq!(
            project_page("http://127.0.0.1:1/simple", "demo_py"),
            "http://127.0.0.1:1/simple/demo-py/"
        );
        assert_eq!(
            project_page("https://pypi.org/simple/", "demo-py"),
            "https://pypi.org/simple/demo-py/"
        );
        assert_eq!(
            file_version("demo-py", "demo_py-0.3.0.tar.gz").as_deref(),
            Some("0.3.0")
        );
        assert_eq!(
            file_version("demo-py", "demo_py-0.4.0rc1-cp39-abi3-linux_x86_64.whl").as_deref(),
            Some("0.4.0rc1")
        );
        assert_eq!(file_version("demo-py", "other-0.3.0.tar.gz"), None);
        assert_eq!(file_version("demo-py", "demo_py-0.3.0.txt"), None);
    }
}
