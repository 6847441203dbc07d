//! Social cards: each note page's `og:image`, the picture a chat app or a
//! social network shows under a shared link (as Quartz and MkDocs
//! Material's social plugin make them).
//!
//! A card is drawn from the template [`TEMPLATE`] (`templates/card.svg`, a
//! site may override it as any other template), rendered by Tera with the
//! note's card (`page`), the site (`site`) and `card`, the text already
//! fitted to the picture ([`CardView`]): the title wrapped to at most three
//! lines with an ellipsis after, the collection's name and one key figure
//! ([`figure`]). The SVG is then rasterized by resvg into a
//! [`WIDTH`] × [`HEIGHT`] PNG (Open Graph's recommended 1.91:1 size), with
//! only the fonts bundled in the binary (`vendor/fonts/`: Noto Sans merged with Noto
//! Sans Devanagari subsets): no system font is read, so a card is the same
//! on every machine.
//!
//! A card's name is XXH3-64 of its SVG, the fonts and [`RENDERER`]
//! (`_lode/cards/HASH.png`): a changed card gets a new URL (chat apps cache
//! images by URL), and the PNGs are kept in the user's cache folder
//! (`cards/` in [`crate::images::user_cache_dir`]'s folder), so a rebuild
//! rasterizes only the cards that changed ([`make`]).
//!
//! Open Graph wants an absolute URL, so cards are made only when `base_url`
//! is an absolute `http(s)` URL, and only when `[cards] enabled = true`
//! (off by default: their cost; see [`crate::config::CardsConfig`]) ([`enabled`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use serde::Serialize;
use skrifa::{MetadataProvider, instance::LocationRef, instance::Size};

use crate::render::sheet;
use crate::site::{NoteId, Site};

/// A card's width in pixels.
pub const WIDTH: u32 = 1200;
/// A card's height in pixels.
pub const HEIGHT: u32 = 630;
/// The template a card is drawn from.
pub const TEMPLATE: &str = "card.svg";
/// The folder of the cards' PNGs in the image cache (`BuildOptions::image_cache`).
pub const CACHE_DIR: &str = "cards";
/// Where the cards are written in the output.
pub const OUTPUT_DIR: &str = "_lode/cards/";
/// What else makes a card's pixels besides its SVG and the fonts: change it
/// when the rasterizing or encoding changes, so cached cards are made again.
pub const RENDERER: &str = "lode card 1; resvg 0.49; png rgb8 fast";

/// The bundled fonts, regular and bold: each is Noto Sans (Latin, Latin-1,
/// punctuation, currency) merged with Noto Sans Devanagari (`vendor/fonts/`),
/// one font for both scripts, so a line that mixes them (`₹16,300 करोड़`) is
/// shaped by one font: usvg's fallback to a second font drops a mixed
/// line's text when the two fonts shape it into different numbers of glyphs.
const FONTS: [&[u8]; 2] = [
    include_bytes!("../../vendor/fonts/NotoSans-Regular-Latin-Devanagari.ttf"),
    include_bytes!("../../vendor/fonts/NotoSans-Bold-Latin-Devanagari.ttf"),
];

/// The widest a line of text may be: the card less 80 px margins each side,
/// less 3 % for the kerning and shaping the measure leaves out.
const LINE: f32 = (WIDTH - 160) as f32 * 0.97;

/// Most lines a title takes.
const TITLE_LINES: usize = 3;

/// The size of a title of one or two lines, and of a longer one, in pixels.
const TITLE_SIZES: [f32; 2] = [72.0, 60.0];

/// A string value is a key figure when it is at most this many characters.
const SHORT: usize = 32;

/// Whether a site with this configuration gets cards: `[cards] enabled`
/// (the default) and `base_url` an absolute `http(s)` URL (Open Graph's
/// `og:image` must be absolute: <https://ogp.me/#url>).
pub fn enabled(config: &crate::config::Config) -> bool {
    config.cards.enabled && crate::config::is_http_url(&config.base_url)
}

