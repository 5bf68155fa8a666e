//! Generated populations and record builders.

use sijil_core::{PersonRecord, interchange};
use sijil_gen::GenConfig;

/// Records and their true persons from the generator.
pub struct Population {
    pub records: Vec<PersonRecord>,
    pub person: Vec<String>,
}

/// `people` people generated under `seed`.
pub fn population(people: usize, seed: u64) -> Population {
    let (mut records, mut truth) = (Vec::new(), Vec::new());
    sijil_gen::generate(&GenConfig::new(people, seed), &mut records, &mut truth)
        .expect("generation succeeds");
    let today = time::macros::date!(2026 - 01 - 01);
    let lines =
        interchange::read_all(records.as_slice(), today).expect("generated records are valid");
    let truth = String::from_utf8(truth).expect("utf-8");
    let by_id: std::collections::HashMap<&str, &str> = truth
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .collect();
    let records: Vec<PersonRecord> = lines.into_iter().map(|l| l.record).collect();
    let person = records
        .iter()
        .map(|r| by_id[r.record_id.as_str()].to_owned())
        .collect();
    Population { records, person }
}

/// A record with the given fields (by interchange column name); others empty.
pub fn record(id: &str, fields: &[(&str, &str)]) -> PersonRecord {
    let mut row = sijil_core::RecordRow {
        record_id: id.into(),
        ..Default::default()
    };
    for (k, v) in fields {
        row.set(k, (*v).to_owned());
    }
    row.validate_with(
        time::macros::date!(2026 - 01 - 01),
        sijil_core::NumberPolicy::KeepUnverified,
    )
    .expect("a valid record")
}

/// Pairwise precision and recall of `labels` against `person`.
pub fn pairwise(labels: &[u32], person: &[String]) -> (f64, f64) {
    use std::collections::HashMap;
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut both: HashMap<(u32, &str), u64> = HashMap::new();
    let mut by_label: HashMap<u32, u64> = HashMap::new();
    let mut by_person: HashMap<&str, u64> = HashMap::new();
    for (&l, p) in labels.iter().zip(person) {
        *both.entry((l, p)).or_default() += 1;
        *by_label.entry(l).or_default() += 1;
        *by_person.entry(p).or_default() += 1;
    }
    let tp: u64 = both.values().map(|&n| pairs(n)).sum();
    let predicted: u64 = by_label.values().map(|&n| pairs(n)).sum();
    let actual: u64 = by_person.values().map(|&n| pairs(n)).sum();
    (
        tp as f64 / predicted.max(1) as f64,
        tp as f64 / actual.max(1) as f64,
    )
}
