//! The storage error: callers tell "not there" and "already there" from real failures.

use sijil_core::ValidationErrors;

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The named thing does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write would break a uniqueness rule (the message says which).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a registry rule checked inside the transaction.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Stored data could not be read back (a bug or a tampered database).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
}
