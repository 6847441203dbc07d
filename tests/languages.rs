//! Notes in more than one language (issue 20, item 7): `lithium.hi.md` beside
//! `lithium.md`, declared by `[languages.hi]` in site.toml. Each language has
//! its own URLs (`/hi/…`), `lang`, home, collections, tags, feed and search
//! index; pages with a translation carry a language switcher and hreflang
//! alternates; interface strings come from `i18n/hi.toml`; links resolve in
//! their own language first. The fixture is in English and Hindi
//! (Devanagari titles and bodies).

mod common;

use std::path::Path;

use common::{TestSite, check_all_links, hrefs, list, resolve_url, select, text};

/// The fixture `tests/fixtures/languages`, copied into a temporary site and built.
fn built() -> TestSite {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |_| true);
    site.build();
    site
}

/// The URL path a link `href` on the page at `page` (`hi/minerals/lithium/`) leads to.
fn lead(page: &str, href: &str) -> String {
    resolve_url(&format!("/{page}"), href).0
}

/// The `href`s of the body's links on the page `page` (its `<div class="note-body">`).
fn body_links(site: &TestSite, page: &str) -> Vec<String> {
    let html = site.page(&format!("{page}index.html"));
    hrefs(&html, ".note-body a").iter().map(|h| lead(page, h)).collect()
}

