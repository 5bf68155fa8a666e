//! What may never share a cluster, however records link up.

use proptest::prelude::*;
use sijil_core::NationalNumber;
use sijil_match::{Index, ModelSource, Resolve, Settings, dedup};

use crate::common::{population, record};

fn number(serial: u32) -> String {
    NationalNumber::from_parts(1, 2, serial)
        .unwrap()
        .to_string()
}

/// A family of near-identical records: one person's name, date and parents, each record with
/// or without one of a few valid national numbers and with a given sex.
fn records(spec: &[(Option<u32>, bool)]) -> Vec<sijil_core::PersonRecord> {
    spec.iter()
        .enumerate()
        .map(|(i, (nn, male))| {
            let nn = nn.map(number).unwrap_or_default();
            record(
                &format!("R{i}"),
                &[
                    ("first_name", if i % 2 == 0 { "محمد" } else { "Mohammed" }),
                    ("father_name", "أحمد"),
                    ("family_name", "الحلبي"),
                    ("mother_name", "فاطمة"),
                    ("birth_date", "1980-05-02"),
                    ("birth_place", "حلب"),
                    ("sex", if *male { "M" } else { "F" }),
                    ("national_number", &nn),
                ],
            )
        })
        .collect()
}

/// Checks that no cluster holds two valid national numbers or two sexes.
fn assert_clean(recs: &[sijil_core::PersonRecord], labels: &[u32]) {
    let mut seen: std::collections::HashMap<u32, (Option<String>, Option<sijil_core::Sex>)> =
        Default::default();
    for (r, &l) in recs.iter().zip(labels) {
        let e = seen.entry(l).or_default();
        if let Some(n) = &r.national_number {
            let n = n.to_string();
            assert!(
                e.0.as_ref().is_none_or(|m| *m == n),
                "cluster {l}: {:?} and {n}",
                e.0
            );
            e.0 = Some(n);
        }
        if let Some(s) = r.sex {
            assert!(e.1.is_none_or(|t| t == s), "cluster {l}: two sexes");
            e.1 = Some(s);
        }
    }
}

#[test]
fn a_bridge_record_does_not_join_two_national_numbers() {
    // R0 and R2 carry different valid numbers; R1 (no number) links to both.
    let recs = records(&[(Some(10), true), (None, true), (Some(11), true)]);
    let model = dedup(
        &population(1500, 3).records,
        ModelSource::Train(Settings::default()),
        &(),
    )
    .model()
    .clone();
    let d = dedup(&recs, ModelSource::Use(model), &());
    assert_clean(&recs, d.labels());
    assert_eq!(d.labels()[0], d.labels()[1], "the bridge joins the first");
    assert_ne!(d.labels()[0], d.labels()[2]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the mix of numbers and sexes among otherwise identical records, and whatever
    /// their order, batch clusters never hold two valid numbers or two sexes, and neither do
    /// the persons the incremental resolver builds.
    #[test]
    fn clusters_never_join_different_numbers_or_sexes(
        spec in proptest::collection::vec((proptest::option::of(0u32..3), proptest::bool::weighted(0.8)), 2..9)
    ) {
        let model = shared_model();
        let recs = records(&spec);
        let d = dedup(&recs, ModelSource::Use(model.clone()), &());
        assert_clean(&recs, d.labels());
        let mut index: Index<usize> = Index::new(model);
        for (i, r) in recs.iter().enumerate() {
            let person = match index.resolve(r).decision {
                Resolve::Link { person, merge } => {
                    for m in merge {
                        index.merge(m, person);
                    }
                    person
                }
                _ => i,
            };
            index.insert(r, person);
        }
        let labels: Vec<u32> = (0..recs.len())
            .map(|i| index.person_of(sijil_match::RecordRef(i as u32)) as u32)
            .collect();
        assert_clean(&recs, &labels);
    }
}

fn shared_model() -> sijil_match::Model {
    use std::sync::OnceLock;
    static MODEL: OnceLock<sijil_match::Model> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            dedup(
                &population(1500, 3).records,
                ModelSource::Train(Settings::default()),
                &(),
            )
            .model()
            .clone()
        })
        .clone()
}
