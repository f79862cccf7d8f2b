//! The record newsx writes for each article: the contract of SPEC.md as Rust types.
//!
//! `newsx schema` is generated from these types (schemars), so the schema can never drift from what is
//! emitted. Field names and meanings are stable within a schema version; fields may be added, never renamed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Schema version written in every record's `newsx` field.
pub const SCHEMA_VERSION: &str = "1";

/// One article's extraction result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Record {
    /// Schema version of this record ("1").
    pub newsx: String,
    /// File stem, the `id` of a `--input jsonl` line, or `<stem>:<line>`.
    pub id: String,
    /// The path as given on the command line (`-` for standard input).
    pub path: String,
    /// The headline, when the text has one.
    pub title: Option<String>,
    /// Publication date stated by the text (`YYYY-MM-DD`), never invented.
    pub published: Option<String>,
    /// Detected (or given) language.
    pub language: Language,
    /// The main event.
    pub event: Event,
    /// Casualty figures.
    pub casualties: Casualties,
    /// People, organizations and places, one entry per real-world entity.
    pub entities: Vec<Entity>,
    /// What the reader noticed: encoding assumed, boilerplate removed, text truncated, no rule pack…
    pub warnings: Vec<String>,
}

/// The article's language.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Language {
    /// ISO 639-1 code, or null when the text is too short or too mixed to tell.
    pub code: Option<String>,
    /// English name of the language.
    pub name: Option<String>,
    /// Writing system (Latin, Arabic, Cyrillic…).
    pub script: Option<String>,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// False for short or mixed text.
    pub reliable: bool,
}

/// The main event of the article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Event {
    /// ACLED sub-event type slug, or `none`.
    #[serde(rename = "type")]
    pub kind: String,
    /// ACLED event type (category) of `type`, or `none`.
    pub category: String,
    /// Day the main event happened (`YYYY-MM-DD`), or null.
    pub date: Option<String>,
    /// ISO 3166-1 alpha-2 codes of where the main event took place.
    pub countries: Vec<String>,
    /// Places below country level where the main event took place.
    pub locations: Vec<String>,
}

/// Casualty figures of the article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Casualties {
    /// Main-scope killed figures, or null when none.
    pub killed: Option<Tally>,
    /// Main-scope wounded figures, or null when none.
    pub wounded: Option<Tally>,
    /// Every casualty figure the text states, in text order.
    pub mentions: Vec<Mention>,
}

/// Summary of the main-scope figures of one kind.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Tally {
    /// Smallest figure.
    pub min: u64,
    /// Largest figure.
    pub max: u64,
    /// Distinct figures in order of first mention.
    pub figures: Vec<u64>,
}

/// What a casualty figure counts.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// People killed.
    Killed,
    /// People wounded or injured.
    Wounded,
    /// People missing.
    Missing,
    /// People kidnapped or taken hostage.
    Kidnapped,
}

/// How exact a figure is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// The figure as stated.
    Exact,
    /// "at least N".
    AtLeast,
    /// "more than N".
    MoreThan,
    /// "about", "nearly", "some" N.
    About,
    /// "up to N".
    UpTo,
    /// No number: "dozens", "several" (count is null).
    Vague,
}

/// Which event a figure belongs to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The article's main event.
    Main,
    /// Another event: an earlier attack, a yearly tally.
    Background,
    /// A zero-casualty statement.
    None,
}

/// One casualty figure as stated in the text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Mention {
    /// killed | wounded | missing | kidnapped.
    pub kind: Kind,
    /// The number, or null for vague amounts.
    pub count: Option<u64>,
    /// exact | at_least | more_than | about | up_to | vague.
    pub qualifier: Qualifier,
    /// main | background | none.
    pub scope: Scope,
    /// Who the figure counts ("fighters", "civilians"), when the text says.
    pub who: Option<String>,
    /// Who the figure is attributed to, when the text says.
    pub source: Option<String>,
    /// The evidence: exactly the article's text between `start` and `end`.
    pub text: String,
    /// Byte offset of `text` in the decoded UTF-8 article.
    pub start: usize,
    /// Byte offset just past `text`.
    pub end: usize,
}

/// Kind of named entity.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    /// A person.
    Person,
    /// An organization: armed group, ministry, agency, party…
    Organization,
    /// A place: country, region, city, river…
    Location,
}

/// One real-world entity with all the spellings the article uses for it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Entity {
    /// person | organization | location.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Canonical name (English form where one exists).
    pub name: String,
    /// Title or role stated beside a person's name ("US Secretary of State").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// ISO 3166-1 alpha-2 code of a location, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Other spellings and names used for it in the text.
    pub aliases: Vec<String>,
    /// How many times it is named.
    pub mentions: usize,
}
