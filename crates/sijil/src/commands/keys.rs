//! `sijil keys`: the central registry's signing keys (in DIR/keys) and the files it publishes
//! for offices and checkpoints.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use sijil_docs::KeyUsage;
use sijil_server::{issuance, keyring::Keyring};
use time::OffsetDateTime;

use super::verify::{ALERTS_FILE, REVOCATIONS_FILE, TRUST_FILE};
use crate::data;

/// The keys' directory inside the data directory.
pub const KEYS_DIR: &str = "keys";

/// Opens the keyring of a data directory.
pub fn open_keyring(data_dir: &Path) -> anyhow::Result<Keyring> {
    let dir = data_dir.join(KEYS_DIR);
    Keyring::open(&dir).with_context(|| format!("cannot open the keys in {}", dir.display()))
}

/// What a key signs.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Usage {
    /// ID-card credentials.
    Cards,
    /// Revocation and alert lists.
    Lists,
}

impl From<Usage> for KeyUsage {
    fn from(u: Usage) -> Self {
        match u {
            Usage::Cards => KeyUsage::Credentials,
            Usage::Lists => KeyUsage::Lists,
        }
    }
}

/// Signing keys and published lists.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Lists the keys on the trust list.
    List,
    /// Makes a new key; the one it replaces stops signing but stays trusted for what it signed.
    Rotate {
        /// Which key.
        #[arg(long, value_enum)]
        usage: Usage,
    },
    /// Marks a lost or compromised key revoked: nothing it signed is accepted any more.
    Revoke {
        /// The key id, e.g. SY-ID-20261129-1.
        kid: String,
    },
    /// Writes the trust list and the current signed revocation and alert lists (the files
    /// `sijil verify` reads, and that sync carries to offices).
    Publish {
        /// Where to write them (default: the data directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let mut ring = open_keyring(data_dir)?;
        let now = OffsetDateTime::now_utc();
        match self {
            Cmd::List => {
                for k in ring.trust_list().iter() {
                    let state = if k.revoked {
                        "revoked".to_owned()
                    } else if let Some(end) = k.not_after {
                        format!("retired {}", end.date())
                    } else {
                        "in use".to_owned()
                    };
                    println!(
                        "{}\t{}\tsince {}\t{state}",
                        k.kid,
                        k.usage,
                        k.not_before.date()
                    );
                }
            }
            Cmd::Rotate { usage } => {
                let kid = ring.rotate(usage.into(), now)?;
                println!("new key {kid}; publish the trust list again (sijil keys publish)");
            }
            Cmd::Revoke { kid } => {
                ring.revoke(&kid, now)?;
                println!("key {kid} revoked; publish the trust list again (sijil keys publish)");
            }
            Cmd::Publish { out } => {
                let out = out.unwrap_or_else(|| data_dir.to_owned());
                std::fs::create_dir_all(&out)
                    .with_context(|| format!("cannot create {}", out.display()))?;
                ring.ensure_all(now)?;
                let store = data::open_store(data_dir).await?;
                let ring = std::sync::Mutex::new(ring);
                let lists = async {
                    let rev = issuance::revocation_list(&store, &ring).await?;
                    let alerts = issuance::alert_list(&store, &ring).await?;
                    anyhow::Ok((rev, alerts))
                }
                .await;
                store.close().await;
                let (rev, alerts) = lists.context("cannot build the lists")?;
                let trust = ring.lock().expect("not poisoned").trust_list().to_json();
                for (name, bytes) in [
                    (TRUST_FILE, trust.into_bytes()),
                    (REVOCATIONS_FILE, rev),
                    (ALERTS_FILE, alerts),
                ] {
                    let path = out.join(name);
                    let tmp = out.join(format!("{name}.tmp"));
                    std::fs::write(&tmp, &bytes)
                        .and_then(|()| std::fs::rename(&tmp, &path))
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    println!("wrote {} ({} bytes)", path.display(), bytes.len());
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
