//! Person records: the interchange row (see `shared/interchange.md`) and its validated form.
//!
//! A [`RecordRow`] is text exactly as it came (a CSV line, a JSON body, a form). Converting it
//! into a [`PersonRecord`] checks every field at once and reports each problem by column name.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    date::PartialDate,
    digits::fold_digits,
    national_number::{NationalNumber, NationalNumberError},
    validation::{Collector, Problem, ValidationErrors, clean_text},
};

/// The interchange columns, in the order Sijil writes them.
pub const COLUMNS: [&str; 14] = [
    "record_id",
    "first_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "mother_family_name",
    "sex",
    "birth_date",
    "birth_place",
    "registry_place",
    "registry_number",
    "national_number",
    "source",
];

/// Sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sex {
    /// Male (ذكر).
    #[serde(rename = "M")]
    Male,
    /// Female (أنثى).
    #[serde(rename = "F")]
    Female,
}

impl Sex {
    /// Parses `M` or `F` (also ذ / أ), case-insensitive; empty is `None`.
    pub fn parse(input: &str) -> Result<Option<Self>, Problem> {
        match input.trim() {
            "" => Ok(None),
            "M" | "m" | "ذ" | "ذكر" => Ok(Some(Sex::Male)),
            "F" | "f" | "أ" | "أنثى" | "انثى" => Ok(Some(Sex::Female)),
            _ => Err(Problem::InvalidSex),
        }
    }

    /// `M` or `F`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }
}

/// One person record as text, field for field the interchange columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RecordRow {
    pub record_id: String,
    pub first_name: String,
    pub father_name: String,
    pub grandfather_name: String,
    pub family_name: String,
    pub mother_name: String,
    pub mother_family_name: String,
    pub sex: String,
    pub birth_date: String,
    pub birth_place: String,
    pub registry_place: String,
    pub registry_number: String,
    pub national_number: String,
    pub source: String,
}

/// What to do with a national number whose digits are well formed but whose check digit is
/// wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberPolicy {
    /// Refuse the record: right for a clerk at a form, who can look again and correct it.
    Refuse,
    /// Keep the number aside as unverified: right for files copied from old registers, where a
    /// mistyped number is part of the historical record and must not block the rest of it.
    KeepUnverified,
}

impl RecordRow {
    /// Sets a field by its column name; unknown columns are ignored, as the format requires.
    pub fn set(&mut self, column: &str, value: String) {
        let slot = match column {
            "record_id" => &mut self.record_id,
            "first_name" => &mut self.first_name,
            "father_name" => &mut self.father_name,
            "grandfather_name" => &mut self.grandfather_name,
            "family_name" => &mut self.family_name,
            "mother_name" => &mut self.mother_name,
            "mother_family_name" => &mut self.mother_family_name,
            "sex" => &mut self.sex,
            "birth_date" => &mut self.birth_date,
            "birth_place" => &mut self.birth_place,
            "registry_place" => &mut self.registry_place,
            "registry_number" => &mut self.registry_number,
            "national_number" => &mut self.national_number,
            "source" => &mut self.source,
            _ => return,
        };
        *slot = value;
    }

    /// Validates every field against `today`; all problems are reported together. A wrong
    /// check digit in the national number is an error.
    pub fn validate(&self, today: Date) -> Result<PersonRecord, ValidationErrors> {
        self.validate_with(today, NumberPolicy::Refuse)
    }

    /// Validates as [`RecordRow::validate`], treating a wrong check digit as `policy` says.
    pub fn validate_with(
        &self,
        today: Date,
        policy: NumberPolicy,
    ) -> Result<PersonRecord, ValidationErrors> {
        let mut c = Collector::default();
        let record_id = c.check("record_id", required(&self.record_id));
        let mut text = |field: &str, value: &str| c.check(field, clean_text(value)).flatten();
        let first_name = text("first_name", &self.first_name);
        let father_name = text("father_name", &self.father_name);
        let grandfather_name = text("grandfather_name", &self.grandfather_name);
        let family_name = text("family_name", &self.family_name);
        let mother_name = text("mother_name", &self.mother_name);
        let mother_family_name = text("mother_family_name", &self.mother_family_name);
        let birth_place = text("birth_place", &self.birth_place);
        let registry_place = text("registry_place", &self.registry_place);
        let source = text("source", &self.source);
        let registry_number = c
            .check(
                "registry_number",
                clean_text(&fold_digits(&self.registry_number)),
            )
            .flatten();
        let sex = c.check("sex", Sex::parse(&self.sex)).flatten();
        let birth_date = c
            .check(
                "birth_date",
                match self.birth_date.trim() {
                    "" => Ok(None),
                    s => PartialDate::parse(s, today).map(Some),
                },
            )
            .flatten();
        let mut unverified_national_number = None;
        let national_number = c
            .check(
                "national_number",
                match self.national_number.trim() {
                    "" => Ok(None),
                    s => match NationalNumber::parse(s) {
                        Ok(n) => Ok(Some(n)),
                        Err(NationalNumberError::BadCheckDigit { .. })
                            if policy == NumberPolicy::KeepUnverified =>
                        {
                            unverified_national_number = Some(fold_digits(s));
                            Ok(None)
                        }
                        Err(e) => Err(Problem::InvalidNationalNumber(e)),
                    },
                },
            )
            .flatten();
        c.finish(|| PersonRecord {
            record_id: record_id.unwrap_or_default(),
            first_name,
            father_name,
            grandfather_name,
            family_name,
            mother_name,
            mother_family_name,
            sex,
            birth_date,
            birth_place,
            registry_place,
            registry_number,
            national_number,
            unverified_national_number,
            source,
        })
    }
}

