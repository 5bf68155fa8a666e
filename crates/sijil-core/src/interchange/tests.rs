use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::validation::Problem;

const TODAY: Date = date!(2026 - 11 - 29);

const HEADER: &str = "record_id,first_name,family_name,sex,birth_date,national_number\n";

fn read(input: &str) -> Result<Vec<LineRecord>, ReadError> {
    read_all(input.as_bytes(), TODAY)
}

fn err(input: &str) -> ReadError {
    read(input).unwrap_err()
}

#[test]
fn reads_columns_in_any_order_ignoring_unknown_and_defaulting_missing_ones() {
    let file = "\u{feff}family_name,notes,record_id,birth_date\n\
                الحلبي,anything,R1,١٩٨٠-٠٥\n\
                ,,R2,\n";
    let records = read(file).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].line, 2);
    let r = &records[0].record;
    assert_eq!(r.record_id, "R1");
    assert_eq!(r.family_name.as_deref(), Some("الحلبي"));
    assert_eq!(r.birth_date.unwrap().to_string(), "1980-05");
    assert_eq!(r.first_name, None);
    assert_eq!(records[1].record.family_name, None);
}

#[test]
fn a_header_alone_is_a_file_with_no_records() {
    assert_eq!(read(HEADER).unwrap(), vec![]);
}

#[test]
fn lines_count_quoted_newlines_blank_lines_and_crlf() {
    let file = "record_id,notes\r\n\
                R1,\"two\r\nlines\"\r\n\
                \r\n\
                \r\n\
                R2,x\r\n\
                R3,\"a\nb\nc\"\n\
                R4,\"\"\"quoted\"\"\"\n";
    let lines: Vec<u64> = read(file).unwrap().iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 6, 7, 10]);
}

#[test]
fn an_invalid_value_names_its_line_and_column_in_both_languages() {
    let mut file = HEADER.to_owned();
    for i in 2..7 {
        file.push_str(&format!("R{i},علي,الحلبي,M,1990,\n"));
    }
    file.push_str("R7,علي,الحلبي,M,1990-02-30,\n");
    let e = err(&file);
    assert_eq!(e.line(), 7);
    assert_eq!(e.columns(), ["birth_date"]);
    assert!(!e.is_fatal());
    assert_eq!(
        e.to_string(),
        format!(
            "line 7, column birth_date: {}",
            Problem::InvalidDate.message_en()
        )
    );
    assert_eq!(
        e.message_ar(),
        format!(
            "السطر 7، العمود birth_date: {}",
            Problem::InvalidDate.message_ar()
        )
    );
}

#[test]
fn every_bad_field_of_a_row_is_named() {
    let e = err(&format!("{HEADER}R1,علي,,X,3000,123\n"));
    assert_eq!(e.columns(), ["sex", "birth_date", "national_number"]);
    assert!(e.to_string().starts_with("line 2, column sex: "));
}

