//! What a run produced: counts of people and records, and a tally of every kind of noise.
//!
//! Each noise kind is tallied with its *opportunities* (the records or fields where it could
//! happen) and the sum of the probabilities it was drawn with, so realised rates can be checked
//! against the model even where the probability depends on the source.

use std::fmt;

use crate::rates;

macro_rules! noise_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $unit:literal, $constant:expr; )*) => {
        /// A kind of noise (or of structural variation) the generator applies.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum NoiseKind {
            $( $(#[$doc])* $variant, )*
        }

        impl NoiseKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [NoiseKind] = &[$(NoiseKind::$variant),*];

            /// A short snake_case name, as used in `docs/generator.md`.
            pub fn name(self) -> &'static str {
                match self { $(NoiseKind::$variant => $name,)* }
            }

            /// What one opportunity is ("Arabic record", "name written", …).
            pub fn unit(self) -> &'static str {
                match self { $(NoiseKind::$variant => $unit,)* }
            }

            /// The rate from [`crate::rates`], when one constant governs it; `None` when it
            /// depends on the source (see [`crate::rates::SOURCES`]) or on the population.
            pub fn constant(self) -> Option<f64> {
                match self { $(NoiseKind::$variant => $constant,)* }
            }
        }
    };
}

noise_kinds! {
    /// A record written in Latin letters (from a foreign source).
    LatinScript = "latin_script", "record", None;
    /// First name and father's name swapped.
    SwapFirstFather = "swap_first_father", "record", Some(rates::SWAP_FIRST_FATHER);
    /// أ / إ / آ written as ا.
    AlefHamzaDropped = "alef_hamza_dropped", "Arabic record", Some(rates::ALEF_HAMZA_DROPPED);
    /// أ and إ confused.
    AlefHamzaConfused = "alef_hamza_confused", "Arabic record keeping the hamza",
        Some(rates::ALEF_HAMZA_CONFUSED);
    /// Final ة written ه.
    TehMarbutaAsHeh = "teh_marbuta_as_heh", "Arabic record", Some(rates::TEH_MARBUTA_AS_HEH);
    /// Final ى written ي.
    AlefMaksuraAsYeh = "alef_maksura_as_yeh", "Arabic record", Some(rates::ALEF_MAKSURA_AS_YEH);
    /// Final ي written ى.
    FinalYehAsAlefMaksura = "final_yeh_as_alef_maksura", "Arabic record keeping ى",
        Some(rates::FINAL_YEH_AS_ALEF_MAKSURA);
    /// Hamza seats simplified.
    HamzaSeat = "hamza_seat", "Arabic record", Some(rates::HAMZA_SEAT);
    /// عبد / الدين / الله / أبو compounds written joined.
    CompoundJoined = "compound_joined", "Arabic record", Some(rates::COMPOUND_JOINED);
    /// ال dropped from a family name.
    FamilyArticleDropped = "family_article_dropped", "Arabic family name with ال",
        Some(rates::FAMILY_ARTICLE_DROPPED);
    /// ال added to a family name.
    FamilyArticleAdded = "family_article_added", "Arabic family name without ال",
        Some(rates::FAMILY_ARTICLE_ADDED);
    /// Harakat on one name.
    Diacritics = "diacritics", "Arabic record", Some(rates::DIACRITICS);
    /// Tatweel in one name.
    Tatweel = "tatweel", "Arabic record", Some(rates::TATWEEL);
    /// Persian ی / ک.
    PersianLetters = "persian_letters", "Arabic record", Some(rates::PERSIAN_LETTERS);
    /// A stray space in one name.
    ExtraSpace = "extra_space", "Arabic record", Some(rates::EXTRA_SPACE);
    /// Arabic-Indic digits.
    ArabicIndicDigits = "arabic_indic_digits", "Arabic record", Some(rates::ARABIC_INDIC_DIGITS);
    /// A typing slip in an Arabic name.
    ArabicTypo = "arabic_typo", "Arabic name written", None;
    /// A Latin record in capitals.
    LatinUppercase = "latin_uppercase", "Latin record", Some(rates::LATIN_UPPERCASE);
    /// Father's name appended to the first name in a Latin record.
    LatinFatherInFirst = "latin_father_in_first", "Latin record with both names",
        Some(rates::LATIN_FATHER_IN_FIRST);
    /// An established spelling (Mohammed, Mehmet) instead of the letter rules.
    LatinEstablishedSpelling = "latin_established_spelling",
        "Latin name with an established spelling", Some(rates::LATIN_ESTABLISHED_SPELLING);
    /// A typing slip in a Latin name.
    LatinTypo = "latin_typo", "Latin name written", None;
    /// No birth date.
    DateMissing = "date_missing", "record", None;
    /// Birth year only.
    DateYearOnly = "date_year_only", "record", None;
    /// Birth year and month only.
    DateYearMonth = "date_year_month", "record", Some(rates::DATE_YEAR_MONTH);
    /// 1 January for an unknown day and month.
    DateJanFirst = "date_jan_first", "record", None;
    /// Day and month swapped.
    DateDayMonthSwap = "date_day_month_swap", "record", Some(rates::DATE_DAY_MONTH_SWAP);
    /// Birth year off by one.
    DateYearOff = "date_year_off", "record", Some(rates::DATE_YEAR_OFF);
    /// A locality written as its governorate capital.
    PlaceAsGovernorate = "place_as_governorate", "Syrian place written",
        Some(rates::PLACE_AS_GOVERNORATE);
    /// A place written under another common name.
    PlaceAlias = "place_alias", "Syrian place with another name, written",
        Some(rates::PLACE_ALIAS);
    /// A married woman recorded under her husband's register.
    HusbandRegister = "husband_register", "record of a married woman",
        Some(rates::MARRIED_WOMAN_HUSBAND_REGISTER);
    /// A man with his own register recorded under his father's.
    ManOldRegister = "man_old_register", "record of a man with his own register",
        Some(rates::MAN_OLD_REGISTER);
    /// A national number written.
    NationalNumberWritten = "national_number_written", "record of a person who has one", None;
    /// A written national number mistyped (fails its check digit).
    NationalNumberMistyped = "national_number_mistyped", "national number written",
        Some(rates::NATIONAL_NUMBER_MISTYPED);
    /// `first_name` empty.
    MissingFirstName = "missing_first_name", "record", None;
    /// `father_name` empty.
    MissingFatherName = "missing_father_name", "record", None;
    /// `grandfather_name` empty.
    MissingGrandfatherName = "missing_grandfather_name", "record", None;
    /// `family_name` empty.
    MissingFamilyName = "missing_family_name", "record", None;
    /// `mother_name` empty.
    MissingMotherName = "missing_mother_name", "record", None;
    /// `mother_family_name` empty.
    MissingMotherFamilyName = "missing_mother_family_name", "record", None;
    /// `sex` empty.
    MissingSex = "missing_sex", "record", None;
    /// `birth_place` empty.
    MissingBirthPlace = "missing_birth_place", "record", None;
    /// `registry_place` empty.
    MissingRegistryPlace = "missing_registry_place", "record", None;
    /// `registry_number` empty.
    MissingRegistryNumber = "missing_registry_number", "record", None;
}

