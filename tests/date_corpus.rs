//! Runs the date corpus: fixtures/dates/<lang>.jsonl (see fixtures/dates/README.md).
//!
//! Each case is an article written for these tests; the test checks the publication date found in its
//! header lines, or, given a publication date, the event date resolved from its text.

mod common;

use std::path::Path;

use newsx::Article;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    /// The article text.
    text: String,
    /// `dateline`: check `published` as found in the text. `event`: pass `published` in and check
    /// `event_date`.
    kind: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    event_date: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

fn run(lang: &str, path: &Path) -> (usize, Vec<String>) {
    common::run_cases(lang, path, |engine, id, case: Case| {
        let mut article = Article::new(id, "-", &case.text);
        let (field, expected, got) = match case.kind.as_str() {
            "dateline" => {
                let record = engine.extract(article);
                ("published", case.published.clone(), record.published)
            }
            "event" => {
                article.published = case.published.clone();
                let record = engine.extract(article);
                ("event.date", case.event_date.clone(), record.event.date)
            }
            other => panic!("{}: {id}: unknown kind {other:?}", path.display()),
        };
        (expected != got).then(|| {
            format!(
                "{field}: expected {expected:?}, got {got:?}{}\n    {}",
                case.note.map(|n| format!(" ({n})")).unwrap_or_default(),
                common::opening(&case.text)
            )
        })
    })
}

#[test]
fn date_corpus() {
    common::run_corpus("dates", run);
}

mod robustness {
    use std::sync::LazyLock;

    use newsx::{Article, Engine};
    use proptest::prelude::*;

    static ENGINES: LazyLock<Vec<Engine>> = LazyLock::new(|| {
        ["en", "fr", "es", "pt", "it", "de", "ru", "ar"]
            .iter()
            .map(|c| {
                Engine::new()
                    .expect("engine")
                    .with_language(Some(c.to_string()))
            })
            .collect()
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Dates and event types never panic, whatever the text and the publication date.
        #[test]
        fn any_text(text in "(\\PC|[\\n()0-9./:-]|Monday|juin|2021|يونيو|июня| ){0,300}", day in 1u8..=28) {
            for engine in ENGINES.iter() {
                let mut a = Article::new("p", "-", &text);
                a.published = Some(format!("2021-06-{day:02}"));
                let r = engine.extract(a);
                prop_assert!(r.event.date.is_none_or(|d| d.len() == 10));
            }
        }
    }
}
