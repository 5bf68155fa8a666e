//! `sijil serve`: the central registry server on the embedded default (SQLite in the data
//! directory). A fresh registry gets its central office, an administrator whose password is
//! printed once, and a generated sample population.

use std::{net::SocketAddr, path::Path, process::ExitCode};

use anyhow::Context;
use clap::Args;
use sijil_core::{Capture, interchange};
use sijil_gen::GenConfig;
use sijil_server::{AppState, bootstrap};
use sijil_store::{Actor, ImportMeta, resolve::Resolver, sqlite::SqliteStore};
use time::OffsetDateTime;

use crate::{data, progress, settings::Settings};

/// Runs the central registry server until interrupted (Ctrl-C or SIGTERM).
#[derive(Debug, Args)]
pub struct Cmd {
    /// Address to listen on (default 127.0.0.1:8080, or server.bind in DIR/sijil.toml).
    #[arg(long, value_name = "ADDR")]
    bind: Option<SocketAddr>,
    /// People in the sample population loaded on first start (0 for none).
    #[arg(long, value_name = "N")]
    sample_people: Option<usize>,
    #[command(flatten)]
    tls: super::tls::TlsArgs,
}

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let mut settings = Settings::load(&data_dir.join("sijil.toml"))?;
        if let Some(bind) = self.bind {
            settings.server.bind = bind;
        }
        if let Some(n) = self.sample_people {
            settings.sample.people = n;
        }
        self.tls.apply(&mut settings)?;
        let tls = super::tls::server_tls(&settings, data_dir)?;
        let store = data::open_store(data_dir).await?;
        let first_start = bootstrap::ensure_admin(&store)
            .await
            .context("cannot create the administrator")?;
        let mut keyring = super::keys::open_keyring(data_dir)?;
        keyring
            .ensure_all(OffsetDateTime::now_utc())
            .context("cannot make the signing keys")?;
        let state = AppState::load(store.clone(), settings.server_config())
            .await
            .context("cannot load the registry for identity resolution")?
            .with_keyring(keyring);
        if let Some(password) = first_start {
            if settings.sample.people > 0 {
                let (people, seed) = (settings.sample.people, settings.sample.seed);
                load_sample(&store, state.resolver(), people, seed).await?;
            }
            println!(
                "first start: administrator login  {} / {password}  (shown once; write it down)",
                bootstrap::ADMIN_USERNAME
            );
        }
        let sync = central_sync(&store, data_dir).await?;
        let state = state.with_sync(sync);
        // Offices receive the lists through the downlink; publish any change made while down.
        sijil_server::sync::lists::publish(&state, std::time::Duration::ZERO)
            .await
            .context("cannot publish the document lists")?;
        super::tls::listen_and_serve(&settings, tls, state, "Sijil")
            .await?
            .context("the server failed")?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    }
}

/// Generates `people` people and imports their records as the system, at the central office.
async fn load_sample(
    store: &SqliteStore,
    resolver: &Resolver,
    people: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let (mut records, mut truth) = (Vec::new(), Vec::new());
    sijil_gen::generate(&GenConfig::new(people, seed), &mut records, &mut truth)
        .context("generating the sample population")?;
    let today = OffsetDateTime::now_utc().date();
    let rows = interchange::read_all(records.as_slice(), today)
        .map_err(|e| anyhow::anyhow!("the generated sample is invalid: {}", e.message_en()))?;
    let central = sijil_store::bootstrap::ensure_central_office(store).await?;
    let actor = Actor::system(central.code.clone());
    let capture = Capture {
        office: central.code,
        officer: actor.username.clone(),
        captured_at: OffsetDateTime::now_utc(),
        evidence: vec![],
    };
    let meta = ImportMeta {
        file_name: format!("sample-{people}-{seed}.csv"),
        digest: blake3::hash(&records).to_hex().to_string(),
    };
    let count = rows.len();
    let bar = progress::items(count as u64, "sample");
    let records = rows.into_iter().map(|r| r.record).collect();
    let receipt = resolver
        .import(store, records, &capture, meta, &actor, &|_, n| {
            bar.set_position(n as u64)
        })
        .await;
    bar.finish_and_clear();
    let receipt = receipt.context("loading the sample population")?;
    println!(
        "first start: loaded a sample population of {people} people ({} records, {} persons, {} to review)",
        receipt.records, receipt.new_persons, receipt.reviews
    );
    Ok(())
}

/// The central's sync keys (files in the data directory, made on first start) and its first
/// downlink entries.
pub(super) async fn central_sync(
    store: &SqliteStore,
    data_dir: &Path,
) -> anyhow::Result<std::sync::Arc<sijil_server::sync::SyncContext>> {
    use sijil_server::sync::{CentralKeys, SyncContext, SyncMode, seed_downlink};
    let keys =
        CentralKeys::load_or_create(data_dir).context("cannot read the central's sync keys")?;
    let central = sijil_store::bootstrap::ensure_central_office(store).await?;
    seed_downlink(store, &keys, &Actor::system(central.code)).await?;
    Ok(std::sync::Arc::new(SyncContext::new(
        std::sync::Arc::new(store.clone()),
        SyncMode::Central(keys),
    )))
}

pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
