//! A person's current view, derived from the source records linked to them.
//!
//! Persons are never edited directly: the view is recomputed from the records, so linking or
//! unlinking a record (a later adjudication) changes the view without losing anything.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{
    date::PartialDate, national_number::NationalNumber, record::PersonRecord, record::Sex,
};

/// The current view of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[allow(missing_docs)]
pub struct PersonView {
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
}

impl PersonView {
    /// Derives the view from records given oldest first.
    ///
    /// Each field takes the value most records agree on; a tie goes to the most recent record.
    /// Text in Arabic letters wins over text in Latin letters (a name from a foreign passport
    /// is a transliteration of the Arabic one, which the registry shows). For the birth date,
    /// a more precise date wins over a less precise one that it refines.
    pub fn derive(records: &[PersonRecord]) -> Self {
        fn vote<T: Clone + Eq + std::hash::Hash>(
            values: impl Iterator<Item = Option<T>>,
        ) -> Option<T> {
            let mut counts: HashMap<T, (usize, usize)> = HashMap::new();
            for (i, v) in values.enumerate() {
                if let Some(v) = v {
                    let entry = counts.entry(v).or_insert((0, i));
                    entry.0 += 1;
                    entry.1 = i;
                }
            }
            counts
                .into_iter()
                .max_by_key(|(_, (n, last))| (*n, *last))
                .map(|(v, _)| v)
        }
        let arabic = |s: &String| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let field = |f: fn(&PersonRecord) -> &Option<String>| {
            vote(records.iter().map(|r| f(r).clone().filter(arabic)))
                .or_else(|| vote(records.iter().map(|r| f(r).clone())))
        };
        Self {
            first_name: field(|r| &r.first_name),
            father_name: field(|r| &r.father_name),
            grandfather_name: field(|r| &r.grandfather_name),
            family_name: field(|r| &r.family_name),
            mother_name: field(|r| &r.mother_name),
            mother_family_name: field(|r| &r.mother_family_name),
            sex: vote(records.iter().map(|r| r.sex)),
            birth_date: best_birth_date(records),
            birth_place: field(|r| &r.birth_place),
            registry_place: field(|r| &r.registry_place),
            registry_number: field(|r| &r.registry_number),
        }
    }

    /// The national number given on the records, if they agree on one.
    pub fn claimed_national_number(records: &[PersonRecord]) -> Option<NationalNumber> {
        let mut numbers = records.iter().filter_map(|r| r.national_number.clone());
        let first = numbers.next()?;
        numbers.all(|n| n == first).then_some(first)
    }

    /// The name parts joined for display (first, father, grandfather, family).
    pub fn full_name(&self) -> String {
        [
            &self.first_name,
            &self.father_name,
            &self.grandfather_name,
            &self.family_name,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// The most precise birth date consistent with the most records.
fn best_birth_date(records: &[PersonRecord]) -> Option<PartialDate> {
    let dates: Vec<PartialDate> = records.iter().filter_map(|r| r.birth_date).collect();
    dates
        .iter()
        .enumerate()
        .max_by_key(|(i, d)| {
            let support = dates
                .iter()
                .filter(|o| o.earliest() <= d.earliest() && d.latest() <= o.latest())
                .count();
            let precision = d.month().is_some() as u8 + d.day().is_some() as u8;
            (support, precision, *i)
        })
        .map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(first: &str, date: &str) -> PersonRecord {
        PersonRecord {
            record_id: first.into(),
            first_name: Some(first.into()),
            father_name: None,
            grandfather_name: None,
            family_name: Some("الحلبي".into()),
            mother_name: None,
            mother_family_name: None,
            sex: None,
            birth_date: (!date.is_empty()).then(|| PartialDate::parse_unchecked(date).unwrap()),
            birth_place: None,
            registry_place: None,
            registry_number: None,
            national_number: None,
            unverified_national_number: None,
            source: None,
        }
    }

    #[test]
    fn majority_wins_and_precise_dates_refine_vague_ones() {
        let v = PersonView::derive(&[
            rec("محمد", "1980"),
            rec("محمد", "1980-05-03"),
            rec("محمود", ""),
        ]);
        assert_eq!(v.first_name.as_deref(), Some("محمد"));
        assert_eq!(v.birth_date.unwrap().to_string(), "1980-05-03");
        assert_eq!(v.full_name(), "محمد الحلبي");
    }

    #[test]
    fn ties_go_to_the_latest_record() {
        let v = PersonView::derive(&[rec("محمد", ""), rec("محمود", "")]);
        assert_eq!(v.first_name.as_deref(), Some("محمود"));
    }

    #[test]
    fn arabic_letters_win_over_a_transliteration_however_many() {
        let v = PersonView::derive(&[rec("Mohammed", ""), rec("محمد", ""), rec("Mohammed", "")]);
        assert_eq!(v.first_name.as_deref(), Some("محمد"));
        let v = PersonView::derive(&[rec("Mohammed", ""), rec("Muhammad", "")]);
        assert_eq!(
            v.first_name.as_deref(),
            Some("Muhammad"),
            "Latin only: as before"
        );
    }
}
