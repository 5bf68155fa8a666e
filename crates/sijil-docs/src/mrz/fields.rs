//! Reading and writing the fields both layouts share.

use sijil_core::Sex;

use super::{MrzDate, MrzError, MrzField, MrzFormat, check_digit};

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
