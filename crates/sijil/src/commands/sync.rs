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
    sync::{CentralKeys, SyncContext, SyncMode, ingest, office},
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
}

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        match self {
            Cmd::Export { out } => export(data_dir, &out).await,
            Cmd::Import { file } => import(data_dir, &file).await,
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
