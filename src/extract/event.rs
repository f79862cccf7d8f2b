//! Event type: the main event as an ACLED sub-event type.

use serde::Deserialize;

use super::Context;
use crate::record::Casualties;
use crate::rules::LanguageInfo;

/// The `[events]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EventRules {}

/// Compiled event-type rules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {}

impl Compiled {
    /// Compiles the section.
    pub fn compile(_rules: &EventRules, _lang: &LanguageInfo) -> Result<Compiled, String> {
        Ok(Compiled {})
    }
}

/// The main event's type slug and category slug.
pub fn classify(_ctx: &Context<'_>, _casualties: &Casualties) -> (String, String) {
    ("none".to_string(), "none".to_string())
}
