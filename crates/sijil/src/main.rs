//! `sijil`: the civil registry's command line.
//!
//! The binary only parses arguments and calls the library crates; each subcommand lives in its
//! own module under `commands/`.
//!
//! Exit codes are a contract for scripts:
//! - `0`: the command did its work (for a check: the check passed);
//! - `1`: the check failed, e.g. `sijil audit verify` found a broken chain, or `sijil verify`
//!   found the document not valid;
//! - `2`: bad usage, refused input (a malformed import file is refused whole and names the
//!   line and column), or any other failure, such as an unreadable database.

mod commands;
mod data;
mod progress;
mod settings;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("sijil: cannot start the async runtime: {e}");
            return ExitCode::from(commands::EXIT_ERROR);
        }
    };
    match runtime.block_on(cli.run()) {
        Ok(code) => code,
        // `sijil audit list | head` closing the pipe early is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sijil: {e:#}");
            ExitCode::from(commands::EXIT_ERROR)
        }
    }
}

/// Logs go to stderr, quiet unless `RUST_LOG` asks. sqlx's slow-statement warnings are kept
/// out: an import's single large transaction is slow by design.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx=error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
