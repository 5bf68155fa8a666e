//! First start: an empty registry gets its central office and one administrator, whose
//! password is generated, shown once, and never stored in clear.

use sijil_core::{Role, Username};
use sijil_store::{Actor, NewUser, Store, bootstrap::ensure_central_office};

/// Login name of the first administrator.
pub const ADMIN_USERNAME: &str = "admin";

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
