//! Comparison vectors: for a pair of records, one categorical level per comparison.
//!
//! Thirteen comparisons. Three of them (father, family and mother names) form the *family
//! core*: siblings agree on all three, so the model does not treat them as independent
//! evidence; which of them agree (the *regime*, a bit set) selects how the other comparisons
//! are weighed (see `model`). The clerk's slip of swapping the first and the father's name is
//! recognised here: when the names agree crosswise and not in order, the pair is compared
//! crosswise and the `order` comparison records it.

use sijil_core::Sex;
use sijil_names::{Comparison, Level, NameKey, Script, compare};

use crate::prepare::{
    Date, FAMILY, FATHER, FIRST, GRANDFATHER, MOTHER, MOTHER_FAMILY, NAME_KINDS, Number, Rec,
};
use crate::vocab::{Kind, Lookup, NONE};

/// Comparison indices.
pub(crate) const C_FIRST: usize = 0;
pub(crate) const C_FATHER: usize = 1;
pub(crate) const C_FAMILY: usize = 2;
pub(crate) const C_MOTHER: usize = 3;
pub(crate) const C_GRANDFATHER: usize = 4;
pub(crate) const C_MOTHER_FAMILY: usize = 5;
pub(crate) const C_DATE: usize = 6;
pub(crate) const C_SEX: usize = 7;
pub(crate) const C_BIRTH_PLACE: usize = 8;
pub(crate) const C_REGISTRY_MEN: usize = 9;
pub(crate) const C_REGISTRY_WOMEN: usize = 10;
pub(crate) const C_NUMBER: usize = 11;
pub(crate) const C_ORDER: usize = 12;
/// How many comparisons.
pub(crate) const NCOMP: usize = 13;
/// The family-core comparisons, in the order of the regime bits (father 1, family 2, mother 4).
pub(crate) const CORE: [usize; 3] = [C_FATHER, C_FAMILY, C_MOTHER];
/// Regimes: subsets of the core that agree.
pub(crate) const NREGIME: usize = 8;

/// Name levels (first, father, grandfather, family, mother, mother's family): the levels of
/// `sijil_names::Level`, with two refinements that need the registry's frequencies or the
/// dictionary: `TYPO` (one edit apart, one spelling rare and the other common) and
/// `KNOWN_DIFFERENT` (equal skeletons, both in the dictionary as different names).
pub(crate) mod nl {
    pub const NULL: u8 = 0;
    pub const DIFFERENT: u8 = 1;
    pub const KNOWN_DIFFERENT: u8 = 2;
    pub const SKELETON: u8 = 3;
    pub const TYPO: u8 = 4;
    pub const CLOSE: u8 = 5;
    pub const VARIANT: u8 = 6;
    pub const LOOSE: u8 = 7;
    pub const EXACT: u8 = 8;
    /// Nothing in common, the names being in two scripts: weaker evidence than `DIFFERENT`,
    /// because a transliteration the dictionary does not know looks the same.
    pub const DIFFERENT_SCRIPTS: u8 = 9;
    /// Different, but one letter apart (same script) or one consonant class apart (across
    /// scripts): a slip or a transliteration the dictionary does not know is likelier here
    /// than among names with nothing in common, which is what twins' names are.
    pub const DIFFERENT_NEAR: u8 = 10;
    pub const DIFFERENT_SCRIPTS_NEAR: u8 = 11;
    pub const NAMES: [&str; 12] = [
        "null",
        "different",
        "known_different",
        "skeleton_only",
        "typo",
        "skeleton_close",
        "known_variant",
        "exact_loose",
        "exact",
        "different_across_scripts",
        "different_one_letter",
        "different_across_scripts_one_consonant",
    ];
    /// Whether a level counts as agreement (for the family core and the crosswise check).
    pub fn agrees(l: u8) -> bool {
        (TYPO..=EXACT).contains(&l)
    }
}

/// Whether level `l` of core comparison `c` counts as agreement for the regime. Family names
/// also agree when only their skeletons do: a one-letter slip in a family name (`الحوراني`,
/// `الوحراني`) is far likelier than another family with the same consonants, while a given
/// name one letter off is often another name (`محمد`, `محمود`).
pub(crate) fn core_agrees(c: usize, l: u8) -> bool {
    if c == C_FAMILY {
        (nl::SKELETON..=nl::EXACT).contains(&l)
    } else {
        nl::agrees(l)
    }
}

