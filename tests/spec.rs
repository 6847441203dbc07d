//! The CommonMark (0.31.2) and GitHub Flavored Markdown (0.29) spec examples,
//! run through Lode's Markdown layer ([`lode::build::render_markdown`]: the
//! code path of a note's body) and through bare pulldown-cmark with the same
//! options ([`lode::content::scan::options`]).
//!
//! Lode must pass every example bare pulldown-cmark passes, save the
//! deliberate rewrites listed in [`EXCEPTIONS`] with their reasons, and every
//! example of the GFM extensions it adds itself (autolinks, the tag filter).
//! Rewrites that only add to the HTML are normalised away before comparing:
//! heading ids, the heading anchor links, and HTML comments (Lode drops them).
//!
//! The spec texts under `tests/spec/` are CC-BY-SA 4.0 (see the licence
//! files beside them); examples sit between lines of 32 backticks, input and
//! expected HTML separated by a line holding `.`, `→` standing for a tab.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lode::build::render_markdown;
use lode::content::scan::options;
use pulldown_cmark::{Parser, html::push_html};

const FENCE: &str = "````````````````````````````````";

/// Examples Lode renders differently from bare pulldown-cmark on purpose:
/// (spec, reason, example numbers).
const EXCEPTIONS: &[(&str, &str, &[usize])] = &[
    (
        "commonmark",
        "a relative link or image destination is looked up among the site's notes and files \
         (none in a one-note site), so it renders as a broken link",
        &[194, 195, 203, 204, 484, 492, 495, 496, 498, 499, 500, 502, 503, 504, 522, 573, 576, 577, 578, 580],
    ),
    ("commonmark", "an image inside a link has a relative destination: a broken link", &[517, 520, 531]),
    ("commonmark", "`[link](#fragment)` is checked against the page's headings: a broken link", &[501]),
    (
        "commonmark",
        "GFM autolinks (extension): bare URLs and e-mail addresses become links",
        &[608, 611, 612],
    ),
    (
        "commonmark",
        "GFM disallowed raw HTML (extension): `<script>`, `<style>`, `<textarea>` are escaped",
        &[170, 171, 172, 173, 176, 178],
    ),
    (
        "gfm",
        "a relative link or image destination is looked up among the site's notes and files \
         (none in a one-note site), so it renders as a broken link",
        &[163, 164, 172, 173, 501, 504, 505, 506, 507, 508, 510, 511, 512, 530, 581, 584, 585, 586, 588],
    ),
    ("gfm", "an image inside a link has a relative destination: a broken link", &[525, 528, 539]),
    ("gfm", "`[link](#fragment)` is checked against the page's headings: a broken link", &[509]),
    (
        "gfm",
        "the spec runs its core examples without extensions; Lode always links bare URLs and addresses",
        &[616, 619, 620],
    ),
    (
        "gfm",
        "the spec runs its core examples without extensions; Lode always escapes `<script>` and `<style>`",
        &[140, 141, 142, 145, 147],
    ),
    (
        "commonmark",
        "`#hashtag` is an Obsidian inline tag: a link to its tag page, as Obsidian's reading view shows it",
        &[64],
    ),
    (
        "gfm",
        "`#hashtag` is an Obsidian inline tag: a link to its tag page, as Obsidian's reading view shows it",
        &[34],
    ),
];

/// GFM extensions Lode implements on top of pulldown-cmark: their examples
/// must pass even where bare pulldown-cmark fails them.
const LODE_EXTENSIONS: &[&str] = &["autolink", "tagfilter"];

struct Example {
    number: usize,
    section: String,
    extension: Option<String>,
    markdown: String,
    html: String,
}

/// The examples of a spec text, numbered from 1 as the spec's own runner does.
fn examples(spec: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if let Some(kind) = line.strip_prefix(FENCE).and_then(|rest| rest.strip_prefix(" example")) {
            let mut markdown = String::new();
            let mut html = String::new();
            let mut in_html = false;
            for line in lines.by_ref() {
                if line == FENCE {
                    break;
                } else if line == "." && !in_html {
                    in_html = true;
                } else {
                    let target = if in_html { &mut html } else { &mut markdown };
                    target.push_str(&line.replace('→', "\t"));
                    target.push('\n');
                }
            }
            let kind = kind.trim();
            out.push(Example {
                number: out.len() + 1,
                section: section.clone(),
                extension: (!kind.is_empty()).then(|| kind.to_string()),
                markdown,
                html,
            });
        } else if line.starts_with('#') {
            section = line.trim_start_matches('#').trim().to_string();
        }
    }
    out
}

fn bare(markdown: &str) -> String {
    let mut html = String::new();
    push_html(&mut html, Parser::new_ext(markdown, options()));
    html
}

