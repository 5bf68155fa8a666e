//! Bringing a batch of validated records into the registry: decide where each belongs, then
//! store them all in one transaction. Shared by `sijil import` and the sample data of a first
//! start, so both link records the same way.

use sijil_core::{Capture, PersonRecord};

use crate::{Actor, ImportMeta, ImportReceipt, NewSourceRecord, Store, StoreResult, resolve};

/// Resolves `records` and imports them, all or nothing, each with a copy of `capture`.
pub async fn import<S: Store>(
    store: &S,
    records: Vec<PersonRecord>,
    capture: &Capture,
    meta: ImportMeta,
    actor: &Actor,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> StoreResult<ImportReceipt> {
    let refs: Vec<&PersonRecord> = records.iter().collect();
    let decisions = resolve::by_national_number(store, &refs).await?;
    drop(refs);
    let batch = records
        .into_iter()
        .zip(decisions)
        .map(|(record, decision)| {
            (
                NewSourceRecord {
                    record,
                    capture: capture.clone(),
                },
                decision,
            )
        })
        .collect();
    store.import_records(batch, meta, actor, progress).await
}
