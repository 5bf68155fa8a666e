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

pub mod names;
mod td1;
mod td3;

use std::fmt;

use sijil_core::{PartialDate, Sex};
use time::{Date, Month};

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

/// A date as the zone writes it: `YYMMDD`, where an unknown part is written `<<`
/// (Doc 9303 Part 3 allows this for a partly unknown date of birth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MrzDate {
    yy: Option<u8>,
    mm: Option<u8>,
    dd: Option<u8>,
}

impl MrzDate {
    /// A full date.
    pub fn from_date(date: Date) -> Self {
        Self {
            yy: Some(date.year().rem_euclid(100) as u8),
            mm: Some(date.month() as u8),
            dd: Some(date.day()),
        }
    }

    /// A date of birth as the registry knows it; unknown month or day become `<<`.
    pub fn from_partial(date: &PartialDate) -> Self {
        Self {
            yy: Some(date.year().rem_euclid(100) as u8),
            mm: date.month(),
            dd: date.day(),
        }
    }

    /// Two-digit year, month and day, each `None` where unknown.
    pub fn parts(&self) -> (Option<u8>, Option<u8>, Option<u8>) {
        (self.yy, self.mm, self.dd)
    }

    /// Whether year, month and day are all known.
    pub fn is_complete(&self) -> bool {
        self.yy.is_some() && self.mm.is_some() && self.dd.is_some()
    }

    /// The six characters of the zone.
    pub fn to_mrz(&self) -> String {
        let part = |p: Option<u8>| p.map_or_else(|| "<<".to_owned(), |v| format!("{v:02}"));
        format!("{}{}{}", part(self.yy), part(self.mm), part(self.dd))
    }

    /// Reads the six characters of a date field. `line` and `position` locate it for errors.
    fn parse(text: &str, field: MrzField, line: usize, position: usize) -> Result<Self, MrzError> {
        let invalid = |offset: usize, reason: &str| MrzError::InvalidField {
            field,
            line,
            position: position + offset,
            reason: reason.to_owned(),
        };
        let b = text.as_bytes();
        let mut parts = [None; 3];
        for (i, part) in parts.iter_mut().enumerate() {
            let pair = &b[2 * i..2 * i + 2];
            *part = match pair {
                [b'<', b'<'] => None,
                [a, c] if a.is_ascii_digit() && c.is_ascii_digit() => {
                    Some((a - b'0') * 10 + (c - b'0'))
                }
                _ => {
                    let off = if pair[0].is_ascii_digit() || pair[0] == b'<' {
                        1
                    } else {
                        0
                    };
                    return Err(invalid(
                        2 * i + off,
                        "a date has only digits, or << where unknown",
                    ));
                }
            };
        }
        let [yy, mm, dd] = parts;
        if let Some(m) = mm
            && !(1..=12).contains(&m)
        {
            return Err(invalid(2, "month must be 01 to 12"));
        }
        if let Some(d) = dd {
            // Without the century, 29 February is allowed whenever the two-digit year could be
            // a leap year in either century (00 is 2000, a leap year).
            let max = match mm {
                Some(m) => {
                    let month = Month::try_from(m).expect("checked month");
                    match yy {
                        Some(y) if m == 2 => {
                            if y % 4 == 0 {
                                29
                            } else {
                                28
                            }
                        }
                        _ => month.length(2000),
                    }
                }
                None => 31,
            };
            if d == 0 || d > max {
                return Err(invalid(4, "day does not exist in that month"));
            }
        }
        Ok(Self { yy, mm, dd })
    }

    /// The date of birth with its century: the latest century that does not put the birth
    /// after `today`.
    pub fn birth_date(&self, today: Date) -> Option<PartialDate> {
        let yy = i32::from(self.yy?);
        let century = today.year() - today.year().rem_euclid(100);
        let mut year = century + yy;
        let candidate = |year: i32| partial(year, self.mm, self.dd);
        if candidate(year)?.earliest() > today {
            year -= 100;
        }
        candidate(year)
    }

    /// A date of expiry with its century: the one nearest to `today` (expiry dates lie within
    /// a few decades either side of the day they are read).
    pub fn expiry_date(&self, today: Date) -> Option<Date> {
        let yy = i32::from(self.yy?);
        let century = today.year() - today.year().rem_euclid(100);
        let best = [century - 100, century, century + 100]
            .into_iter()
            .map(|c| c + yy)
            .min_by_key(|y| (y - today.year()).abs())?;
        partial(best, self.mm, self.dd)?.to_date()
    }
}

