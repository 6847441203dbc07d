//! HTML escaping, shared by every module that writes HTML (the Markdown
//! renderer, callouts, maths, graphs). A leaf: it uses no other module.

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out` HTML-escaped, as [`escape_html`] does, without a
/// string of its own.
pub fn push_escaped(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(&mut *out, text).ok();
}
