//! Images in notes, made light for phones at build time (as Zola's
//! `resize_image` and Hugo's image processing do, but for every image
//! without a shortcode): each image's size, read from its header, for the
//! `width` and `height` that keep a page from shifting while it loads, and
//! resized copies of each PNG and JPEG for `srcset`, cached between builds
//! by content hash in the user's cache folder ([`user_cache_dir`]) so a rebuild resizes nothing again.
//!
//! - PNG: copies [`WIDTHS`] wide (never wider than the original), as PNG and
//!   as lossless WebP (the pure-Rust encoder, `image-webp`, writes lossless
//!   WebP only, which beats PNG on screenshots and diagrams; the original
//!   width too in WebP).
//! - JPEG: copies as JPEG (quality [`JPEG_QUALITY`]). No WebP: lossless WebP
//!   of a photo is larger than the JPEG it would replace, and a lossy
//!   encoder means C (libwebp).
//! - GIF, SVG, WebP, AVIF, BMP: copied as they are, with their size (an SVG's
//!   from its `width` and `height`, else its `viewBox`).
//!
//! The copies are written to `_lode/img/HASH-WIDTH.EXT` in the output, where
//! HASH is XXH3-64 of the file (and of [`VERSION`]): an image that changes
//! gets new names, so a browser never shows a stale copy.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use image::{DynamicImage, ImageDecoder, ImageReader, imageops::FilterType};
use rayon::prelude::*;

use crate::content::Asset;
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::html::escape_html;

/// The user's cache folder for resized copies, shared by every site (a
/// copy's name is the hash of its source and settings, so sites never
/// clash): `$LODE_CACHE_DIR/images` when set, else the platform's cache
/// folder, as Hugo keeps its file cache: `$XDG_CACHE_HOME/lode/images`, else
/// `~/.cache/lode/images` (Linux and others), `~/Library/Caches/lode/images`
/// (macOS), `%LOCALAPPDATA%\lode\images` (Windows); else the temporary
/// folder's `lode/images`. Never the site or the vault (a build writes nothing
/// among the author's files) and never the output folder, which each build
/// replaces whole. Safe to delete: the next build resizes again.
pub fn user_cache_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(dir) = var("LODE_CACHE_DIR") {
        return dir.join("images");
    }
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Caches"))
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache")))
    };
    base.unwrap_or_else(std::env::temp_dir).join("lode").join("images")
}

/// Where the copies are written in the output.
pub const OUTPUT_DIR: &str = "_lode/img";

/// The widths of the resized copies, in pixels: a phone's column at 1×, 2×
/// and 3×–4× (a 390 px phone at 3× wants about 1,074 px of a 358 px
/// column). No copy is wider than its original.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];

/// The `sizes` of a full-width image in a note: the note column is
/// `--measure` (42rem) wide, and the whole window less its 1rem margins
/// on narrower screens (`static/style.css`).
pub const SIZES: &str = "(max-width: 44rem) calc(100vw - 2rem), 42rem";

/// The quality of resized JPEG copies (Hugo's default is 75, Zola's 75–80).
pub const JPEG_QUALITY: u8 = 80;

/// Mixed into every copy's hash: raise it when the copies would come out
/// differently (widths, filter, quality), so old cached copies are not used.
pub const VERSION: u32 = 1;

/// The most pixels an image may have for Lode to decode it and make its
/// copies (a 12,000 × 8,000 photo has 96 million): decoding takes 4 bytes a
/// pixel, so a file whose header claims more (a "decompression bomb": a few
/// MB that say 60,000 × 60,000) is copied as it is, with a warning, rather
/// than asking for gigabytes.
pub const MAX_PIXELS: u64 = 100_000_000;

/// A file format Lode writes copies in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG (baseline, quality [`JPEG_QUALITY`]).
    Jpeg,
    /// Lossless WebP.
    Webp,
}

impl Format {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
        }
    }
}

