//! What GitHub Pages needs in the output (404.html, sitemap, robots.txt, the
//! Atom feed, canonical and Open Graph tags, a favicon, CNAME), and the proof
//! that a site built for a sub-path works there when a plain static file
//! server, with no Lode code in it, serves it as GitHub Pages would.

mod common;

use std::collections::{BTreeSet, HashSet, VecDeque};

use common::static_server::{StaticServer, serve_flagship_under_repo};
use common::{TestSite, list, resolve_url, select};
use lode::build::{self, BuildOptions};
use scraper::{Html, Selector};

/// A small site published at `https://example.org/notes/`.
fn dated_site() -> TestSite {
    TestSite::new(&[
        ("site.toml", "title = \"Ore & Co\"\nbase_url = \"https://example.org/notes/\"\n"),
        ("content/_index.md", "# Home\n\nSee [[Tin]], [[Lead]] and [[Undated]].\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\nsummary = \"Metals.\"\n+++\n"),
        (
            "content/minerals/tin.md",
            "+++\ntitle = \"Tin\"\nsummary = \"Soft.\"\ndate = 2025-01-02\nupdated = 2025-03-04\ntags = [\"Metal\"]\n+++\nTin.\n",
        ),
        ("content/minerals/lead.md", "+++\ntitle = \"Lead\"\ndate = 2024-05-06T10:30:00\n+++\nLead.\n"),
        ("content/undated.md", "# Undated\n\nNo date.\n"),
    ])
}

fn read(site: &TestSite, path: &str) -> String {
    std::fs::read_to_string(site.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of every `<name>` element of `xml`, which must be well-formed.
fn texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
    doc.descendants().filter(|n| n.has_tag_name(name)).map(|n| n.text().unwrap_or("").to_string()).collect()
}

#[test]
fn the_sitemap_lists_every_page_with_absolute_urls_and_lastmod() {
    let site = dated_site();
    site.build();
    let xml = read(&site, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entries: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let child = |name: &str| url.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text());
            (child("loc").unwrap().to_string(), child("lastmod").map(str::to_string))
        })
        .collect();
    let lastmod =
        |loc: &str| entries.iter().find(|(l, _)| l == loc).unwrap_or_else(|| panic!("{loc}")).1.clone();
    assert_eq!(
        lastmod("https://example.org/notes/minerals/tin/").as_deref(),
        Some("2025-03-04"),
        "updated wins"
    );
    assert_eq!(lastmod("https://example.org/notes/minerals/lead/").as_deref(), Some("2024-05-06"));
    assert_eq!(lastmod("https://example.org/notes/undated/"), None);
    assert_eq!(lastmod("https://example.org/notes/"), None);
    assert_eq!(lastmod("https://example.org/notes/tags/metal/"), None);
    // One entry per page written, and nothing else (not 404.html, nor the
    // shared files under `_lode/`, such as the local graphs' second hops).
    let pages = walkdir::WalkDir::new(site.output())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html" && !e.path().starts_with(site.output().join("_lode")))
        .count();
    assert_eq!(entries.len(), pages);
    assert!(!xml.contains("404"));
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = dated_site();
    site.build();
    let robots = read(&site, "robots.txt");
    assert!(robots.starts_with("User-agent: *\n"), "{robots}");
    assert!(robots.lines().any(|l| l == "Sitemap: https://example.org/notes/sitemap.xml"), "{robots}");
}

#[test]
fn the_atom_feed_lists_dated_notes_by_last_update_and_leaves_out_undated_ones() {
    let site = dated_site();
    site.build();
    let xml = read(&site, "atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let child = |node: roxmltree::Node, name: &str| {
        node.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).map(str::to_string)
    };
    assert_eq!(child(feed, "updated").as_deref(), Some("2025-03-04T00:00:00Z"), "the newest entry's");
    assert_eq!(child(feed, "id").as_deref(), Some("https://example.org/notes/"));
    let entries: Vec<roxmltree::Node> = feed.children().filter(|c| c.has_tag_name("entry")).collect();
    let titles: Vec<String> = entries.iter().map(|e| child(*e, "title").unwrap()).collect();
    assert_eq!(titles, ["Tin", "Lead"], "newest first; the undated note and index pages are left out");
    let tin = entries[0];
    assert_eq!(child(tin, "id").as_deref(), Some("https://example.org/notes/minerals/tin/"));
    assert_eq!(child(tin, "published").as_deref(), Some("2025-01-02T00:00:00Z"));
    assert_eq!(child(tin, "summary").as_deref(), Some("Soft."));
    let link = tin.children().find(|c| c.has_tag_name("link")).unwrap();
    assert_eq!(link.attribute("href"), Some("https://example.org/notes/minerals/tin/"));
    assert_eq!(
        child(entries[1], "updated").as_deref(),
        Some("2024-05-06T10:30:00Z"),
        "a time without offset is UTC"
    );
}

