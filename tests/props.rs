//! Property tests: no input makes the pipeline panic, every emitted span slices the decoded text, and
//! `detect` tells the language `extract` tells.

use std::sync::LazyLock;

use newsx::{Article, Engine, read};
use proptest::prelude::*;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new().expect("rule packs compile"));

fn check(text: String) {
    let doc = newsx::text::Document::new(text.clone(), &[]);
    for r in &doc.sentences {
        assert!(
            doc.norm.get(r.clone()).is_some(),
            "sentence {r:?} slices the view"
        );
        let src = doc.source_range(r.clone());
        assert!(text.get(src).is_some(), "sentence maps back onto the text");
    }
    let record = ENGINE.extract(Article::new("p", "p.txt", &text));
    for m in &record.casualties.mentions {
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "{m:?}"
        );
        assert!(m.start <= m.end && m.end <= text.len());
        assert_eq!(&text[m.start..m.end], m.text);
    }
    serde_json::to_string(&record).expect("serializes");
}

/// Text made of pieces that exercise the rules: digits, number words, cues, scripts, odd spaces.
fn newsy() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "killed",
        "at least",
        " ",
        "\n",
        "7",
        "2,500",
        "٧",
        "seven",
        "wounded",
        "and",
        "tués",
        "au moins",
        "قتل",
        "أكثر من",
        "погибли",
        "семь",
        "getötet",
        "Tote",
        "’",
        "“",
        "\u{a0}",
        "\u{301}",
        "ـ",
        "-",
        ".",
        "In February",
        "According to the Observatory",
        "a child",
        "dozens",
        "25-year-old",
        "June 28, 2021",
        "date 2021-06-28",
        "Monday",
        "[ad_1]",
        "Source link",
        "\r\n",
        "\u{feff}",
        "مقتل",
        "\u{200d}",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// Lines of the fixture articles in all eight languages, with datelines, agency credits (some cut in
/// two), boilerplate and very long lines mixed in: texts made of them put every kind of line near the
/// place where `detect` first cuts a text.
static LINES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut lines: Vec<String> = [
        "BAGDAD, 5 mars (AFP) -",
        "(dpa, 28.6.2021)",
        "Les faits (AFP,",
        "12 mars 2024) se sont produits",
        "date 2021-06-28",
        "Read also: more news from the region",
        "[ad_1]",
        "Source link",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for dir in ["fixtures/articles", "fixtures/seeds"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("fixture reads");
            lines.extend(text.lines().map(str::to_string));
            // Whole paragraphs as one line: a cut that falls far into the text.
            lines.push(text.replace('\n', " "));
        }
    }
    lines
});

fn agree(text: &str) {
    let detected = ENGINE.detect(text);
    let extracted = ENGINE.extract(Article::new("p", "p.txt", text)).language;
    assert_eq!(detected, extracted, "{text}");
}

#[test]
fn detect_agrees_with_extract_on_fixtures() {
    for line in LINES.iter() {
        agree(line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn detect_agrees_with_extract(lines in prop::collection::vec(prop::sample::select(LINES.clone()), 0..40)) {
        agree(&lines.join("\n"));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let owned = read::decode_owned(bytes.clone());
        let borrowed = read::decode(&bytes);
        prop_assert_eq!(
            owned.as_ref().ok().map(|d| (&d.text, &d.warnings)),
            borrowed.as_ref().ok().map(|d| (&d.text, &d.warnings))
        );
        if let Ok(decoded) = borrowed {
            check(decoded.text);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check(text);
    }

    #[test]
    fn newsy_text_spans_slice_the_text(text in newsy()) {
        check(text);
    }
}
