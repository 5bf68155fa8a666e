//! Verifying a document at this server, for the JSON API and the web page alike: at the
//! central registry against its own keys and the current lists (built from the registry), at an
//! office node against the lists it last received ([`crate::AppState::hold_lists`]).

use std::sync::Arc;

use sijil_docs::{
    AlertList, RevocationList, TrustList, Verdict, Verifier, credential::RevocationListError,
};
use sijil_store::Store;
use time::OffsetDateTime;

use crate::{AppError, AppState, issuance};

/// The lists an office holds: the trust list and the newest revocation and alert lists.
#[derive(Debug, Clone)]
pub struct HeldLists {
    /// Public keys by key id.
    pub trust: TrustList,
    /// Revoked documents.
    pub revocations: RevocationList,
    /// Alerts on people.
    pub alerts: AlertList,
}

impl HeldLists {
    /// Reads the three files an office receives (`trust-list.json`, `revocations.cose`,
    /// `alerts.cose`), checking the lists' signatures against the trust list.
    pub fn open(
        trust_json: &str,
        revocations: &[u8],
        alerts: &[u8],
    ) -> Result<Self, HeldListsError> {
        let trust = TrustList::from_json(trust_json)?;
        Ok(Self {
            revocations: RevocationList::open(revocations, &trust)?,
            alerts: AlertList::open(alerts, &trust)?,
            trust,
        })
    }
}

/// Why received lists were not accepted.
#[derive(Debug, thiserror::Error)]
pub enum HeldListsError {
    /// The trust list file is not valid.
    #[error(transparent)]
    Trust(#[from] sijil_docs::TrustFileError),
    /// A signed list is not genuine or not well formed.
    #[error(transparent)]
    List(#[from] RevocationListError),
}

/// Which lists this server verifies with, for the page that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListsInUse {
    /// The central: its own keys and the registry as it is now.
    Current,
    /// An office node: the lists it received, signed at these times.
    Received {
        /// When the revocation list was signed.
        revocations_at: OffsetDateTime,
        /// When the alert list was signed.
        alerts_at: OffsetDateTime,
    },
    /// An office node that has received none yet: nothing can be verified.
    None,
}

/// Which lists [`verify`] would use now.
pub fn lists_in_use<S: Store>(state: &AppState<S>) -> ListsInUse {
    if state.keyring.is_some() {
        return ListsInUse::Current;
    }
    match state.held_lists.read().ok().and_then(|h| h.clone()) {
        Some(h) => ListsInUse::Received {
            revocations_at: h.revocations.issued_at,
            alerts_at: h.alerts.issued_at,
        },
        None => ListsInUse::None,
    }
}

/// Whether a text is a zone rather than a QR payload: Base45 has no `<`, every zone has fillers.
pub fn looks_like_zone(text: &str) -> bool {
    text.contains('<')
}

/// Checks a QR payload or a zone (`mrz`) at this server, now.
pub async fn verify<S: Store>(
    state: &AppState<S>,
    text: &str,
    mrz: bool,
) -> Result<Verdict, AppError> {
    let lists = match &state.keyring {
        Some(keys) => {
            let trust = keys
                .lock()
                .map_err(|_| AppError::Internal(anyhow::anyhow!("keyring lock poisoned")))?
                .trust_list()
                .clone();
            Arc::new(HeldLists {
                trust,
                revocations: issuance::current_revocations(&state.store).await?,
                alerts: issuance::current_alerts(&state.store).await?,
            })
        }
        None => state
            .held_lists
            .read()
            .ok()
            .and_then(|held| held.clone())
            .ok_or_else(|| {
                AppError::Conflict(
                    "this office has not received the trust list and the signed lists yet".into(),
                )
            })?,
    };
    let verifier = Verifier {
        trust: &lists.trust,
        revocations: &lists.revocations,
        alerts: &lists.alerts,
    };
    let now = OffsetDateTime::now_utc();
    Ok(if mrz {
        verifier.check_mrz(text, now.date())
    } else {
        verifier.check_qr(text, now)
    })
}
