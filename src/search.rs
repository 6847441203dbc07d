//! Full-text search: Lode's own static, chunked index of the built pages,
//! under `_lode/search/`, which `static/search.js` queries in the browser.
//!
//! Each page is read once into a [`Record`] ([`extract`], by the rules of
//! Pagefind's markup, `data-pagefind-body` and the rest, which the
//! templates keep using), then [`assemble`] turns the records into:
//!
//! - `meta.json`: `{"version":1, "id", "pages", "per_fragment", "chunks",
//!   "filters"}`: `chunks` lists the first term of each term chunk, and
//!   `filters` each filter's values with their number of pages.
//! - `terms/K.json`: `{"id", "terms": {TERM: [[page, score, location, Δ…]…]}}`,
//!   the terms from `chunks[K]` up to `chunks[K+1]`, sorted by UTF-16 code
//!   units: for each page holding the term, its number (0-based, in URL
//!   order), the term's BM25 term-frequency part × 100 (k1 = 1.2, b = 0.75,
//!   a heading word counting as Pagefind weighs it) and its locations, the
//!   first as is and the rest as differences. The browser adds the inverse
//!   document frequency from the posting list's length.
//! - `pages/F.json`: the pages `F·per_fragment…`: `url`, `title`, `meta`,
//!   `text` (the indexed words, for excerpts) and `anchors` (`[id,
//!   location]`, where a result opens at a question or flashcard).
//! - `filters.json`: each filter value's page numbers.
//!
//! A query loads `meta.json`, the chunks of its words and the fragments of
//! the results it shows: a few tens of kilobytes on a 10,000-note site.
//! The files are plain JSON, compressed in transit by the host (GitHub
//! Pages gzips JSON). The `id`, a hash of the index, lets the browser see
//! that `lode serve` replaced the index between two of its fetches.
//!
//! What a search must not spoil is marked `data-pagefind-ignore` in the
//! templates and the Markdown output: the self-test's answers and
//! explanations, flashcard backs and cloze deletions, and page chrome.
//!
//! Under `lode serve`, a [`Cache`] keeps each page's record between
//! rebuilds, so an edit re-reads only the pages that changed.

pub mod extract;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

pub use extract::Record;
use extract::utf16_cmp;

use crate::diagnostics::{Diagnostic, Severity};
use crate::output::OutputFile;

/// The output folder of the index; `search.js` loads
/// `_lode/search/meta.json` from there.
pub const SEARCH_DIR: &str = "_lode/search";

/// The format's version, in `meta.json`.
const VERSION: u32 = 1;

/// Pages per fragment file: one file per page would be 100,000 files to
/// write at 100,000 notes; a result's fragment brings its neighbours' text
/// too (about 8 × 4 KB of JSON before compression, so the ten results a
/// query shows cost about 80 KB gzipped at most; at 32 a page, 290 KB).
pub const PER_FRAGMENT: usize = 8;

/// The size a term chunk is cut at, in bytes of JSON: a one-word query
/// loads one chunk, or a few for a prefix.
const CHUNK_BYTES: usize = 32 * 1024;

/// BM25's parameters (Robertson and Zaragoza, "The Probabilistic Relevance
/// Framework: BM25 and Beyond", 2009), as Pagefind and Lucene default them.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Each page's record, kept between rebuilds by `lode serve`: a page whose
/// bytes are the same allocation as last time (kept by the incremental
/// build) is not read again.
#[derive(Default)]
pub struct Cache {
    pages: HashMap<String, Cached>,
}

/// A page's bytes and its record (`None`: not indexed).
type Cached = (Arc<[u8]>, Option<Arc<Record>>);

/// A term's posting on one page: the page's number, its score, and the
/// term's number among the page's terms (12 bytes: 10 million of them at
/// 100,000 notes).
type Posting = (u32, u32, u32);

