//! The family register (القيد): a place (the civil-registry secretariat) and an entry number.
//! Everyone in one family register shares both; a married woman is usually moved to her
//! husband's register.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Identifies one family register: the place and the number, as written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterKey {
    place: String,
    number: String,
}

impl RegisterKey {
    /// Both parts must be non-empty after trimming.
    pub fn new(place: &str, number: &str) -> Option<Self> {
        let (place, number) = (place.trim(), number.trim());
        if place.is_empty() || number.is_empty() {
            return None;
        }
        Some(Self {
            place: place.to_owned(),
            number: number.to_owned(),
        })
    }

    /// The place of the register (محل القيد).
    pub fn place(&self) -> &str {
        &self.place
    }

    /// The register number (رقم القيد).
    pub fn number(&self) -> &str {
        &self.number
    }
}

impl fmt::Display for RegisterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.place, self.number)
    }
}
