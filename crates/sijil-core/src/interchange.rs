//! Reading the person-records file of `shared/interchange.md`: CSV, UTF-8 (a leading BOM is
//! accepted), RFC 4180 quoting, one header row, columns in any order, unknown columns ignored,
//! listed columns that are absent read as empty.
//!
//! [`RecordReader`] streams: it holds one row at a time plus the set of `record_id`s seen so far
//! (to refuse duplicates), so a file of millions of rows costs memory only for what the caller
//! keeps. [`read_all`] and [`read_all_collecting`] are the convenience forms.
//!
//! Every error names the **physical line** where the offending row starts (the header is line
//! 1 unless blank lines precede it; a quoted field that spans lines counts all of its lines),
//! and, where one is at fault, the **column**. Lines are counted by hand rather than taken from
//! the `csv` crate's `Position`, which points at the end of the previous row and so is wrong
//! after blank lines and in CRLF files. The parser itself is `csv-core`, fed from a buffer.

use std::{
    collections::HashMap,
    fmt,
    io::{self, BufRead, BufReader, Read},
};

use csv_core::ReadRecordResult;
use time::Date;

mod parallel;

pub use parallel::read_parallel;

use crate::{
    record::{COLUMNS, NumberPolicy, PersonRecord, RecordRow},
    validation::{FieldError, ValidationErrors},
};

/// A row longer than this many bytes is refused (most likely a quote left open, which would
/// otherwise swallow the rest of the file into one field).
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// A row with more fields than this is refused.
pub const MAX_FIELDS: usize = 10_000;

/// The one required column.
const RECORD_ID: &str = "record_id";

/// A validated record and the line its row starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRecord {
    /// One-based physical line of the row's first character.
    pub line: u64,
    /// The validated record.
    pub record: PersonRecord,
}

/// Why a file, or one row of it, was refused: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    line: u64,
    kind: ReadErrorKind,
}

/// What is wrong; see [`ReadError`] for where.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The input holds no header row (it is empty, or only blank lines).
    Empty,
    /// The header lacks a required column.
    MissingColumn {
        /// The column's name.
        column: &'static str,
    },
    /// A column name appears twice in the header.
    DuplicateColumn {
        /// The name.
        column: String,
        /// One-based positions of its first and second appearance.
        positions: (usize, usize),
    },
    /// A field is not valid UTF-8.
    InvalidUtf8 {
        /// The column's name; `None` in the header row itself.
        column: Option<String>,
        /// One-based position of the field in the row.
        position: usize,
    },
    /// A row has a different number of fields than the header.
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A row is too large to be a person record (see [`MAX_ROW_BYTES`], [`MAX_FIELDS`]).
    RowTooLarge,
    /// Field values fail validation; each error names its column.
    Invalid(ValidationErrors),
    /// The row's `record_id` was already used on an earlier line.
    DuplicateRecordId {
        /// The id.
        record_id: String,
        /// The line where it first appears.
        first_line: u64,
    },
    /// The row's `record_id` is already in the registry (reported by importers, which know
    /// the registry; the reader itself does not).
    AlreadyRegistered {
        /// The id.
        record_id: String,
    },
    /// Reading the input failed.
    Io {
        /// The system's message.
        message: String,
    },
}

impl ReadError {
    /// An error at `line`. Public so that callers can report related problems (such as a
    /// `record_id` already in the registry) in the same shape.
    pub fn new(line: u64, kind: ReadErrorKind) -> Self {
        Self { line, kind }
    }

    /// One-based physical line where the offending row starts (the header is line 1).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// What is wrong.
    pub fn kind(&self) -> &ReadErrorKind {
        &self.kind
    }