/// A resized copy of an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels (the original's proportions, rounded).
    pub height: u32,
    /// Its format.
    pub format: Format,
    /// Its path in the output (`_lode/img/HASH-480.webp`), which is also its
    /// file name in the cache folder ([`user_cache_dir`]).
    pub path: String,
}

/// An image attachment as pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// Width in pixels as displayed (a JPEG's EXIF orientation applied).
    pub width: u32,
    /// Height in pixels as displayed.
    pub height: u32,
    /// Resized copies, smallest first (none for a format passed through,
    /// or an image no wider than the smallest of [`WIDTHS`] in its own
    /// format; after [`Images::make`], none that came out no smaller than
    /// the original file).
    pub variants: Vec<Variant>,
    /// The format of the original when Lode resizes it (PNG or JPEG).
    pub format: Option<Format>,
}

/// What is known of one file, kept between rebuilds under `lode serve`
/// so that an unchanged file is not read again.
#[derive(Clone, Debug)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    image: Option<Image>,
    warning: Option<String>,
}

/// The images among a site's attachments, by path relative to `content/`.
#[derive(Clone, Debug, Default)]
pub struct Images {
    by_path: BTreeMap<String, Image>,
    stamps: HashMap<PathBuf, Stamp>,
    /// Copies resized by the last [`Images::make`], and those found in the cache.
    pub resized: usize,
    /// Copies the last [`Images::make`] found in the cache.
    pub cached: usize,
}

impl PartialEq for Images {
    /// Equal when pages would show the images alike (stamps and counts aside).
    fn eq(&self, other: &Images) -> bool {
        self.by_path == other.by_path
    }
}

/// Whether a file name is an image Lode reads the size of.
pub fn is_image(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "avif" | "bmp")
}

impl Images {
    /// The image at `path` (relative to `content/`), if it is one whose size could be read.
    pub fn get(&self, path: &str) -> Option<&Image> {
        self.by_path.get(path)
    }

