//! Normalised keys of a record for other tools (a benchmark gives them to Splink, so that
//! both matchers start from the same Arabic normalisation).

use sijil_core::PersonRecord;
use sijil_names::{NameField, NameKey};

/// Columns of [`normalised`], after `record_id`.
pub const NORMALISED_COLUMNS: [&str; 16] = [
    "first_name_norm",
    "first_name_skel",
    "father_name_norm",
    "father_name_skel",
    "grandfather_name_norm",
    "family_name_norm",
    "family_name_skel",
    "mother_name_norm",
    "mother_name_skel",
    "mother_family_name_norm",
    "birth_place_norm",
    "registry_place_norm",
    "sex",
    "birth_date",
    "registry_number",
    "national_number",
];

/// A record's values as [`NORMALISED_COLUMNS`] lists them: names by their loose key (marks,
/// letter variants, compounds, the article in family fields and Latin spelling conventions
/// folded) and their consonant skeleton; other fields as written.
pub fn normalised(r: &PersonRecord) -> Vec<String> {
    let key = |t: &Option<String>, f: NameField| NameKey::new(t.as_deref().unwrap_or(""), f);
    let first = key(&r.first_name, NameField::Given);
    let father = key(&r.father_name, NameField::Given);
    let family = key(&r.family_name, NameField::Family);
    let mother = key(&r.mother_name, NameField::Given);
    vec![
        first.loose().to_owned(),
        first.skeleton().to_owned(),
        father.loose().to_owned(),
        father.skeleton().to_owned(),
        key(&r.grandfather_name, NameField::Given)
            .loose()
            .to_owned(),
        family.loose().to_owned(),
        family.skeleton().to_owned(),
        mother.loose().to_owned(),
        mother.skeleton().to_owned(),
        key(&r.mother_family_name, NameField::Family)
            .loose()
            .to_owned(),
        key(&r.birth_place, NameField::Place).loose().to_owned(),
        key(&r.registry_place, NameField::Place).loose().to_owned(),
        r.sex.map(|s| s.code().to_owned()).unwrap_or_default(),
        r.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        r.registry_number.clone().unwrap_or_default(),
        r.national_number
            .as_ref()
            .map(|n| n.to_string())
            .or_else(|| r.unverified_national_number.clone())
            .unwrap_or_default(),
    ]
}
