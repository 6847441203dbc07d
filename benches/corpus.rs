//! A deterministic generator of synthetic Lode sites, for benchmarks.
//!
//! [`generate`] writes a `site.toml`, a home page, eight collections and `N`
//! notes spread across them. Every note has full front matter (title,
//! summary, 2–4 tags out of 50, date, weight, an `[extra]` table, sometimes a
//! `[[questions]]` entry) and a body with 3–6 `## ` headings, paragraphs, a
//! bulleted list, a GFM table and 3–10 wikilinks to other notes (`[[Title]]`,
//! `[[Title|text]]` and `[[Title#Heading]]`). Titles are unique site-wide and
//! every `#Heading` names a heading its target really has, so every link
//! resolves and the site builds with `[links] level = "error"`. The same `N`
//! always gives byte-identical files: the only randomness is a fixed-seed
//! xorshift generator.
//!
//! This file is also a bench target with its own `main`, a small command line
//! that writes a corpus to a folder:
//!
//! ```sh
//! cargo bench --bench corpus -- DIR NOTES
//! ```

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The collections: folder, title, `sort_by`.
const COLLECTIONS: &[(&str, &str, &str)] = &[
    ("minerals", "Minerals", "title"),
    ("countries", "Countries", "weight"),
    ("programmes", "Programmes", "date"),
    ("sectors", "Sectors", "title"),
    ("companies", "Companies", "weight"),
    ("policies", "Policies", "date"),
    ("deposits", "Deposits", "title"),
    ("processes", "Processes", "weight"),
];

/// Headings a note's sections are drawn from (so `[[Title#Heading]]` links can
/// name one that exists).
const HEADINGS: &[&str] = &[
    "Overview",
    "Background",
    "Key figures",
    "Supply chain",
    "Processing",
    "Policy",
    "Risks",
    "Outlook",
    "Trade",
    "History",
    "Uses",
    "Reserves",
];

/// First words of titles.
#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "Basalt", "Copper", "Northern", "Silent", "Amber", "Granite", "Lunar", "Coastal", "Eastern", "Iron",
    "Quartz", "Hidden", "Western", "Cobalt", "Golden", "Arctic", "Desert", "Upper", "Lower", "Central",
];

/// Second words of titles.
#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "Ridge", "Basin", "Refinery", "Accord", "Corridor", "Mine", "Smelter", "Agency", "Fund", "Belt", "Valley",
    "Plateau", "Compact", "Reserve", "Mission", "Charter", "Delta", "Works", "Harbour", "Forum",
];

/// Words paragraphs are made of.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "supply", "demand", "refining", "ore", "export", "import", "battery", "magnet", "reserve", "policy",
    "market", "price", "capacity", "grade", "tonnes", "investment", "partner", "processing", "recycling",
    "strategy", "security", "chain", "mineral", "deposit", "production", "share", "global", "domestic",
    "industry", "technology", "concentrate", "licence", "auction", "stockpile", "tariff", "agreement",
    "quota", "exploration", "survey", "output", "growth", "risk", "cost", "energy", "transition", "grid",
    "vehicle", "semiconductor", "defence", "alloy", "the", "of", "and", "in", "for", "with", "to", "by",
    "from", "its",
];

/// The tag pool: 50 tags.
#[rustfmt::skip]
pub const TAGS: &[&str] = &[
    "battery", "magnet", "alloy", "semiconductor", "defence", "energy", "mining", "refining", "recycling",
    "trade", "policy", "china", "india", "usa", "japan", "australia", "africa", "europe", "latin-america",
    "stockpile", "export-ban", "tariff", "investment", "exploration", "processing", "supply-risk", "price",
    "rare-earth", "platinum-group", "base-metal", "minor-metal", "by-product", "critical", "strategic",
    "green-transition", "ev", "solar", "wind", "grid", "electronics", "aerospace", "telecom", "nuclear",
    "agriculture", "fertiliser", "catalyst", "ceramics", "glass", "steel", "chemicals",
];

/// The generator's seed: any fixed non-zero value will do.
const SEED: u64 = 0x5EED_10DE_2025_0217;

/// A small xorshift64* generator: deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// One element of `items`.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() - 1)]
    }

    /// `k` distinct indices below `n`, in random order (`k <= n`).
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = self.range(i, n - 1);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

/// What [`generate`] wrote.
#[derive(Clone, Copy, Debug)]
pub struct Corpus {
    /// Notes written, collection and home pages not included.
    pub notes: usize,
    /// Collections written (each a folder with an `_index.md`).
    pub collections: usize,
    /// Wikilinks written across all notes.
    pub links: usize,
    /// Bytes of Markdown and TOML written.
    pub bytes: u64,
}