#[test]
fn each_language_has_its_urls_lang_and_a_switcher_whose_links_resolve() {
    let site = built();
    let out = site.output();
    for file in [
        "index.html",
        "hi/index.html",
        "minerals/index.html",
        "hi/minerals/index.html",
        "minerals/lithium/index.html",
        "hi/minerals/lithium/index.html",
        "minerals/cobalt/index.html",
        "tags/battery/index.html",
        "tags/index.html",
        "hi/tags/index.html",
        "atom.xml",
        "hi/atom.xml",
        // A dot in a name that is no declared language stays in the name.
        "minerals/v1-2/index.html",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    // Cobalt has no Hindi translation: no page, no switcher.
    assert!(!out.join("hi/minerals/cobalt/index.html").exists());
    let lang = |page: &str| {
        let html = site.page(page);
        select(&html, "html")[0].value().attr("lang").unwrap_or_default().to_string()
    };
    assert_eq!(lang("hi/minerals/lithium/index.html"), "hi");
    assert_eq!(lang("hi/tags/index.html"), "hi");
    assert_eq!(lang("minerals/lithium/index.html"), "en");

    let html = site.page("hi/minerals/lithium/index.html");
    let switcher = select(&html, "nav.lang-switch");
    assert_eq!(switcher.len(), 1, "one switcher");
    assert!(switcher[0].value().attr("aria-label").is_some(), "the switcher is labelled");
    let links = select(&html, "nav.lang-switch a");
    let shown: Vec<(String, String, Option<&str>)> = links
        .iter()
        .map(|a| {
            (
                text(a),
                lead("hi/minerals/lithium/", a.value().attr("href").unwrap()),
                a.value().attr("aria-current"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("English".to_string(), "/minerals/lithium/".to_string(), None),
            ("हिन्दी".to_string(), "/hi/minerals/lithium/".to_string(), Some("page")),
        ]
    );
    let english = site.page("minerals/lithium/index.html");
    let current: Vec<String> =
        select(&english, "nav.lang-switch a[aria-current=page]").iter().map(text).collect();
    assert_eq!(current, ["English"]);
    assert!(select(&site.page("minerals/cobalt/index.html"), "nav.lang-switch").is_empty());

    let (problems, checked) = check_all_links(&out);
    assert!(checked > 100, "{checked} links checked");
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}

#[test]
fn pages_with_a_translation_have_hreflang_alternates_in_head_and_sitemap() {
    let site = built();
    let html = site.page("hi/minerals/lithium/index.html");
    let alternates: Vec<(String, String)> = select(&html, "head link[rel=alternate][hreflang]")
        .iter()
        .map(|l| (l.value().attr("hreflang").unwrap().into(), l.value().attr("href").unwrap().into()))
        .collect();
    assert_eq!(
        alternates,
        [
            ("en".to_string(), "https://example.org/notes/minerals/lithium/".to_string()),
            ("x-default".to_string(), "https://example.org/notes/minerals/lithium/".to_string()),
            ("hi".to_string(), "https://example.org/notes/hi/minerals/lithium/".to_string()),
        ]
    );
    assert!(select(&site.page("minerals/cobalt/index.html"), "link[hreflang]").is_empty());

    let xml = std::fs::read_to_string(site.output().join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("the sitemap is XML");
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    let url = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .find(|u| {
            u.descendants().any(|n| {
                n.has_tag_name("loc") && n.text() == Some("https://example.org/notes/hi/minerals/lithium/")
            })
        })
        .expect("the Hindi note is in the sitemap");
    let links: Vec<(&str, &str)> = url
        .children()
        .filter(|n| n.has_tag_name((XHTML, "link")))
        .map(|n| (n.attribute("hreflang").unwrap(), n.attribute("href").unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            ("en", "https://example.org/notes/minerals/lithium/"),
            // The default language's page, as in the page's <head> (Google's
            // documented sitemap form); the sitemap had none before.
            ("x-default", "https://example.org/notes/minerals/lithium/"),
            ("hi", "https://example.org/notes/hi/minerals/lithium/")
        ]
    );
    assert!(xml.contains("<loc>https://example.org/notes/minerals/cobalt/</loc>"));
}

#[test]
fn each_language_has_its_own_feed() {
    let site = built();
    let titles = |file: &str| -> (Option<String>, Vec<String>) {
        let xml = std::fs::read_to_string(site.output().join(file)).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{file}: {e}"));
        let lang = doc
            .root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
            .map(str::to_string);
        let entries = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .map(|e| {
                e.children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        (lang, entries)
    };
    assert_eq!(titles("atom.xml"), (Some("en".into()), vec!["Lithium".to_string(), "Cobalt".to_string()]));
    assert_eq!(titles("hi/atom.xml"), (Some("hi".into()), vec!["लिथियम".to_string()]));
    // Recent changes: each language's feed holds its notes, under its path,
    // titled in its words, and its /changes/ page links it.
    assert_eq!(titles("changes/atom.xml").1, vec!["Lithium".to_string(), "Cobalt".to_string()]);
    assert_eq!(titles("hi/changes/atom.xml"), (Some("hi".into()), vec!["लिथियम".to_string()]));
    let hindi = std::fs::read_to_string(site.output().join("hi/changes/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&hindi).unwrap();
    let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|t| t.text());
    assert_eq!(title, Some("हाल के बदलाव · खनिज"));
    assert!(hindi.contains("<id>https://example.org/notes/hi/changes/</id>"), "{hindi}");
    let page = site.page("hi/changes/index.html");
    let feed: Vec<String> = hrefs(&page, ".summary a").iter().map(|h| lead("hi/changes/", h)).collect();
    assert_eq!(feed, ["/hi/changes/atom.xml"]);
}

#[test]
fn links_resolve_within_their_language_first_then_to_the_default_language() {
    let site = built();
    // The Hindi note: its own collection by name, Cobalt (untranslated) in English.
    assert_eq!(body_links(&site, "hi/minerals/lithium/"), ["/minerals/cobalt/", "/hi/minerals/"]);
    // The Hindi home's [[Lithium]] is the Hindi note; the English home's the English one.
    assert_eq!(body_links(&site, "hi/"), ["/hi/minerals/lithium/"]);
    assert_eq!(body_links(&site, ""), ["/minerals/lithium/"]);
    assert_eq!(body_links(&site, "minerals/cobalt/"), ["/minerals/lithium/"]);
    assert_eq!(body_links(&site, "hi/minerals/"), ["/hi/minerals/lithium/", "/minerals/cobalt/"]);
}

#[test]
fn each_language_lists_its_own_collections_tags_and_interface_strings() {
    let site = built();
    let hindi = site.page("hi/minerals/lithium/index.html");
    assert_eq!(text(&select(&hindi, ".site-menu summary")[0]), "मेनू");
    assert_eq!(text(&select(&hindi, ".skip-link")[0]), "सामग्री पर जाएँ");
    assert_eq!(text(&select(&hindi, "#backlinks-title")[0]), "यहाँ से जुड़ा");
    // The partials' strings too: the self-test's heading and button, the graph's heading.
    assert_eq!(text(&select(&hindi, "#self-test-title")[0]), "स्वयं को परखें");
    assert_eq!(text(&select(&hindi, "details.answer summary")[0]), "उत्तर देखें");
    assert_eq!(text(&select(&hindi, "#local-graph-title")[0]), "ग्राफ़");
    // A key i18n/hi.toml leaves out is the default language's.
    assert!(text(&select(&hindi, ".note-meta")[0]).contains("मिनट का पाठ"));
    assert!(text(&select(&hindi, ".note-meta")[0]).contains("Last updated"));
    let nav: Vec<String> = select(&hindi, ".site-nav a").iter().map(text).collect();
    assert_eq!(nav[..2], ["महत्वपूर्ण खनिज".to_string(), "टैग".to_string()]);
    assert_eq!(text(&select(&hindi, ".site-title")[0]), "खनिज");
    let tags: Vec<String> =
        hrefs(&hindi, ".tags a").iter().map(|h| lead("hi/minerals/lithium/", h)).collect();
    assert_eq!(tags, ["/hi/tags/baittrii/"]);
    // The Hindi tag index lists the Hindi tag alone; the English one the English tag.
    let listed = |page: &str| -> Vec<String> {
        select(&site.page(page), "main a[href*='tags/']").iter().map(text).collect::<Vec<_>>()
    };
    assert!(listed("hi/tags/index.html").iter().any(|t| t.contains("बैटरी")));
    assert!(!listed("hi/tags/index.html").iter().any(|t| t.contains("battery")));
    assert!(!listed("tags/index.html").iter().any(|t| t.contains("बैटरी")));

    let english = site.page("minerals/lithium/index.html");
    assert_eq!(text(&select(&english, ".site-menu summary")[0]), "Menu");
    assert!(text(&select(&english, "#backlinks-title")[0]).starts_with("Linked from"));
    let home = site.page("hi/index.html");
    assert_eq!(text(&select(&home, "#collections-title")[0]), "नोट्स देखें");
    assert_eq!(select(&home, "body")[0].value().attr("data-search"), Some("hi/_lode/search/"));
}

/// Every term of the search index under `dir`.
fn terms(site: &TestSite, dir: &str) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(site.output().join(dir).join("terms")).unwrap() {
        all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    all
}

#[test]
fn search_is_per_language_and_keeps_devanagari_words_whole() {
    let site = built();
    let hindi = terms(&site, "hi/_lode/search");
    let english = terms(&site, "_lode/search");
    // Vowel signs (Mc) and the virama (Mn) stay inside the word.
    for word in ["\"लिथियम\"", "\"धातु\"", "\"बैटरियों\""] {
        assert!(hindi.contains(word), "{word} in the Hindi index");
        assert!(!english.contains(word), "{word} not in the English index");
    }
    assert!(english.contains("\"cobalt\"") && english.contains("\"batteries\""));
    assert!(!hindi.contains("\"batteries\""));
}

#[test]
fn an_undeclared_language_code_or_a_folder_named_like_a_language_is_an_error() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    site.write("site.toml", "title = \"T\"\n[languages.\"hi/x\"]\nname = \"x\"\n");
    let errors = site.build_errors();
    assert!(errors[0].message.contains("is not a language code"), "{}", common::list(&errors));
    assert_eq!(errors[0].line, 2);

    let site = TestSite::new(&[("content/a.md", "# A\n\n[[B]]\n"), ("content/hi/b.md", "# B\n\n[[A]]\n")]);
    site.write("site.toml", "title = \"T\"\n[languages.hi]\nname = \"हिन्दी\"\n");
    let errors = site.build_errors();
    assert!(
        errors.iter().any(|e| e.message.contains("keeps for the pages in `hi`")),
        "{}",
        common::list(&errors)
    );
}

#[test]
fn a_site_without_languages_has_no_switcher_nor_language_pages() {
    let site = TestSite::new(&[("content/a.md", "# A\n\n[[B]]\n"), ("content/b.hi.md", "# B\n\n[[A]]\n")]);
    site.build();
    // `b.hi.md` is an ordinary note: no language is declared.
    assert!(site.output().join("b-hi/index.html").is_file());
    assert!(!site.output().join("hi").exists());
    let html = site.page("a/index.html");
    assert!(select(&html, "nav.lang-switch, link[hreflang]").is_empty());
    assert_eq!(select(&html, "body")[0].value().attr("data-search"), None);
}

/// Every file of `session` equals a fresh build's.
fn assert_same_as_fresh(site: &TestSite, session: &lode::build::Session, edit: &str) {
    let mut fresh = lode::build::Session::new(site.options());
    fresh.rebuild(&[]).unwrap_or_else(|e| panic!("after {edit}: {}", common::list(&e)));
    let (got, want) = (common::snapshot(session), common::snapshot(&fresh));
    let paths = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&got), paths(&want), "after {edit}: other files than a fresh build's");
    let differing: Vec<&String> =
        got.iter().zip(&want).filter(|((_, a), (_, b))| a != b).map(|((p, _), _)| p).collect();
    assert!(differing.is_empty(), "after {edit}: {differing:?} differ from a fresh build");
}

#[test]
fn adding_and_removing_a_translation_under_serve_gives_a_fresh_build() {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |_| true);
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).expect("first build");
    let cobalt = site.root().join("content/minerals/cobalt.hi.md");
    site.write("content/minerals/cobalt.hi.md", "+++\ntitle = \"कोबाल्ट\"\n+++\nकोबाल्ट कांगो में। [[Lithium]]\n");
    session.rebuild(std::slice::from_ref(&cobalt)).expect("rebuild");
    assert_same_as_fresh(&site, &session, "adding cobalt.hi.md");
    assert!(session.files().contains_key("hi/minerals/cobalt/index.html"));
    std::fs::remove_file(&cobalt).unwrap();
    session.rebuild(std::slice::from_ref(&cobalt)).expect("rebuild");
    assert_same_as_fresh(&site, &session, "removing cobalt.hi.md");
    let hi = site.root().join("i18n/hi.toml");
    site.write("i18n/hi.toml", "menu = \"सूची\"\n");
    session.rebuild(std::slice::from_ref(&hi)).expect("rebuild");
    assert_same_as_fresh(&site, &session, "editing i18n/hi.toml");
}

/// In a site of one language the templates' `t(key=…)` calls are answered
/// once, when the templates load: a site's `i18n/en.toml` still wins over
/// Lode's strings, in the page and in every place a call stands (an
/// attribute, a string longer than its call, one holding quotes), and an
/// unknown key is still an error naming it.
#[test]
fn one_language_strings_come_from_the_sites_file_wherever_a_call_stands() {
    let long = "A much longer label for the tag index than its call";
    let site = TestSite::new(&[
        ("content/a.md", "# A\n\nText.\n"),
        (
            "i18n/en.toml",
            &format!("tags = \"Topics\"\nmenu = \"{long}\"\nsearch = \"Find \\\"it\\\" 'now' `here`\"\n"),
        ),
        (
            "templates/note.html",
            "{% extends \"lode/note.html\" %}{% block after_content %}<p id=\"t\" title=\"{{ t(key=\"tags\") }}\">{{ t(key=\"tags\") }}|{{ t(key=\"menu\") }}|{{ t(key=\"search\") }}</p>{% endblock %}",
        ),
    ]);
    site.build();
    let html = site.page("a/index.html");
    let p = select(&html, "p#t")[0];
    assert_eq!(p.value().attr("title"), Some("Topics"));
    assert_eq!(text(&p), format!("Topics|{long}|Find \"it\" 'now' `here`"));
    // The built-in menu reads the site's string too.
    assert!(hrefs_text(&html, "nav a").iter().any(|t| t == "Topics"), "the menu's tags link says Topics");
    site.write(
        "templates/note.html",
        "{% extends \"lode/note.html\" %}{% block after_content %}{{ t(key=\"no_such_key\") }}{% endblock %}",
    );
    let problems = list(&site.build_err());
    assert!(problems.contains("no_such_key"), "{problems}");
    // The files looked in, each once, and the nearest key.
    site.write(
        "templates/note.html",
        "{% extends \"lode/note.html\" %}{% block after_content %}{{ t(key=\"linked_fom\") }}{% endblock %}",
    );
    let problems = list(&site.build_err());
    assert!(problems.contains("looked in i18n/en.toml, Lode's built-in i18n/en.toml"), "{problems}");
    assert!(problems.contains("did you mean t(key=\"linked_from\")?"), "{problems}");
}

fn hrefs_text(html: &scraper::Html, css: &str) -> Vec<String> {
    select(html, css).iter().map(text).collect()
}

/// A translation that keeps its original's title claims no name twice: the
/// names are per language (the warning L0304 came for every such pair).
#[test]
fn a_translation_keeping_its_title_is_no_name_clash() {
    let site = TestSite::new(&[
        ("site.toml", "title = \"T\"\nlanguage = \"en\"\n[languages.hi]\nname = \"हिन्दी\"\n"),
        ("content/trust.md", "+++\ntitle = \"TRUST\"\n+++\nSee [[Other]].\n"),
        ("content/trust.hi.md", "+++\ntitle = \"TRUST\"\n+++\n[[Other]] देखें।\n"),
        ("content/other.md", "+++\ntitle = \"Other\"\n+++\n[[TRUST]]\n"),
        ("content/other.hi.md", "+++\ntitle = \"Other\"\n+++\n[[TRUST]]\n"),
    ]);
    let report = site.build();
    let shown = list(&report.warnings);
    assert!(!shown.contains("also claimed"), "{shown}");
    // Each language's link still finds its own TRUST.
    let hrefs_of = |page: &str| hrefs(&site.page(page), "main a[href*='trust']");
    assert!(
        hrefs_of("hi/other/index.html").iter().any(|h| h.contains("hi/trust/") || h == "../trust/"),
        "{:?}",
        hrefs_of("hi/other/index.html")
    );
}

/// A translation file for a language `site.toml` does not declare was
/// ignored without a word: it is a warning at the file, naming the
/// declared languages.
#[test]
fn a_translation_file_of_an_undeclared_language_is_a_warning_naming_the_declared_ones() {
    let site = TestSite::new(&[("content/a.md", "# A\n\n[[A]]\n"), ("i18n/fr.toml", "menu = \"Menu\"\n")]);
    site.write("site.toml", "title = \"T\"\nlanguage = \"en\"\n[languages.en]\nname = \"English\"\n[languages.hi]\nname = \"हिन्दी\"\n");
    let warnings = site.build().warnings;
    let found: Vec<_> = warnings.iter().filter(|w| w.file == "i18n/fr.toml").collect();
    assert_eq!(found.len(), 1, "{}", list(&warnings));
    let w = found[0];
    assert_eq!((w.line, w.column), (1, 1));
    assert!(w.message.contains("`fr`"), "{}", w.message);
    let help = w.help.as_deref().unwrap_or_default();
    assert!(help.contains("en") && help.contains("hi") && help.contains("[languages.fr]"), "{help}");
    // The default language's own file needs no declaration, nor does a
    // one-language site's file of its `language`.
    let site = TestSite::new(&[("content/a.md", "# A\n\n[[A]]\n"), ("i18n/en.toml", "menu = \"Menu\"\n")]);
    assert!(site.build().warnings.iter().all(|w| !w.file.starts_with("i18n/")));
}

/// A misspelt key in a translation file was ignored without a word: a key
/// that no loaded template calls and Lode's `i18n/en.toml` does not have
/// is a warning at the key, with the nearest known key. A key a site's own
/// template calls is known.
#[test]
fn a_misspelt_key_in_a_translation_file_is_a_warning_at_the_key_with_the_nearest_one() {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |_| true);
    site.write("i18n/hi.toml", "menu = \"मेनू\"\n  linked_form = \"यहाँ से जुड़ा\"\nmy_own = \"मेरा\"\n");
    site.write("templates/partials/nav_extra.html", "<span>{{ t(key=\"my_own\") }}</span>\n");
    site.write("i18n/en.toml", "my_own = \"Mine\"\n");
    let warnings = site.build().warnings;
    let found: Vec<_> = warnings.iter().filter(|w| w.file.starts_with("i18n/")).collect();
    assert_eq!(found.len(), 1, "{}", list(&warnings));
    let w = found[0];
    assert_eq!((w.file.as_str(), w.line, w.column), ("i18n/hi.toml", 2, 3));
    assert!(w.message.contains("`linked_form`"), "{}", w.message);
    assert!(w.help.as_deref().unwrap_or_default().contains("linked_from"), "{:?}", w.help);
}

/// A note's translations are the same note in another language, not
/// notes related to it: the Hindi lithium page does not list the English one.
#[test]
fn a_notes_translations_are_not_among_its_related_notes() {
    let site = built();
    for (page, own) in
        [("hi/minerals/lithium/", "minerals/lithium/"), ("minerals/lithium/", "hi/minerals/lithium/")]
    {
        let html = site.page(&format!("{page}index.html"));
        let related: Vec<String> = hrefs(&html, ".related a").iter().map(|h| lead(page, h)).collect();
        assert!(!related.contains(&format!("/{own}")), "{page} lists its translation: {related:?}");
    }
}

/// Translations are one note for the orphan check (as Hugo and Zola treat
/// translations as one page): a translation whose original is linked, or
/// an original whose translation is linked, is no orphan.
#[test]
fn a_note_is_no_orphan_when_any_of_its_translations_is_linked() {
    let site = TestSite::new(&[
        ("content/a.md", "# A\n\n[[B]] [[E]]\n"),
        ("content/b.md", "# B\n\n[[A]]\n"),
        ("content/c.hi.md", "# ग\n\n[[F]]\n"),
        ("content/e.md", "# E\n\nText.\n"),
        ("content/e.hi.md", "# ङ\n\nपाठ।\n"),
        ("content/f.md", "# F\n\nText.\n"),
        ("content/f.hi.md", "# च\n\nपाठ।\n"),
    ]);
    site.write(
        "site.toml",
        "title = \"T\"\nlanguage = \"en\"\n[check]\norphans = \"each\"\n[languages.en]\nname = \"English\"\n[languages.hi]\nname = \"हिन्दी\"\n",
    );
    let warnings = site.build().warnings;
    let orphans: Vec<&str> =
        warnings.iter().filter(|w| w.message.contains("orphan")).map(|w| w.file.as_str()).collect();
    // e.hi.md: its original is linked; f.md: its translation is.
    assert_eq!(orphans, ["content/c.hi.md"], "{}", list(&warnings));
}

/// The words the scripts write come from the translation files too: a
/// Hindi page carries them (those that differ from Lode's English) in
/// `<body data-strings>`, as JSON that survives any character; an English
/// page, and every page of a site in English, carries none.
#[test]
fn a_pages_script_words_are_in_its_language_and_english_pages_carry_none() {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |_| true);
    let hi = std::fs::read_to_string(site.root().join("i18n/hi.toml")).unwrap();
    site.write("i18n/hi.toml", &format!("{hi}zoom_in = 'बड़ा \"करें\" & <देखें>'\n"));
    site.build();
    let strings = |page: &str| -> Option<serde_json::Value> {
        let html = site.page(page);
        let body = select(&html, "body")[0].value().attr("data-strings").map(str::to_string);
        body.map(|json| serde_json::from_str(&json).unwrap_or_else(|e| panic!("{page}: {e}: {json}")))
    };
    for page in ["hi/minerals/lithium/index.html", "hi/index.html", "hi/tags/index.html"] {
        let words = strings(page).unwrap_or_else(|| panic!("{page} has no data-strings"));
        assert_eq!(words["theme"], "थीम", "{page}");
        assert_eq!(words["search"], "खोजें", "{page}");
        assert_eq!(words["zoom_in"], "बड़ा \"करें\" & <देखें>", "{page}");
        // Only what differs from the scripts' own English.
        assert!(words.get("cancel").is_none(), "{page}: {words}");
    }
    for page in ["minerals/lithium/index.html", "index.html", "tags/index.html"] {
        assert_eq!(strings(page), None, "{page}");
    }
    let english = TestSite::new(&[("content/a.md", "# A\n\n[[A]]\n")]);
    english.build();
    let html = english.page("a/index.html");
    assert_eq!(select(&html, "body")[0].value().attr("data-strings"), None);
    // A site in one language other than English: its pages carry its words.
    let hindi = TestSite::new(&[("content/a.md", "# क\n\n[[A]]\n"), ("i18n/hi.toml", "theme = \"थीम\"\n")]);
    hindi.write("site.toml", "title = \"T\"\nlanguage = \"hi\"\n");
    hindi.build();
    let html = hindi.page("a/index.html");
    assert_eq!(select(&html, "body")[0].value().attr("data-strings"), Some("{\"theme\":\"थीम\"}"));
}

