//! Queries over typed notes: the syntax of a ` ```query ` block, read at
//! scan time, and how one note's value satisfies a condition or sorts. A
//! leaf: it knows nothing of the site (`check::query` checks a query
//! against its collection's schema, `render::query` runs it at build time).
//!
//! The words are Dataview's (DQL: `TABLE`, `LIST`, `FROM`, `WHERE`,
//! `SORT`, `LIMIT`; <https://blacksmithgu.github.io/obsidian-dataview/queries/structure/>),
//! so an Obsidian user reads a Lode query at once, but the grammar is
//! smaller and stricter: one clause per line, in any order, each at most
//! once (`where` may repeat: the lines must all hold), keywords in any case.
//!
//! ```text
//! table symbol, china_share as "China's share"   (or: list [field])
//! from minerals                                  (a collection's folder, or #tag)
//! where china_share and india_list = true        (= != < <= > >= contains; and, or)
//! sort title asc                                 (asc or desc; several, comma-separated)
//! limit 10
//! ```
//!
//! A `where` condition is a field alone (it holds when the note has a
//! value there, as Dataview's truthiness: not empty, not `false`) or a
//! field, an operator and a value: a number (`50`, `2.5`), text in double
//! quotes, `true`/`false`, or a date `YYYY-MM-DD`. `and` binds tighter than
//! `or`; there are no parentheses.

use std::cmp::Ordering;
use std::ops::Range;

use serde_json::Value as Json;

/// A query block as read: what it shows, from where, which notes, in which order.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// A table or a list.
    pub output: Output,
    /// The notes it reads.
    pub from: Spanned<Source>,
    /// The `where` lines, all of which must hold; each is `or` of `and`s.
    pub filters: Vec<Vec<Vec<Condition>>>,
    /// The sort keys, first first; none keeps the source's order.
    pub sort: Vec<SortKey>,
    /// At most this many notes are shown.
    pub limit: Option<usize>,
}

/// A ` ```query ` block of a note's body, read at scan time.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Byte range of the whole fenced block in the body (its `Start` event's).
    pub span: Range<usize>,
    /// The query, or every mistake in its syntax.
    pub query: Result<Query, Vec<Problem>>,
}

/// A value with the byte range of the body it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Byte range in the note's body.
    pub span: Range<usize>,
}

/// How the notes found are shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// `table f, g as "G"`: a row per note, its title (linked) first, then the columns.
    Table(Vec<Column>),
    /// `list` or `list f`: an item per note, its title (linked), then the field's value.
    List(Option<Column>),
}

/// A column of a table (or the field a list shows).
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The field.
    pub field: Spanned<String>,
    /// Its header from `as "…"`; else the field's name.
    pub label: Option<String>,
}

/// Where a query's notes come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A collection, by folder (`minerals`) or title.
    Collection(String),
    /// The notes carrying a tag (`#china`), without the `#`.
    Tag(String),
}

/// One comparison of a `where` line.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The field compared.
    pub field: Spanned<String>,
    /// The operator and the value; `None` for a field alone (it has a value).
    pub test: Option<(Spanned<Op>, Spanned<Literal>)>,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains`: a list has the value as an item; text has it as a part (case-sensitive, as Dataview's).
    Contains,
}

/// The operators as written, for parsing and hints.
pub const OPERATORS: &[(&str, Op)] = &[
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("!=", Op::Ne),
    ("=", Op::Eq),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("contains", Op::Contains),
];

impl Op {
    /// How it is written.
    pub fn as_str(self) -> &'static str {
        OPERATORS.iter().find(|(_, op)| *op == self).map_or("=", |(s, _)| s)
    }

    /// Whether it orders values (`<`, `<=`, `>`, `>=`).
    pub fn orders(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }
}

/// A value written in a condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// A number (`50`, `2.5`, `-3`).
    Number(f64),
    /// Text in double quotes.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A date, `YYYY-MM-DD`, unquoted: compared with dates as written in front matter.
    Date(String),
}

impl Literal {
    /// What kind of value it is, for messages: `a number`.
    pub fn kind(&self) -> &'static str {
        match self {
            Literal::Number(_) => "a number",
            Literal::Text(_) => "text",
            Literal::Bool(_) => "true or false",
            Literal::Date(_) => "a date",
        }
    }
}

/// One sort key.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    /// The field.
    pub field: Spanned<String>,
    /// Largest (or latest, or last) first.
    pub descending: bool,
}

/// A mistake in a query's syntax, at a byte range of the body.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Byte range in the note's body.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// The clauses, as written (lowercase), for "did you mean".
pub const CLAUSES: &[&str] = &["table", "list", "from", "where", "sort", "limit"];

/// Whether a fenced code block's info string makes it a query (` ```query `).
pub fn is_query_info(info: &str) -> bool {
    info.split_whitespace().next() == Some("query")
}

