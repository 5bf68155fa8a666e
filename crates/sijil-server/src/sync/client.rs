//! The office node's HTTP client for the central's sync endpoints (see `routes/sync.rs` for
//! the server side). Plain request/response; retries and backoff are the caller's
//! ([`super::office`]).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CentralPublicKeys, ingest::Ack};
use sijil_store::{DownlinkEntry, Receipt};

/// Why a call to the central failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: the link is down, cut, or stalled past the timeout. Retry later.
    #[error("central unreachable: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// The central refused (the status and its message).
    #[error("central refused ({0}): {1}")]
    Refused(StatusCode, String),
    /// The upload is elsewhere than the chunk: resume at this offset.
    #[error("upload is at offset {0}")]
    Offset(u64),
    /// The answer made no sense.
    #[error("unexpected answer from the central: {0}")]
    Protocol(String),
}

impl ClientError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable(_) => true,
            Self::Refused(s, _) => s.is_server_error() || *s == StatusCode::REQUEST_TIMEOUT,
            _ => false,
        }
    }
}

/// What an enrolment request returns.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnrolResponse {
    /// The device key's id.
    pub key_id: String,
    /// `requested`, `approved` or `revoked`.
    pub status: String,
    /// The central's public keys.
    pub central: CentralPublicKeys,
}

/// What a `PATCH` returns.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PatchResponse {
    /// The central's offset after the chunk.
    pub offset: u64,
    /// The packets completed by the chunk that were not simply applied (duplicates,
    /// quarantined); the offset acknowledges all of them.
    pub acks: Vec<AckWire>,
}

/// An acknowledgement on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AckWire {
    /// Packet id, if its header could be read.
    pub packet_id: Option<Uuid>,
    /// `accepted`, `duplicate`, `quarantined`, or `unknown` (for `/acks`: never received).
    pub status: String,
}

impl From<&Ack> for AckWire {
    fn from(a: &Ack) -> Self {
        AckWire {
            packet_id: a.packet_id,
            status: serde_json::to_value(a.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        }
    }
}

/// The downlink as sent: entries after a version, signed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DownlinkBody {
    /// Entries, in version order.
    pub entries: Vec<DownlinkEntry>,
    /// The document lists, for a node that said which it holds: whole or as deltas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<super::list_deltas::ListUpdate>,
}

/// A node's question for receipts: which of its packets the central made what of. Signed by
/// the device key (`Sijil-Signature` over [`sijil_sync::keys::request_message`]), because
/// the answer carries national numbers.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptsRequest {
    /// The asking device key.
    pub key_id: String,
    /// Its packets (at most 1,000).
    pub packet_ids: Vec<Uuid>,
    /// Fresh for each question: the answer's signature covers the question, so with this an
    /// old answer cannot pass for a new one.
    pub nonce: Uuid,
}

/// The central's answer, signed with its downlink key over
/// [`super::receipts_message`] (the question and the answer).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReceiptsBody {
    /// One receipt per packet the central holds (applied or quarantined).
    pub receipts: Vec<Receipt>,
}

/// A client of one central.
#[derive(Debug, Clone)]
pub struct CentralClient {
    http: reqwest::Client,
    base: String,
    timeout: Duration,
}

/// The slowest upload rate (bytes a second) a `PATCH` is given time for before the link
/// counts as stalled: a long streaming request on a 64 kbit/s line must not be cut by the
/// node's own timeout, but a stall must still end it.
pub const SLOWEST_UPLOAD_RATE: u64 = 1_000;

/// Header naming the device key that creates an upload.
pub const DEVICE_HEADER: &str = "sijil-device-key";
/// Header with the number of packets the node has waiting, sent when it creates an upload.
pub const PENDING_HEADER: &str = "sijil-pending";
/// Header carrying the downlink signature.
pub const SIGNATURE_HEADER: &str = "sijil-signature";

impl CentralClient {
    /// A client of the central at `base` (e.g. `http://10.0.0.1:8080`); each request gives up
    /// after `timeout` (a stalled link counts as down). An `https://` central must then hold a
    /// certificate the system trusts; see [`CentralClient::trusting`] for a ministry CA.
    pub fn new(base: &str, timeout: Duration) -> Self {
        Self::with(base, timeout, reqwest::Client::builder())
    }

    /// A client of an `https://` central whose certificate chains to one in `tls`'s roots
    /// only (see [`crate::tls::client_config`]).
    pub fn trusting(base: &str, timeout: Duration, tls: rustls::ClientConfig) -> Self {
        Self::with(
            base,
            timeout,
            reqwest::Client::builder()
                .use_preconfigured_tls(tls)
                .https_only(true),
        )
    }

