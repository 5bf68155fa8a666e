//! The document lists as deltas: a node says which version of each list it holds (with the
//! list's content digest), and the central answers with the signed deltas since that version,
//! or with the whole list when the node holds none, when its list is not the central's, when
//! the chain from its version was pruned, or when the chain would weigh more than the list.
//!
//! The question travels beside `since` (`?revocation=V:DIGEST&alert=V:DIGEST`, `0` for no list;
//! in a USB request file the same two strings) and is bound into the sealed answer. A node that
//! does not ask (an older node) gets the whole lists among the entries, as before.
//!
//! A node applies what it receives with every check of [`sijil_docs::credential::delta`]; a
//! refused delta is logged and changes nothing, and the node's next question (same version and
//! digest) gets the whole list if its list is not the central's. What it takes is kept so that
//! it can be verified again from the trust list alone: the whole signed list (downlink entry
//! and `revocations.cose` / `alerts.cose`) and the signed deltas after it (`sync_list_deltas`
//! and `revocations.deltas` / `alerts.deltas`, a CBOR array of COSE_Sign1 deltas).

use std::{path::Path, sync::Arc};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};
use sijil_docs::{
    AlertList, RevocationList, TrustList,
    credential::delta::{DeltaList, ListDelta, content_digest, write_delta_file},
};
use sijil_store::{Actor, DownlinkEntry, ListDeltaRow, StoreError, SyncStore};

use super::lists::{
    ALERT_KIND, ALERTS_FILE, ListPayload, Lists, REVOCATION_KIND, REVOCATIONS_FILE, TRUST_FILE,
    as_i64, open_entry, replace,
};
use crate::{AppError, verification::HeldLists};

/// The signed revocation deltas after `revocations.cose`, for `sijil verify`.
pub const REVOCATION_DELTAS_FILE: &str = "revocations.deltas";
/// The signed alert deltas after `alerts.cose`.
pub const ALERT_DELTAS_FILE: &str = "alerts.deltas";

/// What a node holds of each list, as it asks for the downlink: `V:DIGEST` (version, hex
/// content digest) or `0` for none. Both `None`: a node from before deltas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListsHeld {
    /// The revocation list held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<String>,
    /// The alert list held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
}

impl ListsHeld {
    /// A node that holds no list yet.
    pub fn nothing() -> Self {
        Self {
            revocation: Some("0".into()),
            alert: Some("0".into()),
        }
    }

    /// Whether the node asked in terms of versions (else: the old whole-list downlink).
    pub fn asked(&self) -> bool {
        self.revocation.is_some() || self.alert.is_some()
    }

    /// What this adds to the sealing context of the answer (nothing for an older node).
    pub fn context(&self) -> String {
        if !self.asked() {
            return String::new();
        }
        format!(
            ";revocation={};alert={}",
            self.revocation.as_deref().unwrap_or("0"),
            self.alert.as_deref().unwrap_or("0")
        )
    }

    fn of(&self, kind: &str) -> Option<(u64, &str)> {
        let text = match kind {
            REVOCATION_KIND => self.revocation.as_deref()?,
            _ => self.alert.as_deref()?,
        };
        let (version, digest) = text.split_once(':')?;
        let ok = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then_some(())?;
        Some((version.parse().ok()?, digest))
    }
}

fn held_text<L: DeltaList>(list: &L) -> String {
    format!(
        "{}:{}",
        list.list_version(),
        hex::encode(content_digest(list))
    )
}

/// One list's part of a downlink answer: the whole list entry, or the deltas since the node's
/// version (Base64 COSE_Sign1, in order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListUpdate {
    /// `revocation` or `alert`.
    pub kind: String,
    /// The whole list (a downlink entry as the central published it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whole: Option<DownlinkEntry>,
    /// The signed deltas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deltas: Vec<String>,
}

// ------------------------------------------------------------------------------------ central

/// At the central: what each list's part of the answer is for a node holding `held`.
#[tracing::instrument(skip_all)]
pub async fn list_updates(
    store: &dyn SyncStore,
    lists: &Lists,
    held: &ListsHeld,
) -> Result<Vec<ListUpdate>, AppError> {
    let mut updates = Vec::new();
    for kind in [REVOCATION_KIND, ALERT_KIND] {
        if let Some(u) = list_update(store, lists, kind, held.of(kind)).await? {
            updates.push(u);
        }
    }
    Ok(updates)
}

