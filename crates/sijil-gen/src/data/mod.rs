//! Name and place tables, and the weighted samplers built over them.
//!
//! Tables are written by hand in Arabic with a *phonemic* form beside each entry, because
//! Arabic script leaves short vowels out and a transliteration needs them. The phonemic
//! alphabet, one ASCII character per sound:
//!
//! * consonants `b t V(ث) j H(ح) x(خ) d Q(ذ) r z s c(ش) S(ص) D(ض) T(ط) Z(ظ) 3(ع) g(غ) f q k l
//!   m n h w y '(ء)`; a doubled consonant is geminated (shadda);
//! * vowels `a i u` (and `e o` for Kurdish names); doubled they are long;
//! * `@` after `a` is ة; `al-` is the article, written unassimilated; words are separated by
//!   spaces.
//!
//! Frequencies are Zipf-like over the rank (list order), so a few names are very common and
//! hundreds are rare, as in real registers.

mod family;
mod female;
mod irregular;
mod male;
mod places;

use std::sync::OnceLock;

use crate::sample::Weighted;

/// How a given name's popularity moved over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Era {
    /// Steady.
    N,
    /// Old-fashioned: common among people born before 1970.
    O,
    /// Modern: common among people born since 1995.
    Y,
}

/// Where a household lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Country {
    Sy,
    Tr,
    Lb,
    Jo,
    Ge,
    Fr,
    Se,
}

impl Country {
    pub(crate) const ALL: [Country; 7] = [
        Country::Sy,
        Country::Tr,
        Country::Lb,
        Country::Jo,
        Country::Ge,
        Country::Fr,
        Country::Se,
    ];
}

/// A name with its phonemic form and established Latin spellings.
#[derive(Debug)]
pub(crate) struct Name {
    pub ar: &'static str,
    pub ph: &'static str,
    pub latin: Option<&'static [&'static str; 4]>,
}

/// A Syrian locality.
#[derive(Debug)]
pub(crate) struct Place {
    pub ar: &'static str,
    pub ph: &'static str,
    pub gov: u8,
    pub district: u8,
    /// Index of the governorate capital in [`Tables::places`].
    pub capital: u16,
    pub aliases: Vec<&'static str>,
    pub latin: Option<&'static [&'static str; 4]>,
}

/// A place abroad.
#[derive(Debug)]
pub(crate) struct Foreign {
    pub ar: &'static str,
    pub country: Country,
    pub latin: &'static [&'static str; 4],
}

/// All tables, built once.
pub(crate) struct Tables {
    pub male: Vec<Name>,
    pub female: Vec<Name>,
    pub family: Vec<Name>,
    /// For nisba family names, the place their clans come from.
    pub family_home: Vec<Option<u16>>,
    pub places: Vec<Place>,
    pub foreign: Vec<Foreign>,
    /// Male and female given-name samplers for births before 1970, 1970–1994, 1995 on.
    pub male_by_era: [Weighted; 3],
    pub female_by_era: [Weighted; 3],
    pub family_w: Weighted,
    pub place_w: Weighted,
    /// Per governorate code (index 0 unused): places and their weights.
    pub places_by_gov: Vec<(Vec<u16>, Weighted)>,
    /// Foreign places per [`Country`] (index `country as usize`).
    pub foreign_by_country: Vec<Vec<u16>>,
    /// Male name pairs given to twin brothers.
    pub twin_pairs: Vec<(u16, u16)>,
}

/// Zipf weight of a 0-based rank: `1 / (rank + offset)^s`.
pub(crate) fn zipf(rank: usize, offset: f64, s: f64) -> f64 {
    1.0 / (rank as f64 + offset).powf(s)
}

/// The weight multiplier of a name's era for people born in era bucket `bucket`.
fn era_factor(era: Era, bucket: usize) -> f64 {
    match era {
        Era::N => 1.0,
        Era::O => [2.0, 0.8, 0.25][bucket],
        Era::Y => [0.05, 0.5, 3.0][bucket],
    }
}

/// The era bucket of a birth year.
pub(crate) fn era_bucket(year: u16) -> usize {
    match year {
        ..1970 => 0,
        1970..1995 => 1,
        _ => 2,
    }
}

fn irregular(ph: &str) -> Option<&'static [&'static str; 4]> {
    irregular::IRREGULAR
        .iter()
        .find(|(p, _)| *p == ph)
        .map(|(_, cells)| cells)
}

fn names(table: &'static [(&'static str, &'static str, Era)]) -> Vec<Name> {
    table
        .iter()
        .map(|&(ar, ph, _)| Name {
            ar,
            ph,
            latin: irregular(ph),
        })
        .collect()
}

fn era_samplers(table: &[(&str, &str, Era)], offset: f64, s: f64) -> [Weighted; 3] {
    std::array::from_fn(|bucket| {
        Weighted::new(
            table
                .iter()
                .enumerate()
                .map(|(rank, &(_, _, era))| zipf(rank, offset, s) * era_factor(era, bucket)),
        )
    })
}