/// How often one kind of noise happened.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Times it happened.
    pub count: u64,
    /// Times it could have happened.
    pub opportunities: u64,
    /// Sum of the probabilities it was drawn with (expected count).
    pub expected: f64,
}

impl Tally {
    /// Realised rate: count per opportunity.
    pub fn rate(&self) -> f64 {
        self.count as f64 / self.opportunities.max(1) as f64
    }

    /// Expected rate under the model.
    pub fn expected_rate(&self) -> f64 {
        self.expected / self.opportunities.max(1) as f64
    }
}

/// What [`crate::generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GenStats {
    /// People generated.
    pub people: u64,
    /// Records written.
    pub records: u64,
    /// People with 1, 2, 3 and 4 records.
    pub records_per_person: [u64; 4],
    /// Records per source, in [`crate::rates::Source::ALL`] order.
    pub records_by_source: [u64; 10],
    noise: Vec<Tally>,
}

impl GenStats {
    /// The tally of one kind.
    pub fn tally(&self, kind: NoiseKind) -> Tally {
        self.noise.get(kind as usize).copied().unwrap_or_default()
    }

    fn slot(&mut self, kind: NoiseKind) -> &mut Tally {
        if self.noise.is_empty() {
            self.noise = vec![Tally::default(); NoiseKind::ALL.len()];
        }
        &mut self.noise[kind as usize]
    }

    /// Counts an occurrence without an opportunity (the opportunity is counted elsewhere).
    pub(crate) fn count(&mut self, kind: NoiseKind) {
        self.slot(kind).count += 1;
    }

    /// Counts an opportunity alone.
    pub(crate) fn count_opportunity(&mut self, kind: NoiseKind) {
        let constant = kind.constant().unwrap_or(0.0);
        let t = self.slot(kind);
        t.opportunities += 1;
        t.expected += constant;
    }

    /// Records an opportunity drawn with probability `p` and its outcome.
    pub(crate) fn offer(&mut self, kind: NoiseKind, p: f64, happened: bool) {
        let t = self.slot(kind);
        t.opportunities += 1;
        t.expected += p;
        t.count += u64::from(happened);
    }

    /// Adds another chunk's statistics.
    pub(crate) fn merge(&mut self, other: &GenStats) {
        self.people += other.people;
        self.records += other.records;
        for (a, b) in self
            .records_per_person
            .iter_mut()
            .zip(other.records_per_person)
        {
            *a += b;
        }
        for (a, b) in self
            .records_by_source
            .iter_mut()
            .zip(other.records_by_source)
        {
            *a += b;
        }
        for &kind in NoiseKind::ALL {
            let b = other.tally(kind);
            let a = self.slot(kind);
            a.count += b.count;
            a.opportunities += b.opportunities;
            a.expected += b.expected;
        }
    }
}

impl fmt::Display for GenStats {
    /// A plain-text report: totals, then one line per noise kind.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} people, {} records ({:.3} per person)",
            self.people,
            self.records,
            self.records as f64 / self.people.max(1) as f64
        )?;
        writeln!(f, "people by record count: {:?}", self.records_per_person)?;
        for (s, n) in crate::rates::Source::ALL.iter().zip(self.records_by_source) {
            writeln!(f, "  {:<22}{n:>10}", s.code())?;
        }
        for &kind in NoiseKind::ALL {
            let t = self.tally(kind);
            writeln!(
                f,
                "  {:<28}{:>9.4} (expected {:.4}) of {} {}",
                kind.name(),
                t.rate(),
                t.expected_rate(),
                t.opportunities,
                kind.unit()
            )?;
        }
        Ok(())
    }
}
