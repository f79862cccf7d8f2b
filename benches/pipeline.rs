//! Per-article pipeline benchmark: `cargo bench`. One case per fixture article, so a regression in one
//! language's rules shows up on its own line.

use std::sync::LazyLock;

use newsx::{Article, Engine};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new().expect("rule packs compile"));

fn articles() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["fixtures/seeds", "fixtures/articles"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "txt")
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push((name, text));
            }
        }
    }
    out
}

static ARTICLES: LazyLock<Vec<(String, String)>> = LazyLock::new(articles);

fn names() -> Vec<&'static str> {
    ARTICLES.iter().map(|(n, _)| n.as_str()).collect()
}

#[divan::bench(args = names())]
fn extract(bencher: divan::Bencher, name: &str) {
    let text = ARTICLES
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| ENGINE.extract(Article::new(name, name, divan::black_box(&text))));
}

#[divan::bench]
fn engine_start() -> Engine {
    Engine::new().expect("rule packs compile")
}

fn main() {
    divan::main();
}