/// The closest of `known` to `word` when it is close enough to be a typo
/// (Damerau–Levenshtein distance at most a third of its length, at least 1;
/// compared folded), for a "did you mean" hint.
pub fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = word.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&wanted, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// A token of a line, with its byte range in the body.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A name or number as written (`china_share`, `50`, `2024-09-01`, `#tag`).
    Word(String),
    /// Text in double quotes, unquoted (`\"` and `\\` escaped).
    Quoted(String),
    /// `,`
    Comma,
    /// An operator sign (`=`, `!=`, `<`, `<=`, `>`, `>=`), or a stray sign.
    Sign(String),
}

fn tokens(line: &str, at: usize) -> Result<Vec<(Token, Range<usize>)>, Problem> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let c = line[i..].chars().next().unwrap_or(' ');
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == '"' {
            let mut text = String::new();
            i += 1;
            let mut closed = false;
            while i < line.len() {
                let c = line[i..].chars().next().unwrap_or('"');
                i += c.len_utf8();
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' if i < line.len() => {
                        let next = line[i..].chars().next().unwrap_or('\\');
                        i += next.len_utf8();
                        text.push(next);
                    }
                    c => text.push(c),
                }
            }
            if !closed {
                return Err(Problem {
                    span: at + start..at + line.len(),
                    message: "this text has no closing double quote".into(),
                    help: "close the text with `\"` on the same line".into(),
                });
            }
            out.push((Token::Quoted(text), at + start..at + i));
        } else if c == ',' {
            i += 1;
            out.push((Token::Comma, at + start..at + i));
        } else if is_sign(c) {
            // A run of signs is one token: `=>` is one mistyped operator.
            while i < line.len() && is_sign(bytes[i] as char) {
                i += 1;
            }
            out.push((Token::Sign(line[start..i].to_string()), at + start..at + i));
        } else {
            while i < line.len() {
                let c = line[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() || matches!(c, ',' | '"') || is_sign(c) {
                    break;
                }
                i += c.len_utf8();
            }
            out.push((Token::Word(line[start..i].to_string()), at + start..at + i));
        }
    }
    Ok(out)
}

/// Whether `c` is one of the characters operators are written with.
fn is_sign(c: char) -> bool {
    matches!(c, '=' | '!' | '<' | '>' | '~')
}

