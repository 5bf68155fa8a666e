//! The passport zone (TD3, Doc 9303 Part 4): two lines of 44 characters.
//!
//! ```text
//! line 1: P<  SYR  name (39)
//!         1-2 3-5  6-44
//! line 2: document no. (9) + check | nationality | birth + check | sex | expiry + check |
//!         1-9, 10                  | 11-13       | 14-19, 20     | 21  | 22-27, 28      |
//!         personal no. (14) + check | composite
//!         29-42, 43                 | 44 (over 1-10, 14-20, 22-43)
//! ```

use super::{
    MrzData, MrzDate, MrzError, MrzField, MrzFormat, MrzName, ParsedMrz, check_digit,
    check_number_fillers, pad, read_code, read_sex, read_state, require_complete, shape, trim_fill,
    verify_check, write_code, write_date, write_sex, write_state,
};

const NAME_WIDTH: usize = 39;

pub(super) fn write(d: &MrzData) -> Result<String, MrzError> {
    let code = write_code(&d.document_code, b"P", MrzField::DocumentCode)?;
    let state = write_state(&d.issuing_state, MrzField::IssuingState)?;
    let (name, _) = d.name.field(NAME_WIDTH);
    if !d.optional_data_2.is_empty() {
        return Err(MrzError::InvalidInput {
            field: MrzField::OptionalData2,
            reason: "a passport zone has no second optional-data field".into(),
        });
    }
    if d.document_number.is_empty() {
        return Err(MrzError::InvalidInput {
            field: MrzField::DocumentNumber,
            reason: "the document number is empty".into(),
        });
    }
    let number = pad(&d.document_number, 9, MrzField::DocumentNumber, false)?;
    let nationality = write_state(&d.nationality, MrzField::Nationality)?;
    let birth = write_date(&d.birth_date, MrzField::BirthDate, false)?;
    let expiry = write_date(&d.expiry_date, MrzField::ExpiryDate, true)?;
    let personal = pad(&d.optional_data, 14, MrzField::PersonalNumber, true)?;
    // An empty personal number may have `<` as its check digit (Doc 9303 Part 4, 4.2.2).
    let personal_check = if d.optional_data.is_empty() {
        b'<'
    } else {
        check_digit(personal.as_bytes())
    };

    let mut l2 = String::with_capacity(44);
    l2.push_str(&number);
    l2.push(char::from(check_digit(number.as_bytes())));
    l2.push_str(&nationality);
    l2.push_str(&birth);
    l2.push(char::from(check_digit(birth.as_bytes())));
    l2.push(write_sex(d.sex));
    l2.push_str(&expiry);
    l2.push(char::from(check_digit(expiry.as_bytes())));
    l2.push_str(&personal);
    l2.push(char::from(personal_check));
    let b = l2.as_bytes();
    let composite: Vec<u8> = [&b[0..10], &b[13..20], &b[21..43]].concat();
    l2.push(char::from(check_digit(&composite)));
    Ok(format!("{code}{state}{name}\n{l2}"))
}

