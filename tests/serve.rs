//! `lode serve` end to end: a real server process on a free port, a real
//! event stream, real file edits.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::TestSite;

/// A running `lode serve` and its event stream.
struct Server {
    child: Child,
    addr: String,
    events: Receiver<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lode"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
        (status, body)
    }

    /// Waits up to 10 s for an event named `name` whose data satisfies `check`.
    fn expect(&self, name: &str, check: impl Fn(&str) -> bool) -> String {
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

    /// Events received within `wait`.
    fn drain(&self, wait: Duration) -> Vec<(String, String)> {
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

/// Opens the event stream; each (event, data) pair arrives on the channel.
fn subscribe(addr: &str) -> Receiver<(String, String)> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET /__lode/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), data.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Lithium]] and [[China]].\n"),
        ("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nRefined in [[China]].\n"),
        ("content/china.md", "# China\n\nRefines lithium.\n"),
        ("static/extra.css", "body { color: red }\n"),
    ])
}

/// Waits until `path` is served with a body containing `needle`.
fn served_with(server: &Server, path: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = server.get(path);
        if status == 200 && body.contains(needle) {
            return;
        }
        assert!(Instant::now() < deadline, "{path} never contained {needle:?}; last status {status}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn an_edit_is_served_and_reloads_its_page() {
    let site = site();
    let server = Server::start(site.root());
    let (status, body) = server.get("/lithium/");
    assert_eq!(status, 200);
    assert!(body.contains("/__lode/live.js"), "live-reload script injected while serving");
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nRefined mostly in [[China]] today.\n");
    let data = server.expect("reload", |d| d.contains("lithium/index.html"));
    assert!(data.contains("\"all\":false"), "an edit of the body is not a full rebuild: {data}");
    served_with(&server, "/lithium/", "mostly in");
    // China's "Linked from" quotes the new sentence.
    served_with(&server, "/china/", "Refined mostly in");
}

#[test]
fn a_save_by_rename_is_one_edit() {
    let site = site();
    let server = Server::start(site.root());
    let tmp = site.root().join("content/.lithium.md.tmp");
    std::fs::write(&tmp, "+++\ntitle = \"Lithium\"\n+++\nSaved atomically; see [[China]].\n").unwrap();
    std::fs::rename(&tmp, site.root().join("content/lithium.md")).unwrap();
    server.expect("reload", |d| d.contains("lithium/index.html"));
    served_with(&server, "/lithium/", "Saved atomically");
    // Watching goes on after the rename.
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nAnd again; see [[China]].\n");
    served_with(&server, "/lithium/", "And again");
}

#[test]
fn notes_created_deleted_and_renamed_are_followed() {
    let site = site();
    let server = Server::start(site.root());
    site.write("content/cobalt.md", "# Cobalt\n\nAlso [[China]].\n");
    served_with(&server, "/cobalt/", "Also");
    std::fs::remove_file(site.root().join("content/cobalt.md")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get("/cobalt/").0 != 404 {
        assert!(Instant::now() < deadline, "deleted note still served");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::rename(site.root().join("content/china.md"), site.root().join("content/prc.md")).unwrap();
    served_with(&server, "/prc/", "Refines lithium");
    assert_eq!(server.get("/china/").0, 404);
    // A folder renamed wholesale.
    site.write("content/old/tin.md", "# Tin\n");
    served_with(&server, "/old/tin/", "Tin");
    std::fs::rename(site.root().join("content/old"), site.root().join("content/new")).unwrap();
    served_with(&server, "/new/tin/", "Tin");
    assert_eq!(server.get("/old/tin/").0, 404);
}

#[test]
fn a_broken_note_keeps_the_last_good_site_and_shows_the_overlay_until_fixed() {
    let site = site();
    let server = Server::start(site.root());
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nBroken [[Nowhere]] link.\n");
    let data = server.expect("failed", |_| true);
    assert!(data.contains("content/lithium.md:4:8"), "diagnostics carry file:line:col: {data}");
    let (status, body) = server.get("/lithium/");
    assert_eq!(status, 200);
    assert!(body.contains("Refined in"), "the last good page is still served");
    // A page opened now gets the overlay too.
    let late = subscribe(&server.addr);
    let mut got_failed = false;
    while let Ok((event, _)) = late.recv_timeout(Duration::from_secs(5)) {
        if event == "failed" {
            got_failed = true;
            break;
        }
    }
    assert!(got_failed);
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nFixed, see [[China]].\n");
    server.expect("ok", |_| true);
    served_with(&server, "/lithium/", "Fixed, see");
}

#[test]
fn a_burst_of_edits_gives_few_rebuilds() {
    let site = site();
    let server = Server::start(site.root());
    for i in 0..100 {
        site.write("content/lithium.md", &format!("+++\ntitle = \"Lithium\"\n+++\nVersion {i} of [[China]].\n"));
    }
    served_with(&server, "/lithium/", "Version 99 of");
    let reloads = server.drain(Duration::from_millis(600)).into_iter().filter(|(e, _)| e == "reload").count();
    assert!(reloads <= 10, "100 quick saves gave {reloads} reloads");
}

#[test]
fn a_stylesheet_edit_swaps_css_without_a_reload() {
    let site = site();
    let server = Server::start(site.root());
    site.write("static/extra.css", "body { color: blue }\n");
    let data = server.expect("css", |_| true);
    assert!(data.contains("extra.css"));
    served_with(&server, "/extra.css", "blue");
}

#[test]
fn requests_never_leave_the_site() {
    let site = site();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "TOP-SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(secret.path(), site.root().join("static/leak.txt")).unwrap();
    let server = Server::start(site.root());
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2fsite.toml",
        "/..%2f..%2fetc/passwd",
        "//etc/passwd",
        "/static/../../site.toml",
        "/leak.txt",
        "/content/lithium.md",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP-SECRET") && !body.contains("base_url"), "{path} leaked a file");
    }
    assert_eq!(server.get("/nowhere/deep/").0, 404);
}

#[test]
fn incremental_rebuilds_agree_with_a_full_build() {
    let site = site();
    let server = Server::start(site.root());
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\ntags = [\"battery\"]\n+++\nNow in [[China#China]].\n");
    served_with(&server, "/lithium/", "Now in");
    site.write("content/china.md", "# China\n\nRefines most lithium.\n\n## Figures\n\n58%.\n");
    served_with(&server, "/china/", "58%");
    site.write("content/cobalt.md", "# Cobalt\n\n![[China#Figures]]\n");
    served_with(&server, "/cobalt/", "58%");
    site.write("content/china.md", "# China\n\nRefines most lithium.\n\n## Figures\n\n60%.\n");
    served_with(&server, "/cobalt/", "60%");
    std::thread::sleep(Duration::from_millis(300));

    let out = tempfile::tempdir().unwrap();
    let options = lode::build::BuildOptions { output: Some(out.path().join("public")), ..site.options() };
    lode::build::build(&options).unwrap();
    let script = "<script src=\"/__lode/live.js\" defer></script>\n";
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(out.path().join("public")).into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(out.path().join("public")).unwrap().to_string_lossy().replace('\\', "/");
        let built = std::fs::read_to_string(entry.path()).unwrap();
        let (status, served) = server.get(&format!("/{rel}"));
        assert_eq!(status, 200, "{rel}");
        assert_eq!(served.replace(script, ""), built, "{rel} differs between serve and build");
        compared += 1;
    }
    assert!(compared >= 8, "{compared}");
}
