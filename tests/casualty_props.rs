//! Property tests of the casualty extractor: no input panics, and every mention's evidence is exactly the
//! article's bytes between its offsets, on character boundaries.

use std::sync::OnceLock;

use proptest::prelude::*;

fn engines() -> &'static Vec<newsx::Engine> {
    static E: OnceLock<Vec<newsx::Engine>> = OnceLock::new();
    E.get_or_init(|| {
        ["en", "fr", "es", "pt", "it", "de", "ru", "ar"]
            .iter()
            .map(|c| {
                newsx::Engine::new()
                    .expect("engine")
                    .with_language(Some(c.to_string()))
            })
            .collect()
    })
}

/// Words that exercise the number and casualty rules of every pack, and characters that the
/// normalization rewrites (quotes, dashes, combining marks, Arabic-Indic digits, tatweel).
const VOCAB: &[&str] = &[
    "killed",
    "killing",
    "dead",
    "wounded",
    "injured",
    "missing",
    "kidnapped",
    "at least",
    "more than",
    "about",
    "up to",
    "or more",
    "between",
    "and",
    "or",
    "to",
    "from",
    "a",
    "an",
    "child",
    "people",
    "soldiers",
    "including",
    "dozens",
    "several",
    "no one was killed",
    "in February",
    "last year",
    "since 2019",
    "said",
    "according to the",
    "Observatory",
    "5",
    "12",
    "2,500",
    "2.500",
    "2 500",
    "38.16",
    "1900",
    "2021",
    "٧",
    "۱۲",
    "twenty",
    "-",
    "one",
    "hundred",
    "thousand",
    "dozen",
    "million",
    "25-year-old",
    "14th",
    "%",
    "$",
    "p.m.",
    "7:30",
    ",",
    ".",
    ";",
    ":",
    "(",
    ")",
    "\"",
    "“",
    "”",
    "–",
    "—",
    "\u{301}",
    "\u{640}",
    "e\u{301}",
    "\n",
    "\n\n",
    " ",
    "tués",
    "d'un",
    "l'attaque",
    "une dizaine",
    "morts",
    "muertos",
    "veintiún",
    "einundzwanzig",
    "Tote",
    "getötet",
    "погибли",
    "семерых",
    "قتل",
    "قتيلين",
    "و7",
    "بحسب",
    "ثلاثة",
    "وعشرون",
    "ventitré",
    "morti",
    "mortos",
    "selon",
    "según",
    "İ",
    "ß",
    "ﬁ",
    "\u{200b}",
    "\u{feff}",
    "\r\n",
];

fn article() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(VOCAB), 0..60).prop_map(|w| w.join(" ")),
        prop::collection::vec(prop::sample::select(VOCAB), 0..60).prop_map(|w| w.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mentions_are_their_text(text in article(), lang in 0usize..8) {
        let engine = &engines()[lang];
        let record = engine.extract(newsx::Article::new("p", "p", &text));
        for m in &record.casualties.mentions {
            prop_assert!(m.start <= m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
        }
        for t in [&record.casualties.killed, &record.casualties.wounded].into_iter().flatten() {
            prop_assert!(t.min <= t.max);
            prop_assert!(!t.figures.is_empty());
        }
    }
}

#[test]
fn a_long_article_is_not_slow() {
    let engine = &engines()[0];
    let sentence = "At least seven fighters were killed and six wounded in February, the Observatory said, \
                    while 2,500 troops were deployed and twenty-one people died. ";
    let text = sentence.repeat(2000);
    let started = std::time::Instant::now();
    let record = engine.extract(newsx::Article::new("long", "long", &text));
    assert!(!record.casualties.mentions.is_empty());
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn one_endless_sentence_is_linear() {
    let engine = &engines()[0];
    let words = "5 killed , 6 wounded including 3 children a child between 2 and 4 or 7 dead toll rose to 9 in 2019 \
                 comes days after a the deadliest since 2019 it said the ministry said , police said , ";
    let time = |copies: usize| {
        let text = words.repeat(copies);
        let started = std::time::Instant::now();
        let record = engine.extract(newsx::Article::new("endless", "endless", &text));
        assert!(!record.casualties.mentions.is_empty());
        started.elapsed()
    };
    let small = time(1500);
    let large = time(6000);
    // Four times the text: a linear extractor takes about four times as long, a quadratic one sixteen.
    assert!(
        large < small * 10 + std::time::Duration::from_millis(200),
        "1500 copies {small:?}, 6000 copies {large:?}"
    );
}
