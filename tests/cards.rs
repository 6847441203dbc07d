//! Social cards (`src/render/social.rs`, issue 20 item 4) on real builds of
//! fixture sites: each note page's `og:image` is an absolute URL whose file
//! is in the output, a 1200 × 630 PNG drawn from `card.svg` (its pixels
//! decoded); the name follows the content; a second build draws nothing
//! again; `[cards] enabled = false` and a base URL that is not absolute give
//! none; XML-special characters and Devanagari titles draw; a site's own
//! `card.svg` is used, and one that is not SVG is an error naming it;
//! `lode serve`'s incremental rebuild keeps the cards a fresh build has.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use common::{TestSite, select};
use lode::build::{BuildOptions, Session};

const INDEX: &str = "+++\ntitle = \"Minerals\"\n\n[schema]\nsymbol = { type = \"string\" }\nchina_share = { type = \"string\", figure = true }\n+++\nThe minerals.\n";
const LITHIUM: &str = "+++\ntitle = \"Lithium\"\n[extra]\nsymbol = \"Li\"\nchina_share = \"58%\"\n+++\nA battery mineral. See [[Cobalt]].\n";
const COBALT: &str =
    "+++\ntitle = \"Cobalt\"\n[extra]\nsymbol = \"Co\"\n+++\nAnother battery mineral. See [[Lithium]].\n";

/// The site.toml of these tests: cards on (they are off by default).
const CARDS_ON: &str =
    "title = \"Test notes\"\nbase_url = \"https://example.org/\"\n[cards]\nenabled = true\n";

fn site() -> TestSite {
    TestSite::new(&[
        ("site.toml", CARDS_ON),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Lithium]] and [[Minerals]].\n"),
        ("content/minerals/_index.md", INDEX),
        ("content/minerals/lithium.md", LITHIUM),
        ("content/minerals/cobalt.md", COBALT),
    ])
}

/// The `content` of the meta tag `property` (or `name`) on the page at `path`, if any.
fn meta(site: &TestSite, path: &str, key: &str) -> Option<String> {
    let page = site.page(path);
    let found = select(&page, &format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"));
    found.first().map(|m| m.value().attr("content").unwrap_or_default().to_string())
}

/// The card's file in the output named by the page's `og:image`, which
/// must be under the site's absolute base URL.
fn card_file(site: &TestSite, path: &str) -> std::path::PathBuf {
    let url = meta(site, path, "og:image").unwrap_or_else(|| panic!("{path} has no og:image"));
    let rel = url.strip_prefix("https://example.org/").unwrap_or_else(|| panic!("not absolute: {url}"));
    assert!(rel.starts_with("_lode/cards/") && rel.ends_with(".png"), "{url}");
    site.output().join(rel)
}

fn cards_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The cache's cards and when each was written.
fn cache_state(site: &TestSite) -> BTreeMap<String, SystemTime> {
    let dir = site.cache_dir().join("cards");
    cards_in(&dir)
        .into_iter()
        .map(|n| {
            let modified = std::fs::metadata(dir.join(&n)).unwrap().modified().unwrap();
            (n, modified)
        })
        .collect()
}

#[test]
fn a_note_page_has_an_absolute_og_image_of_a_1200_by_630_png_in_the_output() {
    let site = site();
    let report = site.build();
    assert_eq!((report.cards_made, report.cards_cached), (2, 0), "one card per note page");
    let file = card_file(&site, "minerals/lithium/index.html");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    // The PNG header: signature, then IHDR's width and height.
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&bytes[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 1200);
    assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 630);
    // Drawn from card.svg: the theme's background, its accent bar, and dark
    // title text in the title's band.
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(img.get_pixel(1100, 20).0, [0xfd, 0xfc, 0xf8], "background");
    assert_eq!(img.get_pixel(10, 300).0, [0x0b, 0x5c, 0xad], "accent bar");
    let dark = (80..700)
        .flat_map(|x| (220..300).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 0x40))
        .count();
    assert!(dark > 500, "the title is drawn ({dark} dark pixels)");
    for (key, want) in [
        ("og:image:width", "1200"),
        ("og:image:height", "630"),
        ("og:image:type", "image/png"),
        ("twitter:card", "summary_large_image"),
    ] {
        assert_eq!(meta(&site, "minerals/lithium/index.html", key).as_deref(), Some(want), "{key}");
    }
    // The key figure is the field the schema marks `figure = true`, not the first.
    assert_eq!(
        meta(&site, "minerals/lithium/index.html", "og:image:alt").as_deref(),
        Some("Lithium (Minerals), Test notes. China share: 58%")
    );
    // A note without the marked field shows no figure.
    assert_eq!(
        meta(&site, "minerals/cobalt/index.html", "og:image:alt").as_deref(),
        Some("Cobalt (Minerals), Test notes")
    );
    assert_ne!(card_file(&site, "minerals/cobalt/index.html"), file);
    // The home page and collection pages have none; the cards are not offered for offline reading.
    assert_eq!(meta(&site, "index.html", "og:image"), None);
    assert_eq!(meta(&site, "minerals/index.html", "og:image"), None);
    assert_eq!(cards_in(&site.output().join("_lode/cards")).len(), 2);
    let offline = std::fs::read_to_string(site.output().join("_lode/offline.json")).unwrap();
    assert!(!offline.contains("_lode/cards/"), "{offline}");
}

