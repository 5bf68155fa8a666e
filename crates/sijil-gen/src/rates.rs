//! Every rate of the population and noise model, in one place.
//!
//! `docs/generator.md` documents these numbers; a test checks that each [`crate::NoiseKind`]'s
//! constant appears there, and another that the realised rates stay close to them. Change a
//! number here and in the document together.
//!
//! Unless a comment says otherwise, a rate is a probability per *opportunity*: per record, per
//! Arabic-script record, per name field written, and so on ([`crate::NoiseKind::unit`] names
//! it).

/// How records are written: Arabic script, or Latin letters under one convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Arabic script, as typed by a Syrian clerk.
    Arabic,
    /// Latin letters, transliterated under a national convention.
    Latin(Scheme),
}

/// A transliteration convention for Latin-script records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// English-language practice (UNHCR, Sweden): sh, kh, j, ou/u.
    English,
    /// French practice: ch, dj, ou, e for a.
    French,
    /// German practice: sch, dsch, ch, j for y.
    German,
    /// Turkish orthography: ş, c for j, h for kh, final devoicing (Ahmet).
    Turkish,
}

/// Where a record comes from. The `source` column holds [`Source::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The old civil register (السجل المدني), typed in from paper ledgers.
    CivilRegistry,
    /// A displacement-camp registration, often from what people said.
    CampRegistration,
    /// The passport office's file.
    PassportFile,
    /// A Sijil field office registration.
    FieldOffice,
    /// Turkish migration authority papers (Turkish spelling).
    Turkey,
    /// UNHCR registration in Lebanon (English spelling).
    Lebanon,
    /// UNHCR registration in Jordan (English spelling).
    Jordan,
    /// German asylum file (German spelling).
    Germany,
    /// French asylum file (French spelling).
    France,
    /// Swedish migration file (English spelling).
    Sweden,
}

impl Source {
    /// All sources, in the order of [`crate::GenStats::records_by_source`].
    pub const ALL: [Source; 10] = [
        Source::CivilRegistry,
        Source::CampRegistration,
        Source::PassportFile,
        Source::FieldOffice,
        Source::Turkey,
        Source::Lebanon,
        Source::Jordan,
        Source::Germany,
        Source::France,
        Source::Sweden,
    ];

    /// The value written in the `source` column.
    pub fn code(self) -> &'static str {
        self.profile().code
    }

    /// This source's profile.
    pub fn profile(self) -> &'static SourceProfile {
        &SOURCES[self as usize]
    }
}

/// How a source writes its records.
#[derive(Debug, Clone, Copy)]
pub struct SourceProfile {
    /// The `source` column value.
    pub code: &'static str,
    /// The script its names are written in.
    pub script: Script,
    /// Probability that each field is left empty.
    pub missing: Missing,
    /// Probability that the birth date is empty.
    pub date_missing: f64,
    /// Probability that only the birth year is written (`YYYY`).
    pub year_only: f64,
    /// Probability that an unknown day and month became 1 January (`YYYY-01-01`).
    pub jan_first: f64,
    /// Probability that the national number is written, for a person who has one.
    pub national_number: f64,
    /// Multiplier on [`ARABIC_TYPO`] / [`LATIN_TYPO`] for this source's clerks.
    pub typo_factor: f64,
}

/// Per-field probabilities of an empty value.
#[derive(Debug, Clone, Copy)]
pub struct Missing {
    /// `first_name`.
    pub first_name: f64,
    /// `father_name`.
    pub father_name: f64,
    /// `grandfather_name`.
    pub grandfather_name: f64,
    /// `family_name`.
    pub family_name: f64,
    /// `mother_name`.
    pub mother_name: f64,
    /// `mother_family_name`.
    pub mother_family_name: f64,
    /// `sex`.
    pub sex: f64,
    /// `birth_place`.
    pub birth_place: f64,
    /// `registry_place`.
    pub registry_place: f64,
    /// `registry_number`.
    pub registry_number: f64,
}

const fn missing(v: [f64; 10]) -> Missing {
    Missing {
        first_name: v[0],
        father_name: v[1],
        grandfather_name: v[2],
        family_name: v[3],
        mother_name: v[4],
        mother_family_name: v[5],
        sex: v[6],
        birth_place: v[7],
        registry_place: v[8],
        registry_number: v[9],
    }
}

const fn profile(
    code: &'static str,
    script: Script,
    m: [f64; 10],
    dates: [f64; 3],
    national_number: f64,
    typo_factor: f64,
) -> SourceProfile {
    SourceProfile {
        code,
        script,
        missing: missing(m),
        date_missing: dates[0],
        year_only: dates[1],
        jan_first: dates[2],
        national_number,
        typo_factor,
    }
}

