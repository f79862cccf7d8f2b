//! Typed errors of the library. The binary adds context (the path) with `anyhow` at the edge.

use std::io;

/// Why an input produced no record, or why the engine could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be opened or read.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The input looks like a binary file (NUL bytes or mostly control bytes).
    #[error("is a binary file")]
    Binary,
    /// The input is larger than `--max-bytes`.
    #[error("too large ({size} bytes; the limit is {limit}, see --max-bytes)")]
    TooLarge {
        /// Size of the input in bytes (at least).
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The bytes are not text in any supported encoding.
    #[error("not valid text in any supported encoding")]
    Undecodable,
    /// A `--input jsonl` line is not a JSON object with a `text` string.
    #[error("line {line}: {reason}")]
    BadJsonLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A rule pack does not parse or compile (a bug in the embedded data, caught by tests).
    #[error("rule pack {pack}: {reason}")]
    Rules {
        /// The pack's file name.
        pack: String,
        /// What is wrong.
        reason: String,
    },
}