    /// Every image, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Image)> {
        self.by_path.iter().map(|(p, i)| (p.as_str(), i))
    }

    /// Reads the size of every image among `assets` and plans its copies;
    /// `previous` (the last build's, under `lode serve`) saves reading a
    /// file whose length and modification time are unchanged. A file whose
    /// header cannot be read is a warning, and is copied as it is.
    pub fn scan(assets: &[Asset], previous: &Images, root: &Path) -> (Images, Vec<Diagnostic>) {
        let found: Vec<(&Asset, Stamp)> = assets
            .par_iter()
            .filter(|a| is_image(a.path.as_str()))
            .filter_map(|a| {
                let meta = std::fs::metadata(&a.source).ok()?;
                let (len, modified) = (meta.len(), meta.modified().ok());
                let kept = previous
                    .stamps
                    .get(&a.source)
                    .filter(|s| s.len == len && s.modified == modified && modified.is_some());
                let stamp = match kept {
                    Some(s) => s.clone(),
                    None => {
                        let (image, warning) = match std::fs::read(&a.source) {
                            Ok(bytes) => match read_image(a.path.as_str(), &bytes) {
                                Ok(image) => (image, None),
                                Err(e) => (None, Some(e)),
                            },
                            Err(e) => (None, Some(format!("could not read this image: {e}"))),
                        };
                        Stamp { len, modified, image, warning }
                    }
                };
                Some((a, stamp))
            })
            .collect();
        let mut images = Images::default();
        let mut warnings = Vec::new();
        for (asset, stamp) in found {
            if let Some(image) = &stamp.image {
                images.by_path.insert(asset.path.as_str().to_string(), image.clone());
            }
            if let Some(warning) = &stamp.warning {
                let file = asset.source.strip_prefix(root).unwrap_or(&asset.source);
                warnings.push(
                    Diagnostic::whole_file(Severity::Warning, file.to_string_lossy().replace('\\', "/"), warning)
                        .with_help("save the image again in an image editor; it is copied as it is, without width, height or smaller copies")
                        .with_kind(Kind::Image),
                );
            }
            images.stamps.insert(asset.source.clone(), stamp);
        }
        (images, warnings)
    }

    /// Makes every copy not yet in `cache` (see [`user_cache_dir`]),
    /// on all cores (each image decoded once, its copies made from the
    /// largest down). An image that cannot be decoded loses its copies
    /// (pages show the original) and is a warning.
    pub fn make(&mut self, cache: &Path, root: &Path, assets: &[Asset]) -> Vec<Diagnostic> {
        let sources: HashMap<&str, &Path> =
            assets.iter().map(|a| (a.path.as_str(), a.source.as_path())).collect();
        // The copies found in the cache, and those made before that came
        // out no smaller than their original (an empty file: see [`resize`]).
        let mut dropped: Vec<String> = Vec::new();
        let mut todo: Vec<(&String, &Image, Vec<&Variant>)> = Vec::new();
        for (p, i) in &self.by_path {
            let mut missing = Vec::new();
            for v in &i.variants {
                match std::fs::metadata(cache.join(file_name(&v.path))) {
                    Ok(m) if m.is_file() && m.len() == 0 => dropped.push(v.path.clone()),
                    Ok(m) if m.is_file() => {}
                    _ => missing.push(v),
                }
            }
            todo.push((p, i, missing));
        }
        let total: usize = self.by_path.values().map(|i| i.variants.len()).sum();
        let missing: usize = todo.iter().map(|(.., v)| v.len()).sum();
        if missing > 0
            && let Err(e) = std::fs::create_dir_all(cache)
        {
            for image in self.by_path.values_mut() {
                image.variants.clear();
            }
            let folder = cache.to_string_lossy().replace('\\', "/");
            return vec![
                Diagnostic::whole_file(
                    Severity::Warning,
                    folder,
                    format!("could not create the image cache: {e}"),
                )
                .with_help(
                    "images are copied as they are, without smaller copies, until the folder can be written",
                )
                .with_kind(Kind::Image),
            ];
        }
        let made: Vec<(String, Result<Vec<String>, String>)> = todo
            .into_par_iter()
            .filter(|(.., v)| !v.is_empty())
            .filter_map(|(path, image, variants)| {
                let source = sources.get(path.as_str())?;
                Some((path.clone(), resize(source, image, &variants, cache)))
            })
            .collect();
        let mut failed = Vec::new();
        for (path, result) in made {
            match result {
                Ok(larger) => dropped.extend(larger),
                Err(e) => failed.push((path, e)),
            }
        }
        if !dropped.is_empty() {
            let dropped: std::collections::HashSet<&str> = dropped.iter().map(String::as_str).collect();
            for image in self.by_path.values_mut() {
                image.variants.retain(|v| !dropped.contains(v.path.as_str()));
            }
        }
        let mut warnings = Vec::new();
        for (path, message) in failed {
            if let Some(image) = self.by_path.get_mut(&path) {
                image.variants.clear();
            }
            let file = sources
                .get(path.as_str())
                .map(|s| s.strip_prefix(root).unwrap_or(s).to_string_lossy().replace('\\', "/"));
            warnings.push(
                Diagnostic::whole_file(Severity::Warning, file.unwrap_or(path), message)
                    .with_help("save the image again in an image editor; it is copied as it is, without smaller copies")
                    .with_kind(Kind::Image),
            );
        }
        self.resized = missing;
        self.cached = total - missing;
        warnings
    }

    /// Every copy, as (file in `cache`, path in the output).
    pub fn outputs(&self, cache: &Path) -> Vec<(PathBuf, String)> {
        let mut out: Vec<(PathBuf, String)> = self
            .by_path
            .values()
            .flat_map(|i| i.variants.iter())
            .map(|v| (cache.join(file_name(&v.path)), v.path.clone()))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out.dedup_by(|a, b| a.1 == b.1);
        out
    }
}