/// Reads a query from its lines: each line's text (without its line
/// ending) and the byte offset in the body where it starts. Every problem
/// is returned, each at its place; a query with any is not run.
pub fn parse(lines: &[(&str, usize)], block: Range<usize>) -> Result<Query, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut output: Option<Output> = None;
    let mut from: Option<Spanned<Source>> = None;
    let mut filters = Vec::new();
    let mut sort: Option<Vec<SortKey>> = None;
    let mut limit: Option<usize> = None;
    let mut seen: Vec<&str> = Vec::new();
    for (line, at) in lines {
        let toks = match tokens(line, *at) {
            Ok(t) => t,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let Some((Token::Word(first), first_span)) = toks.first().cloned() else {
            if let Some((_, span)) = toks.first() {
                problems.push(Problem {
                    span: span.clone(),
                    message: "a query line starts with its clause".into(),
                    help: format!("start the line with one of {}", CLAUSES.join(", ")),
                });
            }
            continue;
        };
        let clause = first.to_lowercase();
        let Some(clause) = CLAUSES.iter().copied().find(|c| *c == clause) else {
            let hint = match nearest(&first, CLAUSES.iter().copied()) {
                Some(near) => {
                    format!("did you mean `{near}`? A line starts with one of {}", CLAUSES.join(", "))
                }
                None => format!("a line starts with one of {}, one clause per line", CLAUSES.join(", ")),
            };
            problems.push(Problem {
                span: first_span,
                message: format!("`{first}` is not a query clause"),
                help: hint,
            });
            continue;
        };
        let once = if clause == "list" { "table" } else { clause };
        if clause != "where" && seen.contains(&once) {
            problems.push(Problem {
                span: first_span,
                message: format!("a query has one `{clause}` line, and this is its second"),
                help: "merge the two lines into one (`where` is the only clause that may repeat)".into(),
            });
            continue;
        }
        seen.push(once);
        let rest = &toks[1..];
        let end = at + line.len();
        let result = match clause {
            "table" => columns(rest, end).map(|c| output = Some(Output::Table(c))),
            "list" => columns(rest, end).and_then(|mut c| {
                if c.len() > 1 {
                    return Err(Problem {
                        span: c[1].field.span.clone(),
                        message: "a list shows one field beside each note".into(),
                        help: "use `table` to show several fields".into(),
                    });
                }
                output = Some(Output::List(c.pop()));
                Ok(())
            }),
            "from" => source(rest, first_span.clone(), end).map(|s| from = Some(s)),
            "where" => condition(rest, first_span.clone(), end).map(|f| filters.push(f)),
            "sort" => sort_keys(rest, first_span.clone(), end).map(|s| sort = Some(s)),
            _ => number(rest, first_span.clone(), end).map(|n| limit = Some(n)),
        };
        if let Err(p) = result {
            problems.push(p);
        }
    }
    if from.is_none() && problems.is_empty() {
        problems.push(Problem {
            span: block.clone(),
            message: "this query has no `from` line: it reads no notes".into(),
            help: "add a line `from FOLDER` (a collection) or `from #tag`".into(),
        });
    }
    match (problems.is_empty(), from) {
        (true, Some(from)) => Ok(Query {
            output: output.unwrap_or(Output::List(None)),
            from,
            filters,
            sort: sort.unwrap_or_default(),
            limit,
        }),
        _ => Err(problems),
    }
}

fn expected(span: Range<usize>, what: &str, help: &str) -> Problem {
    Problem { span, message: format!("expected {what} here"), help: help.into() }
}

/// Where a missing token would be: just after the last one (or the clause).
fn after(toks: &[(Token, Range<usize>)], clause: &Range<usize>) -> Range<usize> {
    let end = toks.last().map_or(clause.end, |(_, s)| s.end);
    end..end
}

fn field_name(token: &(Token, Range<usize>), help: &str) -> Result<Spanned<String>, Problem> {
    match token {
        (Token::Word(w), span) if !w.starts_with('#') && w.parse::<f64>().is_err() => {
            Ok(Spanned { value: w.clone(), span: span.clone() })
        }
        (_, span) => Err(expected(span.clone(), "a field name", help)),
    }
}

