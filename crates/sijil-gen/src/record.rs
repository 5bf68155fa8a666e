//! Source records: each person written one to four times, by different sources, with noise.
//!
//! A chunk's records are built in person order, then shuffled within the chunk, so a person's
//! records are not adjacent in the file (they stay within one chunk of the output, a few
//! thousand lines apart at most). Rows are stored without their `record_id`; ids are given
//! once every earlier chunk's record count is known ([`ChunkRecords::finish`]).

use fastrand::Rng;
use sijil_core::national_number::NationalNumber;

use crate::arabic::{self, ArabicStyle};
use crate::csv_out::{push_field, push_id};
use crate::data::{Country, Name, Tables, tables};
use crate::date::{self, push_num};
use crate::latin::{self, Tok};
use crate::population::{BirthPlace, Member, Register};
use crate::rates::{self, Script, Source};
use crate::sample::{chance, chunk_rng};
use crate::stats::{GenStats, NoiseKind};

/// One chunk's records, ready to be numbered and written.
pub(crate) struct ChunkRecords {
    /// Rows from `,first_name` to the line end, concatenated.
    rows: Vec<u8>,
    /// End offset of each row in `rows`.
    ends: Vec<u32>,
    /// The chunk-local person index of each row.
    persons: Vec<u32>,
    /// Output order: a permutation of the rows.
    order: Vec<u32>,
    pub stats: GenStats,
}

impl ChunkRecords {
    /// Number of records.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The chunk's bytes of `records.csv` and `truth.csv`, numbering records from
    /// `first_record` and people from `first_person` (both zero-based).
    pub(crate) fn finish(
        &self,
        first_record: u64,
        first_person: u64,
        record_width: usize,
        person_width: usize,
    ) -> (Vec<u8>, Vec<u8>) {
        let mut records = Vec::with_capacity(self.rows.len() + self.len() * (record_width + 1));
        let mut truth = Vec::with_capacity(self.len() * (record_width + person_width + 4));
        for (k, &row) in self.order.iter().enumerate() {
            let row = row as usize;
            let start = if row == 0 {
                0
            } else {
                self.ends[row - 1] as usize
            };
            let id = first_record + k as u64 + 1;
            push_id(&mut records, b'R', id, record_width);
            records.extend_from_slice(&self.rows[start..self.ends[row] as usize]);
            push_id(&mut truth, b'R', id, record_width);
            truth.push(b',');
            push_id(
                &mut truth,
                b'P',
                first_person + self.persons[row] as u64 + 1,
                person_width,
            );
            truth.push(b'\n');
        }
        (records, truth)
    }
}

/// Column slots of one record, reused from row to row.
#[derive(Default)]
struct Fields {
    /// first, father, grandfather, family, mother, mother's family.
    names: [String; 6],
    date: String,
    birth_place: String,
    registry_place: String,
    registry_number: String,
    national_number: String,
}

impl Fields {
    fn clear(&mut self) {
        for s in self.names.iter_mut() {
            s.clear();
        }
        self.date.clear();
        self.birth_place.clear();
        self.registry_place.clear();
        self.registry_number.clear();
        self.national_number.clear();
    }
}

struct Writer {
    t: &'static Tables,
    rng: Rng,
    f: Fields,
    chars: Vec<char>,
    scratch: String,
    toks: Vec<Tok>,
    out: ChunkRecords,
}

const MISSING_KINDS: [NoiseKind; 6] = [
    NoiseKind::MissingFirstName,
    NoiseKind::MissingFatherName,
    NoiseKind::MissingGrandfatherName,
    NoiseKind::MissingFamilyName,
    NoiseKind::MissingMotherName,
    NoiseKind::MissingMotherFamilyName,
];

/// Builds the records of one chunk's members.
pub(crate) fn chunk_records(seed: u64, chunk: u64, members: &[Member]) -> ChunkRecords {
    let mut w = Writer {
        t: tables(),
        rng: chunk_rng(seed, chunk, 1),
        f: Fields::default(),
        chars: Vec::with_capacity(32),
        scratch: String::with_capacity(32),
        toks: Vec::with_capacity(32),
        out: ChunkRecords {
            rows: Vec::with_capacity(members.len() * 300),
            ends: Vec::with_capacity(members.len() * 2),
            persons: Vec::with_capacity(members.len() * 2),
            order: Vec::new(),
            stats: GenStats::default(),
        },
    };
    for (i, m) in members.iter().enumerate() {
        let k = 1 + crate::sample::pick_index(&mut w.rng, &rates::RECORDS_PER_PERSON);
        w.out.stats.records_per_person[k - 1] += 1;
        let mut used: [Option<Source>; 4] = [None; 4];
        for slot in 0..k {
            let source = w.source(m, &used[..slot]);
            used[slot] = Some(source);
            w.record(m, source);
            w.out.persons.push(i as u32);
        }
    }
    w.out.stats.people = members.len() as u64;
    w.out.stats.records = w.out.ends.len() as u64;
    let mut order: Vec<u32> = (0..w.out.ends.len() as u32).collect();
    w.rng.shuffle(&mut order);
    w.out.order = order;
    w.out
}

