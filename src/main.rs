//! The `newsx` binary: parses flags, streams inputs through the library's engine, writes records, and
//! maps the outcome to an exit status (0 all inputs produced records, 1 some failed, 2 bad usage).

mod batch;
mod cli;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use newsx::emit::{Emitter, Format};
use newsx::{Engine, Record};
use serde::Serialize;

use cli::{Cli, Command, EvalArgs, EventsArgs, FormatArg, GroupArgs, InputArgs, RunArgs};
use newsx::events::{EventRecord, Grouper};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Rust ignores SIGPIPE, so a closed pipe (`newsx extract … | head -1`) surfaces as an I/O
            // error; that is the reader's choice, not a failure.
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsx: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Detect(args) => detect(args),
        Command::Eval(args) => eval(args),
        Command::Events(args) => events(args),
        Command::Schema { events } => {
            let schema = if events {
                schemars::schema_for!(EventRecord)
            } else {
                schemars::schema_for!(Record)
            };
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &schema)?;
            writeln!(out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The output stream, and whether to flush after every item (on a terminal, or when asked).
fn output(
    path: Option<&std::path::Path>,
    line_buffered: bool,
) -> anyhow::Result<(Box<dyn Write>, bool)> {
    Ok(match path {
        Some(path) => {
            let f =
                File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
            (Box::new(BufWriter::new(f)), line_buffered)
        }
        None => {
            let stdout = io::stdout();
            let tty = stdout.is_terminal();
            (
                Box::new(BufWriter::new(stdout.lock())),
                tty || line_buffered,
            )
        }
    })
}

fn format(format: FormatArg) -> Format {
    match format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
    }
}

fn pool(args: &RunArgs) -> anyhow::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.jobs {
        b = b.num_threads(n.max(1));
    }
    b.build().context("cannot start worker threads")
}

/// Inputs processed per batch per thread: enough to keep every core busy, few enough to bound memory.
const BATCH_PER_THREAD: usize = 16;

/// The loop every command that reads articles runs: jobs in, one result per input out in input order,
/// failures on stderr. Returns how many inputs failed.
fn for_each<T: Send>(
    run: RunArgs,
    work: impl Fn(newsx::Article) -> T + Sync,
    mut sink: impl FnMut(T) -> io::Result<()>,
) -> anyhow::Result<usize> {
    let pool = pool(&run)?;
    let mut skipped = batch::Skipped::default();
    let mut failed = 0usize;
    let max_bytes = run.max_bytes;
    let batch = pool.current_num_threads() * BATCH_PER_THREAD;
    let progress = progress_bar(&run);
    let jobs = batch::jobs(run.paths, run.input, max_bytes, &mut skipped);
    batch::run_ordered(
        &pool,
        jobs,
        batch,
        |job| batch::load(job, max_bytes).map(&work),
        |result| -> io::Result<()> {
            if let Some(p) = &progress {
                p.inc(1);
            }
            match result {
                Ok(item) => sink(item)?,
                Err((path, err)) => {
                    failed += 1;
                    match &progress {
                        Some(p) => p.suspend(|| eprintln!("newsx: {path}: {err}")),
                        None => eprintln!("newsx: {path}: {err}"),
                    }
                }
            }
            Ok(())
        },
    )
    .context("writing output")?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    for (dir, n) in &skipped.per_dir {
        eprintln!(
            "newsx: {}: skipped {n} file{} not named *.txt or *.md",
            dir.display(),
            if *n == 1 { "" } else { "s" }
        );
    }
    Ok(failed)
}

fn status(failed: usize) -> ExitCode {
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `work` on every article and writes each result with `write`, in input order.
fn drive<T: Send>(
    args: InputArgs,
    work: impl Fn(newsx::Article) -> T + Sync,
    mut write: impl FnMut(&mut Emitter<Box<dyn Write>>, T) -> io::Result<()>,
) -> anyhow::Result<ExitCode> {
    let (out, flush_each) = output(args.out.output.as_deref(), args.line_buffered)?;
    let mut emitter = Emitter::new(out, format(args.out.format));
    let failed = for_each(args.run, work, |item| {
        write(&mut emitter, item)?;
        if flush_each {
            emitter.flush()?;
        }
        Ok(())
    })?;
    emitter.finish().context("writing output")?;
    Ok(status(failed))
}

fn progress_bar(args: &RunArgs) -> Option<indicatif::ProgressBar> {
    let show = match args.progress {
        cli::When::Always => true,
        cli::When::Never => false,
        cli::When::Auto => io::stderr().is_terminal(),
    };
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} articles, {per_sec} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    Some(bar)
}

/// The engine lives as long as the process: leaking it skips tearing down thousands of automata at
/// exit, which costs a short run as much as a few articles do.
fn engine(args: &RunArgs) -> anyhow::Result<&'static Engine> {
    Ok(Box::leak(Box::new(
        Engine::new()
            .context("loading rule packs")?
            .with_language(args.lang.clone()),
    )))
}