/// Every word a script writes is a key of `SCRIPT_STRINGS` whose English
/// in Lode's `i18n/en.toml` is the script's own fallback, and every key is
/// used: a translation of a key the scripts do not read would do nothing.
#[test]
fn every_script_word_is_a_script_string_with_the_same_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let en: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("i18n/en.toml")).unwrap()).unwrap();
    let mut used = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(root.join("static")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Each `say("key", "English"` (no script's English holds a quote).
        for call in text.split("say(\"").skip(1).chain(text.split("word(\"").skip(1)) {
            let Some((key, rest)) = call.split_once("\", \"") else { continue };
            let Some((english, _)) = rest.split_once('"') else { continue };
            if !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                continue;
            }
            assert!(
                lode::render::SCRIPT_STRINGS.contains(&key),
                "{}: {key} is not in SCRIPT_STRINGS",
                path.display()
            );
            assert_eq!(en.get(key).and_then(|v| v.as_str()), Some(english), "{}: {key}", path.display());
            used.insert(key.to_string());
        }
    }
    let unused: Vec<&&str> = lode::render::SCRIPT_STRINGS.iter().filter(|k| !used.contains(**k)).collect();
    assert!(unused.is_empty(), "no script says {unused:?}");
}

/// The graph, revision and recent changes pages have a version in each
/// language (`/hi/graph/`…), with its `lang` and words, linked from that
/// language's menu and footer, and every link on them resolves.
#[test]
fn the_sites_own_pages_have_a_version_in_each_language() {
    let site = built();
    for (page, heading) in [("hi/graph/", "ग्राफ़"), ("hi/revise/", "दोहराएँ"), ("hi/changes/", "हाल के बदलाव")]
    {
        let html = site.page(&format!("{page}index.html"));
        assert_eq!(select(&html, "html")[0].value().attr("lang"), Some("hi"), "{page}");
        assert_eq!(text(&select(&html, "h1")[0]), heading, "{page}");
        // The breadcrumb leads to the Hindi home page.
        let home = hrefs(&html, ".breadcrumbs a");
        assert_eq!(lead(page, &home[0]), "/hi/", "{page}");
    }
    let revise = site.page("hi/revise/index.html");
    assert!(text(&select(&revise, ".summary")[0]).starts_with("हर नोट"));
    // The revision list's notes lead to their pages from one folder deeper.
    let listed: Vec<String> =
        hrefs(&revise, ".revise-nojs a").iter().map(|h| lead("hi/revise/", h)).collect();
    assert!(listed.contains(&"/hi/minerals/lithium/".to_string()), "{listed:?}");
    assert!(text(&select(&revise, ".revise-nojs .count")[0]).contains("प्रश्न"));
    // The Hindi pages' menu and footer lead to the Hindi versions, and the
    // English ones stay where they were.
    let lithium = site.page("hi/minerals/lithium/index.html");
    let links: Vec<String> = hrefs(&lithium, ".site-nav a, .site-footer a")
        .iter()
        .map(|h| lead("hi/minerals/lithium/", h))
        .collect();
    for want in ["/hi/graph/", "/hi/revise/", "/hi/changes/"] {
        assert!(links.contains(&want.to_string()), "{want} not in {links:?}");
    }
    let english = site.page("minerals/lithium/index.html");
    let links: Vec<String> =
        hrefs(&english, ".site-nav a").iter().map(|h| lead("minerals/lithium/", h)).collect();
    assert!(links.contains(&"/graph/".to_string()) && links.contains(&"/revise/".to_string()), "{links:?}");
    let (broken, _) = check_all_links(&site.output());
    assert!(broken.is_empty(), "{broken:?}");
}

