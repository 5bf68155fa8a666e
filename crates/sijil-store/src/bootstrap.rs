//! What a fresh registry needs before any work: the central office.
//!
//! Shared by the command line (`sijil import` on a new data directory) and the server's first
//! start, so both create the same office with the same national-number prefix.

use sijil_core::OfficeCode;

use crate::{Actor, NewOffice, Office, Store, StoreError, StoreResult};

/// Code of the central office (its officers act nationally: [`sijil_core::Scope`]).
pub use sijil_core::CENTRAL_OFFICE;

/// The central office's code.
pub fn central_office_code() -> OfficeCode {
    OfficeCode::parse(CENTRAL_OFFICE).expect("valid office code")
}

/// Returns the central office, creating it (as the system actor) if the registry lacks it.
///
/// Idempotent, and safe when two processes race on a fresh database: the loser's insert is a
/// conflict, after which the winner's office is read back.
pub async fn ensure_central_office<S: Store>(store: &S) -> StoreResult<Office> {
    let code = central_office_code();
    if let Some(office) = find(store, &code).await? {
        return Ok(office);
    }
    let office = NewOffice {
        code: code.clone(),
        name_ar: "السجل المدني المركزي".into(),
        name_en: "Central Civil Registry".into(),
        governorate: 1,
        secretariat: 0,
    };
    match store
        .create_office(office, &Actor::system(code.clone()))
        .await
    {
        Err(StoreError::Conflict(_)) => find(store, &code)
            .await?
            .ok_or(StoreError::NotFound("office")),
        other => other,
    }
}

async fn find<S: Store>(store: &S, code: &OfficeCode) -> StoreResult<Option<Office>> {
    Ok(store.offices().await?.into_iter().find(|o| &o.code == code))
}