#[test]
fn without_marks_the_figure_is_the_first_short_value() {
    let site = TestSite::new(&[
        ("site.toml", CARDS_ON),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[[A]] [[B]]\n"),
        ("content/places/_index.md", "+++\ntitle = \"Places\"\n+++\n"),
        (
            "content/places/a.md",
            "+++\ntitle = \"A\"\n[extra]\nmotto = \"A sentence far too long to be shown as a key figure on a card\"\npopulation = 1400000000\n+++\n[[B]]\n",
        ),
        (
            "content/places/b.md",
            "+++\ntitle = \"B\"\n[extra]\nmotto = \"A sentence far too long to be shown as a key figure on a card\"\n+++\n[[A]]\n",
        ),
    ]);
    site.build();
    assert_eq!(
        meta(&site, "places/a/index.html", "og:image:alt").as_deref(),
        Some("A (Places), Test notes. Population: 1400000000")
    );
    assert_eq!(meta(&site, "places/b/index.html", "og:image:alt").as_deref(), Some("B (Places), Test notes"));
}

#[test]
fn the_name_follows_the_content_and_a_second_build_draws_nothing_again() {
    let site = site();
    site.build();
    let first = card_file(&site, "minerals/lithium/index.html");
    let cached = cache_state(&site);
    assert_eq!(cached.len(), 2, "{cached:?}");
    // The same content again: the same names, nothing drawn, the cache untouched.
    let again = site.build();
    assert_eq!((again.cards_made, again.cards_cached), (0, 2));
    assert_eq!(card_file(&site, "minerals/lithium/index.html"), first);
    assert_eq!(cache_state(&site), cached);
    // A new title: a new card, under a new name; the old one leaves the output.
    site.write("content/minerals/lithium.md", &LITHIUM.replace("\"Lithium\"", "\"Lithium (Li)\""));
    let changed = site.build();
    assert_eq!((changed.cards_made, changed.cards_cached), (1, 1));
    let second = card_file(&site, "minerals/lithium/index.html");
    assert_ne!(second, first);
    assert!(second.is_file() && !first.exists());
    assert_eq!(cards_in(&site.output().join("_lode/cards")).len(), 2);
}

