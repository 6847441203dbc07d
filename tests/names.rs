//! A note's names are one set: what a `[[wikilink]]` finds a note by is
//! what a template's `note(name=…)` finds it by (`Site::names_of`).

mod common;

use common::{TestSite, select};

/// Each name, linked from a note's body and looked up by its template.
const NAMES: [&str; 6] = ["minerals", "Rocks and ores", "Ores", "lithium", "Lithium", "Li"];

#[test]
fn wikilinks_and_note_lookups_find_the_same_note_by_every_name() {
    let body: String = NAMES.iter().map(|name| format!("- [[{name}]]\n")).collect();
    let lookups: String = NAMES.iter().map(|name| format!("\"{name}\", ")).collect();
    let template = format!(
        "<main>{{{{ page.content | safe }}}}</main>\n<ol id=\"lookups\">{{% for name in [{lookups}] %}}\
         {{% set found = note(name=name, strict=false) %}}\
         <li>{{% if found %}}<a href=\"{{{{ get_url(path=found.permalink) }}}}\">x</a>{{% endif %}}</li>\
         {{% endfor %}}</ol>\n"
    );
    let site = TestSite::new(&[
        // A collection whose index's title is not its folder's name.
        (
            "content/minerals/_index.md",
            "+++\ntitle = \"Rocks and ores\"\naliases = [\"Ores\"]\n+++\nThe collection.\n",
        ),
        ("content/minerals/lithium.md", "+++\naliases = [\"Li\"]\n+++\n# Lithium\n\nA metal.\n"),
        ("content/a.md", &format!("# A\n\n{body}")),
        ("templates/note.html", &template),
    ]);
    site.build();
    let page = site.page("a/index.html");
    let linked: Vec<String> =
        select(&page, "main li a").iter().map(|a| a.value().attr("href").unwrap_or("").to_string()).collect();
    let looked_up: Vec<String> = select(&page, "#lookups li")
        .iter()
        .map(|li| {
            li.select(&scraper::Selector::parse("a").unwrap())
                .next()
                .map_or(String::new(), |a| a.value().attr("href").unwrap_or("").to_string())
        })
        .collect();
    let expected = [
        "../minerals/",
        "../minerals/",
        "../minerals/",
        "../minerals/lithium/",
        "../minerals/lithium/",
        "../minerals/lithium/",
    ];
    assert_eq!(linked, expected, "wikilinks");
    assert_eq!(looked_up, expected, "note(name=…) for {NAMES:?}");
}
