//! Reading a whole file held in memory on several threads, with exactly the result of the
//! sequential reader.
//!
//! Parsing and validating a row costs far more than finding where it ends, so the file is cut
//! into parts at row boundaries by one quick pass that follows the quoting as `csv-core` does
//! (a line break inside a quoted field is no boundary), counting lines on the way so that each
//! part knows the line it starts on. Each part is then read by its own [`RecordReader`] on a
//! worker thread, and the parts are merged in file order on the calling thread, which also
//! finds the `record_id`s that a part repeats from an earlier part. Errors, their lines and
//! columns, their order and where reading stops are those of [`super::read_all_collecting`].

use std::{
    collections::{BTreeMap, HashMap},
    io::BufReader,
    sync::{
        Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    thread,
};

use time::Date;

use super::{LineRecord, ReadError, ReadErrorKind, ReadErrors, RecordReader, line_breaks};

/// Bytes per part: large enough that a part's start-up costs nothing, small enough that the
/// threads share the work evenly and the caller gets records early.
const PART_BYTES: usize = 1 << 20;

/// Reads a whole person-records file held in memory on `threads` threads (at least one),
/// with the result of [`super::read_all_collecting`] on the same bytes: the same records, or
/// the same errors in the same order with the same lines, stopping at the same place.
///
/// `each` receives the records in file order, a part of the file at a time, while later parts
/// are still being read (so that the caller can work on them meanwhile); after the first error
/// it receives no more.
pub fn read_parallel(
    input: &[u8],
    today: Date,
    threads: usize,
    max_errors: usize,
    each: impl FnMut(Vec<LineRecord>),
) -> Result<(), ReadErrors> {
    read_in_parts(input, today, threads, max_errors, PART_BYTES, each)
}

/// Where a part starts: its bytes and the reader's line state there.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    start: usize,
    end: usize,
    line: u64,
    after_cr: bool,
}

/// What a worker found in one part.
struct Done {
    rows: Vec<Result<LineRecord, ReadError>>,
    /// Each `record_id` first seen in the part, with its line.
    seen: HashMap<Box<str>, u64>,
}