fn partial(year: i32, mm: Option<u8>, dd: Option<u8>) -> Option<PartialDate> {
    let text = match (mm, dd) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    };
    PartialDate::parse_unchecked(&text).ok()
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

pub(crate) fn split_lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

pub(crate) fn describe(lines: &[String]) -> String {
    if lines.is_empty() {
        return "no text".into();
    }
    let lens: Vec<String> = lines
        .iter()
        .map(|l| l.chars().count().to_string())
        .collect();
    format!(
        "{} line{} of {} characters",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        lens.join(" and ")
    )
}

/// Splits `text` into `format.lines()` lines of `format.width()` zone characters.
pub(crate) fn shape(text: &str, format: MrzFormat) -> Result<Vec<Vec<u8>>, MrzError> {
    let mut lines = split_lines(text);
    let (n, w) = (format.lines(), format.width());
    if lines.len() == 1 && lines[0].chars().count() == n * w {
        let one: Vec<char> = lines[0].chars().collect();
        lines = one.chunks(w).map(|c| c.iter().collect()).collect();
    }
    if lines.len() != n || lines.iter().any(|l| l.chars().count() != w) {
        return Err(MrzError::WrongShape {
            expected: format!("{n} lines of {w} characters"),
            found: describe(&lines),
        });
    }
    for (i, line) in lines.iter().enumerate() {
        for (j, c) in line.chars().enumerate() {
            if !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<') {
                return Err(MrzError::BadCharacter {
                    line: i + 1,
                    position: j + 1,
                    found: c,
                });
            }
        }
    }
    Ok(lines.into_iter().map(String::into_bytes).collect())
}

/// Checks the check digit at `line[at]` over `covered`.
pub(crate) fn verify_check(
    covered: &[u8],
    found: u8,
    field: MrzField,
    line: usize,
    at: usize,
) -> Result<(), MrzError> {
    let expected = check_digit(covered);
    if found != expected {
        return Err(MrzError::BadCheckDigit {
            field,
            line,
            position: at + 1,
            found: char::from(found),
            expected: char::from(expected),
        });
    }
    Ok(())
}

/// A field read back without its trailing fillers.
pub(crate) fn trim_fill(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .trim_end_matches('<')
        .to_owned()
}

/// Pads `value` with `<` to `width`, after checking it fits and uses the zone alphabet.
pub(crate) fn pad(
    value: &str,
    width: usize,
    field: MrzField,
    allow_filler: bool,
) -> Result<String, MrzError> {
    if let Some(c) = value
        .chars()
        .find(|&c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || (allow_filler && c == '<')))
    {
        return Err(MrzError::InvalidInput {
            field,
            reason: format!("character {c:?} is not allowed (only A-Z and 0-9)"),
        });
    }
    if value.len() > width {
        return Err(MrzError::InvalidInput {
            field,
            reason: format!("{} characters do not fit in {width}", value.len()),
        });
    }
    Ok(format!("{value:<<width$}"))
}

pub(crate) fn write_code(code: &str, first: &[u8], field: MrzField) -> Result<String, MrzError> {
    let b = code.as_bytes();
    if b.len() != 2 || !first.contains(&b[0]) || !(b[1].is_ascii_uppercase() || b[1] == b'<') {
        let allowed: String = first.iter().map(|&c| char::from(c)).collect();
        return Err(MrzError::InvalidInput {
            field,
            reason: format!(
                "{code:?} is not a document code (two characters, the first one of {allowed})"
            ),
        });
    }
    Ok(code.to_owned())
}

pub(crate) fn write_state(code: &str, field: MrzField) -> Result<String, MrzError> {
    if code.len() == 3
        && code.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
        && code.bytes().all(|c| c.is_ascii_uppercase() || c == b'<')
    {
        Ok(code.to_owned())
    } else {
        Err(MrzError::InvalidInput {
            field,
            reason: format!("{code:?} is not a three-letter state code"),
        })
    }
}