impl Writer {
    /// Draws a source for `m`, usually one not yet used for them.
    fn source(&mut self, m: &Member, used: &[Option<Source>]) -> Source {
        let born_abroad = matches!(m.birth_place, BirthPlace::Abroad(_));
        let home = if born_abroad {
            [0.3, 0.3, 0.5, 1.0]
        } else {
            [1.0; 4]
        };
        let syrian = if m.country == Country::Sy {
            1.0
        } else {
            1.0 - rates::HOST_SOURCE_WEIGHT
        };
        let mut options: [(Source, f64); 6] = [
            (Source::CivilRegistry, 0.40 * syrian * home[0]),
            (Source::CampRegistration, 0.15 * syrian * home[1]),
            (Source::PassportFile, 0.15 * syrian * home[2]),
            (Source::FieldOffice, 0.30 * syrian * home[3]),
            (Source::Turkey, 0.0),
            (Source::Turkey, 0.0),
        ];
        let host = match m.country {
            Country::Sy => None,
            Country::Tr => Some(Source::Turkey),
            Country::Lb => Some(Source::Lebanon),
            Country::Jo => Some(Source::Jordan),
            Country::Ge => Some(Source::Germany),
            Country::Fr => Some(Source::France),
            Country::Se => Some(Source::Sweden),
        };
        if let Some(h) = host {
            let transit = if m.via_turkey { 0.3 } else { 0.0 };
            options[4] = (h, rates::HOST_SOURCE_WEIGHT * (1.0 - transit));
            options[5] = (Source::Turkey, rates::HOST_SOURCE_WEIGHT * transit);
        }
        if !used.is_empty() && !chance(&mut self.rng, rates::REPEAT_SOURCE) {
            let mut fresh = options;
            for o in fresh.iter_mut() {
                if used.contains(&Some(o.0)) {
                    o.1 = 0.0;
                }
            }
            if fresh.iter().any(|o| o.1 > 0.0) {
                options = fresh;
            }
        }
        crate::sample::pick(&mut self.rng, &options)
    }