/// The search index of `files` (a build's output, by path relative to the
/// output folder; pages already written ([`OutputFile::Written`]) are read
/// back from `written_in`, unless `known` has their record already): every HTML page carrying [`extract::BODY`] is
/// indexed under its folder's URL (`minerals/lithium/index.html` →
/// `/minerals/lithium/`, which `search.js` prefixes with the site's path).
/// Returns the index's files, by output path under [`SEARCH_DIR`]; a site
/// without such pages gets a valid empty index, so its search finds
/// nothing rather than failing.
///
/// Each index file goes through `put` as soon as it is made (see [`Put`]).
///
/// # Errors
/// A diagnostic on the page when a written page cannot be read back; one on
/// [`SEARCH_DIR`] when `put` fails.
pub fn index(
    files: &BTreeMap<String, OutputFile>,
    written_in: Option<&Path>,
    known: HashMap<String, Option<Arc<Record>>>,
    put: Put,
    languages: &[String],
) -> Result<BTreeMap<String, OutputFile>, Diagnostic> {
    let pages: Vec<(&String, &OutputFile)> = files.iter().filter(|(path, _)| is_page(path)).collect();
    let records: Vec<Option<Arc<Record>>> = pages
        .par_iter()
        .map(|(path, file)| {
            if let (OutputFile::Written, Some(record)) = (file, known.get(*path)) {
                return Ok(record.clone());
            }
            let bytes = match (file, written_in) {
                (OutputFile::Bytes(bytes), _) => Arc::clone(bytes),
                (OutputFile::Written, Some(dir)) => {
                    std::fs::read(dir.join(path)).map(Arc::from).map_err(|e| {
                        Diagnostic::whole_file(
                            Severity::Error,
                            path.as_str(),
                            format!("cannot read the built page back for the search index: {e}"),
                        )
                    })?
                }
                _ => return Ok(None),
            };
            Ok(record_of(path, &bytes).map(Arc::new))
        })
        .collect::<Result<_, Diagnostic>>()?;
    drop(known);
    let records: Vec<Arc<Record>> = records.into_iter().flatten().collect();
    assemble_languages(records, put, languages).map_err(|e| {
        Diagnostic::whole_file(Severity::Error, SEARCH_DIR, format!("cannot write the search index: {e}"))
    })
}

/// Where each file of the index goes as it is made: given its output path
/// (under [`SEARCH_DIR`]) and bytes, what the output map holds of it. `lode
/// build` writes it into the staging folder at once ([`OutputFile::Written`]:
/// a build never holds the whole index, 45 MB at 10,000 notes); `lode
/// serve` keeps it ([`keep`]).
pub type Put<'a> = &'a (dyn Fn(&str, Vec<u8>) -> std::io::Result<OutputFile> + Sync);

/// A [`Put`] that keeps the file's bytes in memory.
///
/// # Errors
/// None: the type is [`Put`]'s.
pub fn keep(_: &str, bytes: Vec<u8>) -> std::io::Result<OutputFile> {
    Ok(OutputFile::Bytes(Arc::from(bytes)))
}

/// [`index`] for `lode serve`, whose pages are all in memory: only pages
/// new or changed since the last call are read, the others' records come
/// from `cache`, which then holds exactly the pages of `files`.
pub fn index_cached(
    cache: &mut Cache,
    files: &BTreeMap<String, OutputFile>,
    languages: &[String],
) -> BTreeMap<String, OutputFile> {
    let pages: Vec<(&String, &Arc<[u8]>)> = files
        .iter()
        .filter(|(path, _)| is_page(path))
        .filter_map(|(path, file)| match file {
            OutputFile::Bytes(bytes) => Some((path, bytes)),
            _ => None,
        })
        .collect();
    let fresh: Vec<(String, Cached)> = pages
        .par_iter()
        .filter(|(path, bytes)| !cache.pages.get(*path).is_some_and(|(old, _)| Arc::ptr_eq(old, bytes)))
        .map(|(path, bytes)| ((*path).clone(), (Arc::clone(bytes), record_of(path, bytes).map(Arc::new))))
        .collect();
    cache.pages.extend(fresh);
    cache.pages.retain(|path, _| files.contains_key(path));
    let records: Vec<Arc<Record>> =
        pages.iter().filter_map(|(path, _)| cache.pages.get(*path).and_then(|(_, r)| r.clone())).collect();
    assemble_languages(records, &keep, languages).unwrap_or_default()
}

