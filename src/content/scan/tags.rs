//! Inline tags in a body (`#economy`, `#gs3/economy/minerals`), read as
//! Obsidian reads them (its help vault, "Tags" › "Tag format"):
//!
//! - a tag is `#` then a run of letters of any script, numbers, `_`, `-`,
//!   `/` (nesting: `#a/b/c` is `c` under `b` under `a`) and other Unicode
//!   symbols such as emoji; combining marks continue it (Devanagari's
//!   vowel signs), and so do letters of scripts written without spaces
//!   (`#tag를` is the one tag `tag를`: Obsidian splits no words);
//! - it ends at whitespace and at any punctuation but `_`, `-` and `/`
//!   (Unicode's punctuation categories: `.`, `,`, `)`, CJK's `。` and
//!   `、`, fullwidth `！`…) and at ASCII symbols (`+`, `=`, `|`…);
//! - it must hold a character other than digits and `/` (`#1984` is no
//!   tag, `#y1984` is); a `/` at its end is not part of it;
//! - the `#` starts a line's text or follows whitespace, so `a#b`, a URL's
//!   `http://x/#frag` and an escaped `\#tag` are no tags; neither is a
//!   heading's `# Title` (a `#` then a space) nor an entity `&#123;`;
//! - it is read in text only: never in code (spans or blocks), maths,
//!   HTML, or a link's or image's text.
//!
//! Tags are case-insensitive, as in Obsidian: the site index merges
//! `#Economy` and `#economy` (the index, a later stage), under the spelling
//! first met.

use std::ops::Range;

use super::extensions::is_inline;
use pulldown_cmark::{Event, Tag, TagEnd};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// One inline tag as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineTag {
    /// The tag without its `#`, as written (`gs3/Economy`).
    pub name: String,
    /// Byte range of `#name` in the text scanned.
    pub span: Range<usize>,
}

/// Whether `c` continues a tag (see the module's rules).
fn tag_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/');
    }
    match c.general_category_group() {
        GeneralCategoryGroup::Letter
        | GeneralCategoryGroup::Mark
        | GeneralCategoryGroup::Number
        | GeneralCategoryGroup::Symbol => true,
        // The zero-width joiner inside an emoji sequence (👩‍🔬).
        GeneralCategoryGroup::Other => c == '\u{200D}',
        GeneralCategoryGroup::Punctuation | GeneralCategoryGroup::Separator => false,
    }
}

/// The tag that the `#` at `text[at]` starts, if it starts one: its name's
/// byte length after the `#`. The caller checks what precedes the `#`.
pub fn tag_at(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at + 1..)?;
    let mut len = rest.char_indices().find(|(_, c)| !tag_char(*c)).map_or(rest.len(), |(i, _)| i);
    len -= rest[..len].len() - rest[..len].trim_end_matches('/').len();
    let name = &rest[..len];
    if name.starts_with('/') || name.chars().all(|c| c == '/' || c.is_numeric()) {
        return None;
    }
    Some(len)
}

/// Every inline tag of `text` (comments blanked), from its events `evs`, in order.
pub fn find(text: &str, evs: &[(Event<'_>, Range<usize>)]) -> Vec<InlineTag> {
    let mut tags = Vec::new();
    // Code blocks, links and images open around the current event.
    let mut closed = 0usize;
    let mut line_start = true;
    for (event, range) in evs {
        match event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. } | Tag::MetadataBlock(_),
            ) => closed += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image | TagEnd::MetadataBlock(_)) => {
                closed = closed.saturating_sub(1)
            }
            // Only text as written: an entity or an escape is not.
            Event::Text(t) if closed == 0 && t.contains('#') && text.get(range.clone()) == Some(&**t) => {
                find_in(text, range.clone(), line_start, &mut tags);
            }
            _ => {}
        }
        // A block's first text starts a line whatever precedes it in the
        // source (`>`, `-`, `|`); a break starts one too.
        line_start = match event {
            Event::Start(tag) => !is_inline(tag),
            Event::SoftBreak | Event::HardBreak => true,
            Event::End(_) => line_start,
            _ => false,
        };
    }
    tags
}

/// The tags of the text event at `range` of `text`.
fn find_in(text: &str, range: Range<usize>, line_start: bool, tags: &mut Vec<InlineTag>) {
    let t = &text[range.clone()];
    for (i, _) in t.match_indices('#') {
        let at = range.start + i;
        let after_space = text[..at].chars().next_back().is_none_or(char::is_whitespace);
        if !(after_space || (i == 0 && line_start)) {
            continue;
        }
        if let Some(len) = tag_at(&text[..range.end], at) {
            tags.push(InlineTag { name: text[at + 1..at + 1 + len].to_string(), span: at..at + 1 + len });
        }
    }
}

#[cfg(test)]
mod tests {

    fn names(body: &str) -> Vec<String> {
        crate::content::scan::scan(body).tags.into_iter().map(|t| t.name).collect()
    }

    #[test]
    fn a_tag_is_letters_of_any_script_digits_underscore_hyphen_and_slash() {
        assert_eq!(names("See #economy and #gs3/economy/minerals."), ["economy", "gs3/economy/minerals"]);
        assert_eq!(names("#snake_case #kebab-case #camelCase"), ["snake_case", "kebab-case", "camelCase"]);
        assert_eq!(names("हिंदी में #अर्थशास्त्र/खनिज पढ़ें"), ["अर्थशास्त्र/खनिज"]);
        assert_eq!(names("#経済 #🧪test"), ["経済", "🧪test"]);
    }

    #[test]
    fn a_tag_ends_at_punctuation_cjk_punctuation_included() {
        assert_eq!(names("#tag。次"), ["tag"]);
        assert_eq!(names("#経済、#政治。"), ["経済"], "the second `#` follows `、`, no space");
        assert_eq!(names("#経済、 #政治。"), ["経済", "政治"]);
        assert_eq!(names("(#a), #b; #c! #d? #e: #f\"x #g's"), ["b", "c", "d", "e", "f", "g"]);
        assert_eq!(names("#a+b #c=d #e|f"), ["a", "c", "e"]);
        assert_eq!(names("#end/"), ["end"], "a trailing `/` is no part of it");
    }

    #[test]
    fn hangul_continues_a_tag() {
        assert_eq!(names("#tag를 읽다"), ["tag를"]);
    }

    #[test]
    fn digits_alone_make_no_tag() {
        assert_eq!(names("#1984 #y1984 #2024/q1 #12/34 #٣٤"), ["y1984", "2024/q1"]);
    }

    #[test]
    fn no_tag_in_code_urls_headings_links_entities_or_after_a_letter() {
        let body = "# Title\n\n## Sub #real\n\n`#code` and\n\n```\n#block\n```\n\n    #indented\n\n\
                    http://x.org/#frag <https://y.org/#f> [#linked](https://z.org) a#b \\#escaped &#123; \
                    [[Note#Heading]] $#math$\n\n<div>#html</div>\n";
        assert_eq!(names(body), ["real"]);
    }

    #[test]
    fn a_tag_may_start_a_line_in_any_block() {
        assert_eq!(
            names("#top\n\n> #quoted\n\n- #item\n\n| #cell |\n|---|\n| x |\n\nline\n#broken"),
            ["top", "quoted", "item", "cell", "broken"]
        );
        assert_eq!(names("*#emph* **x**#y"), Vec::<String>::new());
    }

    #[test]
    fn spans_point_at_the_tag() {
        let tags = crate::content::scan::scan("Read #a/b now").tags;
        assert_eq!(tags[0].span, 5..9);
    }
}
