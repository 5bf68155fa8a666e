//! Dates in the zone: `YYMMDD`, with `<<` for an unknown part.

use sijil_core::PartialDate;
use time::{Date, Month};

use super::{MrzError, MrzField};

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
    pub(crate) fn parse(
        text: &str,
        field: MrzField,
        line: usize,
        position: usize,
    ) -> Result<Self, MrzError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

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
