//! The clean population as public values, for tests, benchmarks and error analysis.

use crate::data::tables;
use crate::population::{BirthPlace, Member, chunk_members};
use crate::{CHUNK_PEOPLE, GenConfig, id_width};

/// A person's sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Male (`M`).
    Male,
    /// Female (`F`).
    Female,
}

/// One person of the generated population, as the clean civil record would show them.
///
/// `person_id` is the value in `truth.csv`. Relatives are given by `person_id` when they are
/// part of the population (a clan's root man has no recorded parents; a wife from outside the
/// population has none either).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The id used in `truth.csv`.
    pub person_id: String,
    /// Given name.
    pub first_name: &'static str,
    /// Father's given name.
    pub father_name: &'static str,
    /// Paternal grandfather's given name.
    pub grandfather_name: &'static str,
    /// Family name.
    pub family_name: &'static str,
    /// Mother's given name.
    pub mother_name: &'static str,
    /// Mother's family name.
    pub mother_family_name: &'static str,
    /// Sex.
    pub sex: Sex,
    /// Birth date: year, month, day.
    pub birth_date: (u16, u8, u8),
    /// Birth place (Arabic; a foreign city for some refugees' children).
    pub birth_place: &'static str,
    /// Place of the family register one was born into (the father's).
    pub registry_place: &'static str,
    /// Number of that register.
    pub registry_number: u32,
    /// Place of the register one belongs to now: a married woman's husband's, or the new
    /// register a married man opened; otherwise the same as `registry_place`.
    pub current_registry_place: &'static str,
    /// Number of that register.
    pub current_registry_number: u32,
    /// National number (valid check digit), when the person has one.
    pub national_number: Option<String>,
    /// The father, when in the population.
    pub father: Option<String>,
    /// The mother, when in the population.
    pub mother: Option<String>,
    /// The spouse, when married.
    pub spouse: Option<String>,
}

/// The clean population of `config`, in `person_id` order: the same people
/// [`crate::generate`] writes records for, built chunk by chunk without drawing any records.
pub fn people(config: &GenConfig) -> impl Iterator<Item = Person> + use<> {
    let GenConfig { people, seed } = *config;
    let n_chunks = people.div_ceil(CHUNK_PEOPLE) as u64;
    let width = id_width(people as u64);
    (0..n_chunks).flat_map(move |chunk| {
        let members = chunk_members(seed, people, chunk);
        let base = chunk * CHUNK_PEOPLE as u64;
        let id = move |local: u32| format!("P{:0width$}", base + local as u64 + 1);
        let persons: Vec<Person> = members
            .iter()
            .enumerate()
            .map(|(i, m)| to_person(m, id(i as u32), &id))
            .collect();
        persons
    })
}

fn to_person(m: &Member, person_id: String, id: &dyn Fn(u32) -> String) -> Person {
    let t = tables();
    let first = if m.male { &t.male } else { &t.female };
    let current = m.marital_reg.unwrap_or(m.house_reg);
    Person {
        person_id,
        first_name: first[m.first as usize].ar,
        father_name: t.male[m.father_name as usize].ar,
        grandfather_name: t.male[m.grandfather_name as usize].ar,
        family_name: t.family[m.family as usize].ar,
        mother_name: t.female[m.mother_name as usize].ar,
        mother_family_name: t.family[m.mother_family as usize].ar,
        sex: if m.male { Sex::Male } else { Sex::Female },
        birth_date: (m.birth.y, m.birth.m, m.birth.d),
        birth_place: match m.birth_place {
            BirthPlace::Syria(p) => t.places[p as usize].ar,
            BirthPlace::Abroad(f) => t.foreign[f as usize].ar,
        },
        registry_place: t.places[m.own_reg.place as usize].ar,
        registry_number: m.own_reg.number,
        current_registry_place: t.places[current.place as usize].ar,
        current_registry_number: current.number,
        national_number: m.national.map(|(g, s, serial)| {
            sijil_core::national_number::NationalNumber::from_parts(g, s, serial)
                .expect("parts are in range")
                .as_str()
                .to_owned()
        }),
        father: m.father.map(id),
        mother: m.mother.map(id),
        spouse: m.spouse.map(id),
    }
}
