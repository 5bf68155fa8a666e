//! The simplest honest resolution: a record that carries a national number already held by a
//! person is linked to that person; every other record makes a new person.
//!
//! Identity resolution proper (fuzzy, cross-script, with a review queue) replaces this; the
//! store only needs a [`Decision`] per record, whoever makes it.

use std::collections::HashMap;

use sijil_core::{NationalNumber, PersonRecord};

use crate::{Decision, Link, Store, StoreResult};

/// Decides each record of a batch (in order) by national number alone. The registry is asked
/// about all the batch's numbers at once, in a few queries, not once per record.
pub async fn by_national_number<S: Store>(
    store: &S,
    records: &[&PersonRecord],
) -> StoreResult<Vec<Decision>> {
    let mut first_in_batch: HashMap<&NationalNumber, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(nn) = &r.national_number {
            first_in_batch.entry(nn).or_insert(i);
        }
    }
    let numbers: Vec<NationalNumber> = first_in_batch.keys().map(|&n| n.clone()).collect();
    let held = store.person_ids_by_national_numbers(&numbers).await?;
    let decisions = records
        .iter()
        .enumerate()
        .map(|(i, r)| match &r.national_number {
            None => Decision {
                link: Link::NewPerson,
                reason: "no_national_number",
            },
            Some(nn) => match (first_in_batch[nn], held.get(nn)) {
                (j, _) if j < i => Decision {
                    link: Link::SameAsItem(j),
                    reason: "national_number",
                },
                (_, Some(&id)) => Decision {
                    link: Link::Person(id),
                    reason: "national_number",
                },
                (_, None) => Decision {
                    link: Link::NewPerson,
                    reason: "national_number_new",
                },
            },
        })
        .collect();
    Ok(decisions)
}