#[test]
fn xml_files_escape_titles_summaries_and_tags() {
    let site = TestSite::new(&[
        ("site.toml", "title = \"Salt & <Pepper>\"\nbase_url = \"https://example.org/\"\n"),
        (
            "content/odd.md",
            "+++\ntitle = \"A & B <i>\\\"quoted\\\"</i>\"\nsummary = \"x < y & 'z'\"\ndate = 2025-02-17\ntags = [\"R&D\"]\n+++\nBody.\n",
        ),
    ]);
    site.build();
    let atom = read(&site, "atom.xml");
    assert_eq!(texts(&atom, "title"), ["Salt & <Pepper>", "A & B <i>\"quoted\"</i>"]);
    assert_eq!(texts(&atom, "summary"), ["x < y & 'z'"]);
    assert!(atom.contains("term=\"R&amp;D\""), "{atom}");
    assert!(!atom.contains("<i>") && !atom.contains("<Pepper>"), "{atom}");
    let sitemap = read(&site, "sitemap.xml");
    assert!(texts(&sitemap, "loc").contains(&"https://example.org/odd/".to_string()));
}

#[test]
fn pages_carry_canonical_open_graph_feed_and_icon_links() {
    let site = dated_site();
    site.build();
    let tin = site.page("minerals/tin/index.html");
    let attr = |css: &str, name: &str| {
        let found = select(&tin, css);
        assert_eq!(found.len(), 1, "{css}");
        found[0].value().attr(name).unwrap().to_string()
    };
    assert_eq!(attr("link[rel=canonical]", "href"), "https://example.org/notes/minerals/tin/");
    assert_eq!(attr("meta[property='og:url']", "content"), "https://example.org/notes/minerals/tin/");
    assert_eq!(attr("meta[property='og:title']", "content"), "Tin");
    assert_eq!(attr("meta[property='og:description']", "content"), "Soft.");
    assert_eq!(attr("meta[name=description]", "content"), "Soft.");
    assert_eq!(attr("meta[property='og:type']", "content"), "article");
    assert_eq!(attr("link[rel=icon]", "href"), "../../favicon.svg");
    assert_eq!(attr("link[rel=alternate][type='application/atom+xml']", "href"), "../../atom.xml");
    let home = site.page("index.html");
    let canonical = select(&home, "link[rel=canonical]")[0].value().attr("href").unwrap().to_string();
    assert_eq!(canonical, "https://example.org/notes/");
    assert_eq!(select(&home, "meta[property='og:type']")[0].value().attr("content"), Some("website"));
    let tag = site.page("tags/metal/index.html");
    assert_eq!(select(&tag, "meta[property='og:title']")[0].value().attr("content"), Some("#Metal"));
    // The default icon is written when the site has none; a site's own wins.
    assert!(read(&site, "favicon.svg").starts_with("<svg"));
    site.write("static/favicon.svg", "<svg id=\"mine\"/>");
    site.build();
    assert_eq!(read(&site, "favicon.svg"), "<svg id=\"mine\"/>");
    let (problems, checked) = common::check_all_links(&site.output());
    assert!(problems.is_empty() && checked > 20, "{problems:#?}");
}

#[test]
fn cname_is_written_only_when_site_toml_names_a_domain() {
    let site = dated_site();
    site.build();
    assert!(!site.output().join("CNAME").exists());
    site.write(
        "site.toml",
        "title = \"T\"\nbase_url = \"https://notes.example.org/\"\ncname = \" notes.example.org \"\n",
    );
    site.build();
    assert_eq!(read(&site, "CNAME"), "notes.example.org\n");

    site.write("site.toml", "title = \"T\"\ncname = \"https://notes.example.org/\"\n");
    let problems = site.build_err();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!((problems[0].file.as_str(), problems[0].line), ("site.toml", 2));
    assert!(problems[0].message.contains("bare domain"), "{}", list(&problems));
}

