//! The lists a checkpoint verifies documents with — the trust list, the signed revocation list
//! and the signed alert list — carried from the central to office nodes through the downlink.
//!
//! Each `revocation` or `alert` entry holds one whole signed list and the trust list it was
//! signed under, so a node can open it on its own. The central publishes again only when a
//! list's content or the trust list changed (a lost card, a lifted alert, a rotated key); the
//! downlink leaves out lists a newer one replaces. A node checks each list against the trust
//! list that came with it (the entry itself is signed by the central's downlink key) and
//! refuses one that is not newer than the list it holds, so a replayed old list cannot
//! un-revoke a card.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};
use sijil_docs::{AlertList, RevocationList, TrustList};
use sijil_store::{Actor, DownlinkEntry, Store, StoreError, SyncStore};
use time::OffsetDateTime;
use tokio::sync::Mutex;

use crate::{AppError, AppState, issuance, verification::HeldLists};

/// Downlink kind of the signed revocation list.
pub const REVOCATION_KIND: &str = "revocation";
/// Downlink kind of the signed alert list.
pub const ALERT_KIND: &str = "alert";

/// File names `sijil verify` reads in a data directory.
pub const TRUST_FILE: &str = "trust-list.json";
/// The signed revocation list's file.
pub const REVOCATIONS_FILE: &str = "revocations.cose";
/// The signed alert list's file.
pub const ALERTS_FILE: &str = "alerts.cose";

/// The lists an office node verifies with; shared by the sync loop and the server's verifier.
pub type HeldListsSlot = Arc<RwLock<Option<Arc<HeldLists>>>>;

/// One downlink entry's content.
#[derive(Debug, Serialize, Deserialize)]
struct ListPayload {
    /// The trust list the list was signed under (JSON text, `sijil verify`'s file format).
    trust_list: String,
    /// The COSE_Sign1 list, Base64.
    list: String,
}

/// Lists state of a sync context.
#[derive(Default)]
pub struct Lists {
    /// At a node: the newest lists received and checked.
    pub(crate) held: HeldListsSlot,
    /// At a node: where to write them as files for `sijil verify` (its data directory).
    files_dir: Option<PathBuf>,
    /// At the central: what was published last, to publish only on change.
    published: Mutex<Published>,
    /// At a node: the downlink versions of the newest list entries read from the store, so
    /// that looking again costs two small queries, not opening the lists.
    read_versions: std::sync::Mutex<Vec<i64>>,
}

impl Lists {
    /// The lists held now (at a node), if any arrived.
    pub fn held(&self) -> Option<Arc<HeldLists>> {
        self.held.read().ok().and_then(|h| h.clone())
    }

    /// Lists state that also writes what a node receives into `dir`.
    pub fn writing_files_to(dir: &Path) -> Self {
        Self {
            files_dir: Some(dir.to_owned()),
            ..Self::default()
        }
    }
}

#[derive(Default)]
struct Published {
    loaded: bool,
    checked_at: Option<Instant>,
    trust: Option<String>,
    revocations: Option<RevocationList>,
    alerts: Option<AlertList>,
}

// ------------------------------------------------------------------------------------ central

/// At the central: publishes the revocation and alert lists to the downlink if their content or
/// the trust list changed since the last publication; at most once per `at_most_every` (the
/// downlink handler calls this on every request). Returns how many entries were published.
pub async fn publish<S: Store>(
    state: &AppState<S>,
    at_most_every: Duration,
) -> Result<usize, AppError> {
    let (Some(ctx), Some(keys)) = (state.sync(), state.keyring.as_deref()) else {
        return Ok(0);
    };
    publish_with(&state.store, keys, ctx, at_most_every).await
}

