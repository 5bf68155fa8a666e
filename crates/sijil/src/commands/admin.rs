//! `sijil admin`: operator tasks run on the registry's own machine.

use std::{path::Path, process::ExitCode};

use anyhow::Context;
use clap::Subcommand;
use sijil_store::{Actor, Store, bootstrap::ensure_central_office, resolve::Resolver};

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
    /// Suspends a user at once and ends their sessions (a lost or stolen account), even with
    /// the server down; audited. `restore` undoes it.
    Suspend {
        /// The user's login name.
        username: String,
    },
    /// Lets a suspended user log in again; audited.
    Restore {
        /// The user's login name.
        username: String,
    },
    /// Learns the identity-resolution model again from every record in the registry and
    /// keeps it (the server resolves with it from its next start). Run it as the registry
    /// grows: names and families seen at 5,000 records are not those of 5 million.
    TrainModel,
    /// Shows the model the registry resolves with.
    Model,
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
            Cmd::Suspend { username } => set_active(&store, &username, false).await,
            Cmd::Restore { username } => set_active(&store, &username, true).await,
            Cmd::TrainModel => {
                let office = ensure_central_office(&store).await?;
                let actor = Actor::system(office.code);
                let started = std::time::Instant::now();
                let model = Resolver::learn_model(&store, &actor)
                    .await
                    .context("cannot learn a model")?;
                println!(
                    "learnt model {} from {} records in {:.1} s; the server resolves with it from its next start",
                    model.id,
                    model.records,
                    started.elapsed().as_secs_f64()
                );
                Ok(ExitCode::SUCCESS)
            }
            Cmd::Model => {
                match store.latest_model().await? {
                    Some(m) => println!(
                        "model {} learnt from {} {} records on {}",
                        m.id,
                        m.records,
                        m.source.as_str(),
                        m.created_at
                    ),
                    None => println!("no model yet: the server learns one at its first start"),
                }
                Ok(ExitCode::SUCCESS)
            }
        };
        store.close().await;
        result
    }
}

/// Suspends or restores `username` as the system actor of the central office.
async fn set_active<S: Store>(store: &S, username: &str, active: bool) -> anyhow::Result<ExitCode> {
    let office = ensure_central_office(store).await?;
    let actor = Actor::system(office.code);
    let change = sijil_store::UserChange {
        active: Some(active),
        ..Default::default()
    };
    store
        .change_user(username, change, &actor)
        .await
        .with_context(|| format!("cannot change {username}"))?;
    if active {
        println!("{username} may log in again");
    } else {
        println!("{username} is suspended; every session of theirs has ended");
    }
    Ok(ExitCode::SUCCESS)
}
