//! A registry that is rate-limiting: a listener on 127.0.0.1 that answers
//! the first uploads `429 Too Many Requests`, as crates.io and PyPI do, and
//! then passes each request on to the real server behind it (or, with none,
//! refuses it: 403, a token that may not publish). One request per
//! connection; std only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// The listener's address, and every request line it saw with its answer.
pub struct RateLimited {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl RateLimited {
    /// Answers the first `limited` requests with 429, then forwards to
    /// `upstream` (`None`: answers 403 itself). The thread ends with the
    /// test process.
    pub fn start(limited: usize, upstream: Option<u16>) -> RateLimited {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let answer = match n < limited {
                    true => Answer::Limited,
                    false => Answer::Pass(upstream),
                };
                if let Ok(line) = serve(stream, answer) {
                    log.lock().unwrap().push(line);
                }
            }
        });
        RateLimited { port, seen }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

enum Answer {
    Limited,
    Pass(Option<u16>),
}

/// Reads one whole request, answers it, and returns `request line -> status`.
fn serve(mut client: TcpStream, answer: Answer) -> std::io::Result<String> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head: Vec<String> = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end().to_string();
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    let header = |name: &str| {
        head.iter().find_map(|h| {
            let (k, v) = h.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    if header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        client.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let request = head.first().cloned().unwrap_or_default();
    let status = match answer {
        Answer::Limited => {
            let text = "{\"errors\":[{\"detail\":\"You have published too many versions in a short period of time. Please try again later.\"}]}";
            let reply = format!(
                "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            client.write_all(reply.as_bytes())?;
            "429"
        }
        Answer::Pass(None) => {
            let text = "{\"errors\":[{\"detail\":\"this token may not publish this crate\"}]}";
            let reply = format!(
                "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            client.write_all(reply.as_bytes())?;
            "403"
        }
        Answer::Pass(Some(port)) => {
            let mut server = TcpStream::connect(("127.0.0.1", port))?;
            let mut out = String::new();
            for h in &head {
                let name = h.split(':').next().unwrap_or("").to_ascii_lowercase();
                if name != "connection" && name != "expect" {
                    out.push_str(h);
                    out.push_str("\r\n");
                }
            }
            out.push_str("Connection: close\r\n\r\n");
            server.write_all(out.as_bytes())?;
            server.write_all(&body)?;
            let mut reply = Vec::new();
            server.read_to_end(&mut reply)?;
            client.write_all(&reply)?;
            "passed on"
        }
    };
    client.flush()?;
    Ok(format!("{request} -> {status}"))
}