    /// Writes one record of `m` from `source`.
    fn record(&mut self, m: &Member, source: Source) {
        let t = self.t;
        let p = source.profile();
        let stats = &mut self.out.stats;
        stats.records_by_source[source as usize] += 1;
        self.f.clear();
        let first_list = if m.male { &t.male } else { &t.female };
        let names: [(&Name, bool); 6] = [
            (&first_list[m.first as usize], false),
            (&t.male[m.father_name as usize], false),
            (&t.male[m.grandfather_name as usize], false),
            (&t.family[m.family as usize], true),
            (&t.female[m.mother_name as usize], false),
            (&t.family[m.mother_family as usize], true),
        ];
        let miss = p.missing;
        let missing_p = [
            miss.first_name,
            miss.father_name,
            miss.grandfather_name,
            miss.family_name,
            miss.mother_name,
            miss.mother_family_name,
        ];
        let mut present = [true; 6];
        for (f, &q) in missing_p.iter().enumerate() {
            let gone = chance(&mut self.rng, q);
            stats.offer(MISSING_KINDS[f], q, gone);
            present[f] = !gone;
        }
        let latin = matches!(p.script, Script::Latin(_));
        stats.offer(NoiseKind::LatinScript, f64::from(u8::from(latin)), latin);
        let style = match p.script {
            Script::Arabic => {
                let style = ArabicStyle::draw(&mut self.rng, stats);
                let typo_p = rates::ARABIC_TYPO * p.typo_factor;
                for (f, &(name, family)) in names.iter().enumerate() {
                    if present[f] {
                        arabic::render(
                            name.ar,
                            f as u8,
                            family,
                            &style,
                            typo_p,
                            &mut self.rng,
                            &mut self.chars,
                            &mut self.f.names[f],
                            stats,
                        );
                    }
                }
                Some(style)
            }
            Script::Latin(scheme) => {
                let typo_p = rates::LATIN_TYPO * p.typo_factor;
                for (f, &(name, _)) in names.iter().enumerate() {
                    if !present[f] {
                        continue;
                    }
                    let out = &mut self.f.names[f];
                    latin::render_name(
                        name,
                        scheme,
                        &mut self.rng,
                        &mut self.scratch,
                        &mut self.toks,
                        out,
                        stats,
                    );
                    let slip = chance(&mut self.rng, typo_p);
                    stats.offer(NoiseKind::LatinTypo, typo_p, slip);
                    if slip {
                        latin::typo(&mut self.rng, out);
                    }
                }
                if present[0] && present[1] {
                    let q = rates::LATIN_FATHER_IN_FIRST;
                    let folded = chance(&mut self.rng, q);
                    stats.offer(NoiseKind::LatinFatherInFirst, q, folded);
                    if folded {
                        let father = std::mem::take(&mut self.f.names[1]);
                        self.f.names[0].push(' ');
                        self.f.names[0].push_str(&father);
                    }
                }
                None
            }
        };
        let swap = chance(&mut self.rng, rates::SWAP_FIRST_FATHER);
        stats.offer(NoiseKind::SwapFirstFather, rates::SWAP_FIRST_FATHER, swap);
        if swap {
            self.f.names.swap(0, 1);
        }
        let no_sex = chance(&mut self.rng, miss.sex);
        stats.offer(NoiseKind::MissingSex, miss.sex, no_sex);
        let sex = match (no_sex, m.male) {
            (true, _) => "",
            (false, true) => "M",
            (false, false) => "F",
        };
        date::render(m.birth, p, &mut self.rng, &mut self.f.date, stats);

        let no_birth_place = chance(&mut self.rng, miss.birth_place);
        stats.offer(
            NoiseKind::MissingBirthPlace,
            miss.birth_place,
            no_birth_place,
        );
        if !no_birth_place {
            match m.birth_place {
                BirthPlace::Syria(place) => self.place(place, p.script, style.as_ref(), false),
                BirthPlace::Abroad(f) => {
                    let foreign = &t.foreign[f as usize];
                    match p.script {
                        Script::Arabic => self.f.birth_place.push_str(foreign.ar),
                        Script::Latin(scheme) => {
                            self.f.birth_place.push_str(crate::sample::pick_spelling(
                                &mut self.rng,
                                foreign.latin[latin::column(scheme)],
                            ))
                        }
                    }
                }
            }
        }
        let reg = self.register(m);
        let stats = &mut self.out.stats;
        let no_reg_place = chance(&mut self.rng, miss.registry_place);
        stats.offer(
            NoiseKind::MissingRegistryPlace,
            miss.registry_place,
            no_reg_place,
        );
        let no_reg_number = chance(&mut self.rng, miss.registry_number);
        stats.offer(
            NoiseKind::MissingRegistryNumber,
            miss.registry_number,
            no_reg_number,
        );
        if !no_reg_place {
            self.place(reg.place, p.script, style.as_ref(), true);
        }
        if !no_reg_number {
            push_num(&mut self.f.registry_number, reg.number as u64, 1);
        }
        self.national_number(m, p.national_number);
        let stats = &mut self.out.stats;
        if let Script::Latin(scheme) = p.script {
            let upper = chance(&mut self.rng, rates::LATIN_UPPERCASE);
            stats.offer(NoiseKind::LatinUppercase, rates::LATIN_UPPERCASE, upper);
            if upper {
                for s in self
                    .f
                    .names
                    .iter_mut()
                    .chain([&mut self.f.birth_place, &mut self.f.registry_place])
                {
                    self.scratch.clear();
                    for ch in s.chars() {
                        latin::push_upper(ch, scheme, &mut self.scratch);
                    }
                    std::mem::swap(s, &mut self.scratch);
                }
            }
        } else {
            let indic = chance(&mut self.rng, rates::ARABIC_INDIC_DIGITS);
            stats.offer(
                NoiseKind::ArabicIndicDigits,
                rates::ARABIC_INDIC_DIGITS,
                indic,
            );
            if indic {
                for s in [
                    &mut self.f.date,
                    &mut self.f.registry_number,
                    &mut self.f.national_number,
                ] {
                    self.scratch.clear();
                    self.scratch.extend(s.chars().map(|c| match c.to_digit(10) {
                        Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
                        None => c,
                    }));
                    std::mem::swap(s, &mut self.scratch);
                }
            }
        }
        self.write_row(sex, source);
    }

