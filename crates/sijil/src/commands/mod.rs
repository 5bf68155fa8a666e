//! The command tree: one variant per subcommand, one module per variant.

mod admin;
mod audit;
mod dedup;
mod generate;
mod import;
mod keys;
mod office;
mod serve;
mod sync;
mod tls;
mod verify;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

/// Exit code: the check failed.
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit code: bad usage, refused input, or another failure.
pub const EXIT_ERROR: u8 = 2;

/// Sijil, the civil registry (السجل المدني).
#[derive(Debug, Parser)]
#[command(name = "sijil", version)]
pub struct Cli {
    /// The data directory: the registry is the SQLite file DIR/sijil.db, created on first use.
    #[arg(
        long,
        global = true,
        env = "SIJIL_DATA",
        default_value = "./data",
        value_name = "DIR"
    )]
    data: PathBuf,

    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the central registry server (a fresh registry gets an administrator and sample data).
    Serve(serve::Cmd),
    /// Writes a synthetic Syrian population with ground truth.
    Gen(generate::Cmd),
    /// Imports a person-records CSV file, all or nothing.
    Import(import::Cmd),
    /// Operator tasks: reset a lost password.
    #[command(subcommand)]
    Admin(admin::Cmd),
    /// Clusters a person-records file: one cluster per person, across scripts.
    Dedup(dedup::Cmd),
    /// Verifies, anchors and lists the hash-chained audit log.
    #[command(subcommand)]
    Audit(audit::Cmd),
    /// Checks an ID card's QR code or a document's machine-readable zone, offline.
    Verify(verify::Cmd),
    /// Signing keys: list, rotate, revoke; publishes the trust list and the signed lists.
    #[command(subcommand)]
    Keys(keys::Cmd),
    /// Runs a field office node (its own registry; syncs with the central when it can).
    Office(office::Cmd),
    /// Packets carried by hand: export at an office node, import at the central.
    #[command(subcommand)]
    Sync(sync::Cmd),
    /// HTTPS certificates: a self-signed one for a central without a ministry CA.
    #[command(subcommand)]
    Tls(tls::Cmd),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub async fn run(self) -> anyhow::Result<ExitCode> {
        match self.command {
            Command::Serve(cmd) => cmd.run(&self.data).await,
            Command::Gen(cmd) => cmd.run(),
            Command::Import(cmd) => cmd.run(&self.data).await,
            Command::Audit(cmd) => cmd.run(&self.data).await,
            Command::Dedup(cmd) => cmd.run(),
            Command::Admin(cmd) => cmd.run(&self.data).await,
            Command::Verify(cmd) => cmd.run(&self.data),
            Command::Keys(cmd) => cmd.run(&self.data).await,
            Command::Office(cmd) => cmd.run(&self.data).await,
            Command::Sync(cmd) => cmd.run(&self.data).await,
            Command::Tls(cmd) => cmd.run(&self.data),
        }
    }
}