/// Birth-date levels.
pub(crate) mod dl {
    pub const NULL: u8 = 0;
    pub const EXACT: u8 = 1;
    pub const SAME_PARTIAL: u8 = 2;
    pub const SWAPPED: u8 = 3;
    pub const YEAR_MONTH: u8 = 4;
    pub const IMPRECISE: u8 = 5;
    pub const SAME_YEAR: u8 = 6;
    pub const YEAR_OFF_SAME_DAY: u8 = 7;
    pub const YEAR_OFF: u8 = 8;
    pub const DIFFERENT: u8 = 9;
    pub const NAMES: [&str; 10] = [
        "null",
        "exact",
        "same_partial",
        "day_month_swapped",
        "same_year_month",
        "same_year_one_imprecise",
        "same_year",
        "year_off_same_day",
        "year_off",
        "different",
    ];
}

/// Levels of sex, places, registers, national numbers and name order.
pub(crate) mod ol {
    pub const NULL: u8 = 0;
    pub const SEX: [&str; 3] = ["null", "agree", "disagree"];
    pub const SEX_DISAGREE: u8 = 2;
    pub const PLACE: [&str; 5] = ["null", "exact", "loose", "close", "different"];
    pub const PLACE_EXACT: u8 = 1;
    pub const PLACE_LOOSE: u8 = 2;
    pub const REGISTRY: [&str; 6] = [
        "null",
        "place_and_number",
        "place_number_missing",
        "place_number_differs",
        "number_only",
        "different",
    ];
    pub const REG_BOTH: u8 = 1;
    pub const NUMBER: [&str; 5] = [
        "null",
        "exact",
        "one_digit_off",
        "different_unverified",
        "different_valid",
    ];
    pub const NUMBER_EXACT: u8 = 1;
    pub const NUMBER_CONFLICT: u8 = 4;
    pub const ORDER: [&str; 2] = ["in_order", "first_and_father_swapped"];
}

/// The level names of comparison `c`.
pub(crate) fn level_names(c: usize) -> &'static [&'static str] {
    match c {
        C_DATE => &dl::NAMES,
        C_SEX => &ol::SEX,
        C_BIRTH_PLACE => &ol::PLACE,
        C_REGISTRY_MEN | C_REGISTRY_WOMEN => &ol::REGISTRY,
        C_NUMBER => &ol::NUMBER,
        C_ORDER => &ol::ORDER,
        _ => &nl::NAMES,
    }
}

/// The public names of the comparisons.
pub(crate) const COMPARISON_NAMES: [&str; NCOMP] = [
    "first_name",
    "father_name",
    "family_name",
    "mother_name",
    "grandfather_name",
    "mother_family_name",
    "birth_date",
    "sex",
    "birth_place",
    "registry_men",
    "registry_women",
    "national_number",
    "name_order",
];

/// The frequencies of a record's values that comparisons need (filled from the model's term
/// frequencies; see `tf`). Counts are of records in the training data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Count of each name field's term-frequency key, in that field.
    pub names: [u32; 6],
    /// Count of the record's family-core key for each regime (index: regime bits).
    pub joint: [u32; NREGIME],
    pub date: u32,
    pub birth_place: u32,
    pub registry: u32,
    /// Count of the first name among records born in the same decade, and of those records.
    pub first_decade: u32,
    pub decade: u32,
}

/// A comparison vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Vector {
    pub levels: [u8; NCOMP],
    /// Which core comparisons agree: father 1, family 2, mother 4.
    pub regime: u8,
    /// Whether one record is in Arabic letters and the other in Latin. Every comparison is
    /// weighed apart for such pairs: their names agree as dictionary variants rather than
    /// exactly, and foreign records default unknown birth days to 1 January.
    pub cross: bool,
}

/// Parameter sets: one per comparison for pairs in one script, one for pairs across scripts.
pub(crate) const NPARAM: usize = 2 * NCOMP;

impl Vector {
    /// Where this vector's comparisons start in the parameter arrays.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        if self.cross { NCOMP } else { 0 }
    }

    /// A compact code of the vector (3 bits of regime, 4 bits per level, 1 bit for the
    /// scripts) for counting patterns.
    pub(crate) fn pack(&self) -> u64 {
        let mut x = u64::from(self.regime) | (u64::from(self.cross) << 63);
        for (i, &l) in self.levels.iter().enumerate() {
            x |= u64::from(l) << (3 + 4 * i);
        }
        x
    }

    /// The inverse of [`Vector::pack`].
    pub(crate) fn unpack(x: u64) -> Self {
        let mut levels = [0u8; NCOMP];
        for (i, l) in levels.iter_mut().enumerate() {
            *l = ((x >> (3 + 4 * i)) & 0xf) as u8;
        }
        Vector {
            levels,
            regime: (x & 7) as u8,
            cross: x >> 63 == 1,
        }
    }
}