fn build() -> Tables {
    let gov_capital = |gov: u8| -> u16 {
        places::SYRIAN
            .iter()
            .position(|p| p.2 == gov)
            .expect("every governorate has a place") as u16
    };
    let place_list: Vec<Place> = places::SYRIAN
        .iter()
        .map(|&(ar, ph, gov, district, _)| Place {
            ar,
            ph,
            gov,
            district,
            capital: gov_capital(gov),
            aliases: places::ALIASES
                .iter()
                .filter(|(p, _)| *p == ar)
                .map(|&(_, a)| a)
                .collect(),
            latin: places::EXONYMS
                .iter()
                .find(|(p, _)| *p == ar)
                .map(|(_, cells)| cells),
        })
        .collect();
    let place_index =
        |ar: &str| -> Option<u16> { place_list.iter().position(|p| p.ar == ar).map(|i| i as u16) };
    let family: Vec<Name> = family::FAMILY
        .iter()
        .map(|&(ar, ph)| Name {
            ar,
            ph,
            latin: irregular(ph),
        })
        .collect();
    let family_home = family
        .iter()
        .map(|f| {
            family::NISBA_HOME
                .iter()
                .find(|(n, _)| *n == f.ar)
                .and_then(|(_, place)| place_index(place))
        })
        .collect();
    let places_by_gov = (0..=14u8)
        .map(|gov| {
            let idx: Vec<u16> = (0..place_list.len() as u16)
                .filter(|&i| place_list[i as usize].gov == gov)
                .collect();
            let w = if idx.is_empty() {
                Weighted::new([1.0])
            } else {
                Weighted::new(idx.iter().map(|&i| places::SYRIAN[i as usize].4 as f64))
            };
            (idx, w)
        })
        .collect();
    let foreign: Vec<Foreign> = places::FOREIGN
        .iter()
        .map(|(ar, country, latin)| Foreign {
            ar,
            country: *country,
            latin,
        })
        .collect();
    let foreign_by_country = Country::ALL
        .iter()
        .map(|&c| {
            (0..foreign.len() as u16)
                .filter(|&i| foreign[i as usize].country == c)
                .collect()
        })
        .collect();
    let male = names(male::MALE);
    let male_index = |ar: &str| male.iter().position(|n| n.ar == ar).map(|i| i as u16);
    let twin_pairs = [
        ("حسن", "حسين"),
        ("محمد", "أحمد"),
        ("عمر", "عثمان"),
        ("محمود", "محمد"),
        ("خالد", "وليد"),
    ]
    .iter()
    .filter_map(|(a, b)| Some((male_index(a)?, male_index(b)?)))
    .collect();
    Tables {
        male_by_era: era_samplers(male::MALE, 1.6, 1.05),
        female_by_era: era_samplers(female::FEMALE, 2.5, 0.95),
        family_w: Weighted::new((0..family.len()).map(|r| zipf(r, 12.0, 0.85))),
        place_w: Weighted::new(places::SYRIAN.iter().map(|p| p.4 as f64)),
        female: names(female::FEMALE),
        male,
        family,
        family_home,
        places: place_list,
        foreign,
        places_by_gov,
        foreign_by_country,
        twin_pairs,
    }
}

/// The tables, built on first use.
pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn entries_are_unique_and_phonemic_forms_are_ascii() {
        let t = tables();
        for (what, list) in [
            ("male", &t.male),
            ("female", &t.female),
            ("family", &t.family),
        ] {
            let mut seen = HashSet::new();
            for n in list.iter() {
                assert!(seen.insert(n.ar), "{what} name {} listed twice", n.ar);
                assert!(
                    n.ph.is_ascii(),
                    "{what} {} has a non-ASCII phonemic form",
                    n.ar
                );
            }
        }
        assert!(t.family.len() >= 400, "many hundreds of family names");
        assert!(t.places.len() >= 200);
    }

    #[test]
    fn every_nisba_and_alias_resolves() {
        let t = tables();
        for (name, place) in family::NISBA_HOME {
            assert!(
                t.family.iter().any(|f| f.ar == *name),
                "unknown family {name}"
            );
            assert!(
                t.places.iter().any(|p| p.ar == *place),
                "unknown place {place}"
            );
        }
        let named = places::ALIASES.iter().map(|(p, _)| p);
        for place in named.chain(places::EXONYMS.iter().map(|(p, _)| p)) {
            assert!(
                t.places.iter().any(|p| p.ar == *place),
                "unknown place {place}"
            );
        }
        assert_eq!(t.twin_pairs.len(), 5);
    }

    #[test]
    fn common_names_are_common_and_the_tail_is_long() {
        let t = tables();
        let mid = &t.male_by_era[1];
        let top = mid.share(0);
        assert!((0.07..0.16).contains(&top), "محمد share {top}");
        let top10: f64 = (0..10).map(|i| mid.share(i)).sum();
        assert!((0.25..0.50).contains(&top10), "top-10 male share {top10}");
        let fam_top = t.family_w.share(0);
        assert!(
            (0.005..0.03).contains(&fam_top),
            "top family share {fam_top}"
        );
    }
}
