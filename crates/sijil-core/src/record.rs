//! Person records: the interchange row (see `shared/interchange.md`) and its validated form.
//!
//! A [`RecordRow`] is text exactly as it came (a CSV line, a JSON body, a form). Converting it
//! into a [`PersonRecord`] checks every field at once and reports each problem by column name.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    date::PartialDate,
    digits::fold_digits,
    national_number::NationalNumber,
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

    /// Validates every field against `today`; all problems are reported together.
    pub fn validate(&self, today: Date) -> Result<PersonRecord, ValidationErrors> {
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
        let national_number = c
            .check(
                "national_number",
                match self.national_number.trim() {
                    "" => Ok(None),
                    s => NationalNumber::parse(s)
                        .map(Some)
                        .map_err(Problem::InvalidNationalNumber),
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
            source,
        })
    }
}

fn required(value: &str) -> Result<String, Problem> {
    clean_text(value)?.ok_or(Problem::Required)
}

/// A validated person record: every text field trimmed and checked, empty fields absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    fn set_ignores_unknown_columns() {
        let mut r = RecordRow::default();
        r.set("first_name", "علي".into());
        r.set("favourite_colour", "blue".into());
        assert_eq!(r.first_name, "علي");
    }
}
