//! Machine-readable zones (ICAO Doc 9303): the TD3 zone of a passport (2 lines of 44) and the TD1
//! zone of an ID card (3 lines of 30).
//!
//! [`MrzData`] holds the typed fields; [`MrzData::to_td3`] and [`MrzData::to_td1`] write the lines
//! with every check digit, and [`parse_td3`], [`parse_td1`] and [`parse_mrz`] read them back,
//! checking the character set, the syntax of each field and every check digit. Each error names
//! the field, the line and the one-based position that is wrong.
//!
//! Names go through [`MrzName::transliterate`] (see [`names`] for the rule).
//!
//! # What the check digits catch
//!
//! The 7-3-1 check digit adds character values times weights modulo 10, with `<` = 0, digits at
//! face value and `A`…`Z` = 10…35. A substitution is missed when the two characters' values are
//! congruent modulo 10 (`0`, `A`, `K`, `U` and `<` all count as 0). In the date fields only
//! digits are allowed, so there every single substitution is caught (by the check digit or by
//! the syntax); in the alphanumeric fields (document number, personal number, optional data)
//! such congruent substitutions pass, a known weakness of the ICAO scheme that the tests pin
//! down rather than hide.

mod date;
mod fields;
pub mod names;
mod td1;
mod td3;

use std::fmt;

use sijil_core::Sex;

pub use date::MrzDate;
pub(crate) use fields::*;
pub use names::{MrzName, NameError, arabic_from_mrz};
pub use td1::parse_td1;
pub use td3::parse_td3;

/// The two zone layouts Sijil writes and reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzFormat {
    /// ID-1 card size: 3 lines of 30 characters.
    Td1,
    /// Passport booklet: 2 lines of 44 characters.
    Td3,
}

impl MrzFormat {
    /// Number of lines.
    pub fn lines(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            MrzFormat::Td3 => 2,
        }
    }

    /// Characters per line.
    pub fn width(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td3 => 44,
        }
    }
}

/// A field of the zone, as named in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum MrzField {
    DocumentCode,
    IssuingState,
    Name,
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    PersonalNumber,
    OptionalData,
    OptionalData2,
    Composite,
}

impl fmt::Display for MrzField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MrzField::DocumentCode => "document code",
            MrzField::IssuingState => "issuing state",
            MrzField::Name => "name",
            MrzField::DocumentNumber => "document number",
            MrzField::Nationality => "nationality",
            MrzField::BirthDate => "date of birth",
            MrzField::Sex => "sex",
            MrzField::ExpiryDate => "date of expiry",
            MrzField::PersonalNumber => "personal number",
            MrzField::OptionalData => "optional data",
            MrzField::OptionalData2 => "optional data (line 2)",
            MrzField::Composite => "composite",
        })
    }
}

/// Why a zone could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    /// The text does not have the number of lines and characters of any supported layout.
    #[error("not a machine-readable zone: expected {expected}, found {found}")]
    WrongShape {
        /// What the layout needs, e.g. "2 lines of 44 characters".
        expected: String,
        /// What was found, e.g. "2 lines of 44 and 43 characters".
        found: String,
    },
    /// A character outside `A`–`Z`, `0`–`9` and `<`.
    #[error(
        "line {line}, position {position}: character {found:?} is not allowed in a machine-readable zone"
    )]
    BadCharacter {
        /// One-based line.
        line: usize,
        /// One-based position in the line.
        position: usize,
        /// The character.
        found: char,
    },
    /// A check digit does not match the characters it covers.
    #[error(
        "line {line}, position {position}: {field} check digit is {found:?}, expected {expected:?}"
    )]
    BadCheckDigit {
        /// The field the digit covers.
        field: MrzField,
        /// One-based line of the check digit.
        line: usize,
        /// One-based position of the check digit.
        position: usize,
        /// The character found in the zone.
        found: char,
        /// The correct check digit.
        expected: char,
    },
    /// A field's characters do not form a valid value.
    #[error("line {line}, position {position}: {field} is invalid: {reason}")]
    InvalidField {
        /// The field.
        field: MrzField,
        /// One-based line where the field starts.
        line: usize,
        /// One-based position of the first offending character.
        position: usize,
        /// What is wrong.
        reason: String,
    },
    /// A value given to the writer does not fit or is not allowed.
    #[error("cannot write {field}: {reason}")]
    InvalidInput {
        /// The field.
        field: MrzField,
        /// What is wrong.
        reason: String,
    },
    /// A name could not be transliterated.
    #[error(transparent)]
    Name(#[from] NameError),
}