    /// Whether reading cannot go on after this error (the header, the input itself or the
    /// parser's footing is lost); errors in one row's content are not fatal.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self.kind,
            ReadErrorKind::Empty
                | ReadErrorKind::MissingColumn { .. }
                | ReadErrorKind::DuplicateColumn { .. }
                | ReadErrorKind::RowTooLarge
                | ReadErrorKind::Io { .. }
        ) || matches!(self.kind, ReadErrorKind::InvalidUtf8 { column: None, .. })
    }

    /// The columns this error is about (empty when it is about a whole row or the file).
    pub fn columns(&self) -> Vec<&str> {
        match &self.kind {
            ReadErrorKind::MissingColumn { column } => vec![column],
            ReadErrorKind::DuplicateColumn { column, .. } => vec![column],
            ReadErrorKind::InvalidUtf8 {
                column: Some(column),
                ..
            } => vec![column],
            ReadErrorKind::Invalid(errors) => errors.0.iter().map(|e| e.field.as_str()).collect(),
            ReadErrorKind::DuplicateRecordId { .. } | ReadErrorKind::AlreadyRegistered { .. } => {
                vec![RECORD_ID]
            }
            _ => vec![],
        }
    }

    /// The message in English: line, column, what is wrong.
    pub fn message_en(&self) -> String {
        use ReadErrorKind::*;
        let line = self.line;
        match &self.kind {
            Empty => format!(
                "line {line}: the file is empty; it must start with a header row naming the columns ({})",
                COLUMNS.join(",")
            ),
            MissingColumn { column } => {
                format!("line {line}, column {column}: the header has no {column} column")
            }
            DuplicateColumn {
                column,
                positions: (a, b),
            } => format!(
                "line {line}, column {column}: the header names this column twice (fields {a} and {b})"
            ),
            InvalidUtf8 { column, position } => format!(
                "line {line}, {}: the text is not valid UTF-8 (save the file as UTF-8)",
                column_en(column.as_deref(), *position)
            ),
            FieldCount { expected, found } => {
                format!("line {line}: the row has {found} fields but the header has {expected}")
            }
            RowTooLarge => format!(
                "line {line}: the row is larger than {MAX_ROW_BYTES} bytes or {MAX_FIELDS} fields (is a quote left open?)"
            ),
            Invalid(errors) => format!("line {line}, {}", fields_en(&errors.0)),
            DuplicateRecordId {
                record_id,
                first_line,
            } => format!(
                "line {line}, column {RECORD_ID}: {record_id:?} is already used on line {first_line}"
            ),
            AlreadyRegistered { record_id } => {
                format!("line {line}, column {RECORD_ID}: {record_id:?} is already in the registry")
            }
            Io { message } => format!("line {line}: cannot read the input: {message}"),
        }
    }

    /// The message in Arabic: line, column, what is wrong.
    pub fn message_ar(&self) -> String {
        use ReadErrorKind::*;
        let line = self.line;
        match &self.kind {
            Empty => format!(
                "السطر {line}: الملف فارغ، ويجب أن يبدأ بسطر عناوين يسمّي الأعمدة ({})",
                COLUMNS.join(",")
            ),
            MissingColumn { column } => {
                format!("السطر {line}، العمود {column}: لا يوجد في سطر العناوين عمود {column}")
            }
            DuplicateColumn {
                column,
                positions: (a, b),
            } => format!(
                "السطر {line}، العمود {column}: اسم العمود مكرر في سطر العناوين (الحقلان {a} و{b})"
            ),
            InvalidUtf8 { column, position } => format!(
                "السطر {line}، {}: النص ليس بترميز UTF-8 صالح (احفظ الملف بترميز UTF-8)",
                column_ar(column.as_deref(), *position)
            ),
            FieldCount { expected, found } => format!(
                "السطر {line}: عدد الحقول في السطر {found} وعددها في سطر العناوين {expected}"
            ),
            RowTooLarge => format!(
                "السطر {line}: السطر أكبر من {MAX_ROW_BYTES} بايت أو {MAX_FIELDS} حقل (هل بقيت علامة اقتباس مفتوحة؟)"
            ),
            Invalid(errors) => format!("السطر {line}، {}", fields_ar(&errors.0)),
            DuplicateRecordId {
                record_id,
                first_line,
            } => format!(
                "السطر {line}، العمود {RECORD_ID}: المعرّف «{record_id}» مستخدم من قبل في السطر {first_line}"
            ),
            AlreadyRegistered { record_id } => format!(
                "السطر {line}، العمود {RECORD_ID}: المعرّف «{record_id}» مسجّل من قبل في السجل"
            ),
            Io { message } => format!("السطر {line}: تعذّرت قراءة الملف: {message}"),
        }
    }
}

