//! Callouts as Obsidian writes them: a block quote whose first line starts
//! with `[!type]`, an optional fold sign and an optional title,
//!
//! ```md
//! > [!faq]- Why is the sky blue?
//! > Rayleigh scattering.
//! ```
//!
//! The types, their aliases, the fold signs (`-` starts closed, `+` starts
//! open) and the rule that an unknown type looks like a note are Obsidian's
//! (<https://help.obsidian.md/callouts>). GitHub's alerts (`> [!NOTE]` alone
//! on its line), which pulldown-cmark parses itself, map onto the same table.
//! Lode's own `[!key]` key facts are not handled here (see
//! `content::scan::key_fact_marker`).
//!
//! This module finds and reads the header line and writes the HTML around a
//! callout; the Markdown renderer renders what is inside.

use std::ops::Range;

use pulldown_cmark::BlockQuoteKind;

use crate::html::push_escaped;

/// One of Obsidian's callout types: the class `callout-{name}`, the label
/// shown when there is no custom title, the other names that look the same,
/// and an icon.
#[derive(Debug, PartialEq, Eq)]
pub struct Style {
    /// Lower-case name, also the CSS class suffix (`tip` → `callout-tip`).
    pub name: &'static str,
    /// Other type names with this look (`hint`, `important` for `tip`).
    pub aliases: &'static [&'static str],
    /// The inside of a 24 × 24 SVG drawn with `currentColor` strokes.
    icon: &'static str,
}

/// Obsidian's callout types and their aliases, in the order of its
/// documentation, then Lode's `correction`.
pub const STYLES: &[Style] = &[
    Style { name: "note", aliases: &[], icon: r#"<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13 7 4 4"/>"# },
    Style {
        name: "abstract",
        aliases: &["summary", "tldr"],
        icon: r#"<rect x="5" y="4" width="14" height="17" rx="2"/><path d="M9 9h6M9 13h6M9 17h4"/>"#,
    },
    Style {
        name: "info",
        aliases: &[],
        icon: r#"<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>"#,
    },
    Style { name: "todo", aliases: &[], icon: r#"<circle cx="12" cy="12" r="9"/><path d="m8 12 3 3 5-6"/>"# },
    Style {
        name: "tip",
        aliases: &["hint", "important"],
        icon: r#"<path d="M12 3c.5 3.5 6 5.5 6 11a6 6 0 0 1-12 0c0-2.5 1.5-4 2.5-5.5.5 1.5 1.5 2.5 2.5 2.5 0-2.5-.5-5 1-8z"/>"#,
    },
    Style { name: "success", aliases: &["check", "done"], icon: r#"<path d="m4 12.5 5 5L20 6.5"/>"# },
    Style {
        name: "question",
        aliases: &["help", "faq"],
        icon: r#"<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17v.5"/>"#,
    },
    Style {
        name: "warning",
        aliases: &["caution", "attention"],
        icon: r#"<path d="M12 3.5 2.5 20h19z"/><path d="M12 10v4.5M12 17v.5"/>"#,
    },
    Style { name: "failure", aliases: &["fail", "missing"], icon: r#"<path d="M6 6l12 12M18 6 6 18"/>"# },
    Style { name: "danger", aliases: &["error"], icon: r#"<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>"# },
    Style {
        name: "bug",
        aliases: &[],
        icon: r#"<rect x="8" y="7" width="8" height="13" rx="4"/><path d="M12 11v9M3.5 13.5H8M16 13.5h4.5M5 8l3 2M19 8l-3 2M5 19.5 8 17M19 19.5 16 17M10 4.5l1 2M14 4.5l-1 2"/>"#,
    },
    Style {
        name: "example",
        aliases: &[],
        icon: r#"<path d="M9 6h11M9 12h11M9 18h11M4 6h.5M4 12h.5M4 18h.5"/>"#,
    },
    Style {
        name: "quote",
        aliases: &["cite"],
        icon: r#"<path d="M4 17c2.5 0 4.5-2 4.5-5V7H4v5h4.5M14 17c2.5 0 4.5-2 4.5-5V7H14v5h4.5"/>"#,
    },
    // Lode's own type, not Obsidian's (which shows it as a note): where a
    // note corrects its primary source (see `content::scan::Correction`).
    Style {
        name: "correction",
        aliases: &[],
        icon: r#"<path d="M4 20h4L18.5 9.5l-4-4L4 16z"/><path d="m12.5 7.5 4 4"/><path d="M14 20h6"/>"#,
    },
];

/// The style of type `kind`, matched without regard to ASCII case against
/// names and aliases; an unknown type gets the note's style, as in Obsidian.
pub fn style_of(kind: &str) -> &'static Style {
    STYLES
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(kind) || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(kind)))
        .unwrap_or(&STYLES[0])
}

/// Whether a callout folds, from the sign after its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// No sign: always open, not foldable.
    No,
    /// `+`: foldable, starts open.
    Open,
    /// `-`: foldable, starts closed.
    Closed,
}

/// The first line of a callout, `[!type|metadata]± Title`.
#[derive(Debug, PartialEq, Eq)]
pub struct Header<'a> {
    /// The type as written (`FAQ`), before any `|metadata`.
    pub kind: &'a str,
    /// Obsidian's `|metadata` after the type, for themes (`[!note|wide]` → `wide`).
    pub metadata: Option<&'a str>,
    /// The fold sign.
    pub fold: Fold,
    /// Byte range, in the text given to [`header`], of `[!type]` and its fold sign.
    pub marker: Range<usize>,
    /// Byte range of the title (trimmed; empty when there is none).
    pub title: Range<usize>,
}

