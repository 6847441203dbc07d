//! The correctness oracle of incremental rebuilds: after every kind of edit,
//! a `Session` that re-renders only what the edit can change must hold
//! exactly the files (every path, every byte) of a fresh build of the same
//! files, and report the same warnings. `tests/edits.rs` runs random
//! sequences of edits against the same comparison.

mod common;

#[path = "../benches/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::{Path, PathBuf};

use common::TestSite;
use lode::build::Session;

/// Diagnostics rendered one per line, sorted.
fn rendered(diagnostics: &[lode::diagnostics::Diagnostic]) -> Vec<String> {
    let mut out: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    out.sort();
    out
}

/// Asserts that the incremental `session` holds what a fresh build holds,
/// and that its `warnings` are the fresh build's.
fn assert_same_as_fresh(
    site: &TestSite,
    session: &Session,
    warnings: &[lode::diagnostics::Diagnostic],
    edit: &str,
) {
    let mut fresh = Session::new(site.options());
    let fresh_warnings = match fresh.rebuild(&[]) {
        Ok(update) => update.warnings,
        Err(e) => panic!("after {edit}: the fresh build failed:\n{}", common::list(&e)),
    };
    assert_eq!(
        rendered(warnings),
        rendered(&fresh_warnings),
        "after {edit}: other warnings than a fresh build's"
    );
    let (got, want) = (common::snapshot(session), common::snapshot(&fresh));
    let got_paths: Vec<&String> = got.iter().map(|(p, _)| p).collect();
    let want_paths: Vec<&String> = want.iter().map(|(p, _)| p).collect();
    assert_eq!(got_paths, want_paths, "after {edit}: the incremental build has other files");
    let differing: Vec<&String> =
        got.iter().zip(&want).filter(|((_, a), (_, b))| a != b).map(|((p, _), _)| p).collect();
    assert!(
        differing.is_empty(),
        "after {edit}: {} file(s) differ from a fresh build: {differing:?}",
        differing.len()
    );
}

/// The value of a front matter line `key = …` of a note.
fn front_value(text: &str, key: &str) -> String {
    let prefix = format!("{key} = ");
    let line = text.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {key} line"));
    line[prefix.len()..].trim_matches('"').to_string()
}

/// The notes of a generated collection folder, sorted.
fn notes_in(root: &Path, folder: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("content").join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .collect();
    out.sort();
    out
}

/// How many generated notes link to the note titled `title`.
fn linkers(root: &Path, title: &str) -> usize {
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            [format!("[[{title}]]"), format!("[[{title}|"), format!("[[{title}#")]
                .iter()
                .any(|l| text.contains(l))
        })
        .count()
}

