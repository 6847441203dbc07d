//! `lode serve`: build, serve from memory, rebuild on save, reload the browser.
//!
//! A watcher (notify, debounced) feeds one rebuild thread; each burst of
//! events becomes one [`Session::rebuild`], which re-reads only the files
//! that changed and re-renders only the pages they affect. The HTTP server
//! (axum) serves the last good output from memory and pushes events to the
//! pages over Server-Sent Events on the same port: `reload` (with the pages
//! that changed), `css` (swap stylesheets in place), `failed` (show the
//! diagnostics overlay), `ok` (hide it) and `warnings` (after every good
//! build: its warnings, shown in a small dismissible panel). A failed
//! rebuild keeps the last good site; a panic in a rebuild is caught and
//! reported.
//!
//! An editor's save may reach the watcher as several events spread over
//! tens of milliseconds (vim renames the note away and writes it anew;
//! JetBrains writes a temporary file and renames it over the note): the
//! rebuild thread waits for the events to go quiet ([`SAVE_QUIET`]), and
//! longer while a changed note is missing ([`SAVE_GONE`]), so one save is
//! one rebuild.

use std::collections::{BTreeMap, HashSet};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::build::{BuildOptions, OutputFile, Session, Update};
use crate::config::Layout;
use crate::diagnostics::Diagnostic;

/// Where the live-reload script is served.
pub const LIVE_SCRIPT_PATH: &str = "/__lode/live.js";
/// Where the live-reload event stream is served.
pub const LIVE_EVENTS_PATH: &str = "/__lode/events";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// Events this soon after a rebuild belong to a burst of edits.
const BURST_WINDOW: Duration = Duration::from_millis(250);
/// A burst ends after this long without events.
const BURST_QUIET: Duration = Duration::from_millis(60);
/// A save ends after this long without events: the events of one atomic
/// save (write a temporary file, rename it over the note) come closer
/// together than this.
pub const SAVE_QUIET: Duration = Duration::from_millis(30);
/// While a changed file is missing (renamed away by an editor that is about
/// to write it anew), the save ends only after this long without events.
pub const SAVE_GONE: Duration = Duration::from_millis(150);

/// How `lode serve` runs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// What to build.
    pub build: BuildOptions,
    /// The address to listen on: 127.0.0.1 unless told otherwise.
    pub bind: IpAddr,
    /// The first port to try; the next free one (up to 20 above) is used if it is taken.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// How long the watcher waits for a burst of file events to end, in milliseconds.
    pub debounce_ms: u64,
}

/// A message pushed to every open page.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum LiveEvent {
    /// The server's identity: a page that sees a new one after reconnecting reloads.
    Hello {
        /// Changes on every server start.
        id: String,
    },
    /// Pages changed; `all` when every page was rendered again.
    Reload {
        /// Output paths (`minerals/lithium/index.html`) that changed or were removed.
        pages: Vec<String>,
        /// Every page changed.
        all: bool,
        /// Build number.
        build: u64,
    },
    /// Stylesheets changed and nothing else: swap them without reloading.
    Css {
        /// Output paths of the stylesheets.
        paths: Vec<String>,
    },
    /// The rebuild failed: show the diagnostics over the page.
    Failed {
        /// One line per problem: `file:line:col: error: message`.
        diagnostics: Vec<String>,
    },
    /// The site builds again: hide the overlay.
    Ok,
    /// A build succeeded (sent after each one, the first included, on
    /// connecting): its warnings, for the dismissible panel (empty: hide it).
    Warnings {
        /// One line per warning: `file:line:col: warning: message (help: …)`.
        diagnostics: Vec<String>,
        /// Build number (0: the first build); one per rebuild, which tests count.
        build: u64,
    },
}

impl LiveEvent {
    fn name(&self) -> &'static str {
        match self {
            LiveEvent::Hello { .. } => "hello",
            LiveEvent::Reload { .. } => "reload",
            LiveEvent::Css { .. } => "css",
            LiveEvent::Failed { .. } => "failed",
            LiveEvent::Ok => "ok",
            LiveEvent::Warnings { .. } => "warnings",
        }
    }
}

/// What the server serves: the last good output and the current error, if any.
struct Served {
    files: BTreeMap<String, OutputFile>,
    /// The search index (`_lode/search/…`), kept apart: it is rebuilt in the
    /// background after the pages are served (see [`start_indexer`]).
    search: BTreeMap<String, OutputFile>,
    failure: Option<Vec<String>>,
    /// The last good build's warnings and its number.
    warnings: (Vec<String>, u64),
}

