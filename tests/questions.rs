//! Self-test questions on real builds: the build-time order of their options
//! (a permutation seeded by the question's id, so the answer's position says
//! nothing), the `shuffle = false` opt-out in TOML and YAML front matter,
//! what the revision data keeps, and the diagnostic for a bad `shuffle`.

mod common;

use common::{TestSite, list, select, text};
use serde_json::Value;

/// FNV-1a 64, written out here rather than taken from the crate, so the test
/// checks the documented rule and not the code against itself.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

/// The documented order: options sorted by FNV-1a 64 of id + NUL + text.
fn hash_order(id: &str, options: &[&str]) -> Vec<String> {
    let mut sorted: Vec<&str> = options.to_vec();
    sorted.sort_by_key(|o| fnv1a64(format!("{id}\u{0}{o}").as_bytes()));
    sorted.into_iter().map(String::from).collect()
}

/// The questions of a note page: (li id, data-revise-id, options as shown, answer text).
fn page_questions(site: &TestSite, page: &str) -> Vec<(String, String, Vec<String>, String)> {
    let html = site.page(page);
    select(&html, "li.question")
        .iter()
        .map(|li| {
            let options: Vec<String> = li
                .select(&scraper::Selector::parse("ol.options > li").unwrap())
                .map(|o| text(&o).trim().to_string())
                .collect();
            let answer = li.select(&scraper::Selector::parse("details.answer").unwrap()).next().unwrap();
            (
                li.value().attr("id").unwrap().to_string(),
                li.value().attr("data-revise-id").unwrap_or_default().to_string(),
                options,
                text(&answer),
            )
        })
        .collect()
}

const OPTIONS: [&str; 4] = ["Copper", "Gold", "Zinc", "Lead"];

fn site() -> TestSite {
    let mut toml = String::from("+++\ntitle = \"Tin\"\n");
    for q in 0..3 {
        toml.push_str(&format!(
            "\n[[questions]]\nquestion = \"Question {q}?\"\noptions = [\"Copper\", \"Gold\", \"Zinc\", \"Lead\"]\nanswer = \"Copper\"\nexplanation = \"Because.\"\n"
        ));
    }
    toml.push_str(
        "\n[[questions]]\nquestion = \"Which statements are right?\"\noptions = [\"1 only\", \"1 and 2 only\", \"1, 2 and 3\"]\nanswer = \"1 and 2 only\"\nshuffle = false\n",
    );
    toml.push_str("+++\nTin.\n");
    TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        ("content/metals/_index.md", "+++\ntitle = \"Metals\"\n+++\n"),
        ("content/metals/tin.md", &toml),
        (
            "content/metals/lead.md",
            "---\ntitle: Lead\nquestions:\n  - question: Which one?\n    options: [\"none\", \"one\", \"two\", \"three\"]\n    answer: \"one\"\n    shuffle: false\n  - question: Which metal?\n    options: [\"Copper\", \"Gold\", \"Zinc\", \"Lead\"]\n    answer: \"Lead\"\n---\nLead.\n",
        ),
    ])
}

#[test]
fn options_are_shown_in_the_documented_hash_order_unless_shuffle_is_false() {
    let site = site();
    site.build();
    let tin = page_questions(&site, "metals/tin/index.html");
    assert_eq!(tin.len(), 4);
    for (q, (id, revise_id, options, answer)) in tin.iter().enumerate().take(3) {
        assert_eq!(id, &format!("q{}", q + 1));
        assert_eq!(revise_id, &format!("metals/tin/#q{}", q + 1));
        assert_eq!(options, &hash_order(revise_id, &OPTIONS), "{id}");
        assert!(answer.contains("Copper") && answer.contains("Because."), "{answer}");
    }
    // The order depends on the question's id: the three questions with the
    // same options are not all ordered alike.
    assert!(tin[..3].iter().any(|q| q.2 != tin[0].2), "{tin:?}");
    // `shuffle = false` (TOML) keeps the written order.
    assert_eq!(tin[3].2, ["1 only", "1 and 2 only", "1, 2 and 3"]);
    // YAML alike; the question without the key is ordered by the hash.
    let lead = page_questions(&site, "metals/lead/index.html");
    assert_eq!(lead[0].2, ["none", "one", "two", "three"]);
    assert_eq!(lead[1].2, hash_order("metals/lead/#q2", &OPTIONS));

    // Answers stay hidden in <details>, kept out of search with their label.
    let html = site.page("metals/tin/index.html");
    let details = select(&html, "li.question > details.answer[data-pagefind-ignore]");
    assert_eq!(details.len(), 4);
    assert_eq!(text(&select(&html, "details.answer > summary")[0]).trim(), "Show answer");
}