#[test]
fn the_404_page_uses_absolute_urls_under_the_base_path() {
    let site = dated_site();
    let options = BuildOptions { base_url: Some("https://example.org/REPO/".into()), ..site.options() };
    build::build(&options).unwrap();
    let page = site.page("404.html");
    assert!(!select(&page, "h1").is_empty());
    let urls = urls_of(&page);
    for url in ["/REPO/style.css", "/REPO/favicon.svg", "/REPO/", "/REPO/minerals/", "/REPO/tags/"] {
        assert!(urls.contains(url), "{url} missing from {urls:?}");
    }
    assert!(urls.iter().all(|u| u.starts_with("/REPO/")), "{urls:?}");
    assert!(select(&page, "link[rel=canonical]").is_empty(), "a not-found page has no canonical URL");
    assert_eq!(select(&page, "meta[name=robots]")[0].value().attr("content"), Some("noindex"));

    // At the root of a domain, the same page uses /style.css.
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://notes.example.org/\"\n");
    site.build();
    let urls = urls_of(&site.page("404.html"));
    assert!(urls.contains("/style.css") && urls.contains("/minerals/"), "{urls:?}");
}

#[test]
fn a_sites_own_404_and_robots_replace_the_generated_ones() {
    let site = dated_site();
    site.write("static/404.html", "<!doctype html><title>Mine</title>");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert_eq!(read(&site, "404.html"), "<!doctype html><title>Mine</title>");
    assert_eq!(read(&site, "robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn lode_serve_serves_its_404_page_for_the_root_it_serves_at() {
    let site = dated_site();
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.org/REPO/\"\n");
    let server = common::server::Server::start(site.root());
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    let urls = urls_of(&Html::parse_document(&body));
    assert!(urls.contains("/style.css") && urls.contains("/minerals/"), "{urls:?}");
    assert!(!urls.iter().any(|u| u.starts_with("/REPO/")), "serve is at /, not /REPO/: {urls:?}");
    let (status, _) = server.get("/style.css");
    assert_eq!(status, 200);
}

/// Every internal `href` and `src` of a page (external URLs and `mailto:` left out).
fn urls_of(html: &Html) -> BTreeSet<String> {
    let sel = Selector::parse("[href], [src]").unwrap();
    // `<base href>` is where the others are resolved from, not a link.
    html.select(&sel)
        .filter(|el| el.value().name() != "base")
        .filter_map(|el| el.value().attr("href").or(el.value().attr("src")))
        .filter(|u| !u.contains("://") && !u.starts_with("mailto:") && !u.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// What a crawl found.
#[derive(Debug, Default)]
struct Crawl {
    /// HTML pages fetched (URL paths).
    pages: BTreeSet<String>,
    /// Other files fetched: stylesheets, icons, images, scripts, the feed.
    files: BTreeSet<String>,
    /// Links followed (every internal `href` and `src` of every page).
    links: usize,
}

/// Crawls from `start` (`/REPO/`): every internal `href` and `src` of every
/// page must stay under `start` and answer 200; pages are followed.
fn crawl(server: &StaticServer, start: &str) -> Crawl {
    let mut found = Crawl::default();
    let mut seen: HashSet<String> = HashSet::from([start.to_string()]);
    let mut queue = VecDeque::from([(start.to_string(), String::from("(start)"))]);
    while let Some((url, from)) = queue.pop_front() {
        let (status, body) = server.get(&url);
        assert_eq!(status, 200, "{url}, linked from {from}, answered {status}");
        let is_page = url.ends_with('/') || url.ends_with(".html");
        if !is_page {
            found.files.insert(url);
            continue;
        }
        assert!(!body.contains("Directory listing for"), "{url} has no index.html");
        let page_dir =
            if url.ends_with('/') { url.clone() } else { url[..=url.rfind('/').unwrap()].to_string() };
        // As a browser does, from the page's `<base>` if it has one (the shards under `_lode/`).
        let html = Html::parse_document(&body);
        let page_dir = common::base_dir(&html, &page_dir);
        for link in urls_of(&html) {
            found.links += 1;
            let (target, _) = resolve_url(&page_dir, &link);
            assert!(target.starts_with(start), "{link} on {url} leaves {start}: {target}");
            if seen.insert(target.clone()) {
                queue.push_back((target, url.clone()));
            }
        }
        found.pages.insert(url);
    }
    found
}

#[test]
fn the_flagship_under_a_sub_path_crawls_clean_on_a_plain_static_server() {
    let (_tmp, server) = serve_flagship_under_repo();
    let mut found = crawl(&server, "/REPO/");
    eprintln!(
        "crawled {} pages and {} other files over {} links: {:?}",
        found.pages.len(),
        found.files.len(),
        found.links,
        found.files
    );
    assert!(found.pages.len() > 100, "{}", found.pages.len());
    for file in ["/REPO/style.css", "/REPO/favicon.svg", "/REPO/atom.xml"] {
        assert!(found.files.contains(file), "{file} was not linked");
    }

    // Every page of the sitemap was reached, and every page reached is in it
    // but the shared files under `_lode/` (the local graphs' second hops,
    // linked from "Show 2 hops"), which are no pages to list.
    let shared = |p: &String| p.starts_with("/REPO/_lode/");
    assert!(found.pages.iter().any(shared), "no second hop was reached");
    found.pages.retain(|p| !shared(p));
    let (status, sitemap) = server.get("/REPO/sitemap.xml");
    assert_eq!(status, 200);
    let listed: BTreeSet<String> = texts(&sitemap, "loc")
        .iter()
        .map(|loc| loc.strip_prefix("https://example.org").unwrap_or_else(|| panic!("{loc}")).to_string())
        .collect();
    assert_eq!(listed, found.pages);
    let (status, robots) = server.get("/REPO/robots.txt");
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: https://example.org/REPO/sitemap.xml"));
    let (status, atom) = server.get("/REPO/atom.xml");
    assert_eq!(status, 200);
    assert!(texts(&atom, "id").iter().all(|id| id.starts_with("https://example.org/REPO/")));
}

#[test]
fn the_flagship_404_page_works_at_any_depth_under_the_sub_path() {
    let (_tmp, server) = serve_flagship_under_repo();
    // A plain server answers a deep unknown path with its own 404; GitHub
    // Pages answers it with 404.html, whose URLs must hold at that depth.
    assert_eq!(server.get("/REPO/a/b/c/").0, 404);
    let (status, body) = server.get("/REPO/404.html");
    assert_eq!(status, 200);
    let html = Html::parse_document(&body);
    let stylesheet = select(&html, "link[rel=stylesheet]")[0].value().attr("href").unwrap().to_string();
    assert_eq!(stylesheet, "/REPO/style.css", "styled at any depth");
    let urls = urls_of(&html);
    assert!(urls.len() >= 8, "{urls:?}");
    for url in &urls {
        assert!(url.starts_with("/REPO/"), "{url} is not an absolute /REPO/ path");
        assert_eq!(server.get(url).0, 200, "{url} on 404.html");
    }
    for collection in ["/REPO/minerals/", "/REPO/programmes/", "/REPO/countries/", "/REPO/tags/", "/REPO/"] {
        assert!(urls.contains(collection), "{collection} not linked from 404.html");
    }
}

#[test]
fn a_site_with_images_and_scripts_crawls_clean_under_a_sub_path() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n![map](maps/map.svg)\n\nSee [[a]].\n"),
        ("content/maps/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("content/deep/er/a.md", "+++\ntitle = \"a\"\ntags = [\"x\"]\n+++\n![](pic.png)\n\n[[Home]]\n"),
        ("content/deep/er/pic.png", "png"),
        ("static/app.js", "// js"),
        (
            "templates/note.html",
            "{% extends \"base.html\" %}{% block content %}<script src=\"{{ get_url(path='app.js') }}\"></script>{{ page.content | safe }}{% endblock %}",
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(tmp.path().join("REPO")),
        base_url: Some("https://example.org/REPO/".into()),
        ..site.options()
    };
    build::build(&options).unwrap_or_else(|p| panic!("{}", list(&p)));
    let server = StaticServer::start(tmp.path());
    let found = crawl(&server, "/REPO/");
    for file in ["/REPO/maps/map.svg", "/REPO/deep/er/pic.png", "/REPO/app.js", "/REPO/favicon.svg"] {
        assert!(found.files.contains(file), "{file} not reached: {found:?}");
    }
    assert!(found.pages.contains("/REPO/deep/er/a/"), "{found:?}");
}

#[test]
fn a_yaml_date_time_with_spaces_and_an_offset_keeps_its_instant_in_the_feed() {
    let site = TestSite::new(&[
        ("site.toml", "title = \"Tz\"\nbase_url = \"https://example.org/\"\n"),
        ("content/late.md", "---\ntitle: Late\ndate: 2025-02-13 00:30:00 +05:30\n---\nBody.\n"),
    ]);
    site.build();
    let atom = read(&site, "atom.xml");
    assert_eq!(texts(&atom, "published"), ["2025-02-13T00:30:00+05:30"], "{atom}");
}
