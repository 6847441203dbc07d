//! Images in notes (`src/images.rs`) on real builds of a fixture site whose
//! photos and screenshots are generated here: `width`/`height`, lazy
//! loading, `srcset` of resized copies (each file in the output, of the
//! width it claims), the WebP `<source>` of a PNG, SVG and GIF passed
//! through with their size, the cache that spares a second build any
//! resizing, a changed image under `lode serve`, and the warning for an
//! image without alt text.

mod common;

use std::io::Cursor;
use std::path::Path;

use common::{TestSite, select};
use lode::diagnostics::Kind;
use lode::images::SIZES;

/// A JPEG photo-like picture `w`×`h` (smooth gradients and some texture, so
/// that it compresses as a photo does).
fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23;
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, (n * 9) as u8])
    });
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    image::DynamicImage::ImageRgb8(img).write_with_encoder(encoder).unwrap();
    out
}

/// A PNG screenshot-like picture `w`×`h` (bands of colour with grain, and
/// transparency), whose copies are mostly smaller files than it.
fn screenshot(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let band = ((x / 40 + y / 30) % 4) as u8;
        let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23) as u8;
        image::Rgba([40 + band * 50, 90 + grain * 4, 200 - band * 40, if x < 10 { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A PNG chart-like picture `w`×`h` (bands of colour shading smoothly, and
/// transparency), which lossless WebP packs far better than PNG.
fn chart(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        let band = ((x / 40 + y / 30) % 4) as u8;
        let shade = (x * 60 / w + y * 60 / h) as u8;
        image::Rgba([40 + band * 50, 90 + shade, 200 - band * 40, if x < 10 { 0 } else { 255 }])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// `jpeg` with an EXIF block saying "rotate 90° clockwise to show"
/// (orientation 6, as a phone held upright writes it).
fn rotated(jpeg: &[u8]) -> Vec<u8> {
    // APP1: "Exif\0\0", a little-endian TIFF header, one IFD entry: 0x0112 SHORT 1 = 6.
    let tiff: &[u8] = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0";
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A 1×1 GIF.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

const NOTE: &str = "+++\ntitle = \"Gallery\"\n+++\n\nA photo of the mine:\n\n![[big.jpg|The open-pit mine]]\n\nThe chart: ![A wide chart](wide.png \"Exports\")\n\n![[small.png|A small icon|150]]\n\n![The basin](basin.svg)\n\n![[spinner.gif|A spinner]]\n\nNo alt here: ![[small.png]] nor here ![](wide.png)\n";

fn site() -> TestSite {
    let site =
        TestSite::new(&[("content/gallery.md", NOTE), ("content/_index.md", "# Home\n\n[[Gallery]]\n")]);
    let put = |path: &str, bytes: &[u8]| std::fs::write(site.root().join(path), bytes).unwrap();
    put("content/big.jpg", &photo(2000, 1500));
    put("content/wide.png", &screenshot(1600, 900));
    put("content/small.png", &chart(300, 200));
    put("content/spinner.gif", GIF);
    put(
        "content/basin.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"180\"><rect width=\"320\" height=\"180\" fill=\"#3a7\"/></svg>\n",
    );
    site
}

fn attr<'a>(el: &'a scraper::ElementRef, name: &str) -> &'a str {
    el.value().attr(name).unwrap_or_else(|| panic!("no {name} on {}", el.html()))
}

/// The (URL, width) candidates of a `srcset`.
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

/// Every candidate of `srcset` is a file in the output, from the page at
/// `gallery/`, whose header says the width it is listed at.
fn assert_files_have_widths(site: &TestSite, srcset: &str) {
    for (url, width) in candidates(srcset) {
        let path = site.output().join(url.trim_start_matches("../"));
        let (w, _) = image::image_dimensions(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(w, width, "{url}");
    }
}

#[test]
fn images_get_their_size_lazy_loading_and_a_srcset_of_files_that_exist() {
    let site = site();
    let report = site.build();
    let page = site.page("gallery/index.html");
    let imgs = select(&page, ".note-body img");
    let by_alt = |alt: &str| {
        imgs.iter().find(|i| i.value().attr("alt") == Some(alt)).unwrap_or_else(|| panic!("no img {alt}"))
    };

    // A photo wider than every copy: JPEG copies only, the largest as `src`.
    let big = by_alt("The open-pit mine");
    assert_eq!((attr(big, "width"), attr(big, "height")), ("2000", "1500"));
    assert_eq!((attr(big, "loading"), attr(big, "decoding")), ("lazy", "async"));
    assert_eq!(attr(big, "sizes"), SIZES);
    let set = candidates(attr(big, "srcset"));
    assert_eq!(set.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 960, 1440]);
    assert!(set.iter().all(|(u, _)| u.starts_with("../_lode/img/") && u.ends_with(".jpg")), "{set:?}");
    assert_eq!(attr(big, "src"), set[2].0, "the 1440 px copy stands in for the 2000 px original");
    assert!(big.parent().and_then(scraper::ElementRef::wrap).is_some_and(|p| p.value().name() == "p"));
    assert_files_have_widths(&site, attr(big, "srcset"));

    // A PNG: a <picture> whose WebP <source> comes first, PNG copies in the <img>.
    let wide = by_alt("A wide chart");
    assert_eq!((attr(wide, "width"), attr(wide, "height"), attr(wide, "title")), ("1600", "900", "Exports"));
    let picture = scraper::ElementRef::wrap(wide.parent().unwrap()).unwrap();
    assert_eq!(picture.value().name(), "picture");
    let sources = select(&page, ".note-body picture > source");
    let webp = sources.iter().find(|s| picture.children().any(|c| c.id() == s.id())).unwrap();
    assert_eq!(attr(webp, "type"), "image/webp");
    // Lossless WebP of a grainy picture may be no lighter than the PNG:
    // such a copy is left out (the 1,440 px one here).
    let webps: Vec<u32> = candidates(attr(webp, "srcset")).iter().map(|c| c.1).collect();
    assert!(!webps.is_empty() && webps.iter().all(|w| [480, 960, 1440].contains(w)), "{webps:?}");
    assert_files_have_widths(&site, attr(webp, "srcset"));
    let original = std::fs::metadata(site.root().join("content/wide.png")).unwrap().len();
    for (url, _) in candidates(attr(webp, "srcset")).into_iter().chain(candidates(attr(wide, "srcset"))) {
        let Some(copy) = url.strip_prefix("../_lode/") else { continue };
        let size = std::fs::metadata(site.output().join("_lode").join(copy)).unwrap().len();
        assert!(size < original, "{url}: {size} bytes, the original {original}");
    }
    assert_eq!(candidates(attr(wide, "srcset")).iter().map(|c| c.1).collect::<Vec<_>>(), [480, 960, 1440]);
    assert_files_have_widths(&site, attr(wide, "srcset"));
    // A browser that reads WebP picks from the <source> alone: it reaches
    // as wide as the <img>'s set, the PNG copy standing in for the WebP
    // copy left out (a 1,280 px screenshot was shown from its 480 px WebP).
    let widest = |set: &str| candidates(set).iter().map(|c| c.1).max().unwrap();
    assert_eq!(widest(attr(webp, "srcset")), widest(attr(wide, "srcset")), "{}", attr(webp, "srcset"));
    let first = &candidates(attr(webp, "srcset"))[0].0;
    assert_eq!(&std::fs::read(site.output().join(first.trim_start_matches("../"))).unwrap()[8..12], b"WEBP");

    // Smaller than every copy, shown 150 px wide as asked: only the WebP of
    // its own width, never upscaled, and `sizes` the width shown.
    let small = by_alt("A small icon");
    assert_eq!((attr(small, "width"), attr(small, "height")), ("150", "100"));
    assert!(small.value().attr("srcset").is_none(), "no PNG copy of a 300 px PNG");
    let small_picture = scraper::ElementRef::wrap(small.parent().unwrap()).unwrap();
    let source = select(&page, ".note-body picture > source")
        .into_iter()
        .find(|s| small_picture.children().any(|c| c.id() == s.id()))
        .unwrap();
    assert_eq!(candidates(attr(&source, "srcset")).iter().map(|c| c.1).collect::<Vec<_>>(), [300]);
    assert_eq!(attr(&source, "sizes"), "150px");
    assert_eq!(attr(small, "src"), "../small.png", "the original");

    // SVG and GIF: passed through, with their size.
    let svg = by_alt("The basin");
    assert_eq!((attr(svg, "src"), attr(svg, "width"), attr(svg, "height")), ("../basin.svg", "320", "180"));
    assert!(svg.value().attr("srcset").is_none());
    let gif = by_alt("A spinner");
    assert_eq!((attr(gif, "src"), attr(gif, "width"), attr(gif, "height")), ("../spinner.gif", "1", "1"));
    assert_eq!(attr(gif, "loading"), "lazy");

    // The originals are still copied; the copies are in the cache, not only the output.
    assert!(site.output().join("big.jpg").is_file());
    // 3 JPEG, 3 + 3 wide PNG/WebP, 1 small WebP made (a copy left out leaves an empty file).
    assert_eq!((report.images_resized, report.images_cached), (10, 0));
    // Files only: the social cards' folder, `cards/`, is beside them.
    let cached = std::fs::read_dir(site.cache_dir())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
        .count();
    assert_eq!(cached, 10);
}

#[test]
fn a_second_build_takes_every_copy_from_the_cache() {
    let site = site();
    let first = site.build();
    assert_eq!((first.images_resized, first.images_cached), (10, 0));
    let cache = site.cache_dir();
    let modified = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let stamps: Vec<_> =
        std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).map(|p| (modified(&p), p)).collect();
    let before = std::fs::read_to_string(site.output().join("gallery/index.html")).unwrap();

    let second = site.build();
    assert_eq!((second.images_resized, second.images_cached), (0, 10), "nothing resized again");
    for (stamp, path) in stamps {
        assert_eq!(modified(&path), stamp, "{} written again", path.display());
    }
    assert_eq!(std::fs::read_to_string(site.output().join("gallery/index.html")).unwrap(), before);

    // An edited image gets new copies, under new names; the others stay cached.
    std::fs::write(site.root().join("content/small.png"), screenshot(600, 300)).unwrap();
    let third = site.build();
    assert_eq!((third.images_resized, third.images_cached), (3, 9), "480 px PNG and WebP, 600 px WebP");
    let page = site.page("gallery/index.html");
    let small = select(&page, ".note-body img[alt='A small icon']");
    assert_eq!((attr(&small[0], "width"), attr(&small[0], "height")), ("150", "75"));

    // Copies are published readable by all, as the originals are (a web
    // server runs as another user).
    #[cfg(unix)]
    for entry in std::fs::read_dir(site.output().join("_lode/img")).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let mode = entry.unwrap().metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "mode {mode:o}");
    }

    // Neither the output folder nor the site holds the cache: a build
    // writes nothing among the author's files.
    assert!(!site.output().join(".lode").exists());
    assert!(!site.root().join(".lode").exists());
}

#[test]
fn an_image_without_alt_text_is_a_warning_at_the_image() {
    let site = site();
    let report = site.build();
    let alt: Vec<String> = report
        .warnings
        .iter()
        .filter(|d| d.kind() == Kind::Image)
        .map(|d| {
            format!(
                "{}:{}:{}: {} | {}",
                d.file,
                d.line,
                d.column,
                d.message,
                d.help.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        alt,
        [
            "content/gallery.md:17:14: image ![[small.png]] has no alt text: a screen reader reads its file name | say what the image shows after a `|`: `![[small.png|what it shows]]`",
            "content/gallery.md:17:38: image wide.png has no alt text: a screen reader skips it | say what the image shows between the brackets: `![what it shows](wide.png)`",
        ]
    );
}

#[test]
fn lode_serve_shows_a_changed_image_at_its_new_size() {
    let site = site();
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).unwrap();
    let width = |session: &lode::build::Session| {
        let page = session.files()["gallery/index.html"].contents().unwrap();
        let page = scraper::Html::parse_document(std::str::from_utf8(&page).unwrap());
        select(&page, ".note-body img[alt='A spinner']")[0].value().attr("width").map(String::from)
    };
    assert_eq!(width(&session).as_deref(), Some("1"));
    let gif = site.root().join("content/spinner.gif");
    let mut bigger = GIF.to_vec();
    bigger[6] = 7; // logical screen width 7
    std::fs::write(&gif, bigger).unwrap();
    let update = session.rebuild(std::slice::from_ref(&gif)).unwrap();
    assert!(update.changed.iter().any(|c| c == "gallery/index.html"), "{:?}", update.changed);
    assert_eq!(width(&session).as_deref(), Some("7"));
}

#[test]
fn a_photo_taken_upright_is_sized_and_resized_as_it_is_shown() {
    let site = TestSite::new(&[("content/_index.md", "# Home\n\n![[upright.jpg|A cliff, upright]]\n")]);
    std::fs::write(site.root().join("content/upright.jpg"), rotated(&photo(1000, 600))).unwrap();
    site.build();
    let page = site.page("index.html");
    let img = &select(&page, "img[alt='A cliff, upright']")[0];
    assert_eq!(
        (attr(img, "width"), attr(img, "height")),
        ("600", "1000"),
        "EXIF orientation 6: a quarter turn"
    );
    let set = candidates(attr(img, "srcset"));
    assert_eq!(set.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 600]);
    let copy = site.output().join(&set[0].0);
    assert_eq!(image::image_dimensions(&copy).unwrap(), (480, 800), "the copy is turned as shown");
}

/// A PNG whose header claims 60,000 × 60,000 pixels (a few bytes that
/// would take 14 GB to decode, a "decompression bomb") is not decoded: it
/// is a warning at the file, and is copied as it is, with its size on the
/// page. A newcomer's build ran out of memory and aborted on one.
#[test]
fn an_image_too_large_to_decode_is_a_warning_and_copied_as_it_is() {
    // PNG signature, IHDR (60000 × 60000, 8-bit RGBA), an empty IDAT, IEND.
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[]));
    png.extend(chunk(b"IEND", &[]));
    let site = TestSite::new(&[("content/bomb.md", "# Bomb\n\n![[bomb.png|A huge picture]]\n")]);
    std::fs::write(site.root().join("content/bomb.png"), &png).unwrap();
    let report = site.build();
    let warnings: Vec<String> =
        report.warnings.iter().map(|w| format!("{}: {}", w.file, w.message)).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("bomb.png") && w.contains("too large to resize (60000 × 60000 pixels")),
        "{warnings:?}"
    );
    let page = site.page("bomb/index.html");
    let img = &select(&page, ".note-body img")[0];
    assert_eq!(attr(img, "src"), "../bomb.png");
    assert!(img.value().attr("srcset").is_none());
    assert_eq!(std::fs::read(site.output().join("bomb.png")).unwrap(), png);
}

