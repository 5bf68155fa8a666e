//! `sijil office`: a field office node. Its own SQLite registry in the data directory, the
//! same web application and API for its clerks, and a background loop that seals each local
//! registration into a signed, encrypted packet and pushes the queue to the central whenever
//! it can be reached. Nothing waits for the central.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::Duration,
};

use anyhow::Context;
use clap::{Args, Subcommand};
use sijil_core::OfficeCode;
use sijil_server::{
    AppState, bootstrap,
    sync::{
        DEVICE_KEY_FILE, OfficeNode, SyncContext, SyncMode,
        client::CentralClient,
        lists::{self, Lists},
        office::{self, PushConfig},
    },
};
use sijil_store::{NewOffice, Store as _, keyfile, sqlite::SqliteStore};
use sijil_sync::DeviceSigningKey;

use crate::{data, settings::Settings};

/// Runs a field office node until interrupted, or enrols it.
#[derive(Debug, Args)]
pub struct Cmd {
    /// The central registry's address, e.g. https://10.1.0.1:8443.
    #[arg(long, value_name = "URL", global = true)]
    central: Option<String>,
    /// Trust only the certificates in this PEM file for an https:// central (the ministry's
    /// certificate authority, or the central's own self-signed certificate).
    #[arg(long, value_name = "FILE", global = true, env = "SIJIL_CENTRAL_CA")]
    central_ca: Option<PathBuf>,
    /// This office's code (e.g. DAM-01); needed on first start.
    #[arg(long, value_name = "CODE", global = true)]
    office: Option<String>,
    /// Address to listen on (default 127.0.0.1:8080, or server.bind in DIR/sijil.toml).
    #[arg(long, value_name = "ADDR")]
    bind: Option<SocketAddr>,
    /// Governorate code of the office (first start only).
    #[arg(long, default_value_t = 1)]
    governorate: u8,
    /// Secretariat code of the office (first start only).
    #[arg(long, default_value_t = 1)]
    secretariat: u8,
    /// Milliseconds between sync passes when all is well.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    sync_interval_ms: u64,
    /// Longest wait between failed sync passes, in milliseconds.
    #[arg(long, default_value_t = 60_000, value_name = "MS")]
    max_backoff_ms: u64,
    /// A request to the central that takes longer than this (seconds) counts as a dead link.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    request_timeout_secs: u64,
    /// Bytes per upload request (large: each request waits a round trip for its answer).
    #[arg(long, default_value_t = 256 * 1024, value_name = "BYTES")]
    chunk_bytes: usize,
    #[command(flatten)]
    tls: super::tls::TlsArgs,

    #[command(subcommand)]
    action: Option<Action>,
}

/// What to do instead of running the node.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Asks the central to approve this node's device key (an administrator approves it there).
    Enrol {
        /// A label for the administrator (a host or team name).
        #[arg(long, default_value = "")]
        label: String,
    },
}

/// Opens an office node's store and sync context (creating the device key on first use).
pub async fn open_node(
    data_dir: &Path,
    office: Option<&str>,
) -> anyhow::Result<(SqliteStore, Arc<SyncContext>)> {
    let store = data::open_store(data_dir).await?;
    let seed = keyfile::load_or_create(&data_dir.join(DEVICE_KEY_FILE))
        .context("cannot read or create the device key")?;
    let device = DeviceSigningKey::from_seed(&seed);
    let code = match office {
        Some(code) => code.to_owned(),
        None => store
            .offices()
            .await?
            .into_iter()
            .next()
            .map(|o| o.code.to_string())
            .context("this data directory has no office yet: pass --office CODE")?,
    };
    let office = OfficeCode::parse(&code)
        .map_err(|p| anyhow::anyhow!("--office {code:?}: {}", p.message_en()))?;
    // Lists received are also written as files, so `sijil --data DIR verify` checks documents
    // offline with exactly what the node's web page uses.
    let ctx = SyncContext::new(
        Arc::new(store.clone()),
        SyncMode::Office(OfficeNode { office, device }),
    )
    .with_lists(Lists::writing_files_to(data_dir));
    lists::load_held(&store, &ctx.lists)
        .await
        .context("cannot read the document lists received before")?;
    Ok((store, Arc::new(ctx)))
}

impl Cmd {
    /// The client of the central: trusting only `--central-ca` when given.
    fn client(&self, central: &str) -> anyhow::Result<CentralClient> {
        let timeout = Duration::from_secs(self.request_timeout_secs);
        let Some(ca) = &self.central_ca else {
            return Ok(CentralClient::new(central, timeout));
        };
        anyhow::ensure!(
            central.starts_with("https://"),
            "--central-ca is for an https:// central, not {central}"
        );
        let tls = sijil_server::tls::client_config(ca).context("--central-ca")?;
        Ok(CentralClient::trusting(central, timeout, tls))
    }

    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let central = self.central.clone().context("--central URL is required")?;
        let (store, ctx) = open_node(data_dir, self.office.as_deref()).await?;
        let node = ctx.office().expect("office node");
        let client = self.client(&central)?;
        if let Some(Action::Enrol { label }) = &self.action {
            let status = office::enrol(&ctx, &client, label)
                .await
                .context("enrolment failed")?;
            println!(
                "enrolment of device key {} for office {}: {status}",
                node.device.id(),
                node.office
            );
            if status != "approved" {
                println!("an administrator must approve it at the central (/api/v1/sync/devices)");
            }
            store.close().await;
            return Ok(ExitCode::SUCCESS);
        }

        let mut settings = Settings::load(&data_dir.join("sijil.toml"))?;
        if let Some(bind) = self.bind {
            settings.server.bind = bind;
        }
        self.tls.apply(&mut settings)?;
        let tls = super::tls::server_tls(&settings, data_dir)?;
        let new_office = NewOffice {
            code: node.office.clone(),
            name_ar: format!("مكتب {}", node.office),
            name_en: format!("Office {}", node.office),
            governorate: self.governorate,
            secretariat: self.secretariat,
        };
        if let Some(password) = bootstrap::ensure_office_admin(&store, new_office)
            .await
            .context("cannot create the office administrator")?
        {
            println!(
                "first start: administrator login  {} / {password}  (shown once; write it down)",
                bootstrap::ADMIN_USERNAME
            );
        }
        println!(
            "office {} device key {} syncing with {central}",
            node.office,
            node.device.id()
        );
        let config = PushConfig {
            chunk: self.chunk_bytes.max(1024),
            ..PushConfig::default()
        };
        let sync = tokio::spawn(office::run(
            ctx.clone(),
            client,
            config,
            Duration::from_millis(self.sync_interval_ms),
            Duration::from_millis(self.max_backoff_ms),
        ));
        let state = AppState::load(store.clone(), settings.server_config())
            .await
            .context("cannot load the registry for identity resolution")?
            .with_sync(ctx);
        let served = super::tls::listen_and_serve(&settings, tls, state, "Sijil office node").await;
        sync.abort();
        store.close().await;
        served?.context("the server failed")?;
        Ok(ExitCode::SUCCESS)
    }
}