/// One index per language: the pages under `/<code>/` for each of the
/// site's other `languages` in `<code>/_lode/search/`, every other page in
/// [`SEARCH_DIR`] ([`assemble`] for each), so that a Hindi page's search
/// finds Hindi notes.
///
/// # Errors
/// The first error of `put`.
pub fn assemble_languages(
    records: Vec<Arc<Record>>,
    put: Put,
    languages: &[String],
) -> std::io::Result<BTreeMap<String, OutputFile>> {
    if languages.is_empty() {
        return assemble_in(SEARCH_DIR, records, put);
    }
    let mut groups: Vec<Vec<Arc<Record>>> = vec![Vec::new(); languages.len() + 1];
    for record in records {
        let l = languages.iter().position(|code| {
            record
                .url
                .strip_prefix('/')
                .and_then(|u| u.strip_prefix(code.as_str()))
                .is_some_and(|u| u.starts_with('/'))
        });
        groups[l.map_or(0, |l| l + 1)].push(record);
    }
    let mut out = BTreeMap::new();
    for (g, records) in groups.into_iter().enumerate() {
        let dir = match g {
            0 => SEARCH_DIR.to_string(),
            l => format!("{}/{SEARCH_DIR}", languages[l - 1]),
        };
        out.extend(assemble_in(&dir, records, put)?);
    }
    Ok(out)
}

/// The record of the output file at `path` (`minerals/lithium/index.html`)
/// with contents `bytes`: `None` unless it is a page carrying [`extract::BODY`].
pub fn record_of(path: &str, bytes: &[u8]) -> Option<Record> {
    is_page(path).then(|| extract::record(&url_of(path), bytes)).flatten()
}

fn is_page(path: &str) -> bool {
    path.ends_with("index.html")
}

/// `minerals/lithium/index.html` → `/minerals/lithium/`.
fn url_of(path: &str) -> String {
    format!("/{}", path.trim_end_matches("index.html"))
}

/// A fragment's entry for one page.
#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    title: &'a str,
    meta: &'a BTreeMap<String, String>,
    text: &'a str,
    anchors: &'a [(String, u32)],
}

/// The index files of `records`, pages numbered in the order given. The
/// records are dropped as soon as the index holds what it needs of them
/// (the page fragments first, then the terms), so that a build's peak
/// memory does not hold them and the files together.
///
/// # Errors
/// The first error of `put`.
pub fn assemble(records: Vec<Arc<Record>>, put: Put) -> std::io::Result<BTreeMap<String, OutputFile>> {
    assemble_in(SEARCH_DIR, records, put)
}

