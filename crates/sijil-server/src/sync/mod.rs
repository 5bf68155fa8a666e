//! Sync between field office nodes and the central: what the server needs beside its registry.
//!
//! A server runs in one of two sync modes. At the **central** it holds the HPKE secret key that
//! opens packets and the Ed25519 key that signs the downlink, and answers enrolment, uploads,
//! acknowledgements and downlink requests ([`ingest`] applies each packet exactly once, or
//! quarantines it with its reason). At an **office node** it holds the device signing key, and
//! [`office`] seals local registrations into the outbox and pushes them when the central can
//! be reached.
//!
//! The sync store is a trait object ([`SyncStore`]) so the server's generic `Store` bound does
//! not grow; the binary passes the same SQLite store twice.

pub mod client;
pub mod ingest;
pub mod list_deltas;
pub mod lists;
pub mod office;

use std::{collections::HashMap, path::Path, sync::Arc};

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sijil_core::OfficeCode;
use sijil_store::{Actor, StoreResult, SyncStore, keyfile};
use sijil_sync::{CentralPublicKey, CentralSecretKey, DeviceSigningKey};
use tokio::sync::Mutex;
use uuid::Uuid;

/// Key file of the central's HPKE secret (packets are encrypted to its public half).
pub const CENTRAL_HPKE_KEY_FILE: &str = "central-hpke.key";
/// Key file of the central's downlink signing key.
pub const CENTRAL_DOWNLINK_KEY_FILE: &str = "central-downlink.key";
/// Key file of an office node's device signing key.
pub const DEVICE_KEY_FILE: &str = "device.key";

/// The central's sync keys.
pub struct CentralKeys {
    /// Opens packets.
    pub hpke: CentralSecretKey,
    /// Signs the downlink.
    pub downlink: SigningKey,
}

impl CentralKeys {
    /// Reads the keys from the data directory, creating them on first start (files with mode
    /// 0600, never in the database).
    pub fn load_or_create(dir: &Path) -> std::io::Result<Self> {
        let hpke = keyfile::load_or_create(&dir.join(CENTRAL_HPKE_KEY_FILE))?;
        let downlink = keyfile::load_or_create(&dir.join(CENTRAL_DOWNLINK_KEY_FILE))?;
        Ok(Self {
            hpke: CentralSecretKey::from_seed(&hpke),
            downlink: SigningKey::from_bytes(&downlink),
        })
    }

    /// The public halves, as offices learn them at enrolment.
    pub fn public(&self) -> CentralPublicKeys {
        CentralPublicKeys {
            hpke_public_key: hex::encode(self.hpke.public_key().to_bytes()),
            downlink_public_key: hex::encode(self.downlink.verifying_key().as_bytes()),
        }
    }

    /// Signs a downlink body.
    pub fn sign(&self, body: &[u8]) -> String {
        hex::encode(self.downlink.sign(&downlink_message(body)).to_bytes())
    }

    /// Signs an answer to a node's question for receipts (bound to the question).
    pub fn sign_receipts(&self, question: &[u8], answer: &[u8]) -> String {
        hex::encode(
            self.downlink
                .sign(&receipts_message(question, answer))
                .to_bytes(),
        )
    }
}

/// The central's public keys, hex.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CentralPublicKeys {
    /// X25519 key packets are encrypted to.
    pub hpke_public_key: String,
    /// Ed25519 key the downlink is signed with.
    pub downlink_public_key: String,
}

impl CentralPublicKeys {
    /// Parses both keys.
    pub fn parse(&self) -> Option<(CentralPublicKey, VerifyingKey)> {
        let hpke = CentralPublicKey::from_bytes(&hex::decode(&self.hpke_public_key).ok()?)?;
        let down: [u8; 32] = hex::decode(&self.downlink_public_key)
            .ok()?
            .try_into()
            .ok()?;
        Some((hpke, VerifyingKey::from_bytes(&down).ok()?))
    }
}