/// Splits a trailing size off an embed's text, as Obsidian reads it
/// (<https://help.obsidian.md/embeds>): `A map|300x200` → (`A map`,
/// (300, 200)); `300` → (``, (300, none)); `A map` → no size. Sizes are
/// CSS pixels.
pub fn split_size(text: &str) -> (&str, Option<(u32, Option<u32>)>) {
    let (rest, last) = text.rsplit_once('|').unwrap_or(("", text));
    let last = last.trim();
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<u32>().ok()).flatten();
    let size = match last.split_once(['x', 'X']) {
        // `300x`: a width, the height left to the picture's proportions.
        Some((w, "")) => number(w).map(|w| (w, None)),
        Some((w, h)) => number(w).zip(number(h)).map(|(w, h)| (w, Some(h))),
        None => number(last).map(|w| (w, None)),
    };
    match size {
        Some(size) => (rest, Some(size)),
        None => (text, None),
    }
}

/// The last segment of an output path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The size and planned copies of the image `path` holding `bytes`; `None`
/// for an SVG without a size. An error message when its header cannot be read.
fn read_image(path: &str, bytes: &[u8]) -> Result<Option<Image>, String> {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if ext == "svg" {
        return Ok(svg_size(bytes).map(|(width, height)| Image {
            width,
            height,
            variants: Vec::new(),
            format: None,
        }));
    }
    let size = imagesize::blob_size(bytes).map_err(|e| format!("could not read this image's size: {e}"))?;
    let (mut width, mut height) = (size.width as u32, size.height as u32);
    if width == 0 || height == 0 {
        return Err("this image has no pixels (its width or height is 0)".into());
    }
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Some(Format::Png),
        Ok(imagesize::ImageType::Jpeg) => Some(Format::Jpeg),
        _ => None,
    };
    if format == Some(Format::Jpeg) && rotated(bytes) {
        std::mem::swap(&mut width, &mut height);
    }
    let Some(format) = format else {
        return Ok(Some(Image { width, height, variants: Vec::new(), format: None }));
    };
    let hash = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, u64::from(VERSION));
    let variant = |w: u32, format: Format| Variant {
        width: w,
        height: ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32,
        format,
        path: format!("{OUTPUT_DIR}/{hash:016x}-{w}.{}", format.extension()),
    };
    let smaller: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    let mut variants: Vec<Variant> = smaller.iter().map(|w| variant(*w, format)).collect();
    if format == Format::Png {
        // The original's width too: the WebP is the lighter file at every width.
        let webp = smaller.iter().copied().chain((width <= WIDTHS[WIDTHS.len() - 1]).then_some(width));
        variants.extend(webp.map(|w| variant(w, Format::Webp)));
    }
    Ok(Some(Image { width, height, variants, format: Some(format) }))
}

/// Whether a JPEG's EXIF orientation turns it a quarter turn (5–8), so that
/// it shows `height` wide; browsers apply it (`image-orientation: from-image`).
fn rotated(bytes: &[u8]) -> bool {
    let decoder = ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Jpeg).into_decoder();
    let orientation = decoder.ok().and_then(|mut d| d.orientation().ok());
    use image::metadata::Orientation::*;
    matches!(orientation, Some(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH))
}

/// An SVG's size from its root element: `width` and `height` in pixels
/// (unitless or `px`), else its `viewBox`. `None` when it has neither, or
/// gives them in other units (`%`, `em`): then the page gives no size.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(&bytes[..bytes.len().min(8192)]).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let mut from = 0;
        while let Some(at) = tag[from..].find(name) {
            let at = from + at;
            let before = tag[..at].chars().last();
            let rest = tag[at + name.len()..].trim_start();
            if before.is_some_and(char::is_whitespace)
                && let Some(rest) = rest.strip_prefix('=')
            {
                let rest = rest.trim_start();
                let quote = rest.chars().next()?;
                let value = &rest[1..];
                return value.find(quote).map(|end| &value[..end]);
            }
            from = at + name.len();
        }
        None
    };
    let pixels = |v: &str| -> Option<u32> {
        let n: f64 = v.trim().trim_end_matches("px").trim().parse().ok()?;
        (n.is_finite() && n >= 1.0).then(|| n.round() as u32)
    };
    if let (Some(w), Some(h)) = (attr("width").and_then(pixels), attr("height").and_then(pixels)) {
        return Some((w, h));
    }
    let view: Vec<f64> = attr("viewBox")?
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match view[..] {
        [_, _, w, h] if w >= 1.0 && h >= 1.0 && w.is_finite() && h.is_finite() => {
            Some((w.round() as u32, h.round() as u32))
        }
        _ => None,
    }
}