/// What the central knows of its newest whole list of a kind without reading it again: an
/// up-to-date node's question costs one small query, not reading and parsing megabytes.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    /// The entry's downlink version (the cache key: another process may publish).
    series: i64,
    /// The list's version and content digest (absent in entries from before deltas).
    version: Option<u64>,
    digest: Option<String>,
    /// What the whole list costs on the link.
    weight: usize,
}

async fn list_update(
    store: &dyn SyncStore,
    lists: &Lists,
    kind: &str,
    held: Option<(u64, &str)>,
) -> Result<Option<ListUpdate>, AppError> {
    let Some(series) = store.latest_published_version(kind).await? else {
        return Ok(None);
    };
    let cached = lists.head(kind).filter(|h| h.series == series);
    let (head, mut entry) = match cached {
        Some(h) => (h, None),
        None => {
            let Some(entry) = store.latest_published(kind).await? else {
                return Ok(None);
            };
            let payload: ListPayload = serde_json::from_value(entry.payload.clone())
                .map_err(|e| AppError::Internal(anyhow::anyhow!("published {kind} list: {e}")))?;
            let head = Head {
                series: entry.version,
                version: payload.version,
                digest: payload.digest.clone(),
                weight: whole_weight(&payload),
            };
            lists.set_head(kind, head.clone());
            (head, Some(entry))
        }
    };
    let mut whole = async || -> Result<Option<ListUpdate>, AppError> {
        let entry = match entry.take() {
            Some(e) => Some(e),
            None => store.latest_published(kind).await?,
        };
        Ok(entry.map(|e| ListUpdate {
            kind: kind.to_owned(),
            whole: Some(e),
            deltas: Vec::new(),
        }))
    };
    let (Some(top), Some(top_digest), Some((version, digest))) =
        (head.version, head.digest.as_deref(), held)
    else {
        return whole().await;
    };
    if version == top && digest.eq_ignore_ascii_case(top_digest) {
        return Ok(None);
    }
    if version >= top {
        // Same version with other content, or a version the central never reached: only the
        // whole list says for sure what the central holds.
        return whole().await;
    }
    let deltas = store.list_deltas(kind, as_i64(version)).await?;
    let chained = deltas.first().is_some_and(|d| {
        d.base_version == as_i64(version) && d.base_digest.eq_ignore_ascii_case(digest)
    }) && deltas.windows(2).all(|w| w[1].base_version == w[0].version)
        && deltas.last().is_some_and(|d| d.version == as_i64(top));
    // Compared with what the whole list costs on the link: the list and its trust list.
    let weight: usize = deltas.iter().map(|d| d.bytes.len()).sum();
    if !chained || weight >= head.weight {
        return whole().await;
    }
    Ok(Some(ListUpdate {
        kind: kind.to_owned(),
        whole: None,
        deltas: deltas.iter().map(|d| BASE64.encode(&d.bytes)).collect(),
    }))
}

/// What a whole-list entry weighs on the link, about: the signed list and its trust list.
pub(crate) fn whole_weight(payload: &ListPayload) -> usize {
    payload.list.len() / 4 * 3 + payload.trust_list.len()
}

// ------------------------------------------------------------------------------------ office

/// What a node holding `held` says it holds.
pub(crate) fn state_of(held: &HeldLists) -> ListsHeld {
    ListsHeld {
        revocation: Some(held_text(&held.revocations)),
        alert: Some(held_text(&held.alerts)),
    }
}

/// The lists being rebuilt: the trust list they open under, and each list.
#[derive(Default)]
struct Working {
    trust_json: Option<String>,
    revocations: Option<RevocationList>,
    alerts: Option<AlertList>,
}

impl Working {
    fn from_held(lists: &Lists) -> Self {
        lists.held().map_or_else(Self::default, |h| Self {
            trust_json: Some(h.trust.to_json()),
            revocations: Some(h.revocations.clone()),
            alerts: Some(h.alerts.clone()),
        })
    }
}