/// Code blocks without the token spans Lode's highlighting adds
/// (`<span class="hl-k">`, `crate::code`): inside `<pre><code>` every `<`
/// of the code is escaped, so each tag there is one of them.
fn without_highlighting(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<pre><code") {
        let Some(end) = rest[start..].find("</code></pre>").map(|e| start + e) else { break };
        out.push_str(&rest[..start]);
        let block = &rest[start..end];
        let open_end = block.find('>').map_or(0, |i| i + 1);
        out.push_str(&block[..open_end]);
        let mut inner = &block[open_end..];
        while let Some(lt) = inner.find('<') {
            out.push_str(&inner[..lt]);
            inner = inner[lt..].find('>').map_or("", |gt| &inner[lt + gt + 1..]);
        }
        out.push_str(inner);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `html` without the closing tags Lode writes after a body for the raw
/// HTML elements it leaves open (`Scan::unclosed_html`, warning L0405, so
/// that the page's own tags after the body stay the page's): a spec
/// example is a fragment, and leaves them open. Only the closers Lode's
/// scan names are taken off, last first; anything else stays to compare.
fn without_closers(html: &str, markdown: &str) -> String {
    let mut html = html;
    for u in &lode::content::scan::scan(markdown).unclosed_html {
        match html.strip_suffix(&format!("</{}>\n", u.name)) {
            Some(rest) => html = rest,
            None => break,
        }
    }
    html.to_string()
}

/// HTML as the spec runners compare it: void tags in one spelling, no line
/// breaks between tags; and without what Lode adds to headings (ids, anchor
/// links) or drops (comments).
fn normalize(html: &str) -> String {
    let html = html
        .replace("<br>", "<br />")
        .replace("<br/>", "<br />")
        .replace("<hr>", "<hr />")
        .replace("<hr/>", "<hr />");
    // The box Lode writes around each table, to scroll it on a phone.
    let html = html
        .replace(&lode::render::body::table_wrap("Table"), "")
        .replace("</table>\n</div>\n", "</table>\n");
    let html = without_comments(&html);
    let html = without_highlighting(&html);
    let html = without_heading_anchors(&html);
    let html = without_heading_ids(&html);
    between_tags(&html).trim().to_string()
}

/// `html` without whitespace holding a line break between a `>` and a `<`.
fn between_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('>') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let gap = rest.len() - rest.trim_start().len();
        if rest[gap..].starts_with('<') && rest[..gap].contains('\n') {
            rest = &rest[gap..];
        }
    }
    out.push_str(rest);
    out
}

/// `<!-->`, `<!--->` and `<!-- … -->` removed (CommonMark 0.31.2, "HTML comment").
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let end = if after.starts_with('>') {
            1
        } else if after.starts_with("->") {
            2
        } else {
            match after.find("-->") {
                Some(i) => i + 3,
                None => after.len(),
            }
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn without_heading_anchors(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(" <a class=\"heading-anchor\"") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        rest = after.find("</a>").map_or("", |i| &after[i + 4..]);
    }
    out.push_str(rest);
    out
}

fn without_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<h") {
        let tag_end = rest[start..].find('>').map_or(rest.len(), |i| start + i);
        let tag = &rest[start..tag_end];
        let is_heading = tag.len() >= 3 && (b'1'..=b'6').contains(&tag.as_bytes()[2]);
        out.push_str(&rest[..start]);
        match tag.find(" id=\"") {
            Some(i) if is_heading => {
                out.push_str(&tag[..i]);
                let value_end = tag[i + 5..].find('"').map_or(tag.len(), |e| i + 5 + e + 1);
                out.push_str(&tag[value_end..]);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

/// Runs every example of `file`; panics with a summary if Lode misses one it must pass.
fn run(name: &str, file: &str) {
    let path = format!("{}/tests/spec/{file}", env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let examples = examples(&spec);
    assert!(examples.len() > 600, "{path}: only {} examples found", examples.len());
    let exceptions: BTreeMap<usize, &str> = EXCEPTIONS
        .iter()
        .filter(|(spec, ..)| *spec == name)
        .flat_map(|(_, why, numbers)| numbers.iter().map(move |n| (*n, *why)))
        .collect();
    let (mut lode_passed, mut bare_passed, mut total) = (0, 0, 0);
    let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut stale = Vec::new();
    for example in &examples {
        // The GFM spec's task-list examples for a disabled extension.
        if example.extension.as_deref() == Some("disabled") {
            continue;
        }
        total += 1;
        let expected = normalize(&example.html);
        let lode = render_markdown(&example.markdown).unwrap_or_else(|e| panic!("{e:?}"));
        let lode = without_closers(&lode, &example.markdown);
        let lode_ok = normalize(&lode) == expected;
        let bare_ok = normalize(&bare(&example.markdown)) == expected;
        lode_passed += usize::from(lode_ok);
        bare_passed += usize::from(bare_ok);
        let required = bare_ok || example.extension.as_deref().is_some_and(|e| LODE_EXTENSIONS.contains(&e));
        match exceptions.get(&example.number) {
            Some(_) if lode_ok || !required => stale.push(example.number),
            Some(_) => {}
            None if required && !lode_ok => failures.entry(&example.section).or_default().push(format!(
                "example {} ({}):\n--- markdown\n{}--- expected\n{}--- lode\n{}",
                example.number, example.section, example.markdown, example.html, lode
            )),
            None => {}
        }
    }
    let summary = format!(
        "{name}: Lode passes {lode_passed} of {total} examples, bare pulldown-cmark {bare_passed}; \
         {} listed exceptions",
        exceptions.len()
    );
    eprintln!("{summary}");
    if failures.is_empty() && stale.is_empty() {
        return;
    }
    let mut report = format!("{summary}\n");
    for (section, list) in &failures {
        writeln!(report, "{section}: {} failing", list.len()).ok();
    }
    if !stale.is_empty() {
        writeln!(report, "exceptions that no longer apply (Lode passes, or bare fails): {stale:?}").ok();
    }
    for list in failures.values() {
        for failure in list {
            writeln!(report, "\n{failure}").ok();
        }
    }
    panic!("{report}");
}

#[test]
fn commonmark_spec() {
    run("commonmark", "commonmark-0.31.2.txt");
}

#[test]
fn gfm_spec() {
    run("gfm", "gfm-0.29.txt");
}
