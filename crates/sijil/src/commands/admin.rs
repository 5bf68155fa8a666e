//! `sijil admin`: operator tasks run on the registry's own machine.

use std::{path::Path, process::ExitCode};

use anyhow::Context;
use clap::Subcommand;
use sijil_store::{Actor, bootstrap::ensure_central_office};

use crate::data;

/// Operator tasks on the local registry.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Gives a user a new random password (printed once) and ends their sessions: the way
    /// back in when the first-start administrator password is lost.
    ResetPassword {
        /// The user's login name.
        username: String,
    },
}

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let store = data::open_store(data_dir).await?;
        let result = match self {
            Cmd::ResetPassword { username } => {
                let office = ensure_central_office(&store).await?;
                let actor = Actor::system(office.code);
                let password = sijil_server::bootstrap::reset_password(&store, &username, &actor)
                    .await
                    .with_context(|| format!("cannot reset the password of {username}"))?;
                println!("new password for {username}: {password}  (shown once; write it down)");
                Ok(ExitCode::SUCCESS)
            }
        };
        store.close().await;
        result
    }
}