/// Reads a callout header at the start of the block quote at byte range
/// `quote` of `text`: `>`, then `[!type]`, then `+` or `-`, then white space
/// or the end of the line. `None` for a plain block quote.
///
/// The type is one or more characters other than `]` and white space.
pub fn header<'a>(text: &'a str, quote: &Range<usize>) -> Option<Header<'a>> {
    let source = text.get(quote.clone())?;
    let line = source.split('\n').next()?;
    let after_quote = line.trim_start().strip_prefix('>')?.trim_start();
    let start = quote.start + (line.len() - after_quote.len());
    let inner = after_quote.strip_prefix("[!")?;
    let close = inner.find(']')?;
    let (kind, metadata) = match inner[..close].split_once('|') {
        Some((kind, metadata)) => (kind, Some(metadata.trim())),
        None => (&inner[..close], None),
    };
    if kind.is_empty() || kind.contains(char::is_whitespace) {
        return None;
    }
    let rest = &inner[close + 1..];
    let (fold, rest) = match rest.as_bytes().first() {
        Some(b'-') => (Fold::Closed, &rest[1..]),
        Some(b'+') => (Fold::Open, &rest[1..]),
        _ => (Fold::No, rest),
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let marker_end = start + (after_quote.len() - rest.len());
    let title = rest.trim();
    let title_start = marker_end + (rest.len() - rest.trim_start().len());
    Some(Header {
        kind,
        metadata,
        fold,
        marker: start..marker_end,
        title: title_start..title_start + title.len(),
    })
}

