//! Dates as registries know them: often only a year, or a year and a month.
//!
//! A `PartialDate` keeps exactly the precision that was written, so a later comparison can tell
//! "born 1980" from "born 1 January 1980" (the default clerks used when only the year was known).

use std::{cmp::Ordering, fmt};

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::{digits::fold_digits, validation::Problem};

/// A full `time::Date` in JSON as `YYYY-MM-DD` (`#[serde(with = "sijil_core::date::iso_day")]`),
/// the form the API takes dates in. Without it `time` writes `[year, day of the year]`.
pub mod iso_day {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::{Date, Month};

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(day: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}",
            day.year(),
            u8::from(day.month()),
            day.day()
        ))
    }

    /// Reads `YYYY-MM-DD` (a day that exists).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        let mut parts = text.splitn(3, '-');
        let mut next = || parts.next().and_then(|p| p.parse::<u32>().ok());
        match (next(), next(), next()) {
            (Some(y), Some(m), Some(day)) if text.len() == 10 => {
                let month =
                    Month::try_from(u8::try_from(m).unwrap_or(0)).map_err(D::Error::custom)?;
                Date::from_calendar_date(y as i32, month, u8::try_from(day).unwrap_or(0))
                    .map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom(format!(
                "{text:?} is not a YYYY-MM-DD date"
            ))),
        }
    }
}

/// Earliest year accepted for any date in the registry.
pub const MIN_YEAR: i32 = 1880;

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ASCII or Arabic-Indic digits), checking that
    /// the date exists in the calendar, is not after `today` and not before [`MIN_YEAR`].
    pub fn parse(input: &str, today: Date) -> Result<Self, Problem> {
        let d = Self::parse_unchecked(input)?;
        if d.year < MIN_YEAR {
            return Err(Problem::DateTooOld);
        }
        if d.earliest() > today {
            return Err(Problem::DateInFuture);
        }
        Ok(d)
    }

    /// Parses the syntax and calendar validity only (no range check against today).
    pub fn parse_unchecked(input: &str) -> Result<Self, Problem> {
        let folded = fold_digits(input.trim());
        let parts: Vec<&str> = folded.split('-').collect();
        let num = |s: &str, len: usize| -> Result<u32, Problem> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| Problem::InvalidDate)
            } else {
                Err(Problem::InvalidDate)
            }
        };
        let (year, month, day) = match parts.as_slice() {
            [y] => (num(y, 4)?, None, None),
            [y, m] => (num(y, 4)?, Some(num(m, 2)?), None),
            [y, m, d] => (num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
            _ => return Err(Problem::InvalidDate),
        };
        let year = year as i32;
        let month = match month {
            Some(m) if (1..=12).contains(&m) => Some(m as u8),
            Some(_) => return Err(Problem::InvalidDate),
            None => None,
        };
        if let (Some(m), Some(d)) = (month, day) {
            let month = Month::try_from(m).map_err(|_| Problem::InvalidDate)?;
            Date::from_calendar_date(year, month, d as u8).map_err(|_| Problem::InvalidDate)?;
        }
        Ok(Self {
            year,
            month,
            day: day.map(|d| d as u8),
        })
    }

    /// A full date.
    pub fn from_date(date: Date) -> Self {
        Self {
            year: date.year(),
            month: Some(date.month() as u8),
            day: Some(date.day()),
        }
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month (1–12), if known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day of the month, if known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// The full date, when the day is known.
    pub fn to_date(&self) -> Option<Date> {
        let month = Month::try_from(self.month?).ok()?;
        Date::from_calendar_date(self.year, month, self.day?).ok()
    }

    /// The first day this partial date could be.
    pub fn earliest(&self) -> Date {
        let month = Month::try_from(self.month.unwrap_or(1)).expect("validated month");
        Date::from_calendar_date(self.year, month, self.day.unwrap_or(1)).expect("validated date")
    }

    /// The last day this partial date could be.
    pub fn latest(&self) -> Date {
        let month = Month::try_from(self.month.unwrap_or(12)).expect("validated month");
        let day = self.day.unwrap_or_else(|| month.length(self.year));
        Date::from_calendar_date(self.year, month, day).expect("validated date")
    }

    /// Whether this date is certainly before `other` (its latest day precedes the other's
    /// earliest). Unknown precision never produces a false "before".
    pub fn certainly_before(&self, other: &PartialDate) -> bool {
        self.latest() < other.earliest()
    }

    /// Age in whole years on `on`, counted from the latest possible birth day, so a partial date
    /// never makes someone older than they can be.
    pub fn age_on(&self, on: Date) -> i32 {
        let born = self.latest();
        let mut age = on.year() - born.year();
        if (on.month() as u8, on.day()) < (born.month() as u8, born.day()) {
            age -= 1;
        }
        age
    }

    /// Orders by earliest possible day, for display.
    pub fn cmp_earliest(&self, other: &Self) -> Ordering {
        self.earliest().cmp(&other.earliest())
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse_unchecked(&value).map_err(|p| p.message_en())
    }
}

