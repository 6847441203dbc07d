//! Flashcards on real builds: cards written in a note's body in the syntax
//! of Obsidian's Spaced Repetition plugin, read only where the note or the
//! section is marked as cards, rendered as question and answer in the page,
//! and listed in `_lode/revise.json` with the `[extra]` fields a collection
//! declares card-worthy.

mod common;

use common::{TestSite, select, text};
use serde_json::Value;

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Tin]] [[Lead]] [[Zinc]] [[Copper]]\n"),
        (
            "content/soft/_index.md",
            "+++\ntitle = \"Soft metals\"\ncards = [\"symbol\", { field = \"melting_point\", label = \"Melts at\", unit = \"°C\" }, \"uses\", \"toxic\", \"notes\"]\n+++\n",
        ),
        (
            "content/soft/tin.md",
            "+++\ntitle = \"Tin\"\ntags = [\"flashcards\"]\n\n[extra]\nsymbol = \"Sn\"\nmelting_point = 232\nuses = [\"solder\", \"bronze\"]\ntoxic = false\nnotes = \"\"\n+++\n\
Tin goes with [[Lead]].\n\n\
Symbol of tin::Sn\nSymbol of *lead*:::Pb\nA line of text.\n\n\
What is bronze?\n?\nCopper and about **12%** tin.\n\n\
Tin pest starts below ==13 °C== and turns tin to ==grey powder==.\n\n\
`code::span` and $a::b$ are no cards.\n\n\
```\nQ::A in code\n```\n\n\
> [!key] Bronze\n> Copper and tin.\n",
        ),
        (
            "content/soft/lead.md",
            "+++\ntitle = \"Lead\"\n\n[extra]\nsymbol = \"Pb\"\ntoxic = true\nuses = []\n+++\n\
Plain note: author:: Ada, and a ==highlight== stays.\n\n\
## Revision\n\n#flashcards\n\nDensity of lead::11.3 g/cm³\n\n## After\n\nOther::text stays.\n",
        ),
        (
            "content/soft/zinc.md",
            "+++\ntitle = \"Zinc\"\ntags = [\"flashcards\"]\ncards = false\n+++\nZinc::Zn is text here.\n",
        ),
        ("content/hard/copper.md", "+++\ntitle = \"Copper\"\ncards = true\n+++\nCopper symbol::Cu\n"),
    ])
}

fn revision_cards(site: &TestSite) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(site.output().join("_lode/revise.json")).unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    data["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("id"), s("front"), s("back"))
        })
        .collect()
}

/// The page's cards as (id, data-revise-id, front text, back text).
fn page_cards(html: &scraper::Html) -> Vec<(String, String, String, String)> {
    select(html, ".note-body details.card")
        .iter()
        .map(|d| {
            let attr = |k: &str| d.value().attr(k).unwrap_or("").to_string();
            let part = |css: &str| {
                let sel = scraper::Selector::parse(css).unwrap();
                d.select(&sel).next().map(|e| text(&e)).unwrap_or_default()
            };
            (attr("id"), attr("data-revise-id"), part(".card-front"), part(".card-back"))
        })
        .collect()
}

