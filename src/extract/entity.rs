//! Entities: people, organizations and places, merged across spellings; where the main event happened.

use serde::Deserialize;

use super::Context;
use crate::record::{Casualties, Entity};
use crate::rules::LanguageInfo;

/// The `[entities]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntityRules {}

/// Compiled entity rules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {}

impl Compiled {
    /// Compiles the section.
    pub fn compile(_rules: &EntityRules, _lang: &LanguageInfo) -> Result<Compiled, String> {
        Ok(Compiled {})
    }
}

/// Entities, and where the main event took place.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// One entry per real-world entity, by mentions descending.
    pub entities: Vec<Entity>,
    /// ISO alpha-2 codes of the main event's countries.
    pub countries: Vec<String>,
    /// Places below country level of the main event.
    pub locations: Vec<String>,
}

/// Finds the entities of the article.
pub fn extract(_ctx: &Context<'_>, _casualties: &Casualties) -> Found {
    Found::default()
}