/// In a site of one language Lode writes the script words and each `t()`
/// string into the templates as Tera literals, once. Tera unescapes a
/// literal's backslashes, so they are escaped: the JSON of `data-strings`
/// (full of `\"`, `\t`) and a string with a backslash come out as written,
/// where before the JSON lost its escapes (a page's scripts could not read
/// it) and `\b` made the template fail.
#[test]
fn inlined_strings_of_a_one_language_site_keep_their_backslashes() {
    let hindi = TestSite::new(&[
        ("content/a.md", "# क\n\n[[A]]\n"),
        ("i18n/hi.toml", "theme = \"थीम\\t\\\"नया\\\"\"\nzoom_in = 'C:\\पथ \\u00e9'\nmenu = 'a\\b'\n"),
    ]);
    hindi.write("site.toml", "title = \"T\"\nlanguage = \"hi\"\n");
    hindi.build();
    let html = hindi.page("a/index.html");
    let json = select(&html, "body")[0].value().attr("data-strings").unwrap().to_string();
    let words: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("data-strings is no JSON: {e}: {json}"));
    assert_eq!(words["theme"], "थीम\t\"नया\"");
    assert_eq!(words["zoom_in"], "C:\\पथ \\u00e9");
    assert_eq!(text(&select(&html, ".site-menu summary")[0]), "a\\b");
}