/// What a downlink answer is sealed with besides the device's key: the question it answers, so
/// an answer cannot be passed off as the answer to another request or another node.
pub fn downlink_context(since: i64, key_id: &str) -> Vec<u8> {
    downlink_context_for(since, key_id, &list_deltas::ListsHeld::default())
}

/// [`downlink_context`] for a node that also said which lists it holds: that is part of the
/// question too.
pub fn downlink_context_for(since: i64, key_id: &str, held: &list_deltas::ListsHeld) -> Vec<u8> {
    format!("since={since};key={key_id}{}", held.context()).into_bytes()
}

/// The signed message of a downlink body: domain-separated, so a downlink signature can never
/// pass for anything else the key might sign.
pub fn downlink_message(body: &[u8]) -> Vec<u8> {
    let mut m = b"sijil-sync downlink v1\0".to_vec();
    m.extend_from_slice(body);
    m
}

/// The kinds of packet a device's scope can allow. Every packet today carries a registration;
/// later kinds (civil events, …) are appended here.
pub const PACKET_KINDS: [&str; 1] = ["register"];

/// A device's scope as an administrator gives it: packet kinds separated by commas, each one
/// of [`PACKET_KINDS`]; empty allows nothing (a node that only receives the downlink).
/// Returns the normalised text.
pub fn parse_scope(scope: &str) -> Result<String, String> {
    let mut kinds: Vec<&str> = scope
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    if let Some(bad) = kinds.iter().find(|k| !PACKET_KINDS.contains(k)) {
        return Err(format!(
            "unknown packet kind {bad:?} in the scope (known: {})",
            PACKET_KINDS.join(", ")
        ));
    }
    kinds.sort_unstable();
    kinds.dedup();
    Ok(kinds.join(","))
}

/// Whether a device's stored scope allows packets of `kind`.
pub fn scope_allows(scope: &str, kind: &str) -> bool {
    scope.split(',').map(str::trim).any(|k| k == kind)
}

/// The signed message of a receipts answer (domain-separated like [`downlink_message`]).
pub fn receipts_message(question: &[u8], answer: &[u8]) -> Vec<u8> {
    // The question (with its fresh nonce) is part of what is signed, so an older answer
    // cannot be replayed for a newer question (a stale "review" for a record settled since).
    let mut m = b"sijil-sync receipts v1\0".to_vec();
    m.extend_from_slice(&(question.len() as u64).to_be_bytes());
    m.extend_from_slice(question);
    m.extend_from_slice(answer);
    m
}

/// An office node's identity.
pub struct OfficeNode {
    /// Its office.
    pub office: OfficeCode,
    /// Its device signing key.
    pub device: DeviceSigningKey,
}

/// The server's sync mode.
pub enum SyncMode {
    /// The central registry.
    Central(CentralKeys),
    /// A field office node.
    Office(OfficeNode),
}

/// Everything sync needs in the server.
pub struct SyncContext {
    /// The sync tables (the same database as the registry).
    pub store: Arc<dyn SyncStore>,
    /// Central or office.
    pub mode: SyncMode,
    /// Packets are applied one at a time: deciding "new or duplicate" and claiming the inbox
    /// must not interleave.
    pub(crate) ingest_lock: Mutex<()>,
    /// One request at a time per upload (a retry may arrive while a cut one is still read).
    pub(crate) upload_locks: std::sync::Mutex<HashMap<Uuid, Arc<Mutex<()>>>>,
    /// The document lists: published at the central, received and held at a node.
    pub lists: lists::Lists,
}

impl SyncContext {
    /// A sync context over `store` in `mode`.
    pub fn new(store: Arc<dyn SyncStore>, mode: SyncMode) -> Self {
        Self {
            store,
            mode,
            ingest_lock: Mutex::new(()),
            upload_locks: std::sync::Mutex::default(),
            lists: lists::Lists::default(),
        }
    }

    /// The same context with `lists` (at a node, e.g. writing received lists as files).
    pub fn with_lists(mut self, lists: lists::Lists) -> Self {
        self.lists = lists;
        self
    }

