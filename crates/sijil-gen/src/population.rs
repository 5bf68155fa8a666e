//! The clean population: clans of related households, generated one chunk at a time.
//!
//! A clan starts from a root man (born 1932–1972) with a family name and a home register.
//! Each married man heads a household: a wife (a cousin, another clan's daughter from the same
//! chunk, or a woman from outside), children spaced one to three years apart, twins now and
//! then. Sons who reach adulthood marry and head households of their own, usually in their
//! father's register. So brothers share father, grandfather, mother and register; cousins share
//! grandfather and family name; the eldest son often carries his grandfather's name — the
//! structures that make identity resolution hard.
//!
//! A chunk holds exactly [`crate::CHUNK_PEOPLE`] people (the last one fewer); the clan being
//! built when the chunk fills is cut short, as real registers cut families at their edges.

use fastrand::Rng;

use crate::data::{Country, Tables, era_bucket, tables};
use crate::rates;
use crate::sample::{Weighted, chance, chunk_rng, poisson};

/// The newest birth year generated.
pub(crate) const LAST_YEAR: u16 = 2024;

/// A family register (القيد): place and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Register {
    pub place: u16,
    pub number: u32,
}

/// Where someone was born.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BirthPlace {
    /// Index into [`Tables::places`].
    Syria(u16),
    /// Index into [`Tables::foreign`].
    Abroad(u16),
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ymd {
    pub y: u16,
    pub m: u8,
    pub d: u8,
}

/// One person of the clean population. Name fields index the tables: `first` the male or
/// female list by `male`; fathers' names the male list; mothers' the female list.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub male: bool,
    pub first: u16,
    pub father_name: u16,
    pub grandfather_name: u16,
    pub family: u16,
    pub mother_name: u16,
    pub mother_family: u16,
    pub birth: Ymd,
    pub birth_place: BirthPlace,
    /// The register of the household one was born into (the father's).
    pub own_reg: Register,
    /// The register of the household one lives in now: one's own when a man opened a new one.
    pub house_reg: Register,
    /// A married woman's husband's register.
    pub marital_reg: Option<Register>,
    /// Governorate, secretariat, serial.
    pub national: Option<(u8, u8, u32)>,
    pub father: Option<u32>,
    pub mother: Option<u32>,
    pub spouse: Option<u32>,
    pub country: Country,
    pub via_turkey: bool,
}

/// Builds the members of chunk `chunk` of a population of `people` under `seed`.
pub(crate) fn chunk_members(seed: u64, people: usize, chunk: u64) -> Vec<Member> {
    let n_chunks = people.div_ceil(crate::CHUNK_PEOPLE) as u64;
    let first = chunk as usize * crate::CHUNK_PEOPLE;
    let cap = crate::CHUNK_PEOPLE.min(people.saturating_sub(first));
    let t = tables();
    let mut b = Builder {
        t,
        rng: chunk_rng(seed, chunk, 0),
        members: Vec::with_capacity(cap),
        cap,
        chunk,
        n_chunks: n_chunks.max(1),
        counters: vec![0; t.places.len()],
        pool: Vec::new(),
        first_global: first as u64,
        countries: Weighted::new(rates::HOUSEHOLD_COUNTRY),
    };
    while b.members.len() < cap {
        b.clan();
    }
    b.members
}

struct Builder {
    t: &'static Tables,
    rng: Rng,
    members: Vec<Member>,
    cap: usize,
    chunk: u64,
    n_chunks: u64,
    /// Registers opened so far in this chunk, per place.
    counters: Vec<u32>,
    /// Unmarried women who may become wives.
    pool: Vec<u32>,
    first_global: u64,
    countries: Weighted,
}

impl Builder {
    fn add(&mut self, mut m: Member, has_national: bool) -> Option<u32> {
        if self.members.len() >= self.cap {
            return None;
        }
        let global = self.first_global + self.members.len() as u64;
        if has_national {
            m.national = national_parts(self.t, m.own_reg.place, global);
        }
        self.members.push(m);
        Some(self.members.len() as u32 - 1)
    }

