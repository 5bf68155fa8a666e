//! The `sijil` binary, run for real in a temporary directory. One test binary; a module per
//! subcommand, each with its own themes.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use sijil_core::NationalNumber;
use sijil_store::{AuditQuery, Stats, Store, sqlite::SqliteStore};

/// A temporary directory with a data directory inside it.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs `sijil --data DIR args…`.
    fn sijil(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sijil"))
            .arg("--data")
            .arg(self.data())
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SIJIL_DATA")
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    }

    fn file(&self, name: &str, contents: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn store(&self) -> SqliteStore {
        block_on(SqliteStore::open(&self.data().join("sijil.db"))).unwrap()
    }

    fn stats(&self) -> Stats {
        let store = self.store();
        let stats = block_on(store.stats()).unwrap();
        block_on(store.close());
        stats
    }

    fn import(&self, file: &str) -> Output {
        self.sijil(&["import", file])
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

const HEADER: &str = "record_id,first_name,father_name,family_name,mother_name,sex,birth_date,birth_place,registry_place,registry_number,national_number,source\n";

/// `n` valid rows with ids `{prefix}1…`: different people of one family, except that every
/// third row is one more record of the same woman, who carries the national number `nn`.
fn rows(prefix: &str, n: usize, nn: &NationalNumber) -> String {
    let first = ["محمد", "فاطمة", "Ahmad", "ليلى", "عمر"];
    (1..=n)
        .map(|i| {
            if i % 3 == 0 {
                let nn = nn.as_str();
                return format!(
                    "{prefix}{i},سلمى,أحمد,الحلبي,\"مريم\",F,1980-05-15,حلب,حلب,42,{nn},test\n"
                );
            }
            let sex = if i % 2 == 0 { "F" } else { "M" };
            format!(
                "{prefix}{i},{},أحمد,الحلبي,\"مريم\",{sex},19{:02}-0{}-1{},حلب,حلب,{},,test\n",
                first[i % first.len()],
                50 + i % 50,
                1 + i % 9,
                i % 10,
                100 + i
            )
        })
        .collect()
}

fn nn(serial: u32) -> NationalNumber {
    NationalNumber::from_parts(2, 1, serial).unwrap()
}

/// The state a refused import must leave untouched.
fn snapshot(s: &Sandbox) -> (Stats, String) {
    let head = s.sijil(&["audit", "head"]);
    assert_exit(&head, 0);
    (s.stats(), stdout(&head))
}

mod generate;
mod serve;
mod verify;

mod import {
    use super::*;

    #[test]
    fn a_good_file_is_imported_whole_and_audited_with_its_digest() {
        let s = Sandbox::new();
        let csv = format!("{HEADER}{}", rows("A", 10, &nn(7)));
        let file = s.file("people.csv", &csv);
        let out = s.import(&file);
        assert_exit(&out, 0);
        assert!(
            stdout(&out).contains("imported 10 records"),
            "{}",
            stdout(&out)
        );

        // Rows 3, 6 and 9 share a national number: one person for the three.
        let stats = s.stats();
        assert_eq!((stats.source_records, stats.persons), (10, 8));

        let list = s.sijil(&["audit", "list", "--action", "records.import"]);
        assert_exit(&list, 0);
        let digest = blake3::hash(csv.as_bytes()).to_hex().to_string();
        let listed = stdout(&list);
        assert_eq!(listed.lines().count(), 1, "{listed}");
        assert!(listed.contains(&digest), "{listed}");
        assert!(
            listed.contains("system") && listed.contains("CENTRAL"),
            "{listed}"
        );

        // The person holding the national number has all three records.
        let store = s.store();
        let id = block_on(store.person_id_by_national_number(&nn(7)))
            .unwrap()
            .unwrap();
        let actor = sijil_store::Actor::system(sijil_store::bootstrap::central_office_code());
        let person = block_on(store.person(id, &actor)).unwrap();
        assert_eq!(person.records.len(), 3);
        assert_eq!(person.records[0].capture.office.as_str(), "CENTRAL");
    }

    #[test]
    fn a_second_file_links_to_persons_of_the_first() {
        let s = Sandbox::new();
        let a = s.file("a.csv", &format!("{HEADER}{}", rows("A", 3, &nn(11))));
        let b = s.file("b.csv", &format!("{HEADER}{}", rows("B", 3, &nn(11))));
        assert_exit(&s.import(&a), 0);
        let out = s.import(&b);
        assert_exit(&out, 0);
        // The same three people again: each record is linked to its person.
        assert!(stdout(&out).contains(" 0 new persons"), "{}", stdout(&out));
        assert_eq!(s.stats().persons, 3);
    }

    #[test]
    fn a_bad_date_on_line_7_refuses_the_file_and_changes_nothing() {
        let s = Sandbox::new();
        assert_exit(
            &s.import(&s.file("good.csv", &format!("{HEADER}{}", rows("G", 4, &nn(1))))),
            0,
        );
        let before = snapshot(&s);

        let mut csv = format!("{HEADER}{}", rows("A", 5, &nn(2)));
        csv.push_str("A6,علي,أحمد,الحلبي,مريم,M,1990-02-30,حلب,حلب,7,,test\n");
        csv.push_str(&rows("B", 3, &nn(3)));
        let out = s.import(&s.file("bad.csv", &csv));
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("line 7, column birth_date"), "{err}");
        assert!(err.contains("السطر 7، العمود birth_date"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(snapshot(&s), before);
    }

    #[test]
    fn a_refused_file_does_not_even_create_the_registry() {
        let s = Sandbox::new();
        let out = s.import(&s.file("bad.csv", "first_name\nعلي\n"));
        assert_exit(&out, 2);
        assert!(
            stderr(&out).contains("line 1, column record_id"),
            "{}",
            stderr(&out)
        );
        assert!(!s.data().exists());
    }

    #[test]
    fn a_record_id_twice_in_the_file_is_refused_naming_both_lines() {
        let s = Sandbox::new();
        let mut csv = format!("{HEADER}{}", rows("A", 4, &nn(2)));
        csv.push_str(&rows("A", 1, &nn(3)));
        let out = s.import(&s.file("dup.csv", &csv));
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains("line 6, column record_id: \"A1\" is already used on line 2"),
            "{err}"
        );
    }

    #[test]
    fn a_record_id_already_registered_is_refused_naming_its_line() {
        let s = Sandbox::new();
        assert_exit(
            &s.import(&s.file("a.csv", &format!("{HEADER}{}", rows("A", 3, &nn(1))))),
            0,
        );
        let before = snapshot(&s);
        let csv = format!("{HEADER}{}{}", rows("B", 2, &nn(1)), rows("A", 1, &nn(1)));
        let out = s.import(&s.file("again.csv", &csv));
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains("line 4, column record_id: \"A1\" is already in the registry"),
            "{err}"
        );
        assert_eq!(snapshot(&s), before);
    }

    #[test]
    fn records_can_be_credited_to_an_existing_office_only() {
        let s = Sandbox::new();
        let file = s.file("a.csv", &format!("{HEADER}{}", rows("A", 2, &nn(1))));
        let out = s.sijil(&["import", &file, "--office", "ALP-01"]);
        assert_exit(&out, 2);
        assert!(
            stderr(&out).contains("office ALP-01 does not exist"),
            "{}",
            stderr(&out)
        );
        // Not even the central office was created.
        assert_eq!(s.stats(), Stats::default());
        assert_exit(&s.sijil(&["import", &file, "--office", "CENTRAL"]), 0);
        let out = s.sijil(&["import", &file, "--office", "lower case"]);
        assert_exit(&out, 2);
    }

    #[test]
    fn a_file_with_only_a_header_imports_nothing() {
        let s = Sandbox::new();
        let out = s.import(&s.file("empty.csv", HEADER));
        assert_exit(&out, 0);
        assert!(stdout(&out).contains("no records"), "{}", stdout(&out));
    }

    #[test]
    fn a_missing_file_is_an_input_error() {
        let s = Sandbox::new();
        let out = s.import("no-such-file.csv");
        assert_exit(&out, 2);
        assert!(
            stderr(&out).contains("cannot open no-such-file.csv"),
            "{}",
            stderr(&out)
        );
    }
}

mod audit {
    use super::*;

    fn with_history() -> Sandbox {
        let s = Sandbox::new();
        for (name, prefix) in [("a.csv", "A"), ("b.csv", "B"), ("c.csv", "C")] {
            let file = s.file(name, &format!("{HEADER}{}", rows(prefix, 3, &nn(1))));
            assert_exit(&s.import(&file), 0);
        }
        s
    }

    #[test]
    fn verify_reports_an_intact_chain_and_its_head() {
        let s = with_history();
        let head = stdout(&s.sijil(&["audit", "head"]));
        let (count, hash) = head.trim().split_once(' ').unwrap();
        assert_eq!(
            count, "5",
            "office creation, the first model, three imports"
        );
        let out = s.sijil(&["audit", "verify"]);
        assert_exit(&out, 0);
        assert_eq!(
            stdout(&out).trim(),
            format!("audit log intact: 5 entries, head {hash}")
        );
        let out = s.sijil(&["audit", "verify", "--anchor", head.trim()]);
        assert_exit(&out, 0);
    }

    #[test]
    fn verify_finds_an_entry_changed_behind_the_triggers() {
        let s = with_history();
        tamper(
            &s.data().join("sijil.db"),
            "UPDATE audit_log SET detail = '{}' WHERE seq = 3",
        );
        let out = s.sijil(&["audit", "verify"]);
        assert_exit(&out, 1);
        let text = stdout(&out);
        assert!(text.contains("BROKEN at entry 3"), "{text}");
        assert!(text.contains("the entry was changed"), "{text}");
        assert!(text.contains("2 entries verified"), "{text}");
    }

    #[test]
    fn verify_against_an_anchor_finds_a_rewritten_log() {
        let s = with_history();
        let head = stdout(&s.sijil(&["audit", "head"]));
        // A wrong hash stands in for a log rewritten with every hash recomputed.
        let (seq, _) = head.trim().split_once(' ').unwrap();
        let forged = format!("{seq}:{}", "ab".repeat(32));
        let out = s.sijil(&["audit", "verify", "--anchor", &forged]);
        assert_exit(&out, 1);
        assert!(
            stdout(&out).contains("does NOT match the anchor"),
            "{}",
            stdout(&out)
        );
        let out = s.sijil(&[
            "audit",
            "verify",
            "--anchor",
            &format!("99:{}", "ab".repeat(32)),
        ]);
        assert_exit(&out, 1);
        assert!(
            stdout(&out).contains("entries were removed"),
            "{}",
            stdout(&out)
        );
        assert_exit(&s.sijil(&["audit", "verify", "--anchor", "nonsense"]), 2);
    }

    #[test]
    fn list_filters_and_limits() {
        let s = with_history();
        let out = s.sijil(&["audit", "list", "--limit", "2"]);
        assert_exit(&out, 0);
        let text = stdout(&out);
        let seqs: Vec<&str> = text
            .lines()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(seqs, ["5", "4"]);
        let out = s.sijil(&[
            "audit",
            "list",
            "--action",
            "office.create",
            "--actor",
            "system",
        ]);
        assert_eq!(stdout(&out).lines().count(), 1);
        let out = s.sijil(&["audit", "list", "--subject", "office:CENTRAL"]);
        assert_eq!(stdout(&out).lines().count(), 1);
        assert_exit(&s.sijil(&["audit", "list", "--limit", "0"]), 2);
    }

    #[test]
    fn an_empty_log_is_intact() {
        let s = Sandbox::new();
        let out = s.sijil(&["audit", "verify"]);
        assert_exit(&out, 0);
        assert!(stdout(&out).starts_with("audit log intact: 0 entries"));
        let store = s.store();
        let entries = block_on(store.audit_entries(&AuditQuery {
            limit: 10,
            ..Default::default()
        }))
        .unwrap();
        assert!(entries.is_empty());
    }

    /// Changes the database the way an intruder with file access would.
    fn tamper(db: &Path, sql: &'static str) {
        block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display()))
                .await
                .unwrap();
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        });
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let s = Sandbox::new();
    assert_exit(&s.sijil(&["no-such-command"]), 2);
    assert_exit(&s.sijil(&["import"]), 2);
}