#[test]
fn every_kind_of_edit_gives_the_files_of_a_fresh_build() {
    let site = TestSite::new(&[]);
    let root = site.root().to_path_buf();
    std::fs::remove_file(root.join("site.toml")).unwrap();
    corpus::generate(&root, 240).expect("corpus");
    // Links resolve at the warning level, so that edits may break or mend links.
    let config = std::fs::read_to_string(root.join("site.toml"))
        .unwrap()
        .replace("level = \"error\"", "level = \"warning\"");
    site.write("site.toml", &config);

    // The most linked note of the minerals (sorted by title) and a dated note.
    let minerals = notes_in(&root, "minerals");
    let x_path = minerals
        .iter()
        .max_by_key(|p| linkers(&root, &front_value(&std::fs::read_to_string(p).unwrap(), "title")))
        .unwrap()
        .clone();
    let x_text = std::fs::read_to_string(&x_path).unwrap();
    let x_title = front_value(&x_text, "title");
    let x_rel = x_path.strip_prefix(&root).unwrap().to_string_lossy().to_string();
    let y_path = notes_in(&root, "programmes")[0].clone();
    let y_text = std::fs::read_to_string(&y_path).unwrap();
    let y_title = front_value(&y_text, "title");
    let y_rel = y_path.strip_prefix(&root).unwrap().to_string_lossy().to_string();

    // Hand-written notes: an embed of X, a facts box naming X by a name it
    // will get, a timeline, and a note linking by a name no note has yet.
    site.write(
        "content/embedder.md",
        &format!("+++\ntitle = \"Embedder\"\ntags = [\"embeds\"]\n+++\n\nBefore.\n\n![[{x_title}]]\n\nAfter, see [[{y_title}]].\n"),
    );
    site.write(
        "content/facts.md",
        "+++\ntitle = \"Facts holder\"\n\n[extra]\nsee = \"Renamed mineral\"\nothers = [\"Xalias\", \"Nothing of that name\"]\n+++\n\nA note with facts.\n",
    );
    site.write(
        "content/timeline.md",
        "+++\ntitle = \"Timeline\"\ntemplate = \"timeline.html\"\n+++\n\nEvents.\n",
    );
    // A question whose explanation embeds X: the revision data shows X's body.
    site.write(
        "content/quizzer.md",
        &format!(
            "+++\ntitle = \"Quizzer\"\n\n[[questions]]\nquestion = \"What does X say?\"\n\
             options = [\"This\", \"That\"]\nanswer = \"This\"\nexplanation = \"![[{x_title}]]\"\n+++\n\nAsks.\n"
        ),
    );
    site.write(
        "content/hopeful.md",
        "+++\ntitle = \"Hopeful\"\n+++\n\nWaits for [[Renamed mineral]] and [[Xalias]].\n",
    );

    let mut session = Session::new(site.options());
    let first = match session.rebuild(&[]) {
        Ok(update) => update,
        Err(e) => panic!("the first build failed:\n{}", common::list(&e)),
    };
    assert_same_as_fresh(&site, &session, &first.warnings, "the first build");

    let mut edit = |what: &str, rel: &str, text: Option<&str>| {
        let path = root.join(rel);
        match text {
            Some(text) => site.write(rel, text),
            None => std::fs::remove_file(&path).unwrap(),
        }
        let update = match session.rebuild(&[path]) {
            Ok(update) => update,
            Err(e) => panic!("after {what}: the rebuild failed:\n{}", common::list(&e)),
        };
        assert_same_as_fresh(&site, &session, &update.warnings, what);
        update
    };
    // An identity edit of a note renders the pages that can show it, not every page.
    let selective = |what: &str, update: lode::build::Update| {
        assert!(!update.full, "{what}: every page was rendered");
        assert!(
            update.rendered() < update.notes,
            "{what}: {} of {} pages rendered",
            update.rendered(),
            update.notes
        );
    };

    let renamed = x_text.replacen(
        &format!("title = \"{x_title}\""),
        &format!("title = \"Renamed mineral\"\naliases = [\"{x_title}\"]"),
        1,
    );
    selective(
        "a title change (old title kept as an alias)",
        edit("a title change (old title kept as an alias)", &x_rel, Some(&renamed)),
    );
    let aliased = renamed.replacen(
        &format!("aliases = [\"{x_title}\"]"),
        &format!("aliases = [\"{x_title}\", \"Xalias\"]"),
        1,
    );
    selective("an alias added", edit("an alias added", &x_rel, Some(&aliased)));
    let summarised = aliased.replacen("summary = \"", "summary = \"Newly summarised. ", 1);
    selective("a summary change", edit("a summary change", &x_rel, Some(&summarised)));
    let tagged = summarised.replacen("tags = [", "tags = [\"embeds\", ", 1);
    selective(
        "a tag added (one another note has)",
        edit("a tag added (one another note has)", &x_rel, Some(&tagged)),
    );
    let new_tag = tagged.replacen("tags = [", "tags = [\"brand-new\", ", 1);
    edit("a tag added that no note had", &x_rel, Some(&new_tag));
    // A tag vanishing from the site changes every page's tag count: a full render.
    edit("the tag no other note had removed", &x_rel, Some(&tagged));
    selective("a tag removed", edit("a tag removed", &x_rel, Some(&summarised)));
    let linked = format!("{summarised}\nNow also see [[{y_title}]] and [[Hopeful]].\n");
    edit("links added", &x_rel, Some(&linked));
    edit("links removed", &x_rel, Some(&summarised));
    let sectioned = format!("{summarised}\n## A new section\n\nWith words.\n");
    selective("a heading added", edit("a heading added", &x_rel, Some(&sectioned)));
    edit("a body-only edit", &x_rel, Some(&format!("{sectioned}\nOne more sentence.\n")));
    // Body-only edits that change the page (a key-fact box; an explanation
    // embedding the note shows it in the revision data) and `/revise/` (a question added).
    let keyed = format!("{sectioned}\n> [!key] Output share\n> Most of it.\n");
    edit("a key fact added to the body", &x_rel, Some(&keyed));
    edit("a key fact's text changed", &x_rel, Some(&keyed.replace("Most of it.", "Nearly all of it.")));
    let questioned = keyed.replacen(
        "\n+++\n\n",
        "\n\n[[questions]]\nquestion = \"A new one?\"\noptions = [\"Yes\", \"No\"]\nanswer = \"Yes\"\n\
         explanation = \"Because.\"\n+++\n\n",
        1,
    );
    edit("a question added", &x_rel, Some(&questioned));
    edit("the question removed", &x_rel, Some(&sectioned));
    // Flashcards: written in a marked section of the body, and declared by
    // the collection (its notes' cards come from its `_index.md`).
    let carded = format!("{sectioned}\n## Cards #flashcards\n\nFront of a card::Its back\n");
    edit("a flashcard added to the body", &x_rel, Some(&carded));
    edit("a flashcard's back changed", &x_rel, Some(&carded.replace("Its back", "Another back")));
    edit("the flashcards removed", &x_rel, Some(&sectioned));
    let index_rel = "content/minerals/_index.md";
    let index_text = std::fs::read_to_string(root.join(index_rel)).unwrap();
    let declared =
        index_text.replacen("+++\n", "+++\ncards = [\"symbol\", { field = \"share\", unit = \"%\" }]\n", 1);
    edit("a collection declares card fields", index_rel, Some(&declared));
    edit("the card fields removed", index_rel, Some(&index_text));
    edit(
        "a note added",
        "content/minerals/newcomer.md",
        Some("+++\ntitle = \"Aardvark newcomer\"\ntags = [\"embeds\"]\n+++\n\nLinks [[Renamed mineral]].\n"),
    );
    edit("a note deleted", "content/minerals/newcomer.md", None);
    // A date change reorders a collection sorted by date.
    let redated = y_text
        .lines()
        .map(|l| if l.starts_with("date = ") { "date = 2031-01-01".to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    selective(
        "a date change in a collection sorted by date",
        edit("a date change in a collection sorted by date", &y_rel, Some(&redated)),
    );
    let y_renamed = redated.replacen(
        &format!("title = \"{y_title}\""),
        &format!("title = \"A first programme\"\naliases = [\"{y_title}\"]"),
        1,
    );
    edit("a title change of a note other notes embed around", &y_rel, Some(&y_renamed));
    let with_event = y_renamed.replacen(
        "+++\n\n",
        "\n[[events]]\ndate = \"2030\"\ntitle = \"Something happens\"\n+++\n\n",
        1,
    );
    edit("an event added", &y_rel, Some(&with_event));
    // Every page's navigation looks for a note titled "Timeline".
    edit(
        "the timeline note renamed",
        "content/timeline.md",
        Some("+++\ntitle = \"Chronology\"\ntemplate = \"timeline.html\"\n+++\n\nEvents.\n"),
    );
    edit("the old title given back", &x_rel, Some(&x_text));
}
