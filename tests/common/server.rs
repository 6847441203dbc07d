//! A running `lode serve` for tests: start it, GET pages, read its events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `lode serve` and its event stream.
pub struct Server {
    child: Child,
    pub addr: String,
    events: Receiver<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with_stderr(root, Stdio::null())
    }

    /// [`Server::start`], its standard error going to `stderr` (a file, say).
    pub fn start_with_stderr(root: &Path, stderr: impl Into<Stdio>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lode"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start lode serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("serve printed its URL").unwrap();
            if let Some(rest) = line.strip_prefix("Serving at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        let events = subscribe(&addr);
        let server = Server { child, addr, events };
        server.expect("hello", |_| true);
        server
    }

    /// GET `path`: (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        http_get(&self.addr, path)
    }

    /// GET `path`: (status, head lower-cased, body).
    pub fn get_with_head(&self, path: &str) -> (u16, String, String) {
        http_get_with_head(&self.addr, path)
    }

    /// Waits up to 10 s for an event named `name` whose data satisfies `check`.
    pub fn expect(&self, name: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok((event, data)) if event == name && check(&data) => return data,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        panic!("no `{name}` event within 10 s");
    }

    /// Every event up to and including the first named `name` whose data
    /// satisfies `check` (10 s at most).
    pub fn events_until(&self, name: &str, check: impl Fn(&str) -> bool) -> Vec<(String, String)> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok((event, data)) => {
                    let done = event == name && check(&data);
                    seen.push((event, data));
                    if done {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no `{name}` event within 10 s; saw {seen:?}");
    }

    /// Events received within `wait`.
    pub fn drain(&self, wait: Duration) -> Vec<(String, String)> {
        let deadline = Instant::now() + wait;
        let mut out = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.events.recv_timeout(left) {
                Ok(e) => out.push(e),
                Err(_) => break,
            }
        }
        out
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&tail[..n]);
        rest = &tail[n + 2..];
    }
    out
}

/// GET `path` from the HTTP server at `addr` (any server, Lode's or not):
/// (status, body), chunked bodies decoded.
pub fn http_get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = http_get_with_head(addr, path);
    (status, body)
}

/// GET `path`: (status, the response's head, lower-cased, body).
pub fn http_get_with_head(addr: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, head.to_ascii_lowercase(), body)
}

/// Opens the event stream; each (event, data) pair arrives on the channel.
pub fn subscribe(addr: &str) -> Receiver<(String, String)> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET /__lode/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
        .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && tx.send((event.clone(), data.to_string())).is_err()
            {
                break;
            }
        }
    });
    rx
}
