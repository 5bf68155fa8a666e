//! The data directory: where the registry lives on disk.

use std::path::Path;

use anyhow::Context;
use sijil_store::sqlite::SqliteStore;

/// The SQLite file's name inside the data directory.
pub const DB_FILE: &str = "sijil.db";

/// Opens the registry in `dir`, creating the directory and the database on first use.
pub async fn open_store(dir: &Path) -> anyhow::Result<SqliteStore> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    let path = dir.join(DB_FILE);
    SqliteStore::open(&path)
        .await
        .with_context(|| format!("cannot open the registry {}", path.display()))
}
