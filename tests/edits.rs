//! The randomized incremental oracle: random sequences of edits of every
//! kind over a generated site of about 50 notes. After each edit, a
//! [`Session`] rebuilt incrementally must hold exactly the files (every path,
//! every byte) and report exactly the diagnostics (rendered, sorted) of a
//! fresh build of the same files.
//!
//! `LODE_ORACLE_CASES=N` runs N random sequences instead of 200, and
//! `LODE_ORACLE_STEPS=M` makes them up to M edits long instead of 4.
//! A failure prints the shrunk sequence, both as the `Edit` values (paste
//! them into a deterministic test below) and as the files it wrote.

mod common;

#[path = "../benches/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lode::build::{BuildOptions, Session};
use lode::diagnostics::Diagnostic;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Notes in the generated site (plus the home page and collection pages).
const NOTES: usize = 48;

/// Words new titles, aliases, headings and fields are made of: few, so
/// that edits make names clash and links find (or lose) their targets.
const WORDS: &[&str] = &["Amber", "Basalt", "Cobalt", "Delta"];

/// Tags an edit adds: ones the corpus has, ones no note has yet, nested
/// ones under a tag the corpus has (whose page then lists more notes) and
/// under a new one (whose parent's page appears with it).
const TAGS: &[&str] =
    &["battery", "fresh-tag", "other-tag", "battery/magnet", "battery/magnet/deep", "fresh/Nested", "Alloy"];

/// The ` ```query ` blocks some generated notes carry: over a collection
/// and over a tag, filtered, sorted, limited, as tables and lists.
const QUERIES: &[&str] = &[
    "table symbol, share as \"Share (%)\"\nfrom minerals\nwhere share >= 30\nsort share desc\nlimit 5\n",
    "list symbol\nfrom #battery\nwhere symbol != \"Cobalt\"\nsort symbol, title\n",
    "table rank, tags\nfrom countries\nsort title desc\n",
    "list\nfrom programmes\nwhere symbol = \"Amber\" or rank < 120\n",
];

/// One edit of the site. Indices pick among what exists when the edit is
/// applied (modulo the count), so every sequence applies.
#[derive(Clone, Debug)]
enum Edit {
    /// A note's title becomes `WORDS[word] note`.
    Title { note: usize, word: usize },
    /// A note gets (or changes) its alias `WORDS[word]`.
    Alias { note: usize, word: usize },
    /// A note's first `## ` heading is renamed `WORDS[word]`.
    Heading { note: usize, word: usize },
    /// A sentence is appended to a note's body.
    Body { note: usize, word: usize },
    /// A code block is appended to a note's body (`CODE[kind]`: highlighted,
    /// numbered, of no known language, a Mermaid diagram, a diagram of no
    /// known type), or the note's code blocks are removed (`kind` 5).
    Code { note: usize, kind: usize },
    /// A note links another one by its title, or embeds it (`![[Title]]`).
    LinkAdd { note: usize, to: usize, embed: bool },
    /// A note links another one's first `## ` heading (`[[Title#Heading]]`),
    /// which that note's link preview then holds an excerpt of.
    LinkSection { note: usize, to: usize },
    /// A note links a name that may become a note's title or alias.
    LinkNamed { note: usize, word: usize },
    /// A note's first wikilink becomes plain text.
    LinkRemove { note: usize },
    /// A tag is added to a note: to its front matter, or inline in its body (`#tag`).
    Tag { note: usize, tag: usize, inline: bool },
    /// A note's first tag is removed.
    TagRemove { note: usize },
    /// A note's `[extra] symbol` (a card field where declared) changes.
    CardField { note: usize, word: usize },
    /// A collection declares `symbol` as a card field, or stops declaring it.
    CardsDeclared { collection: usize, on: bool },
    /// A question is added to a note (its explanation embedding note
    /// `embed`, if any), or its questions removed.
    Question { note: usize, add: bool, embed: Option<usize> },
    /// A collection's `[schema]`: removed (0), or requiring a field every
    /// note has (1), no note has (2), of the wrong type (3), optional (4).
    Schema { collection: usize, kind: usize },
    /// A template partial is overridden (or made invalid: `word` 4).
    Template { word: usize },
    /// `site.toml`'s title changes.
    SiteToml { word: usize },
    /// A note is created (or rewritten) in a collection.
    Create { collection: usize, word: usize, to: usize },
    /// A note is deleted.
    Delete { note: usize },
    /// A note's file is renamed in its folder.
    Rename { note: usize, word: usize },
    /// A note is moved into another collection.
    Move { note: usize, collection: usize },
    /// A collection's folder is renamed.
    FolderRename { collection: usize, word: usize },
    /// A collection's folder is moved into another collection's.
    FolderMove { collection: usize, into: usize },
    /// A static file written (0) or removed (1); an attachment added or
    /// resized (2) or removed (3); a note embeds the attachment (4).
    Static { kind: usize, note: usize },
}

