//! Offline reading, on request: the web app manifest and the list of files a
//! reader may save (`_lode/offline.json`), which `static/offline.js` (the
//! "Save for offline" control) and `static/sw.js` (the service worker) read.
//!
//! Nothing is cached until the reader asks. The list gives every file worth
//! saving with its size and a content hash, so the page can show what a save
//! costs before it starts, and a saved copy re-fetches only the files whose
//! hash changed. Files are grouped: a page under a collection's folder
//! (`minerals/lithium/`) is in that folder's group (`minerals`); the assets,
//! the search index, the link-preview and revision data, the home page and
//! `/revise/` are in the shared group `""`, which every save includes.
//!
//! `lode serve` never writes the list (only a full build does):
//! there the control stays hidden and a service worker that finds no list
//! unregisters itself, so live reload is never served from a stale cache.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::output::OutputFile;

/// The hash that tells a saved file from its new version: XXH3-64
/// (<https://xxhash.com>, the `xxhash-rust` crate), the same on every
/// machine and run. Every byte of the output is hashed on each build (280
/// MB at 10,000 notes), which byte-at-a-time FNV-1a made 4% of a build.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Where the list of files is written, under the output folder.
pub const LIST_PATH: &str = "_lode/offline.json";

/// The web app manifest, at the site root.
pub const MANIFEST_PATH: &str = "manifest.webmanifest";

/// Output files never saved for offline reading: files for crawlers and the
/// host, the feed, the service worker itself (the browser keeps it) and the
/// list (fetched fresh on every update).
const SKIPPED: &[&str] = &[".nojekyll", "CNAME", "robots.txt", "sitemap.xml", "atom.xml", "sw.js", LIST_PATH];

/// Top-level folders of pages every save includes, whatever its group.
const SHARED_FOLDERS: &[&str] = &["revise"];

/// One file a reader may save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The URL relative to the site root: `minerals/lithium/` for a page
    /// (its `index.html` dropped, as links name it), `./` for the home page,
    /// `style.css` for a file.
    pub url: String,
    /// Size in bytes.
    pub bytes: u64,
    /// XXH3-64 of the contents ([`content_hash`]), 16 hex digits.
    pub hash: String,
    /// The group: a page's top-level folder, or `""` for what every save needs.
    pub group: String,
}

/// The list of files to save, from `files` (a build's whole output, by path
/// relative to the output folder; pages already written are read back from
/// `written_in`, unless `known` gives their size and [`content_hash`]), sorted by URL, as the JSON of [`LIST_PATH`]:
/// `{"version":1,"files":[{url,bytes,hash,group}…]}`.
///
/// # Errors
/// The read error of a copied or written file.
pub fn list(
    files: &BTreeMap<String, OutputFile>,
    written_in: Option<&Path>,
    known: &(dyn Fn(&str) -> Option<(u64, u64)> + Sync),
) -> std::io::Result<Vec<u8>> {
    // Files are read back and hashed on all cores.
    let entries: std::io::Result<Vec<Option<Entry>>> = files
        .par_iter()
        .map(|(path, file)| {
            // Social cards are for crawlers and chat apps, not readers.
            if SKIPPED.contains(&path.as_str()) || path.starts_with(crate::render::social::OUTPUT_DIR) {
                return Ok(None);
            }
            if let (OutputFile::Written, Some((size, hash))) = (file, known(path)) {
                return Ok(Some(entry_of(path, size, hash)));
            }
            let bytes: Arc<[u8]> = match (file, written_in) {
                (OutputFile::Written, Some(dir)) => Arc::from(std::fs::read(dir.join(path))?),
                (OutputFile::Written, None) => return Ok(None),
                _ => file.contents()?,
            };
            Ok(Some(entry(path, &bytes)))
        })
        .collect();
    let mut entries: Vec<Entry> = entries?.into_iter().flatten().collect();
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    #[derive(Serialize)]
    struct List<'a> {
        version: u32,
        files: &'a [Entry],
    }
    Ok(serde_json::to_vec(&List { version: 1, files: &entries }).expect("plain data serializes"))
}

/// The entry of the output file at `path` with contents `bytes`.
fn entry(path: &str, bytes: &[u8]) -> Entry {
    entry_of(path, bytes.len() as u64, content_hash(bytes))
}

/// The entry of the output file at `path` of `size` bytes with [`content_hash`] `hash`.
fn entry_of(path: &str, size: u64, hash: u64) -> Entry {
    let url = match path.strip_suffix("index.html") {
        Some("") => "./".to_string(),
        Some(dir) if dir.ends_with('/') => dir.to_string(),
        _ => path.to_string(),
    };
    let is_page = path.ends_with(".html");
    let group = match path.split_once('/') {
        Some((top, _)) if is_page && !SHARED_FOLDERS.contains(&top) => top.to_string(),
        // Attachments in a collection's folder go with its pages.
        Some((top, _)) if !is_page && !top.starts_with('_') => top.to_string(),
        _ => String::new(),
    };
    Entry { url, bytes: size, hash: format!("{hash:016x}"), group }
}

/// The web app manifest: the site's title and description, the favicon as
/// the icon, and URLs relative to the manifest, so that the site installs
/// the same under a GitHub Pages sub-path (`/REPO/`).
pub fn web_manifest(config: &Config) -> Vec<u8> {
    // "Site — study notes" is "Site" on a home screen.
    let short = config.title.split([':', '—', '|']).next().unwrap_or(&config.title).trim();
    let manifest = serde_json::json!({
        "name": config.title,
        "short_name": short,
        "description": config.description,
        "lang": config.language,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": "#0b5cad",
        "background_color": "#fdfcf8",
        "icons": [{ "src": "favicon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any" }],
    });
    serde_json::to_vec_pretty(&manifest).expect("plain data serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_grouped_by_top_folder_and_assets_are_shared() {
        let e = |p: &str| entry(p, b"x");
        assert_eq!((e("index.html").url, e("index.html").group), ("./".into(), String::new()));
        assert_eq!(e("minerals/lithium/index.html").url, "minerals/lithium/");
        assert_eq!(e("minerals/lithium/index.html").group, "minerals");
        assert_eq!(e("minerals/index.html").group, "minerals");
        assert_eq!(e("revise/index.html").group, "");
        assert_eq!(e("404.html").group, "");
        assert_eq!(e("style.css").group, "");
        assert_eq!(e("_lode/search/terms/0.json").group, "");
        assert_eq!(e("_lode/revise.json").group, "");
        assert_eq!(e("minerals/map.png").group, "minerals");
        assert_eq!(e("style.css").hash, format!("{:016x}", content_hash(b"x")));
    }

    #[test]
    fn the_list_skips_host_files_and_itself() {
        let mut files = BTreeMap::new();
        for p in ["index.html", "robots.txt", "sw.js", LIST_PATH, "style.css"] {
            files.insert(p.to_string(), OutputFile::Bytes(Arc::from(&b"abc"[..])));
        }
        let json: serde_json::Value =
            serde_json::from_slice(&list(&files, None, &|_| None).unwrap()).unwrap();
        let urls: Vec<&str> =
            json["files"].as_array().unwrap().iter().map(|f| f["url"].as_str().unwrap()).collect();
        assert_eq!(urls, ["./", "style.css"]);
        assert_eq!(json["files"][0]["bytes"], 3);
    }
}
