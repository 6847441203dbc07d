//! Test harness: write a small site into a temp dir, build it, read the HTML.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lode::build::{self, BuildOptions, BuildReport};
use lode::diagnostics::Diagnostic;
use scraper::{Html, Selector};

pub mod browser;
pub mod marked;
pub mod server;
pub mod static_server;

/// A site under construction in a temporary folder.
pub struct TestSite {
    pub dir: tempfile::TempDir,
    /// The image cache of this site's builds.
    pub cache: tempfile::TempDir,
}

impl TestSite {
    /// A site with the given files (paths relative to the site root).
    pub fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = TestSite { dir, cache: tempfile::tempdir().expect("temp dir") };
        site.write("site.toml", "title = \"Test notes\"\nbase_url = \"https://example.org/\"\n");
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// The site's build options, with an image cache of its own (beside
    /// the site, not in it: a build writes nothing among the notes).
    pub fn options(&self) -> BuildOptions {
        BuildOptions { cache: Some(self.cache_dir()), ..BuildOptions::new(self.root()) }
    }

    /// This site's image cache: a folder of the test's own, outside the site.
    pub fn cache_dir(&self) -> std::path::PathBuf {
        self.cache.path().to_path_buf()
    }

    /// Builds; panics with the diagnostics if the build fails.
    pub fn build(&self) -> BuildReport {
        match build::build(&self.options()) {
            Ok(report) => report,
            Err(problems) => panic!("build failed:\n{}", list(&problems)),
        }
    }

    /// Builds, expecting failure; returns the diagnostics.
    pub fn build_err(&self) -> Vec<Diagnostic> {
        match build::build(&self.options()) {
            Ok(_) => panic!("build succeeded but should have failed"),
            Err(problems) => problems,
        }
    }

    /// The errors of a build that must fail, without its warnings (the
    /// orphan notes that come with them, as one run reports every problem).
    pub fn build_errors(&self) -> Vec<Diagnostic> {
        self.build_err().into_iter().filter(Diagnostic::is_error).collect()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The parsed HTML of an output file (`minerals/lithium/index.html`).
    pub fn page(&self, path: &str) -> Html {
        let text =
            std::fs::read_to_string(self.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        Html::parse_document(&text)
    }
}

/// Copies the tree under `from` into `to`, keeping the entries whose path
/// relative to `from` passes `keep` (a folder left out is left out whole).
pub fn copy_tree(from: &Path, to: &Path, keep: impl Fn(&Path) -> bool) {
    let mut walk = walkdir::WalkDir::new(from).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if !keep(rel) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

pub fn list(problems: &[Diagnostic]) -> String {
    problems.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel).collect()
}

pub fn text(el: &scraper::ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `href`s of the links inside `css` (e.g. `.note-body a`).
pub fn hrefs(html: &Html, css: &str) -> Vec<String> {
    select(html, css).iter().filter_map(|a| a.value().attr("href").map(str::to_string)).collect()
}

/// Resolves a relative URL found on the page at `page_dir` (a folder URL
/// like `/minerals/lithium/`) into an absolute URL path and fragment. A
/// query (`?note=…`, read by the page's script) names no other file: it is
/// dropped (RFC 3986: path, then `?query`, then `#fragment`).
pub fn resolve_url(page_dir: &str, url: &str) -> (String, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if path.is_empty() {
        return (page_dir.to_string(), fragment);
    }
    let mut parts: Vec<&str> =
        if path.starts_with('/') { vec![] } else { page_dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "URL {url} on {page_dir} climbs above the site root");
            }
            s => parts.push(s),
        }
    }
    let mut abs = format!("/{}", parts.join("/"));
    if path.ends_with('/') && !abs.ends_with('/') {
        abs.push('/');
    }
    (abs, fragment)
}

/// The folder the relative URLs of `html`, the page at `page_dir`, are
/// resolved from: its `<base href>` if it has one (the shared shard pages
/// under `_lode/` do), else `page_dir` itself.
pub fn base_dir(html: &Html, page_dir: &str) -> String {
    match select(html, "base[href]").first().and_then(|b| b.value().attr("href")) {
        Some(base) => resolve_url(page_dir, base).0,
        None => page_dir.to_string(),
    }
}

/// The file an absolute URL path is served from (`/a/` → `a/index.html`).
pub fn file_for(output: &Path, url_path: &str) -> PathBuf {
    let rel = url_path.trim_start_matches('/');
    let p = output.join(rel);
    if url_path.ends_with('/') || p.is_dir() { p.join("index.html") } else { p }
}

/// Crawls every HTML page under `output`: every internal `href` and `src`
/// must be percent-encoded (no space, nothing but ASCII) and, decoded, name
/// a written file, and every `#fragment` an element id on the target page.
/// Returns the problems found and the number of URLs checked.
/// `404.html` is left out: its URLs are absolute paths under the base path
/// (`/REPO/…`), which only a server knows; tests/pages.rs checks them over HTTP.
pub fn check_all_links(output: &Path) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut checked = 0;
    let attr_sel = Selector::parse("[href], [src]").unwrap();
    for entry in walkdir::WalkDir::new(output).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "404.html" {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let page_dir = base_dir(&html, &format!("/{}", rel.trim_end_matches("index.html")));
        // `<base href>` is where the others are resolved from, not a link.
        for el in html.select(&attr_sel).filter(|el| el.value().name() != "base") {
            for url in ["href", "src"].iter().filter_map(|a| el.value().attr(a)) {
                if url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:") {
                    continue;
                }
                checked += 1;
                if url.contains(' ') || !url.is_ascii() {
                    problems.push(format!("{rel}: {url} is not percent-encoded"));
                }
                let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy().into_owned();
                let (path, fragment) = resolve_url(&page_dir, &decoded);
                let file = file_for(output, &path);
                if !file.is_file() {
                    problems.push(format!("{rel}: {url} → {} is missing", file.display()));
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && file.extension().is_some_and(|e| e == "html")
                {
                    let target = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
                    let ids: BTreeSet<String> = select(&target, "[id]")
                        .iter()
                        .filter_map(|e| e.value().attr("id").map(str::to_string))
                        .collect();
                    if !ids.contains(&f) {
                        problems.push(format!("{rel}: {url} → no element with id \"{f}\""));
                    }
                }
            }
        }
    }
    (problems, checked)
}

/// The files of an incremental `session`, read into memory, for comparing
/// with a fresh build's (tests/incremental.rs, tests/edits.rs). A copied
/// file whose source is gone reads as empty, so it still differs.
pub fn snapshot(session: &lode::build::Session) -> Vec<(String, Vec<u8>)> {
    session
        .files()
        .iter()
        .map(|(path, file)| {
            let bytes = match file {
                lode::build::OutputFile::Written => panic!("{path} was not kept in memory"),
                other => other.contents().map(|b| b.to_vec()).unwrap_or_default(),
            };
            (path.clone(), bytes)
        })
        .collect()
}
