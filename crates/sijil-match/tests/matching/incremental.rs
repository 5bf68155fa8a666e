//! Batch and incremental resolution give the same answers on the same data.

use sijil_match::{Decision, Index, ModelSource, Resolve, Settings, dedup};

use crate::common::population;

#[test]
fn resolving_records_one_by_one_gives_the_batch_clusters() {
    let pop = population(2000, 7);
    let batch = dedup(&pop.records, ModelSource::Train(Settings::default()), &());
    let mut index: Index<u32> = Index::new(batch.model().clone());
    let mut next_person = 0u32;
    let mut persons = Vec::with_capacity(pop.records.len());
    for (i, r) in pop.records.iter().enumerate() {
        let res = index.resolve(r);
        let decided = match &res.decision {
            Resolve::Link { .. } => Decision::Linked,
            Resolve::Review => Decision::Review,
            Resolve::New => Decision::New,
        };
        assert_eq!(
            decided,
            batch.decisions()[i],
            "record {i} ({})",
            r.record_id
        );
        let person = match res.decision {
            Resolve::Link { person, merge } => {
                for m in merge {
                    index.merge(m, person);
                }
                person
            }
            Resolve::Review | Resolve::New => {
                next_person += 1;
                next_person
            }
        };
        index.insert(r, person);
        persons.push(person);
    }
    // The same partition: records share a person exactly when they share a batch cluster.
    let persons: Vec<u32> = (0..pop.records.len())
        .map(|i| index.person_of(sijil_match::RecordRef(i as u32)))
        .collect();
    let labels = batch.labels();
    let mut map = std::collections::HashMap::new();
    for (i, (&p, &l)) in persons.iter().zip(labels).enumerate() {
        let seen = *map.entry(l).or_insert(p);
        assert_eq!(
            seen, p,
            "record {i}: batch cluster {l} maps to persons {seen} and {p}"
        );
    }
    let distinct: std::collections::HashSet<u32> = persons.iter().copied().collect();
    assert_eq!(distinct.len(), map.len());
}