/// A note's card before rasterizing: its SVG and where it goes.
#[derive(Debug)]
pub struct Card {
    /// The output path, `_lode/cards/HASH.png`.
    pub path: String,
    /// The card's name, HASH: XXH3-64 of the SVG, the fonts and [`RENDERER`], 16 hex digits.
    pub hash: String,
    /// The SVG `card.svg` rendered for the note.
    pub svg: String,
    /// The template's file as diagnostics name it (`templates/card.svg`).
    pub template: String,
    /// The note's file (`content/minerals/lithium.md`).
    pub note: String,
}

/// `page.og_image` on a note page: what `note.html` writes into its
/// `og:image` meta tags.
#[derive(Debug, Serialize)]
pub struct OgImage {
    /// The card's absolute URL (`base_url` + `_lode/cards/HASH.png`).
    pub url: String,
    /// [`WIDTH`].
    pub width: u32,
    /// [`HEIGHT`].
    pub height: u32,
    /// What the card shows, as text (`og:image:alt`).
    pub alt: String,
}

/// The key figure of a card: a fact's label and value as shown.
#[derive(Debug, Serialize, PartialEq)]
pub struct Figure {
    /// Its label (`China's share (per the article)`), fitted to a line.
    pub label: String,
    /// Its value (`58%`), fitted to a line.
    pub value: String,
}

/// `card` in `card.svg`: the card's text, fitted to the picture.
#[derive(Debug, Serialize)]
pub struct CardView {
    /// [`WIDTH`].
    pub width: u32,
    /// [`HEIGHT`].
    pub height: u32,
    /// The site's title, on one line (an ellipsis when cut).
    pub site: String,
    /// The collection's title, on one line, or none.
    pub collection: Option<String>,
    /// The note's title in lines of at most [`WIDTH`] less the margins, at
    /// most three, the last ending in `…` when the title was longer.
    pub title: Vec<String>,
    /// The title's font size in pixels: 72 for one or two lines, 60 for three.
    pub title_size: f32,
    /// The key figure ([`figure`]), or none.
    pub figure: Option<Figure>,
}

/// The fonts, loaded once: the database usvg draws with, and their hash.
struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    hash: u64,
}

fn fonts() -> &'static Fonts {
    static FONTS_LOADED: OnceLock<Fonts> = OnceLock::new();
    FONTS_LOADED.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        let mut all = Vec::new();
        for bytes in FONTS {
            db.load_font_data(bytes.to_vec());
            all.extend_from_slice(bytes);
        }
        all.extend_from_slice(RENDERER.as_bytes());
        Fonts { db: Arc::new(db), hash: xxhash_rust::xxh3::xxh3_64(&all) }
    })
}

/// Widths of text at one size, from the bundled fonts' advances (no
/// shaping or kerning: [`LINE`] leaves room for them).
struct Measure<'a> {
    faces: Vec<(skrifa::charmap::Charmap<'a>, skrifa::metrics::GlyphMetrics<'a>)>,
}