/// The typed content of a zone, shared by both layouts.
///
/// Text fields hold what the zone means, without the fillers that pad them: a document number
/// `D23145890` or an optional-data field `AB<CD` (an inner `<` is kept, trailing ones are not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzData {
    /// Two characters: `P<` for a passport, `I<` for an identity card.
    pub document_code: String,
    /// Three-letter code of the issuing state, e.g. `SYR`.
    pub issuing_state: String,
    /// The holder's name in the zone's alphabet.
    pub name: MrzName,
    /// Document number, `A`–`Z` and `0`–`9`. Up to 9 characters on a passport; an ID card
    /// takes longer ones by the overflow rule of Doc 9303 Part 5.
    pub document_number: String,
    /// Three-letter code of the holder's nationality.
    pub nationality: String,
    /// Date of birth (parts may be unknown).
    pub birth_date: MrzDate,
    /// Sex; `None` is written `<` (unspecified).
    pub sex: Option<Sex>,
    /// Date of expiry (complete).
    pub expiry_date: MrzDate,
    /// TD3: the personal number (14 characters, its own check digit). TD1: the optional data of
    /// line 1 (after any document-number overflow).
    pub optional_data: String,
    /// TD1 only: the optional data of line 2 (11 characters). Always empty on a TD3.
    pub optional_data_2: String,
}

/// A zone read back: its layout, its content, and whether the name may have been cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMrz {
    /// Which layout the text had.
    pub format: MrzFormat,
    /// The fields.
    pub data: MrzData,
    /// The name field is full up to its last position, so the issuer may have truncated it.
    pub name_possibly_truncated: bool,
}

impl MrzData {
    /// Writes the two lines of a passport zone, joined by `\n`.
    pub fn to_td3(&self) -> Result<String, MrzError> {
        td3::write(self)
    }

    /// Writes the three lines of an ID-card zone, joined by `\n`.
    pub fn to_td1(&self) -> Result<String, MrzError> {
        td1::write(self)
    }
}

/// Reads a zone of either layout, telling them apart by shape. Lines may be separated by line
/// breaks or given as one run of 88 (TD3) or 90 (TD1) characters; surrounding spaces are ignored.
pub fn parse_mrz(text: &str) -> Result<ParsedMrz, MrzError> {
    let lines = split_lines(text);
    match (lines.len(), lines.first().map(|l| l.chars().count())) {
        (2, _) | (1, Some(88)) => parse_td3(text),
        (3, _) | (1, Some(90)) => parse_td1(text),
        _ => Err(MrzError::WrongShape {
            expected: "2 lines of 44 characters (passport) or 3 lines of 30 (ID card)".into(),
            found: describe(&lines),
        }),
    }
}

// ---- helpers shared by the two layouts ----

/// Numeric value of a zone character for the check digit: digits at face value, `A`=10…`Z`=35,
/// `<`=0. `None` for anything else.
pub fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The 7-3-1 check digit of zone characters (Doc 9303 Part 3, 4.9).
///
/// # Panics
/// On a character outside the zone's alphabet; callers check the alphabet first.
pub fn check_digit(chars: &[u8]) -> u8 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let sum: u32 = chars
        .iter()
        .zip(WEIGHTS.iter().cycle())
        .map(|(&c, w)| char_value(c).expect("zone alphabet") * w)
        .sum();
    b'0' + (sum % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_the_icao_specimen() {
        assert_eq!(check_digit(b"L898902C3"), b'6');
        assert_eq!(check_digit(b"740812"), b'2');
        assert_eq!(check_digit(b"120415"), b'9');
        assert_eq!(check_digit(b"ZE184226B<<<<<"), b'1');
        assert_eq!(check_digit(b"D23145890"), b'7');
    }
}
