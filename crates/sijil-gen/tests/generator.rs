//! End-to-end tests of `sijil_gen::generate`: format, determinism, coherence, and the noise
//! model against `docs/generator.md`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use sijil_core::national_number::{NationalNumber, NationalNumberError};
use sijil_gen::{COLUMNS, GenConfig, GenStats, NoiseKind, Person, generate, people, rates};

const PEOPLE: usize = 20_000;
const SEED: u64 = 2024;

struct Output {
    records: Vec<u8>,
    truth: Vec<u8>,
    stats: GenStats,
}

fn run(people: usize, seed: u64) -> Output {
    let (mut records, mut truth) = (Vec::new(), Vec::new());
    let stats = generate(&GenConfig::new(people, seed), &mut records, &mut truth).unwrap();
    Output {
        records,
        truth,
        stats,
    }
}

/// The 20,000-person output shared by most tests.
fn sample() -> &'static Output {
    static OUT: OnceLock<Output> = OnceLock::new();
    OUT.get_or_init(|| run(PEOPLE, SEED))
}

fn parse(bytes: &[u8]) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = r.headers().unwrap().clone();
    let rows = r.records().collect::<Result<Vec<_>, _>>().unwrap();
    (header, rows)
}

fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            _ => c,
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes_whatever_the_thread_count() {
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let one = pool(1).install(|| run(9_000, 7));
    let four = pool(4).install(|| run(9_000, 7));
    assert!(
        one.records == four.records,
        "records differ between 1 and 4 threads"
    );
    assert!(
        one.truth == four.truth,
        "truth differs between 1 and 4 threads"
    );
    let again = run(9_000, 7);
    assert!(one.records == again.records && one.truth == again.truth);
}

#[test]
fn different_seeds_give_different_files() {
    let a = run(2_000, 1);
    let b = run(2_000, 2);
    assert_ne!(a.records, b.records);
    assert_ne!(a.truth, b.truth);
}

#[test]
fn records_parse_with_exactly_the_interchange_header() {
    let out = sample();
    let (header, rows) = parse(&out.records);
    assert_eq!(header.iter().collect::<Vec<_>>(), COLUMNS.to_vec());
    assert!(
        out.records
            .starts_with(b"record_id,first_name,father_name,grandfather_name,")
    );
    assert_eq!(rows.len() as u64, out.stats.records);
    for row in &rows {
        assert_eq!(row.len(), COLUMNS.len());
        assert!(matches!(&row[7], "M" | "F" | ""), "sex {:?}", &row[7]);
        let date = fold_digits(&row[8]);
        let shape_ok = date.is_empty()
            || (date.len() == 4 || date.len() == 7 || date.len() == 10)
                && date.chars().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
        assert!(shape_ok, "birth date {date:?}");
        assert!(fold_digits(&row[11]).chars().all(|c| c.is_ascii_digit()));
        assert!(rates::Source::ALL.iter().any(|s| s.code() == &row[13]));
    }
}

#[test]
fn every_record_id_is_unique_and_in_truth_exactly_once() {
    let out = sample();
    let (_, records) = parse(&out.records);
    let (header, truth) = parse(&out.truth);
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        ["record_id", "person_id"]
    );
    let mut ids = HashSet::new();
    for r in &records {
        assert!(ids.insert(r[0].to_owned()), "duplicate record_id {}", &r[0]);
    }
    let mut seen = HashSet::new();
    let mut per_person: HashMap<String, u32> = HashMap::new();
    for t in &truth {
        assert!(ids.contains(&t[0]), "truth names unknown record {}", &t[0]);
        assert!(
            seen.insert(t[0].to_owned()),
            "record {} twice in truth",
            &t[0]
        );
        *per_person.entry(t[1].to_owned()).or_default() += 1;
    }
    assert_eq!(seen.len(), ids.len());
    assert_eq!(per_person.len(), PEOPLE);
    assert!(per_person.values().all(|&n| (1..=4).contains(&n)));
    let mean = records.len() as f64 / PEOPLE as f64;
    assert!(
        (1.60..1.70).contains(&mean),
        "mean records per person {mean}"
    );
    assert_eq!(&records[0][0], "R0000001");
}