/// State shared by the HTTP handlers and the rebuild thread.
pub struct Shared {
    served: RwLock<Served>,
    events: broadcast::Sender<LiveEvent>,
    server_id: String,
}

/// Runs the dev server until Ctrl-C.
///
/// # Errors
/// When no port could be bound or the watcher could not start.
pub fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run(options))
}

async fn run(mut options: ServeOptions) -> anyhow::Result<()> {
    crate::build::check_root(&options.build.root)
        .map_err(|d| anyhow::anyhow!("{} ({})", d.message, d.help.as_deref().unwrap_or_default()))?;
    // Watcher events carry absolute paths: compare them with an absolute root.
    options.build.root = std::fs::canonicalize(&options.build.root)
        .map_err(|e| anyhow::anyhow!("cannot open the site root {}: {e}", options.build.root.display()))?;
    let (listener, addr) = bind(options.bind, options.port).await?;
    // Served at `/`, whatever the path of base_url: 404.html's absolute URLs follow.
    let mut session = Session::new(options.build.clone()).served_at("/");
    let started = Instant::now();
    let first = session.rebuild(&[]);
    let shared = Arc::new(Shared {
        served: RwLock::new(Served {
            files: BTreeMap::new(),
            search: BTreeMap::new(),
            failure: None,
            warnings: (Vec::new(), 0),
        }),
        events: broadcast::channel(64).0,
        server_id: format!(
            "{:x}",
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos()
        ),
    });
    let indexer = start_indexer(Arc::clone(&shared));
    match first {
        Ok(update) => {
            report(&options.build.root, session.layout(), &update.warnings);
            println!(
                "{}",
                crate::progress::built_summary(
                    update.notes,
                    update.rendered(),
                    started.elapsed().as_millis()
                )
            );
            {
                let mut served = shared.served.write().expect("lock");
                served.files = session.files().clone();
                served.warnings = (lines(&update.warnings), 0);
            }
            let _ = indexer.send(
                session.search_enabled().then(|| (session.files().clone(), session.languages().to_vec())),
            );
        }
        Err(problems) => {
            report(&options.build.root, session.layout(), &problems);
            eprintln!("The site does not build yet; pages show the problems until it does.");
            shared.served.write().expect("lock").failure = Some(lines(&problems));
        }
    }
    let watcher = watch(session, Arc::clone(&shared), indexer, options.debounce_ms)?;
    let url = format!("http://{addr}/");
    println!("Serving at {url} (Ctrl-C to stop)");
    if options.open {
        let _ = opener::open(&url);
    }
    let app = router(Arc::clone(&shared));
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            println!("\nStopped.");
        })
        .await?;
    drop(watcher);
    Ok(())
}

/// Binds `port`, or the next free port above it; says so when it moves.
async fn bind(ip: IpAddr, port: u16) -> anyhow::Result<(tokio::net::TcpListener, SocketAddr)> {
    let mut last_error = None;
    for candidate in port..=port.saturating_add(20) {
        match tokio::net::TcpListener::bind((ip, candidate)).await {
            Ok(listener) => {
                if candidate != port {
                    println!("Port {port} is taken; using {candidate} (choose one with --port).");
                }
                let addr = listener.local_addr()?;
                return Ok((listener, addr));
            }
            Err(e) => last_error = Some(e),
        }
    }
    Err(anyhow::anyhow!(
        "no free port between {port} and {}: {}; choose another with --port",
        port.saturating_add(20),
        last_error.map(|e| e.to_string()).unwrap_or_default()
    ))
}

/// Prints problems: every one for a site; for a vault, errors in full and
/// warnings counted by kind (thousands of them would bury the rest).
fn report(root: &Path, layout: Layout, problems: &[Diagnostic]) {
    match layout {
        Layout::Site => crate::diagnostics::print_to_stderr(root, problems),
        Layout::Vault => crate::diagnostics::print_brief_to_stderr(root, problems),
    }
}

fn lines(problems: &[Diagnostic]) -> Vec<String> {
    problems.iter().map(Diagnostic::to_string).collect()
}

/// True for files editors write beside the real one: swap and backup files,
/// lock files, vim's write test file `4913`, `.DS_Store`, `*.tmp`,
/// JetBrains' `*___jb_tmp___` and `*___jb_old___`, and any hidden file.
pub fn is_editor_noise(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else { return true };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".crswap"].iter().any(|ext| name.ends_with(ext))
}