#[test]
fn body_cards_read_as_question_and_answer_in_the_page() {
    let site = site();
    site.build();
    let tin = site.page("soft/tin/index.html");
    let raw = std::fs::read_to_string(site.output().join("soft/tin/index.html")).unwrap();
    let body = &raw[raw.find("note-body").unwrap()..raw.find("note-footer").unwrap()];
    let cards = page_cards(&tin);
    let fronts: Vec<(&str, &str)> = cards.iter().map(|c| (c.2.as_str(), c.3.as_str())).collect();
    assert_eq!(
        fronts,
        [
            ("Symbol of tin", "Sn"),
            ("Symbol of lead⇄ both ways", "Pb"),
            ("What is bronze?", "Copper and about 12% tin.")
        ]
    );
    // Ids: `card-` and 8 hex digits; a card both ways names its reverse too.
    for (id, revise, _, _) in &cards {
        assert!(id.len() == 13 && id.starts_with("card-"), "{id}");
        assert!(id[5..].bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{id}");
        assert!(revise.starts_with(&format!("soft/tin/#{id}")), "{revise}");
    }
    assert_eq!(cards[1].1, format!("soft/tin/#{0} soft/tin/#{0}-r", cards[1].0));
    assert_eq!(select(&tin, ".note-body .card-both").len(), 1);
    // Backs are left out of search; no raw separator is shown.
    assert_eq!(select(&tin, ".note-body .card-back[data-pagefind-ignore]").len(), 3);
    assert!(!body.contains("Symbol of tin::") && !body.contains(":::") && !body.contains("\n?\n"), "{body}");
    // The text line between the cards stays a paragraph; no card sits in a <p>.
    assert!(select(&tin, ".note-body > p").iter().any(|p| text(p) == "A line of text."));
    assert!(select(&tin, ".note-body p details").is_empty());
    // Clozes: highlights of a marked note, each an item for the revision page.
    let clozes = select(&tin, ".note-body mark.cloze[data-pagefind-ignore]");
    let texts: Vec<String> = clozes.iter().map(text).collect();
    assert_eq!(texts, ["13 °C", "grey powder"]);
    let c1 = clozes[0].value().attr("id").unwrap();
    assert!(c1.starts_with("card-") && c1.ends_with("-c1"), "{c1}");
    assert_eq!(clozes[0].value().attr("data-revise-id"), Some(format!("soft/tin/#{c1}").as_str()));
    // Code spans, maths and code blocks hold no cards.
    assert!(body.contains("<code>code::span</code>") && body.contains("Q::A in code"), "{body}");
    // The key-fact callout stays a box on the page.
    assert_eq!(select(&tin, ".note-body .callout-key").len(), 1);
}

#[test]
fn only_marked_notes_and_sections_have_cards() {
    let site = site();
    site.build();
    // Lead: its `## Revision` section holds `#flashcards`; the rest is prose.
    let lead = site.page("soft/lead/index.html");
    let cards = page_cards(&lead);
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert_eq!((cards[0].2.as_str(), cards[0].3.as_str()), ("Density of lead", "11.3 g/cm³"));
    let raw = std::fs::read_to_string(site.output().join("soft/lead/index.html")).unwrap();
    assert!(raw.contains("author:: Ada") && raw.contains("Other::text stays."), "{raw}");
    // An ordinary highlight stays a highlight.
    assert!(raw.contains("<mark>highlight</mark>"), "{raw}");
    assert!(select(&lead, "mark.cloze").is_empty());
    // Zinc: tagged, but `cards = false`.
    let zinc = site.page("soft/zinc/index.html");
    assert!(select(&zinc, ".card, .cloze").is_empty());
    assert!(
        std::fs::read_to_string(site.output().join("soft/zinc/index.html")).unwrap().contains("Zinc::Zn")
    );
    // Copper: `cards = true`.
    assert_eq!(page_cards(&site.page("hard/copper/index.html")).len(), 1);
}

#[test]
fn the_revision_data_lists_body_cards_and_declared_fields() {
    let site = site();
    site.build();
    let cards = revision_cards(&site);
    let of = |prefix: &str| -> Vec<(String, String, String)> {
        cards.iter().filter(|c| c.0.starts_with(prefix)).cloned().collect()
    };
    let tin = of("soft/tin/#");
    let page = page_cards(&site.page("soft/tin/index.html"));
    let (id1, id2, id3) = (&page[0].0, &page[1].0, &page[2].0);
    let expected: Vec<(String, String, String)> = [
        (format!("soft/tin/#{id1}"), "Symbol of tin", "Sn"),
        (format!("soft/tin/#{id2}"), "Symbol of <em>lead</em>", "Pb"),
        (format!("soft/tin/#{id2}-r"), "Pb", "Symbol of <em>lead</em>"),
        (format!("soft/tin/#{id3}"), "What is bronze?", "Copper and about <strong>12%</strong> tin."),
    ]
    .into_iter()
    .map(|(i, f, b)| (i, f.to_string(), b.to_string()))
    .collect();
    assert_eq!(tin[..4], expected[..]);
    // One cloze card per deletion: that deletion blanked on the front, shown on the back.
    let (c1, c2) = (&tin[4], &tin[5]);
    assert!(
        c1.0.ends_with("-c1") && c2.0.ends_with("-c2") && c1.0[..c1.0.len() - 3] == c2.0[..c2.0.len() - 3]
    );
    assert_eq!(
        c1.1,
        "Tin pest starts below <span class=\"cloze-blank\">[…]</span> and turns tin to grey powder."
    );
    assert_eq!(
        c1.2,
        "Tin pest starts below <mark class=\"cloze\">13 °C</mark> and turns tin to grey powder."
    );
    assert_eq!(c2.1, "Tin pest starts below 13 °C and turns tin to <span class=\"cloze-blank\">[…]</span>.");
    // Declared fields, in the order declared, with labels and units; no
    // yes/no flag (`toxic`), no empty text (`notes`), no empty list (Lead's `uses`).
    let declared: Vec<(&str, &str, &str)> =
        tin[6..].iter().map(|(i, f, b)| (i.as_str(), f.as_str(), b.as_str())).collect();
    assert_eq!(
        declared,
        [
            ("soft/tin/#field-symbol", "Tin: Symbol", "Sn"),
            ("soft/tin/#field-melting_point", "Tin: Melts at", "232 °C"),
            ("soft/tin/#field-uses", "Tin: Uses", "solder, bronze"),
        ]
    );
    let lead: Vec<String> = of("soft/lead/#").into_iter().map(|c| c.0).collect();
    assert_eq!(lead.len(), 2, "{lead:?}");
    assert!(lead[0].starts_with("soft/lead/#card-") && lead[1] == "soft/lead/#field-symbol", "{lead:?}");
    // Key-fact callouts and undeclared [extra] values make no cards; Zinc has none.
    assert!(cards.iter().all(|c| !c.0.contains("#key") && !c.1.contains("Bronze")), "{cards:?}");
    assert!(of("soft/zinc/").is_empty());
    // Card ids are stable under edits of the back.
    site.write(
        "content/hard/copper.md",
        "+++\ntitle = \"Copper\"\ncards = true\n+++\nCopper symbol::Cu (from *cuprum*)\n",
    );
    let before = of("hard/copper/#");
    site.build();
    let after: Vec<(String, String, String)> =
        revision_cards(&site).into_iter().filter(|c| c.0.starts_with("hard/copper/#")).collect();
    assert_eq!(before[0].0, after[0].0);
    assert_eq!(after[0].2, "Cu (from <em>cuprum</em>)");
}

#[test]
fn the_page_view_counts_its_cards() {
    let site = site();
    site.write(
        "templates/note.html",
        "<!doctype html><title>{{ page.title }}</title><p id=\"count\">{{ page.cards }}</p>{{ page.content | safe }}",
    );
    site.build();
    let tin = site.page("soft/tin/index.html");
    // 1 + 2 (both ways) + 1 + 2 clozes + 3 declared fields.
    assert_eq!(text(&select(&tin, "#count")[0]), "9");
}

#[test]
fn a_declared_field_that_makes_no_card_is_a_warning_at_its_item() {
    let site = site();
    let report = site.build();
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .filter(|d| d.file.ends_with("soft/_index.md"))
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect();
    assert_eq!(
        warnings,
        [
            "3:90: the card field `toxic` holds yes/no values: they make no flashcards",
            "3:99: every note of \"Soft metals\" leaves the card field `notes` empty: empty values make no flashcards"
        ]
    );
}

/// Every CommonMark and GFM spec example, read as a note marked as cards
/// (and with its lines turned into card lines), renders without a panic
/// and with its card markup balanced.
#[test]
fn any_markdown_in_a_marked_note_renders() {
    let mut inputs = Vec::new();
    for file in ["commonmark-0.31.2.txt", "gfm-0.29.txt"] {
        let spec =
            std::fs::read_to_string(format!("{}/tests/spec/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut lines = spec.lines();
        while let Some(line) = lines.next() {
            if line.starts_with("```````````````````````````````` example") {
                let markdown: String = lines
                    .by_ref()
                    .take_while(|l| *l != ".")
                    .map(|l| format!("{}\n", l.replace('→', "\t")))
                    .collect();
                inputs.push(markdown);
            }
        }
    }
    assert!(inputs.len() > 600, "{}", inputs.len());
    let mut cards = 0;
    for markdown in inputs {
        for body in [
            format!("#flashcards\n\n{markdown}"),
            format!("#flashcards\n\n{}", markdown.replace('\n', "::x\n")),
            format!("#flashcards\n\n{}", markdown.replace(' ', " ==")),
            format!("#flashcards\n\nFront\n?\n{markdown}"),
        ] {
            let html = lode::build::render_markdown(&body).unwrap_or_else(|e| panic!("{body:?}: {e:?}"));
            assert_eq!(
                html.matches("<details").count(),
                html.matches("</details>").count(),
                "{body:?}\n{html}"
            );
            assert!(!html.contains("<p><details"), "{body:?}\n{html}");
            cards += html.matches("<details class=\"card\"").count();
        }
    }
    assert!(cards > 500, "only {cards} cards were read");
}

#[test]
fn a_cards_key_of_the_wrong_shape_is_an_error_at_the_key_item_or_value() {
    for (file, text, message, column) in [
        (
            "content/tin.md",
            "+++\ntitle = \"Tin\"\ncards = [\"symbol\"]\n+++\nTin.\n",
            "belongs in a collection's `_index.md`",
            1,
        ),
        (
            "content/metals/_index.md",
            "+++\ntitle = \"Metals\"\ncards = [1]\n+++\n",
            "a field name or a table with `field`",
            10,
        ),
        (
            "content/lead.md",
            "+++\ntitle = \"Lead\"\ncards = 1\n+++\nLead.\n",
            "`cards` must be `true` or `false`",
            9,
        ),
    ] {
        let site = TestSite::new(&[("content/_index.md", "# Home\n"), (file, text)]);
        let problems = site.build_err();
        let d = problems
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("{}", common::list(&problems)));
        assert!(d.file.ends_with(file.trim_start_matches("content/")), "{}", d.file);
        assert_eq!((d.line, d.column), (3, column));
        assert!(d.help.as_deref().is_some_and(|h| h.contains("cards")), "{:?}", d.help);
    }
}

/// The Spaced Repetition plugin writes its schedule after a card as an HTML
/// comment (`<!--SR:!2024-01-01,3,250-->`): it is no part of the card.
#[test]
fn the_plugins_schedule_comments_are_left_out() {
    let html = lode::build::render_markdown(
        "#flashcards\n\nQ::A <!--SR:!2024-01-01,3,250-->\n\nFront\n?\nBack\n<!--SR:!2024-01-02,4,270-->\n",
    )
    .unwrap();
    let cards = page_cards(&scraper::Html::parse_document(&format!("<div class=\"note-body\">{html}</div>")));
    let sides: Vec<(&str, &str)> = cards.iter().map(|c| (c.2.as_str(), c.3.as_str())).collect();
    assert_eq!(sides, [("Q", "A"), ("Front", "Back")], "{html}");
    assert!(!html.contains("SR:"), "{html}");
}

/// A backslash-escaped `=` (CommonMark's backslash escapes), as the unclosed
/// cloze hint and README suggest, is text: it never opens or closes a cloze.
#[test]
fn an_escaped_equals_sign_never_opens_or_closes_a_cloze() {
    let html = lode::build::render_markdown(
        "#flashcards\n\nEscaped \\==not a cloze== here.\n\nDouble \\==\\== here.\n",
    )
    .unwrap();
    assert!(!html.contains("<mark") && !html.contains("class=\"cloze"), "{html}");
    assert!(html.contains("Escaped ==not a cloze== here.") && html.contains("Double ==== here."), "{html}");
    // The escaped `=` stays text; the `==` after it still opens.
    let html = lode::build::render_markdown("#flashcards\n\nA \\===b== c.\n").unwrap();
    assert!(html.contains("A =") && !html.contains("==b"), "{html}");
    assert_eq!(html.matches("<mark class=\"cloze card\"").count(), 1, "{html}");
}

/// Each cloze card of a paragraph hides its own deletion on the front and
/// marks it on the back, other deletions (nested ones too) shown as text,
/// inline Markdown kept: the paragraph is rendered once and spliced per card.
#[test]
fn cloze_cards_hide_one_deletion_each_nested_ones_too() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Tin]]\n"),
        (
            "content/tin.md",
            "+++\ntitle = \"Tin\"\ncards = true\n+++\nTin ==melts *at* ==232== °C== and ==boils==.\n",
        ),
    ]);
    site.build();
    let cards = revision_cards(&site);
    let sides: Vec<(&str, &str)> = cards.iter().map(|c| (c.1.as_str(), c.2.as_str())).collect();
    let blank = "<span class=\"cloze-blank\">[…]</span>";
    assert_eq!(
        sides,
        [
            (
                format!("Tin {blank} and boils.").as_str(),
                "Tin <mark class=\"cloze\">melts <em>at</em> 232 °C</mark> and boils."
            ),
            (
                format!("Tin melts <em>at</em> {blank} °C and boils.").as_str(),
                "Tin melts <em>at</em> <mark class=\"cloze\">232</mark> °C and boils."
            ),
            (
                format!("Tin melts <em>at</em> 232 °C and {blank}.").as_str(),
                "Tin melts <em>at</em> 232 °C and <mark class=\"cloze\">boils</mark>."
            ),
        ],
        "{cards:?}"
    );
}