    fn with(base: &str, timeout: Duration, builder: reqwest::ClientBuilder) -> Self {
        let http = builder
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build()
            .expect("an HTTP client with a ready TLS configuration builds");
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            timeout,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn check(resp: reqwest::Response) -> Result<reqwest::Response, ClientError> {
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        if status == StatusCode::CONFLICT
            && let Some(off) = upload_offset(&resp)
        {
            return Err(ClientError::Offset(off));
        }
        let text = resp.text().await.unwrap_or_default();
        Err(ClientError::Refused(status, text))
    }

    /// Asks the central to enrol this device key for `office`.
    pub async fn enrol(
        &self,
        office: &str,
        public_key_hex: &str,
        label: &str,
    ) -> Result<EnrolResponse, ClientError> {
        let resp = self
            .http
            .post(self.url("/api/v1/sync/enrol"))
            .json(&serde_json::json!({ "office": office, "public_key": public_key_hex, "label": label }))
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        Self::check(resp)
            .await?
            .json()
            .await
            .map_err(|e| ClientError::Protocol(e.to_string()))
    }

    /// Creates an upload of `length` bytes; returns its id.
    pub async fn create_upload(
        &self,
        key_id: &str,
        length: u64,
        pending: i64,
    ) -> Result<Uuid, ClientError> {
        let resp = self
            .http
            .post(self.url("/api/v1/sync/uploads"))
            .header(DEVICE_HEADER, key_id)
            .header(PENDING_HEADER, pending)
            .header("upload-length", length)
            .header("tus-resumable", "1.0.0")
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        let resp = Self::check(resp).await?;
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ClientError::Protocol("no Location".into()))?;
        location
            .rsplit('/')
            .next()
            .and_then(|id| Uuid::parse_str(id).ok())
            .ok_or_else(|| ClientError::Protocol(format!("bad Location {location:?}")))
    }

    /// The central's offset of an upload (tus `HEAD`).
    pub async fn offset(&self, id: Uuid) -> Result<u64, ClientError> {
        let resp = self
            .http
            .request(
                Method::HEAD,
                self.url(&format!("/api/v1/sync/uploads/{id}")),
            )
            .header("tus-resumable", "1.0.0")
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        let resp = Self::check(resp).await?;
        upload_offset(&resp).ok_or_else(|| ClientError::Protocol("no Upload-Offset".into()))
    }

    /// Sends a chunk at `offset` (tus `PATCH`). The request may take the client's timeout plus
    /// the chunk's time at [`SLOWEST_UPLOAD_RATE`]; the central applies packets as they
    /// stream, so one long request costs one round trip where many short ones cost one each.
    pub async fn patch(
        &self,
        id: Uuid,
        offset: u64,
        chunk: Vec<u8>,
    ) -> Result<PatchResponse, ClientError> {
        let resp = self
            .http
            .patch(self.url(&format!("/api/v1/sync/uploads/{id}")))
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset)
            .header("content-type", "application/offset+octet-stream")
            .timeout(self.timeout + Duration::from_secs(chunk.len() as u64 / SLOWEST_UPLOAD_RATE))
            .body(chunk)
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        Self::check(resp)
            .await?
            .json()
            .await
            .map_err(ClientError::Unreachable)
    }

    /// Asks which of these packets the central holds (applied or quarantined).
    pub async fn acks(&self, key_id: &str, ids: &[Uuid]) -> Result<Vec<AckWire>, ClientError> {
        let resp = self
            .http
            .post(self.url("/api/v1/sync/acks"))
            .json(&serde_json::json!({ "key_id": key_id, "packet_ids": ids }))
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        Self::check(resp)
            .await?
            .json()
            .await
            .map_err(ClientError::Unreachable)
    }

    /// Asks for receipts: `body` is a serialised [`ReceiptsRequest`], `signature` its device
    /// signature (hex). Returns the answer's body and signature header.
    pub async fn receipts(
        &self,
        body: Vec<u8>,
        signature: &str,
    ) -> Result<(Vec<u8>, String), ClientError> {
        let resp = self
            .http
            .post(self.url("/api/v1/sync/receipts"))
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        Self::signed_body(resp).await
    }

    /// A signed answer's body and its signature header (checked by the caller, which knows
    /// what the signature covers).
    async fn signed_body(resp: reqwest::Response) -> Result<(Vec<u8>, String), ClientError> {
        let resp = Self::check(resp).await?;
        let sig = resp
            .headers()
            .get(SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = resp.bytes().await.map_err(ClientError::Unreachable)?;
        Ok((body.to_vec(), sig))
    }

    /// The downlink after `since`: its body and the signature header. The node names its key
    /// and its backlog, which the central shows operators as its last contact.
    pub async fn downlink(
        &self,
        since: i64,
        key_id: &str,
        pending: i64,
        held: &super::list_deltas::ListsHeld,
    ) -> Result<(Vec<u8>, String), ClientError> {
        // Versions are digits and digests hexadecimal: nothing to escape.
        let mut path = format!("/api/v1/sync/downlink?since={since}");
        for (name, value) in [("revocation", &held.revocation), ("alert", &held.alert)] {
            if let Some(v) = value {
                path.push_str(&format!("&{name}={v}"));
            }
        }
        let resp = self
            .http
            .get(self.url(&path))
            .header(DEVICE_HEADER, key_id)
            .header(PENDING_HEADER, pending)
            .send()
            .await
            .map_err(ClientError::Unreachable)?;
        Self::signed_body(resp).await
    }
}

fn upload_offset(resp: &reqwest::Response) -> Option<u64> {
    resp.headers()
        .get("upload-offset")?
        .to_str()
        .ok()?
        .parse()
        .ok()
}
