//! Extraction: from a normalized document and its language's rule pack to the record's fields.
//!
//! Each stage is a module with its own section of the rule packs: [`numbers`] (number words),
//! [`casualty`] (figures), [`date`] (publication and event dates), [`event`] (event type), [`entity`]
//! (people, organizations, places).

pub mod casualty;
pub mod date;
pub mod entity;
pub mod event;
pub mod numbers;

use std::ops::Range;

use crate::rules::Pack;
use crate::text::Document;

/// What every extractor gets: the document, its language's pack (if newsx has one), all packs (for
/// language-independent fall-backs) and what earlier stages found.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The article.
    pub doc: &'a Document,
    /// The rule pack of the article's language, when there is one.
    pub pack: Option<&'a Pack>,
    /// Every rule pack.
    pub packs: &'a [Pack],
    /// The headline's range in `doc.norm`, when there is one.
    pub title: Option<&'a Range<usize>>,
    /// Ranges in `doc.norm` of header lines (datelines, bylines) that are not narrative.
    pub header: &'a [Range<usize>],
    /// Ranges in `doc.norm` of whole wire datelines whose day alone is header (see
    /// [`Layout::lead_in`](crate::layout::Layout::lead_in)).
    pub lead_in: &'a [Range<usize>],
    /// The publication date, when known.
    pub published: Option<jiff::civil::Date>,
}