fn required(value: &str) -> Result<String, Problem> {
    clean_text(value)?.ok_or(Problem::Required)
}

/// A validated person record: every text field trimmed and checked, empty fields absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[allow(missing_docs)]
pub struct PersonRecord {
    pub record_id: String,
    pub first_name: Option<String>,
    pub father_name: Option<String>,
    pub grandfather_name: Option<String>,
    pub family_name: Option<String>,
    pub mother_name: Option<String>,
    pub mother_family_name: Option<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<PartialDate>,
    pub birth_place: Option<String>,
    pub registry_place: Option<String>,
    pub registry_number: Option<String>,
    pub national_number: Option<NationalNumber>,
    /// A national number with a wrong check digit, kept as written (ASCII digits) when the
    /// record came from a file; never used to link records by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified_national_number: Option<String>,
    pub source: Option<String>,
}

impl PersonRecord {
    /// The family register this record names, when both place and number are given.
    pub fn register(&self) -> Option<crate::register::RegisterKey> {
        crate::register::RegisterKey::new(
            self.registry_place.as_deref()?,
            self.registry_number.as_deref()?,
        )
    }

    /// The record back as interchange text.
    pub fn to_row(&self) -> RecordRow {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        RecordRow {
            record_id: self.record_id.clone(),
            first_name: s(&self.first_name),
            father_name: s(&self.father_name),
            grandfather_name: s(&self.grandfather_name),
            family_name: s(&self.family_name),
            mother_name: s(&self.mother_name),
            mother_family_name: s(&self.mother_family_name),
            sex: self.sex.map(|x| x.code().to_owned()).unwrap_or_default(),
            birth_date: self.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            birth_place: s(&self.birth_place),
            registry_place: s(&self.registry_place),
            registry_number: s(&self.registry_number),
            national_number: self
                .national_number
                .as_ref()
                .map(|n| n.to_string())
                .or_else(|| self.unverified_national_number.clone())
                .unwrap_or_default(),
            source: s(&self.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row() -> RecordRow {
        RecordRow {
            record_id: "R1".into(),
            first_name: " محمد ".into(),
            family_name: "الحلبي".into(),
            sex: "M".into(),
            birth_date: "١٩٨٠-٠٥".into(),
            registry_place: "حلب".into(),
            registry_number: "١٢٣".into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_row_is_cleaned() {
        let r = row().validate(date!(2026 - 01 - 01)).unwrap();
        assert_eq!(r.first_name.as_deref(), Some("محمد"));
        assert_eq!(r.birth_date.unwrap().to_string(), "1980-05");
        assert_eq!(r.registry_number.as_deref(), Some("123"));
        assert_eq!(r.father_name, None);
        assert_eq!(r.register().unwrap().number(), "123");
    }

    #[test]
    fn every_bad_field_is_reported_by_name() {
        let mut bad = row();
        bad.record_id = String::new();
        bad.sex = "X".into();
        bad.birth_date = "1980-02-31".into();
        bad.national_number = "123".into();
        let errors = bad.validate(date!(2026 - 01 - 01)).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["record_id", "sex", "birth_date", "national_number"]
        );
    }

    #[test]
    fn a_wrong_check_digit_is_kept_aside_only_when_asked() {
        let good = NationalNumber::from_parts(1, 2, 345).unwrap().to_string();
        let mut bad = good.clone().into_bytes();
        bad[3] = b'0' + (bad[3] - b'0' + 1) % 10;
        let mut r = row();
        r.national_number = String::from_utf8(bad).unwrap();
        assert!(r.validate(date!(2026 - 01 - 01)).is_err());
        let kept = r
            .validate_with(date!(2026 - 01 - 01), NumberPolicy::KeepUnverified)
            .unwrap();
        assert_eq!(kept.national_number, None);
        assert_eq!(
            kept.unverified_national_number.as_deref(),
            Some(r.national_number.as_str())
        );
        assert_eq!(kept.to_row().national_number, r.national_number);
        r.national_number = "12ab".into();
        assert!(
            r.validate_with(date!(2026 - 01 - 01), NumberPolicy::KeepUnverified)
                .is_err()
        );
    }

    #[test]
    fn set_ignores_unknown_columns() {
        let mut r = RecordRow::default();
        r.set("first_name", "علي".into());
        r.set("favourite_colour", "blue".into());
        assert_eq!(r.first_name, "علي");
    }
}