#[test]
fn the_revision_data_keeps_the_written_order_and_says_whether_to_shuffle() {
    let site = site();
    site.build();
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(site.output().join("_lode/revise.json")).unwrap())
            .unwrap();
    let questions = data["questions"].as_array().unwrap();
    let by_id = |id: &str| questions.iter().find(|q| q["id"] == id).unwrap_or_else(|| panic!("{id}: {data}"));
    let q1 = by_id("metals/tin/#q1");
    assert_eq!(q1["options"], serde_json::json!(OPTIONS));
    assert_eq!(q1["shuffle"], true);
    assert_eq!(by_id("metals/tin/#q4")["shuffle"], false);
    assert_eq!(by_id("metals/lead/#q1")["shuffle"], false);
    assert_eq!(by_id("metals/lead/#q2")["shuffle"], true);
}

#[test]
fn an_answer_always_written_first_is_spread_over_the_positions() {
    // Twenty questions whose answer is always written first, as in the
    // flagship before issue 14 (34 of 41 answers were (a)).
    let mut note = String::from("+++\ntitle = \"Quiz\"\n");
    for q in 0..20 {
        note.push_str(&format!(
            "\n[[questions]]\nquestion = \"Q{q}?\"\noptions = [\"right {q}\", \"wrong {q} one\", \"wrong {q} two\", \"wrong {q} three\"]\nanswer = \"right {q}\"\n"
        ));
    }
    note.push_str("+++\nQuiz.\n");
    let site = TestSite::new(&[("content/_index.md", "# Home\n"), ("content/quiz.md", &note)]);
    site.build();
    let questions = page_questions(&site, "quiz/index.html");
    assert_eq!(questions.len(), 20);
    let mut at = [0usize; 4];
    for (q, (_, revise_id, options, _)) in questions.iter().enumerate() {
        let written = [
            format!("right {q}"),
            format!("wrong {q} one"),
            format!("wrong {q} two"),
            format!("wrong {q} three"),
        ];
        let written: Vec<&str> = written.iter().map(String::as_str).collect();
        assert_eq!(options, &hash_order(revise_id, &written));
        at[options.iter().position(|o| o == &format!("right {q}")).unwrap()] += 1;
    }
    assert!(at.iter().all(|&n| n * 100 <= 60 * 20), "answers at each position: {at:?}");
    assert!(at[0] < 20, "{at:?}");
}

#[test]
fn a_shuffle_that_is_not_true_or_false_is_an_error_with_a_hint() {
    for (file, text) in [
        (
            "content/tin.md",
            "+++\ntitle = \"Tin\"\n\n[[questions]]\nquestion = \"Which?\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\nshuffle = \"no\"\n+++\nTin.\n",
        ),
        (
            "content/lead.md",
            "---\ntitle: Lead\nquestions:\n  - question: Which?\n    options: [a, b]\n    answer: a\n    shuffle: 0\n---\nLead.\n",
        ),
    ] {
        let site = TestSite::new(&[("content/_index.md", "# Home\n"), (file, text)]);
        let problems = site.build_err();
        let all = list(&problems);
        let d = problems.iter().find(|d| d.message.contains("shuffle")).unwrap_or_else(|| panic!("{all}"));
        assert!(d.file.ends_with(file.trim_start_matches("content/")), "{all}");
        assert!(d.message.contains("true or false"), "{all}");
        assert!(d.help.as_deref().unwrap_or("").contains("shuffle = false"), "{:?}", d.help);
        // At the value of `shuffle`: line 8 in TOML, line 7 (indented) in YAML.
        let at = if file.ends_with("tin.md") { (8, 11) } else { (7, 14) };
        assert_eq!((d.line, d.column), at, "{all}");
    }
}