#[test]
fn an_empty_record_id_is_refused() {
    let e = err(&format!("{HEADER} ,علي,,,,\n"));
    assert_eq!(
        e.kind(),
        &ReadErrorKind::Invalid(ValidationErrors::single(RECORD_ID, Problem::Required))
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let file = b"record_id,notes,first_name\nR1,\"a\nb\",x\nR2,,\xff\xfe\n";
    let e = read_all(&file[..], TODAY).unwrap_err();
    assert_eq!(e.line(), 4);
    assert_eq!(e.columns(), ["first_name"]);
    assert!(e.to_string().contains("UTF-8"), "{e}");
    assert!(e.message_ar().contains("UTF-8"));
}

#[test]
fn invalid_utf8_in_an_ignored_column_is_refused_too() {
    let e = read_all(&b"record_id,notes\nR1,\xc3\n"[..], TODAY).unwrap_err();
    assert_eq!((e.line(), e.columns()), (2, vec!["notes"]));
}

#[test]
fn invalid_utf8_in_the_header_is_fatal() {
    let e = read_all(&b"record_id,\xe2\x82\n"[..], TODAY).unwrap_err();
    assert_eq!(e.line(), 1);
    assert_eq!(
        e.kind(),
        &ReadErrorKind::InvalidUtf8 {
            column: None,
            position: 2
        }
    );
    assert!(e.is_fatal());
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_refused() {
    let e = err(&format!("{HEADER}R1,علي,الحلبي,M,1990,\nR2,علي\n"));
    assert_eq!(e.line(), 3);
    assert_eq!(
        e.kind(),
        &ReadErrorKind::FieldCount {
            expected: 6,
            found: 2
        }
    );
    let e = err(&format!("{HEADER}R1,علي,الحلبي,M,1990,,extra\n"));
    assert_eq!(
        e.kind(),
        &ReadErrorKind::FieldCount {
            expected: 6,
            found: 7
        }
    );
}

#[test]
fn a_header_without_record_id_is_refused() {
    let e = err("first_name,family_name\nعلي,الحلبي\n");
    assert_eq!(e.line(), 1);
    assert_eq!(e.columns(), [RECORD_ID]);
    assert!(e.is_fatal());
    assert!(e.to_string().contains("no record_id column"), "{e}");
}

#[test]
fn a_column_named_twice_is_refused() {
    let e = err("record_id,first_name, first_name\nR1,a,b\n");
    assert_eq!(
        e.kind(),
        &ReadErrorKind::DuplicateColumn {
            column: "first_name".into(),
            positions: (2, 3)
        }
    );
    assert_eq!(e.line(), 1);
}

#[test]
fn unnamed_trailing_columns_are_ignored() {
    let records = read("record_id,first_name,,\nR1,علي,,\n").unwrap();
    assert_eq!(records[0].record.first_name.as_deref(), Some("علي"));
}

#[test]
fn a_duplicate_record_id_names_both_lines() {
    let e = err(&format!(
        "{HEADER}R1,علي,,M,,\nR2,علي,,M,,\n\" R1\",عمر,,M,,\n"
    ));
    assert_eq!(e.line(), 4);
    assert_eq!(
        e.kind(),
        &ReadErrorKind::DuplicateRecordId {
            record_id: "R1".into(),
            first_line: 2
        }
    );
    assert!(e.to_string().contains("line 4") && e.to_string().contains("line 2"));
    assert!(e.message_ar().contains("السطر 4") && e.message_ar().contains("السطر 2"));
}

#[test]
fn an_empty_file_is_refused() {
    for file in ["", "\n\r\n\n", "\u{feff}"] {
        let e = err(file);
        assert_eq!(e.kind(), &ReadErrorKind::Empty, "{file:?}");
        assert!(e.is_fatal());
    }
}

#[test]
fn a_quote_left_open_stops_reading_instead_of_eating_memory() {
    let mut file = format!("{HEADER}R1,\"");
    file.push_str(&"ا".repeat(MAX_ROW_BYTES));
    let e = err(&file);
    assert_eq!((e.line(), e.kind()), (2, &ReadErrorKind::RowTooLarge));
    let e = err(&format!("record_id\n{}\n", ",".repeat(MAX_FIELDS + 1)));
    assert_eq!(e.kind(), &ReadErrorKind::RowTooLarge);
}

/// Hands out its bytes one at a time, then fails if asked to.
struct Trickle<'a> {
    bytes: &'a [u8],
    fail_at_end: bool,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.bytes.split_first() {
            Some((&b, rest)) if !buf.is_empty() => {
                buf[0] = b;
                self.bytes = rest;
                Ok(1)
            }
            None if self.fail_at_end => Err(io::Error::other("disk on fire")),
            _ => Ok(0),
        }
    }
}

#[test]
fn bare_cr_line_endings_count_as_lines_even_when_a_crlf_is_split_across_reads() {
    // Found by fuzzing: old Mac files end lines with a bare CR.
    let lines = |file: &str| -> Vec<u64> { read(file).unwrap().iter().map(|r| r.line).collect() };
    assert_eq!(
        lines("record_id,notes\rR1,a\rR2,\"x\ry\"\rR3,b\r"),
        [2, 3, 5]
    );
    let file = "record_id,notes\r\nR1,a\r\n\r\nR2,b\r\n";
    let trickled = read_all(
        Trickle {
            bytes: file.as_bytes(),
            fail_at_end: false,
        },
        TODAY,
    )
    .unwrap();
    let split: Vec<u64> = trickled.iter().map(|r| r.line).collect();
    assert_eq!(split, [2, 4]);
    assert_eq!(lines(file), [2, 4]);
}

#[test]
fn a_bom_split_across_reads_is_still_accepted() {
    let file = "\u{feff}record_id,notes\nR1,علي\nR2,\"\nعمر\"\nR3,x\n";
    let input = Trickle {
        bytes: file.as_bytes(),
        fail_at_end: false,
    };
    let records = read_all(input, TODAY).unwrap();
    let lines: Vec<u64> = records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 5]);
}

#[test]
fn a_failing_input_is_reported_with_its_line() {
    let input = Trickle {
        bytes: b"record_id\nR1\nR2",
        fail_at_end: true,
    };
    let e = read_all(input, TODAY).unwrap_err();
    assert_eq!(e.line(), 3);
    assert!(matches!(e.kind(), ReadErrorKind::Io { .. }));
    assert!(e.to_string().contains("disk on fire"));
}