/// Starts watching the site's inputs; each debounced burst of events becomes one rebuild.
fn watch(
    mut session: Session,
    shared: Arc<Shared>,
    indexer: Indexer,
    debounce_ms: u64,
) -> anyhow::Result<impl Drop> {
    let root = session.options().root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(debounce_ms), None, tx)?;
    for (dir, recursive) in session.watched() {
        let mode = if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        debouncer.watch(&dir, mode)?;
    }
    std::thread::spawn(move || {
        let mut build_number = 0u64;
        let mut last_rebuild: Option<Instant> = None;
        while let Ok(first) = rx.recv() {
            let mut batches = vec![first];
            // A save is rebuilt once its events go quiet (an atomic save is
            // several). Events soon after a rebuild mean a burst (a checkout,
            // a search-and-replace): wait longer, so that it gives one
            // rebuild rather than one per file.
            let quiet = if last_rebuild.is_some_and(|t| t.elapsed() < BURST_WINDOW) {
                BURST_QUIET
            } else {
                SAVE_QUIET
            };
            loop {
                let wait = if changed_paths(&session, &batches).iter().any(|p| !p.exists()) {
                    SAVE_GONE
                } else {
                    quiet
                };
                match rx.recv_timeout(wait) {
                    Ok(more) => batches.push(more),
                    Err(_) => break,
                }
            }
            let paths = changed_paths(&session, &batches);
            if paths.is_empty() {
                continue;
            }
            build_number += 1;
            let started = Instant::now();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| session.rebuild(&paths)));
            let millis = started.elapsed().as_millis();
            last_rebuild = Some(Instant::now());
            match result {
                Ok(Ok(update)) => {
                    let changed = update.full || !update.changed.is_empty() || !update.removed.is_empty();
                    publish(&shared, &session, update, build_number, millis);
                    // After the reload is sent: the pages never wait for the index.
                    if changed {
                        let _ = indexer.send(
                            session
                                .search_enabled()
                                .then(|| (session.files().clone(), session.languages().to_vec())),
                        );
                    }
                }
                Ok(Err(problems)) => {
                    report(&root, session.layout(), &problems);
                    eprintln!("Rebuild failed; still serving the last good site.");
                    // The errors first: they are why the site does not build.
                    let mut problems = problems;
                    problems.sort_by_key(|d| d.severity);
                    fail(&shared, lines(&problems));
                }
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    eprintln!("Lode crashed while rebuilding ({what}); still serving the last good site.");
                    fail(&shared, vec![format!("internal error: Lode crashed while rebuilding: {what}")]);
                    session = Session::new(session.options().clone()).served_at("/");
                }
            }
        }
    });
    Ok(debouncer)
}

/// Sends the indexer the output of each good build (`None` when `site.toml`
/// turns search off).
/// What the search indexer is sent after each good build: the pages and
/// the site's other languages (each with an index of its own), or `None`
/// when search is off.
type Indexer = std::sync::mpsc::Sender<Option<(BTreeMap<String, OutputFile>, Vec<String>)>>;

/// Starts the thread that keeps the served search index current: it indexes
/// the latest output it was sent (skipping older ones that queued up while
/// it worked) and swaps the new index in whole, so a page never sees half of
/// one. Until the first index is ready, `_lode/search/` answers 404 and the
/// search dialog says the index is not ready.
fn start_indexer(shared: Arc<Shared>) -> Indexer {
    let (tx, rx) = std::sync::mpsc::channel::<Option<(BTreeMap<String, OutputFile>, Vec<String>)>>();
    std::thread::spawn(move || {
        yield_cpu_to_rebuilds();
        // Each page's record, kept between builds: an edit re-reads its pages only.
        let mut cache = crate::search::Cache::default();
        while let Ok(mut latest) = rx.recv() {
            if let Some(newer) = rx.try_iter().last() {
                latest = newer;
            }
            let started = Instant::now();
            let search = match &latest {
                Some((files, languages)) => crate::search::index_cached(&mut cache, files, languages),
                None => {
                    cache = crate::search::Cache::default();
                    BTreeMap::new()
                }
            };
            if std::env::var_os("LODE_TIMINGS").is_some() && !search.is_empty() {
                println!("  search index {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
            }
            shared.served.write().expect("lock").search = search;
        }
    });
    tx
}

/// Lowers the calling thread's CPU priority to the lowest (nice 19), for
/// the search indexer: the first index costs about 2 s of CPU at 10,000
/// notes and each later one under a second, after every rebuild, so on a
/// machine with few cores it would otherwise take CPU from the next rebuild
/// and delay the reload. Threads it starts inherit the priority. Linux only (there
/// `setpriority` on a thread id applies to that thread alone).
#[allow(unsafe_code, reason = "setpriority is a system call")]
fn yield_cpu_to_rebuilds() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id; a failure
    // (no permission) leaves the priority as it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
    }
}

