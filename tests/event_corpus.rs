//! Runs the event-type corpus: fixtures/events/<lang>.jsonl (see fixtures/events/README.md).
//!
//! Each case is a short report written for these tests, with the ACLED sub-event type of its main event.

mod common;

use std::path::Path;

use newsx::{Article, Engine};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    text: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    note: Option<String>,
}

fn run(lang: &str, path: &Path) -> (usize, Vec<String>) {
    common::run_cases(lang, path, |engine, id, case: Case| {
        let record = engine.extract(Article::new(id, "-", &case.text));
        let expected_category = newsx::extract::event::category(&case.kind).unwrap_or("none");
        (record.event.kind != case.kind || record.event.category != expected_category).then(|| {
            format!(
                "expected {}, got {} ({}){}\n    {}",
                case.kind,
                record.event.kind,
                record.event.category,
                case.note.map(|n| format!(" [{n}]")).unwrap_or_default(),
                common::opening(&case.text)
            )
        })
    })
}

#[test]
fn event_corpus() {
    common::run_corpus("events", run);
}

#[test]
fn seeds_are_air_strikes_with_their_dates() {
    let engine = Engine::new().expect("engine");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let expect = [
        (
            "000_1bb18b833c1b86b5",
            Some("2021-06-28"),
            Some("2021-06-28"),
        ),
        ("001_2fc57e07c3252072", None, None),
        (
            "002_a6c7a10a52cf5381",
            Some("2021-08-03"),
            Some("2021-06-28"),
        ),
        ("003_22fd43ed1d38bb63", None, None),
        ("004_4c26dc3df22418d2", None, None),
    ];
    for (id, published, date) in expect {
        let text = std::fs::read_to_string(dir.join(format!("{id}.txt"))).expect("seed");
        let r = engine.extract(Article::new(id, id, &text));
        assert_eq!(r.published.as_deref(), published, "{id} published");
        assert_eq!(r.event.date.as_deref(), date, "{id} event date");
        assert_eq!(r.event.kind, "air_drone_strike", "{id} type");
        assert_eq!(
            r.event.category, "explosions_remote_violence",
            "{id} category"
        );
    }
}
