//! First start: an empty registry gets its central office and one administrator, whose
//! password is generated, shown once, and never stored in clear.

use sijil_core::{OfficeCode, Role, Username};
use sijil_store::{Actor, NewOffice, NewUser, Office, Store, StoreResult};

/// Login name of the first administrator.
pub const ADMIN_USERNAME: &str = "admin";

/// Code of the central office created on first start.
pub const CENTRAL_OFFICE: &str = "CENTRAL";

/// Creates the central office if the registry has no office yet; returns it.
pub async fn ensure_central_office<S: Store>(store: &S) -> StoreResult<Office> {
    let code = OfficeCode::parse(CENTRAL_OFFICE).expect("valid office code");
    let offices = store.offices().await?;
    if let Some(o) = offices.into_iter().find(|o| o.code == code) {
        return Ok(o);
    }
    let office = NewOffice {
        code: code.clone(),
        name_ar: "السجل المدني المركزي".into(),
        name_en: "Central Civil Registry".into(),
        governorate: 1,
        secretariat: 0,
    };
    store.create_office(office, &Actor::system(code)).await
}

/// When the registry has no user at all, creates `admin` with a fresh random password and
/// returns that password (the only time it exists in clear). Otherwise returns `None`.
pub async fn ensure_admin<S: Store>(store: &S) -> anyhow::Result<Option<String>> {
    let office = ensure_central_office(store).await?;
    if !store.users().await?.is_empty() {
        return Ok(None);
    }
    let password = crate::auth::generate_password();
    let hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || crate::auth::hash_password(&password)).await??
    };
    let user = NewUser {
        username: Username::parse(ADMIN_USERNAME).expect("valid username"),
        display_name: "مدير النظام / Administrator".into(),
        role: Role::Administrator,
        office: office.code.clone(),
        password_hash: hash,
    };
    store.create_user(user, &Actor::system(office.code)).await?;
    Ok(Some(password))
}