/// At a node: takes the list parts of a downlink answer, checking each; keeps what it took in
/// the store and as files, and holds the result. Returns how many lists changed.
#[tracing::instrument(skip_all, fields(updates = updates.len()))]
pub async fn take_updates(
    store: &dyn SyncStore,
    lists: &Lists,
    updates: &[ListUpdate],
    actor: &Actor,
) -> Result<usize, StoreError> {
    let mut work = Working::from_held(lists);
    let mut changed = 0;
    for u in updates {
        let took = match u.kind.as_str() {
            REVOCATION_KIND => {
                take_one(store, u, &mut work.trust_json, &mut work.revocations, actor).await?
            }
            ALERT_KIND => take_one(store, u, &mut work.trust_json, &mut work.alerts, actor).await?,
            other => {
                tracing::warn!(kind = other, "a list update of an unknown kind was ignored");
                false
            }
        };
        changed += usize::from(took);
    }
    if changed > 0 {
        hold(store, lists, work).await?;
    }
    Ok(changed)
}

async fn take_one<L: DeltaList>(
    store: &dyn SyncStore,
    update: &ListUpdate,
    trust_json: &mut Option<String>,
    held: &mut Option<L>,
    actor: &Actor,
) -> Result<bool, StoreError> {
    let kind = update.kind.as_str();
    let mut changed = false;
    if let Some(entry) = &update.whole {
        match open_entry(entry, L::open_whole) {
            Ok((t, list)) => {
                let newer = held.as_ref().is_none_or(|h| {
                    list.list_version() > h.list_version()
                        || (list.list_version() == h.list_version()
                            && content_digest(&list) != content_digest(h))
                });
                if newer {
                    store
                        .store_downlink(std::slice::from_ref(entry), actor)
                        .await?;
                    store.drop_superseded_lists(kind, actor).await?;
                    // The deltas held led to an older list; the new whole list is the base now.
                    store.prune_list_deltas(kind, i64::MAX, actor).await?;
                    *trust_json = Some(t);
                    *held = Some(list);
                    changed = true;
                } else {
                    tracing::warn!(
                        kind,
                        got = list.list_version(),
                        held = held.as_ref().map(L::list_version),
                        "a whole list not newer than the one held was refused"
                    );
                }
            }
            Err(e) => tracing::warn!(kind, error = %e, "a received list was refused"),
        }
    }
    if update.deltas.is_empty() {
        return Ok(changed);
    }
    let (Some(trust), Some(current)) = (
        trust_json
            .as_deref()
            .and_then(|t| TrustList::from_json(t).ok()),
        held.as_ref(),
    ) else {
        tracing::warn!(
            kind,
            "list deltas arrived for a list this node does not hold"
        );
        return Ok(changed);
    };
    let mut list = current.clone();
    for text in &update.deltas {
        let opened = BASE64
            .decode(text.as_bytes())
            .map_err(|e| sijil_docs::RevocationListError::Malformed(format!("delta: {e}")))
            .and_then(|bytes| {
                let delta = ListDelta::<L>::open(&bytes, &trust)?;
                let next = delta.apply(&list)?;
                Ok((delta, bytes, next))
            });
        match opened {
            Ok((delta, bytes, next)) => {
                let row = ListDeltaRow {
                    kind: kind.to_owned(),
                    version: as_i64(delta.version),
                    base_version: as_i64(delta.base_version),
                    base_digest: hex::encode(delta.base_digest),
                    bytes,
                };
                store.add_list_delta(row, actor).await?;
                list = next;
                changed = true;
            }
            Err(e) => {
                // Nothing of this delta is kept; the next question names the version held,
                // and the central answers with the whole list if this one is not its own.
                tracing::warn!(
                    kind,
                    held = list.list_version(),
                    error = %e,
                    "a list delta was refused"
                );
                break;
            }
        }
    }
    *held = Some(list);
    Ok(changed)
}

/// Holds the rebuilt lists (all three needed) and writes them as files.
async fn hold(store: &dyn SyncStore, lists: &Lists, work: Working) -> Result<(), StoreError> {
    let (Some(trust_json), Some(revocations), Some(alerts)) =
        (work.trust_json, work.revocations, work.alerts)
    else {
        return Ok(());
    };
    let Ok(trust) = TrustList::from_json(&trust_json) else {
        return Ok(());
    };
    if let Some(dir) = lists.files_dir()
        && let Err(e) = write_files(store, dir, &trust_json).await
    {
        tracing::warn!(error = %e, "the received lists could not be written as files");
    }
    lists.set_held(Arc::new(HeldLists {
        trust,
        revocations,
        alerts,
    }));
    Ok(())
}

