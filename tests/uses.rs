//! Work in proportion to use (issue 19): the link previews, the revision
//! data, local graphs, backlink sentences and the site graph are made only
//! when a template uses them (`render::uses`), under `lode build` and
//! `lode serve` alike.

mod common;

use std::path::Path;

use common::TestSite;
use lode::build::Session;

/// A small site: Alpha links to Bravo with a sentence, Bravo has a
/// question, both share a tag.
fn notes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Alpha]] and [[Bravo]].\n"),
        (
            "content/alpha.md",
            "+++\ntitle = \"Alpha\"\ntags = [\"metal\"]\n+++\nAlpha sits beside [[Bravo]] today.\n",
        ),
        (
            "content/bravo.md",
            "+++\ntitle = \"Bravo\"\ntags = [\"metal\"]\n\n[[questions]]\nquestion = \"Which?\"\noptions = [\"A\", \"B\"]\nanswer = \"A\"\n+++\nBravo links to [[Alpha]].\n",
        ),
    ]
}

/// The Hugo-equivalent minimal templates of `benches/minimal-templates/`,
/// as (path in the site, text).
fn minimal_templates() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/minimal-templates");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (format!("templates/{name}"), std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn minimal_site() -> TestSite {
    let site = TestSite::new(&notes());
    for (path, text) in minimal_templates() {
        site.write(&path, &text);
    }
    site
}

/// A note page that shows the backlinks with their sentences and the
/// local graph, and a base that loads the previews' script and links the
/// revision page.
const USING_NOTE: &str = r#"{% extends "base.html" %}
{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}
<ul class="backlinks">{% for b in page.backlinks %}<li>{{ b.title }}: {{ b.context.before }}{{ b.context.text }}{{ b.context.after }}</li>{% endfor %}</ul>
{% if page.graph %}<div class="local-graph">{{ page.graph.list | safe }}</div>{% endif %}
<script defer src="{{ get_url(path='preview.js') }}"></script><a href="{{ get_url(path='revise/') }}">Revise</a>
{% endblock %}"#;

#[test]
fn minimal_templates_make_no_previews_revision_data_or_graphs() {
    let site = minimal_site();
    site.build();
    let out = site.output();
    assert!(out.join("alpha/index.html").is_file());
    assert!(!out.join("_lode/previews").exists(), "link previews were made though no template uses them");
    assert!(!out.join("_lode/revise.json").exists(), "revision data was made though no template uses it");
    assert!(!out.join("_lode/hops").exists(), "second-hop files were made though no template shows a graph");
    let graph = std::fs::read_to_string(out.join("graph/index.html")).unwrap();
    assert!(!graph.contains("<svg"), "the site graph was drawn: {graph}");
    let offline = std::fs::read_to_string(out.join("_lode/offline.json")).unwrap();
    assert!(!offline.contains("previews/") && !offline.contains("revise.json"), "{offline}");
}

#[test]
fn a_template_that_uses_a_view_gets_it() {
    let site = minimal_site();
    site.write("templates/note.html", USING_NOTE);
    site.build();
    let out = site.output();
    assert!(out.join("_lode/previews").is_dir(), "no link previews though base loads preview.js");
    assert!(out.join("_lode/revise.json").is_file(), "no revision data though a template links revise/");
    let bravo = site.page("bravo/index.html");
    let backlinks: Vec<String> = common::select(&bravo, ".backlinks li").iter().map(common::text).collect();
    assert!(
        backlinks.iter().any(|b| b.contains("Alpha") && b.contains("sits beside")),
        "backlinks: {backlinks:?}"
    );
    assert!(!common::select(&bravo, ".local-graph ul.graph-links").is_empty(), "no local graph");
}

/// Under `lode serve`, a template edit that starts using a view makes it,
/// and the files are those of a fresh build; an edit of a linking sentence
/// re-renders the linked note's page only when its template shows the
/// sentence.
#[test]
fn under_serve_a_template_edit_makes_what_it_starts_using() {
    let site = minimal_site();
    let root = site.root().to_path_buf();
    let mut session = Session::new(site.options());
    session.rebuild(&[]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert!(!session.files().keys().any(|k| k.starts_with("_lode/previews/") || k == "_lode/revise.json"));

    // The linking sentence changes: with the minimal templates, no page
    // shows it but Alpha's own.
    let edit = |session: &mut Session, text: &str| {
        site.write("content/alpha.md", text);
        session.rebuild(&[root.join("content/alpha.md")]).unwrap_or_else(|e| panic!("{}", common::list(&e)))
    };
    let update = edit(
        &mut session,
        "+++\ntitle = \"Alpha\"\ntags = [\"metal\"]\n+++\nAlpha rests near [[Bravo]] now.\n",
    );
    assert!(!update.full);
    assert_eq!(update.rendered(), 1, "pages rendered again: {:?}", update.changed);

    site.write("templates/note.html", USING_NOTE);
    let update = session
        .rebuild(&[root.join("templates/note.html")])
        .unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert!(update.full);
    let files = common::snapshot(&session);
    let mut fresh = Session::new(site.options());
    fresh.rebuild(&[]).unwrap();
    assert_eq!(files, common::snapshot(&fresh), "not the files of a fresh build");
    assert!(files.iter().any(|(k, _)| k.starts_with("_lode/previews/")));
    assert!(files.iter().any(|(k, _)| k == "_lode/revise.json"));

    // Now Bravo's page shows the sentence: it is rendered again.
    let update = edit(
        &mut session,
        "+++\ntitle = \"Alpha\"\ntags = [\"metal\"]\n+++\nAlpha waits by [[Bravo]] still.\n",
    );
    assert!(update.changed.iter().any(|p| p == "bravo/index.html"), "changed: {:?}", update.changed);
    let mut fresh = Session::new(site.options());
    fresh.rebuild(&[]).unwrap();
    assert_eq!(common::snapshot(&session), common::snapshot(&fresh));
}