/// A copy no smaller than its original is left out: a tiny PNG (8 × 8, a
/// few hundred bytes) is shown as it is, with no WebP `<source>`, and a
/// second build knows so from the cache without encoding it again.
#[test]
fn a_copy_no_smaller_than_its_original_is_left_out() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Icons]]\n"),
        ("content/icons.md", "# Icons\n\nThe mark: ![[dot.png|A dot]] See [[Home]].\n"),
    ]);
    let png = screenshot(8, 8);
    std::fs::write(site.root().join("content/dot.png"), &png).unwrap();
    let report = site.build();
    let page = site.page("icons/index.html");
    let img = select(&page, ".note-body img");
    assert_eq!(img.len(), 1);
    assert_eq!(attr(&img[0], "src"), "../dot.png");
    assert_eq!((attr(&img[0], "width"), attr(&img[0], "height")), ("8", "8"));
    assert!(img[0].value().attr("srcset").is_none(), "{}", img[0].html());
    assert!(
        select(&page, ".note-body picture").is_empty(),
        "a WebP no lighter than the {}-byte PNG",
        png.len()
    );
    assert!(!site.output().join("_lode/img").exists(), "no copy published");
    assert_eq!(report.images_resized, 1, "its WebP was made, and measured");
    let before = page.html();
    let again = site.build();
    assert_eq!((again.images_resized, again.images_cached), (0, 1), "not encoded again");
    assert_eq!(site.page("icons/index.html").html(), before);
}
