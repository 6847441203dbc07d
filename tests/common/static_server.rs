//! A static file server that is not Lode, as GitHub Pages is not: what the
//! sub-path tests and the browser tests serve a built site with.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A static file server that is not Lode: Python's `http.server` when
/// `python3` runs, else a few lines of `std::net` below. Both serve
/// `index.html` for a folder and answer 404 for a missing file, like Pages.
pub struct StaticServer {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    child: Option<Child>,
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl StaticServer {
    pub fn start(dir: &Path) -> StaticServer {
        let python = Command::new("python3")
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        if let Ok(mut child) = python {
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
            // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
            if let Some(port) = line.split(" port ").nth(1).and_then(|r| r.split_whitespace().next()) {
                return StaticServer { addr: format!("127.0.0.1:{port}"), child: Some(child) };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        eprintln!("python3 is not available: serving with the test's own std::net server");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let root = dir.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().filter_map(Result::ok) {
                let _ = serve_one(stream, &root);
            }
        });
        StaticServer { addr, child: None }
    }

    /// GET `path`: (status, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        super::server::http_get(&self.addr, path)
    }
}

/// The fallback server's whole logic: a file, a folder's `index.html`, or 404.
fn serve_one(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Read the headers too: closing with unread input would reset the connection.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/");
    let mut file: PathBuf = root.to_path_buf();
    file.extend(path.split('/').filter(|s| !s.is_empty() && *s != "." && *s != ".."));
    if file.is_dir() {
        file.push("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => {
            let kind = content_type(&file);
            write!(
                stream,
                "HTTP/1.0 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )?;
            stream.write_all(&body)
        }
        Err(_) => write!(stream, "HTTP/1.0 404 Not Found\r\n\r\nnot found"),
    }
}

/// The `Content-Type` GitHub Pages sends for the kinds of file a site has:
/// browsers run module scripts and workers (the offline service worker)
/// only when it names JavaScript.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The flagship site, built by `lode build --base-url https://example.org/REPO/`
/// into `REPO/` of a temporary folder, which a plain server serves.
pub fn serve_flagship_under_repo() -> (tempfile::TempDir, StaticServer) {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["build", "--base-url", "https://example.org/REPO/", "--root", env!("CARGO_MANIFEST_DIR")])
        .arg("--output")
        .arg(tmp.path().join("REPO"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let server = StaticServer::start(tmp.path());
    (tmp, server)
}
