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
    let (password, hash) = generated_password().await?;
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

/// Gives `username` a fresh random password (returned, never stored in clear) and ends their
/// sessions: the way back in for an administrator who lost the first-start password.
pub async fn reset_password<S: Store>(
    store: &S,
    username: &str,
    actor: &Actor,
) -> anyhow::Result<String> {
    let (password, hash) = generated_password().await?;
    store.set_password(username, &hash, actor).await?;
    Ok(password)
}

/// A fresh random password and its Argon2id hash (computed off the async workers).
async fn generated_password() -> anyhow::Result<(String, String)> {
    let password = crate::auth::generate_password();
    let for_hash = password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&for_hash)).await??;
    Ok((password, hash))
}

/// For an office node: makes sure `office` exists locally and, when the node has no user yet,
/// creates `admin` at that office with a fresh random password, returned (shown once).
pub async fn ensure_office_admin<S: Store>(
    store: &S,
    office: sijil_store::NewOffice,
) -> anyhow::Result<Option<String>> {
    let code = office.code.clone();
    let actor = Actor::system(code.clone());
    if !store.offices().await?.iter().any(|o| o.code == code) {
        store.create_office(office, &actor).await?;
    }
    if !store.users().await?.is_empty() {
        return Ok(None);
    }
    let (password, hash) = generated_password().await?;
    let user = NewUser {
        username: Username::parse(ADMIN_USERNAME).expect("valid username"),
        display_name: "مدير المكتب / Office administrator".into(),
        role: Role::Administrator,
        office: code,
        password_hash: hash,
    };
    store.create_user(user, &actor).await?;
    Ok(Some(password))
}