/// [`publish`] from its parts, for a command that runs no server (`sijil sync downlink`).
pub async fn publish_with<S: Store>(
    store: &S,
    keys: &std::sync::Mutex<crate::keyring::Keyring>,
    ctx: &super::SyncContext,
    at_most_every: Duration,
) -> Result<usize, AppError> {
    if ctx.central().is_none() {
        return Ok(0);
    }
    let mut published = ctx.lists.published.lock().await;
    if published
        .checked_at
        .is_some_and(|at| at.elapsed() < at_most_every)
    {
        return Ok(0);
    }
    published.checked_at = Some(Instant::now());
    let trust_json = {
        let mut ring = keys
            .lock()
            .map_err(|_| AppError::Internal(anyhow::anyhow!("keyring lock poisoned")))?;
        ring.ensure_all(OffsetDateTime::now_utc())
            .map_err(|e| AppError::Internal(e.into()))?;
        ring.trust_list().to_json()
    };
    if !published.loaded {
        load_published(ctx.store.as_ref(), &mut published).await?;
    }
    let trust_changed = published.trust.as_deref() != Some(trust_json.as_str());
    let mut revocations = issuance::current_revocations(store).await?;
    let mut alerts = issuance::current_alerts(store).await?;
    let revocations_changed = trust_changed || !same_revocations(&published, &revocations);
    let alerts_changed = trust_changed || !same_alerts(&published, &alerts);
    if !revocations_changed && !alerts_changed {
        return Ok(0);
    }
    let central = sijil_store::bootstrap::ensure_central_office(store).await?;
    let actor = Actor::system(central.code);
    let mut count = 0;
    if revocations_changed {
        let signed = issuance::revocation_list(store, keys).await?;
        revocations = RevocationList::open(&signed, &trust(&trust_json)?)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("own revocation list: {e}")))?;
        let payload = payload(&trust_json, &signed);
        ctx.store
            .publish_downlink(REVOCATION_KIND, payload, &actor)
            .await?;
        published.revocations = Some(revocations);
        count += 1;
    }
    if alerts_changed {
        let signed = issuance::alert_list(store, keys).await?;
        alerts = AlertList::open(&signed, &trust(&trust_json)?)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("own alert list: {e}")))?;
        ctx.store
            .publish_downlink(ALERT_KIND, payload(&trust_json, &signed), &actor)
            .await?;
        published.alerts = Some(alerts);
        count += 1;
    }
    published.trust = Some(trust_json);
    tracing::info!(entries = count, "document lists published to the downlink");
    Ok(count)
}

fn trust(json: &str) -> Result<TrustList, AppError> {
    TrustList::from_json(json).map_err(|e| AppError::Internal(anyhow::anyhow!("trust list: {e}")))
}

fn payload(trust_json: &str, signed: &[u8]) -> serde_json::Value {
    serde_json::to_value(ListPayload {
        trust_list: trust_json.to_owned(),
        list: BASE64.encode(signed),
    })
    .expect("serialises")
}

/// Whether two lists say the same, whatever their versions and signing times.
fn same_revocations(published: &Published, now: &RevocationList) -> bool {
    published.revocations.as_ref().is_some_and(|old| {
        let mut now = now.clone();
        (now.version, now.issued_at) = (old.version, old.issued_at);
        &now == old
    })
}

fn same_alerts(published: &Published, now: &AlertList) -> bool {
    published.alerts.as_ref().is_some_and(|old| {
        let mut now = now.clone();
        (now.version, now.issued_at) = (old.version, old.issued_at);
        &now == old
    })
}

/// Reads back what an earlier run of the central published, so a restart publishes nothing new.
async fn load_published(store: &dyn SyncStore, published: &mut Published) -> Result<(), AppError> {
    let revocations = store.latest_published(REVOCATION_KIND).await?;
    let alerts = store.latest_published(ALERT_KIND).await?;
    published.loaded = true;
    let (Some(r), Some(a)) = (revocations, alerts) else {
        return Ok(());
    };
    // An entry that no longer opens (a key since revoked) is simply published again.
    let (Ok((trust_r, r)), Ok((trust_a, a))) = (
        open_entry(&r, RevocationList::open),
        open_entry(&a, AlertList::open),
    ) else {
        return Ok(());
    };
    if trust_r == trust_a {
        published.trust = Some(trust_r);
        published.revocations = Some(r);
        published.alerts = Some(a);
    }
    Ok(())
}

// ------------------------------------------------------------------------------------ office

/// Why a received list was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ListEntryError {
    /// The entry is not a list entry.
    #[error("downlink entry {0} is not a list entry: {1}")]
    Malformed(i64, String),
    /// The list is the one held (read again from the store).
    #[error("downlink entry {0} holds the list already held")]
    AlreadyHeld(i64),
    /// The list does not open under its trust list, or is older than the one held.
    #[error("downlink entry {0}: {1}")]
    Refused(i64, String),
}

fn open_entry<L>(
    entry: &DownlinkEntry,
    open: impl Fn(&[u8], &TrustList) -> Result<L, sijil_docs::credential::RevocationListError>,
) -> Result<(String, L), ListEntryError> {
    let bad = |m: String| ListEntryError::Malformed(entry.version, m);
    let payload: ListPayload =
        serde_json::from_value(entry.payload.clone()).map_err(|e| bad(format!("payload: {e}")))?;
    let trust = TrustList::from_json(&payload.trust_list).map_err(|e| bad(e.to_string()))?;
    let bytes = BASE64
        .decode(payload.list.as_bytes())
        .map_err(|e| bad(format!("list: {e}")))?;
    let list =
        open(&bytes, &trust).map_err(|e| ListEntryError::Refused(entry.version, e.to_string()))?;
    Ok((payload.trust_list, list))
}