/// Reads a passport zone (two lines of 44, or one run of 88), checking every check digit.
pub fn parse_td3(text: &str) -> Result<ParsedMrz, MrzError> {
    let lines = shape(text, MrzFormat::Td3)?;
    let (l1, l2) = (&lines[0], &lines[1]);

    let document_code = read_code(&l1[0..2], b"P", 1)?;
    let issuing_state = read_state(&l1[2..5], MrzField::IssuingState, 1, 2)?;
    let name_text = String::from_utf8_lossy(&l1[5..44]);
    let (name, full) =
        MrzName::from_field(&name_text).map_err(|(pos, reason)| MrzError::InvalidField {
            field: MrzField::Name,
            line: 1,
            position: 5 + pos,
            reason: reason.into(),
        })?;

    check_number_fillers(&l2[0..9], 2, 0)?;
    verify_check(&l2[0..9], l2[9], MrzField::DocumentNumber, 2, 9)?;
    let nationality = read_state(&l2[10..13], MrzField::Nationality, 2, 10)?;
    let birth_date = MrzDate::parse(
        &String::from_utf8_lossy(&l2[13..19]),
        MrzField::BirthDate,
        2,
        14,
    )?;
    verify_check(&l2[13..19], l2[19], MrzField::BirthDate, 2, 19)?;
    let sex = read_sex(l2[20], 2, 20)?;
    let expiry = MrzDate::parse(
        &String::from_utf8_lossy(&l2[21..27]),
        MrzField::ExpiryDate,
        2,
        22,
    )?;
    let expiry_date = require_complete(expiry, MrzField::ExpiryDate, 2, 21)?;
    verify_check(&l2[21..27], l2[27], MrzField::ExpiryDate, 2, 27)?;
    let personal = &l2[28..42];
    if !(personal.iter().all(|&c| c == b'<') && matches!(l2[42], b'<' | b'0')) {
        verify_check(personal, l2[42], MrzField::PersonalNumber, 2, 42)?;
    }
    let composite: Vec<u8> = [&l2[0..10], &l2[13..20], &l2[21..43]].concat();
    verify_check(&composite, l2[43], MrzField::Composite, 2, 43)?;

    Ok(ParsedMrz {
        format: MrzFormat::Td3,
        data: MrzData {
            document_code,
            issuing_state,
            name,
            document_number: trim_fill(&l2[0..9]),
            nationality,
            birth_date,
            sex,
            expiry_date,
            optional_data: trim_fill(personal),
            optional_data_2: String::new(),
        },
        name_possibly_truncated: full,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sijil_core::Sex;
    use time::macros::date;

    const SPECIMEN: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                            L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn specimen() -> MrzData {
        MrzData {
            document_code: "P<".into(),
            issuing_state: "UTO".into(),
            name: MrzName::transliterate("Eriksson", "Anna Maria").unwrap(),
            document_number: "L898902C3".into(),
            nationality: "UTO".into(),
            birth_date: MrzDate::from_date(date!(1974 - 08 - 12)),
            sex: Some(Sex::Female),
            expiry_date: MrzDate::from_date(date!(2012 - 04 - 15)),
            optional_data: "ZE184226B".into(),
            optional_data_2: String::new(),
        }
    }

    #[test]
    fn writes_the_icao_specimen() {
        assert_eq!(specimen().to_td3().unwrap(), SPECIMEN);
    }

    #[test]
    fn reads_the_icao_specimen() {
        let parsed = parse_td3(SPECIMEN).unwrap();
        assert_eq!(parsed.data, specimen());
        assert!(!parsed.name_possibly_truncated);
        let one_run: String = SPECIMEN.lines().collect();
        assert_eq!(parse_td3(&one_run).unwrap().data, specimen());
    }

    #[test]
    fn each_wrong_check_digit_is_named() {
        let cases = [
            (9, MrzField::DocumentNumber),
            (19, MrzField::BirthDate),
            (27, MrzField::ExpiryDate),
            (42, MrzField::PersonalNumber),
            (43, MrzField::Composite),
        ];
        for (at, want) in cases {
            let mut l2 = SPECIMEN.lines().nth(1).unwrap().as_bytes().to_vec();
            l2[at] = if l2[at] == b'9' { b'8' } else { b'9' };
            let text = format!(
                "{}\n{}",
                SPECIMEN.lines().next().unwrap(),
                String::from_utf8(l2).unwrap()
            );
            match parse_td3(&text) {
                Err(MrzError::BadCheckDigit {
                    field,
                    line: 2,
                    position,
                    ..
                }) => {
                    assert_eq!((field, position), (want, at + 1));
                }
                other => panic!("{want}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_empty_personal_number_takes_a_filler_check_digit() {
        let mut d = specimen();
        d.optional_data.clear();
        let text = d.to_td3().unwrap();
        assert!(text.ends_with("<<<<<<<<<<<<<<<8"), "{text}");
        assert_eq!(parse_td3(&text).unwrap().data, d);
        // Issuers that write 0 instead are read too (`<` and `0` weigh the same in the
        // composite, so it still holds).
        let mut zero = text.into_bytes();
        let at = zero.len() - 2;
        zero[at] = b'0';
        assert_eq!(
            parse_td3(&String::from_utf8(zero).unwrap()).unwrap().data,
            d
        );
    }

    #[test]
    fn shape_and_alphabet_errors_say_where() {
        assert!(matches!(
            parse_td3("P<UTO"),
            Err(MrzError::WrongShape { .. })
        ));
        let bad = SPECIMEN.replace("ANNA", "ANNa");
        assert!(matches!(
            parse_td3(&bad),
            Err(MrzError::BadCharacter {
                line: 1,
                position: 19,
                found: 'a'
            })
        ));
    }

    #[test]
    fn a_too_long_document_number_is_refused() {
        let mut d = specimen();
        d.document_number = "L898902C3X".into();
        assert!(matches!(
            d.to_td3(),
            Err(MrzError::InvalidInput {
                field: MrzField::DocumentNumber,
                ..
            })
        ));
    }
}
