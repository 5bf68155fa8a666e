//! Any bytes as a JSON record (what the API receives): decoding and validation never panic,
//! and whatever validates survives a round trip through its interchange form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijil_core::{NumberPolicy, RecordRow};
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let Ok(row) = serde_json::from_slice::<RecordRow>(data) else {
        return;
    };
    let today = date!(2026 - 11 - 29);
    for policy in [NumberPolicy::Refuse, NumberPolicy::KeepUnverified] {
        match row.validate_with(today, policy) {
            Ok(record) => {
                let again = record
                    .to_row()
                    .validate_with(today, policy)
                    .expect("a valid record stays valid");
                assert_eq!(again, record);
            }
            Err(errors) => {
                assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    let _ = (e.problem.message_en(), e.problem.message_ar());
                }
            }
        }
    }
});
