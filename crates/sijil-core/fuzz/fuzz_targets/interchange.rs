//! Any bytes given to the person-records reader: it must return records or errors naming a
//! line, never panic, and never report a line beyond the input's last.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijil_core::interchange;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    // LF, CRLF and a bare CR each end a line.
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || data[i - 1] != b'\r')))
        .count();
    let lines = breaks as u64 + 1;
    match interchange::read_all_collecting(data, date!(2026 - 11 - 29), 50) {
        Ok(records) => {
            for r in records {
                assert!(r.line >= 2 && r.line <= lines);
            }
        }
        Err(errors) => {
            for e in errors.errors() {
                assert!(e.line() <= lines, "line {} of {lines}", e.line());
                let _ = (e.message_en(), e.message_ar());
            }
        }
    }
});