#[test]
fn families_are_coherent() {
    let all: Vec<Person> = people(&GenConfig::new(PEOPLE, SEED)).collect();
    assert_eq!(all.len(), PEOPLE);
    let by_id: HashMap<&str, &Person> = all.iter().map(|p| (p.person_id.as_str(), p)).collect();
    let (mut children, mut named_after_grandfather, mut sons) = (0, 0, 0);
    for p in &all {
        if let Some(f) = &p.father {
            let father = by_id[f.as_str()];
            children += 1;
            assert_eq!(p.father_name, father.first_name, "{} father", p.person_id);
            assert_eq!(
                p.grandfather_name, father.father_name,
                "{} grandfather",
                p.person_id
            );
            assert_eq!(p.family_name, father.family_name, "{} family", p.person_id);
            assert_eq!(
                (p.registry_place, p.registry_number),
                (
                    father.current_registry_place,
                    father.current_registry_number
                ),
                "{} is born into the father's register",
                p.person_id
            );
            if p.sex == sijil_gen::Sex::Male {
                sons += 1;
                named_after_grandfather += usize::from(p.first_name == father.father_name);
            }
        }
        if let Some(m) = &p.mother {
            let mother = by_id[m.as_str()];
            assert_eq!(p.mother_name, mother.first_name);
            assert_eq!(p.mother_family_name, mother.family_name);
            assert_eq!(mother.spouse.as_deref(), p.father.as_deref());
        }
        if let Some(s) = &p.spouse {
            let spouse = by_id[s.as_str()];
            assert_eq!(spouse.spouse.as_deref(), Some(p.person_id.as_str()));
            if p.sex == sijil_gen::Sex::Female {
                assert_eq!(
                    (p.current_registry_place, p.current_registry_number),
                    (
                        spouse.current_registry_place,
                        spouse.current_registry_number
                    ),
                    "a wife belongs to her husband's register"
                );
            }
        }
    }
    assert!(
        children > PEOPLE / 2,
        "most people have their father in the population"
    );
    let share = named_after_grandfather as f64 / sons as f64;
    assert!(
        (0.08..0.35).contains(&share),
        "sons named after grandfather: {share}"
    );
}

#[test]
fn people_matches_the_truth_file() {
    let out = sample();
    let (_, truth) = parse(&out.truth);
    let ids: HashSet<String> = people(&GenConfig::new(PEOPLE, SEED))
        .map(|p| p.person_id)
        .collect();
    assert!(truth.iter().all(|t| ids.contains(&t[1])));
}

#[test]
fn realised_rates_match_the_model() {
    let stats = &sample().stats;
    for &kind in NoiseKind::ALL {
        let t = stats.tally(kind);
        if let Some(c) = kind.constant() {
            assert!(
                (t.expected_rate() - c).abs() < 1e-9,
                "{} drawn at {c}",
                kind.name()
            );
        }
        if t.opportunities < 500 || kind == NoiseKind::LatinScript {
            continue;
        }
        let p = t.expected_rate();
        let tolerance = 4.5 * (p * (1.0 - p) / t.opportunities as f64).sqrt() + 0.002;
        assert!(
            (t.rate() - p).abs() <= tolerance,
            "{}: realised {:.4}, expected {p:.4} over {}",
            kind.name(),
            t.rate(),
            t.opportunities
        );
    }
    let latin = stats.tally(NoiseKind::LatinScript).rate();
    assert!((0.12..0.19).contains(&latin), "Latin share {latin}");
}

#[test]
fn the_file_shows_the_counted_noise() {
    let out = sample();
    let (_, rows) = parse(&out.records);
    let n = rows.len() as f64;
    let count =
        |f: &dyn Fn(&csv::StringRecord) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    let s = &out.stats;
    assert_eq!(
        count(&|r| r[8].is_empty()),
        s.tally(NoiseKind::DateMissing).count
    );
    assert_eq!(
        count(&|r| r[8].chars().count() == 4),
        s.tally(NoiseKind::DateYearOnly).count
    );
    assert_eq!(
        count(&|r| r[8].chars().count() == 7),
        s.tally(NoiseKind::DateYearMonth).count
    );
    let latin = count(&|r| {
        [1, 2, 3, 4, 5, 6, 9, 10]
            .iter()
            .any(|&i| r[i].chars().any(|c| c.is_ascii_alphabetic()))
    });
    assert_eq!(latin, s.tally(NoiseKind::LatinScript).count);
    let indic = count(&|r| {
        [8, 11, 12]
            .iter()
            .any(|&i| r[i].chars().any(|c| ('٠'..='٩').contains(&c)))
    });
    assert!(indic <= s.tally(NoiseKind::ArabicIndicDigits).count);
    assert!(
        indic as f64 / n > 0.04,
        "Arabic-Indic digits in {indic} records"
    );
    let joined = count(&|r| (1..=6).any(|i| r[i].contains("عبدال")));
    assert!(joined > 0, "some عبد compounds are joined");
}