/// The paths of a burst of events that Lode reads, without editor noise.
fn changed_paths(session: &Session, batches: &[DebounceEventResult]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = batches
        .iter()
        .filter_map(|b| b.as_ref().ok())
        .flatten()
        .filter(|e| !e.kind.is_access())
        .flat_map(|e| e.event.paths.clone())
        .filter(|p| !is_editor_noise(p) && session.classify(p).is_some())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

fn publish(shared: &Shared, session: &Session, update: Update, build: u64, millis: u128) {
    let warnings = lines(&update.warnings);
    // Only the warnings the last good build did not have are printed again
    // (the browser's panel lists them all): a note's edit no longer repeats
    // every warning of the site.
    let (fresh, unchanged) = {
        let served = shared.served.read().expect("lock");
        let before: HashSet<&String> = served.warnings.0.iter().collect();
        let fresh: Vec<Diagnostic> = update
            .warnings
            .iter()
            .zip(&warnings)
            .filter(|(_, line)| !before.contains(line))
            .map(|(d, _)| d.clone())
            .collect();
        let unchanged = warnings.len() - fresh.len();
        (fresh, unchanged)
    };
    report(&session.options().root, session.layout(), &fresh);
    if unchanged > 0 {
        eprintln!(
            "{unchanged} warning(s) as in the last build, not repeated (the browser's panel lists them)"
        );
    }
    let was_failing = {
        let mut served = shared.served.write().expect("lock");
        served.files = session.files().clone();
        served.warnings = (warnings.clone(), build);
        served.failure.take().is_some()
    };
    println!(
        "Rebuilt in {millis} ms: {} page(s) rendered, {} file(s) changed{}",
        update.rendered(),
        update.changed.len() + update.removed.len(),
        if update.full { " (full)" } else { "" }
    );
    if std::env::var_os("LODE_TIMINGS").is_some() {
        let stages: Vec<String> =
            update.timings.iter().map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1000.0)).collect();
        println!("  {}", stages.join(", "));
    }
    if was_failing {
        let _ = shared.events.send(LiveEvent::Ok);
    }
    let _ = shared.events.send(LiveEvent::Warnings { diagnostics: warnings, build });
    let pages: Vec<String> = update.changed.into_iter().chain(update.removed).collect();
    if pages.is_empty() && !was_failing {
        return;
    }
    if !pages.is_empty() && pages.iter().all(|p| p.ends_with(".css")) {
        let _ = shared.events.send(LiveEvent::Css { paths: pages });
        return;
    }
    // The list is exact even after a full rebuild (pages are compared byte
    // for byte), so only the tabs showing a changed page reload.
    let _ = shared.events.send(LiveEvent::Reload { pages, all: false, build });
}

fn fail(shared: &Shared, diagnostics: Vec<String>) {
    shared.served.write().expect("lock").failure = Some(diagnostics.clone());
    let _ = shared.events.send(LiveEvent::Failed { diagnostics });
}

/// The HTTP routes: the live-reload script and events, then the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    match uri.path() {
        LIVE_EVENTS_PATH => events(&shared).into_response(),
        LIVE_SCRIPT_PATH => {
            ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_SCRIPT).into_response()
        }
        path => serve_file(&shared, path),
    }
}

