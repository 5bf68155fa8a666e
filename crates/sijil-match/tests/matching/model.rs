//! Saving and loading models; explanations; symmetry; quality on a generated population.

use proptest::prelude::*;
use sijil_match::{Index, Model, ModelSource, Settings, TERMS, dedup};

use crate::common::{pairwise, population, record};

#[test]
fn a_saved_model_gives_the_same_clusters() {
    let pop = population(800, 11);
    let first = dedup(&pop.records, ModelSource::Train(Settings::default()), &());
    let json = first.model().to_json();
    let loaded = Model::from_json(&json).expect("the model reads back");
    assert_eq!(loaded.to_json(), json);
    let again = dedup(&pop.records, ModelSource::Use(loaded), &());
    assert_eq!(first.labels(), again.labels());
    assert_eq!(first.pairs(), again.pairs());
}

#[test]
fn training_alone_learns_the_model_the_batch_learns() {
    let pop = population(800, 12);
    let d = dedup(&pop.records, ModelSource::Train(Settings::default()), &());
    let m = sijil_match::train_model(&pop.records, Settings::default());
    assert_eq!(m.to_json(), d.model().to_json());
}

#[test]
fn a_broken_model_file_is_refused() {
    assert!(Model::from_json("{}").is_err());
    assert!(Model::from_json("not json").is_err());
    let pop = population(300, 2);
    let json = dedup(&pop.records, ModelSource::Train(Settings::default()), &())
        .model()
        .to_json();
    let wrong = json.replacen("\"format\":1", "\"format\":99", 1);
    let err = Model::from_json(&wrong).unwrap_err().to_string();
    assert!(err.contains("format 99"), "{err}");
}

#[test]
fn every_term_is_explained_and_they_add_up() {
    let pop = population(800, 5);
    let d = dedup(&pop.records, ModelSource::Train(Settings::default()), &());
    assert!(!d.pairs().is_empty());
    for p in d.pairs().iter().take(200) {
        let e = d.explain(p.earlier, p.later);
        let names: Vec<&str> = e.terms.iter().map(|t| t.comparison).collect();
        assert_eq!(names, TERMS);
        let sum: f64 = e.terms.iter().map(|t| t.weight).sum();
        assert!((sum - e.weight).abs() < 1e-9, "{sum} vs {}", e.weight);
        assert!((e.weight - p.weight).abs() < 1e-9);
        assert!(e.probability > 0.0 && e.probability <= 1.0);
    }
}

#[test]
fn quality_on_a_generated_population() {
    let pop = population(4000, 21);
    let d = dedup(&pop.records, ModelSource::Train(Settings::default()), &());
    let (p, r) = pairwise(d.labels(), &pop.person);
    let f1 = 2.0 * p * r / (p + r);
    assert!(
        f1 >= 0.96,
        "pairwise precision {p:.4}, recall {r:.4}, F1 {f1:.4}"
    );
}

fn shared() -> &'static (Vec<sijil_core::PersonRecord>, Model) {
    use std::sync::OnceLock;
    static S: OnceLock<(Vec<sijil_core::PersonRecord>, Model)> = OnceLock::new();
    S.get_or_init(|| {
        let pop = population(1200, 9);
        let m = dedup(&pop.records, ModelSource::Train(Settings::default()), &())
            .model()
            .clone();
        (pop.records, m)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The weight of a pair does not depend on which record comes first.
    #[test]
    fn scores_are_symmetric(i in 0usize..1900, j in 0usize..1900) {
        let (recs, model) = shared();
        let (a, b) = (&recs[i % recs.len()], &recs[j % recs.len()]);
        let mut x: Index<u32> = Index::new(model.clone());
        let ra = x.insert(a, 0);
        let mut y: Index<u32> = Index::new(model.clone());
        let rb = y.insert(b, 0);
        let ab = x.explain(b, ra);
        let ba = y.explain(a, rb);
        prop_assert!((ab.weight - ba.weight).abs() < 1e-9, "{} vs {}", ab.weight, ba.weight);
        prop_assert_eq!(
            ab.terms.iter().map(|t| t.level).collect::<Vec<_>>(),
            ba.terms.iter().map(|t| t.level).collect::<Vec<_>>()
        );
    }

    /// Any two records compare the same, spelled with or without marks and tatweel.
    #[test]
    fn diacritics_change_nothing(i in 0usize..1200, j in 0usize..1200) {
        let (recs, model) = shared();
        let (a, b) = (&recs[i % recs.len()], &recs[j % recs.len()]);
        let mut marked = b.clone();
        if let Some(n) = &b.first_name {
            marked.first_name = Some(n.chars().flat_map(|c| [c, '\u{064E}']).collect());
        }
        let mut x: Index<u32> = Index::new(model.clone());
        let ra = x.insert(a, 0);
        prop_assert_eq!(x.explain(b, ra).weight, x.explain(&marked, ra).weight);
    }
}

#[test]
fn hand_made_pairs_score_as_a_registrar_would() {
    let (_, model) = shared();
    let mut index: Index<u32> = Index::new(model.clone());
    let base = record(
        "A",
        &[
            ("first_name", "محمد"),
            ("father_name", "أحمد"),
            ("grandfather_name", "خالد"),
            ("family_name", "الحلبي"),
            ("mother_name", "فاطمة"),
            ("sex", "M"),
            ("birth_date", "1980-05-02"),
            ("birth_place", "حلب"),
        ],
    );
    let r = index.insert(&base, 1);
    let latin = record(
        "B",
        &[
            ("first_name", "Mohammed"),
            ("father_name", "Ahmad"),
            ("family_name", "Al-Halabi"),
            ("sex", "M"),
            ("birth_date", "1980-05-02"),
            ("source", "de_bamf"),
        ],
    );
    let brother = record(
        "C",
        &[
            ("first_name", "محمود"),
            ("father_name", "أحمد"),
            ("grandfather_name", "خالد"),
            ("family_name", "الحلبي"),
            ("mother_name", "فاطمة"),
            ("sex", "M"),
            ("birth_date", "1983-11-20"),
            ("birth_place", "حلب"),
        ],
    );
    let swapped = record(
        "D",
        &[
            ("first_name", "أحمد"),
            ("father_name", "محمد"),
            ("family_name", "الحلبي"),
            ("mother_name", "فاطمة"),
            ("sex", "M"),
            ("birth_date", "1980-05-02"),
        ],
    );
    assert!(
        index.explain(&latin, r).weight > 0.0,
        "the same man in Latin letters"
    );
    assert!(index.explain(&brother, r).weight < 0.0, "his brother");
    assert!(
        index.explain(&swapped, r).weight > 0.0,
        "first and father names swapped"
    );
}