/// A note's identity, decided before any body is written so links can name
/// titles and headings that exist.
struct Meta {
    title: String,
    file: String,
    collection: usize,
    headings: Vec<&'static str>,
}

/// Writes a synthetic site of `notes` notes into `dir` (created if missing).
///
/// The output depends only on `notes`. Build it with
/// `lode build --root DIR`.
///
/// # Errors
/// Any I/O error; `AlreadyExists` if `dir` already holds a `site.toml` or a
/// `content/` folder (nothing is overwritten).
pub fn generate(dir: &Path, notes: usize) -> io::Result<Corpus> {
    for taken in ["site.toml", "content"] {
        if dir.join(taken).exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already exists; generate into an empty folder", dir.join(taken).display()),
            ));
        }
    }
    let mut rng = Rng::new(SEED);
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;

    let mut bytes = 0;
    let mut write = |rel: &str, text: &str| -> io::Result<()> {
        bytes += text.len() as u64;
        std::fs::write(dir.join(rel), text)
    };
    write(
        "site.toml",
        &format!(
            "title = \"Synthetic corpus ({notes} notes)\"\n\
             description = \"A generated site for benchmarking Lode.\"\n\
             base_url = \"https://example.org/corpus/\"\n\
             language = \"en\"\n\n[links]\nlevel = \"error\"\n"
        ),
    )?;
    write(
        "content/_index.md",
        &format!(
            "+++\ntitle = \"Synthetic corpus\"\nsummary = \"{notes} generated notes in {} collections.\"\n+++\n\n\
             This site is generated by `benches/corpus.rs` to benchmark Lode.\n",
            COLLECTIONS.len()
        ),
    )?;
    for (folder, title, sort_by) in COLLECTIONS {
        std::fs::create_dir_all(content.join(folder))?;
        write(
            &format!("content/{folder}/_index.md"),
            &format!(
                "+++\ntitle = \"{title}\"\nsummary = \"Generated notes about {folder}.\"\nsort_by = \"{sort_by}\"\n+++\n\n\
                 Every generated note filed under {folder}.\n"
            ),
        )?;
    }

    let metas: Vec<Meta> = (0..notes)
        .map(|i| {
            let title = format!("{} {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS), i + 1);
            let file = title.to_lowercase().replace(' ', "-");
            let collection = rng.range(0, COLLECTIONS.len() - 1);
            let count = rng.range(3, 6);
            let headings = rng.distinct(HEADINGS.len(), count).into_iter().map(|h| HEADINGS[h]).collect();
            Meta { title, file, collection, headings }
        })
        .collect();

    let mut links = 0;
    let mut text = String::new();
    for (i, meta) in metas.iter().enumerate() {
        text.clear();
        links += note(&mut rng, &metas, i, &mut text);
        let path = format!("content/{}/{}.md", COLLECTIONS[meta.collection].0, meta.file);
        write(&path, &text)?;
    }
    Ok(Corpus { notes, collections: COLLECTIONS.len(), links, bytes })
}

