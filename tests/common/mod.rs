//! Shared by the corpus tests: runs every `fixtures/<area>/<lang>.jsonl` file through a per-file check and
//! fails with all the failing cases listed.

use std::path::Path;

/// Runs `check(lang, path) -> (cases, failures)` on every JSON Lines file of `fixtures/<area>`, in name
/// order, and panics listing every failure.
pub fn run_corpus(area: &str, check: impl Fn(&str, &Path) -> (usize, Vec<String>)) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(area);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    let mut all = Vec::new();
    for path in &files {
        let lang = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file stem");
        let (n, failures) = check(lang, path);
        eprintln!("{lang}: {}/{n} {area} cases pass", n - failures.len());
        all.extend(failures);
    }
    assert!(
        all.is_empty(),
        "{} failures:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// The cases of one corpus file with their 1-based line numbers; blank lines are skipped, a line that does
/// not parse fails the test with its place.
pub fn cases<T: serde::de::DeserializeOwned>(path: &Path) -> Vec<(usize, T)> {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let case = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: bad case: {e}", path.display(), i + 1));
            (i + 1, case)
        })
        .collect()
}

/// Checks every case of one corpus file with an engine fixed to `lang`: `check(engine, id, case)` gives
/// what is wrong with a case, if anything. Returns the number of cases and the failures, each prefixed
/// with its file and line.
pub fn run_cases<T: serde::de::DeserializeOwned>(
    lang: &str,
    path: &Path,
    check: impl Fn(&newsx::Engine, &str, T) -> Option<String>,
) -> (usize, Vec<String>) {
    let engine = newsx::Engine::new()
        .expect("engine")
        .with_language(Some(lang.to_string()));
    let cases = cases::<T>(path);
    let n = cases.len();
    let failures = cases
        .into_iter()
        .filter_map(|(line, case)| {
            let failure = check(&engine, &format!("{lang}:{line}"), case)?;
            Some(format!("{}:{line}: {failure}", path.display()))
        })
        .collect();
    (n, failures)
}

/// The opening of a case's text, to show beside a failure.
pub fn opening(text: &str) -> String {
    text.chars().take(160).collect()
}
