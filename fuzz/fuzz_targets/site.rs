//! The Markdown and link pipeline on a small site: the input is cut into up
//! to four notes (at NUL bytes) in two folders, which are parsed, indexed,
//! linked, checked and rendered with the built-in templates. Any outcome but
//! a panic is fine.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use lode::config::Config;
use lode::content::{SourceFile, SourcePath, parse};
use lode::render::{Plan, Selection, load_templates, render_site, views};
use lode::site::Site;

const PATHS: [&str; 4] = ["_index.md", "a/lithium.md", "a/china.md", "b/lithium.md"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut notes = Vec::new();
    for (part, path) in text.split('\0').zip(PATHS) {
        match parse(SourceFile { path: SourcePath::new(path), text: part.to_string() }) {
            Ok((note, _)) => notes.push(Arc::new(note)),
            Err(_) => return,
        }
    }
    let Ok(site) = Site::index(Config::default(), notes, Vec::new()) else { return };
    let (graph, _) = lode::links::resolve(&site);
    let _ = lode::check::check(&site, &graph);
    // No such folder: only the built-in templates are loaded.
    let Ok(templates) = load_templates(std::path::Path::new("/nonexistent-lode-fuzz")) else { return };
    let neighbours = lode::graph::Neighbours::new(&site, &graph);
    let plan = Plan { selection: &Selection::All, neighbours: &neighbours, site_graph: true, revise: true };
    let _ = render_site(&site, &graph, &templates, &plan, &views(&site), "/", &Ok);
    let _ = lode::render::revise::data_file(&lode::render::revise::gather_all(&site, &graph));
});