    /// The register a record shows.
    fn register(&mut self, m: &Member) -> Register {
        let stats = &mut self.out.stats;
        if let Some(marital) = m.marital_reg {
            let q = rates::MARRIED_WOMAN_HUSBAND_REGISTER;
            let hit = chance(&mut self.rng, q);
            stats.offer(NoiseKind::HusbandRegister, q, hit);
            return if hit { marital } else { m.own_reg };
        }
        if m.house_reg != m.own_reg {
            let q = rates::MAN_OLD_REGISTER;
            let hit = chance(&mut self.rng, q);
            stats.offer(NoiseKind::ManOldRegister, q, hit);
            return if hit { m.own_reg } else { m.house_reg };
        }
        m.house_reg
    }

    /// Writes a Syrian place into the birth or registry place slot.
    fn place(&mut self, place: u16, script: Script, style: Option<&ArabicStyle>, registry: bool) {
        let t = self.t;
        let stats = &mut self.out.stats;
        let mut idx = place as usize;
        if t.places[idx].capital as usize != idx {
            let q = rates::PLACE_AS_GOVERNORATE;
            let hit = chance(&mut self.rng, q);
            stats.offer(NoiseKind::PlaceAsGovernorate, q, hit);
            if hit {
                idx = t.places[idx].capital as usize;
            }
        }
        let pl = &t.places[idx];
        let out = if registry {
            &mut self.f.registry_place
        } else {
            &mut self.f.birth_place
        };
        match script {
            Script::Arabic => {
                let mut src = pl.ar;
                if !pl.aliases.is_empty() {
                    let q = rates::PLACE_ALIAS;
                    let hit = chance(&mut self.rng, q);
                    stats.offer(NoiseKind::PlaceAlias, q, hit);
                    if hit {
                        src = pl.aliases[self.rng.usize(..pl.aliases.len())];
                    }
                }
                match style {
                    Some(style) => arabic::render_place(src, style, &mut self.chars, out),
                    None => out.push_str(src),
                }
            }
            Script::Latin(scheme) => match pl.latin {
                Some(cells) if chance(&mut self.rng, 0.9) => out.push_str(
                    crate::sample::pick_spelling(&mut self.rng, cells[latin::column(scheme)]),
                ),
                _ => {
                    self.scratch.clear();
                    latin::transliterate(
                        pl.ph,
                        scheme,
                        &mut self.rng,
                        &mut self.scratch,
                        &mut self.toks,
                    );
                    latin::title_case(&self.scratch, scheme, out);
                }
            },
        }
    }

    /// Writes the national number when the source has it; now and then mistyped.
    fn national_number(&mut self, m: &Member, q: f64) {
        let Some((g, s, serial)) = m.national else {
            return;
        };
        let stats = &mut self.out.stats;
        let written = chance(&mut self.rng, q);
        stats.offer(NoiseKind::NationalNumberWritten, q, written);
        if !written {
            return;
        }
        let n = NationalNumber::from_parts(g, s, serial).expect("parts are in range");
        let out = &mut self.f.national_number;
        out.push_str(n.as_str());
        let mistyped = chance(&mut self.rng, rates::NATIONAL_NUMBER_MISTYPED);
        stats.offer(
            NoiseKind::NationalNumberMistyped,
            rates::NATIONAL_NUMBER_MISTYPED,
            mistyped,
        );
        if mistyped {
            // The number is eleven ASCII digits; Verhoeff catches both slips.
            let mut digits: Vec<u8> = out.bytes().collect();
            let i = self.rng.usize(..digits.len() - 1);
            if digits[i] != digits[i + 1] && self.rng.bool() {
                digits.swap(i, i + 1);
            } else {
                let delta = self.rng.u8(1..10);
                digits[i] = b'0' + (digits[i] - b'0' + delta) % 10;
            }
            out.clear();
            out.extend(digits.iter().map(|&d| d as char));
        }
    }

    fn write_row(&mut self, sex: &str, source: Source) {
        let rows = &mut self.out.rows;
        let f = &self.f;
        for s in &f.names {
            rows.push(b',');
            push_field(rows, s);
        }
        for s in [
            sex,
            &f.date,
            &f.birth_place,
            &f.registry_place,
            &f.registry_number,
            &f.national_number,
            source.code(),
        ] {
            rows.push(b',');
            push_field(rows, s);
        }
        rows.push(b'\n');
        self.out.ends.push(rows.len() as u32);
    }
}