fn columns(toks: &[(Token, Range<usize>)], end: usize) -> Result<Vec<Column>, Problem> {
    let help = "name fields separated by commas: `table symbol, china_share as \"China's share\"`";
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let field = field_name(&toks[i], help)?;
        i += 1;
        let mut label = None;
        if let Some((Token::Word(w), span)) = toks.get(i)
            && w.eq_ignore_ascii_case("as")
        {
            label = Some(match toks.get(i + 1) {
                Some((Token::Quoted(t) | Token::Word(t), _)) => t.clone(),
                _ => return Err(expected(span.end..span.end, "a column header after `as`", help)),
            });
            i += 2;
        }
        out.push(Column { field, label });
        match toks.get(i) {
            None => {}
            Some((Token::Comma, s)) if i + 1 == toks.len() => {
                return Err(expected(s.end..end, "a field name", help));
            }
            Some((Token::Comma, _)) => i += 1,
            Some((_, span)) => return Err(expected(span.clone(), "a comma", help)),
        }
    }
    Ok(out)
}

fn source(
    toks: &[(Token, Range<usize>)],
    clause: Range<usize>,
    _end: usize,
) -> Result<Spanned<Source>, Problem> {
    let help = "write `from FOLDER` (a collection, as its folder is named) or `from #tag`";
    match toks {
        [(Token::Word(w), span)] if w.len() > 1 && w.starts_with('#') => {
            Ok(Spanned { value: Source::Tag(w[1..].to_string()), span: span.clone() })
        }
        [(Token::Word(w) | Token::Quoted(w), span)] if !w.starts_with('#') && !w.is_empty() => {
            Ok(Spanned { value: Source::Collection(w.trim_matches('/').to_string()), span: span.clone() })
        }
        [] => Err(expected(after(toks, &clause), "a collection or a #tag", help)),
        [_, (_, span), ..] => Err(Problem {
            span: span.clone(),
            message: "a query reads one collection or one tag".into(),
            help: "keep one source; filter the notes further with `where`".into(),
        }),
        [(_, span)] => Err(expected(span.clone(), "a collection or a #tag", help)),
    }
}

fn literal(token: &(Token, Range<usize>)) -> Option<Literal> {
    match &token.0 {
        Token::Quoted(t) => Some(Literal::Text(t.clone())),
        Token::Word(w) if w == "true" || w == "false" => Some(Literal::Bool(w == "true")),
        Token::Word(w) if is_date(w) => Some(Literal::Date(w.clone())),
        Token::Word(w) => w.parse::<f64>().ok().filter(|n| n.is_finite()).map(Literal::Number),
        _ => None,
    }
}

