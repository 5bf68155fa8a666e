//! Finding people by parts of their names, in either script.

use sijil_match::{Index, ModelSource, Query, Settings, dedup};

use crate::common::{population, record};

fn index() -> Index<u32> {
    let pop = population(1000, 4);
    let model = dedup(&pop.records, ModelSource::Train(Settings::default()), &())
        .model()
        .clone();
    let mut index = Index::new(model);
    for (i, r) in pop.records.iter().enumerate() {
        index.insert(r, i as u32);
    }
    index.insert(
        &record(
            "X1",
            &[
                ("first_name", "يوسف"),
                ("father_name", "إبراهيم"),
                ("family_name", "الطرابيشي"),
                ("birth_date", "1975-02-03"),
                ("birth_place", "حمص"),
            ],
        ),
        900_001,
    );
    index.insert(
        &record(
            "X2",
            &[
                ("first_name", "Yusuf"),
                ("father_name", "Ibrahim"),
                ("family_name", "Tarabishi"),
                ("birth_date", "1999"),
                ("source", "tr_migration"),
            ],
        ),
        900_002,
    );
    index
}

#[test]
fn latin_queries_find_arabic_records_and_the_other_way_round() {
    let index = index();
    for names in ["Youssef Tarabishi", "يوسف الطرابيشي", "Tarabichi Youcef"] {
        let hits = index.search(&Query {
            names: names.into(),
            ..Default::default()
        });
        let persons: Vec<u32> = hits.iter().take(2).map(|h| h.person).collect();
        assert!(persons.contains(&900_001), "{names}: {persons:?}");
        assert!(persons.contains(&900_002), "{names}: {persons:?}");
    }
}

#[test]
fn the_birth_year_and_place_rank_the_right_person_first() {
    let index = index();
    let q = |year, place: Option<&str>| Query {
        names: "يوسف ابراهيم طرابيشي".into(),
        birth_year: Some(year),
        place: place.map(str::to_owned),
        limit: 5,
    };
    assert_eq!(index.search(&q(1975, Some("حمص")))[0].person, 900_001);
    assert_eq!(index.search(&q(1999, None))[0].person, 900_002);
    let hits = index.search(&q(1975, None));
    assert!(hits.len() <= 5);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn an_empty_or_unknown_query_finds_nothing() {
    let index = index();
    assert!(index.search(&Query::default()).is_empty());
    let hits = index.search(&Query {
        names: "Zzyzx Qwrtp".into(),
        ..Default::default()
    });
    assert!(hits.is_empty(), "{hits:?}");
}