pub(crate) fn read_state(
    bytes: &[u8],
    field: MrzField,
    line: usize,
    at: usize,
) -> Result<String, MrzError> {
    if let Some(i) = bytes.iter().position(|c| c.is_ascii_digit()) {
        return Err(MrzError::InvalidField {
            field,
            line,
            position: at + i + 1,
            reason: "a state code has only letters (and < as filler)".into(),
        });
    }
    if bytes[0] == b'<' {
        return Err(MrzError::InvalidField {
            field,
            line,
            position: at + 1,
            reason: "a state code starts with a letter".into(),
        });
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// Refuses a document number with a filler before its end (or only fillers).
pub(crate) fn check_number_fillers(bytes: &[u8], line: usize, at: usize) -> Result<(), MrzError> {
    if let Some(i) = bytes.iter().position(|&c| c == b'<')
        && (i == 0 || bytes[i..].iter().any(|&c| c != b'<'))
    {
        return Err(MrzError::InvalidField {
            field: MrzField::DocumentNumber,
            line,
            position: at + i + 1,
            reason: "fillers may only pad the end of the document number".into(),
        });
    }
    Ok(())
}

pub(crate) fn write_sex(sex: Option<Sex>) -> char {
    match sex {
        Some(Sex::Male) => 'M',
        Some(Sex::Female) => 'F',
        None => '<',
    }
}

pub(crate) fn read_sex(c: u8, line: usize, at: usize) -> Result<Option<Sex>, MrzError> {
    match c {
        b'M' => Ok(Some(Sex::Male)),
        b'F' => Ok(Some(Sex::Female)),
        b'X' | b'<' => Ok(None),
        _ => Err(MrzError::InvalidField {
            field: MrzField::Sex,
            line,
            position: at + 1,
            reason: "sex is M, F, X or <".into(),
        }),
    }
}

pub(crate) fn read_code(bytes: &[u8], first: &[u8], line: usize) -> Result<String, MrzError> {
    let ok_first = first.contains(&bytes[0]);
    let ok_second = bytes[1].is_ascii_uppercase() || bytes[1] == b'<';
    if !ok_first || !ok_second {
        let allowed: String = first.iter().map(|&c| char::from(c)).collect();
        return Err(MrzError::InvalidField {
            field: MrzField::DocumentCode,
            line,
            position: if ok_first { 2 } else { 1 },
            reason: format!(
                "document code must start with one of {allowed} and then a letter or <"
            ),
        });
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

pub(crate) fn write_date(
    date: &MrzDate,
    field: MrzField,
    complete: bool,
) -> Result<String, MrzError> {
    if complete && !date.is_complete() {
        return Err(MrzError::InvalidInput {
            field,
            reason: "the date must be complete".into(),
        });
    }
    Ok(date.to_mrz())
}

pub(crate) fn require_complete(
    date: MrzDate,
    field: MrzField,
    line: usize,
    at: usize,
) -> Result<MrzDate, MrzError> {
    if date.is_complete() {
        Ok(date)
    } else {
        Err(MrzError::InvalidField {
            field,
            line,
            position: at + 1,
            reason: "the date of expiry must be complete".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn check_digits_of_the_icao_specimen() {
        assert_eq!(check_digit(b"L898902C3"), b'6');
        assert_eq!(check_digit(b"740812"), b'2');
        assert_eq!(check_digit(b"120415"), b'9');
        assert_eq!(check_digit(b"ZE184226B<<<<<"), b'1');
        assert_eq!(check_digit(b"D23145890"), b'7');
    }

    #[test]
    fn partial_birth_dates_use_fillers() {
        let d = PartialDate::parse_unchecked("1974").unwrap();
        assert_eq!(MrzDate::from_partial(&d).to_mrz(), "74<<<<");
        let d = PartialDate::parse_unchecked("1974-08").unwrap();
        assert_eq!(MrzDate::from_partial(&d).to_mrz(), "7408<<");
    }

    #[test]
    fn centuries_are_inferred_from_today() {
        let today = date!(2026 - 11 - 29);
        let born = MrzDate::from_date(date!(1974 - 08 - 12));
        assert_eq!(born.birth_date(today).unwrap().to_string(), "1974-08-12");
        let child = MrzDate::from_date(date!(2020 - 01 - 02));
        assert_eq!(child.birth_date(today).unwrap().to_string(), "2020-01-02");
        let expiry = MrzDate::from_date(date!(2034 - 11 - 28));
        assert_eq!(expiry.expiry_date(today), Some(date!(2034 - 11 - 28)));
        let old = MrzDate::from_date(date!(2012 - 04 - 15));
        assert_eq!(old.expiry_date(today), Some(date!(2012 - 04 - 15)));
    }

    #[test]
    fn impossible_dates_are_refused_with_their_position() {
        let err = MrzDate::parse("741312", MrzField::BirthDate, 2, 14).unwrap_err();
        assert!(
            matches!(err, MrzError::InvalidField { position: 16, .. }),
            "{err}"
        );
        let err = MrzDate::parse("750229", MrzField::BirthDate, 2, 14).unwrap_err();
        assert!(
            matches!(err, MrzError::InvalidField { position: 18, .. }),
            "{err}"
        );
        assert!(MrzDate::parse("760229", MrzField::BirthDate, 2, 14).is_ok());
    }
}
