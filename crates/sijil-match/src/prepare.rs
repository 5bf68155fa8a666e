//! From a validated [`PersonRecord`] to the compact form matching works on: interned name ids,
//! a packed date, the national number as digits.

use sijil_core::{PersonRecord, Sex};
use sijil_names::Convention;

use crate::hash;
use crate::vocab::{Entry, Kind, Lookup, NONE, Table, is_latin};

/// Name fields, in the order of [`Rec::names`].
pub(crate) const FIRST: usize = 0;
pub(crate) const FATHER: usize = 1;
pub(crate) const GRANDFATHER: usize = 2;
pub(crate) const FAMILY: usize = 3;
pub(crate) const MOTHER: usize = 4;
pub(crate) const MOTHER_FAMILY: usize = 5;

/// The table kind of each name field.
pub(crate) const NAME_KINDS: [Kind; 6] = [
    Kind::Given,
    Kind::Given,
    Kind::Given,
    Kind::Family,
    Kind::Given,
    Kind::Family,
];

/// A birth date as written: year, and month and day when known (0 when not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub(crate) fn is_full(self) -> bool {
        self.day != 0
    }
}

/// A national number: its digits as a number with their count, and whether the check digit
/// passed. `len == 0` means none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Number {
    pub value: u64,
    pub len: u8,
    pub verified: bool,
}

/// One record, compact. Name and place fields are ids into the [`Vocab`] ([`NONE`] if empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rec {
    pub names: [u32; 6],
    pub birth_place: u32,
    pub registry_place: u32,
    /// Hash of the register number (0 when empty).
    pub registry_number: u64,
    /// `None` when the date is missing.
    pub date: Option<Date>,
    pub sex: Option<Sex>,
    pub number: Number,
}

/// The interned spellings of all fields.
#[derive(Debug, Clone)]
pub(crate) struct Vocab {
    pub given: Table,
    pub family: Table,
    pub place: Table,
}

impl Default for Vocab {
    fn default() -> Self {
        Vocab {
            given: Table::new(Kind::Given),
            family: Table::new(Kind::Family),
            place: Table::new(Kind::Place),
        }
    }
}

impl Vocab {
    /// The table of a kind.
    pub(crate) fn table(&self, kind: Kind) -> &Table {
        match kind {
            Kind::Given => &self.given,
            Kind::Family => &self.family,
            Kind::Place => &self.place,
        }
    }

    fn table_mut(&mut self, kind: Kind) -> &mut Table {
        match kind {
            Kind::Given => &mut self.given,
            Kind::Family => &mut self.family,
            Kind::Place => &mut self.place,
        }
    }
}

impl Lookup for Vocab {
    #[inline]
    fn entry(&self, kind: Kind, id: u32) -> &Entry {
        self.table(kind).get(id)
    }
    fn uid(&self, kind: Kind) -> u32 {
        self.table(kind).uid()
    }
}

/// The entry of name field `field` (an index into [`Rec::names`]).
#[inline]
pub(crate) fn name<L: Lookup + ?Sized>(l: &L, field: usize, id: u32) -> &Entry {
    l.entry(NAME_KINDS[field], id)
}

/// Where prepared records get their name ids.
pub(crate) trait Interner: Lookup {
    /// The id of a spelling, interning it if needed.
    fn intern(&mut self, kind: Kind, text: &str, conv: Convention) -> u32;
}

impl Interner for Vocab {
    fn intern(&mut self, kind: Kind, text: &str, conv: Convention) -> u32 {
        self.table_mut(kind).intern(text, conv)
    }
}

/// Ids at or above this bit belong to an [`Overlay`].
const OVERLAY: u32 = 1 << 31;

/// A registry's vocabulary, read-only, plus the spellings of records being resolved or
/// searched for that it does not hold: resolving a record never changes the registry.
pub(crate) struct Overlay<'a> {
    base: &'a Vocab,
    extra: Vocab,
}

impl<'a> Overlay<'a> {
    pub(crate) fn new(base: &'a Vocab) -> Self {
        Overlay {
            base,
            extra: Vocab::default(),
        }
    }
}

impl Lookup for Overlay<'_> {
    #[inline]
    fn entry(&self, kind: Kind, id: u32) -> &Entry {
        if id & OVERLAY != 0 {
            self.extra.entry(kind, id & !OVERLAY)
        } else {
            self.base.entry(kind, id)
        }
    }
    fn uid(&self, kind: Kind) -> u32 {
        self.base.uid(kind)
    }
}

impl Interner for Overlay<'_> {
    fn intern(&mut self, kind: Kind, text: &str, conv: Convention) -> u32 {
        if let Some(id) = self.base.table(kind).find(text, conv) {
            return id;
        }
        match self.extra.intern(kind, text, conv) {
            NONE => NONE,
            id => id | OVERLAY,
        }
    }
}

fn intern_opt<I: Interner + ?Sized>(
    i: &mut I,
    kind: Kind,
    text: Option<&str>,
    conv: Convention,
) -> u32 {
    match text {
        Some(t) => i.intern(kind, t, conv),
        None => NONE,
    }
}

