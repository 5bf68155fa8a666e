//! `sijil import FILE.csv`: loads person records as source records, all or nothing.
//!
//! The whole file is read and validated before the registry is touched; one bad row anywhere
//! (or a `record_id` the registry already holds) refuses the file, naming lines and columns.
//! The records are then written in a single transaction, so an interrupted import leaves
//! nothing behind either.

use std::{
    fmt,
    fs::File,
    io::{self, Read},
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use anyhow::Context;
use clap::Args;
use sijil_core::{
    Capture, OfficeCode, PersonRecord,
    interchange::{self, LineRecord, ReadError, ReadErrorKind},
};
use sijil_store::{
    Actor, ImportMeta, Store, bootstrap,
    resolve::{ImportStage, Resolver},
    sqlite::SqliteStore,
};
use time::{OffsetDateTime, macros::offset};

use crate::{data, progress};

/// How many errors one refusal lists, so a clerk can fix several per attempt.
const MAX_ERRORS: usize = 20;

/// Imports person records (the CSV format of shared/interchange.md) as source records.
///
/// The file is refused whole, and the registry left unchanged, if any row is invalid or any
/// record_id is already registered. Records carrying a national number that a person already
/// holds are linked to that person; every other record makes a new person.
#[derive(Debug, Args)]
pub struct Cmd {
    /// The CSV file.
    file: PathBuf,
    /// The office where the records were captured (default: the central office).
    #[arg(long, value_name = "CODE", value_parser = parse_office)]
    office: Option<OfficeCode>,
    /// Resolves the records strictly one after another on one thread, instead of resolving
    /// ahead in parallel; the result is the same (to compare, and measure).
    #[arg(long)]
    in_order: bool,
}

fn parse_office(s: &str) -> Result<OfficeCode, String> {
    OfficeCode::parse(s).map_err(|p| p.message_en())
}

impl Cmd {
    pub async fn run(self, data_dir: &Path) -> anyhow::Result<ExitCode> {
        let (records, digest) = self.read_file()?;
        let file_name = self.file_name();
        if records.is_empty() {
            println!("{file_name} holds no records; nothing was imported");
            return Ok(ExitCode::SUCCESS);
        }

        let store = data::open_store(data_dir).await?;
        let result = self.import(&store, records, file_name, digest).await;
        store.close().await;
        result
    }

    /// Reads and validates the whole file, returning its records and BLAKE3 digest.
    fn read_file(&self) -> anyhow::Result<(Vec<LineRecord>, String)> {
        let file = File::open(&self.file)
            .with_context(|| format!("cannot open {}", self.file.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = progress::bytes(size, "checking");
        let started = Instant::now();
        let mut input = Digesting::new(bar.wrap_read(file));
        let read = interchange::read_all_collecting(&mut input, today(), MAX_ERRORS);
        bar.finish_and_clear();
        tracing::info!(elapsed = ?started.elapsed(), "read and validated the file");
        let records = read.map_err(|e| {
            // Stopped at the limit, not at a fatal error.
            let more = e.stopped_early() && e.errors().len() >= MAX_ERRORS;
            self.refused(e.into_vec(), more)
        })?;
        // The reader stops at the end of the CSV data, which is the end of the file; make sure
        // the digest covers every byte all the same.
        io::copy(&mut input, &mut io::sink())
            .with_context(|| format!("cannot read {}", self.file.display()))?;
        Ok((records, input.hex_digest()))
    }

    async fn import(
        &self,
        store: &SqliteStore,
        records: Vec<LineRecord>,
        file_name: String,
        digest: String,
    ) -> anyhow::Result<ExitCode> {
        let ids: Vec<String> = records.iter().map(|r| r.record.record_id.clone()).collect();
        let registered = store
            .existing_record_ids(&ids)
            .await
            .context("cannot look up record ids")?;
        drop(ids);
        if !registered.is_empty() {
            let more = registered.len() > MAX_ERRORS;
            let errors = already_registered(&records, registered);
            return Err(self.refused(errors, more).into());
        }

        // Checked before anything is written: a refused import leaves no trace.
        if let Some(code) = &self.office
            && code.as_str() != bootstrap::CENTRAL_OFFICE
        {
            let offices = store.offices().await.context("cannot list offices")?;
            if !offices.iter().any(|o| &o.code == code) {
                let known: Vec<&str> = offices.iter().map(|o| o.code.as_str()).collect();
                anyhow::bail!(
                    "office {code} does not exist (known offices: {})",
                    known.join(", ")
                );
            }
        }
        let central = bootstrap::ensure_central_office(store)
            .await
            .context("cannot create the central office")?;
        let office = self.office.clone().unwrap_or_else(|| central.code.clone());
        let actor = Actor::system(central.code);

        let capture = Capture {
            office,
            officer: actor.username.clone(),
            captured_at: OffsetDateTime::now_utc(),
            evidence: vec![],
        };
        let records: Vec<PersonRecord> = records.into_iter().map(|r| r.record).collect();
        let bar = progress::items(records.len() as u64, "resolving");
        let meta = ImportMeta {
            file_name: file_name.clone(),
            digest,
        };
        let started = Instant::now();
        let resolver = Resolver::load(store, &actor)
            .await
            .context("cannot load the registry for identity resolution")?;
        resolver.resolve_ahead(!self.in_order).await;
        tracing::info!(elapsed = ?started.elapsed(), "loaded the resolver");
        let receipt = resolver
            .import(store, records, &capture, meta, &actor, &|stage, n| {
                if stage == ImportStage::Writing && bar.message() != "writing" {
                    bar.set_message("writing");
                }
                bar.set_position(n as u64)
            })
            .await
            .with_context(|| format!("importing {file_name} failed; nothing was stored"));
        bar.finish_and_clear();
        tracing::info!(elapsed = ?started.elapsed(), "resolved and wrote the records");
        let receipt = receipt?;
        println!(
            "imported {} records from {file_name}: {} new persons, {} to review (import {})",
            receipt.records, receipt.new_persons, receipt.reviews, receipt.import_id
        );
        Ok(ExitCode::SUCCESS)
    }

    fn file_name(&self) -> String {
        self.file.file_name().map_or_else(
            || self.file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    fn refused(&self, errors: Vec<ReadError>, more: bool) -> Refused {
        Refused {
            file: self.file_name(),
            errors,
            more,
        }
    }
}

/// Today in Syria (UTC+3 all year since 2022), the latest date a birth may carry.
fn today() -> time::Date {
    OffsetDateTime::now_utc().to_offset(offset!(+3)).date()
}

/// One error per record whose id the registry already holds, in file order.
fn already_registered(records: &[LineRecord], registered: Vec<String>) -> Vec<ReadError> {
    let registered: std::collections::HashSet<String> = registered.into_iter().collect();
    records
        .iter()
        .filter(|r| registered.contains(&r.record.record_id))
        .take(MAX_ERRORS)
        .map(|r| {
            let record_id = r.record.record_id.clone();
            ReadError::new(r.line, ReadErrorKind::AlreadyRegistered { record_id })
        })
        .collect()
}

/// A file refused whole: every error in Arabic, then in English.
#[derive(Debug)]
struct Refused {
    file: String,
    errors: Vec<ReadError>,
    /// Whether reading stopped before the end, so more errors may follow.
    more: bool,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "رُفض الملف {0} كاملاً ولم يُستورد منه شيء / {0} was refused; nothing was imported",
            self.file
        )?;
        for e in &self.errors {
            write!(f, "\n  {}\n  {}", e.message_ar(), e.message_en())?;
        }
        if self.more {
            write!(
                f,
                "\n  توقّف الفحص هنا وقد توجد أخطاء أخرى / checking stopped here; there may be more errors"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// Hashes every byte read through it.
struct Digesting<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R> Digesting<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: blake3::Hasher::new(),
        }
    }

    fn hex_digest(&self) -> String {
        self.hasher.finalize().to_hex().to_string()
    }
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}