#[test]
fn collecting_gathers_errors_up_to_the_limit() {
    let file = format!("{HEADER}R1,,,X,,\nR2,,,M,,\nR3,,,X,,\nR4,,,X,,\nR5,,,X,,\n");
    let errors = read_all_collecting(file.as_bytes(), TODAY, 2).unwrap_err();
    let lines: Vec<u64> = errors.errors().iter().map(ReadError::line).collect();
    assert_eq!(lines, [2, 4]);
    assert!(errors.stopped_early());

    let errors = read_all_collecting(file.as_bytes(), TODAY, 100).unwrap_err();
    assert_eq!(errors.errors().len(), 4);
    assert!(!errors.stopped_early());
    assert_eq!(errors.to_string().lines().count(), 4);

    let good = format!("{HEADER}R1,,,M,,\n");
    assert_eq!(
        read_all_collecting(good.as_bytes(), TODAY, 1)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_reader_streams_and_goes_on_after_a_bad_row() {
    let file = format!("{HEADER}R1,,,X,,\nR2,,,M,,\n");
    let mut reader = RecordReader::new(file.as_bytes(), TODAY).unwrap();
    assert_eq!(reader.header().len(), 6);
    assert!(reader.next().unwrap().is_err());
    assert_eq!(reader.next().unwrap().unwrap().record.record_id, "R2");
    assert!(reader.next().is_none());
    assert_eq!(reader.bytes_read(), file.len() as u64);
}

fn any_record() -> impl Strategy<Value = RecordRow> {
    let text = "[ a-zA-Zء-ي\",\n]{0,12}";
    (
        "[A-Za-z0-9٠-٩-]{1,10}",
        text,
        text,
        prop_oneof![Just(""), Just("M"), Just("F")],
        prop_oneof![Just(""), Just("1990"), Just("2001-02"), Just("1950-12-31")],
    )
        .prop_map(|(id, first, family, sex, born)| RecordRow {
            record_id: id,
            first_name: first,
            family_name: family,
            sex: sex.into(),
            birth_date: born.into(),
            ..Default::default()
        })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_all_collecting(&bytes[..], TODAY, usize::MAX);
    }

    #[test]
    fn csv_like_noise_after_a_good_header_never_panics(
        body in proptest::collection::vec(
            prop_oneof![
                Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b'1'),
                Just(0xd8), Just(0xa7), Just(0xef), Just(0xbb), Just(0xbf), Just(0xff),
            ],
            0..400,
        )
    ) {
        let mut file = HEADER.as_bytes().to_vec();
        file.extend(body);
        let _ = read_all_collecting(&file[..], TODAY, usize::MAX);
    }

    #[test]
    fn written_records_read_back_with_their_lines(
        rows in proptest::collection::vec((any_record(), "[a\",\r\n]{0,6}"), 0..20)
    ) {
        let mut w = csv::Writer::from_writer(vec![]);
        w.write_record(COLUMNS.iter().chain(&["notes"])).unwrap();
        let mut expected = vec![];
        let mut seen = std::collections::HashSet::new();
        let mut line = 2;
        for (row, notes) in rows {
            let Ok(record) = row.validate(TODAY) else { continue };
            if !seen.insert(record.record_id.clone()) {
                continue;
            }
            let r = record.to_row();
            let fields = [
                &r.record_id, &r.first_name, &r.father_name, &r.grandfather_name,
                &r.family_name, &r.mother_name, &r.mother_family_name, &r.sex,
                &r.birth_date, &r.birth_place, &r.registry_place, &r.registry_number,
                &r.national_number, &r.source, &notes,
            ];
            w.write_record(fields).unwrap();
            expected.push(LineRecord { line, record });
            // LF, CRLF and a bare CR inside a quoted field each start a new physical line.
            line += 1 + fields.iter().map(|f| f.replace("\r\n", "\n").matches(['\r', '\n']).count() as u64).sum::<u64>();
        }
        let bytes = w.into_inner().unwrap();
        prop_assert_eq!(read_all(&bytes[..], TODAY).unwrap(), expected);
    }
}

#[test]
fn an_already_registered_id_is_reported_like_a_file_error() {
    let e = ReadError::new(
        9,
        ReadErrorKind::AlreadyRegistered {
            record_id: "R5".into(),
        },
    );
    assert_eq!(e.columns(), [RECORD_ID]);
    assert_eq!(
        e.to_string(),
        "line 9, column record_id: \"R5\" is already in the registry"
    );
    assert!(e.message_ar().starts_with("السطر 9، العمود record_id"));
}
