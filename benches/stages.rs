//! Criterion micro-benchmarks of the build's stages: `cargo bench --bench stages`.
//!
//! Generates a corpus of `LODE_BENCH_NOTES` notes (default 1,000; see
//! `corpus.rs`) in a temporary folder (`TMPDIR=/dev/shm` puts it on tmpfs),
//! then times each stage alone on the whole corpus, its inputs prepared
//! outside the timed part:
//!
//! | bench | what |
//! | --- | --- |
//! | `load` | list `content/` and read every file |
//! | `front_matter` | split and parse every note's front matter, scan its body |
//! | `index` | permalinks, names, collections, tags (`Site::index`) |
//! | `links` | resolve every link, backlinks (`links::resolve`) |
//! | `markdown` | every note body to HTML (`BodyRenderer`), on all cores |
//! | `render` | the whole site through Tera, Markdown included (`render_site`) |
//! | `write` | the rendered pages into a fresh folder, one write per file |
//!
//! Template rendering alone is `render` minus `markdown`. The search index
//! is built on another branch (pagefind); its bench belongs here as
//! `search_index`, over the `render` output.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

use lode::config::Config;
use lode::content::{self, Note};
use lode::links;
use lode::render::body::BodyRenderer;
use lode::render::{self, Page};
use lode::site::Site;

fn stages(c: &mut Criterion) {
    let notes: usize = std::env::var("LODE_BENCH_NOTES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let dir = tempfile::Builder::new().prefix("lode-stages-").tempdir().expect("temp dir");
    let root = dir.path().join("site");
    corpus::generate(&root, notes).expect("corpus");
    let content_dir = root.join(content::CONTENT_DIR);
    let config = Config::load(&root).expect("config");

    let mut group = c.benchmark_group(format!("stages/{notes}"));
    group.sample_size(10);

    group.bench_function("load", |b| b.iter(|| content::load(&content_dir).expect("load")));
    let (files, assets) = content::load(&content_dir).expect("load");

    group.bench_function("front_matter", |b| {
        b.iter_batched(
            || files.clone(),
            |files| files.into_par_iter().map(|f| content::parse(f).expect("parse").0).collect::<Vec<Note>>(),
            BatchSize::LargeInput,
        )
    });
    let parsed: Vec<Arc<Note>> =
        files.into_par_iter().map(|f| Arc::new(content::parse(f).expect("parse").0)).collect();

    group.bench_function("index", |b| {
        b.iter(|| Site::index(config.clone(), parsed.clone(), assets.clone()).expect("index"))
    });
    let site = Site::index(config.clone(), parsed.clone(), assets.clone()).expect("index");

    group.bench_function("links", |b| b.iter(|| links::resolve(&site)));
    let (graph, _) = links::resolve(&site);

    let ids: Vec<_> = site.ids().collect();
    group.bench_function("markdown", |b| {
        b.iter(|| {
            ids.par_iter()
                .map(|&id| {
                    let root = site.permalink(id).path_to_root();
                    let bodies = BodyRenderer {
                        site: &site,
                        graph: &graph,
                        page: Some(id),
                        root: &root,
                        embeds_left: std::cell::Cell::new(lode::render::body::EMBED_BUDGET),
                    };
                    bodies.body(id).len()
                })
                .sum::<usize>()
        })
    });

    let templates = render::load_templates(&root).expect("templates");
    let views = render::views(&site);
    let neighbours = lode::graph::Neighbours::new(&site, &graph);
    let changes = lode::changes::Record::new();
    let inputs =
        render::Inputs { neighbours: &neighbours, views: &views, base_path: "/corpus/", changes: &changes };
    let outputs: Vec<render::Output> = render::outputs(&site, &views).into_iter().map(|(o, _)| o).collect();
    let render_all = |emit: &(dyn Fn(Page) -> Result<Page, lode::diagnostics::Diagnostic> + Sync)| {
        let pages = render::render_site(&site, &graph, &templates, &inputs, &outputs, emit).expect("render");
        pages.into_iter().map(|(page, _)| page).collect::<Vec<Page>>()
    };
    group.bench_function("render", |b| b.iter(|| render_all(&Ok).len()));
    let pages = render_all(&Ok);

    group.bench_function("write", |b| {
        b.iter_batched(
            || tempfile::Builder::new().prefix("lode-write-").tempdir_in(dir.path()).expect("temp dir"),
            |out| {
                pages.par_iter().for_each(|page| {
                    let path = out.path().join(&page.path);
                    std::fs::create_dir_all(path.parent().expect("inside")).expect("mkdir");
                    std::fs::write(path, &page.html).expect("write");
                });
                out
            },
            BatchSize::PerIteration,
        )
    });
    // `search_index`: plugs in here, over `pages`, when the pagefind branch lands.
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
