//! The batch driver: turns command-line paths into a lazy stream of jobs, runs them on a thread pool in
//! bounded batches, and hands results back in input order.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use newsx::{Article, Error, read};
use rayon::prelude::*;
use serde::Deserialize;

use crate::cli::InputFormat;

/// One unit of work: an article to read (or already read), or an input that already failed.
pub enum Job {
    /// A file to read.
    File(PathBuf),
    /// Text already in memory (standard input, a `--input jsonl` line).
    Text(Article),
    /// An input that failed before any work: its display path and why.
    Failed(String, Error),
}

/// A finished job: the article ready for the engine, or a failure to report.
pub type Loaded = Result<Article, (String, Error)>;

/// One line of `--input jsonl`.
#[derive(Debug, Deserialize)]
struct JsonInput {
    text: String,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
}

/// Files skipped while walking directories, reported once at the end.
#[derive(Debug, Default)]
pub struct Skipped {
    /// Count of files that are not *.txt or *.md, per directory argument.
    pub per_dir: Vec<(PathBuf, usize)>,
}

/// Expands paths into jobs lazily: directories are walked in sorted order, `-` is standard input.
pub fn jobs(
    paths: Vec<PathBuf>,
    input: InputFormat,
    max_bytes: u64,
    skipped: &mut Skipped,
) -> Box<dyn Iterator<Item = Job> + '_> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        paths
    };
    Box::new(
        paths
            .into_iter()
            .flat_map(move |path| -> Box<dyn Iterator<Item = Job>> {
                if path.as_os_str() == "-" {
                    return match input {
                        InputFormat::Text => Box::new(std::iter::once(
                            match read::read_all(io::stdin().lock(), max_bytes) {
                                Ok(d) => Job::Text(Article {
                                    id: "-".to_string(),
                                    path: "-".to_string(),
                                    text: d.text,
                                    warnings: d.warnings,
                                    ..Article::default()
                                }),
                                Err(e) => Job::Failed("-".to_string(), e),
                            },
                        )),
                        InputFormat::Jsonl => {
                            json_lines("-".to_string(), Box::new(BufReader::new(io::stdin())))
                        }
                    };
                }
                if path.is_dir() {
                    let mut count = 0;
                    let files: Vec<Job> = walkdir::WalkDir::new(&path)
                        .sort_by_file_name()
                        .into_iter()
                        .filter_map(|entry| match entry {
                            Err(e) => {
                                let p = e
                                    .path()
                                    .map(|p| p.display().to_string())
                                    .unwrap_or_else(|| path.display().to_string());
                                Some(Job::Failed(p, Error::Io(e.into())))
                            }
                            Ok(entry) if entry.file_type().is_dir() => None,
                            Ok(entry) => {
                                let keep = entry
                                    .path()
                                    .extension()
                                    .and_then(|e| e.to_str())
                                    .is_some_and(|e| {
                                        e.eq_ignore_ascii_case("txt")
                                            || e.eq_ignore_ascii_case("md")
                                            || (input == InputFormat::Jsonl
                                                && e.eq_ignore_ascii_case("jsonl"))
                                    });
                                if keep {
                                    Some(Job::File(entry.into_path()))
                                } else {
                                    count += 1;
                                    None
                                }
                            }
                        })
                        .collect();
                    if count > 0 {
                        skipped.per_dir.push((path.clone(), count));
                    }
                    let input_kind = input;
                    return Box::new(
                        files
                            .into_iter()
                            .flat_map(move |job| expand(job, input_kind)),
                    );
                }
                expand(Job::File(path), input)
            }),
    )
}

/// With `--input jsonl`, a file job becomes one job per line.
fn expand(job: Job, input: InputFormat) -> Box<dyn Iterator<Item = Job>> {
    match (job, input) {
        (Job::File(path), InputFormat::Jsonl) => match File::open(&path) {
            Ok(f) => json_lines(path.display().to_string(), Box::new(BufReader::new(f))),
            Err(e) => Box::new(std::iter::once(Job::Failed(
                path.display().to_string(),
                e.into(),
            ))),
        },
        (job, _) => Box::new(std::iter::once(job)),
    }
}

fn json_lines(display: String, reader: Box<dyn BufRead>) -> Box<dyn Iterator<Item = Job>> {
    let stem = Path::new(&display)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| display.clone());
    Box::new(reader.lines().enumerate().filter_map(move |(i, line)| {
        let n = i + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                return Some(Job::Failed(
                    display.clone(),
                    Error::BadJsonLine {
                        line: n,
                        reason: e.to_string(),
                    },
                ));
            }
        };
        if line.trim().is_empty() {
            return None;
        }
        Some(match serde_json::from_str::<JsonInput>(&line) {
            Ok(obj) => Job::Text(Article {
                id: match obj.id {
                    Some(serde_json::Value::String(s)) => s,
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => format!("{stem}:{n}"),
                },
                path: display.clone(),
                text: obj.text,
                title: obj.title,
                published: obj.published,
                warnings: Vec::new(),
            }),
            Err(e) => Job::Failed(
                display.clone(),
                Error::BadJsonLine {
                    line: n,
                    reason: e.to_string(),
                },
            ),
        })
    }))
}

/// Reads a job's input (when it is a file) into an article.
pub fn load(job: Job, max_bytes: u64) -> Loaded {
    match job {
        Job::Text(a) => Ok(a),
        Job::Failed(p, e) => Err((p, e)),
        Job::File(path) => {
            let display = path.display().to_string();
            match read::read_file(&path, max_bytes) {
                Ok(d) => Ok(Article {
                    id: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| display.clone()),
                    path: display,
                    text: d.text,
                    warnings: d.warnings,
                    ..Article::default()
                }),
                Err(e) => Err((display, e)),
            }
        }
    }
}

/// Runs `work` over `jobs` on `pool`, `batch` at a time, calling `sink` with results in
/// input order. Memory holds one batch, whatever the number of inputs. Stops early when `sink` fails.
pub fn run_ordered<T: Send, E>(
    pool: &rayon::ThreadPool,
    jobs: impl Iterator<Item = Job>,
    batch: usize,
    work: impl Fn(Job) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut jobs = jobs.peekable();
    while jobs.peek().is_some() {
        let chunk: Vec<Job> = jobs.by_ref().take(batch).collect();
        let results: Vec<T> = pool.install(|| chunk.into_par_iter().map(&work).collect());
        for r in results {
            sink(r)?;
        }
    }
    Ok(())
}