/// At a node's start (and each pass, for lists taken by hand): rebuilds the lists from what the
/// store keeps (the newest whole list of each kind and the deltas after it), when that changed.
/// Returns whether the held lists changed.
#[tracing::instrument(skip_all)]
pub async fn load_held(store: &dyn SyncStore, lists: &Lists) -> Result<bool, StoreError> {
    let mut marks = Vec::new();
    let mut wholes = Vec::new();
    let mut deltas = Vec::new();
    for kind in [REVOCATION_KIND, ALERT_KIND] {
        let whole = store.latest_received(kind).await?;
        let after = store.list_deltas(kind, 0).await?;
        marks.push(whole.as_ref().map_or(0, |e| e.version));
        marks.push(after.last().map_or(0, |d| d.version));
        wholes.push(whole);
        deltas.push(after);
    }
    if !lists.mark_read(marks) {
        return Ok(false);
    }
    let mut work = Working::default();
    let [rev_whole, alert_whole] = <[_; 2]>::try_from(wholes).expect("two kinds");
    if let Some(e) = &rev_whole {
        from_store(e, &deltas[0], &mut work.trust_json, &mut work.revocations);
    }
    if let Some(e) = &alert_whole {
        from_store(e, &deltas[1], &mut work.trust_json, &mut work.alerts);
    }
    let before = lists.held();
    hold(store, lists, work).await?;
    let after = lists.held();
    Ok(match (before, after) {
        (Some(b), Some(a)) => {
            b.revocations != a.revocations || b.alerts != a.alerts || b.trust != a.trust
        }
        (None, Some(_)) => true,
        _ => false,
    })
}

/// One list from the store: its whole entry, then the deltas that chain after it (a delta that
/// does not is logged and ends the chain: the list stays at the last good version).
fn from_store<L: DeltaList>(
    entry: &DownlinkEntry,
    deltas: &[ListDeltaRow],
    trust_json: &mut Option<String>,
    held: &mut Option<L>,
) {
    let (t, mut list) = match open_entry(entry, L::open_whole) {
        Ok(opened) => opened,
        Err(e) => {
            tracing::warn!(error = %e, "a list kept in the store does not open");
            return;
        }
    };
    if let Ok(trust) = TrustList::from_json(&t) {
        let from = as_i64(list.list_version());
        for d in deltas.iter().filter(|d| d.version > from) {
            match ListDelta::<L>::open(&d.bytes, &trust).and_then(|delta| delta.apply(&list)) {
                Ok(next) => list = next,
                Err(e) => {
                    tracing::warn!(version = d.version, error = %e, "a list delta kept in the store does not apply");
                    break;
                }
            }
        }
    }
    *trust_json = Some(t);
    *held = Some(list);
}

/// Writes what the store keeps as the files `sijil verify --data DIR` reads: the trust list,
/// each whole signed list, and the signed deltas after it.
async fn write_files(
    store: &dyn SyncStore,
    dir: &Path,
    trust_json: &str,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    replace(dir, TRUST_FILE, trust_json.as_bytes())?;
    for (kind, file, deltas_file) in [
        (REVOCATION_KIND, REVOCATIONS_FILE, REVOCATION_DELTAS_FILE),
        (ALERT_KIND, ALERTS_FILE, ALERT_DELTAS_FILE),
    ] {
        if let Some(e) = store.latest_received(kind).await? {
            let p: ListPayload = serde_json::from_value(e.payload)?;
            // The whole list first: a delta file left from before it is skipped when read
            // (its versions are not above the list's), never applied twice.
            replace(dir, file, &BASE64.decode(p.list.as_bytes())?)?;
        }
        let deltas: Vec<Vec<u8>> = store
            .list_deltas(kind, 0)
            .await?
            .into_iter()
            .map(|d| d.bytes)
            .collect();
        replace(dir, deltas_file, &write_delta_file(&deltas))?;
    }
    Ok(())
}