impl Measure<'static> {
    /// Text `size` pixels high, bold or regular.
    fn new(size: f32, bold: bool) -> Self {
        let bytes = FONTS[usize::from(bold)];
        let faces = skrifa::FontRef::new(bytes)
            .ok()
            .map(|font| (font.charmap(), font.glyph_metrics(Size::new(size), LocationRef::default())))
            .into_iter()
            .collect();
        Measure { faces }
    }

    /// The advance of `c`: in the first font that has it, else the first
    /// font's missing glyph.
    fn char(&self, c: char) -> f32 {
        let found = self.faces.iter().find_map(|(map, metrics)| map.map(c).map(|g| (metrics, g)));
        match found {
            Some((metrics, glyph)) => metrics.advance_width(glyph).unwrap_or(0.0),
            None => {
                self.faces.first().and_then(|(_, m)| m.advance_width(skrifa::GlyphId::new(0))).unwrap_or(0.0)
            }
        }
    }

    fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.char(c)).sum()
    }

    /// `text` on one line of at most `max` pixels: whole, or cut with `…`.
    fn fit(&self, text: &str, max: f32) -> String {
        if self.width(text) <= max {
            return text.to_string();
        }
        self.cut(text, max)
    }

    /// The longest start of `text` that fits `max` with `…` after it, cut
    /// before a letter (never between a letter and its marks) and trimmed.
    fn cut(&self, text: &str, max: f32) -> String {
        let room = max - self.char('…');
        let end = self.prefix(text, room);
        let kept = text[..end].trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
        format!("{kept}…")
    }

    /// The byte length of the longest start of `text` no wider than `max`,
    /// ending before a character that is not a combining mark.
    fn prefix(&self, text: &str, max: f32) -> usize {
        use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
        let mut width = 0.0;
        let mut end = 0;
        for (at, c) in text.char_indices() {
            if c.general_category_group() != GeneralCategoryGroup::Mark && c != '\u{200D}' {
                end = at;
            }
            width += self.char(c);
            if width > max {
                return end;
            }
        }
        text.len()
    }

    /// `text` in lines of at most `max` pixels, broken between words (a
    /// word too long for a line between letters), at most `lines` of them:
    /// the last ends in `…` when the text goes on.
    fn wrap(&self, text: &str, max: f32, lines: usize) -> Vec<String> {
        let space = self.char(' ');
        let mut out: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut width = 0.0;
        for word in text.split_whitespace() {
            let w = self.width(word);
            if !line.is_empty() && width + space + w <= max {
                line.push(' ');
                line.push_str(word);
                width += space + w;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            let mut rest = word;
            while self.width(rest) > max {
                let end = self.prefix(rest, max).max(rest.chars().next().map_or(1, char::len_utf8));
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
            line = rest.to_string();
            width = self.width(rest);
        }
        if !line.is_empty() {
            out.push(line);
        }
        if out.len() > lines {
            let last = out[lines - 1..].join(" ");
            out.truncate(lines - 1);
            out.push(self.cut(&last, max));
        }
        out
    }
}

/// The key figure of note `id`: among its key facts ([`sheet::facts`], in
/// the facts box's order and labels), the first its collection's schema
/// marks `figure = true` (when the schema marks any, only those); else the
/// first number, or string of at most 32 characters. `None` when it has none.
pub fn figure(site: &Site, id: NoteId, words: &super::Words) -> Option<(String, String)> {
    let facts = sheet::facts(site, id, words);
    // The schema's marks (its index note's card: read by `facts`).
    let marked: Vec<&str> = site.collection_of[id.index()]
        .map(|c| {
            site.note(site.collections[c].index)
                .front
                .schema
                .iter()
                .filter(|f| f.figure)
                .map(|f| f.name.as_str())
                .collect()
        })
        .unwrap_or_default();
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let fact = if marked.is_empty() {
        facts.iter().find(|f| text(&f.value).is_some_and(|t| t.chars().count() <= SHORT))
    } else {
        facts.iter().find(|f| marked.contains(&f.key.as_str()))
    }?;
    let value = match &fact.value {
        serde_json::Value::Bool(b) => words.get(if *b { "yes" } else { "no" }).to_string(),
        serde_json::Value::Array(items) => {
            items.iter().map(|i| text(i).unwrap_or_else(|| i.to_string())).collect::<Vec<_>>().join(", ")
        }
        other => text(other).unwrap_or_default(),
    };
    Some((fact.label.clone(), value))
}

/// The text of the card of note `id`, fitted ([`CardView`]).
pub fn view(site: &Site, id: NoteId, words: &super::Words) -> CardView {
    let note = site.note(id);
    let collection =
        site.collection_of[id.index()].map(|c| site.note(site.collections[c].index).title.as_str());
    let small = Measure::new(30.0, false);
    let mut title_size = TITLE_SIZES[0];
    let mut title = Measure::new(title_size, true).wrap(&note.title, LINE, TITLE_LINES);
    if title.len() > 2 {
        title_size = TITLE_SIZES[1];
        title = Measure::new(title_size, true).wrap(&note.title, LINE, TITLE_LINES);
    }
    let figure = figure(site, id, words).map(|(label, value)| Figure {
        label: small.fit(&label, LINE),
        value: Measure::new(52.0, true).fit(&value, LINE),
    });
    CardView {
        width: WIDTH,
        height: HEIGHT,
        site: small.fit(&site.config.title, LINE),
        collection: collection.map(|c| Measure::new(34.0, true).fit(c, LINE)),
        title,
        title_size,
        figure,
    }
}

/// What the card of note `id` says, as `og:image:alt`: its title,
/// collection, site and key figure.
pub fn alt(site: &Site, id: NoteId, view: &CardView) -> String {
    let note = site.note(id);
    let mut alt = note.title.clone();
    if let Some(c) = site.collection_of[id.index()] {
        alt.push_str(&format!(" ({})", site.note(site.collections[c].index).title));
    }
    alt.push_str(&format!(", {}", site.config.title));
    if let Some(f) = &view.figure {
        alt.push_str(&format!(". {}: {}", f.label, f.value));
    }
    alt
}

/// The card of `svg`, drawn for the note `note` from `template`.
pub fn card(svg: String, template: &str, note: String) -> Card {
    let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64_with_seed(svg.as_bytes(), fonts().hash));
    Card { path: format!("{OUTPUT_DIR}{hash}.png"), hash, svg, template: template.to_string(), note }
}