/// [`assemble`] into the folder `dir` (`hi/_lode/search`).
fn assemble_in(
    dir: &str,
    mut records: Vec<Arc<Record>>,
    put: Put,
) -> std::io::Result<BTreeMap<String, OutputFile>> {
    let pages = records.len();
    let mut out = BTreeMap::new();
    // Fragments are put as they are made, on all cores.
    let fragments: Vec<(String, OutputFile)> = records
        .par_chunks(PER_FRAGMENT)
        .enumerate()
        .map(|(f, group)| {
            // Each page's terms are made here, from its text, before the text goes.
            for r in group {
                r.terms();
            }
            let pages: Vec<Fragment> = group
                .iter()
                .map(|r| Fragment {
                    url: &r.url,
                    title: &r.title,
                    meta: &r.meta,
                    text: &r.text,
                    anchors: &r.anchors,
                })
                .collect();
            let path = format!("{dir}/pages/{f}.json");
            let json = serde_json::to_vec(&pages).expect("strings and numbers serialize");
            put(&path, json).map(|made| (path, made))
        })
        .collect::<std::io::Result<_>>()?;
    out.extend(fragments);
    // The fragments hold the pages' text now: a record no cache shares
    // (`lode build`'s) lets its own go before the terms' postings are made.
    for record in &mut records {
        if let Some(record) = Arc::get_mut(record) {
            record.text = String::new();
            record.anchors = Vec::new();
        }
    }
    let counts = {
        let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
        for (page, record) in records.iter().enumerate() {
            for (name, values) in &record.filters {
                for value in values {
                    filters.entry(name).or_default().entry(value).or_default().push(page as u32);
                }
            }
        }
        let path = format!("{dir}/filters.json");
        let made = put(&path, serde_json::to_vec(&filters).expect("strings and numbers serialize"))?;
        out.insert(path, made);
        let counts: BTreeMap<&str, BTreeMap<&str, usize>> = filters
            .iter()
            .map(|(name, values)| (*name, values.iter().map(|(v, p)| (*v, p.len())).collect()))
            .collect();
        serde_json::to_value(counts).expect("strings and numbers serialize")
    };
    let (entries, chunks, firsts) = terms_of_records(&records);
    drop(records);
    let id = {
        // The terms' entries hold every page's number and words' locations:
        // their hash changes whenever the numbering or a page's words do.
        let hashes: Vec<u64> = entries.par_iter().map(|s| crate::hash::fnv1a64(s.as_bytes())).collect();
        let mut all: Vec<u8> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        all.extend_from_slice(&(pages as u64).to_le_bytes());
        format!("{:016x}", crate::hash::fnv1a64(&all))
    };
    let meta = serde_json::json!({
        "version": VERSION,
        "id": id,
        "pages": pages,
        "per_fragment": PER_FRAGMENT,
        "chunks": firsts,
        "filters": counts,
    });
    let path = format!("{dir}/meta.json");
    let made = put(&path, meta.to_string().into_bytes())?;
    out.insert(path, made);
    // Each chunk takes its entries, which go as it is made: the terms are
    // held once, not twice (at 100,000 notes 215 MB).
    let mut entries = entries.into_iter();
    for (k, range) in chunks.iter().enumerate() {
        let mut json = format!("{{\"id\":\"{id}\",\"terms\":{{");
        for (i, entry) in entries.by_ref().take(range.len()).enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&entry);
        }
        json.push_str("}}");
        let path = format!("{dir}/terms/{k}.json");
        let made = put(&path, json.into_bytes())?;
        out.insert(path, made);
    }
    Ok(out)
}