// Column order of `m`: first, father, grandfather, family, mother, mother's family, sex,
// birth place, registry place, registry number. `dates`: missing, year only, 1 January.
/// The profile of every [`Source`], in [`Source::ALL`] order.
pub const SOURCES: [SourceProfile; 10] = [
    profile(
        "civil_registry",
        Script::Arabic,
        [
            0.001, 0.005, 0.10, 0.003, 0.05, 0.15, 0.005, 0.05, 0.01, 0.02,
        ],
        [0.01, 0.06, 0.02],
        0.65,
        1.0,
    ),
    profile(
        "camp_registration",
        Script::Arabic,
        [0.003, 0.02, 0.30, 0.02, 0.10, 0.35, 0.02, 0.15, 0.15, 0.30],
        [0.05, 0.20, 0.05],
        0.25,
        1.6,
    ),
    profile(
        "passport_file",
        Script::Arabic,
        [0.001, 0.005, 0.40, 0.002, 0.01, 0.10, 0.0, 0.02, 0.05, 0.20],
        [0.002, 0.02, 0.02],
        0.85,
        0.6,
    ),
    profile(
        "field_office",
        Script::Arabic,
        [0.002, 0.02, 0.20, 0.01, 0.08, 0.25, 0.03, 0.10, 0.08, 0.15],
        [0.04, 0.10, 0.04],
        0.35,
        1.5,
    ),
    profile(
        "tr_migration",
        Script::Latin(Scheme::Turkish),
        [0.002, 0.05, 0.95, 0.01, 0.10, 0.95, 0.01, 0.10, 0.90, 0.95],
        [0.02, 0.05, 0.20],
        0.05,
        1.0,
    ),
    profile(
        "lb_unhcr",
        Script::Latin(Scheme::English),
        [0.002, 0.25, 0.85, 0.01, 0.45, 0.80, 0.01, 0.15, 0.85, 0.95],
        [0.03, 0.08, 0.12],
        0.08,
        1.2,
    ),
    profile(
        "jo_unhcr",
        Script::Latin(Scheme::English),
        [0.002, 0.25, 0.85, 0.01, 0.45, 0.80, 0.01, 0.15, 0.85, 0.95],
        [0.03, 0.08, 0.12],
        0.08,
        1.2,
    ),
    profile(
        "de_bamf",
        Script::Latin(Scheme::German),
        [0.002, 0.40, 0.95, 0.01, 0.55, 0.90, 0.005, 0.10, 0.95, 0.98],
        [0.02, 0.04, 0.18],
        0.10,
        0.8,
    ),
    profile(
        "fr_ofpra",
        Script::Latin(Scheme::French),
        [0.002, 0.35, 0.95, 0.01, 0.50, 0.85, 0.005, 0.10, 0.95, 0.98],
        [0.02, 0.04, 0.15],
        0.10,
        0.8,
    ),
    profile(
        "se_migrationsverket",
        Script::Latin(Scheme::English),
        [0.002, 0.40, 0.95, 0.01, 0.55, 0.90, 0.005, 0.10, 0.95, 0.98],
        [0.02, 0.04, 0.18],
        0.10,
        0.8,
    ),
];

// ---- Population -----------------------------------------------------------------------------

/// Probability that a person has 1, 2, 3 or 4 records (mean 1.65).
pub const RECORDS_PER_PERSON: [f64; 4] = [0.54, 0.31, 0.11, 0.04];
/// Probability that a person's later record comes from a source already used for them
/// (registered twice at the same kind of office).
pub const REPEAT_SOURCE: f64 = 0.10;
/// Where a clan's household lives now, in the order Syria, Turkey, Lebanon, Jordan, Germany,
/// France, Sweden.
pub const HOUSEHOLD_COUNTRY: [f64; 7] = [0.62, 0.15, 0.07, 0.04, 0.07, 0.015, 0.035];
/// Probability that a son's household lives in another country than his father's.
pub const HOUSEHOLD_MOVES: f64 = 0.25;
/// Probability that a household in Europe passed through Turkey and has Turkish papers.
pub const TRANSIT_VIA_TURKEY: f64 = 0.4;
/// Weight of the host country's source among an abroad person's possible sources (the Syrian
/// sources share the rest).
pub const HOST_SOURCE_WEIGHT: f64 = 0.45;
/// Probability that a child of an abroad household born in 2013 or later was born abroad.
pub const BORN_ABROAD: f64 = 0.85;
/// Probability that a child born abroad was registered in Syria and has a national number.
pub const BORN_ABROAD_HAS_NATIONAL_NUMBER: f64 = 0.3;
/// Probability that the eldest son is named after his paternal grandfather.
pub const ELDEST_SON_NAMED_AFTER_GRANDFATHER: f64 = 0.35;
/// Probability that the eldest daughter is named after her paternal grandmother.
pub const ELDEST_DAUGHTER_NAMED_AFTER_GRANDMOTHER: f64 = 0.12;
/// Probability that a birth is of twins.
pub const TWIN_BIRTH: f64 = 0.012;
/// Probability that twin brothers get a classic pair of names (حسن / حسين).
pub const TWIN_PAIRED_NAMES: f64 = 0.3;
/// Probability that an adult son is married (and heads a household of his own).
pub const SON_MARRIES: f64 = 0.85;
/// Probability that a wife is sought among women of the husband's own family name (cousin or
/// clan marriage).
pub const WIFE_SAME_FAMILY: f64 = 0.20;
/// Probability that a wife is sought among the unmarried women already generated (so both
/// spouses' parents are in the population); otherwise she comes from outside.
pub const WIFE_FROM_POPULATION: f64 = 0.45;
/// Probability that a married son stays in his father's family register (same place and
/// number); otherwise he opens a new one.
pub const SON_KEEPS_FATHER_REGISTER: f64 = 0.6;
/// Probability that a son's new register is in another place than his father's.
pub const NEW_REGISTER_ELSEWHERE: f64 = 0.1;