fn extract(args: InputArgs) -> anyhow::Result<ExitCode> {
    let engine = engine(&args.run)?;
    if args.events {
        let (out, _) = output(args.out.output.as_deref(), args.line_buffered)?;
        let mut emitter = Emitter::new(out, format(args.out.format));
        let mut grouper = Grouper::new(group_options(&args.group));
        let failed = for_each(
            args.run,
            |a| engine.extract(a),
            |record| {
                grouper.push(record);
                grouper
                    .ready()
                    .try_for_each(|e| write_event(&mut emitter, &e))
            },
        )?;
        for e in grouper.finish() {
            write_event(&mut emitter, &e).context("writing output")?;
        }
        emitter.finish().context("writing output")?;
        return Ok(status(failed));
    }
    drive(
        args,
        |a| engine.extract(a),
        |em, record: Record| em.record(&record),
    )
}

fn group_options(args: &GroupArgs) -> newsx::events::Options {
    newsx::events::Options {
        window_days: args.window_days,
        threshold: args.threshold,
        ..newsx::events::Options::default()
    }
}

fn write_event(em: &mut Emitter<Box<dyn Write>>, e: &EventRecord) -> io::Result<()> {
    match em.format() {
        Format::Csv => em.write_row(newsx::events::CSV_COLUMNS, &newsx::events::csv_row(e)),
        _ => em.write(e),
    }
}

/// `newsx events`: records in (JSON Lines from `extract`), events out, streaming.
fn events(args: EventsArgs) -> anyhow::Result<ExitCode> {
    use std::io::BufRead;
    let (out, _) = output(args.out.output.as_deref(), false)?;
    let mut emitter = Emitter::new(out, format(args.out.format));
    let mut grouper = Grouper::new(group_options(&args.group));
    let mut failed = 0usize;
    let paths = if args.paths.is_empty() {
        vec![std::path::PathBuf::from("-")]
    } else {
        args.paths
    };
    for path in paths {
        let display = path.display().to_string();
        let reader: Box<dyn BufRead> = if display == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            match File::open(&path) {
                Ok(f) => Box::new(io::BufReader::new(f)),
                Err(e) => {
                    eprintln!("newsx: {display}: {e}");
                    failed += 1;
                    continue;
                }
            }
        };
        for (i, line) in reader.lines().enumerate() {
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("newsx: {display}: line {}: {e}", i + 1);
                    failed += 1;
                    break;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Record>(&line) {
                Ok(record) => {
                    grouper.push(record);
                    for e in grouper.ready() {
                        write_event(&mut emitter, &e).context("writing output")?;
                    }
                }
                Err(e) => {
                    eprintln!("newsx: {display}: line {}: not a newsx record: {e}", i + 1);
                    failed += 1;
                }
            }
        }
    }
    for e in grouper.finish() {
        write_event(&mut emitter, &e).context("writing output")?;
    }
    emitter.finish().context("writing output")?;
    Ok(status(failed))
}

#[derive(Serialize)]
struct Detected {
    path: String,
    language: newsx::record::Language,
}

fn detect(args: InputArgs) -> anyhow::Result<ExitCode> {
    let engine = engine(&args.run)?;
    drive(
        args,
        |a| Detected {
            language: engine.detect(&a.text),
            path: a.path,
        },
        |em, d: Detected| match em_format_is_csv(em) {
            true => em.write_row(
                &["path", "language", "confidence", "reliable"],
                &[
                    d.path,
                    d.language.code.unwrap_or_default(),
                    d.language.confidence.to_string(),
                    d.language.reliable.to_string(),
                ],
            ),
            false => em.write(&d),
        },
    )
}

fn em_format_is_csv(em: &Emitter<Box<dyn Write>>) -> bool {
    em.format() == Format::Csv
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    use newsx::eval::{Gold, Scorer};
    let text = match std::fs::read_to_string(&args.gold) {
        Ok(t) => t,
        Err(e) => {
            // A missing gold file is a usage error (status 2), like a missing argument.
            eprintln!("newsx: {}: {e}", args.gold.display());
            return Ok(ExitCode::from(2));
        }
    };
    let mut gold = std::collections::HashMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let g: Gold = serde_json::from_str(line)
            .with_context(|| format!("{}: line {}", args.gold.display(), i + 1))?;
        gold.insert(g.id.clone(), g);
    }
    if args.run.paths.is_empty() {
        eprintln!("newsx: eval needs the articles' paths (files or directories)");
        return Ok(ExitCode::from(2));
    }
    let engine = engine(&args.run)?;
    let mut scorer = Scorer::new();
    let mut unpaired = 0usize;
    let mut seen = std::collections::HashSet::new();
    let failed = for_each(
        args.run,
        |a| engine.extract(a),
        |record| {
            match gold.get(&record.id) {
                Some(g) => {
                    seen.insert(record.id.clone());
                    scorer.add(g, &record);
                }
                None => unpaired += 1,
            }
            Ok(())
        },
    )?;
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, scorer.report())?;
        writeln!(out)?;
    } else {
        write!(out, "{}", scorer.report().table())?;
    }
    if unpaired > 0 {
        eprintln!("newsx: {unpaired} article(s) have no gold line and were not scored");
    }
    let missing = gold.len() - seen.len();
    if missing > 0 {
        eprintln!("newsx: {missing} gold line(s) have no article among the inputs");
    }
    Ok(status(failed))
}