/// The code blocks `Edit::Code` appends.
const CODE: [&str; 5] = [
    "```rust {2}\nfn main() {\n    let x = \"s\"; // c\n}\n```\n",
    "```python,linenos\ndef f(x):\n    return 2 * x\n```\n",
    "```nosuchlanguage\na < b\n```\n",
    "```mermaid\ngraph TD\n  A --> B\n```\n",
    "```mermaid\nflowchar TD\n  A --> B\n```\n",
];

/// Any edit, with small indices (shrinking takes them towards 0).
fn edit() -> impl Strategy<Value = Edit> {
    let n = 0..64usize;
    let w = 0..WORDS.len();
    let c = 0..8usize;
    prop_oneof![
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::Title { note, word }),
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::Alias { note, word }),
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::Heading { note, word }),
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::Body { note, word }),
        (n.clone(), 0..6usize).prop_map(|(note, kind)| Edit::Code { note, kind }),
        (n.clone(), n.clone(), any::<bool>()).prop_map(|(note, to, embed)| Edit::LinkAdd { note, to, embed }),
        (n.clone(), n.clone()).prop_map(|(note, to)| Edit::LinkSection { note, to }),
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::LinkNamed { note, word }),
        n.clone().prop_map(|note| Edit::LinkRemove { note }),
        (n.clone(), 0..TAGS.len(), any::<bool>()).prop_map(|(note, tag, inline)| Edit::Tag {
            note,
            tag,
            inline
        }),
        n.clone().prop_map(|note| Edit::TagRemove { note }),
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::CardField { note, word }),
        (c.clone(), any::<bool>()).prop_map(|(collection, on)| Edit::CardsDeclared { collection, on }),
        (n.clone(), any::<bool>(), proptest::option::of(n.clone()))
            .prop_map(|(note, add, embed)| Edit::Question { note, add, embed }),
        (c.clone(), 0..5usize).prop_map(|(collection, kind)| Edit::Schema { collection, kind }),
        (0..5usize).prop_map(|word| Edit::Template { word }),
        w.clone().prop_map(|word| Edit::SiteToml { word }),
        (c.clone(), w.clone(), n.clone()).prop_map(|(collection, word, to)| Edit::Create {
            collection,
            word,
            to
        }),
        n.clone().prop_map(|note| Edit::Delete { note }),
        (n.clone(), w.clone()).prop_map(|(note, word)| Edit::Rename { note, word }),
        (n.clone(), c.clone()).prop_map(|(note, collection)| Edit::Move { note, collection }),
        (c.clone(), w.clone()).prop_map(|(collection, word)| Edit::FolderRename { collection, word }),
        (c.clone(), c.clone()).prop_map(|(collection, into)| Edit::FolderMove { collection, into }),
        (0..5usize, n).prop_map(|(kind, note)| Edit::Static { kind, note }),
    ]
}

