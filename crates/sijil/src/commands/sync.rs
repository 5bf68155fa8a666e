//! `sijil sync`: moving packets without a network. `export` (at an office node) writes every
//! packet not yet acknowledged to a file for a USB stick; `import` (at the central) takes such
//! a file in with the same checks and the same exactly-once as an upload.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use anyhow::Context;
use clap::Subcommand;
use sijil_server::{
    AppState,
    sync::{CentralKeys, SyncContext, SyncMode, ingest, list_deltas::ListsHeld, office},
};
use sijil_store::{OutboxState, SyncStore};

use crate::{data, settings::Settings};

/// Packets by hand.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// At an office node: writes the packets not yet acknowledged to FILE.
    Export {
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// At the central: takes in a file written by `sijil sync export`.
    Import {
        /// The file to read.
        file: PathBuf,
    },
    /// At the central: writes the downlink for one approved office key to FILE, sealed to
    /// that key: everything (keys, code lists, the newest signed revocation and alert lists),
    /// or, with --request, only what the office lacks (entries after its last, and the list
    /// deltas since the versions it holds).
    Downlink {
        /// The office's device key id (as `/sync` lists it).
        #[arg(long, value_name = "KEY_ID")]
        key: String,
        /// A request written at the office by `sijil sync downlink-request`.
        #[arg(long, value_name = "FILE")]
        request: Option<PathBuf>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// At an office node: writes what it holds (last downlink entry, list versions) to FILE,
    /// for `sijil sync downlink --request FILE` at the central.
    DownlinkRequest {
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// At an office node: takes in a file written by `sijil sync downlink` (only newer entries
    /// are applied; a list older than the one held is refused).
    TakeDownlink {
        /// The file to read.
        file: PathBuf,
    },
}

/// A downlink carried by hand: the network answer to "everything after `since`, holding the
/// lists `lists`", as a file.
#[derive(serde::Serialize, serde::Deserialize)]
struct DownlinkFile {
    format: String,
    key_id: String,
    since: i64,
    /// The list versions the answer was made for (absent: whole lists, as before deltas).
    #[serde(default)]
    lists: ListsHeld,
    signature: String,
    /// The sealed answer, hex.
    sealed: String,
}

const DOWNLINK_FORMAT: &str = "sijil-downlink-file/1";

/// An office's question carried by hand: what it holds. Not signed: the answer is sealed to
/// the key named here, so a forged request gets its maker nothing, and every list in the
/// answer is checked at the office as over the network.
#[derive(serde::Serialize, serde::Deserialize)]
struct DownlinkRequest {
    format: String,
    key_id: String,
    since: i64,
    lists: ListsHeld,
}

const REQUEST_FORMAT: &str = "sijil-downlink-request/1";

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        match self {
            Cmd::Export { out } => export(data_dir, &out).await,
            Cmd::Import { file } => import(data_dir, &file).await,
            Cmd::Downlink { key, request, out } => {
                write_downlink(data_dir, &key, request.as_deref(), &out).await
            }
            Cmd::DownlinkRequest { out } => write_request(data_dir, &out).await,
            Cmd::TakeDownlink { file } => take_downlink(data_dir, &file).await,
        }
    }
}