/// `YYYY-MM-DD`, as front matter writes a day.
fn is_date(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

fn condition(
    toks: &[(Token, Range<usize>)],
    clause: Range<usize>,
    _end: usize,
) -> Result<Vec<Vec<Condition>>, Problem> {
    let help = "write `where FIELD`, or `where FIELD OP VALUE` with OP one of = != < <= > >= contains, joined by `and`/`or`";
    let mut ors: Vec<Vec<Condition>> = vec![Vec::new()];
    let mut i = 0;
    if toks.is_empty() {
        return Err(expected(after(toks, &clause), "a condition", help));
    }
    loop {
        let Some(tok) = toks.get(i) else {
            return Err(expected(after(toks, &clause), "a condition", help));
        };
        let field = field_name(tok, help)?;
        i += 1;
        let mut test = None;
        let joiner = |t: Option<&(Token, Range<usize>)>| match t {
            Some((Token::Word(w), _)) => w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("or"),
            _ => false,
        };
        if let Some(next) = toks.get(i)
            && !joiner(Some(next))
        {
            let op = match next {
                (Token::Sign(s), span) | (Token::Word(s), span) => {
                    match OPERATORS.iter().find(|(w, _)| w.eq_ignore_ascii_case(s)) {
                        Some((_, op)) => Spanned { value: *op, span: span.clone() },
                        None => {
                            let signs = OPERATORS.iter().map(|(w, _)| *w);
                            // `=>` for `>=`, `==` for `=`, `contians` for `contains`.
                            let reversed: String = s.chars().rev().collect();
                            let near = match OPERATORS.iter().find(|(w, _)| *w == reversed || s == "==") {
                                Some(_) if s == "==" => Some("="),
                                Some((w, _)) => Some(*w),
                                None => nearest(s, signs).filter(|_| s.chars().all(char::is_alphanumeric)),
                            };
                            return Err(Problem {
                                span: span.clone(),
                                message: format!("`{s}` is not a query operator"),
                                help: match near {
                                    Some(n) => format!(
                                        "did you mean `{n}`? The operators are = != < <= > >= contains"
                                    ),
                                    None => "the operators are = != < <= > >= contains".into(),
                                },
                            });
                        }
                    }
                }
                (_, span) => return Err(expected(span.clone(), "an operator", help)),
            };
            i += 1;
            let Some(value_tok) = toks.get(i) else {
                return Err(expected(after(toks, &clause), "a value to compare with", help));
            };
            let Some(value) = literal(value_tok) else {
                return Err(Problem {
                    span: value_tok.1.clone(),
                    message:
                        "expected a value: a number, text in double quotes, true, false or a date YYYY-MM-DD"
                            .into(),
                    help: match &value_tok.0 {
                        Token::Word(w) => format!("put text in double quotes: \"{w}\""),
                        _ => help.into(),
                    },
                });
            };
            test = Some((op, Spanned { value, span: value_tok.1.clone() }));
            i += 1;
        }
        if let Some(last) = ors.last_mut() {
            last.push(Condition { field, test });
        }
        match toks.get(i) {
            None => break,
            Some((Token::Word(w), _)) if w.eq_ignore_ascii_case("and") => i += 1,
            Some((Token::Word(w), _)) if w.eq_ignore_ascii_case("or") => {
                ors.push(Vec::new());
                i += 1;
            }
            Some((_, span)) => {
                return Err(expected(span.clone(), "`and`, `or` or the end of the line", help));
            }
        }
    }
    Ok(ors)
}

fn sort_keys(
    toks: &[(Token, Range<usize>)],
    clause: Range<usize>,
    _end: usize,
) -> Result<Vec<SortKey>, Problem> {
    let help = "write `sort FIELD` or `sort FIELD desc`, several separated by commas";
    if toks.is_empty() {
        return Err(expected(after(toks, &clause), "a field to sort by", help));
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let field = field_name(&toks[i], help)?;
        i += 1;
        let mut descending = false;
        if let Some((Token::Word(w), span)) = toks.get(i) {
            match w.to_lowercase().as_str() {
                "asc" | "ascending" => i += 1,
                "desc" | "descending" => {
                    descending = true;
                    i += 1;
                }
                _ => {
                    return Err(Problem {
                        span: span.clone(),
                        message: format!("`{w}` is not a sort order"),
                        help: match nearest(w, ["asc", "desc"]) {
                            Some(n) => format!("did you mean `{n}`? After the field write `asc` or `desc`"),
                            None => "after the field write `asc` or `desc`, and separate fields with commas"
                                .into(),
                        },
                    });
                }
            }
        }
        out.push(SortKey { field, descending });
        match toks.get(i) {
            None => {}
            Some((Token::Comma, _)) if i + 1 < toks.len() => i += 1,
            Some((_, span)) => return Err(expected(span.clone(), "a comma and another field", help)),
        }
    }
    Ok(out)
}

fn number(toks: &[(Token, Range<usize>)], clause: Range<usize>, _end: usize) -> Result<usize, Problem> {
    let help = "write `limit N` with N a whole number, 1 or more";
    match toks {
        [(Token::Word(w), span)] => w.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| Problem {
            span: span.clone(),
            message: format!("`{w}` is not a number of notes"),
            help: help.into(),
        }),
        [] => Err(expected(after(toks, &clause), "a number", help)),
        [_, (_, span), ..] | [(_, span)] => Err(expected(span.clone(), "one whole number", help)),
    }
}

