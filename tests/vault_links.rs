//! A vault as Obsidian users write them (tests/fixtures/vault-links/) builds
//! with every link pointing where Obsidian would point it
//! (<https://help.obsidian.md/links>, /embeds, /file-formats): file names
//! before titles and aliases, names with dots, embeds of other sections of
//! the same note, attachments as link targets, block references.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{hrefs, select, text};
use lode::build::{self, BuildOptions, BuildReport};
use scraper::Html;

/// The fixture, copied into a temp dir and built there.
struct Vault {
    dir: tempfile::TempDir,
    report: BuildReport,
}

impl Vault {
    fn build() -> Vault {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-links");
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in walkdir::WalkDir::new(&fixture).into_iter().filter_map(Result::ok) {
            let rel = entry.path().strip_prefix(&fixture).unwrap();
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let report = match build::build(&BuildOptions::new(dir.path())) {
            Ok(report) => report,
            Err(problems) => panic!("build failed:\n{}", common::list(&problems)),
        };
        Vault { dir, report }
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn page(&self, path: &str) -> Html {
        let text =
            std::fs::read_to_string(self.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        Html::parse_document(&text)
    }
}

#[test]
fn every_url_of_the_vault_names_a_written_file() {
    let vault = Vault::build();
    let (problems, checked) = common::check_all_links(&vault.output());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 50, "only {checked} URLs checked");
}

#[test]
fn a_file_name_outranks_titles_and_aliases() {
    let vault = Vault::build();
    let linker = vault.page("notes/linker/index.html");
    let links = hrefs(&linker, ".note-body > p > a");
    assert_eq!(
        links,
        vec![
            // An alias in the same folder loses to the file lithium.md (matched ignoring case).
            "../../minerals/lithium/",
            // A heading title in the same folder loses to the file Cobalt.md.
            "../../minerals/cobalt/",
            // A front-matter title beats a heading title, though farther away.
            "../../minerals/nickel-front/",
            "../../v1-2/",
            "../../diagram-excalidraw/",
        ]
    );
    // Two heading titles "Overview" in other folders do not make it ambiguous.
    assert_eq!(hrefs(&vault.page("index.html"), ".note-body > p > a")[..2], ["notes/linker/", "overview/"]);
    assert!(
        vault.report.warnings.iter().all(|d| !d.message.starts_with("link ")),
        "{}",
        common::list(&vault.report.warnings)
    );
    // An orphan's help suggests a link that reaches it: not the heading
    // title "Cobalt", which names the file Cobalt.md.
    let orphan = vault.report.warnings.iter().find(|d| d.file == "content/notes/cobalt-notes.md").unwrap();
    assert!(orphan.help.as_deref().unwrap().contains("[[cobalt-notes]]"), "{orphan}");
}

#[test]
fn names_with_dots_embed_the_note_when_no_file_has_the_name() {
    let vault = Vault::build();
    let linker = vault.page("notes/linker/index.html");
    let embeds: Vec<String> = select(&linker, ".embed").iter().map(text).collect();
    assert_eq!(embeds.len(), 2, "{embeds:?}");
    assert!(embeds[0].contains("Release notes of v1.2."), "{}", embeds[0]);
    assert!(embeds[1].contains("Excalidraw drawing text."), "{}", embeds[1]);
}

#[test]
fn another_section_of_the_same_note_embeds() {
    let vault = Vault::build();
    let page = vault.page("notes/sections/index.html");
    let embeds: Vec<String> = select(&page, ".embed").iter().map(text).collect();
    assert_eq!(embeds.len(), 2, "{embeds:?}");
    assert!(embeds[0].contains("Second text.") && !embeds[0].contains("Third text."), "{}", embeds[0]);
    assert!(embeds[1].contains("Third text.") && !embeds[1].contains("Second text."), "{}", embeds[1]);
    assert!(select(&page, ".embed-link").is_empty(), "no embed became a link");
    assert!(
        vault.report.warnings.iter().all(|d| !d.message.starts_with("embedding")),
        "{}",
        common::list(&vault.report.warnings)
    );
}

/// `(src or href, alt or text)` of the elements `css` selects.
fn urls(html: &Html, css: &str) -> Vec<(String, String)> {
    select(html, css)
        .iter()
        .map(|e| {
            let v = e.value();
            let url = v.attr("src").or(v.attr("href")).unwrap_or_default().to_string();
            (url, v.attr("alt").map_or_else(|| text(e), str::to_string))
        })
        .collect()
}

#[test]
fn attachments_resolve_by_path_from_the_note_or_the_root_then_by_nearest_name() {
    let vault = Vault::build();
    let gallery = vault.page("gallery/gallery/index.html");
    let images = urls(&gallery, ".note-body img");
    let src = |alt: &str| {
        images
            .iter()
            .find(|(_, a)| a == alt)
            .map(|(s, _)| s.as_str())
            .unwrap_or_else(|| panic!("no img {alt}: {images:?}"))
    };
    assert_eq!(src("root"), "../../assets/x.png", "from the vault root");
    assert_eq!(src("up"), "../../assets/x.png", "relative with ../");
    assert_eq!(src("rel"), "../../gallery/pic.png");
    // Three files are named pic.png: the one in the note's folder wins.
    assert_eq!(images[0], ("../../gallery/pic.png".to_string(), "pic.png".to_string()));
    let near = vault.page("attachments/pics/near/index.html");
    assert_eq!(urls(&near, ".note-body img")[0].0, "../../../attachments/pics/pic.png");
    // No file in its folder: the one sharing the longest folder prefix.
    let deeper = vault.page("attachments/other/deeper/index.html");
    assert_eq!(urls(&deeper, ".note-body img")[0].0, "../../../attachments/other/deep/pic.png");
}

#[test]
fn sizes_become_width_and_height_and_the_rest_is_the_alt_text() {
    let vault = Vault::build();
    let gallery = vault.page("gallery/gallery/index.html");
    let imgs = select(&gallery, ".note-body img");
    let attrs = |i: usize| {
        let v = imgs[i].value();
        (v.attr("alt").unwrap_or_default(), v.attr("width"), v.attr("height"))
    };
    assert_eq!(attrs(0), ("pic.png", None, None));
    assert_eq!(attrs(1), ("pic.png", Some("300"), None), "![[pic.png|300]]");
    assert_eq!(attrs(2), ("A picture", Some("300"), Some("200")), "![[pic.png|A picture|300x200]]");
    assert_eq!(attrs(3), ("Small", Some("100"), None), "![Small|100](pic.png)");
    assert_eq!(attrs(4), ("pic.png", Some("300"), None), "![[pic.png|300x]]");
    assert_eq!(attrs(5), ("", Some("250"), None), "![250](https://…)");
    assert_eq!(attrs(6), ("A chart", Some("100"), Some("50")), "![A chart|100x50](https://…)");
    assert_eq!(imgs[5].value().attr("src"), Some("https://example.org/chart.png"));
    let video = select(&gallery, ".note-body video");
    assert_eq!(video.len(), 1);
    assert_eq!((video[0].value().attr("width"), video[0].value().attr("height")), (Some("640"), Some("360")));
}

#[test]
fn links_to_attachments_are_links_and_embeds_render_by_kind() {
    let vault = Vault::build();
    let gallery = vault.page("gallery/gallery/index.html");
    let links = urls(&gallery, ".note-body p > a");
    assert_eq!(
        links[..4],
        [
            ("../../files/manual.pdf".to_string(), "manual.pdf".to_string()),
            ("../../gallery/pic.png".to_string(), "the picture".to_string()),
            ("../../files/manual.pdf#page=3".to_string(), "manual.pdf › page=3".to_string()),
            ("../../files/manual.pdf".to_string(), "the manual".to_string()),
        ]
    );
    // ![[manual.pdf]] is a link to the file; sound and video get players.
    assert_eq!(
        urls(&gallery, ".note-body a.attachment"),
        [("../../files/manual.pdf".to_string(), "manual.pdf".to_string())]
    );
    assert_eq!(
        select(&gallery, ".note-body > p > a.attachment").len(),
        1,
        "attachments alone stay in a paragraph"
    );
    let audio = select(&gallery, ".note-body audio[controls]");
    assert_eq!(audio.len(), 1);
    assert_eq!(audio[0].value().attr("src"), Some("../../media/clip.mp3"));
    assert_eq!(
        select(&gallery, ".note-body video[controls]")[0].value().attr("src"),
        Some("../../media/clip.mp4")
    );
    for name in ["drawing.svg", "photo.webp", "anim.gif", "pic.avif"] {
        let found = urls(&gallery, ".note-body img")
            .into_iter()
            .any(|(src, alt)| alt == name && src == format!("../../media/{name}"));
        assert!(found, "{name} is an <img>");
    }
}

#[test]
fn odd_file_names_are_percent_encoded() {
    let vault = Vault::build();
    let gallery = vault.page("gallery/gallery/index.html");
    let srcs: Vec<String> = urls(&gallery, ".note-body img").into_iter().map(|(s, _)| s).collect();
    let ab = "../../files/a%20b%26c.png";
    let ij = "../../files/i%2520j.png";
    // ![[a b&c.png]] ![[i%20j.png]] ![odd](<…/a b&c.png>) ![odd2](…/i%2520j.png) ![odd3](…/a%20b%26c.png)
    assert_eq!(srcs[7..12], [ab, ij, ab, ij, ab]);
}

#[test]
fn every_attachment_is_copied_once_to_its_own_path() {
    let vault = Vault::build();
    let content = vault.dir.path().join("content");
    let mut sources = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&content).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && entry.path().extension().is_none_or(|e| e != "md") {
            let rel = entry.path().strip_prefix(&content).unwrap();
            sources.insert(rel.to_path_buf());
            let copied =
                std::fs::read(vault.output().join(rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
            assert_eq!(copied, std::fs::read(entry.path()).unwrap(), "{}", rel.display());
        }
    }
    let pics = walkdir::WalkDir::new(vault.output())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "pic.png")
        .count();
    assert_eq!(pics, 3, "one copy of each pic.png");
    assert_eq!(sources.len(), 14, "{sources:?}");
}

#[test]
fn block_ids_anchor_their_block_and_are_not_shown() {
    let vault = Vault::build();
    let page = vault.page("notes/blocks/index.html");
    let one = |css: &str| {
        let found = select(&page, css);
        assert_eq!(found.len(), 1, "{css}");
        text(&found[0])
    };
    assert_eq!(one(r#"p[id="^para-1"]"#), "A paragraph with an id.");
    assert!(one(r#"li[id="^item-2"]"#).starts_with("second item nested under second"));
    let table = one(r#"div.block[id="^table-1"] table"#);
    assert!(table.contains("Lithium") && !table.contains('^'), "{table}");
    assert_eq!(select(&page, r#"div.block[id="^table-1"] tr"#).len(), 2, "the marker row is not shown");
    assert_eq!(one(r#"div.block[id="^quote-1"] > blockquote"#), "A quoted line.");
    assert_eq!(one(r#"p[id="^last"]"#), "Last paragraph.");
    // Written right after an embed, with no space, as Obsidian's help vault does.
    assert_eq!(select(&page, r#"p[id="^chart"] > img"#).len(), 1, "a marker right after an embed");
    // Ending an item's first line, with an embed on the line below it.
    assert!(one(r#"li[id="^item-4"]"#).starts_with("fourth item, its marker on its first line"));
    assert_eq!(select(&page, r#"li[id="^item-4"] img"#).len(), 1);
    let body = text(&select(&page, ".note-body")[0]);
    for marker in ["^para-1", "^item-2", "^item-4", "^table-1", "^quote-1", "^last", "^chart"] {
        assert!(!body.contains(marker), "{marker} is shown: {body}");
    }
    assert!(body.contains("x^2 is no marker, nor is ^under_score."), "{body}");
}

#[test]
fn block_links_point_at_the_block_and_block_embeds_show_only_it() {
    let vault = Vault::build();
    let page = vault.page("notes/block-links/index.html");
    assert_eq!(
        hrefs(&page, ".note-body > p > a"),
        vec![
            "../../notes/blocks/#%5Epara-1",
            "../../notes/blocks/#%5Eitem-2",
            "../../notes/blocks/#%5Etable-1",
            "#%5Emine"
        ]
    );
    let embeds: Vec<String> = select(&page, ".embed").iter().map(text).collect();
    assert_eq!(embeds.len(), 5, "{embeds:?}");
    assert!(embeds[0].ends_with("A paragraph with an id."), "{}", embeds[0]);
    assert!(
        embeds[1].ends_with("second item nested under second")
            && !embeds[1].contains("first item")
            && !embeds[1].contains("third"),
        "{}",
        embeds[1]
    );
    assert!(embeds[2].contains("Lithium") && !embeds[2].contains("paragraph"), "{}", embeds[2]);
    assert!(embeds[3].ends_with("A quoted line.") && !embeds[3].contains("paragraph after"), "{}", embeds[3]);
    // A block of the same page embeds (no cycle), without the page's ids twice.
    assert!(embeds[4].ends_with("This paragraph is mine."), "{}", embeds[4]);
    assert_eq!(select(&page, ".embed [id]").len(), 0);
    assert_eq!(select(&page, ".embed li").len(), 2, "the item and the one nested in it");
    assert!(select(&page, ".embed ul > li").len() == 2, "an embedded item sits in a list");
}

#[test]
fn serving_a_new_block_id_or_attachment_mends_the_links_to_it() {
    use lode::build::{OutputFile, Session};

    let site = common::TestSite::new(&[
        ("content/a.md", "# A\n\nSee [[b#^later]].\n\n![[later.png]]\n"),
        ("content/b.md", "# B\n\nNo id yet.\n"),
    ]);
    site.write("site.toml", "title = \"T\"\n[links]\nlevel = \"warning\"\n");
    let mut session = Session::new(site.options());
    let broken = |update: &lode::build::Update| {
        update.warnings.iter().filter(|d| d.message.starts_with("link ")).count()
    };
    assert_eq!(broken(&session.rebuild(&[]).unwrap()), 2);
    let page = |session: &Session| match &session.files()["a/index.html"] {
        OutputFile::Bytes(bytes) => Html::parse_document(std::str::from_utf8(bytes).unwrap()),
        other => panic!("a/index.html is not held in memory: {other:?}"),
    };

    site.write("content/b.md", "# B\n\nNow it has one. ^later\n");
    assert_eq!(broken(&session.rebuild(&[site.root().join("content/b.md")]).unwrap()), 1);
    assert_eq!(hrefs(&page(&session), ".note-body p > a"), ["../b/#%5Elater"]);

    site.write("content/later.png", "png");
    assert_eq!(broken(&session.rebuild(&[site.root().join("content/later.png")]).unwrap()), 0);
    assert_eq!(
        urls(&page(&session), ".note-body img"),
        [("../later.png".to_string(), "later.png".to_string())]
    );
}

#[test]
fn odd_block_markers_and_attachment_names_build() {
    let odd = [
        "^",
        "a ^",
        " ^a",
        "^a",
        "> ^a",
        "- ^a",
        "- a\n^b",
        "|^a|",
        "^a\n|b|\n|-|",
        "x\u{3000}^wide",
        "| a |\n|---|\n| ^t |",
        "> [!note]\n> text\n^c",
        "1. a ^o\n   - b ^p\n\n   ^q",
        "text \\^esc",
        "`code ^c`",
        "$x ^m$",
        "**bold ^b**",
        "[[x|y ^l]]",
        "![[pic.png|^x]]",
        "![[|300]]",
        "![[pic.png|0x0]]",
        "![[pic.png|99999999999999999999]]",
        "[[../../../../etc/passwd.png]]",
        "![](%2e%2e/%2e%2e/x.png)",
        "![[#^a]] ^a",
        "![[#^self]]\n\nP ^self",
        "> [!note] Callout title ^co",
        "> [!tip]\n> Tip body\n^tip",
        "> [!key] A key fact ^kf",
    ];
    let body: String = odd.iter().map(|s| format!("{s}\n\n")).collect();
    let site = common::TestSite::new(&[
        ("content/a.md", &format!("# A\n\n{body}[[a#^o]] [[a#^t]]\n")),
        ("content/pic.png", "png"),
    ]);
    site.write("site.toml", "title = \"T\"\n[links]\nlevel = \"warning\"\n");
    let report = site.build();
    let page = site.page("a/index.html");
    for id in ["^o", "^p", "^t", "^co", "^tip", "^kf"] {
        assert_eq!(
            select(&page, &format!(r#"[id="{id}"]"#)).len(),
            1,
            "{id}: {}",
            common::list(&report.warnings)
        );
    }
    let body = text(&select(&page, ".note-body")[0]);
    assert!(body.contains("Callout title") && body.contains("Tip body"), "{body}");
    for shown in ["[!", "^co", "^tip", "^kf"] {
        assert!(!body.contains(shown), "{shown} is shown: {body}");
    }
}

/// The attributes of the elements of `page` matching `css`, as written.
fn attrs(page: &Html, css: &str) -> Vec<Vec<(String, String)>> {
    select(page, css)
        .iter()
        .map(|e| {
            let mut attrs: Vec<_> = e.value().attrs().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            attrs.sort();
            attrs
        })
        .collect()
}

/// Attribute `name` of the first element of `page` matching `css`.
fn first(page: &Html, css: &str, name: &str) -> String {
    select(page, css)[0].value().attr(name).unwrap_or_default().to_string()
}

#[test]
fn relative_urls_in_raw_html_point_where_markdown_links_would() {
    let vault = Vault::build();
    let page = vault.page("notes/raw/html/index.html");
    // scraper lists attributes by name; their order as written is checked below.
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut pairs: Vec<_> = list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        pairs.sort();
        pairs
    };
    assert_eq!(
        attrs(&page, ".note-body img"),
        [
            // From the top of the notes, other attributes kept.
            pairs(&[("src", "../../../attachments/pics/pic.png"), ("width", "300")]),
            // Next to the note.
            pairs(&[("src", "../../../notes/raw/shot.png"), ("width", "300"), ("alt", "Shot")]),
            // A srcset's URLs; a reference and a percent-encoded name, by file name.
            pairs(&[
                ("alt", "set"),
                ("srcset", "../../../notes/raw/shot.png 1x, ../../../assets/x.png 2x"),
                ("src", "../../../files/a%20b%26c.png"),
            ]),
        ]
    );
    assert_eq!(
        attrs(&page, ".note-body a"),
        [
            // A note, with its heading; class and title kept in place.
            pairs(&[("class", "x"), ("href", "../../../notes/sections/#second"), ("title", "Go")]),
            // External and on-page URLs as written.
            pairs(&[("href", "https://example.org/x")]),
            pairs(&[("href", "#local")]),
            pairs(&[("href", "../../../overview/")]),
        ]
    );
    let video = &attrs(&page, ".note-body video")[0];
    assert_eq!(
        *video,
        pairs(&[
            ("controls", ""),
            ("poster", "../../../notes/raw/shot.png"),
            ("src", "../../../media/clip.mp4")
        ])
    );
    assert_eq!(first(&page, ".note-body source", "src"), "../../../media/clip.mp4");
    assert_eq!(first(&page, ".note-body audio", "src"), "../../../media/clip.mp3");
    // The rest of the HTML is as written, byte for byte.
    let raw = std::fs::read_to_string(vault.output().join("notes/raw/html/index.html")).unwrap();
    assert!(raw.contains(
        "<p align=\"center\"><img src=\"../../../notes/raw/shot.png\" width=\"300\" alt=\"Shot\"></p>"
    ));
    assert!(raw.contains(
        "<video controls poster=\"../../../notes/raw/shot.png\"\n  src=\"../../../media/clip.mp4\">"
    ));
    assert!(raw.contains("<a href=../../../overview/>unquoted</a>"), "an unquoted value stays unquoted");
    assert!(raw.contains("<audio src='../../../media/clip.mp3'>"));
    // A link from raw HTML is a backlink like any other.
    let sections = vault.page("notes/sections/index.html");
    assert!(text(&select(&sections, ".backlinks")[0]).contains("Raw HTML"));
}

#[test]
fn a_relative_url_in_raw_html_that_names_nothing_is_a_warning_and_kept() {
    let site = common::TestSite::new(&[
        (
            "content/a/home.md",
            "# Home\n\nText.\n\n<img src=\"img/missing.png\" width=\"3\">\n\nAnd <a href=\"Nope.md#x\">x</a>.\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Top\"\n+++\n[[home]]\n"),
    ]);
    let report = site.build();
    let found: Vec<(String, usize, usize, String)> =
        report.warnings.iter().map(|d| (d.file.clone(), d.line, d.column, d.message.clone())).collect();
    assert_eq!(
        found,
        [
            (
                "content/a/home.md".to_string(),
                5,
                11,
                "link \"img/missing.png\" in raw HTML matches no file".to_string()
            ),
            (
                "content/a/home.md".to_string(),
                7,
                14,
                "link \"Nope.md#x\" in raw HTML matches no note".to_string()
            ),
        ]
    );
    let page = site.page("a/home/index.html");
    assert_eq!(first(&page, ".note-body img", "src"), "img/missing.png");
    assert_eq!(first(&page, ".note-body a", "href"), "Nope.md#x");
}
