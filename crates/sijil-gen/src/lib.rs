//! Synthetic Syrian population generator: realistic, noisy civil-registry records with ground
//! truth, for testing and benchmarking identity resolution.
//!
//! # What it makes
//!
//! A population of coherent families ([`people`]): clans of brothers sharing a grandfather
//! and a family name, households sharing a family register (القيد), sons named after their
//! grandfather, twins, married women under their husband's register, refugee households in
//! Turkey, Lebanon, Jordan and Europe. Names and places come from hand-written tables with
//! Zipf-like frequencies (محمد very common, hundreds of rare names), so namesakes — different
//! people with the same four-part name — occur at a realistic rate.
//!
//! Each person is then written one to four times (mean ≈ 1.65) by different sources: the old
//! civil register, camp registrations, the passport file, field offices, and foreign files in
//! Latin letters (Turkish, English, German, French spelling by this crate's own
//! transliteration). Every record passes through a documented noise model: Arabic spelling
//! variants, compounds joined or split, typing slips on the Arabic keyboard, partial and wrong
//! dates, swapped name parts, missing fields, Arabic-Indic digits, mistyped national numbers.
//! All rates live in [`rates`]; `docs/generator.md` explains each; [`GenStats`] reports what
//! a run actually produced.
//!
//! # Design
//!
//! * **No I/O of its own.** [`generate`] writes to any two [`std::io::Write`]rs; the caller
//!   opens files and shows progress.
//! * **Deterministic and parallel.** People are generated in fixed chunks of
//!   [`CHUNK_PEOPLE`], each with RNGs derived from the seed and the chunk index only. Chunks
//!   run in parallel with rayon and are written in order; record ids are assigned after each
//!   window of chunks is done. Hence the same `people` and `seed` give byte-identical files
//!   whatever the thread count.
//! * **Independent of the matcher.** The noise is written from the research notes, not from
//!   `sijil-names`, so benchmarks measure the matcher rather than agreement with itself.
//! * **Fast.** Rows go straight into per-chunk byte buffers; names are `&'static` table
//!   entries; scratch strings are reused. A million people take a few seconds.

#![deny(missing_docs)]

mod arabic;
mod csv_out;
mod data;
mod date;
mod latin;
mod person;
mod population;
pub mod rates;
mod record;
mod sample;
mod stats;

use std::io::{self, Write};

use rayon::prelude::*;

pub use csv_out::{COLUMNS, TRUTH_COLUMNS};
pub use person::{Person, Sex, people};
pub use rates::{Scheme, Script, Source};
pub use stats::{GenStats, NoiseKind, Tally};

/// People per chunk. Part of the output's definition: changing it changes every file.
pub const CHUNK_PEOPLE: usize = 4096;

/// Chunks generated in parallel before they are written. Does not affect the output.
const WINDOW: usize = 32;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenConfig {
    /// Number of people (the number of records is about 1.65 times this).
    pub people: usize,
    /// Seed: the same people and seed give the same files.
    pub seed: u64,
}

impl GenConfig {
    /// A configuration for `people` people under `seed`.
    pub fn new(people: usize, seed: u64) -> Self {
        Self { people, seed }
    }
}

/// Digits in ids for a population of `people`: at least seven (`R0000001`), more when
/// needed so ids keep one width.
pub(crate) fn id_width(max: u64) -> usize {
    let digits = max.max(1).ilog10() as usize + 1;
    digits.max(7)
}

/// Writes `records.csv` to `records` and `truth.csv` to `truth`.
///
/// `records` gets the interchange columns ([`COLUMNS`]) with a header row; `truth` gets
/// `record_id,person_id`. Both writers are flushed before returning. Pass buffered writers:
/// output is written in large blocks, but unbuffered file handles still cost a system call per
/// block.
pub fn generate(
    config: &GenConfig,
    records: impl Write,
    truth: impl Write,
) -> io::Result<GenStats> {
    generate_with_progress(config, records, truth, &mut |_| {})
}

/// [`generate`], calling `progress` with the number of people written so far after each block
/// of chunks (it ends with `config.people`).
pub fn generate_with_progress(
    config: &GenConfig,
    mut records: impl Write,
    mut truth: impl Write,
    progress: &mut dyn FnMut(u64),
) -> io::Result<GenStats> {
    records.write_all(&csv_out::header(&COLUMNS))?;
    truth.write_all(&csv_out::header(&TRUTH_COLUMNS))?;
    let people = config.people;
    let n_chunks = people.div_ceil(CHUNK_PEOPLE) as u64;
    let record_width = id_width(people as u64 * 4);
    let person_width = id_width(people as u64);
    let mut stats = GenStats::default();
    let mut written: u64 = 0;
    let mut start = 0;
    while start < n_chunks {
        let end = (start + WINDOW as u64).min(n_chunks);
        let chunks: Vec<record::ChunkRecords> = (start..end)
            .into_par_iter()
            .map(|chunk| {
                let members = population::chunk_members(config.seed, people, chunk);
                record::chunk_records(config.seed, chunk, &members)
            })
            .collect();
        let mut firsts = Vec::with_capacity(chunks.len());
        for c in &chunks {
            firsts.push(written);
            written += c.len() as u64;
        }
        let blocks: Vec<(Vec<u8>, Vec<u8>)> = chunks
            .par_iter()
            .zip(firsts)
            .enumerate()
            .map(|(i, (c, first))| {
                let first_person = (start as usize + i) as u64 * CHUNK_PEOPLE as u64;
                c.finish(first, first_person, record_width, person_width)
            })
            .collect();
        for (c, (r, t)) in chunks.iter().zip(&blocks) {
            records.write_all(r)?;
            truth.write_all(t)?;
            stats.merge(&c.stats);
        }
        progress(stats.people);
        start = end;
    }
    records.flush()?;
    truth.flush()?;
    if people == 0 {
        progress(0);
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_width_grows_past_seven_digits() {
        assert_eq!(id_width(0), 7);
        assert_eq!(id_width(9_999_999), 7);
        assert_eq!(id_width(10_000_000), 8);
    }
}