    /// Opens a new register at `place`. Numbers interleave chunks, so they are unique per
    /// place without coordination: `k * n_chunks + chunk + 1` for the chunk's `k`-th register.
    fn open_register(&mut self, place: u16) -> Register {
        let k = self.counters[place as usize] as u64;
        self.counters[place as usize] += 1;
        let number = (k * self.n_chunks + self.chunk + 1).min(u32::MAX as u64) as u32;
        Register { place, number }
    }

    fn male_name(&mut self, year: u16) -> u16 {
        self.t.male_by_era[era_bucket(year)].sample(&mut self.rng) as u16
    }

    fn female_name(&mut self, year: u16) -> u16 {
        self.t.female_by_era[era_bucket(year)].sample(&mut self.rng) as u16
    }

    fn date(&mut self, y: u16) -> Ymd {
        let m = self.rng.u8(1..=12);
        let d = self.rng.u8(1..=days_in_month(y, m));
        Ymd { y, m, d }
    }

    fn country(&mut self) -> (Country, bool) {
        let c = Country::ALL[self.countries.sample(&mut self.rng)];
        let via = matches!(c, Country::Ge | Country::Fr | Country::Se)
            && chance(&mut self.rng, rates::TRANSIT_VIA_TURKEY);
        (c, via)
    }

    /// A birth place in Syria for someone whose family is registered at `home`.
    fn domestic_birth(&mut self, home: u16) -> BirthPlace {
        let r = self.rng.f64();
        BirthPlace::Syria(if r < 0.55 {
            home
        } else if r < 0.90 {
            self.t.places[home as usize].capital
        } else {
            self.t.place_w.sample(&mut self.rng) as u16
        })
    }

    fn place_near(&mut self, place: u16) -> u16 {
        if chance(&mut self.rng, 0.7) {
            let (idx, w) = &self.t.places_by_gov[self.t.places[place as usize].gov as usize];
            idx[w.sample(&mut self.rng)]
        } else {
            self.t.place_w.sample(&mut self.rng) as u16
        }
    }

    fn clan(&mut self) {
        let family = self.t.family_w.sample(&mut self.rng) as u16;
        let home = match self.t.family_home[family as usize] {
            Some(p) if chance(&mut self.rng, 0.5) => p,
            _ => self.t.place_w.sample(&mut self.rng) as u16,
        };
        let year = self.rng.u16(1932..=1972);
        let reg = self.open_register(home);
        let (country, via_turkey) = self.country();
        let root = Member {
            male: true,
            first: self.male_name(year),
            father_name: self.male_name(year - 30),
            grandfather_name: self.male_name(year - 60),
            family,
            mother_name: self.female_name(year - 25),
            mother_family: self.t.family_w.sample(&mut self.rng) as u16,
            birth: self.date(year),
            birth_place: self.domestic_birth(home),
            own_reg: reg,
            house_reg: reg,
            marital_reg: None,
            national: None,
            father: None,
            mother: None,
            spouse: None,
            country,
            via_turkey,
        };
        if let Some(root) = self.add(root, true) {
            self.household(root);
        }
    }

    /// Takes an unmarried woman from the pool who fits `ok`, probing from a random start.
    fn take_from_pool(&mut self, ok: impl Fn(&Member) -> bool) -> Option<u32> {
        let n = self.pool.len();
        if n == 0 {
            return None;
        }
        let start = self.rng.usize(..n);
        for k in 0..n.min(256) {
            let slot = (start + k) % n;
            if ok(&self.members[self.pool[slot] as usize]) {
                return Some(self.pool.swap_remove(slot));
            }
        }
        None
    }