/// Each term's entry of its chunk's JSON object (`"term":[[page, score,
/// location, Δ…]…]`), in UTF-16 order; the chunks as ranges of entries up
/// to [`CHUNK_BYTES`]; each chunk's first term.
fn terms_of_records(records: &[Arc<Record>]) -> (Vec<String>, Vec<std::ops::Range<usize>>, Vec<String>) {
    let total: u64 = records.iter().map(|r| u64::from(r.locations)).sum();
    let average = (total as f64 / records.len().max(1) as f64).max(1.0);
    // Every term its number, and how many pages hold it; then all postings
    // in one table of exact size, each term's a run of it in page order (a
    // vector per term, grown by doubling, held up to twice the postings).
    let mut numbers: HashMap<&str, u32, crate::hash::FnvBuild> = HashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut term_of: Vec<u32> = Vec::with_capacity(records.iter().map(|r| r.terms().iter().count()).sum());
    for record in records {
        for (term, _, _) in record.terms().iter() {
            let n = *numbers.entry(term).or_insert_with(|| {
                names.push(term);
                counts.push(0);
                (names.len() - 1) as u32
            });
            counts[n as usize] += 1;
            term_of.push(n);
        }
    }
    drop(numbers);
    let mut starts: Vec<usize> = Vec::with_capacity(counts.len() + 1);
    let mut next: Vec<usize> = Vec::with_capacity(counts.len());
    let mut at = 0;
    for count in &counts {
        starts.push(at);
        next.push(at);
        at += *count as usize;
    }
    starts.push(at);
    drop(counts);
    let mut postings: Vec<Posting> = vec![(0, 0, 0); at];
    let mut term_of = term_of.into_iter();
    for (page, record) in records.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * f64::from(record.locations) / average);
        for (i, ((_, weight, _), n)) in record.terms().iter().zip(term_of.by_ref()).enumerate() {
            let tf = f64::from(weight);
            let score = (100.0 * tf * (K1 + 1.0) / (tf + norm)).round() as u32;
            postings[next[n as usize]] = (page as u32, score, i as u32);
            next[n as usize] += 1;
        }
    }
    drop(next);
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.par_sort_unstable_by(|a, b| utf16_cmp(names[*a as usize], names[*b as usize]));
    let entries: Vec<String> = order
        .par_iter()
        .map(|n| {
            let (term, list) = (names[*n as usize], &postings[starts[*n as usize]..starts[*n as usize + 1]]);
            let mut entry = json_string(term);
            entry.push_str(":[");
            for (i, &(page, score, nth)) in list.iter().enumerate() {
                let locations = records[page as usize].terms().locations_of(nth as usize);
                if i > 0 {
                    entry.push(',');
                }
                let mut digits = itoa::Buffer::new();
                entry.push('[');
                entry.push_str(digits.format(page));
                entry.push(',');
                entry.push_str(digits.format(score));
                let mut last = 0;
                for location in locations.iter() {
                    entry.push(',');
                    entry.push_str(digits.format(location - last));
                    last = *location;
                }
                entry.push(']');
            }
            entry.push(']');
            entry
        })
        .collect();
    // Chunks: consecutive entries up to CHUNK_BYTES.
    let mut chunks: Vec<std::ops::Range<usize>> = vec![];
    let mut start = 0;
    let mut size = 0;
    for (i, entry) in entries.iter().enumerate() {
        size += entry.len() + 1;
        if size >= CHUNK_BYTES || i + 1 == entries.len() {
            chunks.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    let firsts = chunks.iter().map(|r| names[order[r.start] as usize].to_string()).collect();
    (entries, chunks, firsts)
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> OutputFile {
        OutputFile::Bytes(Arc::from(
            format!("<html><body><main data-pagefind-body>{body}</main></body></html>").into_bytes(),
        ))
    }

    fn json(files: &BTreeMap<String, OutputFile>, path: &str) -> serde_json::Value {
        let OutputFile::Bytes(b) = &files[&format!("{SEARCH_DIR}/{path}")] else { panic!("bytes") };
        serde_json::from_slice(b).expect("valid JSON")
    }

    #[test]
    fn postings_give_pages_scores_and_delta_locations_and_chunks_cover_every_term() {
        let mut files = BTreeMap::new();
        files.insert(
            "a/index.html".to_string(),
            page("<h1 data-pagefind-meta=title>Alpha</h1><p>beta beta gamma</p>"),
        );
        files.insert("b/index.html".to_string(), page("<p>beta delta</p>"));
        files.insert("style.css".to_string(), OutputFile::Bytes(Arc::from(&b"p{}"[..])));
        files.insert("c/index.html".to_string(), OutputFile::Bytes(Arc::from(&b"<p>not marked</p>"[..])));
        let out = index(&files, None, HashMap::new(), &keep, &[]).expect("indexes");
        let meta = json(&out, "meta.json");
        assert_eq!(meta["pages"], 2);
        let chunks = meta["chunks"].as_array().expect("array");
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0], "alpha");
        let terms = json(&out, "terms/0.json");
        assert_eq!(terms["id"], meta["id"]);
        let beta = &terms["terms"]["beta"];
        // Page 0 has beta at 1 and 2 (1, then +1); page 1 at 0.
        assert_eq!(beta[0][0], 0);
        assert_eq!(beta[0].as_array().expect("array")[2..], [1, 1]);
        assert_eq!(beta[1].as_array().expect("array")[2..], [0]);
        // Alpha is in the h1: weight 7, so it scores above beta's two plain words.
        let alpha = terms["terms"]["alpha"][0][1].as_u64().expect("score");
        assert!(alpha > beta[0][1].as_u64().expect("score"), "{alpha} vs {beta}");
        let pages = json(&out, "pages/0.json");
        assert_eq!(pages[0]["url"], "/a/");
        assert_eq!(pages[0]["title"], "Alpha");
        assert_eq!(pages[0]["text"], "Alpha beta beta gamma");
        assert_eq!(pages[1]["url"], "/b/");
        let keys: Vec<&String> = terms["terms"].as_object().expect("object").keys().collect();
        assert_eq!(keys, ["alpha", "beta", "delta", "gamma"]);
    }

    #[test]
    fn the_cache_reads_only_changed_pages_and_gives_the_same_index() {
        let mut files = BTreeMap::new();
        files.insert("a/index.html".to_string(), page("<p>one two</p>"));
        files.insert("b/index.html".to_string(), page("<p>three</p>"));
        let mut cache = Cache::default();
        assert_eq!(
            index_cached(&mut cache, &files, &[]),
            index(&files, None, HashMap::new(), &keep, &[]).expect("indexes")
        );
        files.insert("b/index.html".to_string(), page("<p>four</p>"));
        files.remove("a/index.html");
        assert_eq!(
            index_cached(&mut cache, &files, &[]),
            index(&files, None, HashMap::new(), &keep, &[]).expect("indexes")
        );
        assert_eq!(cache.pages.len(), 1);
    }

    /// `lode build` puts each file into the staging folder as it is made:
    /// the same bytes as kept in memory, the map marking them written.
    #[test]
    fn a_put_that_writes_gets_the_same_files() {
        let mut files = BTreeMap::new();
        for k in 0..20 {
            files.insert(format!("n{k}/index.html"), page(&format!("<p>word{k} shared</p>")));
        }
        let kept = index(&files, None, HashMap::new(), &keep, &[]).expect("indexes");
        let dir = tempfile::tempdir().expect("temporary folder");
        let put = |path: &str, bytes: Vec<u8>| {
            let to = dir.path().join(path);
            std::fs::create_dir_all(to.parent().expect("in a folder"))?;
            std::fs::write(to, bytes).map(|()| OutputFile::Written)
        };
        let written = index(&files, None, HashMap::new(), &put, &[]).expect("indexes");
        assert_eq!(kept.keys().collect::<Vec<_>>(), written.keys().collect::<Vec<_>>());
        assert!(kept.keys().any(|k| k.contains("/pages/")) && kept.keys().any(|k| k.contains("/terms/")));
        for (path, file) in &kept {
            let OutputFile::Bytes(bytes) = file else { panic!("{path} kept as bytes") };
            assert_eq!(written[path], OutputFile::Written, "{path}");
            assert_eq!(std::fs::read(dir.path().join(path)).expect("written"), bytes.to_vec(), "{path}");
        }
        let failing = |_: &str, _: Vec<u8>| Err(std::io::Error::other("disk full"));
        let error =
            index(&files, None, HashMap::new(), &failing, &[]).expect_err("a failed write is an error");
        assert!(error.message.contains("cannot write the search index: disk full"), "{}", error.message);
    }

    #[test]
    fn an_empty_site_gets_a_valid_empty_index() {
        let out = index(&BTreeMap::new(), None, HashMap::new(), &keep, &[]).expect("indexes");
        assert_eq!(json(&out, "meta.json")["pages"], 0);
        assert_eq!(json(&out, "meta.json")["chunks"], serde_json::json!([]));
    }
}