/// Prepares a record: interns its names under the transliteration convention of its source,
/// and splits a Latin first name that carries the father's (and grandfather's) name when those
/// fields are empty, as foreign forms that flatten the name chain do (`Mohammed Ahmad` with no
/// father).
pub(crate) fn prepare<I: Interner + ?Sized>(i: &mut I, r: &PersonRecord, conv: Convention) -> Rec {
    let texts = [
        &r.first_name,
        &r.father_name,
        &r.grandfather_name,
        &r.family_name,
        &r.mother_name,
        &r.mother_family_name,
    ];
    let mut names = [NONE; 6];
    for (f, t) in texts.iter().enumerate() {
        names[f] = intern_opt(i, NAME_KINDS[f], t.as_deref(), conv);
    }
    if names[FIRST] != NONE && names[FATHER] == NONE {
        split_first(i, &mut names, conv);
    }
    Rec {
        names,
        birth_place: intern_opt(i, Kind::Place, r.birth_place.as_deref(), conv),
        registry_place: intern_opt(i, Kind::Place, r.registry_place.as_deref(), conv),
        registry_number: r
            .registry_number
            .as_deref()
            .map(|n| hash::str(0x7265_6769, n.trim_start_matches('0')))
            .unwrap_or(0),
        date: r.birth_date.map(|d| Date {
            year: u16::try_from(d.year()).unwrap_or(0),
            month: d.month().unwrap_or(0),
            day: d.day().unwrap_or(0),
        }),
        sex: r.sex,
        number: number(r),
    }
}

fn split_first<I: Interner + ?Sized>(i: &mut I, names: &mut [u32; 6], conv: Convention) {
    let key = &i.entry(Kind::Given, names[FIRST]).key;
    let n = key.token_count();
    if n < 2 || !is_latin(key) {
        return;
    }
    let parts: Vec<String> = key.tokens().map(|t| t.spelled.to_owned()).collect();
    names[FIRST] = i.intern(Kind::Given, &parts[0], conv);
    names[FATHER] = i.intern(Kind::Given, &parts[1], conv);
    if n == 3 && names[GRANDFATHER] == NONE {
        names[GRANDFATHER] = i.intern(Kind::Given, &parts[2], conv);
    }
}

fn number(r: &PersonRecord) -> Number {
    let (text, verified) = match (&r.national_number, &r.unverified_national_number) {
        (Some(n), _) => (n.as_str(), true),
        (None, Some(u)) => (u.as_str(), false),
        (None, None) => return Number::default(),
    };
    let digits = text.trim();
    if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // Not a plain run of digits: keep it comparable for equality only.
        let h = hash::str(0x6e6e, digits) | (1 << 63);
        return Number {
            value: h,
            len: 0xff,
            verified,
        };
    }
    Number {
        value: digits.parse().unwrap_or(0),
        len: digits.len() as u8,
        verified,
    }
}

/// The transliteration convention of a source, from a two-letter country prefix of its code
/// (`tr_migration`, `de_bamf`): Turkish for Turkey, German for Germany, Austria and
/// Switzerland, French for France and Belgium; otherwise unknown (English and French readings
/// merged, Turkish recognised by its letters). A registry that knows its sources better can
/// say so in the model's settings.
pub fn convention_for_source(source: Option<&str>) -> Convention {
    let Some(s) = source else {
        return Convention::Unknown;
    };
    let prefix = s.split(['_', '-', ':', ' ']).next().unwrap_or("");
    match prefix.to_ascii_lowercase().as_str() {
        "tr" => Convention::Turkish,
        "de" | "at" | "ch" => Convention::German,
        "fr" | "be" => Convention::French,
        _ => Convention::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(first: &str, father: &str) -> PersonRecord {
        PersonRecord {
            record_id: "R".into(),
            first_name: Some(first.into()).filter(|s: &String| !s.is_empty()),
            father_name: Some(father.into()).filter(|s: &String| !s.is_empty()),
            ..PersonRecord::default()
        }
    }

    #[test]
    fn a_flattened_latin_name_chain_is_split() {
        let mut v = Vocab::default();
        let r = prepare(&mut v, &rec("Mohammed Ahmad", ""), Convention::Unknown);
        let m = prepare(&mut v, &rec("محمد", "أحمد"), Convention::Unknown);
        let first = &v.given.get(r.names[FIRST]).key;
        assert_eq!(first.token_count(), 1);
        assert_eq!(
            v.given.get(r.names[FIRST]).tf,
            v.given.get(m.names[FIRST]).tf
        );
        assert_eq!(
            v.given.get(r.names[FATHER]).tf,
            v.given.get(m.names[FATHER]).tf
        );
        // Arabic double names stay whole; so does a name with its father given.
        let d = prepare(&mut v, &rec("محمد علي", ""), Convention::Unknown);
        assert_eq!(d.names[FATHER], NONE);
        let k = prepare(&mut v, &rec("Abdul Rahman", ""), Convention::Unknown);
        assert_eq!(k.names[FATHER], NONE);
    }

    #[test]
    fn an_overlay_leaves_the_registry_alone() {
        let mut v = Vocab::default();
        let known = prepare(&mut v, &rec("محمد", "أحمد"), Convention::Unknown);
        let before = v.given.get(0).key.strict().to_owned();
        let mut o = Overlay::new(&v);
        let r = prepare(&mut o, &rec("محمد", "زهير"), Convention::Unknown);
        assert_eq!(r.names[FIRST], known.names[FIRST]);
        assert_ne!(r.names[FATHER] & OVERLAY, 0);
        assert_eq!(name(&o, FATHER, r.names[FATHER]).key.strict(), "زهير");
        assert_eq!(v.given.find("زهير", Convention::Unknown), None);
        assert_eq!(v.given.get(0).key.strict(), before);
    }

    #[test]
    fn conventions_follow_country_prefixes() {
        assert_eq!(
            convention_for_source(Some("tr_migration")),
            Convention::Turkish
        );
        assert_eq!(convention_for_source(Some("de_bamf")), Convention::German);
        assert_eq!(convention_for_source(Some("fr_ofpra")), Convention::French);
        assert_eq!(convention_for_source(Some("lb_unhcr")), Convention::Unknown);
        assert_eq!(
            convention_for_source(Some("civil_registry")),
            Convention::Unknown
        );
        assert_eq!(convention_for_source(None), Convention::Unknown);
    }
}