/// Whether a value counts as present for a field alone in `where`
/// (Dataview's truthiness): not null, not `false`, not empty text or list.
pub fn present(value: Option<&Json>) -> bool {
    match value {
        None | Some(Json::Null) | Some(Json::Bool(false)) => false,
        Some(Json::String(s)) => !s.trim().is_empty(),
        Some(Json::Array(a)) => !a.is_empty(),
        Some(Json::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

/// Whether `value` satisfies `op literal`. A value of another type than
/// the literal (a note breaking its schema, reported there) satisfies
/// nothing but `!=`.
pub fn holds(value: Option<&Json>, op: Op, literal: &Literal) -> bool {
    let Some(value) = value.filter(|v| !v.is_null()) else { return op == Op::Ne };
    if op == Op::Contains {
        return match value {
            Json::Array(items) => items.iter().any(|item| compare(item, literal) == Some(Ordering::Equal)),
            Json::String(s) => match literal {
                Literal::Text(t) | Literal::Date(t) => s.contains(t.as_str()),
                Literal::Number(_) | Literal::Bool(_) => false,
            },
            _ => false,
        };
    }
    match compare(value, literal) {
        None => op == Op::Ne,
        Some(ord) => match op {
            Op::Eq => ord == Ordering::Equal,
            Op::Ne => ord != Ordering::Equal,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
            Op::Contains => false,
        },
    }
}

/// `value` compared with `literal`, `None` when they are of different types.
fn compare(value: &Json, literal: &Literal) -> Option<Ordering> {
    match (value, literal) {
        (Json::Number(n), Literal::Number(l)) => n.as_f64()?.partial_cmp(l),
        (Json::String(s), Literal::Text(t) | Literal::Date(t)) => Some(s.as_str().cmp(t.as_str())),
        (Json::Bool(b), Literal::Bool(l)) => Some(b.cmp(l)),
        _ => None,
    }
}

/// A note's value of a sort field, made once per note (not per
/// comparison): numbers by value, text case-insensitively (then as
/// written), `false` before `true`, lists by their items as text; a value
/// of one kind before every value of the next, in that order.
#[derive(Clone, Debug, PartialEq)]
pub enum SortValue {
    /// A number.
    Number(f64),
    /// Text: lowercased, then as written.
    Text(String, String),
    /// `true` or `false`.
    Bool(bool),
    /// A list or a table, as text.
    Other(String),
    /// No value: sorted after every other in either direction.
    Missing,
}

impl SortValue {
    /// The sort value of a field's value.
    pub fn of(value: Option<&Json>) -> SortValue {
        match value {
            None | Some(Json::Null) => SortValue::Missing,
            Some(Json::Number(n)) => SortValue::Number(n.as_f64().unwrap_or(0.0)),
            Some(Json::String(s)) => SortValue::Text(s.to_lowercase(), s.clone()),
            Some(Json::Bool(b)) => SortValue::Bool(*b),
            Some(other) => SortValue::Other(other.to_string()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            SortValue::Number(_) => 0,
            SortValue::Text(..) => 1,
            SortValue::Bool(_) => 2,
            SortValue::Other(_) => 3,
            SortValue::Missing => 4,
        }
    }

    /// The order of two values under a key, `descending` or not; missing
    /// values last either way.
    pub fn order(&self, other: &SortValue, descending: bool) -> Ordering {
        let ascending = match (self, other) {
            (SortValue::Missing, SortValue::Missing) => return Ordering::Equal,
            (SortValue::Missing, _) => return Ordering::Greater,
            (_, SortValue::Missing) => return Ordering::Less,
            (SortValue::Number(x), SortValue::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
            (SortValue::Text(x, a), SortValue::Text(y, b)) => x.cmp(y).then_with(|| a.cmp(b)),
            (SortValue::Bool(x), SortValue::Bool(y)) => x.cmp(y),
            (SortValue::Other(x), SortValue::Other(y)) => x.cmp(y),
            _ => self.rank().cmp(&other.rank()),
        };
        if descending { ascending.reverse() } else { ascending }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(&str, usize)> {
        let mut at = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let start = at;
                at += l.len();
                (l.trim_end_matches('\n'), start)
            })
            .collect()
    }

    fn read(text: &str) -> Result<Query, Vec<Problem>> {
        parse(&lines(text), 0..text.len())
    }

    #[test]
    fn a_full_query_reads_every_clause() {
        let q = read(
            "TABLE symbol, china_share as \"China's share\"\nfrom minerals\nwhere share >= 50 and india_list or tags contains \"x\"\nsort share desc, title\nlimit 3\n",
        )
        .unwrap();
        let Output::Table(cols) = &q.output else { panic!() };
        assert_eq!(cols.len(), 2);
        assert_eq!(cols[1].label.as_deref(), Some("China's share"));
        assert_eq!(q.from.value, Source::Collection("minerals".into()));
        assert_eq!(q.filters[0].len(), 2);
        assert_eq!(q.filters[0][0].len(), 2);
        assert!(q.filters[0][0][1].test.is_none());
        assert_eq!(q.sort.len(), 2);
        assert!(q.sort[0].descending && !q.sort[1].descending);
        assert_eq!(q.limit, Some(3));
        assert_eq!(read("list\nfrom #china\n").unwrap().from.value, Source::Tag("china".into()));
    }

    #[test]
    fn mistakes_are_found_at_their_place_with_a_hint() {
        let text = "tabel symbol\nfrom minerals\nwhere share => 5\nsort share up\nlimit x\n";
        let problems = read(text).unwrap_err();
        let at: Vec<&str> = problems.iter().map(|p| &text[p.span.clone()]).collect();
        assert_eq!(at, ["tabel", "=>", "up", "x"]);
        assert!(problems[0].help.contains("did you mean `table`"), "{problems:?}");
        assert!(problems[1].help.starts_with("did you mean `>=`?"), "{problems:?}");
        assert!(
            read("from a\nwhere x contians 3\n").unwrap_err()[0].help.starts_with("did you mean `contains`?")
        );
        assert!(read("table a\n").unwrap_err()[0].message.contains("no `from`"));
        assert!(read("from a\nwhere x = unquoted\n").unwrap_err()[0].help.contains("\"unquoted\""));
        assert!(read("from a\nwhere x ~ 3\n").unwrap_err()[0].message.contains("`~`"));
        assert_eq!(read("from a\nfrom b\n").unwrap_err().len(), 1);
    }

    #[test]
    fn conditions_compare_values_of_their_own_type() {
        let n = serde_json::json!(58);
        assert!(holds(Some(&n), Op::Ge, &Literal::Number(50.0)));
        assert!(!holds(Some(&n), Op::Lt, &Literal::Number(50.0)));
        assert!(!holds(Some(&n), Op::Eq, &Literal::Text("58".into())));
        assert!(holds(None, Op::Ne, &Literal::Number(1.0)));
        let list = serde_json::json!(["a", "b"]);
        assert!(holds(Some(&list), Op::Contains, &Literal::Text("b".into())));
        assert!(holds(Some(&serde_json::json!("2024-09-01")), Op::Lt, &Literal::Date("2025-01-01".into())));
        assert!(present(Some(&serde_json::json!("x"))) && !present(Some(&serde_json::json!(""))));
        let (some, none) = (SortValue::of(Some(&n)), SortValue::of(None));
        assert_eq!(some.order(&none, false), Ordering::Less);
        assert_eq!(some.order(&none, true), Ordering::Less, "missing values come last either way");
        let (a, b) = (
            SortValue::of(Some(&serde_json::json!("apple"))),
            SortValue::of(Some(&serde_json::json!("Banana"))),
        );
        assert_eq!(a.order(&b, false), Ordering::Less, "text sorts case-insensitively");
    }
}