impl From<PartialDate> for String {
    fn from(value: PartialDate) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 29);

    #[test]
    fn parses_each_precision() {
        assert_eq!(
            PartialDate::parse("1980", TODAY).unwrap().to_string(),
            "1980"
        );
        assert_eq!(
            PartialDate::parse("1980-05", TODAY).unwrap().to_string(),
            "1980-05"
        );
        assert_eq!(
            PartialDate::parse("١٩٨٠-٠٥-٠٣", TODAY).unwrap().to_string(),
            "1980-05-03"
        );
    }

    #[test]
    fn refuses_impossible_and_out_of_range_dates() {
        for bad in [
            "1980-02-30",
            "1980-13",
            "80",
            "1980-5-3",
            "1980/05/03",
            "",
            "1980-05-03-01",
        ] {
            assert_eq!(
                PartialDate::parse(bad, TODAY),
                Err(Problem::InvalidDate),
                "{bad}"
            );
        }
        assert_eq!(
            PartialDate::parse("2027", TODAY),
            Err(Problem::DateInFuture)
        );
        assert_eq!(PartialDate::parse("1700", TODAY), Err(Problem::DateTooOld));
        assert!(PartialDate::parse("2024-02-29", TODAY).is_ok());
        assert_eq!(
            PartialDate::parse("2023-02-29", TODAY),
            Err(Problem::InvalidDate)
        );
    }

    #[test]
    fn age_counts_from_the_latest_possible_birthday() {
        let born = PartialDate::parse("2008", TODAY).unwrap();
        assert_eq!(born.age_on(date!(2026 - 06 - 01)), 17);
        assert_eq!(born.age_on(date!(2027 - 01 - 01)), 18);
    }

    proptest! {
        #[test]
        fn display_round_trips(y in 1880i32..2026, m in 1u8..=12, d in 1u8..=28, precision in 0..3) {
            let s = match precision {
                0 => format!("{y:04}"),
                1 => format!("{y:04}-{m:02}"),
                _ => format!("{y:04}-{m:02}-{d:02}"),
            };
            let p = PartialDate::parse(&s, TODAY).unwrap();
            prop_assert_eq!(p.to_string(), s);
            prop_assert!(p.earliest() <= p.latest());
        }

        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,20}") {
            let _ = PartialDate::parse(&s, TODAY);
        }
    }

    #[test]
    fn full_days_go_to_json_as_iso_dates_and_back() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct On {
            #[serde(with = "super::iso_day")]
            day: Date,
        }
        let on = On {
            day: date!(2018 - 07 - 01),
        };
        let json = serde_json::to_string(&on).unwrap();
        assert_eq!(json, r#"{"day":"2018-07-01"}"#);
        assert_eq!(serde_json::from_str::<On>(&json).unwrap(), on);
        for bad in [
            r#"{"day":"2018-02-30"}"#,
            r#"{"day":"2018-7-1"}"#,
            r#"{"day":[2018,182]}"#,
        ] {
            assert!(serde_json::from_str::<On>(bad).is_err(), "{bad}");
        }
    }
}
