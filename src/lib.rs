//! newsx turns news articles, in many languages, into structured event records.
//!
//! The pipeline, one module per stage: [`read`] decodes bytes to text, [`layout`] finds the headline,
//! datelines and boilerplate, [`text`] builds the normalized view that rules match against, [`detect`]
//! tells the language, [`extract`] fills the record's fields from the language's rule pack ([`rules`]),
//! and [`emit`] writes records as JSON Lines, JSON or CSV. [`Engine::extract`] runs all of it on one
//! article; it does no I/O, so it is what tests, benchmarks and other programs call.
//!
//! ```
//! let engine = newsx::Engine::new().unwrap();
//! let record = engine.extract(newsx::Article::new("a", "a.txt",
//!     "Seven people were killed in the attack, police said.\nMore text follows here about the town."));
//! assert_eq!(record.language.code.as_deref(), Some("en"));
//! ```
#![deny(missing_docs)]

pub mod detect;
pub mod emit;
pub mod error;
pub mod eval;
pub mod events;
pub mod extract;
pub mod layout;
pub mod read;
pub mod record;
pub mod rules;
pub mod text;

pub use error::Error;
pub use read::DEFAULT_MAX_BYTES;
pub use record::Record;

use extract::{Context, casualty, date, entity, event};
use record::{Casualties, Event, Language, SCHEMA_VERSION};
use rules::Pack;

/// One article to extract: its text and what the caller already knows about it.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// Record id.
    pub id: String,
    /// Path as given (or `-`).
    pub path: String,
    /// Decoded text.
    pub text: String,
    /// A headline given out of band (`--input jsonl`), used instead of one found in the text.
    pub title: Option<String>,
    /// A publication date given out of band, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Warnings from reading (encoding assumed…).
    pub warnings: Vec<String>,
}

impl Article {
    /// An article from its id, path and text.
    pub fn new(id: &str, path: &str, text: &str) -> Article {
        Article {
            id: id.to_string(),
            path: path.to_string(),
            text: text.to_string(),
            ..Article::default()
        }
    }
}

/// Compiled rule packs and detectors, built once and shared by all threads.
#[derive(Debug)]
pub struct Engine {
    packs: Vec<Pack>,
    boilerplate: layout::Boilerplate,
    detector: detect::LanguageDetector,
    /// Skip detection and use this language (`--lang`).
    lang: Option<String>,
}

impl Engine {
    /// Loads and compiles the embedded rule packs.
    pub fn new() -> Result<Engine, Error> {
        let raws = rules::parse_all()?;
        let lines: Vec<String> = raws
            .iter()
            .flat_map(|r| r.boilerplate.lines.iter().cloned())
            .collect();
        // The boilerplate set is compiled beside the packs: together they are most of start-up.
        let (packs, boilerplate) = rayon::join(
            || rules::compile_all(raws),
            || layout::Boilerplate::new(lines.iter().map(String::as_str)),
        );
        let (packs, boilerplate) = (packs?, boilerplate?);
        Ok(Engine {
            packs,
            boilerplate,
            detector: detect::LanguageDetector::default(),
            lang: None,
        })
    }

    /// Uses `code` (ISO 639-1 or 639-3) for every article instead of detecting the language.
    pub fn with_language(mut self, code: Option<String>) -> Engine {
        self.lang = code;
        self
    }

    /// The compiled rule packs.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// The language of a text, as `newsx detect` reports it.
    pub fn detect(&self, text: &str) -> Language {
        if let Some(code) = &self.lang {
            return self.detector.given(code, &self.packs);
        }
        // Most articles are told by the function words of their first bytes alone: laying out only the
        // text's beginning, cut at a line end, then gives the same answer as the whole would.
        if let Some(cut) = start_cut(text) {
            let start = text.get(..cut).unwrap_or(text);
            let norm = text::normalized(start, &self.boilerplate.lines(start));
            let layout = layout::Layout::analyze(&norm, &self.packs);
            let body = layout.body(&norm, detect::MAX_PREFIX);
            if let Some(language) = self.detector.detect_start(&body, &self.packs) {
                return language;
            }
        }
        let norm = text::normalized(text, &self.boilerplate.lines(text));
        let layout = layout::Layout::analyze(&norm, &self.packs);
        self.detector
            .detect(&layout.body(&norm, detect::MAX_PREFIX), &self.packs)
    }

    /// Runs the whole pipeline on one article.
    pub fn extract(&self, article: Article) -> Record {
        let Article {
            id,
            path,
            text,
            title: given_title,
            published: given_published,
            mut warnings,
        } = article;
        let blank = self.boilerplate.lines(&text);
        if !blank.is_empty() {
            warnings.push(format!(
                "boilerplate removed: {} line{}",
                blank.len(),
                if blank.len() == 1 { "" } else { "s" }
            ));
        }
        let doc = text::Document::new(text, &blank);
        let layout = layout::Layout::analyze(&doc.norm, &self.packs);
        let language = match &self.lang {
            Some(code) => self.detector.given(code, &self.packs),
            None => self
                .detector
                .detect(&layout.body(&doc.norm, detect::MAX_PREFIX), &self.packs),
        };
        let pack = language
            .code
            .as_deref()
            .and_then(|code| self.packs.iter().find(|p| p.info.code == code));
        if pack.is_none() {
            warnings.push(match &language.code {
                Some(code) => format!("no rule pack for language {code}: digits-only figures"),
                None => "language not detected: digits-only figures".to_string(),
            });
        }
        let published = given_published
            .as_deref()
            .and_then(|p| p.get(..10))
            .and_then(|p| p.parse::<jiff::civil::Date>().ok())
            .or(layout.published);
        let title = given_title.or_else(|| {
            layout
                .title
                .clone()
                .map(|r| doc.source_text(r).trim().to_string())
        });
        let ctx = Context {
            doc: &doc,
            pack,
            packs: &self.packs,
            title: layout.title.as_ref(),
            header: &layout.header,
            lead_in: &layout.lead_in,
            published,
        };
        let casualties: Casualties = casualty::extract(&ctx);
        let found = entity::extract(&ctx, &casualties);
        // The event's day first: sentences dated days before it tell of earlier events.
        let event_date = date::event_date(&ctx, &casualties);
        let (kind, category) = event::classify(&ctx, &casualties, event_date);
        Record {
            newsx: SCHEMA_VERSION.to_string(),
            id,
            path,
            title,
            published: published.map(|d| d.to_string()),
            language,
            event: Event {
                kind,
                category,
                date: event_date.map(|d| d.to_string()),
                countries: found.countries,
                locations: found.locations,
            },
            casualties,
            entities: found.entities,
            warnings,
        }
    }
}

/// Where [`Engine::detect`] first cuts a text: the end of the line that reaches past what headline,
/// datelines and the vote's prefix need; `None` when that is the whole text anyway.
fn start_cut(text: &str) -> Option<usize> {
    // Headline and datelines rarely take more than a few hundred bytes.
    const FROM: usize = detect::START_BYTES + 300;
    let tail = text.as_bytes().get(FROM..)?;
    let at = FROM + tail.iter().position(|&b| b == b'\n')? + 1;
    (at < text.len()).then_some(at)
}
