//! The languages fixture with a second language whose every interface
//! string is visibly marked: `i18n/hi.toml` made from Lode's `i18n/en.toml`
//! with each value wrapped in «…», and a Hindi note that has what Lode
//! itself writes into a body (a heading's anchor, a footnote, a table, a
//! query's table and its empty result, a two-way flashcard, callouts with
//! and without a title, a key fact, related notes
//! with their reason, backlinks past the first few, and none). Whatever English is left on a Hindi page outside the
//! marks, and outside what the fixture's author wrote ([`AUTHOR`]), is a
//! string that does not come from the translation file.

use std::path::Path;

use super::TestSite;

/// What the fixture's author wrote in English that a Hindi page shows: note
/// titles (links to untranslated notes, the graph, previews), tags, the
/// languages' names, the site's own title (the 404 page). Removed from a
/// page's text before it is checked.
pub const AUTHOR: &[&str] = &[
    "Critical minerals",
    "Version notes",
    "Minerals",
    "Lithium",
    "Cobalt",
    "battery",
    "English",
    "Notes on critical minerals.",
    "v1.2",
];

/// The languages fixture, its `i18n/hi.toml` replaced by every key of
/// Lode's `i18n/en.toml` marked «…», and a second Hindi note with the
/// body parts Lode writes words into; built.
pub fn marked_site() -> TestSite {
    let site = TestSite::new(&[]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    super::copy_tree(&root.join("tests/fixtures/languages"), site.root(), |_| true);
    let en: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("i18n/en.toml")).unwrap()).unwrap();
    // A JSON string is a TOML basic string too (its escapes are TOML's).
    let marked: String = en
        .iter()
        .map(|(k, v)| format!("{k} = {}\n", serde_json::Value::from(format!("«{}»", v.as_str().unwrap()))))
        .collect();
    site.write("i18n/hi.toml", &marked);
    site.write(
        "content/minerals/cobalt.hi.md",
        "+++\ntitle = \"कोबाल्ट\"\ndate = 2025-02-19\ntags = [\"बैटरी\"]\ncards = true\n\n[extra]\n\"हिस्सा\" = 70\n\"खनन\" = true\nyear = 2024\nmonth = 9\n+++\n\
         ## खनन\n\nकोबाल्ट कांगो में खनन होता है[^1]। [[Lithium|लिथियम]] और [[Minerals]] देखें।\n\n\
         | देश | हिस्सा |\n| --- | --- |\n| कांगो | 70 |\n\n\
         कोबाल्ट का मुख्य देश:::कांगो\n\n\
         ```query\ntable हिस्सा\nfrom minerals\n```\n\n\
         ```query\nlist\nfrom minerals\nwhere हिस्सा > 100\n```\n\n\
         > [!warning]\n> सावधानी से।\n\n> [!tip] सुझाव\n> पढ़ें।\n\n> [!key]\n> मुख्य बात।\n\n\
         [^1]: एक स्रोत।\n",
    );
    // Related to लिथियम (a tag and a link target shared, no link between
    // them), and linked from nowhere; two more notes give लिथियम more
    // backlinks than its page shows at first.
    site.write(
        "content/minerals/nickel.hi.md",
        "+++\ntitle = \"निकल\"\ntags = [\"बैटरी\"]\n+++\n[[Cobalt|कोबाल्ट]] और [[Minerals]] देखें।\n",
    );
    for (file, title) in [("manganese", "मैंगनीज़"), ("graphite", "ग्रेफ़ाइट")]
    {
        site.write(
            &format!("content/minerals/{file}.hi.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n[[Lithium|लिथियम]] देखें।\n"),
        );
    }
    site.build();
    site
}

/// The words left in `text` once the marked strings («…») and the
/// author's words ([`AUTHOR`]) are taken out: every run of Latin letters
/// that is left, with a little context, for a message.
pub fn unmarked_english(text: &str) -> Vec<String> {
    let mut rest = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            _ if depth == 0 => rest.push(c),
            _ => {}
        }
    }
    for author in AUTHOR {
        rest = rest.replace(author, " ");
    }
    let mut found = Vec::new();
    for line in rest.lines() {
        if line.chars().any(|c| c.is_ascii_alphabetic()) {
            found.push(line.trim().to_string());
        }
    }
    found
}
