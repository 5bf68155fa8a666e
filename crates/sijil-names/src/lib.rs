//! Arabic and Latin personal names: normalisation, name-aware tokens, cross-script keys and a
//! per-field similarity level. Pure computation: no I/O, no environment, no threads.
//!
//! # Design
//!
//! A registry compares the same names millions of times, so all the work that depends on one
//! name only is done once, in [`NameKey::new`]: the caller builds a key per field per record
//! and then calls [`compare`] (or [`compare_full`] for unstructured full names), which only
//! compares strings already built, intersects small arrays of dictionary ids and, rarely, runs a
//! bounded edit distance or Jaro–Winkler.
//!
//! Each name gets several keys, from most to least exact:
//!
//! * **strict**: NFKC, then one fold per code point (diacritics, tatweel and invisible
//!   characters removed, alef forms to ا, ى→ي, ؤ→و, ئ→ي, ة→ه, Persian forms, digits to ASCII;
//!   Latin lowercased with its diacritics folded). ء is kept: `علاء` is not `علا`.
//! * **loose**: tokens joined by name structure (`عبد`/`ابو` + next, X + `الدين`/`الله`,
//!   Abdul/Abdel/Abu…, `-eddine`, `-allah`), the article ال stripped in family-name, place and
//!   full-name fields only (`الياس` is a given name), ء dropped and پچگڤ folded; Latin folded
//!   by transliteration convention (French ch/dj/ou, German sch/dsch, Turkish c/ş) and by
//!   vowels.
//! * **dictionary clusters**: a curated table of common Syrian names with their Latin spellings
//!   (see [`ClusterId`]); this is what links `محمد` with Mohammed and Mehmet, and what says that
//!   `علاء` and `علا` are two names even though their loose keys agree.
//! * **skeleton**: consonant classes only, in ASCII, comparable across scripts; good for
//!   blocking and weak evidence, never proof (`محمد`, `محمود` and Mahmoud share MHMD).
//!
//! # Why levels and not a score
//!
//! Once spelling noise is normalised away, a single remaining letter in an Arabic name usually
//! means a *different* name (`محمد`/`محمود`, `حسن`/`حسين`), so edit similarity misleads. The
//! comparison therefore returns a categorical [`Level`] for a Fellegi–Sunter model to weigh, and
//! leaves the frequency-aware call (typo or different name?) to the matcher, which knows how
//! common each spelling is; [`Comparison::edits`] gives it the distance it needs for that.
//!
//! Input is untrusted: any string is accepted, nothing panics, and only the first
//! [`MAX_NAME_CHARS`] normalised characters of a name are kept, which bounds the cost of
//! hostile input.

#![deny(missing_docs)]

mod compare;
mod fold;
mod full;
mod key;
mod latin;
mod skeleton;
mod token;
mod variants;

pub use compare::{Comparison, Level, MAX_EDITS, compare};
pub use fold::{MAX_NAME_CHARS, normalize_strict};
pub use full::{FullNameMatch, MAX_FULL_TOKENS, TokenPair, compare_full};
pub use key::{NameKey, Token};
pub use variants::{ClusterId, latin_spelling};

/// Which field of a record a name comes from. It decides how the article ال / Al- is treated:
/// kept in given names (`الياس`, `الحسن`), stripped in family names and places (`الحلبي` =
/// `حلبي` = Halabi).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameField {
    /// The person's own given name (ism).
    Given,
    /// The father's given name.
    Father,
    /// The paternal grandfather's given name.
    Grandfather,
    /// The family name (النسبة / الكنية).
    Family,
    /// The mother's given name.
    Mother,
    /// The mother's family name.
    MotherFamily,
    /// A place name (birth place, registry place); the article is stripped as in family names.
    Place,
    /// An unstructured full name, such as a foreign document gives; tokens are compared
    /// without regard to order by [`compare_full`]. The article is stripped and the connectors
    /// بن/ابن/bin/ibn are dropped.
    Full,
}

impl NameField {
    /// Whether the article ال / al- / el- is removed from the front of this field's tokens.
    pub fn strips_article(self) -> bool {
        matches!(
            self,
            NameField::Family | NameField::MotherFamily | NameField::Place | NameField::Full
        )
    }
}

/// The writing system of a name or token, after normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Nothing left after normalisation (empty input, only marks or punctuation).
    Empty,
    /// Arabic letters (including Persian and Kurdish additions).
    Arabic,
    /// Latin letters (folded to ASCII).
    Latin,
    /// Tokens in more than one script.
    Mixed,
    /// Anything else: other scripts, or digits only.
    Other,
}

/// The convention a Latin-script name was transliterated in, when the caller knows it (for
/// example from the issuing country of a document). It changes how a few letters are read:
/// Turkish `c` is ج (Cemal), German `j` is ي (Jussuf) and `ch` is خ (Chaled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Convention {
    /// Not known. Turkish is assumed when the name has ş, ğ or ı; otherwise English and
    /// French readings are merged (ch→sh, dj→j, ou→u, c→s before e/i, else k).
    #[default]
    Unknown,
    /// English-style spelling (Mohammed, Hussein, Khaled).
    English,
    /// French-style spelling (Mouhamad, Houssein, Chadi, Djamel, Youcef).
    French,
    /// German-style spelling (Schadi, Dschamal, Jussuf, Chaled).
    German,
    /// Turkish-style spelling (Mehmet, Hüseyin, Cemal, Ayşe, Halit).
    Turkish,
}