/// In a site in English `script_strings()` is written as `''` padded to the
/// call's length, so a template error later on its line is reported at its
/// own column.
#[test]
fn an_inlined_script_strings_call_keeps_the_columns_after_it() {
    let line = "<p>{{ script_strings() ~ ) }}</p>";
    let site = TestSite::new(&[("content/a.md", "# A\n\n[[A]]\n"), ("templates/extra.html", line)]);
    let errors = site.build_err();
    let error = errors
        .iter()
        .find(|e| e.file == "templates/extra.html")
        .unwrap_or_else(|| panic!("{}", list(&errors)));
    assert_eq!((error.line, error.column), (1, line.find(" ) ").unwrap() + 2), "{}", list(&errors));
}

/// A translation in a collection without an `_index.hi.md` falls back, as
/// Hugo and Zola do, to the default language's collection: its breadcrumb,
/// its menu's collection links and its group in `/hi/graph/` are the
/// English page's, and it is not listed among the English collection's notes.
#[test]
fn a_translation_whose_collection_has_no_translation_falls_back_to_the_default_languages() {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |p| !p.ends_with("minerals/_index.hi.md"));
    assert!(!site.root().join("content/minerals/_index.hi.md").exists());
    site.build();
    let (english, hindi) = ("minerals/lithium/", "hi/minerals/lithium/");
    let crumbs = |page: &str| -> Vec<(String, String)> {
        let html = site.page(&format!("{page}index.html"));
        let links = select(&html, ".breadcrumbs a");
        links.iter().skip(1).map(|a| (text(a), lead(page, a.value().attr("href").unwrap()))).collect()
    };
    assert_eq!(crumbs(english), [("Critical minerals".to_string(), "/minerals/".to_string())]);
    assert_eq!(crumbs(hindi), crumbs(english), "the breadcrumb");
    let menu = |page: &str| -> Vec<(String, String, Option<String>)> {
        let html = site.page(&format!("{page}index.html"));
        select(&html, ".site-nav a")
            .iter()
            .map(|a| {
                let v = a.value();
                (text(a), lead(page, v.attr("href").unwrap()), v.attr("aria-current").map(str::to_string))
            })
            .filter(|(_, href, _)| {
                !href.contains("/tags/") && !href.ends_with("graph/") && !href.ends_with("revise/")
            })
            .collect()
    };
    assert_eq!(menu(english), [("Critical minerals".into(), "/minerals/".into(), Some("true".into()))]);
    assert_eq!(menu(hindi), menu(english), "the menu's collections");
    // In the Hindi graph, the Hindi note is in the collection's group, as the
    // English note is in the English graph.
    let group = |graph: &str, note: &str| -> String {
        let html = site.page(&format!("{graph}index.html"));
        let node = select(&html, ".graph-site a.node")
            .into_iter()
            .find(|a| lead(graph, a.value().attr("href").unwrap()) == format!("/{note}"))
            .unwrap_or_else(|| panic!("{note} is not in {graph}"));
        text(&select(&scraper::Html::parse_fragment(&node.html()), "title")[0])
    };
    assert_eq!(group("hi/graph/", hindi), "लिथियम (Critical minerals)");
    assert_eq!(group("graph/", english), "Lithium (Critical minerals)");
    // The English collection lists its English notes only, and the Hindi
    // note has no pager through them.
    let listed = hrefs(&site.page("minerals/index.html"), "ul.cards a");
    assert!(!listed.is_empty());
    assert!(listed.iter().all(|l| !lead("minerals/", l).starts_with("/hi/")), "{listed:?}");
    let page = site.page(&format!("{hindi}index.html"));
    assert!(select(&page, "a[rel=prev], a[rel=next]").is_empty(), "no pager through the English notes");
}

/// A language without its own home page (`_index.hi.md`) gets one at
/// `/hi/` listing its notes, those whose folder has no Hindi collection
/// included (they fall back to the English collection, which does not list
/// them), and its "Revise now" leads to the Hindi revision page.
#[test]
fn a_language_without_a_home_page_lists_its_notes_at_its_root() {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |p| !p.ends_with("_index.hi.md"));
    site.build();
    let html = site.page("hi/index.html");
    let hrefs: Vec<String> =
        select(&html, "main a").iter().map(|a| lead("hi/", a.value().attr("href").unwrap())).collect();
    assert!(hrefs.iter().any(|h| h == "/hi/minerals/lithium/"), "the Hindi note is listed: {hrefs:?}");
    let revise = select(&html, ".study-status a");
    assert_eq!(lead("hi/", revise[0].value().attr("href").unwrap()), "/hi/revise/");
}
