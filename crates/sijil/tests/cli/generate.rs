//! `sijil gen`: deterministic files in the interchange format that `sijil import` accepts.

use super::*;

#[test]
fn the_same_seed_gives_the_same_files_and_they_import() {
    let s = Sandbox::new();
    let out_a = s.dir.path().join("a");
    let out_b = s.dir.path().join("b");
    for out in [&out_a, &out_b] {
        let o = s.sijil(&[
            "gen",
            "--people",
            "500",
            "--seed",
            "7",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_exit(&o, 0);
        assert!(stdout(&o).contains("wrote 500 people"), "{}", stdout(&o));
    }
    let read = |dir: &Path, f: &str| std::fs::read(dir.join(f)).unwrap();
    assert_eq!(read(&out_a, "records.csv"), read(&out_b, "records.csv"));
    assert_eq!(read(&out_a, "truth.csv"), read(&out_b, "truth.csv"));
    let truth = String::from_utf8(read(&out_a, "truth.csv")).unwrap();
    assert!(truth.starts_with("record_id,person_id\n"));
    let records = truth.lines().count() - 1;
    assert!(
        (500..=2000).contains(&records),
        "{records} records for 500 people"
    );
    assert!(!s.dir.path().join("a/.records.csv.partial").exists());

    let o = s.import(out_a.join("records.csv").to_str().unwrap());
    assert_exit(&o, 0);
    assert_eq!(s.stats().source_records, records as i64);
}

#[test]
fn a_different_seed_gives_different_people() {
    let s = Sandbox::new();
    for seed in ["1", "2"] {
        let out = s.dir.path().join(seed);
        assert_exit(
            &s.sijil(&[
                "gen",
                "--people",
                "50",
                "--seed",
                seed,
                "--out",
                out.to_str().unwrap(),
            ]),
            0,
        );
    }
    let a = std::fs::read(s.dir.path().join("1/records.csv")).unwrap();
    let b = std::fs::read(s.dir.path().join("2/records.csv")).unwrap();
    assert_ne!(a, b);
}