async fn export(data_dir: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let (store, ctx) = super::office::open_node(data_dir, None).await?;
    let (central, _) = office::central_keys(ctx.store.as_ref())
        .await?
        .parse()
        .context("the central's keys are unreadable")?;
    office::seal_pending(&ctx, &central).await?;
    let mut data = Vec::new();
    let mut count = 0;
    for state in [OutboxState::Pending, OutboxState::Sent] {
        for p in store.outbox(state, u32::MAX).await? {
            data.extend_from_slice(&(p.bytes.len() as u32).to_be_bytes());
            data.extend_from_slice(&p.bytes);
            count += 1;
        }
    }
    // Written beside the target and renamed: a pulled USB stick never holds half a file
    // under the final name.
    let tmp = out.with_extension("partial");
    std::fs::write(&tmp, &data).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {count} packets ({} bytes) to {}; they stay pending here until the central acknowledges them",
        data.len(),
        out.display()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn import(data_dir: &Path, file: &Path) -> anyhow::Result<ExitCode> {
    let data = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let store = data::open_store(data_dir).await?;
    sijil_store::bootstrap::ensure_central_office(&store).await?;
    let keys = CentralKeys::load_or_create(data_dir).context("cannot read the central's keys")?;
    let ctx = Arc::new(SyncContext::new(
        Arc::new(store.clone()),
        SyncMode::Central(keys),
    ));
    let settings = Settings::load(&data_dir.join("sijil.toml"))?;
    let state = AppState::load(store.clone(), settings.server_config())
        .await
        .context("cannot load the registry for identity resolution")?
        .with_sync(ctx.clone());
    let summary = ingest::ingest_file(&state, &ctx, &data).await?;
    println!(
        "{}: {} accepted, {} already received, {} quarantined",
        file.display(),
        summary.accepted,
        summary.duplicates,
        summary.quarantined
    );
    let _ = store.contacts().await;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn write_request(data_dir: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let (store, ctx) = super::office::open_node(data_dir, None).await?;
    let node = ctx.office().context("not an office node")?;
    let request = DownlinkRequest {
        format: REQUEST_FORMAT.into(),
        key_id: node.device.id().to_string(),
        since: office::downlink_version(&ctx).await?,
        lists: ctx.lists.held_state(),
    };
    write_atomically(out, &serde_json::to_vec_pretty(&request)?)?;
    println!(
        "wrote the downlink request of office key {} to {}: take it to the central",
        request.key_id,
        out.display()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn write_atomically(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = out.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("cannot write {}", out.display()))
}

async fn write_downlink(
    data_dir: &Path,
    key: &str,
    request: Option<&Path>,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let (since, lists) = match request {
        None => (0, ListsHeld::default()),
        Some(path) => {
            let text =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let r: DownlinkRequest = serde_json::from_slice(&text)
                .ok()
                .filter(|r: &DownlinkRequest| r.format == REQUEST_FORMAT)
                .with_context(|| format!("{} is not a downlink request", path.display()))?;
            if r.key_id != key {
                anyhow::bail!(
                    "{} is the request of office key {}, not {key}",
                    path.display(),
                    r.key_id
                );
            }
            (r.since, r.lists)
        }
    };
    let store = data::open_store(data_dir).await?;
    let ctx = super::serve::central_sync(&store, data_dir).await?;
    let mut keyring = super::keys::open_keyring(data_dir)?;
    keyring
        .ensure_all(time::OffsetDateTime::now_utc())
        .context("cannot make the signing keys")?;
    let keyring = std::sync::Mutex::new(keyring);
    sijil_server::sync::lists::publish_with(&store, &keyring, &ctx, std::time::Duration::ZERO)
        .await
        .map_err(|e| anyhow::anyhow!("cannot publish the document lists: {e}"))?;
    let (sealed, signature) = sijil_server::sync::downlink_answer(&ctx, key, since, &lists)
        .await
        .map_err(|e| {
            anyhow::anyhow!("no downlink for key {key}: {e} (is it an approved office key?)")
        })?;
    let file = DownlinkFile {
        format: DOWNLINK_FORMAT.into(),
        key_id: key.to_owned(),
        since,
        lists,
        signature,
        sealed: hex::encode(&sealed),
    };
    write_atomically(out, &serde_json::to_vec(&file)?)?;
    println!(
        "wrote the downlink for office key {key} ({} bytes, sealed to that key) to {}",
        sealed.len(),
        out.display()
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn take_downlink(data_dir: &Path, path: &Path) -> anyhow::Result<ExitCode> {
    let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: DownlinkFile = serde_json::from_slice(&text)
        .ok()
        .filter(|f: &DownlinkFile| f.format == DOWNLINK_FORMAT)
        .with_context(|| format!("{} is not a downlink file", path.display()))?;
    let sealed = hex::decode(&file.sealed)
        .with_context(|| format!("{}: the sealed answer is not hex", path.display()))?;
    let (store, ctx) = super::office::open_node(data_dir, None).await?;
    let node = ctx.office().context("not an office node")?;
    if node.device.id().to_string() != file.key_id {
        anyhow::bail!(
            "{} was written for office key {}, not this node's {}",
            path.display(),
            file.key_id,
            node.device.id()
        );
    }
    let taken = office::take_downlink(&ctx, file.since, &file.lists, &sealed, &file.signature)
        .await
        .with_context(|| format!("{} was not taken", path.display()))?;
    println!("{}: {taken} new downlink entries and lists", path.display());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
