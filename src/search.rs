//! Full-text search: a Pagefind index of the built pages, under `pagefind/`.
//!
//! Pagefind (the `pagefind` crate's service API) reads the pages that mark
//! their text with `data-pagefind-body` (notes and collection pages), with
//! the title from `data-pagefind-meta` and the collection and tag filters
//! from `data-pagefind-filter`, and writes a chunked index: the browser loads
//! only the word chunks and page fragments a query needs. The files are
//! returned in memory so that they join the build's atomic output.
//!
//! What a search must not spoil is marked `data-pagefind-ignore` in the
//! templates and the Markdown output (Pagefind drops an ignored element's
//! text, and its descendants', but keeps its filters): the self-test's
//! answers and explanations, flashcard backs and cloze deletions, and page
//! chrome (reading time, the tag line, the facts box's labels, heading
//! anchors, the self-test's heading). Elements with an `id` (questions
//! `q1`…, flashcards `card-…`) become Pagefind anchors, which `search.js`
//! uses to open a result at the question or card its words are in.
//!
//! Only Pagefind's search API is kept (`pagefind.js`, its worker, the WASM
//! and the index): the site's own dialog (`static/search.js`) draws the
//! results, so Pagefind's UI bundles are dropped.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Severity};
use crate::output::OutputFile;

/// The output folder of the index, at the site root; `search.js` loads
/// `pagefind/pagefind.js` from there.
pub const SEARCH_DIR: &str = "pagefind";

/// The attribute that marks the text of a page to index.
pub const BODY_MARK: &str = "data-pagefind-body";

/// Pages per fragment file: Pagefind writes one file per page by default,
/// which is slow to create at 100,000 notes; groups of this many keep the
/// output at about one file per 32 pages, at the cost of downloading a
/// group's fragments to show one of its results.
const PAGES_PER_FRAGMENT: usize = 32;

/// Pagefind's files that Lode does not use: its ready-made UIs and the
/// highlighting script (the dialog marks matches itself from the excerpt).
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// The search index of `files` (a build's output, by path relative to the
/// output folder; pages already written ([`OutputFile::Written`]) are read
/// back from `written_in`): every HTML page carrying [`BODY_MARK`] is indexed under
/// its folder's URL (`minerals/lithium/index.html` → `/minerals/lithium/`,
/// which the page's search script prefixes with the site's path). Returns
/// the index's files, by output path under [`SEARCH_DIR`]; a site without
/// such pages gets a valid empty index, so its search finds nothing rather
/// than failing.
///
/// # Errors
/// A diagnostic on `pagefind/` when Pagefind fails (it reports no errors for
/// ordinary HTML; a failure here is an internal error).
pub fn index(
    files: &BTreeMap<String, OutputFile>,
    written_in: Option<&Path>,
) -> Result<BTreeMap<String, OutputFile>, Diagnostic> {
    // Pages held in memory (`lode serve`) are given to Pagefind one by one.
    // Pages already written (`lode build`) are left to Pagefind's own walk of
    // the folder, which parses them in parallel and skips the duplicate-URL
    // scan that adding pages one by one makes quadratic in their number.
    let is_page = |path: &String| path.ends_with("index.html");
    let in_memory: Vec<(&String, &Arc<[u8]>)> = files
        .iter()
        .filter(|(path, _)| is_page(path))
        .filter_map(|(path, file)| match file {
            OutputFile::Bytes(bytes) => Some((path, bytes)),
            _ => None,
        })
        .filter(|(_, bytes)| contains(bytes, BODY_MARK.as_bytes()))
        .collect();
    let on_disk: Vec<&String> = files
        .iter()
        .filter(|(path, file)| is_page(path) && matches!(file, OutputFile::Written))
        .map(|(path, _)| path)
        .collect();
    // Pagefind indexes every <body> when no page is marked: only walk the
    // folder when some written page is (the first one read usually is).
    let folder = written_in.filter(|dir| {
        on_disk.iter().any(|p| std::fs::read(dir.join(p)).is_ok_and(|b| contains(&b, BODY_MARK.as_bytes())))
    });
    let pages = in_memory.len() + folder.map_or(0, |_| on_disk.len());
    let failed = |e: anyhow::Error| {
        Diagnostic::whole_file(Severity::Error, SEARCH_DIR, format!("cannot build the search index: {e:#}"))
            .with_help(
                "this is a bug in Lode; set `[search] enabled = false` in site.toml to build without search",
            )
    };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| failed(e.into()))?;
    let built = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .max_fragments(pages.div_ceil(PAGES_PER_FRAGMENT).max(1) as u32)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))?;
        if let Some(dir) = folder {
            // Pagefind makes `minerals/lithium/index.html` the URL `/minerals/lithium/`.
            index.add_directory(dir.to_string_lossy().into_owned(), Some("**/index.html".into())).await?;
        }
        for (path, bytes) in in_memory {
            let url = format!("/{}", path.trim_end_matches("index.html"));
            index.add_html_file(None, Some(url), String::from_utf8_lossy(bytes).into_owned()).await?;
        }
        index.get_files().await
    });
    let built = built.map_err(failed)?;
    let wasm_for_language = built.iter().any(|f| {
        let name = f.filename.to_string_lossy();
        name.starts_with("wasm.") && name != "wasm.unknown.pagefind"
    });
    Ok(built
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            let unused = UNUSED.contains(&name.as_str())
                || name.starts_with("playground/")
                || (wasm_for_language && name == "wasm.unknown.pagefind");
            (!unused).then(|| (format!("{SEARCH_DIR}/{name}"), OutputFile::Bytes(Arc::from(f.contents))))
        })
        .collect())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