/// Whether a pair can never be one person: different recorded sex, or two different national
/// numbers that both passed their check digit.
pub(crate) fn impossible(a: &Rec, b: &Rec) -> bool {
    matches!((a.sex, b.sex), (Some(x), Some(y)) if x != y)
        || (a.number.verified
            && b.number.verified
            && a.number.len != 0
            && b.number.len != 0
            && a.number != b.number)
}

/// Compares two records.
pub(crate) fn vector<L: Lookup + ?Sized>(
    v: &L,
    a: &Rec,
    sa: &Stats,
    b: &Rec,
    sb: &Stats,
) -> Vector {
    let given = Kind::Given;
    let name = |field: usize, x: u32, y: u32, cx: u32, cy: u32| {
        name_level(v, NAME_KINDS[field], x, y, cx, cy)
    };
    let (an, bn) = (&a.names, &b.names);
    let mut first = name(
        FIRST,
        an[FIRST],
        bn[FIRST],
        sa.names[FIRST],
        sb.names[FIRST],
    );
    let mut father = name(
        FATHER,
        an[FATHER],
        bn[FATHER],
        sa.names[FATHER],
        sb.names[FATHER],
    );
    let mut order = 0;
    if !(nl::agrees(first) && nl::agrees(father))
        && an[FIRST] != NONE
        && an[FATHER] != NONE
        && bn[FIRST] != NONE
        && bn[FATHER] != NONE
    {
        let x = name_level(
            v,
            given,
            an[FIRST],
            bn[FATHER],
            sa.names[FIRST],
            sb.names[FATHER],
        );
        // Most pairs are two people: the second crosswise comparison is needed only when the
        // first agrees.
        let y = if nl::agrees(x) {
            name_level(
                v,
                given,
                an[FATHER],
                bn[FIRST],
                sa.names[FATHER],
                sb.names[FIRST],
            )
        } else {
            nl::NULL
        };
        if nl::agrees(x) && nl::agrees(y) {
            // The better agreement is called the first name's, so that the order of the two
            // records does not matter.
            (first, father, order) = (x.max(y), x.min(y), 1);
        }
    }
    let mut levels = [0u8; NCOMP];
    levels[C_FIRST] = first;
    levels[C_FATHER] = father;
    levels[C_FAMILY] = name(
        FAMILY,
        an[FAMILY],
        bn[FAMILY],
        sa.names[FAMILY],
        sb.names[FAMILY],
    );
    levels[C_MOTHER] = name(
        MOTHER,
        an[MOTHER],
        bn[MOTHER],
        sa.names[MOTHER],
        sb.names[MOTHER],
    );
    levels[C_GRANDFATHER] = name(
        GRANDFATHER,
        an[GRANDFATHER],
        bn[GRANDFATHER],
        sa.names[GRANDFATHER],
        sb.names[GRANDFATHER],
    );
    levels[C_MOTHER_FAMILY] = name(
        MOTHER_FAMILY,
        an[MOTHER_FAMILY],
        bn[MOTHER_FAMILY],
        sa.names[MOTHER_FAMILY],
        sb.names[MOTHER_FAMILY],
    );
    levels[C_DATE] = date_level(a.date, b.date);
    levels[C_SEX] = match (a.sex, b.sex) {
        (Some(x), Some(y)) if x == y => 1,
        (Some(_), Some(_)) => ol::SEX_DISAGREE,
        _ => ol::NULL,
    };
    levels[C_BIRTH_PLACE] = place_level(v, a.birth_place, b.birth_place);
    let women = a.sex == Some(Sex::Female) || b.sex == Some(Sex::Female);
    let reg = registry_level(v, a, b);
    levels[if women {
        C_REGISTRY_WOMEN
    } else {
        C_REGISTRY_MEN
    }] = reg;
    levels[C_NUMBER] = number_level(a.number, b.number);
    levels[C_ORDER] = order;
    let mut regime = 0;
    for (bit, &c) in CORE.iter().enumerate() {
        if core_agrees(c, levels[c]) {
            regime |= 1 << bit;
        }
    }
    let cross = matches!(
        (record_script(v, a), record_script(v, b)),
        (Script::Arabic, Script::Latin) | (Script::Latin, Script::Arabic)
    );
    Vector {
        levels,
        regime,
        cross,
    }
}