fn read_in_parts(
    input: &[u8],
    today: Date,
    threads: usize,
    max_errors: usize,
    part_bytes: usize,
    mut each: impl FnMut(Vec<LineRecord>),
) -> Result<(), ReadErrors> {
    let max_errors = max_errors.max(1);
    let header = RecordReader::new(input, today).map_err(|e| ReadErrors {
        errors: vec![e],
        stopped_early: true,
    })?;
    let start = usize::try_from(header.bytes).expect("a slice's length fits in usize");
    let stop = AtomicBool::new(false);
    // Parts go to the workers as the cutting finds them, so that reading starts at once.
    let (part_tx, part_rx) = mpsc::channel::<(usize, Part)>();
    let part_rx = Mutex::new(part_rx);
    let (tx, rx) = mpsc::channel::<(usize, Done)>();
    let shared = (header.header.clone(), header.targets.clone());
    thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            let mut i = 0;
            split(
                input,
                start,
                header.line,
                header.after_cr,
                part_bytes.max(1),
                |part| {
                    let sent = part_tx.send((i, part)).is_ok();
                    i += 1;
                    sent && !stop.load(Ordering::Relaxed)
                },
            );
        });
        for _ in 0..threads.max(1) {
            let (tx, part_rx, shared) = (tx.clone(), &part_rx, &shared);
            scope.spawn(move || {
                loop {
                    let next = part_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((i, part))) = next else {
                        break;
                    };
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let done = read_part(input, &part, today, shared, max_errors);
                    if tx.send((i, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let result = merge(rx, max_errors, &mut each);
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Merges the parts in file order as they come.
fn merge(
    rx: mpsc::Receiver<(usize, Done)>,
    max_errors: usize,
    each: &mut impl FnMut(Vec<LineRecord>),
) -> Result<(), ReadErrors> {
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut seen: HashMap<Box<str>, u64> = HashMap::new();
    let mut errors: Vec<ReadError> = Vec::new();
    for i in 0.. {
        let done = loop {
            if let Some(done) = waiting.remove(&i) {
                break Some(done);
            }
            // Every part is read and merged once the workers are gone.
            let Ok((j, done)) = rx.recv() else {
                break None;
            };
            waiting.insert(j, done);
        };
        let Some(done) = done else {
            break;
        };
        let mut records = Vec::with_capacity(if errors.is_empty() {
            done.rows.len()
        } else {
            0
        });
        for row in done.rows {
            // A record id already used in an earlier part: the sequential reader would have
            // refused this row, naming the first line of all.
            let row = match row {
                Ok(r) => match seen.get(r.record.record_id.trim()) {
                    Some(&first_line) => Err(ReadError::new(
                        r.line,
                        ReadErrorKind::DuplicateRecordId {
                            record_id: r.record.record_id,
                            first_line,
                        },
                    )),
                    None => Ok(r),
                },
                Err(mut e) => {
                    if let ReadErrorKind::DuplicateRecordId {
                        record_id,
                        first_line,
                    } = &mut e.kind
                        && let Some(&first) = seen.get(record_id.trim())
                    {
                        *first_line = first;
                    }
                    Err(e)
                }
            };
            match row {
                Ok(r) if errors.is_empty() => records.push(r),
                Ok(_) => {}
                Err(e) => {
                    let stop = e.is_fatal() || errors.len() + 1 == max_errors;
                    errors.push(e);
                    if stop {
                        return Err(ReadErrors {
                            errors,
                            stopped_early: true,
                        });
                    }
                    records = Vec::new();
                }
            }
        }
        for (id, line) in done.seen {
            seen.entry(id).or_insert(line);
        }
        if errors.is_empty() {
            each(records);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ReadErrors {
            errors,
            stopped_early: false,
        })
    }
}

/// Reads one part with a reader that starts where the part does.
fn read_part(
    input: &[u8],
    part: &Part,
    today: Date,
    shared: &(Vec<String>, Vec<Option<usize>>),
    max_errors: usize,
) -> Done {
    let mut reader = RecordReader {
        input: BufReader::with_capacity(64 * 1024, &input[part.start..part.end]),
        parser: csv_core::Reader::new(),
        today,
        header: shared.0.clone(),
        targets: shared.1.clone(),
        out: vec![0; 4096],
        ends: vec![0; 32],
        row: Default::default(),
        seen: HashMap::new(),
        line: part.line,
        after_cr: part.after_cr,
        bytes: 0,
        done: false,
    };
    let mut rows = Vec::new();
    let mut errors = 0;
    for row in reader.by_ref() {
        if let Err(e) = &row {
            errors += 1;
            // Later rows cannot matter: the merge stops here, or has stopped before.
            if e.is_fatal() || errors == max_errors {
                rows.push(row);
                break;
            }
        }
        rows.push(row);
    }
    Done {
        rows,
        seen: reader.seen,
    }
}

/// The state of `csv-core`'s parser that decides where rows end (default settings: comma,
/// double quote, quotes escaped by doubling, any of CR, LF and CRLF ending a row).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Between rows (blank lines are skipped here).
    Row,
    /// At the start of a field.
    Field,
    /// In an unquoted field (a quote here is an ordinary character).
    Plain,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: the field's end, or the first of two quotes.
    QuoteInQuoted,
}

/// Cuts `input[start..]` into parts of about `part_bytes` at row boundaries and hands each
/// to `emit`, in order, until it returns false; `line` and `after_cr` are the reader's line
/// state at `start`.
fn split(
    input: &[u8],
    start: usize,
    mut line: u64,
    mut after_cr: bool,
    part_bytes: usize,
    mut emit: impl FnMut(Part) -> bool,
) {
    let mut part = Part {
        start,
        end: start,
        line,
        after_cr,
    };
    let mut state = Scan::Row;
    let mut pos = start;
    while pos < input.len() {
        let target = (part.start + part_bytes).min(input.len());
        // Follow the quoting up to the target, counting lines as the reader does.
        let chunk = &input[pos..target];
        line += line_breaks(chunk, &mut after_cr);
        for &b in chunk {
            state = step(state, b);
        }
        pos = target;
        // Then on to the end of the row in progress.
        while pos < input.len() && state != Scan::Row {
            let b = input[pos];
            line += line_breaks(&input[pos..=pos], &mut after_cr);
            state = step(state, b);
            pos += 1;
        }
        if pos < input.len() {
            if !emit(Part { end: pos, ..part }) {
                return;
            }
            part = Part {
                start: pos,
                end: pos,
                line,
                after_cr,
            };
        }
    }
    // The last part (empty when the header ends the file, so that its end is still read).
    emit(Part {
        end: input.len(),
        ..part
    });
}

#[inline]
fn step(state: Scan, b: u8) -> Scan {
    let end = b == b'\n' || b == b'\r';
    match state {
        Scan::Row if end => Scan::Row,
        Scan::Row | Scan::Field => match b {
            b'"' => Scan::Quoted,
            b',' => Scan::Field,
            _ if end => Scan::Row,
            _ => Scan::Plain,
        },
        Scan::Plain | Scan::QuoteInQuoted if end => Scan::Row,
        Scan::Plain | Scan::QuoteInQuoted if b == b',' => Scan::Field,
        Scan::QuoteInQuoted if b == b'"' => Scan::Quoted,
        Scan::Plain | Scan::QuoteInQuoted => Scan::Plain,
        Scan::Quoted if b == b'"' => Scan::QuoteInQuoted,
        Scan::Quoted => Scan::Quoted,
    }
}

#[cfg(test)]
mod tests;
