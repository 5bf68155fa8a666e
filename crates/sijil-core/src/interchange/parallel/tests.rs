use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::interchange::read_all_collecting;

const TODAY: Date = date!(2026 - 11 - 29);

/// The records `read_in_parts` delivers, or its errors.
fn parallel(
    input: &str,
    threads: usize,
    part_bytes: usize,
    max: usize,
) -> Result<Vec<LineRecord>, ReadErrors> {
    let mut got = Vec::new();
    read_in_parts(input.as_bytes(), TODAY, threads, max, part_bytes, |rs| {
        got.extend(rs)
    })
    .map(|()| got)
}

/// Every part size from one byte up to the whole file, on one and on three threads, gives
/// what the sequential reader gives.
fn same_as_sequential(input: &str, max: usize) {
    let expected = read_all_collecting(input.as_bytes(), TODAY, max);
    for part_bytes in 1..=input.len() + 1 {
        for threads in [1, 3] {
            let got = parallel(input, threads, part_bytes, max);
            assert_eq!(
                got, expected,
                "parts of {part_bytes} bytes, {threads} threads:\n{input}"
            );
        }
    }
}

const HEADER: &str = "record_id,first_name,family_name,sex,birth_date\n";

#[test]
fn good_files_read_the_same_whatever_the_parts() {
    same_as_sequential(
        &format!("{HEADER}R1,محمد,الحلبي,M,1980-05-02\nR2,Ahmad,,M,\nR3,فاطمة,النجار,F,1991\n"),
        20,
    );
}

#[test]
fn quoted_line_breaks_crlf_blank_lines_and_a_bom_keep_their_lines() {
    let file = "\u{feff}record_id,first_name,notes\r\n\
                R1,\"محمد\",\"a \"\"quoted\"\", note\nover\r\nlines\"\r\n\
                \r\n\n\
                R2,x\"y,\"\"\r\
                R3,,\"\"\"\"\n\
                \n\
                R4,\"last\",no newline";
    same_as_sequential(file, 20);
    let records = parallel(file, 2, 3, 20).unwrap();
    assert_eq!(
        records.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 7, 8, 10]
    );
}

#[test]
fn errors_come_in_order_with_the_first_line_of_a_repeated_id() {
    let file = format!(
        "{HEADER}R1,a,,M,\nR2,b,,X,\nR1,c,,M,\nR3,d,,M,2999-01-01\nR1,e,,M,\nR4,f\nR5,g,,F,\n"
    );
    same_as_sequential(&file, 20);
    // The limit stops reading at the same row.
    same_as_sequential(&file, 2);
    let err = parallel(&file, 2, 1, 20).unwrap_err();
    let lines: Vec<u64> = err.errors().iter().map(ReadError::line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7]);
    assert!(
        err.errors()[3]
            .message_en()
            .contains("already used on line 2")
    );
}

#[test]
fn fatal_errors_and_a_bad_header_stop_where_the_sequential_reader_stops() {
    same_as_sequential("first_name\nمحمد\n", 20);
    same_as_sequential("", 20);
    same_as_sequential("\n\n", 20);
    let open_quote = format!("{HEADER}R1,a,,M,\nR2,\"never closed,,M,\nR3,b,,M,\n");
    same_as_sequential(&open_quote, 20);
    same_as_sequential(&format!("{HEADER}R1,\u{7},,M,\nR2,\u{ff}\n"), 20);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any mix of rows, quotes and line breaks reads as the sequential reader reads it.
    #[test]
    fn any_file_reads_as_the_sequential_reader_reads_it(
        rows in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just("R1".to_owned()), Just("R2".to_owned()), Just("محمد".to_owned()),
                Just("\"q,\"\"\n\"".to_owned()), Just("x\"y".to_owned()), Just(String::new()),
                Just("M".to_owned()), Just("1980".to_owned()),
            ], 1..6),
            0..8,
        ),
        breaks in proptest::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")], 8),
        max in 1usize..4,
    ) {
        let mut file = HEADER.to_owned();
        for (row, br) in rows.iter().zip(breaks.iter().cycle()) {
            file.push_str(&row.join(","));
            file.push_str(br);
        }
        let expected = read_all_collecting(file.as_bytes(), TODAY, max);
        for part_bytes in [1, 2, 5, 17, 64] {
            prop_assert_eq!(parallel(&file, 2, part_bytes, max), expected.clone());
        }
    }
}