#[test]
fn national_numbers_are_valid_except_the_documented_mistyped_ones() {
    let out = sample();
    let (_, rows) = parse(&out.records);
    let (_, truth) = parse(&out.truth);
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut failing = 0u64;
    for (row, t) in rows.iter().zip(&truth) {
        assert_eq!(&row[0], &t[0]);
        if row[12].is_empty() {
            continue;
        }
        match NationalNumber::parse(&row[12]) {
            Ok(n) => {
                let prev = owner.insert(n.as_str().to_owned(), t[1].to_owned());
                assert!(
                    prev.is_none_or(|p| p == t[1]),
                    "number {} on two people",
                    n.as_str()
                );
            }
            Err(NationalNumberError::BadCheckDigit { .. }) => failing += 1,
            Err(e) => panic!("malformed national number {:?}: {e}", &row[12]),
        }
    }
    let mistyped = out.stats.tally(NoiseKind::NationalNumberMistyped);
    assert_eq!(
        failing, mistyped.count,
        "every mistyped number and only those fail"
    );
    let rate = mistyped.rate();
    assert!(
        (rate - rates::NATIONAL_NUMBER_MISTYPED).abs() < 0.01,
        "mistyped rate {rate}"
    );
}

/// A crude Arabic fold written for this test: most Arabic records should equal the clean
/// names once spelling variants are folded, or the noise would be unrealistically heavy.
fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' => Some('ا'),
            'ة' => Some('ه'),
            'ى' | 'ی' | 'ئ' => Some('ي'),
            'ؤ' => Some('و'),
            'ک' => Some('ك'),
            'ء' | ' ' | 'ـ' | '\u{064B}'..='\u{0652}' => None,
            other => Some(other),
        })
        .collect()
}

#[test]
fn arabic_noise_is_bounded() {
    let out = sample();
    let (_, rows) = parse(&out.records);
    let (_, truth) = parse(&out.truth);
    let by_id: HashMap<String, Person> = people(&GenConfig::new(PEOPLE, SEED))
        .map(|p| (p.person_id.clone(), p))
        .collect();
    let (mut compared, mut equal) = (0, 0);
    for (row, t) in rows.iter().zip(&truth) {
        let p = &by_id[&t[1]];
        let arabic = row[13].starts_with("civil") || row[13].starts_with("passport");
        if !arabic || row[2].is_empty() {
            continue;
        }
        compared += 1;
        equal += usize::from(fold(&row[2]) == fold(p.father_name));
    }
    let share = equal as f64 / compared as f64;
    assert!(
        (0.93..0.995).contains(&share),
        "father names equal after folding: {share}"
    );
}

#[test]
fn the_document_states_every_constant() {
    let doc = include_str!("../../../docs/generator.md");
    for &kind in NoiseKind::ALL {
        let line = doc
            .lines()
            .find(|l| l.contains(&format!("`{}`", kind.name())))
            .unwrap_or_else(|| panic!("docs/generator.md lacks a row for `{}`", kind.name()));
        if let Some(c) = kind.constant() {
            let pct = format!("{:.3}", c * 100.0);
            let pct = pct.trim_end_matches('0').trim_end_matches('.');
            assert!(
                line.contains(&format!("{pct}%")),
                "row `{}` should state {pct}%",
                kind.name()
            );
        }
    }
    for s in rates::Source::ALL {
        let p = s.profile();
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", p.code)))
            .unwrap_or_else(|| panic!("source {} undocumented", p.code));
        let cells: Vec<&str> = row
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let m = p.missing;
        let want = [
            m.first_name,
            m.father_name,
            m.grandfather_name,
            m.family_name,
            m.mother_name,
            m.mother_family_name,
            m.sex,
            m.birth_place,
            m.registry_place,
            m.registry_number,
            p.date_missing,
            p.year_only,
            p.jan_first,
            p.national_number,
        ];
        for (i, w) in want.iter().enumerate() {
            let cell = cells[2 + i].trim_end_matches('%');
            let got: f64 = cell.parse::<f64>().unwrap() / 100.0;
            assert!(
                (got - w).abs() < 1e-9,
                "{} column {} says {cell}%, code {w}",
                p.code,
                i + 2
            );
        }
        let factor: f64 = cells[16].parse().unwrap();
        assert!(
            (factor - p.typo_factor).abs() < 1e-9,
            "{} typo factor",
            p.code
        );
    }
}

#[test]
fn zero_people_gives_headers_only() {
    let out = run(0, 1);
    assert_eq!(out.records, format!("{}\n", COLUMNS.join(",")).into_bytes());
    assert_eq!(out.truth, b"record_id,person_id\n");
}