/// The generated site every case starts from, written once.
fn base_site() -> &'static Path {
    static BASE: OnceLock<tempfile::TempDir> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        corpus::generate(root, NOTES).expect("corpus");
        // Links resolve at the warning level, so that edits may break or mend links.
        let config = std::fs::read_to_string(root.join("site.toml"))
            .unwrap()
            .replace("level = \"error\"", "level = \"warning\"");
        std::fs::write(root.join("site.toml"), config).unwrap();
        // Eight tags rather than the corpus's 50, so that tag pages do not
        // outnumber notes (and each rebuild stays cheap); every other one
        // nested under the one before it (`battery/magnet`), so that some
        // parents carry notes of their own and some only their children's.
        for (i, path) in notes(root).into_iter().enumerate() {
            let text = std::fs::read_to_string(&path).unwrap();
            let (front, body) = split(&text);
            // One note in six runs a query over the generated fields, so
            // that edits of titles, tags, symbols, schemas and folders
            // change what it shows (or make it an error).
            let body = match QUERIES.get(i / 6).filter(|_| i % 6 == 0) {
                Some(query) => format!("{body}\n```query\n{query}```\n"),
                None => body,
            };
            let tags = get_key(&front, "tags").unwrap_or_default();
            let kept: Vec<String> = tags
                .trim_matches(['[', ']'])
                .split(", ")
                .map(|t| corpus::TAGS.iter().position(|x| format!("{x:?}") == t).unwrap_or(0) % 8)
                .map(|i| match i % 2 {
                    0 => format!("{:?}", corpus::TAGS[i]),
                    _ => format!("\"{}/{}\"", corpus::TAGS[i - 1], corpus::TAGS[i]),
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let front = set_key(&front, "tags", &format!("[{}]", kept.join(", ")));
            std::fs::write(&path, join(&front, &body)).unwrap();
        }
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/theme.css"), "body { margin: 0 }\n").unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        dir
    })
    .path()
}

/// A copy of the base site for one case.
fn fresh_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_tree(base_site(), dir.path(), |_| true);
    dir
}

/// Every note (not `_index.md`) under `content/`, sorted.
fn notes(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "_index.md")
        })
        .collect();
    out.sort();
    out
}

/// Every folder directly under `content/`, sorted.
fn collections(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// `list[i % len]`, or `None` for an empty list.
fn pick<T: Clone>(list: &[T], i: usize) -> Option<T> {
    (!list.is_empty()).then(|| list[i % list.len()].clone())
}

/// The front matter (between the `+++` lines) and the rest of a note.
fn split(text: &str) -> (String, String) {
    let rest = text.strip_prefix("+++\n").expect("TOML front matter");
    let end = rest.find("\n+++\n").expect("closing +++");
    (rest[..=end].to_string(), rest[end + 5..].to_string())
}

/// A note from its front matter and body.
fn join(front: &str, body: &str) -> String {
    format!("+++\n{front}+++\n{body}")
}

/// Sets the top-level key `key` of `front` to `value` (TOML), before any table.
fn set_key(front: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key} = ");
    let mut lines: Vec<String> = front.lines().map(str::to_string).collect();
    let table = lines.iter().position(|l| l.starts_with('[')).unwrap_or(lines.len());
    match lines[..table].iter().position(|l| l.starts_with(&prefix)) {
        Some(i) => lines[i] = format!("{prefix}{value}"),
        None => lines.insert(table, format!("{prefix}{value}")),
    }
    lines.join("\n") + "\n"
}

/// The value of the top-level key `key` of `front`, if set.
fn get_key(front: &str, key: &str) -> Option<String> {
    let prefix = format!("{key} = ");
    front.lines().find_map(|l| l.strip_prefix(&prefix)).map(str::to_string)
}

/// The title of the note at `path`.
fn title_of(path: &Path) -> String {
    let (front, _) = split(&std::fs::read_to_string(path).unwrap());
    get_key(&front, "title").unwrap_or_default().trim_matches('"').to_string()
}

