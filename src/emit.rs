//! Emitters: records out as JSON Lines (default), one pretty JSON array, or CSV.
//!
//! JSON Lines is one record per line, UTF-8, in input order: the form `jq`, spreadsheets' importers and
//! batch engines read. The record's fields are documented on [`crate::record::Record`] and printed as a
//! JSON Schema by `newsx schema`. CSV flattens a record to one row (lists joined with `;`).

use std::io::{self, Write};

use serde::Serialize;

use crate::record::{EntityType, Record};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One JSON object per line.
    #[default]
    Jsonl,
    /// One pretty-printed JSON array.
    Json,
    /// One flat row per record, with a header row.
    Csv,
}

/// Columns of the CSV output.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "path",
    "language",
    "title",
    "published",
    "event_type",
    "event_date",
    "countries",
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
    "persons",
    "organizations",
    "locations",
];

/// Writes records one at a time in a chosen format.
pub struct Emitter<W: Write> {
    out: W,
    format: Format,
    count: usize,
}

impl<W: Write> Emitter<W> {
    /// An emitter writing to `out`.
    pub fn new(out: W, format: Format) -> Emitter<W> {
        Emitter {
            out,
            format,
            count: 0,
        }
    }

    /// Writes one serializable item (a record, a detect result, an event).
    pub fn write<T: Serialize>(&mut self, item: &T) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, item)?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                self.out
                    .write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut self.out, item)?;
            }
            Format::Csv => {
                return Err(io::Error::other("CSV needs a flat row: use write_row"));
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Writes one row of named columns (CSV); in JSON formats, the row as an object.
    pub fn write_row(&mut self, header: &[&str], row: &[String]) -> io::Result<()> {
        if self.format != Format::Csv {
            let obj: serde_json::Map<String, serde_json::Value> = header
                .iter()
                .zip(row)
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect();
            return self.write(&obj);
        }
        let mut csv = csv::Writer::from_writer(Vec::new());
        if self.count == 0 {
            csv.write_record(header).map_err(io::Error::other)?;
        }
        csv.write_record(row).map_err(io::Error::other)?;
        let buf = csv
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.out.write_all(&buf)?;
        self.count += 1;
        Ok(())
    }

    /// Writes one record in the emitter's format.
    pub fn record(&mut self, record: &Record) -> io::Result<()> {
        match self.format {
            Format::Csv => self.write_row(CSV_COLUMNS, &csv_row(record)),
            _ => self.write(record),
        }
    }

    /// Flushes buffered output (after each record on a terminal, and at the end).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Closes the output: the array's closing bracket, a final flush.
    pub fn finish(mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.out
                .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

fn names(record: &Record, kind: EntityType) -> String {
    record
        .entities
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The CSV row of a record, in [`CSV_COLUMNS`] order.
pub fn csv_row(r: &Record) -> Vec<String> {
    vec![
        r.id.clone(),
        r.path.clone(),
        opt(r.language.code.as_ref()),
        opt(r.title.as_ref()),
        opt(r.published.as_ref()),
        r.event.kind.clone(),
        opt(r.event.date.as_ref()),
        r.event.countries.join(";"),
        opt(r.casualties.killed.as_ref().map(|t| t.min)),
        opt(r.casualties.killed.as_ref().map(|t| t.max)),
        opt(r.casualties.wounded.as_ref().map(|t| t.min)),
        opt(r.casualties.wounded.as_ref().map(|t| t.max)),
        names(r, EntityType::Person),
        names(r, EntityType::Organization),
        names(r, EntityType::Location),
    ]
}

impl<W: Write> Emitter<W> {
    /// The emitter's format.
    pub fn format(&self) -> Format {
        self.format
    }
}