/// A card's PNG, as [`make`] found or made it.
#[derive(Debug)]
pub enum Png {
    /// Already in the cache, at this path.
    Cached(PathBuf),
    /// Made by this build and saved in the cache, at this path.
    Made(PathBuf),
    /// Made by this build; the cache could not keep it (a read-only
    /// folder), with the system's reason.
    Unsaved(Vec<u8>, String),
}

/// The PNG of `card`: the one in `cache` (`cache/HASH.png`), else rasterized
/// and saved there (through a temporary file renamed into place, so an
/// interrupted build or another one at the same time never leaves half a
/// PNG under a card's name).
///
/// # Errors
/// Why the SVG cannot be drawn (a site's `card.svg` that is not SVG).
pub fn make(cache: &Path, card: &Card) -> Result<Png, String> {
    let target = cache.join(format!("{}.png", card.hash));
    if target.is_file() {
        return Ok(Png::Cached(target));
    }
    let png = rasterize(&card.svg)?;
    let saved = std::fs::create_dir_all(cache)
        .and_then(|()| tempfile::NamedTempFile::new_in(cache))
        .and_then(|mut file| {
            std::io::Write::write_all(&mut file, &png)?;
            file.persist(&target).map_err(|e| e.error)
        });
    Ok(match saved {
        Ok(_) => Png::Made(target),
        Err(e) => Png::Unsaved(png, e.to_string()),
    })
}

/// `svg` drawn on a [`WIDTH`] × [`HEIGHT`] white canvas (scaled to it from
/// its own size) and encoded as an opaque 8-bit RGB PNG with fast compression.
/// Fonts are the bundled ones only, and `<image>` loads nothing (no file is
/// read, whatever the template says).
///
/// # Errors
/// usvg's message when `svg` is not SVG.
pub fn rasterize(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: Arc::clone(&fonts().db),
        font_family: "Noto Sans".into(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no canvas")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let scale = tiny_skia::Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    // Opaque: premultiplied RGBA is RGB with its alpha dropped.
    let rgba = pixmap.data();
    let mut rgb = vec![0u8; rgba.len() / 4 * 3];
    for (to, from) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        to.copy_from_slice(&from[..3]);
    }
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_wraps_to_three_lines_and_an_ellipsis() {
        let m = Measure::new(60.0, true);
        let title = "The extraordinarily long title of a note about the refining of rare earth elements in \
                     several countries across many decades of policy";
        let lines = m.wrap(title, LINE, 3);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| m.width(l) <= LINE), "{lines:?}");
        assert_eq!(m.wrap("Lithium", LINE, 3), vec!["Lithium"]);
        // A word longer than a line is broken between letters.
        let long = "a".repeat(200);
        let lines = m.wrap(&long, LINE, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| m.width(l) <= LINE), "{lines:?}");
    }

    #[test]
    fn a_cut_never_separates_a_letter_from_its_marks() {
        let m = Measure::new(72.0, true);
        // Devanagari: each consonant carries a vowel sign (a combining mark).
        let text = "कि".repeat(100);
        let cut = m.fit(&text, 300.0);
        let kept = cut.trim_end_matches('…');
        assert!(kept.len() < text.len() && kept.ends_with('ि'), "{cut}");
    }

    #[test]
    fn a_card_is_a_png_of_1200_by_630() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="80" y="200" font-size="60">Lithium &amp; नमस्ते</text></svg>"#;
        let png = rasterize(svg).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), HEIGHT);
        assert!(rasterize("<svg").is_err());
    }
}