#[test]
fn cards_switched_off_or_a_base_url_that_is_not_absolute_give_none() {
    for config in [
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[cards]\nenabled = false\n",
        // Off by default: an absolute base URL alone makes none.
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
        "title = \"T\"\nbase_url = \"/notes/\"\n[cards]\nenabled = true\n",
        "title = \"T\"\n",
    ] {
        let site = site();
        site.write("site.toml", config);
        let report = site.build();
        assert_eq!(meta(&site, "minerals/lithium/index.html", "og:image"), None, "{config}");
        assert_eq!(meta(&site, "minerals/lithium/index.html", "twitter:card"), None, "{config}");
        assert!(!site.output().join("_lode/cards").exists(), "{config}");
        assert_eq!((report.cards_made, report.cards_cached), (0, 0), "{config}");
        assert!(!site.cache_dir().join("cards").exists(), "{config}");
    }
}

#[test]
fn xml_special_characters_and_devanagari_titles_draw() {
    let site = TestSite::new(&[
        ("site.toml", CARDS_ON),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[[Tom]] [[Hindi]]\n"),
        ("content/tom.md", "+++\ntitle = \"<Tom> & \\\"Jerry's\\\" ]]> </svg><script>\"\n+++\n[[Hindi]]\n"),
        ("content/hindi.md", "+++\ntitle = \"भारत में लिथियम का शोधन\"\n+++\n[[Tom]]\n"),
    ]);
    site.build();
    for page in ["tom/index.html", "hindi/index.html"] {
        let img = image::open(card_file(&site, page)).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (1200, 630));
        let dark = (80..700)
            .flat_map(|x| (220..300).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 0x40))
            .count();
        assert!(dark > 500, "{page}: the title is drawn ({dark} dark pixels)");
    }
    assert!(
        meta(&site, "tom/index.html", "og:image:alt").unwrap().starts_with("<Tom> & \"Jerry's\" ]]>"),
        "the alt text is the title, as written"
    );
}

/// How many pixels of the card in the box `x`, `y` are close to `rgb`.
fn pixels_near(
    img: &image::RgbImage,
    x: std::ops::Range<u32>,
    y: std::ops::Range<u32>,
    rgb: [u8; 3],
) -> usize {
    x.flat_map(|x| y.clone().map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) < 0x30))
        .count()
}

#[test]
fn a_line_that_mixes_latin_and_devanagari_draws_both() {
    // A figure in rupees and crores, and a title long enough for three lines
    // ending in `…`: each line mixes scripts. With a second font as usvg's
    // fallback, such lines lost their Devanagari, or were not drawn at all.
    let title = "भारत में महत्वपूर्ण खनिजों का शोधन और आपूर्ति श्रृंखला की सुरक्षा के लिए राष्ट्रीय मिशन तथा अंतरराष्ट्रीय सहयोग की पूरी कहानी";
    let site = TestSite::new(&[
        ("site.toml", CARDS_ON),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[[A]]\n"),
        ("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n"),
        (
            "content/notes/a.md",
            &format!("+++\ntitle = \"{title}\"\n[extra]\nbudget = \"₹16,300 करोड़\"\n+++\n[[Notes]]\n"),
        ),
    ]);
    site.build();
    let img = image::open(card_file(&site, "notes/a/index.html")).unwrap().to_rgb8();
    let dark = [0x1c, 0x1f, 0x24];
    // Three lines of title at 60 px: the third one's band holds text.
    assert!(pixels_near(&img, 80..900, 375..420, dark) > 500, "the third line is drawn");
    // The figure's value: `₹16,300` ends near x = 270; `करोड़` follows it.
    assert!(pixels_near(&img, 80..260, 550..600, [0x0b, 0x5c, 0xad]) > 300, "the digits");
    assert!(pixels_near(&img, 300..600, 550..600, [0x0b, 0x5c, 0xad]) > 300, "the Devanagari after them");
}