fn events(shared: &Shared) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>> + use<>> {
    let mut initial = vec![LiveEvent::Hello { id: shared.server_id.clone() }];
    let served = shared.served.read().expect("lock");
    let (warnings, build) = &served.warnings;
    initial.push(LiveEvent::Warnings { diagnostics: warnings.clone(), build: *build });
    if let Some(diagnostics) = &served.failure {
        initial.push(LiveEvent::Failed { diagnostics: diagnostics.clone() });
    }
    drop(served);
    let live = BroadcastStream::new(shared.events.subscribe()).filter_map(Result::ok);
    let stream = tokio_stream::iter(initial).chain(live).map(|event| {
        Ok(SseEvent::default().event(event.name()).data(serde_json::to_string(&event).unwrap_or_default()))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The output path a request path names, or `None` when it tries to leave
/// the site (`..`, encoded or not, backslashes, NUL).
pub fn request_to_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn serve_file(shared: &Shared, path: &str) -> Response {
    let Some(key) = request_to_key(path) else {
        return not_found(shared);
    };
    let served = shared.served.read().expect("lock");
    let file = served.files.get(&key).or_else(|| served.search.get(&key)).cloned();
    if file.is_none() && served.files.contains_key(&format!("{key}/index.html")) {
        // A folder asked for without its slash: redirect, as GitHub Pages does.
        return Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, format!("{}/", path.trim_end_matches('/')))
            .body(Body::empty())
            .unwrap_or_default();
    }
    let failing = served.failure.is_some() && served.files.is_empty();
    drop(served);
    let Some(file) = file else {
        return if failing { failure_page() } else { not_found(shared) };
    };
    let Ok(bytes) = file.contents() else { return not_found(shared) };
    let mime = content_type(&key, &bytes);
    let body = if mime.essence_str() == "text/html" { inject(&bytes) } else { bytes.to_vec() };
    let mut response = Response::new(Body::from(body));
    if let Ok(value) = HeaderValue::from_str(&with_charset(&mime)) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The media type of the file at `path` (a path of the output) holding
/// `bytes`: by its extension (`mime_guess`), except where that is not the
/// registered type a browser or feed reader expects: an Atom feed
/// (`atom.xml`, `changes/atom.xml`: any `.xml` whose root is Atom's `<feed>`)
/// is `application/atom+xml` (RFC 4287), other XML (the sitemap)
/// `application/xml` rather than `text/xml` (RFC 7303, 9.2), the web app
/// manifest `application/manifest+json` (W3C Web App Manifest) and
/// WebAssembly `application/wasm`.
pub fn content_type(path: &str, bytes: &[u8]) -> mime_guess::Mime {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    let registered = match extension.as_str() {
        "xml" => {
            let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
            let atom = head.contains("<feed") && head.contains("http://www.w3.org/2005/Atom");
            Some(if atom { "application/atom+xml" } else { "application/xml" })
        }
        "atom" => Some("application/atom+xml"),
        "webmanifest" => Some("application/manifest+json"),
        "wasm" => Some("application/wasm"),
        _ => None,
    };
    registered
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| mime_guess::from_path(path).first_or_octet_stream())
}

/// The `Content-Type` of `mime`, with `; charset=utf-8` for text (every
/// text file Lode writes is UTF-8), as GitHub Pages serves it.
fn with_charset(mime: &mime_guess::Mime) -> String {
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || mime.suffix().is_some_and(|s| s == mime_guess::mime::XML || s == mime_guess::mime::JSON);
    if textual && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Adds the live-reload script to a page, before `</body>` (or at its end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}\n{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn not_found(shared: &Shared) -> Response {
    let page = shared.served.read().expect("lock").files.get("404.html").and_then(|f| f.contents().ok());
    let body = match page {
        Some(bytes) => inject(&bytes),
        None => {
            inject(b"<!doctype html><title>Not found</title><h1>Not found</h1><p><a href=\"/\">Home</a></p>")
        }
    };
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn failure_page() -> Response {
    let body = inject(b"<!doctype html><title>Build failed</title><h1>The site does not build yet</h1><p>The problems are listed over this page and in the terminal.</p>");
    (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(request_to_key("/").as_deref(), Some("index.html"));
        assert_eq!(request_to_key("/minerals/").as_deref(), Some("minerals/index.html"));
        assert_eq!(request_to_key("/a%20b/x.css").as_deref(), Some("a b/x.css"));
        for bad in
            ["/../etc/passwd", "/%2e%2e/x", "/a/%2E%2E/%2e%2e/x", "/a%2f..%2f..%2fx", "/a\\..\\x", "/%00"]
        {
            assert_eq!(request_to_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn editor_noise_is_ignored() {
        for noise in [
            "a.md~",
            ".a.md.swp",
            "4913",
            ".#a.md",
            "x.tmp",
            ".DS_Store",
            "a.md___jb_tmp___",
            "a.md___jb_old___",
        ] {
            assert!(is_editor_noise(Path::new(noise)), "{noise}");
        }
        assert!(!is_editor_noise(Path::new("lithium.md")));
    }
}
