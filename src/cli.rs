//! Command-line interface definition (clap derive). `main.rs` turns these into calls of the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit status: 0 when every input produced a record, 1 when some input could not be read or decoded
(every other input still produced its record), 2 on bad usage.

Examples:
  newsx extract articles/ | jq -r '[.id, .casualties.killed.max] | @tsv'
  newsx extract --format csv articles/*.txt -o records.csv
  cat crawl.jsonl | newsx extract --input jsonl";

/// Turn news articles in many languages into structured event records (JSON Lines).
#[derive(Debug, Parser)]
#[command(name = "newsx", version, about, max_term_width = 100, after_long_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One record per article: language, headline, dates, event, casualties, entities.
    #[command(after_long_help = AFTER_HELP)]
    Extract(InputArgs),
    /// Language only: {"path","language"} per input, fast.
    Detect(InputArgs),
    /// Score extraction against a gold file: per-field precision, recall and F1, per language.
    Eval(EvalArgs),
    /// Group records from `extract` into real-world events, reconciling their figures.
    #[command(after_long_help = EVENTS_HELP)]
    Events(EventsArgs),
    /// Print the JSON Schema of the record, generated from the program's own types.
    Schema {
        /// The schema of the event records of `newsx events` instead.
        #[arg(long)]
        events: bool,
    },
}

const EVENTS_HELP: &str = "\
Two reports are one event when their dates (event date, else published) lie within --window-days, their
types share an ACLED category, they share an event country, and their entities and places overlap at
least --threshold. Reports with too little evidence stay alone.

Examples:
  newsx extract articles/ | newsx events | jq -c '{id, type, countries, killed: .casualties.killed}'
  newsx extract --events articles/";

/// Options of the event grouping.
#[derive(Debug, Args)]
pub struct GroupArgs {
    /// Largest span in days of the dates of one event's reports.
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 2,
        help_heading = "Grouping"
    )]
    pub window_days: u32,

    /// Smallest similarity (0-1) of entities and places for two reports to be one event.
    #[arg(
        long,
        value_name = "SCORE",
        default_value_t = 0.35,
        help_heading = "Grouping"
    )]
    pub threshold: f64,
}

/// Options of `newsx events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Record files written by `newsx extract` (JSON Lines), or - for standard input. None: standard
    /// input.
    #[arg(value_name = "RECORDS.jsonl")]
    pub paths: Vec<PathBuf>,

    /// Grouping options.
    #[command(flatten)]
    pub group: GroupArgs,

    /// Output format and destination.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Where and how records are written.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(
        long,
        value_enum,
        default_value = "jsonl",
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub format: FormatArg,

    /// Write to FILE instead of standard output.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        help_heading = "Output"
    )]
    pub output: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per line.
    Jsonl,
    /// One pretty-printed JSON array.
    Json,
    /// One flat row per article, with a header row.
    Csv,
}

/// How inputs are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each path is one article (plain text; any supported encoding).
    Text,
    /// Each line of each input is a JSON object with `text` and optional `id`, `title`, `published`,
    /// `url`.
    Jsonl,
}

/// When to draw a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum When {
    /// When standard error is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Inputs, output and run options shared by the commands that write records.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Where articles come from and how they are run.
    #[command(flatten)]
    pub run: RunArgs,

    /// Output format and destination.
    #[command(flatten)]
    pub out: OutputArgs,

    /// Flush after every record, even when standard output is not a terminal.
    #[arg(long, help_heading = "Output")]
    pub line_buffered: bool,

    /// Write event records (as `newsx events` does) instead of article records.
    #[arg(long, help_heading = "Output")]
    pub events: bool,

    /// Grouping options (with --events).
    #[command(flatten)]
    pub group: GroupArgs,
}

/// Options of `newsx eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold annotations, one JSON object per article (the format of fixtures/gold/*.jsonl).
    #[arg(long, value_name = "GOLD.jsonl")]
    pub gold: PathBuf,

    /// Print the scores as one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Where articles come from and how they are run.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Where articles come from and how they are run.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Files, directories (walked for *.txt and *.md, sorted), or - for standard input. None: standard
    /// input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How inputs are given: plain text files, or JSON Lines of {text, id, title, published, url}.
    #[arg(
        long = "input",
        value_enum,
        default_value = "text",
        value_name = "FORMAT",
        help_heading = "Input"
    )]
    pub input: InputFormat,

    /// Skip language detection: every input is in this language (ISO 639-1, e.g. fr).
    #[arg(long, value_name = "CODE", help_heading = "Input")]
    pub lang: Option<String>,

    /// Refuse inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = newsx::read::DEFAULT_MAX_BYTES, help_heading = "Input")]
    pub max_bytes: u64,

    /// Worker threads (default: all cores). Output order is input order whatever the number.
    #[arg(short = 'j', long, value_name = "N", help_heading = "Run")]
    pub jobs: Option<usize>,

    /// Progress bar on standard error.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "WHEN",
        help_heading = "Run"
    )]
    pub progress: When,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
