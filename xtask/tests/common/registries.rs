//! Registries for the tests, on this machine only: an empty crate index
//! as a local git repository (`file://`), and a static file server for a
//! PEP 503 index.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::Repo;

/// An empty crate index: a git repository with a `config.json`.
pub fn local_index(repo: &Repo) -> String {
    local_index_at(repo, "http://127.0.0.1:9")
}

/// An empty crate index whose uploads go to `api`.
pub fn local_index_at(repo: &Repo, api: &str) -> String {
    let dir = repo.base.join("index");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.json"),
        format!("{{\"dl\":\"{api}/api/v1/crates\",\"api\":\"{api}\"}}\n"),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(&dir);
        repo.env(&mut cmd);
        assert!(cmd.status().unwrap().success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "index"]);
    format!("file://{}", dir.display())
}

/// A static file server on a free port of 127.0.0.1, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

/// `http.server` serving a folder only to requests with the basic auth of
/// `user:password` (401 otherwise), as a private index does.
const BASIC_AUTH_SERVER: &str = r#"
import base64, functools, http.server, sys
want = "Basic " + base64.b64encode(sys.argv[2].encode()).decode()
class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != want:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="index"')
            self.end_headers()
            return
        super().do_GET()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=sys.argv[1]))
print(f"Serving HTTP on 127.0.0.1 port {server.server_address[1]} (basic auth) ...", flush=True)
server.serve_forever()
"#;

impl Server {
    pub fn serve(dir: &Path) -> Server {
        let mut command = Command::new("python3");
        command
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir);
        Server::start(command, "")
    }

    /// A server that answers only requests with `user:password` as basic
    /// auth; `url` carries them as its user-info.
    pub fn serve_with_basic_auth(dir: &Path, user: &str, password: &str) -> Server {
        let mut command = Command::new("python3");
        command
            .args(["-u", "-c", BASIC_AUTH_SERVER])
            .arg(dir)
            .arg(format!("{user}:{password}"));
        Server::start(command, &format!("{user}:{password}@"))
    }

    fn start(mut command: Command, user_info: &str) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split(" port ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server {
            child,
            url: format!("http://{user_info}127.0.0.1:{port}/simple/"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