// ---- Registers ------------------------------------------------------------------------------

/// Probability that a married woman's record shows her husband's register instead of her
/// father's.
pub const MARRIED_WOMAN_HUSBAND_REGISTER: f64 = 0.55;
/// Probability that a man who opened his own register is still recorded under his father's.
pub const MAN_OLD_REGISTER: f64 = 0.15;

// ---- Arabic orthography, per Arabic-script record (one clerk's habits) ----------------------

/// أ / إ / آ written as bare ا.
pub const ALEF_HAMZA_DROPPED: f64 = 0.40;
/// أ and إ confused (hamza above for below and back).
pub const ALEF_HAMZA_CONFUSED: f64 = 0.04;
/// Final ة written ه.
pub const TEH_MARBUTA_AS_HEH: f64 = 0.15;
/// Final ى written ي.
pub const ALEF_MAKSURA_AS_YEH: f64 = 0.25;
/// Final ي written ى (Egyptian habit).
pub const FINAL_YEH_AS_ALEF_MAKSURA: f64 = 0.04;
/// Hamza seats simplified: ئ → ي, ؤ → و, final اء → ا.
pub const HAMZA_SEAT: f64 = 0.12;
/// Compounds written joined: عبدالله, نورالدين, ابوزيد.
pub const COMPOUND_JOINED: f64 = 0.35;
/// The article ال dropped from a family name that has it.
pub const FAMILY_ARTICLE_DROPPED: f64 = 0.15;
/// The article ال added to a family name that has none.
pub const FAMILY_ARTICLE_ADDED: f64 = 0.05;
/// Diacritics (harakat) on one name.
pub const DIACRITICS: f64 = 0.02;
/// Tatweel (ـ) stretching one name.
pub const TATWEEL: f64 = 0.01;
/// Persian keyboard letters ی and ک for ي and ك.
pub const PERSIAN_LETTERS: f64 = 0.005;
/// Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) in the date, register and national numbers.
pub const ARABIC_INDIC_DIGITS: f64 = 0.08;

// ---- Typing, per name field written --------------------------------------------------------

/// A typing slip in an Arabic name (adjacent key, deletion, doubling, transposition), before
/// the source's [`SourceProfile::typo_factor`].
pub const ARABIC_TYPO: f64 = 0.012;
/// A typing slip in a Latin name, before the source's factor.
pub const LATIN_TYPO: f64 = 0.008;
/// A stray double or trailing space in one name, per record.
pub const EXTRA_SPACE: f64 = 0.006;

// ---- Structure, per record ------------------------------------------------------------------

/// First name and father's name swapped.
pub const SWAP_FIRST_FATHER: f64 = 0.02;
/// A Latin record written all in capitals.
pub const LATIN_UPPERCASE: f64 = 0.35;
/// A Latin record with the father's name put after the first name ("Mohammed Ahmad") and the
/// father field empty.
pub const LATIN_FATHER_IN_FIRST: f64 = 0.05;
/// Probability that a name with an established spelling uses one of them rather than the
/// letter rules.
pub const LATIN_ESTABLISHED_SPELLING: f64 = 0.75;

// ---- Birth dates, per record (besides each source's missing / year-only / 1 January) --------

/// Only year and month written (`YYYY-MM`).
pub const DATE_YEAR_MONTH: f64 = 0.02;
/// Day and month swapped (visible only when the day is 12 or less and differs from the month).
pub const DATE_DAY_MONTH_SWAP: f64 = 0.02;
/// The year off by one.
pub const DATE_YEAR_OFF: f64 = 0.025;

// ---- Places, per place written --------------------------------------------------------------

/// A locality written as its governorate's capital (حلب for منبج).
pub const PLACE_AS_GOVERNORATE: f64 = 0.06;
/// A place with another common name written under it (الشام, قامشلو, كوباني).
pub const PLACE_ALIAS: f64 = 0.25;

// ---- National numbers, per number written ---------------------------------------------------

/// A written national number mistyped: one digit changed or two adjacent digits swapped. The
/// Verhoeff check digit catches every such slip, so each mistyped number fails validation.
pub const NATIONAL_NUMBER_MISTYPED: f64 = 0.03;
