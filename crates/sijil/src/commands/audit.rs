//! `sijil audit`: verify the hash chain, print its head as an external anchor, list entries.
//!
//! The chain proves that no entry was changed, removed or reordered *since* it was written;
//! someone able to rewrite the whole log could recompute every hash. Writing the head down
//! elsewhere (`sijil audit head`) and checking it later (`sijil audit verify --anchor`) closes
//! that gap.

use std::{path::Path, process::ExitCode, str::FromStr};

use anyhow::Context;
use clap::{Args, Subcommand};
use sijil_store::{AuditQuery, Store, audit::GENESIS_HASH, sqlite::SqliteStore};

use super::EXIT_CHECK_FAILED;
use crate::data;

/// The audit subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Checks every link of the chain; exits 1 at the first broken entry.
    Verify(VerifyArgs),
    /// Prints the number of entries and the head hash, to keep elsewhere as an anchor.
    Head,
    /// Lists entries, newest first.
    List(ListArgs),
}

/// Options of `audit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also check that entry SEQ still has hash HASH, as `sijil audit head` printed it earlier
    /// ("SEQ HASH" or "SEQ:HASH").
    #[arg(long, value_name = "SEQ:HASH")]
    anchor: Option<Anchor>,
}

/// Options of `audit list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries by this actor (a username, or `system`).
    #[arg(long)]
    actor: Option<String>,
    /// Only entries about this subject, e.g. `person:0190…` or `import:0190…`.
    #[arg(long)]
    subject: Option<String>,
    /// Only entries of this action, e.g. `records.import` or `person.read`.
    #[arg(long)]
    action: Option<String>,
    /// At most this many entries.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    limit: u32,
}

/// A chain head written down earlier: entry `seq` had hash `hash`.
#[derive(Debug, Clone)]
struct Anchor {
    seq: i64,
    hash: String,
}

impl FromStr for Anchor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (seq, hash) = s
            .trim()
            .split_once([':', ' '])
            .ok_or("expected SEQ:HASH, as printed by `sijil audit head`")?;
        let seq = seq
            .parse()
            .map_err(|_| format!("{seq:?} is not an entry number"))?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{hash:?} is not a 64-digit hex hash"));
        }
        Ok(Self { seq, hash })
    }
}

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let store = data::open_store(data_dir).await?;
        let result = match self {
            Cmd::Verify(args) => verify(&store, args.anchor).await,
            Cmd::Head => head(&store).await,
            Cmd::List(args) => list(&store, args).await,
        };
        store.close().await;
        result
    }
}

async fn verify(store: &SqliteStore, anchor: Option<Anchor>) -> anyhow::Result<ExitCode> {
    let v = store
        .verify_audit()
        .await
        .context("cannot read the audit log")?;
    if let Some(broken) = v.broken {
        println!(
            "audit log BROKEN at entry {}: {}\n{} entries verified before it; last good head {}",
            broken.seq, broken.reason, v.verified, v.head
        );
        return Ok(ExitCode::from(EXIT_CHECK_FAILED));
    }
    if let Some(anchor) = anchor {
        let stored = entry_hash(store, anchor.seq).await?;
        let problem = match stored {
            None => Some(format!(
                "the log has {} entries but the anchor names entry {} (entries were removed)",
                v.verified, anchor.seq
            )),
            Some(h) if h != anchor.hash => Some(format!(
                "entry {} has hash {h}, not the anchored {} (the log was rewritten)",
                anchor.seq, anchor.hash
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            println!("audit log does NOT match the anchor: {problem}");
            return Ok(ExitCode::from(EXIT_CHECK_FAILED));
        }
    }
    println!("audit log intact: {} entries, head {}", v.verified, v.head);
    Ok(ExitCode::SUCCESS)
}

/// The stored hash of entry `seq`, if there is one.
async fn entry_hash(store: &SqliteStore, seq: i64) -> anyhow::Result<Option<String>> {
    if seq < 1 {
        return Ok((seq == 0).then(|| GENESIS_HASH.to_owned()));
    }
    let query = AuditQuery {
        before_seq: Some(seq + 1),
        limit: 1,
        ..Default::default()
    };
    let entries = store
        .audit_entries(&query)
        .await
        .context("cannot read the audit log")?;
    Ok(entries.into_iter().find(|e| e.seq == seq).map(|e| e.hash))
}

async fn head(store: &SqliteStore) -> anyhow::Result<ExitCode> {
    let query = AuditQuery {
        limit: 1,
        ..Default::default()
    };
    let last = store
        .audit_entries(&query)
        .await
        .context("cannot read the audit log")?;
    match last.first() {
        Some(e) => println!("{} {}", e.seq, e.hash),
        None => println!("0 {GENESIS_HASH}"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &SqliteStore, args: ListArgs) -> anyhow::Result<ExitCode> {
    let query = AuditQuery {
        actor: args.actor,
        subject: args.subject,
        action: args.action,
        limit: args.limit,
        ..Default::default()
    };
    let entries = store
        .audit_entries(&query)
        .await
        .context("cannot read the audit log")?;
    let mut out = std::io::stdout().lock();
    for e in entries {
        use std::io::Write;
        writeln!(
            out,
            "{:>7}  {}  {:<16} {:<10} {:<16} {}  {}",
            e.seq, e.at, e.actor, e.office, e.action, e.subject, e.detail
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
