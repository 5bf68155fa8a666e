//! The lists a checkpoint verifies documents with — the trust list, the signed revocation list
//! and the signed alert list — carried from the central to office nodes through the downlink.
//!
//! Each `revocation` or `alert` entry holds one whole signed list and the trust list it was
//! signed under, so a node can open it on its own. The central publishes again only when a
//! list's content or the trust list changed (a lost card, a lifted alert, a rotated key): a
//! signed delta from the list before (see [`super::list_deltas`], which decides per node whether
//! it gets deltas or the whole list) and the whole list, keeping only the newest whole list of
//! each kind. A node checks each list against the trust list that came with it (the entry itself
//! is signed by the central's downlink key) and refuses one that is not newer than the list it
//! holds, so a replayed old list cannot un-revoke a card.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use sijil_docs::{
    AlertList, KeyId, RevocationList, TrustList,
    credential::delta::{DeltaList, ListDelta, content_digest},
};
use sijil_store::{Actor, DownlinkEntry, ListDeltaRow, Store, StoreError, SyncStore};
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
pub(crate) struct ListPayload {
    /// The trust list the list was signed under (JSON text, `sijil verify`'s file format).
    pub trust_list: String,
    /// The COSE_Sign1 list, Base64.
    pub list: String,
    /// The list's version, so the central can answer "is this node's list the newest" without
    /// opening the list (absent in entries published before deltas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// The list's content digest, hex ([`content_digest`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
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
    /// At a node: the downlink versions of the newest list entries and deltas read from the
    /// store, so that looking again costs a few small queries, not opening the lists.
    read_versions: std::sync::Mutex<Vec<i64>>,
    /// At a node: what it says it holds when it asks for the downlink (computed when the
    /// lists change: the content digest of a large list takes a while).
    state: std::sync::Mutex<Option<super::list_deltas::ListsHeld>>,
    /// At the central: the newest whole list of each kind, as far as answers need it.
    heads: std::sync::Mutex<Vec<(String, super::list_deltas::Head)>>,
}

impl Lists {
    /// The lists held now (at a node), if any arrived.
    pub fn held(&self) -> Option<Arc<HeldLists>> {
        self.held.read().ok().and_then(|h| h.clone())
    }

    /// At a node: what to say it holds when it asks for the downlink.
    pub fn held_state(&self) -> super::list_deltas::ListsHeld {
        self.state
            .lock()
            .ok()
            .and_then(|s| s.clone())
            .unwrap_or_else(super::list_deltas::ListsHeld::nothing)
    }

    /// Holds `held` from now on.
    pub(crate) fn set_held(&self, held: Arc<HeldLists>) {
        let state = super::list_deltas::state_of(&held);
        if let Ok(mut slot) = self.held.write() {
            *slot = Some(held);
        }
        if let Ok(mut s) = self.state.lock() {
            *s = Some(state);
        }
    }

    /// At the central: what is known of the newest whole list of `kind`.
    pub(crate) fn head(&self, kind: &str) -> Option<super::list_deltas::Head> {
        let heads = self.heads.lock().ok()?;
        heads
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, h)| h.clone())
    }

    /// Records what is known of the newest whole list of `kind`.
    pub(crate) fn set_head(&self, kind: &str, head: super::list_deltas::Head) {
        if let Ok(mut heads) = self.heads.lock() {
            heads.retain(|(k, _)| k != kind);
            heads.push((kind.to_owned(), head));
        }
    }

    /// Where received lists are written as files, if anywhere.
    pub(crate) fn files_dir(&self) -> Option<&Path> {
        self.files_dir.as_deref()
    }

    /// Records what was read from the store; false when it is what was read last time.
    pub(crate) fn mark_read(&self, marks: Vec<i64>) -> bool {
        match self.read_versions.lock() {
            Ok(read) if *read == marks => false,
            Ok(mut read) => {
                *read = marks;
                true
            }
            Err(_) => true,
        }
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
    // After a rotation no delta is published: a node needs the new trust list, which only a
    // whole-list entry carries.
    let base = |changed: bool, old: Option<u64>| if changed { None } else { old };
    if revocations_changed {
        let old = base(
            trust_changed,
            published.revocations.as_ref().map(|l| l.version),
        );
        if let Some(v) = old {
            revocations.version = revocations.version.max(v + 1);
        }
        let prior = published.revocations.as_ref().filter(|_| old.is_some());
        publish_kind(
            ctx,
            keys,
            REVOCATION_KIND,
            &trust_json,
            prior,
            &revocations,
            RevocationList::sign,
            &actor,
        )
        .await?;
        published.revocations = Some(revocations);
        count += 1;
    }
    if alerts_changed {
        let old = base(trust_changed, published.alerts.as_ref().map(|l| l.version));
        if let Some(v) = old {
            alerts.version = alerts.version.max(v + 1);
        }
        let prior = published.alerts.as_ref().filter(|_| old.is_some());
        publish_kind(
            ctx,
            keys,
            ALERT_KIND,
            &trust_json,
            prior,
            &alerts,
            AlertList::sign,
            &actor,
        )
        .await?;
        published.alerts = Some(alerts);
        count += 1;
    }
    published.trust = Some(trust_json);
    tracing::info!(entries = count, "document lists published to the downlink");
    Ok(count)
}