/// Decodes the image at `source` once and writes each of `variants` into
/// `cache` (through a `.part` file renamed into place, so an interrupted
/// build leaves no half-written copy under a copy's name). A copy that
/// comes out no smaller than the original file (a tiny or well-compressed
/// PNG's WebP, say) is of no use to a browser, which may as well load the
/// original: an empty file takes its name, so later builds know without
/// encoding it again. Returns the paths of those copies, or the error's
/// message when it cannot.
fn resize(source: &Path, image: &Image, variants: &[&Variant], cache: &Path) -> Result<Vec<String>, String> {
    let pixels = u64::from(image.width) * u64::from(image.height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "this image is too large to resize ({} × {} pixels, over {} million): it is copied as it is",
            image.width,
            image.height,
            MAX_PIXELS / 1_000_000
        ));
    }
    let bytes = std::fs::read(source).map_err(|e| format!("could not read this image: {e}"))?;
    let mut decoder = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| format!("could not decode this image: {e}"))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut full =
        DynamicImage::from_decoder(decoder).map_err(|e| format!("could not decode this image: {e}"))?;
    full.apply_orientation(orientation);
    let opaque = !full.color().has_alpha();
    // 8 bits a channel: what the encoders write and browsers show.
    let full = if opaque {
        DynamicImage::ImageRgb8(full.to_rgb8())
    } else {
        DynamicImage::ImageRgba8(full.to_rgba8())
    };
    let mut widths: Vec<&&Variant> = variants.iter().collect();
    widths.sort_by_key(|v| std::cmp::Reverse(v.width));
    // Each copy from the last, larger one: far less work than each from the
    // original, and Catmull-Rom keeps it sharp.
    let mut last: Option<(u32, DynamicImage)> = None;
    let mut larger = Vec::new();
    for v in widths {
        let resized = match &last {
            _ if v.width == image.width => full.clone(),
            Some((w, img)) if *w == v.width => img.clone(),
            Some((_, img)) => img.resize_exact(v.width, v.height, FilterType::CatmullRom),
            None => full.resize_exact(v.width, v.height, FilterType::CatmullRom),
        };
        let mut out = Vec::new();
        let written = match v.format {
            Format::Png => resized.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png),
            Format::Webp => resized.write_to(&mut Cursor::new(&mut out), image::ImageFormat::WebP),
            Format::Jpeg => {
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
                DynamicImage::ImageRgb8(resized.to_rgb8()).write_with_encoder(encoder)
            }
        };
        written.map_err(|e| format!("could not write a resized copy of this image: {e}"))?;
        if out.len() >= bytes.len() {
            out.clear();
            larger.push(v.path.clone());
        }
        // A name of this process's own (two builds may share the cache),
        // and the permissions a new file gets (it is published as it is).
        let target = cache.join(file_name(&v.path));
        let part = cache.join(format!("{}.{}.part", file_name(&v.path), std::process::id()));
        let written = std::fs::write(&part, &out).and_then(|()| std::fs::rename(&part, &target));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&part);
            return Err(format!("could not write a resized copy of this image to {}: {e}", cache.display()));
        }
        last = Some((v.width, resized));
    }
    Ok(larger)
}