    /// The central's keys, if this is the central.
    pub fn central(&self) -> Option<&CentralKeys> {
        match &self.mode {
            SyncMode::Central(k) => Some(k),
            SyncMode::Office(_) => None,
        }
    }

    /// The office node, if this is one.
    pub fn office(&self) -> Option<&OfficeNode> {
        match &self.mode {
            SyncMode::Office(o) => Some(o),
            SyncMode::Central(_) => None,
        }
    }

    pub(crate) fn upload_lock(&self, id: Uuid) -> Arc<Mutex<()>> {
        let mut map = self.upload_locks.lock().expect("not poisoned");
        if map.len() > 1024 {
            map.retain(|_, l| Arc::strong_count(l) > 1);
        }
        map.entry(id).or_default().clone()
    }
}

/// On a central's first start: publishes its public keys and the code lists offices need, as
/// the first downlink entries. Does nothing when the series has begun.
pub async fn seed_downlink(
    store: &dyn SyncStore,
    keys: &CentralKeys,
    actor: &Actor,
) -> StoreResult<()> {
    if !store.downlink_since(0, 1).await?.is_empty() {
        return Ok(());
    }
    let public = keys.public();
    store
        .publish_downlink(
            "key",
            serde_json::to_value(&public).expect("serialises"),
            actor,
        )
        .await?;
    store
        .publish_downlink(
            "code_list",
            serde_json::json!({ "list": "evidence_kinds", "codes": sijil_core::EvidenceKind::ALL }),
            actor,
        )
        .await?;
    Ok(())
}

/// The downlink after `since` for the approved node `key_id`, which holds the lists `held`:
/// the JSON body sealed to the node's key, and the central's signature over the plain body.
/// The same answer goes over the network (`GET /api/v1/sync/downlink`) or in a file
/// (`sijil sync downlink`). A node that said which lists it holds gets them apart from the
/// series, as deltas where it can ([`list_deltas`]); an older node gets the whole lists among
/// the entries.
pub async fn downlink_answer(
    ctx: &SyncContext,
    key_id: &str,
    since: i64,
    held: &list_deltas::ListsHeld,
) -> Result<(Vec<u8>, String), crate::AppError> {
    use crate::AppError;
    let keys = ctx
        .central()
        .ok_or_else(|| AppError::Conflict("this server is not the central".into()))?;
    let device = match ctx.store.device(key_id).await? {
        Some(d) if d.status == sijil_store::DeviceStatus::Approved => d,
        _ => return Err(AppError::Forbidden),
    };
    let device_key = hex::decode(&device.public_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored device key is not a key")))?;
    let mut entries = ctx.store.downlink_since(since.max(0), 500).await?;
    let mut lists = Vec::new();
    if held.asked() {
        entries.retain(|e| e.kind != lists::REVOCATION_KIND && e.kind != lists::ALERT_KIND);
        lists = list_deltas::list_updates(ctx.store.as_ref(), &ctx.lists, held).await?;
    }
    let body = serde_json::to_vec(&client::DownlinkBody { entries, lists }).expect("serialises");
    let sig = keys.sign(&body);
    let sealed = sijil_sync::downlink::seal_to_device(
        &device_key,
        &downlink_context_for(since, key_id, held),
        &body,
    );
    Ok((sealed, sig))
}

#[cfg(test)]
mod scope_tests {
    use super::{parse_scope, scope_allows};

    #[test]
    fn a_scope_names_known_packet_kinds_only_and_allows_what_it_names() {
        assert_eq!(parse_scope(" register ,register").unwrap(), "register");
        assert_eq!(parse_scope("").unwrap(), "");
        assert!(parse_scope("register,issue").unwrap_err().contains("issue"));
        assert!(scope_allows("register", "register"));
        assert!(!scope_allows("", "register"));
        assert!(!scope_allows("registers", "register"));
    }
}