/// At a node: takes the list entries among `entries` (version order) whose lists are newer than
/// those held, and holds the result. Entries refused are logged and skipped: the node keeps
/// verifying with the lists it has. Returns whether the held lists changed.
pub fn take_entries(lists: &Lists, entries: &[DownlinkEntry]) -> bool {
    let current = lists.held();
    let (mut trust_json, mut revocations, mut alerts) = match &current {
        Some(h) => (
            Some(h.trust.to_json()),
            Some(h.revocations.clone()),
            Some(h.alerts.clone()),
        ),
        None => (None, None, None),
    };
    let mut signed = (None, None);
    let mut changed = false;
    for entry in entries {
        let taken = match entry.kind.as_str() {
            REVOCATION_KIND => open_entry(entry, RevocationList::open)
                .and_then(|(t, list)| newer(entry, &revocations, list.version).map(|()| (t, list)))
                .map(|(t, list)| {
                    revocations = Some(list);
                    signed.0 = Some(entry.clone());
                    t
                }),
            ALERT_KIND => open_entry(entry, AlertList::open)
                .and_then(|(t, list)| newer(entry, &alerts, list.version).map(|()| (t, list)))
                .map(|(t, list)| {
                    alerts = Some(list);
                    signed.1 = Some(entry.clone());
                    t
                }),
            _ => continue,
        };
        match taken {
            Ok(t) => {
                trust_json = Some(t);
                changed = true;
            }
            Err(ListEntryError::AlreadyHeld(_)) => {}
            Err(e) => tracing::warn!(error = %e, "a received list was refused"),
        }
    }
    if !changed {
        return false;
    }
    let (Some(trust_json), Some(revocations), Some(alerts)) = (trust_json, revocations, alerts)
    else {
        return false;
    };
    let Ok(trust) = TrustList::from_json(&trust_json) else {
        return false;
    };
    let held = HeldLists {
        trust,
        revocations,
        alerts,
    };
    if let Some(dir) = &lists.files_dir
        && let Err(e) = write_files(dir, &held, &signed)
    {
        tracing::warn!(error = %e, "the received lists could not be written as files");
    }
    if let Ok(mut slot) = lists.held.write() {
        *slot = Some(Arc::new(held));
    }
    true
}

/// A version check shared by both kinds (their lists carry a `version`).
fn newer<L: Versioned>(
    entry: &DownlinkEntry,
    held: &Option<L>,
    got: u64,
) -> Result<(), ListEntryError> {
    match held {
        Some(h) if got == h.version() => Err(ListEntryError::AlreadyHeld(entry.version)),
        Some(h) if got < h.version() => Err(ListEntryError::Refused(
            entry.version,
            format!(
                "list version {got} is not newer than the {} held",
                h.version()
            ),
        )),
        _ => Ok(()),
    }
}

trait Versioned {
    fn version(&self) -> u64;
}
impl Versioned for RevocationList {
    fn version(&self) -> u64 {
        self.version
    }
}
impl Versioned for AlertList {
    fn version(&self) -> u64 {
        self.version
    }
}

/// At a node's start: holds the newest lists it received before.
/// Also called by a node's sync loop, for lists taken from a file by another process; reads
/// nothing more than two rows when nothing new arrived.
pub async fn load_held(store: &dyn SyncStore, lists: &Lists) -> Result<bool, StoreError> {
    let mut entries = Vec::new();
    for kind in [REVOCATION_KIND, ALERT_KIND] {
        entries.extend(store.latest_received(kind).await?);
    }
    entries.sort_by_key(|e| e.version);
    let versions: Vec<i64> = entries.iter().map(|e| e.version).collect();
    if let Ok(mut read) = lists.read_versions.lock() {
        if *read == versions {
            return Ok(false);
        }
        *read = versions;
    }
    Ok(take_entries(lists, &entries))
}

/// Writes the held lists as the files `sijil verify --data DIR` reads, each replaced whole.
fn write_files(
    dir: &Path,
    held: &HeldLists,
    signed: &(Option<DownlinkEntry>, Option<DownlinkEntry>),
) -> std::io::Result<()> {
    let list_bytes = |e: &DownlinkEntry| -> Option<Vec<u8>> {
        let p: ListPayload = serde_json::from_value(e.payload.clone()).ok()?;
        BASE64.decode(p.list.as_bytes()).ok()
    };
    replace(dir, TRUST_FILE, held.trust.to_json().as_bytes())?;
    if let Some(bytes) = signed.0.as_ref().and_then(list_bytes) {
        replace(dir, REVOCATIONS_FILE, &bytes)?;
    }
    if let Some(bytes) = signed.1.as_ref().and_then(list_bytes) {
        replace(dir, ALERTS_FILE, &bytes)?;
    }
    Ok(())
}

fn replace(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.new"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, dir.join(name))
}
