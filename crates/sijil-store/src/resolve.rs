//! The simplest honest resolution: a record that carries a national number already held by a
//! person is linked to that person; every other record makes a new person.
//!
//! Identity resolution proper (fuzzy, cross-script, with a review queue) replaces this; the
//! store only needs a [`Decision`] per record, whoever makes it.

use std::collections::HashMap;

use sijil_core::PersonRecord;

use crate::{Decision, Link, Store, StoreResult};

/// Decides each record of a batch (in order) by national number alone.
pub async fn by_national_number<S: Store>(
    store: &S,
    records: &[&PersonRecord],
) -> StoreResult<Vec<Decision>> {
    let mut first_in_batch: HashMap<&str, usize> = HashMap::new();
    let mut decisions = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let Some(nn) = &r.national_number else {
            decisions.push(Decision {
                link: Link::NewPerson,
                reason: "no_national_number",
            });
            continue;
        };
        if let Some(&j) = first_in_batch.get(nn.as_str()) {
            decisions.push(Decision {
                link: Link::SameAsItem(j),
                reason: "national_number",
            });
            continue;
        }
        first_in_batch.insert(nn.as_str(), i);
        decisions.push(match store.person_id_by_national_number(nn).await? {
            Some(id) => Decision {
                link: Link::Person(id),
                reason: "national_number",
            },
            None => Decision {
                link: Link::NewPerson,
                reason: "national_number_new",
            },
        });
    }
    Ok(decisions)
}