/// The script a record is written in: that of its first name, else its family name.
fn record_script<L: Lookup + ?Sized>(v: &L, r: &Rec) -> Script {
    for (f, kind) in [(FIRST, Kind::Given), (FAMILY, Kind::Family)] {
        if r.names[f] != NONE {
            return v.entry(kind, r.names[f]).key.script();
        }
    }
    Script::Empty
}

/// The level of two names of one field; `cx`, `cy` are their frequencies (for `TYPO`).
pub(crate) fn name_level<L: Lookup + ?Sized>(
    t: &L,
    kind: Kind,
    x: u32,
    y: u32,
    cx: u32,
    cy: u32,
) -> u8 {
    if x == NONE || y == NONE {
        return nl::NULL;
    }
    if x == y {
        return nl::EXACT;
    }
    let (ex, ey) = (t.entry(kind, x), t.entry(kind, y));
    let c = cached_compare(t.uid(kind), x, y, &ex.key, &ey.key);
    match c.level {
        Level::Null => nl::NULL,
        Level::ExactStrict => nl::EXACT,
        Level::ExactLoose => nl::LOOSE,
        Level::KnownVariant => nl::VARIANT,
        Level::SkeletonClose => nl::CLOSE,
        Level::SkeletonOnly | Level::Different => {
            // Two names the dictionary knows are two names, however rare one of them is.
            if c.one_edit_apart() && !(ex.known && ey.known) && typo_by_frequency(cx, cy) {
                nl::TYPO
            } else if c.level == Level::Different {
                if ex.key.script() == ey.key.script() {
                    if c.edits == Some(1) {
                        nl::DIFFERENT_NEAR
                    } else {
                        nl::DIFFERENT
                    }
                } else if within_one(ex.coarse.as_bytes(), ey.coarse.as_bytes()) {
                    nl::DIFFERENT_SCRIPTS_NEAR
                } else {
                    nl::DIFFERENT_SCRIPTS
                }
            } else if ex.known && ey.known {
                nl::KNOWN_DIFFERENT
            } else {
                nl::SKELETON
            }
        }
    }
}

/// Whether two short ASCII strings (coarse skeletons, at least two letters) are at most one
/// insertion, deletion or substitution apart.
fn within_one(a: &[u8], b: &[u8]) -> bool {
    if a.len().min(b.len()) < 2 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let q = a[p..]
        .iter()
        .rev()
        .zip(b[p..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len() - p - q <= 1 && b.len() - p - q <= 1
}

/// `sijil_names::compare` through a small per-thread cache: a registry compares the same
/// few thousand common spellings with each other millions of times. The cache is direct-mapped
/// (a slot per hash, the newest pair wins) so that it stays in the processor's cache; a
/// bigger, exact one costs more in memory traffic than the comparisons it saves. A slot is 16
/// bytes, four to a cache line, so that its 64K slots fit in a megabyte. Ids of a resolver's
/// temporary spellings (high bit set) are not cached.
fn cached_compare(table: u32, x: u32, y: u32, a: &NameKey, b: &NameKey) -> Comparison {
    use std::cell::RefCell;
    const BITS: u32 = 16;
    #[derive(Clone, Copy)]
    struct Slot {
        /// The two ids, smaller first; `table` 0 marks an empty slot (table ids are never 0).
        pair: u64,
        table: u32,
        result: Comparison,
    }
    thread_local! {
        static CACHE: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    }
    if (x | y) & (1 << 31) != 0 {
        return compare(a, b);
    }
    let (lo, hi) = (x.min(y), x.max(y));
    let pair = (u64::from(lo) << 32) | u64::from(hi);
    let slot =
        (crate::hash::mix(crate::hash::combine(u64::from(table), pair)) >> (64 - BITS)) as usize;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_empty() {
            let empty = Slot {
                pair: 0,
                table: 0,
                result: Comparison {
                    level: Level::Null,
                    edits: None,
                },
            };
            c.resize(1 << BITS, empty);
        }
        let s = c[slot];
        if s.table == table && s.pair == pair {
            return s.result;
        }
        let result = compare(a, b);
        c[slot] = Slot {
            pair,
            table,
            result,
        };
        result
    })
}