fn column_en(column: Option<&str>, position: usize) -> String {
    match column {
        Some(c) => format!("column {c}"),
        None => format!("header field {position}"),
    }
}

fn column_ar(column: Option<&str>, position: usize) -> String {
    match column {
        Some(c) => format!("العمود {c}"),
        None => format!("الحقل {position} من سطر العناوين"),
    }
}

fn fields_en(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("column {}: {}", e.field, e.problem.message_en()))
        .collect::<Vec<_>>()
        .join("; ")
}

fn fields_ar(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("العمود {}: {}", e.field, e.problem.message_ar()))
        .collect::<Vec<_>>()
        .join("؛ ")
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ReadError {}

/// Several errors from one file, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadErrors {
    errors: Vec<ReadError>,
    stopped_early: bool,
}

impl ReadErrors {
    /// The errors found, never empty.
    pub fn errors(&self) -> &[ReadError] {
        &self.errors
    }

    /// Whether reading stopped before the end of the file (at the error limit or at a fatal
    /// error), so that more errors may follow.
    pub fn stopped_early(&self) -> bool {
        self.stopped_early
    }

    /// The errors found.
    pub fn into_vec(self) -> Vec<ReadError> {
        self.errors
    }
}

impl fmt::Display for ReadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        if self.stopped_early {
            write!(f, "\n(reading stopped here; there may be more errors)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ReadErrors {}

/// Reads a whole file; the first error wins.
pub fn read_all<R: Read>(input: R, today: Date) -> Result<Vec<LineRecord>, ReadError> {
    RecordReader::new(input, today)?.collect()
}

/// Reads a whole file, collecting up to `max_errors` errors (at least one) before giving up,
/// so that a user can fix several mistakes per attempt. Records are returned only when the
/// whole file is good.
pub fn read_all_collecting<R: Read>(
    input: R,
    today: Date,
    max_errors: usize,
) -> Result<Vec<LineRecord>, ReadErrors> {
    let reader = RecordReader::new(input, today).map_err(|e| ReadErrors {
        errors: vec![e],
        stopped_early: true,
    })?;
    let max_errors = max_errors.max(1);
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for item in reader {
        match item {
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
                // A bad file is refused whole: free what was kept.
                records = Vec::new();
            }
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(ReadErrors {
            errors,
            stopped_early: false,
        })
    }
}

/// Streams the validated records of a person-records file. A national number with a wrong check
/// digit is kept as unverified ([`NumberPolicy::KeepUnverified`]): old registers hold such numbers.
///
/// Iteration yields each row in order, as a [`LineRecord`] or a [`ReadError`]. After a row's
/// error it goes on with the next row; after a fatal one ([`ReadError::is_fatal`]) it ends.
/// The header is read and checked by [`RecordReader::new`].
pub struct RecordReader<R> {
    input: BufReader<R>,
    parser: csv_core::Reader,
    today: Date,
    header: Vec<String>,
    /// For each field of a row, the interchange column it fills (an index into [`COLUMNS`]).
    targets: Vec<Option<usize>>,
    /// The current row's unescaped field bytes, and where each field ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Reused between rows so that a row costs no allocation before validation.
    row: RecordRow,
    /// Each `record_id` seen, with its line.
    seen: HashMap<Box<str>, u64>,
    /// One plus the number of line breaks (LF, CRLF or a bare CR) consumed so far.
    line: u64,
    /// Whether the last byte consumed was a CR, so a CRLF split across reads counts once.
    after_cr: bool,
    bytes: u64,
    done: bool,
}

impl<R> fmt::Debug for RecordReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordReader")
            .field("header", &self.header)
            .field("line", &self.line)
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

/// A row as parsed, before decoding: where it starts and how many fields it has.
struct RawRow {
    line: u64,
    fields: usize,
}

impl<R: Read> RecordReader<R> {
    /// Reads and checks the header. Dates are checked against `today` (none may be later).
    pub fn new(input: R, today: Date) -> Result<Self, ReadError> {
        let mut reader = Self {
            input: BufReader::with_capacity(64 * 1024, input),
            parser: csv_core::Reader::new(),
            today,
            header: Vec::new(),
            targets: Vec::new(),
            out: vec![0; 4096],
            ends: vec![0; 32],
            row: RecordRow::default(),
            seen: HashMap::new(),
            line: 1,
            after_cr: false,
            bytes: 0,
            done: false,
        };
        let Some(raw) = reader.read_raw()? else {
            return Err(ReadError::new(reader.line, ReadErrorKind::Empty));
        };
        reader.read_header(raw)?;
        Ok(reader)
    }

    fn read_header(&mut self, raw: RawRow) -> Result<(), ReadError> {
        let mut first_at: HashMap<&str, usize> = HashMap::new();
        let mut header = Vec::with_capacity(raw.fields);
        let mut start = 0;
        for (i, &end) in self.ends[..raw.fields].iter().enumerate() {
            let name = std::str::from_utf8(&self.out[start..end]).map_err(|_| {
                ReadError::new(
                    raw.line,
                    ReadErrorKind::InvalidUtf8 {
                        column: None,
                        position: i + 1,
                    },
                )
            })?;
            start = end;
            // The parser strips a BOM only when it arrives whole in the first read.
            let name = if i == 0 {
                name.trim_start_matches('\u{feff}')
            } else {
                name
            };
            let name = name.trim();
            // Spreadsheets leave unnamed trailing columns; those are ignored, never duplicates.
            if !name.is_empty()
                && let Some(first) = first_at.insert(name, i + 1)
            {
                return Err(ReadError::new(
                    raw.line,
                    ReadErrorKind::DuplicateColumn {
                        column: name.to_owned(),
                        positions: (first, i + 1),
                    },
                ));
            }
            header.push(name.to_owned());
        }
        if !first_at.contains_key(RECORD_ID) {
            return Err(ReadError::new(
                raw.line,
                ReadErrorKind::MissingColumn { column: RECORD_ID },
            ));
        }
        self.targets = header
            .iter()
            .map(|name| COLUMNS.iter().position(|c| c == name))
            .collect();
        self.header = header;
        Ok(())
    }

    /// The header's column names, trimmed, in file order.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Bytes consumed from the input so far (for progress reports).
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// The underlying input. Bytes already buffered are lost; read the rest to its end
    /// (e.g. to finish a digest) with [`io::copy`].
    pub fn into_inner(self) -> R {
        self.input.into_inner()
    }

    /// Parses the next row into `out`/`ends`; `None` at the end of the input.
    fn read_raw(&mut self) -> Result<Option<RawRow>, ReadError> {
        let (mut out_len, mut ends_len) = (0, 0);
        let mut start_line = None;
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let kind = ReadErrorKind::Io {
                        message: e.to_string(),
                    };
                    return Err(ReadError::new(start_line.unwrap_or(self.line), kind));
                }
            };
            let (result, n_in, n_out, n_ends) = self.parser.read_record(
                input,
                &mut self.out[out_len..],
                &mut self.ends[ends_len..],
            );
            // Line feeds before the row's first byte belong to blank lines (or to the CRLF
            // that ended the previous row); the row starts on the line after them.
            let mut consumed = &input[..n_in];
            if start_line.is_none() {
                let blank = consumed
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                self.line += line_breaks(&consumed[..blank], &mut self.after_cr);
                consumed = &consumed[blank..];
                if !consumed.is_empty() {
                    start_line = Some(self.line);
                }
            }
            self.line += line_breaks(consumed, &mut self.after_cr);
            self.bytes += n_in as u64;
            self.input.consume(n_in);
            out_len += n_out;
            ends_len += n_ends;
            let too_large =
                || ReadError::new(start_line.unwrap_or(self.line), ReadErrorKind::RowTooLarge);
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_ROW_BYTES {
                        return Err(too_large());
                    }
                    self.out.resize((self.out.len() * 2).min(MAX_ROW_BYTES), 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() >= MAX_FIELDS {
                        return Err(too_large());
                    }
                    self.ends.resize((self.ends.len() * 2).min(MAX_FIELDS), 0);
                }
                ReadRecordResult::Record => {
                    return Ok(Some(RawRow {
                        line: start_line.unwrap_or(self.line),
                        fields: ends_len,
                    }));
                }
                ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// Decodes and validates the row in `out`/`ends`.
    fn decode(&mut self, raw: RawRow) -> Result<LineRecord, ReadError> {
        let line = raw.line;
        if raw.fields != self.header.len() {
            let kind = ReadErrorKind::FieldCount {
                expected: self.header.len(),
                found: raw.fields,
            };
            return Err(ReadError::new(line, kind));
        }
        let mut start = 0;
        for (i, &end) in self.ends[..raw.fields].iter().enumerate() {
            let bytes = &self.out[start..end];
            start = end;
            // The whole file must be UTF-8, ignored columns included.
            let text = std::str::from_utf8(bytes).map_err(|_| {
                let kind = ReadErrorKind::InvalidUtf8 {
                    column: Some(self.header[i].clone()),
                    position: i + 1,
                };
                ReadError::new(line, kind)
            })?;
            if let Some(column) = self.targets[i] {
                let slot = slot(&mut self.row, column);
                slot.clear();
                slot.push_str(text);
            }
        }
        let validated = self
            .row
            .validate_with(self.today, NumberPolicy::KeepUnverified);
        let id = self.row.record_id.trim();
        let first_line = match self.seen.get(id) {
            Some(&first) => Some(first),
            None => {
                if !id.is_empty() {
                    self.seen.insert(id.into(), line);
                }
                None
            }
        };
        match (validated, first_line) {
            (Err(errors), _) => Err(ReadError::new(line, ReadErrorKind::Invalid(errors))),
            (Ok(record), Some(first_line)) => {
                let kind = ReadErrorKind::DuplicateRecordId {
                    record_id: record.record_id,
                    first_line,
                };
                Err(ReadError::new(line, kind))
            }
            (Ok(record), None) => Ok(LineRecord { line, record }),
        }
    }
}

impl<R: Read> Iterator for RecordReader<R> {
    type Item = Result<LineRecord, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_raw() {
            Ok(Some(raw)) => Some(self.decode(raw)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Counts line breaks as editors do: LF, CRLF and a bare CR (old Mac files) each end a line.
fn line_breaks(bytes: &[u8], after_cr: &mut bool) -> u64 {
    let mut n = 0;
    for &b in bytes {
        if b == b'\r' || (b == b'\n' && !*after_cr) {
            n += 1;
        }
        *after_cr = b == b'\r';
    }
    n
}

/// The field of `row` for `COLUMNS[column]`.
fn slot(row: &mut RecordRow, column: usize) -> &mut String {
    match COLUMNS[column] {
        "record_id" => &mut row.record_id,
        "first_name" => &mut row.first_name,
        "father_name" => &mut row.father_name,
        "grandfather_name" => &mut row.grandfather_name,
        "family_name" => &mut row.family_name,
        "mother_name" => &mut row.mother_name,
        "mother_family_name" => &mut row.mother_family_name,
        "sex" => &mut row.sex,
        "birth_date" => &mut row.birth_date,
        "birth_place" => &mut row.birth_place,
        "registry_place" => &mut row.registry_place,
        "registry_number" => &mut row.registry_number,
        "national_number" => &mut row.national_number,
        "source" => &mut row.source,
        other => unreachable!("COLUMNS lists {other} but slot() does not"),
    }
}

#[cfg(test)]
mod tests;