    fn find_wife(&mut self, h: u32) -> Option<u32> {
        let husband = &self.members[h as usize];
        let (hy, family, father) = (husband.birth.y, husband.family, husband.father);
        let fits = move |m: &Member| {
            m.birth.y + 12 >= hy && m.birth.y <= hy + 2 && (father.is_none() || m.father != father)
        };
        if chance(&mut self.rng, rates::WIFE_SAME_FAMILY)
            && let Some(w) = self.take_from_pool(|m| m.family == family && fits(m))
        {
            return Some(w);
        }
        if chance(&mut self.rng, rates::WIFE_FROM_POPULATION)
            && let Some(w) = self.take_from_pool(fits)
        {
            return Some(w);
        }
        let wy = hy.saturating_sub(self.rng.u16(0..=10)).max(1915);
        let wife_family = if chance(&mut self.rng, 0.15) {
            family
        } else {
            self.t.family_w.sample(&mut self.rng) as u16
        };
        let place = self.place_near(self.members[h as usize].own_reg.place);
        let reg = self.open_register(place);
        let wife = Member {
            male: false,
            first: self.female_name(wy),
            father_name: self.male_name(wy - 28),
            grandfather_name: self.male_name(wy - 58),
            family: wife_family,
            mother_name: self.female_name(wy - 24),
            mother_family: self.t.family_w.sample(&mut self.rng) as u16,
            birth: self.date(wy),
            birth_place: self.domestic_birth(place),
            own_reg: reg,
            house_reg: reg,
            marital_reg: None,
            national: None,
            father: None,
            mother: None,
            spouse: None,
            country: Country::Sy,
            via_turkey: false,
        };
        self.add(wife, true)
    }

    fn household(&mut self, h: u32) {
        let Some(w) = self.find_wife(h) else { return };
        let husband = self.members[h as usize].clone();
        {
            let wife = &mut self.members[w as usize];
            wife.spouse = Some(h);
            wife.marital_reg = Some(husband.house_reg);
            wife.country = husband.country;
            wife.via_turkey = husband.via_turkey;
        }
        self.members[h as usize].spouse = Some(w);
        let wife = self.members[w as usize].clone();
        let wy = wife.birth.y;
        let mean = match wy {
            ..1960 => 6.0,
            1960..1975 => 5.0,
            1975..1990 => 3.6,
            _ => 2.6,
        };
        let births = poisson(&mut self.rng, mean).min(12);
        let mut year = (wy + self.rng.u16(18..=25)).max(husband.birth.y + 20);
        let mut names_used: Vec<(bool, u16)> = Vec::with_capacity(8);
        let mut children: Vec<u32> = Vec::with_capacity(8);
        for _ in 0..births {
            if year > LAST_YEAR {
                break;
            }
            let birth = self.date(year);
            let twins = chance(&mut self.rng, rates::TWIN_BIRTH);
            let sexes = [self.rng.f64() < 0.512, self.rng.f64() < 0.512];
            let paired =
                twins && sexes[0] && sexes[1] && chance(&mut self.rng, rates::TWIN_PAIRED_NAMES);
            let pair = self.t.twin_pairs[self.rng.usize(..self.t.twin_pairs.len())];
            for (j, &male) in sexes.iter().enumerate().take(1 + twins as usize) {
                let first = if paired {
                    if j == 0 { pair.0 } else { pair.1 }
                } else {
                    self.child_name(male, year, &husband, &names_used)
                };
                names_used.push((male, first));
                let birth_place = if husband.country != Country::Sy
                    && year >= 2013
                    && chance(&mut self.rng, rates::BORN_ABROAD)
                {
                    let list = &self.t.foreign_by_country[husband.country as usize];
                    BirthPlace::Abroad(list[self.rng.usize(..list.len())])
                } else {
                    self.domestic_birth(husband.house_reg.place)
                };
                let has_national = matches!(birth_place, BirthPlace::Syria(_))
                    || chance(&mut self.rng, rates::BORN_ABROAD_HAS_NATIONAL_NUMBER);
                let child = Member {
                    male,
                    first,
                    father_name: husband.first,
                    grandfather_name: husband.father_name,
                    family: husband.family,
                    mother_name: wife.first,
                    mother_family: wife.family,
                    birth,
                    birth_place,
                    own_reg: husband.house_reg,
                    house_reg: husband.house_reg,
                    marital_reg: None,
                    national: None,
                    father: Some(h),
                    mother: Some(w),
                    spouse: None,
                    country: husband.country,
                    via_turkey: husband.via_turkey,
                };
                let Some(c) = self.add(child, has_national) else {
                    return;
                };
                if !male && year <= 2006 {
                    self.pool.push(c);
                }
                children.push(c);
            }
            year += self.rng.u16(1..=3) + u16::from(chance(&mut self.rng, 0.15));
        }
        for c in children {
            let son = &self.members[c as usize];
            if !son.male || son.birth.y > 2001 || !chance(&mut self.rng, rates::SON_MARRIES) {
                continue;
            }
            if !chance(&mut self.rng, rates::SON_KEEPS_FATHER_REGISTER) {
                let place = if chance(&mut self.rng, rates::NEW_REGISTER_ELSEWHERE) {
                    self.t.place_w.sample(&mut self.rng) as u16
                } else {
                    husband.house_reg.place
                };
                self.members[c as usize].house_reg = self.open_register(place);
            }
            if chance(&mut self.rng, rates::HOUSEHOLD_MOVES) {
                let (country, via) = self.country();
                let son = &mut self.members[c as usize];
                son.country = country;
                son.via_turkey = via;
            }
            if self.members.len() >= self.cap {
                return;
            }
            self.household(c);
        }
    }