/// One spelling at most a twentieth as frequent as the other: the rare one is likely a typing
/// slip (arabic-names.md §4, "Typo vs. different name").
pub(crate) fn typo_by_frequency(cx: u32, cy: u32) -> bool {
    let (lo, hi) = (cx.min(cy).max(1), cx.max(cy));
    u64::from(hi) >= 20 * u64::from(lo)
}

/// The level of two birth dates.
pub(crate) fn date_level(a: Option<Date>, b: Option<Date>) -> u8 {
    let (Some(a), Some(b)) = (a, b) else {
        return dl::NULL;
    };
    let dy = a.year.abs_diff(b.year);
    if dy == 1 {
        return if a.is_full() && b.is_full() && a.month == b.month && a.day == b.day {
            dl::YEAR_OFF_SAME_DAY
        } else {
            dl::YEAR_OFF
        };
    }
    if dy > 1 {
        return dl::DIFFERENT;
    }
    if a.is_full() && b.is_full() {
        let jan1 = |d: Date| d.month == 1 && d.day == 1;
        return if a == b {
            dl::EXACT
        } else if a.day == b.month && a.month == b.day {
            dl::SWAPPED
        } else if a.month == b.month {
            dl::YEAR_MONTH
        } else if jan1(a) || jan1(b) {
            dl::IMPRECISE
        } else {
            dl::SAME_YEAR
        };
    }
    if a == b {
        return dl::SAME_PARTIAL;
    }
    match (a.month, b.month) {
        (0, _) | (_, 0) => dl::IMPRECISE,
        (x, y) if x == y => dl::YEAR_MONTH,
        _ => dl::SAME_YEAR,
    }
}

/// The level of two places.
pub(crate) fn place_level<L: Lookup + ?Sized>(t: &L, x: u32, y: u32) -> u8 {
    if x == NONE || y == NONE {
        return ol::NULL;
    }
    if x == y {
        return ol::PLACE_EXACT;
    }
    let (a, b) = (&t.entry(Kind::Place, x).key, &t.entry(Kind::Place, y).key);
    let c = cached_compare(t.uid(Kind::Place), x, y, a, b);
    match c.level {
        Level::Null => ol::NULL,
        Level::ExactStrict => ol::PLACE_EXACT,
        Level::ExactLoose | Level::KnownVariant => ol::PLACE_LOOSE,
        Level::SkeletonClose => 3,
        _ => 4,
    }
}

fn registry_level<L: Lookup + ?Sized>(t: &L, a: &Rec, b: &Rec) -> u8 {
    let place = place_level(t, a.registry_place, b.registry_place);
    let number = match (a.registry_number, b.registry_number) {
        (0, _) | (_, 0) => None,
        (x, y) => Some(x == y),
    };
    let place_agrees = (1..=3).contains(&place);
    match (place, place_agrees, number) {
        (_, true, Some(true)) => ol::REG_BOTH,
        (_, true, None) => 2,
        (_, true, Some(false)) => 3,
        (_, false, Some(true)) => 4,
        (ol::NULL, _, None) => ol::NULL,
        _ => 5,
    }
}

/// The level of two national numbers. A one-digit difference is only plausible when a side
/// failed its check digit (the Verhoeff digit catches every single substitution and adjacent
/// transposition), so two verified numbers that differ are a conflict.
pub(crate) fn number_level(a: Number, b: Number) -> u8 {
    if a.len == 0 || b.len == 0 {
        return ol::NULL;
    }
    if a.value == b.value && a.len == b.len {
        return ol::NUMBER_EXACT;
    }
    if a.verified && b.verified {
        return ol::NUMBER_CONFLICT;
    }
    if a.len == b.len && a.len <= 19 && one_digit_off(a.value, b.value, a.len) {
        return 2;
    }
    3
}

/// One substituted digit or one adjacent transposition.
fn one_digit_off(x: u64, y: u64, len: u8) -> bool {
    let digits = |mut v: u64| {
        let mut d = [0u8; 19];
        for i in (0..usize::from(len)).rev() {
            d[i] = (v % 10) as u8;
            v /= 10;
        }
        d
    };
    let (a, b) = (digits(x), digits(y));
    let mut diff = (0..usize::from(len)).filter(|&i| a[i] != b[i]);
    match (diff.next(), diff.next(), diff.next()) {
        (Some(_), None, _) => true,
        (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

#[cfg(test)]
mod tests;