/// Writes note `i` into `out`; returns the number of wikilinks written.
fn note(rng: &mut Rng, metas: &[Meta], i: usize, out: &mut String) -> usize {
    let meta = &metas[i];
    let (folder, _, _) = COLLECTIONS[meta.collection];

    // Front matter.
    let count = rng.range(2, 4);
    let tags = rng.distinct(TAGS.len(), count).into_iter().map(|t| format!("\"{}\"", TAGS[t]));
    let tags = tags.collect::<Vec<_>>().join(", ");
    let _ = write!(
        out,
        "+++\ntitle = \"{}\"\nsummary = \"{} about {} {}.\"\ntags = [{tags}]\n\
         date = {}-{:02}-{:02}\nweight = {}\n\n[extra]\nsymbol = \"{}{}\"\nshare = {}.{}\nrank = {}\n",
        meta.title,
        capitalise(&sentence_words(rng, 4, 8)),
        folder,
        i + 1,
        rng.range(2015, 2025),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.range(1, 1000),
        (b'A' + rng.range(0, 25) as u8) as char,
        (b'a' + rng.range(0, 25) as u8) as char,
        rng.range(0, 99),
        rng.range(0, 9),
        rng.range(1, 200),
    );
    if i.is_multiple_of(5) {
        let options = ["12%", "38%", "58%", "87%"];
        let _ = write!(
            out,
            "\n[[questions]]\nquestion = \"Which share of {} does note {} quote?\"\n\
             options = [\"12%\", \"38%\", \"58%\", \"87%\"]\nanswer = \"{}\"\n\
             explanation = \"See the key figures.\"\n",
            rng.pick(WORDS),
            i + 1,
            rng.pick(&options),
        );
    }
    out.push_str("+++\n\n");

    // The links this note will carry, written one per paragraph or list item.
    let mut links: Vec<String> = if metas.len() > 1 {
        (0..rng.range(3, 10)).map(|_| link(rng, metas, i)).collect()
    } else {
        Vec::new()
    };
    let written = links.len();

    paragraph(rng, out, links.pop());
    let list_at = rng.range(0, meta.headings.len() - 1);
    let table_at = rng.range(0, meta.headings.len() - 1);
    for (h, heading) in meta.headings.iter().enumerate() {
        let _ = write!(out, "## {heading}\n\n");
        paragraph(rng, out, links.pop());
        if h == list_at {
            for _ in 0..rng.range(3, 5) {
                out.push_str("- ");
                out.push_str(&capitalise(&sentence_words(rng, 3, 8)));
                if let Some(l) = links.pop() {
                    out.push_str(", see ");
                    out.push_str(&l);
                }
                out.push('\n');
            }
            out.push('\n');
        }
        if h == table_at {
            out.push_str("| item | 2023 | 2024 | share |\n| --- | ---: | ---: | ---: |\n");
            for _ in 0..rng.range(3, 5) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {}% |",
                    rng.pick(TAGS),
                    rng.range(10, 9999),
                    rng.range(10, 9999),
                    rng.range(1, 99)
                );
            }
            out.push('\n');
        }
        if h + 1 == meta.headings.len() {
            // Whatever links are left go into the last section.
            while let Some(l) = links.pop() {
                paragraph(rng, out, Some(l));
            }
        } else if rng.range(0, 1) == 0 {
            paragraph(rng, out, None);
        }
    }
    written
}

/// A wikilink from note `from` to another note, in one of three forms.
fn link(rng: &mut Rng, metas: &[Meta], from: usize) -> String {
    let mut to = rng.range(0, metas.len() - 2);
    if to >= from {
        to += 1;
    }
    let target = &metas[to];
    match rng.range(0, 3) {
        0 => format!("[[{}|{}]]", target.title, sentence_words(rng, 1, 3)),
        1 => format!("[[{}#{}]]", target.title, rng.pick(&target.headings)),
        _ => format!("[[{}]]", target.title),
    }
}

/// A paragraph of 2–4 sentences, with `link` inside the first one.
fn paragraph(rng: &mut Rng, out: &mut String, link: Option<String>) {
    for s in 0..rng.range(2, 4) {
        if s > 0 {
            out.push(' ');
        }
        out.push_str(&capitalise(&sentence_words(rng, 6, 14)));
        if s == 0
            && let Some(l) = &link
        {
            out.push_str(" in ");
            out.push_str(l);
        }
        out.push('.');
    }
    out.push_str("\n\n");
}

/// `lo..=hi` words separated by spaces.
fn sentence_words(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut s = String::new();
    for w in 0..n {
        if w > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `cargo bench --bench corpus -- DIR NOTES`: writes a corpus of NOTES notes to DIR.
#[allow(dead_code)] // `benches/build.rs` includes this file as a module and never calls `main`.
fn main() {
    // `cargo bench` passes `--bench` to every target; ignore it.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (dir, notes) = match args.as_slice() {
        [dir, notes] => match notes.replace('_', "").parse::<usize>() {
            Ok(n) => (dir.clone(), n),
            Err(_) => usage_exit(2),
        },
        [] => {
            eprintln!("corpus: nothing to generate (usage: cargo bench --bench corpus -- DIR NOTES)");
            return;
        }
        _ => usage_exit(2),
    };
    let start = std::time::Instant::now();
    match generate(Path::new(&dir), notes) {
        Ok(c) => println!(
            "Generated {} notes ({} links, {:.1} MiB) in {} collections into {dir} in {} ms",
            c.notes,
            c.links,
            c.bytes as f64 / (1024.0 * 1024.0),
            c.collections,
            start.elapsed().as_millis()
        ),
        Err(e) => {
            eprintln!("corpus: cannot generate into {dir}: {e}");
            std::process::exit(1);
        }
    }
}

#[allow(dead_code)]
fn usage_exit(code: i32) -> ! {
    eprintln!("usage: cargo bench --bench corpus -- DIR NOTES");
    std::process::exit(code)
}