    fn child_name(&mut self, male: bool, year: u16, father: &Member, used: &[(bool, u16)]) -> u16 {
        let first_of_sex = !used.iter().any(|&(s, _)| s == male);
        if male && first_of_sex && chance(&mut self.rng, rates::ELDEST_SON_NAMED_AFTER_GRANDFATHER)
        {
            return father.father_name;
        }
        if !male
            && first_of_sex
            && chance(
                &mut self.rng,
                rates::ELDEST_DAUGHTER_NAMED_AFTER_GRANDMOTHER,
            )
        {
            return father.mother_name;
        }
        let mut name = 0;
        for _ in 0..8 {
            name = if male {
                self.male_name(year)
            } else {
                self.female_name(year)
            };
            let clash = used.contains(&(male, name)) || (male && name == father.first);
            if !clash {
                break;
            }
        }
        name
    }
}

/// National number parts for the person with global index `global`, registered at `place`:
/// the place's governorate, its district plus ten per million people, and a scrambled serial.
/// Unique for every index below ten million; people beyond get none.
fn national_parts(t: &Tables, place: u16, global: u64) -> Option<(u8, u8, u32)> {
    let p = &t.places[place as usize];
    let block = global / 1_000_000;
    let secretariat = p.district as u64 + 10 * block;
    if secretariat >= 100 {
        return None;
    }
    // x -> 7919 x + 271_828 (mod 10^6) is a bijection because 7919 is prime to 10.
    let serial = ((global % 1_000_000) * 7919 + 271_828) % 1_000_000;
    Some((p.gov, secretariat as u8, serial as u32))
}

/// Days in a month of the Gregorian calendar.
pub(crate) fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_full_and_deterministic() {
        let a = chunk_members(5, 10_000, 1);
        let b = chunk_members(5, 10_000, 1);
        assert_eq!(a.len(), crate::CHUNK_PEOPLE);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let last = chunk_members(5, 10_000, 2);
        assert_eq!(last.len(), 10_000 - 2 * crate::CHUNK_PEOPLE);
    }

    #[test]
    fn relations_point_backwards_and_agree() {
        let m = chunk_members(9, 5000, 0);
        for (i, p) in m.iter().enumerate() {
            if let Some(f) = p.father {
                assert!((f as usize) < i);
                assert_eq!(p.father_name, m[f as usize].first);
                assert_eq!(p.family, m[f as usize].family);
            }
            if let Some(s) = p.spouse {
                assert_eq!(m[s as usize].spouse, Some(i as u32));
                assert_ne!(m[s as usize].male, p.male);
            }
            assert!(p.birth.y <= LAST_YEAR);
        }
    }

    #[test]
    fn national_numbers_are_unique_below_ten_million() {
        let t = tables();
        let mut seen = std::collections::HashSet::new();
        for g in (0..10_000_000u64).step_by(997) {
            assert!(seen.insert(national_parts(t, 0, g).unwrap()));
        }
        assert!(national_parts(t, 0, 10_000_000).is_none());
    }
}