/// The type name of a GitHub alert, looked up in [`STYLES`] like any other.
pub fn gfm_kind(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// `faq` → `Faq`: the title of a callout without one, as Obsidian shows it.
pub fn default_title(kind: &str) -> String {
    let lower = kind.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The interface string naming callout type `kind` when it is one of
/// [`STYLES`]' names or aliases (`callout_warning`, `callout_hint`: each
/// name as Obsidian shows it, in Lode's `i18n/en.toml`); `None` for a type
/// of the author's own, whose name is as written ([`default_title`]).
pub fn name_key(kind: &str) -> Option<String> {
    let lower = kind.to_ascii_lowercase();
    STYLES
        .iter()
        .any(|s| s.name == lower || s.aliases.contains(&lower.as_str()))
        .then(|| format!("callout_{lower}"))
}

/// The HTML that opens a callout of type `kind` up to the start of its
/// title's text: a `<div role="note">` (a `<details>`, open or not, when it
/// folds), then a `<p>` (a `<summary>`) holding the icon and the type's name.
///
/// The icon is hidden from assistive technology; the name (`name`: the
/// type's name in the page's language, see [`name_key`], else
/// [`default_title`]) is its text alternative: shown when `custom_title` is
/// false (it is then the title), visually hidden before a custom title
/// otherwise. `id`, when given, is the element's HTML id (a correction's
/// `correction-N`).
pub fn open(
    kind: &str,
    name: &str,
    metadata: Option<&str>,
    fold: Fold,
    custom_title: bool,
    id: Option<&str>,
) -> String {
    let style = style_of(kind);
    let mut out = String::with_capacity(512);
    out.push_str(if fold == Fold::No { "<div" } else { "<details" });
    if let Some(id) = id {
        out.push_str(" id=\"");
        push_escaped(&mut out, id);
        out.push('"');
    }
    out.push_str(" class=\"callout callout-");
    out.push_str(style.name);
    out.push_str("\" data-callout=\"");
    push_escaped(&mut out, &kind.to_lowercase());
    out.push('"');
    if let Some(metadata) = metadata {
        out.push_str(" data-callout-metadata=\"");
        push_escaped(&mut out, metadata);
        out.push('"');
    }
    out.push_str(match fold {
        Fold::No => " role=\"note\"><p class=\"callout-title\">",
        Fold::Open => " open><summary class=\"callout-title\">",
        Fold::Closed => "><summary class=\"callout-title\">",
    });
    out.push_str(&icon(kind));
    if custom_title {
        out.push_str("<span class=\"callout-type\" data-pagefind-ignore>");
        push_escaped(&mut out, name);
        out.push_str(": </span>");
    } else {
        push_escaped(&mut out, name);
    }
    out
}

/// The icon of callout type `kind`: an inline SVG hidden from assistive technology.
pub fn icon(kind: &str) -> String {
    format!(
        "<svg class=\"callout-icon\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" aria-hidden=\"true\" \
         focusable=\"false\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" \
         stroke-linecap=\"round\" stroke-linejoin=\"round\">{}</svg>",
        style_of(kind).icon
    )
}

/// The HTML that closes a callout's title, and opens its body when it has one.
pub fn close_title(fold: Fold, body: bool) -> &'static str {
    match (fold, body) {
        (Fold::No, true) => "</p>\n<div class=\"callout-body\">\n",
        (Fold::No, false) => "</p>\n",
        (_, true) => "</summary>\n<div class=\"callout-body\">\n",
        (_, false) => "</summary>\n",
    }
}

/// The HTML that closes a callout (its body too, when it has one).
pub fn close(fold: Fold, body: bool) -> &'static str {
    match (fold, body) {
        (Fold::No, true) => "</div>\n</div>\n",
        (Fold::No, false) => "</div>\n",
        (_, true) => "</div>\n</details>\n",
        (_, false) => "</details>\n",
    }
}

