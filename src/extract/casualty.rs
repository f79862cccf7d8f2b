//! Casualty figures: killed, wounded, missing, kidnapped, with qualifier, scope and source.

use serde::Deserialize;

use super::Context;
use crate::record::Casualties;
use crate::rules::LanguageInfo;

/// The `[casualty]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CasualtyRules {}

/// Compiled casualty rules.
#[derive(Debug, Clone, Default)]
pub struct Compiled {}

impl Compiled {
    /// Compiles the section.
    pub fn compile(_rules: &CasualtyRules, _lang: &LanguageInfo) -> Result<Compiled, String> {
        Ok(Compiled {})
    }
}

/// Finds every casualty figure of the article.
pub fn extract(_ctx: &Context<'_>) -> Casualties {
    Casualties::default()
}