/// The HTML of image `image`, as a page shows it: `<img>` with `width`,
/// `height`, `loading="lazy"`, `decoding="async"` and, when it has copies,
/// `srcset` and `sizes` (inside `<picture>` with a WebP `<source>` for a
/// PNG). `url` turns an output path into a page-relative URL; `original`
/// is the original's URL, `alt` and `attrs` (` title="…"`) already escaped.
/// `shown` is the width (and height) the author asked for (Obsidian's
/// `![[pic.png|300]]`), in CSS pixels: then `sizes` is that width.
pub fn picture(
    image: &Image,
    url: &dyn Fn(&str) -> String,
    original: &str,
    alt: &str,
    attrs: &str,
    shown: Option<(u32, Option<u32>)>,
) -> String {
    let (width, height) = match shown {
        Some((w, Some(h))) => (w, h),
        Some((w, None)) => (
            w,
            ((u64::from(image.height) * u64::from(w) + u64::from(image.width) / 2)
                / u64::from(image.width).max(1)) as u32,
        ),
        None => (image.width, image.height),
    };
    let sizes = match shown {
        Some((w, _)) => format!("{w}px"),
        None => SIZES.to_string(),
    };
    // Each candidate of `format` as (width, "URL Ww"), narrowest first.
    let candidates = |format: Format, with_original: bool| -> Vec<(u32, String)> {
        let mut set: Vec<(u32, String)> = image
            .variants
            .iter()
            .filter(|v| v.format == format)
            .map(|v| (v.width, format!("{} {}w", escape_html(&url(&v.path)), v.width)))
            .collect();
        if with_original && image.width <= WIDTHS[WIDTHS.len() - 1] && !set.is_empty() {
            set.push((image.width, format!("{original} {}w", image.width)));
        }
        set
    };
    let join = |set: &[(u32, String)]| set.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>().join(", ");
    let own_set = image.format.map(|f| candidates(f, true)).unwrap_or_default();
    let own = join(&own_set);
    // A copy stands in for an original wider than every copy: no browser
    // that reads `src` alone needs a 4,000 px photo.
    let largest = WIDTHS[WIDTHS.len() - 1];
    let copy = image.variants.iter().rfind(|v| Some(v.format) == image.format && v.width == largest);
    let src = match copy {
        Some(v) if image.width > largest => escape_html(&url(&v.path)),
        _ => original.to_string(),
    };
    let mut img = format!("<img src=\"{src}\" alt=\"{alt}\" width=\"{width}\" height=\"{height}\"");
    if !own.is_empty() {
        img.push_str(&format!(" srcset=\"{own}\" sizes=\"{sizes}\""));
    }
    img.push_str(&format!("{attrs} loading=\"lazy\" decoding=\"async\">"));
    let mut webp = candidates(Format::Webp, false);
    let Some(&(widest, _)) = webp.last() else {
        return img;
    };
    // A browser that reads WebP picks from this source alone, so it must
    // reach as wide as the `<img>`'s own set: where a wider WebP copy was
    // dropped (no smaller than the original's format), the wider copies in
    // the original's format follow (a 1,280 px screenshot was shown from
    // its 480 px WebP copy on a wide screen).
    webp.extend(own_set.into_iter().filter(|(w, _)| *w > widest));
    let webp = join(&webp);
    format!("<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">{img}</picture>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_size_reads_width_height_or_view_box() {
        assert_eq!(
            svg_size(br#"<?xml version="1.0"?><svg xmlns="x" width="120" height="80px">"#),
            Some((120, 80))
        );
        assert_eq!(svg_size(br#"<svg viewBox="0 0 300 150" xmlns="x">"#), Some((300, 150)));
        assert_eq!(svg_size(br#"<svg width="100%" height="50%" viewBox="0,0,64,32">"#), Some((64, 32)));
        assert_eq!(svg_size(br#"<svg xmlns="x"/>"#), None);
        // `stroke-width` is not `width`.
        assert_eq!(svg_size(br#"<svg stroke-width="3" viewBox="0 0 10 20">"#), Some((10, 20)));
    }
}