/// The title and the body of a callout rendered by [`open`],
/// [`close_title`] and [`close`] (possibly inside a block's `<div>`): the
/// title's HTML after the visually hidden type name (empty when the
/// callout has no title of its own), and the body's HTML (empty when it has
/// none). `None` when `html` does not start with a callout.
pub fn split_rendered(html: &str) -> Option<(String, String)> {
    let class = html.find(" class=\"callout ")?;
    let start = html[..class].rfind('<')?;
    let html = &html[start..];
    let title_end = html.find(['\n'])?;
    let head = &html[..title_end];
    let title = match head.find("</span>") {
        Some(i) if head.contains("class=\"callout-type\"") => &head[i + "</span>".len()..],
        _ => "",
    };
    let title = title.strip_suffix("</p>").or_else(|| title.strip_suffix("</summary>")).unwrap_or(title);
    let body = match html.find("<div class=\"callout-body\">\n") {
        Some(i) => {
            let inner = &html[i + "<div class=\"callout-body\">\n".len()..];
            let closing =
                if html.starts_with("<details") { "</div>\n</details>\n" } else { "</div>\n</div>\n" };
            // The callout's own end is the last of its closing tags.
            inner.rfind(closing).map_or(inner, |end| &inner[..end])
        }
        None => "",
    };
    Some((title.to_string(), body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Option<Header<'_>> {
        header(line, &(0..line.len()))
    }

    #[test]
    fn aliases_and_case_pick_the_style() {
        assert_eq!(style_of("TLDR").name, "abstract");
        assert_eq!(style_of("Important").name, "tip");
        assert_eq!(style_of("cite").name, "quote");
        assert_eq!(style_of("no-such-type").name, "note");
        let names: usize = STYLES.iter().map(|s| 1 + s.aliases.len()).sum();
        assert_eq!(names, 28);
        assert_eq!(style_of("Correction").name, "correction");
    }

    #[test]
    fn headers_give_type_fold_and_title() {
        let h = parse("> [!FAQ]- Why *blue*?\n> Because.").unwrap();
        assert_eq!((h.kind, h.fold, h.metadata), ("FAQ", Fold::Closed, None));
        assert_eq!(&"> [!FAQ]- Why *blue*?"[h.marker.clone()], "[!FAQ]-");
        assert_eq!(&"> [!FAQ]- Why *blue*?"[h.title.clone()], "Why *blue*?");

        let h = parse(">[!tip|wide]+").unwrap();
        assert_eq!((h.kind, h.fold, h.metadata, h.title.is_empty()), ("tip", Fold::Open, Some("wide"), true));

        for plain in ["> [!]", "> [! note]", "> [!note]x", "> text [!note]", "> [note]", "> [!note"] {
            assert_eq!(parse(plain), None, "{plain}");
        }
    }

    #[test]
    fn the_open_tag_names_the_type_for_assistive_technology() {
        let plain = open("Hint", "Hint", None, Fold::No, false, None);
        assert!(plain.starts_with("<div class=\"callout callout-tip\" data-callout=\"hint\" role=\"note\">"));
        assert!(plain.contains("aria-hidden=\"true\"") && plain.ends_with("</svg>Hint"));
        let custom = open("bug", "Bug", Some("x\""), Fold::Closed, true, None);
        assert!(custom.starts_with(
            "<details class=\"callout callout-bug\" data-callout=\"bug\" data-callout-metadata=\"x&quot;\">"
        ));
        assert!(custom.ends_with("<span class=\"callout-type\" data-pagefind-ignore>Bug: </span>"));
        let with_id = open("correction", "Correction", None, Fold::No, true, Some("correction-2"));
        assert!(with_id.starts_with("<div id=\"correction-2\" class=\"callout callout-correction\""));
    }

    #[test]
    fn obsidians_types_and_their_other_names_have_a_key_and_others_none() {
        assert_eq!(name_key("Hint").as_deref(), Some("callout_hint"));
        assert_eq!(name_key("WARNING").as_deref(), Some("callout_warning"));
        assert_eq!(name_key("my-own"), None);
    }

    #[test]
    fn a_rendered_callout_splits_into_title_and_body() {
        let html = [
            open("correction", "Correction", None, Fold::No, true, Some("correction-1")),
            "The <em>date</em>".into(),
            close_title(Fold::No, true).into(),
            "<p>Body <a href=\"https://x.org\">x</a></p>\n<div class=\"callout\">inner</div>\n".into(),
            close(Fold::No, true).into(),
        ]
        .concat();
        let (title, body) = split_rendered(&html).unwrap();
        assert_eq!(title, "The <em>date</em>");
        assert_eq!(body, "<p>Body <a href=\"https://x.org\">x</a></p>\n<div class=\"callout\">inner</div>\n");
        let folded = [
            open("correction", "Correction", None, Fold::Closed, false, None),
            close_title(Fold::Closed, false).into(),
            close(Fold::Closed, false).into(),
        ]
        .concat();
        assert_eq!(split_rendered(&folded), Some((String::new(), String::new())));
    }
}