#[test]
fn a_site_card_template_is_used_and_one_that_is_not_svg_is_an_error_naming_it() {
    let site = site();
    site.build();
    let builtin = card_file(&site, "minerals/lithium/index.html");
    site.write(
        "templates/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" fill=\"#102030\"/><text x=\"60\" y=\"300\" font-size=\"80\" fill=\"#ffffff\">{{ page.title }} · {{ card.collection }}</text></svg>\n",
    );
    site.build();
    let own = card_file(&site, "minerals/lithium/index.html");
    assert_ne!(own, builtin);
    let img = image::open(&own).unwrap().to_rgb8();
    assert_eq!(img.get_pixel(1100, 20).0, [0x10, 0x20, 0x30], "the site's own background");
    site.write("templates/card.svg", "<svg><rect width=\"{{ card.width }}\"></svg\n");
    let errors = site.build_errors();
    assert!(
        errors
            .iter()
            .any(|d| d.file == "templates/card.svg" && d.message.contains("content/minerals/lithium.md")),
        "{}",
        common::list(&errors)
    );
}

#[test]
fn serve_rebuilds_keep_the_cards_a_fresh_build_has() {
    let site = site();
    let options = BuildOptions { cache: Some(site.cache_dir()), ..BuildOptions::new(site.root()) };
    let mut session = Session::new(options.clone());
    session.rebuild(&[]).unwrap();
    let cards = |s: &Session| -> Vec<String> {
        s.files().keys().filter(|p| p.starts_with("_lode/cards/")).cloned().collect()
    };
    let before = cards(&session);
    assert_eq!(before.len(), 2);
    // A new title: the page and its card are made again, the old card goes.
    let path = site.root().join("content/minerals/lithium.md");
    std::fs::write(&path, LITHIUM.replace("\"Lithium\"", "\"Lithium metal\"")).unwrap();
    let update = session.rebuild(std::slice::from_ref(&path)).unwrap();
    let after = cards(&session);
    assert_eq!(after.len(), 2);
    let new: Vec<&String> = after.iter().filter(|c| !before.contains(c)).collect();
    assert_eq!(new.len(), 1, "{before:?} → {after:?}");
    assert!(update.changed.contains(new[0]), "{:?}", update.changed);
    // Cobalt's page, untouched, keeps its card.
    assert_eq!(after.iter().filter(|c| before.contains(c)).count(), 1);
    let mut fresh = Session::new(options);
    fresh.rebuild(&[]).unwrap();
    assert_eq!(common::snapshot(&session), common::snapshot(&fresh));
    // The schema's figure changes: the card of the note that shows it is made again.
    let index = site.root().join("content/minerals/_index.md");
    std::fs::write(&index, INDEX.replace(", figure = true", "")).unwrap();
    session.rebuild(std::slice::from_ref(&index)).unwrap();
    let mut fresh =
        Session::new(BuildOptions { cache: Some(site.cache_dir()), ..BuildOptions::new(site.root()) });
    fresh.rebuild(&[]).unwrap();
    assert_eq!(common::snapshot(&session), common::snapshot(&fresh));
    assert_ne!(cards(&session), after);
}

/// A cache folder the build cannot write (here a file stands where the
/// folder should be, which stops root too): the build still succeeds, each
/// page's card is in the output as a PNG, and one warning, not one per card,
/// says the cards could not be cached and how to fix it.
#[test]
fn cards_the_cache_cannot_keep_are_written_with_one_warning() {
    let site = site();
    let blocked = site.cache_dir().join("blocked");
    std::fs::write(&blocked, "a file, not a folder").unwrap();
    let options = BuildOptions { cache: Some(blocked), ..site.options() };
    let report = lode::build::build(&options).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert_eq!(report.cards_made, 2);
    for page in ["minerals/lithium/index.html", "minerals/cobalt/index.html"] {
        let png = std::fs::read(card_file(&site, page)).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{page}: not a PNG");
    }
    let about: Vec<_> = report.warnings.iter().filter(|w| w.message.contains("social card")).collect();
    assert_eq!(about.len(), 1, "{}", common::list(&report.warnings));
    assert!(
        about[0].message.starts_with("2 social cards could not be kept in the cache folder"),
        "{}",
        about[0].message
    );
    assert!(about[0].help.as_deref().unwrap_or("").contains("LODE_CACHE_DIR"));
}
