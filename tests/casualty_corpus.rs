//! Runs every casualty corpus under fixtures/casualty/ (one JSON Lines file per language, format in
//! fixtures/casualty/README.md) through the engine and compares the mentions it finds with the expected
//! ones: kind, count, qualifier, scope, and source loosely (the expected string occurs in the found one).

use std::path::Path;

use serde_json::Value;

fn show(m: &Value) -> String {
    let f = |k: &str| m.get(k).map_or("-".to_string(), |v| v.to_string());
    format!(
        "{} {} {} {} src={}",
        f("kind"),
        f("count"),
        f("qualifier"),
        f("scope"),
        f("source")
    )
}

fn same(want: &Value, got: &Value) -> bool {
    for key in ["kind", "count", "qualifier", "scope"] {
        if want.get(key).unwrap_or(&Value::Null) != got.get(key).unwrap_or(&Value::Null) {
            return false;
        }
    }
    match want.get("source").and_then(Value::as_str) {
        None => true,
        Some(w) => got
            .get("source")
            .and_then(Value::as_str)
            .is_some_and(|g| g.to_lowercase().contains(&w.to_lowercase())),
    }
}

#[test]
fn casualty_corpora() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/casualty");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/casualty exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    let mut failures = Vec::new();
    let mut total = 0;
    for file in &files {
        let code = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name is a language code")
            .to_string();
        let engine = newsx::Engine::new()
            .expect("engine")
            .with_language(Some(code.clone()));
        let text = std::fs::read_to_string(file).expect("corpus readable");
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            total += 1;
            let case: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: bad JSON: {e}", file.display(), n + 1));
            let body = case["text"].as_str().expect("case has text");
            let mut article = newsx::Article::new("case", "case", body);
            article.published = case
                .get("published")
                .and_then(Value::as_str)
                .map(str::to_string);
            let record = engine.extract(article);
            let got = serde_json::to_value(&record.casualties.mentions).expect("serializes");
            let got = got.as_array().cloned().unwrap_or_default();
            let want = case["expect"].as_array().cloned().unwrap_or_default();
            for m in &got {
                let (s, e) = (
                    m["start"].as_u64().unwrap_or(0),
                    m["end"].as_u64().unwrap_or(0),
                );
                assert_eq!(
                    body.get(s as usize..e as usize),
                    m["text"].as_str(),
                    "evidence text matches offsets"
                );
            }
            let ok = want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| same(w, g));
            if !ok {
                let mut msg = format!(
                    "{}:{}: {}\n  note: {}\n  expected:\n",
                    file.file_name().and_then(|s| s.to_str()).unwrap_or("?"),
                    n + 1,
                    body,
                    case.get("note").and_then(Value::as_str).unwrap_or("")
                );
                for w in &want {
                    msg += &format!("    {}\n", show(w));
                }
                msg += "  got:\n";
                for g in &got {
                    msg += &format!(
                        "    {}  \"{}\"\n",
                        show(g),
                        g["text"].as_str().unwrap_or("")
                    );
                }
                failures.push(msg);
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} casualty cases failed",
        failures.len(),
        total
    );
}