/// Publishes one list as of now: the signed delta from the list published before (when there
/// is one under the same trust list), then the whole signed list, same version; drops the
/// whole lists it replaces and the deltas no node would be sent any more (see
/// [`prunable_through`]).
#[allow(clippy::too_many_arguments)]
async fn publish_kind<L: DeltaList>(
    ctx: &super::SyncContext,
    keys: &std::sync::Mutex<crate::keyring::Keyring>,
    kind: &str,
    trust_json: &str,
    prior: Option<&L>,
    now: &L,
    sign: impl Fn(&L, &SigningKey, &KeyId) -> Vec<u8>,
    actor: &Actor,
) -> Result<(), AppError> {
    let (kid, key) = issuance::list_key(keys, now.list_issued_at())?;
    let signed = sign(now, &key, &kid);
    let digest = content_digest(now);
    if let Some(prior) = prior {
        let delta = ListDelta::between(prior, now);
        ctx.store
            .add_list_delta(
                ListDeltaRow {
                    kind: kind.to_owned(),
                    version: as_i64(now.list_version()),
                    base_version: as_i64(prior.list_version()),
                    base_digest: hex::encode(delta.base_digest),
                    bytes: delta.sign(&key, &kid),
                },
                actor,
            )
            .await?;
    }
    let payload = serde_json::to_value(ListPayload {
        trust_list: trust_json.to_owned(),
        list: BASE64.encode(&signed),
        version: Some(now.list_version()),
        digest: Some(hex::encode(digest)),
    })
    .expect("serialises");
    ctx.store.publish_downlink(kind, payload, actor).await?;
    ctx.store.drop_superseded_lists(kind, actor).await?;
    // Without a delta to this list (the first list, a rotation) no older delta chains to it.
    let through = match prior {
        None => Some(i64::MAX),
        Some(_) => {
            let deltas = ctx.store.list_deltas(kind, 0).await?;
            prunable_through(&deltas, signed.len() + trust_json.len())
        }
    };
    if let Some(through) = through {
        ctx.store.prune_list_deltas(kind, through, actor).await?;
    }
    Ok(())
}

/// The newest delta version that no node will be sent: a node is sent the deltas after its
/// version only while they weigh less than the whole list (with its trust list), so a delta is
/// useless once the deltas from it to the newest weigh more than that. `deltas` in version
/// order.
pub fn prunable_through(deltas: &[ListDeltaRow], whole_len: usize) -> Option<i64> {
    let mut suffix = 0usize;
    for d in deltas.iter().rev() {
        suffix += d.bytes.len();
        if suffix >= whole_len {
            return Some(d.version);
        }
    }
    None
}

/// A list version as SQLite stores it (milliseconds fit many times over).
pub(crate) fn as_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
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

pub(crate) fn open_entry<L>(
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
    lists.set_held(Arc::new(held));
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

/// At a node's start: holds the newest lists it received before (the whole lists and the
/// deltas after them). Also called by a node's sync loop, for lists taken from a file by
/// another process; reads a few small rows when nothing new arrived.
pub async fn load_held(store: &dyn SyncStore, lists: &Lists) -> Result<bool, StoreError> {
    super::list_deltas::load_held(store, lists).await
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

pub(crate) fn replace(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.new"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(tmp, dir.join(name))
}
