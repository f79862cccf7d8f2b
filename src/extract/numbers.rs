//! Numbers as articles write them: digits with each language's separators, and number words.

use serde::Deserialize;

/// The `[numbers]` section of a rule pack.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NumberRules {}

/// Compiled number rules.
#[derive(Debug, Clone, Default)]
pub struct Numbers {}

impl Numbers {
    /// Compiles the section.
    pub fn compile(_rules: &NumberRules) -> Result<Numbers, String> {
        Ok(Numbers {})
    }
}