/// Path relative to the site root, for descriptions.
fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// Applies `edit` to the files under `root`: what it did, and the paths a
/// watcher would report.
fn apply(root: &Path, edit: &Edit) -> (String, Vec<PathBuf>) {
    let notes = notes(root);
    let collections = collections(root);
    let note = |i: usize| pick(&notes, i);
    // Rewrites a note's front matter and body with `f`.
    let rewrite = |path: &Path, what: &str, f: &dyn Fn(&str, &str) -> (String, String)| {
        let text = std::fs::read_to_string(path).unwrap();
        let (front, body) = split(&text);
        let (front, body) = f(&front, &body);
        std::fs::write(path, join(&front, &body)).unwrap();
        (format!("{}: {what}", rel(root, path)), vec![path.to_path_buf()])
    };
    let nothing = || ("nothing to edit".to_string(), Vec::new());
    match *edit {
        Edit::Title { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let title = format!("{} note", WORDS[word]);
            rewrite(&p, &format!("title = {title:?}"), &|f, b| {
                (set_key(f, "title", &format!("{title:?}")), b.into())
            })
        }
        Edit::Alias { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let alias = WORDS[word];
            rewrite(&p, &format!("aliases = [{alias:?}]"), &|f, b| {
                (set_key(f, "aliases", &format!("[{alias:?}]")), b.into())
            })
        }
        Edit::Heading { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let word = WORDS[word];
            rewrite(&p, &format!("first heading renamed {word}"), &|f, b| {
                let body = match b.find("\n## ") {
                    Some(at) => {
                        let end = b[at + 1..].find('\n').map_or(b.len(), |e| at + 1 + e);
                        format!("{}\n## {word}{}", &b[..at], &b[end..])
                    }
                    None => format!("{b}\n## {word}\n\nText.\n"),
                };
                (f.into(), body)
            })
        }
        Edit::Body { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let word = WORDS[word];
            rewrite(&p, "a sentence appended", &|f, b| (f.into(), format!("{b}\nOne more word: {word}.\n")))
        }
        Edit::Code { note: i, kind } => {
            let Some(p) = note(i) else { return nothing() };
            match CODE.get(kind) {
                Some(block) => rewrite(&p, &format!("code block {kind} appended"), &|f, b| {
                    (f.into(), format!("{b}\n{block}\n"))
                }),
                None => rewrite(&p, "code blocks removed", &|f, b| {
                    let kept: String = CODE.iter().fold(b.to_string(), |b, block| b.replace(block, ""));
                    (f.into(), kept)
                }),
            }
        }
        Edit::LinkAdd { note: i, to, embed } => {
            let (Some(p), Some(t)) = (note(i), note(to)) else { return nothing() };
            let link = format!("{}[[{}]]", if embed { "!" } else { "" }, title_of(&t));
            rewrite(&p, &format!("adds {link}"), &|f, b| (f.into(), format!("{b}\nSee:\n\n{link}\n")))
        }
        Edit::LinkSection { note: i, to } => {
            let (Some(p), Some(t)) = (note(i), note(to)) else { return nothing() };
            let text = std::fs::read_to_string(&t).unwrap();
            let Some(heading) = text.split("\n## ").nth(1).and_then(|rest| rest.lines().next()) else {
                return nothing();
            };
            let link = format!("[[{}#{}]]", title_of(&t), heading.trim());
            rewrite(&p, &format!("links {link}"), &|f, b| (f.into(), format!("{b}\nSee {link}.\n")))
        }
        Edit::LinkNamed { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let name = WORDS[word];
            rewrite(&p, &format!("links [[{name}]]"), &|f, b| (f.into(), format!("{b}\nSee [[{name}]].\n")))
        }
        Edit::LinkRemove { note: i } => {
            let Some(p) = note(i) else { return nothing() };
            rewrite(&p, "first wikilink made plain text", &|f, b| {
                let body = match (b.find("[["), b.find("]]")) {
                    (Some(s), Some(e)) if s < e => {
                        let inner = &b[s + 2..e];
                        let text = inner.rsplit('|').next().unwrap_or(inner).replace('#', " ");
                        format!("{}{text}{}", &b[..s], &b[e + 2..])
                    }
                    _ => b.to_string(),
                };
                (f.into(), body)
            })
        }
        Edit::Tag { note: i, tag, inline: true } => {
            let Some(p) = note(i) else { return nothing() };
            let tag = TAGS[tag];
            rewrite(&p, &format!("inline #{tag} added"), &|f, b| {
                (f.into(), format!("{b}\nFiled under #{tag}.\n"))
            })
        }
        Edit::Tag { note: i, tag, inline: false } => {
            let Some(p) = note(i) else { return nothing() };
            let tag = TAGS[tag];
            rewrite(&p, &format!("tag {tag} added"), &|f, b| {
                let tags = get_key(f, "tags").unwrap_or_else(|| "[]".into());
                let inner = tags.trim_start_matches('[').trim_end_matches(']');
                let value = if inner.trim().is_empty() {
                    format!("[{tag:?}]")
                } else {
                    format!("[{tag:?}, {inner}]")
                };
                (set_key(f, "tags", &value), b.into())
            })
        }
        Edit::TagRemove { note: i } => {
            let Some(p) = note(i) else { return nothing() };
            rewrite(&p, "first tag removed", &|f, b| {
                let tags = get_key(f, "tags").unwrap_or_else(|| "[]".into());
                let inner = tags.trim_start_matches('[').trim_end_matches(']');
                let rest: Vec<&str> = inner.split(", ").skip(1).collect();
                (set_key(f, "tags", &format!("[{}]", rest.join(", "))), b.into())
            })
        }
        Edit::CardField { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let word = WORDS[word];
            rewrite(&p, &format!("[extra] symbol = {word:?}"), &|f, b| {
                let front =
                    if f.contains("\nsymbol = ") {
                        f.lines()
                            .map(|l| {
                                if l.starts_with("symbol = ") {
                                    format!("symbol = {word:?}")
                                } else {
                                    l.into()
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                            + "\n"
                    } else if f.contains("[extra]\n") {
                        f.replacen("[extra]\n", &format!("[extra]\nsymbol = {word:?}\n"), 1)
                    } else {
                        format!("{f}\n[extra]\nsymbol = {word:?}\n")
                    };
                (front, b.into())
            })
        }
        Edit::CardsDeclared { collection, on } => {
            let Some(dir) = pick(&collections, collection) else { return nothing() };
            let index = dir.join("_index.md");
            if !index.is_file() {
                return nothing();
            }
            rewrite(&index, if on { "cards = [\"symbol\"]" } else { "no cards" }, &|f, b| {
                let front = if on {
                    set_key(f, "cards", "[\"symbol\"]")
                } else {
                    f.lines().filter(|l| !l.starts_with("cards = ")).map(|l| format!("{l}\n")).collect()
                };
                (front, b.into())
            })
        }
        Edit::Question { note: i, add, embed } => {
            let Some(p) = note(i) else { return nothing() };
            let explanation = match embed.and_then(note) {
                Some(t) => format!("![[{}]]", title_of(&t)),
                None => "Because.".to_string(),
            };
            let what = if add {
                format!("a question added, explained by {explanation}")
            } else {
                "questions removed".into()
            };
            rewrite(&p, &what, &|f, b| {
                let kept = f.find("[[questions]]").map_or(f, |at| &f[..at]).to_string();
                let front = if add {
                    format!(
                        "{kept}[[questions]]\nquestion = \"Is it so?\"\noptions = [\"Yes\", \"No\"]\n\
                         answer = \"Yes\"\nexplanation = {explanation:?}\n"
                    )
                } else {
                    kept
                };
                (front, b.into())
            })
        }
        Edit::Schema { collection, kind } => {
            let Some(dir) = pick(&collections, collection) else { return nothing() };
            let index = dir.join("_index.md");
            if !index.is_file() {
                return nothing();
            }
            let schema = [
                "",
                "[schema]\nsymbol = { type = \"string\", required = true }\n",
                "[schema]\norigin = { type = \"string\", required = true }\n",
                "[schema]\nsymbol = { type = \"integer\" }\n",
                "[schema]\nrank = { type = \"integer\" }\n",
            ][kind];
            let what = if schema.is_empty() { "no [schema]".to_string() } else { schema.replace('\n', " ") };
            rewrite(&index, &what, &|f, b| {
                let kept = f.find("[schema]").map_or(f, |at| &f[..at]).to_string();
                (format!("{kept}{schema}"), b.into())
            })
        }
        Edit::Template { word } => {
            let path = root.join("templates/partials/backlinks.html");
            let builtin = include_str!("../templates/partials/backlinks.html");
            let (text, what) = match WORDS.get(word) {
                Some(w) => (format!("{builtin}<p class=\"edited\">{w}</p>\n"), format!("marked {w}")),
                None => ("{% if %}\n".to_string(), "made invalid".to_string()),
            };
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            (format!("templates/partials/backlinks.html: {what}"), vec![path])
        }
        Edit::SiteToml { word } => {
            let path = root.join("site.toml");
            let text = std::fs::read_to_string(&path).unwrap();
            let title = format!("{} site", WORDS[word]);
            let text = set_key(&text, "title", &format!("{title:?}"));
            std::fs::write(&path, text).unwrap();
            (format!("site.toml: title = {title:?}"), vec![path])
        }
        Edit::Create { collection, word, to } => {
            let Some(dir) = pick(&collections, collection) else { return nothing() };
            let word = WORDS[word];
            let path = dir.join(format!("new-{}.md", word.to_lowercase()));
            let link = note(to).map(|t| format!(" See [[{}]].", title_of(&t))).unwrap_or_default();
            let text = format!(
                "+++\ntitle = \"New {word}\"\ntags = [\"fresh-tag\"]\n\n[extra]\nsymbol = \"Nw\"\n+++\n\nA new note.{link}\n"
            );
            std::fs::write(&path, text).unwrap();
            (format!("{}: created, linking{link}", rel(root, &path)), vec![path])
        }
        Edit::Delete { note: i } => {
            let Some(p) = note(i) else { return nothing() };
            std::fs::remove_file(&p).unwrap();
            (format!("{}: deleted", rel(root, &p)), vec![p])
        }
        Edit::Rename { note: i, word } => {
            let Some(p) = note(i) else { return nothing() };
            let to = p.with_file_name(format!("renamed-{}.md", WORDS[word].to_lowercase()));
            if to.exists() {
                return nothing();
            }
            std::fs::rename(&p, &to).unwrap();
            (format!("{}: renamed {}", rel(root, &p), rel(root, &to)), vec![p, to])
        }
        Edit::Move { note: i, collection } => {
            let (Some(p), Some(dir)) = (note(i), pick(&collections, collection)) else { return nothing() };
            let to = dir.join(p.file_name().unwrap());
            if to.exists() {
                return nothing();
            }
            std::fs::rename(&p, &to).unwrap();
            (format!("{}: moved to {}", rel(root, &p), rel(root, &to)), vec![p, to])
        }
        Edit::FolderRename { collection, word } => {
            let Some(dir) = pick(&collections, collection) else { return nothing() };
            let to = dir.with_file_name(format!(
                "{}-{}",
                dir.file_name().unwrap().to_string_lossy(),
                WORDS[word].to_lowercase()
            ));
            if to.exists() {
                return nothing();
            }
            std::fs::rename(&dir, &to).unwrap();
            (format!("{}: folder renamed {}", rel(root, &dir), rel(root, &to)), vec![dir, to])
        }
        Edit::FolderMove { collection, into } => {
            let (Some(dir), Some(into)) = (pick(&collections, collection), pick(&collections, into)) else {
                return nothing();
            };
            let to = into.join(dir.file_name().unwrap());
            if dir == into || to.exists() {
                return nothing();
            }
            std::fs::rename(&dir, &to).unwrap();
            (format!("{}: folder moved to {}", rel(root, &dir), rel(root, &to)), vec![dir, to])
        }
        Edit::Static { kind, note: i } => {
            let css = root.join("static/extra.css");
            let figure = root.join("content/figure.svg");
            match kind {
                0 => {
                    let n = std::fs::read_to_string(&css).map_or(0, |t| t.len());
                    std::fs::write(&css, format!("/* {n} */\n")).unwrap();
                    ("static/extra.css: written".into(), vec![css])
                }
                1 if css.exists() => {
                    std::fs::remove_file(&css).unwrap();
                    ("static/extra.css: removed".into(), vec![css])
                }
                2 => {
                    // Each write changes the size pages show it at (`src/images.rs`).
                    let n = std::fs::read_to_string(&figure).map_or(0, |t| t.len() % 7);
                    let svg = format!(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"20\"/>\n",
                        10 + n
                    );
                    std::fs::write(&figure, svg).unwrap();
                    ("content/figure.svg: written".into(), vec![figure])
                }
                3 if figure.exists() => {
                    std::fs::remove_file(&figure).unwrap();
                    ("content/figure.svg: removed".into(), vec![figure])
                }
                4 => {
                    let Some(p) = note(i) else { return nothing() };
                    rewrite(&p, "embeds ![[figure.svg]]", &|f, b| {
                        (f.into(), format!("{b}\n![[figure.svg]]\n"))
                    })
                }
                _ => nothing(),
            }
        }
    }
}

/// A diagnostic as one line, with the places it relates to.
fn render(d: &Diagnostic) -> String {
    let mut out = d.to_string();
    for r in &d.related {
        out.push_str(&format!(" [{}:{}:{}: {}]", r.file, r.line, r.column, r.message));
    }
    out
}

/// Diagnostics rendered and sorted.
fn rendered(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut out: Vec<String> = diagnostics.iter().map(render).collect();
    out.sort();
    out
}

/// What a build gave: its diagnostics (warnings, or every error) and whether it failed.
fn outcome(result: Result<lode::build::Update, Vec<Diagnostic>>) -> (bool, Vec<String>) {
    match result {
        Ok(update) => (true, rendered(&update.warnings)),
        Err(problems) => (false, rendered(&problems)),
    }
}

/// Compares `session`, just rebuilt with `result`, with a fresh build.
fn compare(
    options: &BuildOptions,
    session: &Session,
    result: Result<lode::build::Update, Vec<Diagnostic>>,
) -> Result<(), String> {
    let mut fresh = Session::new(options.clone());
    let (fresh_ok, fresh_problems) = outcome(fresh.rebuild(&[]));
    let (ok, problems) = outcome(result);
    if (ok, &problems) != (fresh_ok, &fresh_problems) {
        let missing: Vec<&String> = fresh_problems.iter().filter(|p| !problems.contains(p)).collect();
        let extra: Vec<&String> = problems.iter().filter(|p| !fresh_problems.contains(p)).collect();
        return Err(format!(
            "the incremental build {} and the fresh one {};\n  only the fresh build reports: {missing:#?}\n  \
             only the incremental one reports: {extra:#?}",
            if ok { "succeeded" } else { "failed" },
            if fresh_ok { "succeeded" } else { "failed" },
        ));
    }
    if !ok {
        return Ok(());
    }
    let (got, want) = (common::snapshot(session), common::snapshot(&fresh));
    let got_paths: Vec<&String> = got.iter().map(|(p, _)| p).collect();
    let want_paths: Vec<&String> = want.iter().map(|(p, _)| p).collect();
    if got_paths != want_paths {
        let missing: Vec<&&String> = want_paths.iter().filter(|p| !got_paths.contains(p)).collect();
        let extra: Vec<&&String> = got_paths.iter().filter(|p| !want_paths.contains(p)).collect();
        return Err(format!("other files: missing {missing:?}, extra {extra:?}"));
    }
    let differing: Vec<&String> =
        got.iter().zip(&want).filter(|((_, a), (_, b))| a != b).map(|((p, _), _)| p).collect();
    if !differing.is_empty() {
        let (_, a) = got.iter().find(|(p, _)| p == differing[0]).expect("listed");
        let (_, b) = want.iter().find(|(p, _)| p == differing[0]).expect("listed");
        let at = a.iter().zip(b.iter()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        let around = |bytes: &[u8]| {
            let from = at.saturating_sub(150);
            String::from_utf8_lossy(&bytes[from..(at + 150).min(bytes.len())]).to_string()
        };
        return Err(format!(
            "{} file(s) differ from a fresh build: {differing:?}\n  {} at byte {at}, incremental:\n{}\n  fresh:\n{}",
            differing.len(),
            differing[0],
            around(a),
            around(b)
        ));
    }
    Ok(())
}

/// Runs `edits` on a copy of the base site, comparing after each.
fn run(edits: &[Edit]) -> Result<(), String> {
    let dir = fresh_copy();
    let root = dir.path();
    let options = BuildOptions::new(root);
    let mut session = Session::new(options.clone());
    session.rebuild(&[]).map_err(|e| format!("the first build failed:\n{}", common::list(&e)))?;
    let mut done = Vec::new();
    for edit in edits {
        let (what, changed) = apply(root, edit);
        done.push(format!("{edit:?}  // {what}"));
        let result = session.rebuild(&changed);
        if std::env::var_os("LODE_ORACLE_VERBOSE").is_some() {
            let summary = match &result {
                Ok(u) => {
                    format!("ok, {} rendered, full {}, {} warnings", u.rendered(), u.full, u.warnings.len())
                }
                Err(e) => format!("{} problems", e.len()),
            };
            eprintln!("{what}: {summary}");
        }
        compare(&options, &session, result)
            .map_err(|why| format!("after the edits\n  {}\n{why}", done.join("\n  ")))?;
    }
    Ok(())
}

/// Runs `edits` and panics with the failure.
fn check(edits: &[Edit]) {
    if let Err(why) = run(edits) {
        panic!("{why}");
    }
}

#[test]
fn a_schema_requiring_a_field_no_note_has_reports_what_a_fresh_build_reports() {
    // The issue's case: under `serve`, a collection's `[schema]` made to
    // require a new field printed "1 page(s) rendered" and no error, while
    // `lode check` reported one error per note of the collection.
    check(&[Edit::Schema { collection: 0, kind: 2 }]);
}

#[test]
fn a_second_note_given_a_title_another_note_has_renders_what_a_fresh_build_renders() {
    check(&[
        Edit::FolderMove { collection: 6, into: 1 },
        Edit::Move { note: 24, collection: 7 },
        Edit::Title { note: 21, word: 1 },
        Edit::Title { note: 34, word: 1 },
    ]);
}

#[test]
fn a_heading_link_added_then_its_heading_renamed_gives_a_fresh_builds_previews() {
    // A link preview keeps the excerpts of the linked sections only: the
    // linking note's links are the preview's reads.
    check(&[
        Edit::LinkSection { note: 3, to: 7 },
        Edit::LinkSection { note: 7, to: 7 },
        Edit::Heading { note: 7, word: 2 },
        Edit::LinkSection { note: 5, to: 7 },
    ]);
}

#[test]
fn a_static_file_removed_is_gone_from_the_output() {
    check(&[Edit::Static { kind: 0, note: 0 }, Edit::Static { kind: 1, note: 0 }]);
}

#[test]
fn random_edit_sequences_give_the_files_and_diagnostics_of_a_fresh_build() {
    let var =
        |name: &str, default: usize| std::env::var(name).ok().and_then(|n| n.parse().ok()).unwrap_or(default);
    let (cases, steps) = (var("LODE_ORACLE_CASES", 200), var("LODE_ORACLE_STEPS", 4).max(1));
    let mut runner =
        TestRunner::new(Config { cases: cases as u32, failure_persistence: None, ..Config::default() });
    let started = std::time::Instant::now();
    let result = runner
        .run(&proptest::collection::vec(edit(), 1..=steps), |edits| run(&edits).map_err(TestCaseError::fail));
    eprintln!("{cases} random sequences in {:.1} s", started.elapsed().as_secs_f64());
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_base_site_builds_and_its_queries_show_notes() {
    // The oracle's queries must run, not fail: a base site whose queries
    // were all errors would compare failed builds only.
    let dir = fresh_copy();
    let mut session = Session::new(BuildOptions::new(dir.path()));
    if let Err(e) = session.rebuild(&[]) {
        panic!("{}", e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    }
    let pages: Vec<String> = session
        .files()
        .values()
        .filter_map(|f| f.contents().ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect();
    let count = |needle: &str| pages.iter().map(|p| p.matches(needle).count()).sum::<usize>();
    assert_eq!(count("class=\"table-wrap query-table\""), 2, "the two tables");
    assert_eq!(count("class=\"query-list\""), 2, "the two lists");
    assert!(count("<tr><th scope=\"row\">") >= 4, "the tables list notes");
}
