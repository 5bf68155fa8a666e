//! The ID-card zone (TD1, Doc 9303 Part 5): three lines of 30 characters.
//!
//! ```text
//! line 1: I<  SYR  document no. (9) + check | optional data (15)
//!         1-2 3-5  6-14, 15                 | 16-30
//! line 2: birth + check | sex | expiry + check | nationality | optional data (11) | composite
//!         1-6, 7        | 8   | 9-14, 15       | 16-18       | 19-29              | 30
//! line 3: name (30)
//! ```
//!
//! The composite covers line 1 positions 6–30 and line 2 positions 1–7, 9–15 and 19–29.
//!
//! A document number longer than 9 characters overflows (Part 5, note j): its first 9 characters
//! fill positions 6–14, position 15 holds `<`, and the rest of the number followed by the check
//! digit (over the whole number) opens the optional data; a `<` then separates the optional
//! data proper. The ICAO example is `I<UTOD23145890<7349<<<<<<<<<<<` for `D23145890734`.

use super::{
    MrzData, MrzDate, MrzError, MrzField, MrzFormat, MrzName, ParsedMrz, check_digit,
    check_number_fillers, pad, read_code, read_sex, read_state, require_complete, shape, trim_fill,
    verify_check, write_code, write_date, write_sex, write_state,
};

const NAME_WIDTH: usize = 30;
const CODES: &[u8] = b"IAC";

pub(super) fn write(d: &MrzData) -> Result<String, MrzError> {
    let code = write_code(&d.document_code, CODES, MrzField::DocumentCode)?;
    let state = write_state(&d.issuing_state, MrzField::IssuingState)?;
    let number = &d.document_number;
    if number.is_empty()
        || !number
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(MrzError::InvalidInput {
            field: MrzField::DocumentNumber,
            reason: format!("{number:?} is not a document number (1 or more of A-Z and 0-9)"),
        });
    }
    let check = char::from(check_digit(number.as_bytes()));
    let (number_field, optional) = if number.len() <= 9 {
        (
            format!("{number:<<9}{check}"),
            pad(&d.optional_data, 15, MrzField::OptionalData, true)?,
        )
    } else {
        let mut opt = format!("{}{check}", &number[9..]);
        if !d.optional_data.is_empty() {
            opt.push('<');
            opt.push_str(&d.optional_data);
        }
        if opt.len() > 15 {
            return Err(MrzError::InvalidInput {
                field: MrzField::DocumentNumber,
                reason: format!(
                    "a {}-character document number with {} characters of optional data does not fit",
                    number.len(),
                    d.optional_data.len()
                ),
            });
        }
        (
            format!("{}<", &number[..9]),
            pad(&opt, 15, MrzField::OptionalData, true)?,
        )
    };
    let birth = write_date(&d.birth_date, MrzField::BirthDate, false)?;
    let expiry = write_date(&d.expiry_date, MrzField::ExpiryDate, true)?;
    let nationality = write_state(&d.nationality, MrzField::Nationality)?;
    let optional_2 = pad(&d.optional_data_2, 11, MrzField::OptionalData2, true)?;
    let (name, _) = d.name.field(NAME_WIDTH);

    let l1 = format!("{code}{state}{number_field}{optional}");
    let mut l2 = String::with_capacity(30);
    l2.push_str(&birth);
    l2.push(char::from(check_digit(birth.as_bytes())));
    l2.push(write_sex(d.sex));
    l2.push_str(&expiry);
    l2.push(char::from(check_digit(expiry.as_bytes())));
    l2.push_str(&nationality);
    l2.push_str(&optional_2);
    let composite = composite_input(l1.as_bytes(), l2.as_bytes());
    l2.push(char::from(check_digit(&composite)));
    Ok(format!("{l1}\n{l2}\n{name}"))
}

fn composite_input(l1: &[u8], l2: &[u8]) -> Vec<u8> {
    [&l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]].concat()
}

/// Reads an ID-card zone (three lines of 30, or one run of 90), checking every check digit and
/// undoing a document-number overflow.
pub fn parse_td1(text: &str) -> Result<ParsedMrz, MrzError> {
    let lines = shape(text, MrzFormat::Td1)?;
    let (l1, l2, l3) = (&lines[0], &lines[1], &lines[2]);

    let document_code = read_code(&l1[0..2], CODES, 1)?;
    let issuing_state = read_state(&l1[2..5], MrzField::IssuingState, 1, 2)?;
    let number_part = &l1[5..14];
    let overflow = l1[14] == b'<' && !number_part.contains(&b'<');
    let (document_number, optional_data) = if overflow {
        let opt = &l1[15..30];
        let k = opt.iter().position(|&c| c == b'<').unwrap_or(opt.len());
        if k < 2 || !opt[k - 1].is_ascii_digit() {
            return Err(MrzError::InvalidField {
                field: MrzField::DocumentNumber,
                line: 1,
                position: 16,
                reason: "position 15 marks an overflowing document number, but the optional data \
                         does not start with its remaining characters and a check digit"
                    .into(),
            });
        }
        let number: Vec<u8> = [number_part, &opt[..k - 1]].concat();
        verify_check(&number, opt[k - 1], MrzField::DocumentNumber, 1, 15 + k - 1)?;
        let rest = if k < opt.len() {
            &opt[k + 1..]
        } else {
            &[][..]
        };
        (
            String::from_utf8_lossy(&number).into_owned(),
            trim_fill(rest),
        )
    } else {
        check_number_fillers(number_part, 1, 5)?;
        verify_check(number_part, l1[14], MrzField::DocumentNumber, 1, 14)?;
        (trim_fill(number_part), trim_fill(&l1[15..30]))
    };

    let birth_date = MrzDate::parse(
        &String::from_utf8_lossy(&l2[0..6]),
        MrzField::BirthDate,
        2,
        1,
    )?;
    verify_check(&l2[0..6], l2[6], MrzField::BirthDate, 2, 6)?;
    let sex = read_sex(l2[7], 2, 7)?;
    let expiry = MrzDate::parse(
        &String::from_utf8_lossy(&l2[8..14]),
        MrzField::ExpiryDate,
        2,
        9,
    )?;
    let expiry_date = require_complete(expiry, MrzField::ExpiryDate, 2, 8)?;
    verify_check(&l2[8..14], l2[14], MrzField::ExpiryDate, 2, 14)?;
    let nationality = read_state(&l2[15..18], MrzField::Nationality, 2, 15)?;
    verify_check(&composite_input(l1, l2), l2[29], MrzField::Composite, 2, 29)?;

    let name_text = String::from_utf8_lossy(l3);
    let (name, full) =
        MrzName::from_field(&name_text).map_err(|(pos, reason)| MrzError::InvalidField {
            field: MrzField::Name,
            line: 3,
            position: pos,
            reason: reason.into(),
        })?;

    Ok(ParsedMrz {
        format: MrzFormat::Td1,
        data: MrzData {
            document_code,
            issuing_state,
            name,
            document_number,
            nationality,
            birth_date,
            sex,
            expiry_date,
            optional_data,
            optional_data_2: trim_fill(&l2[18..29]),
        },
        name_possibly_truncated: full,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sijil_core::Sex;
    use time::macros::date;

    const SPECIMEN: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                            7408122F1204159UTO<<<<<<<<<<<6\n\
                            ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    fn specimen() -> MrzData {
        MrzData {
            document_code: "I<".into(),
            issuing_state: "UTO".into(),
            name: MrzName::transliterate("Eriksson", "Anna Maria").unwrap(),
            document_number: "D23145890".into(),
            nationality: "UTO".into(),
            birth_date: MrzDate::from_date(date!(1974 - 08 - 12)),
            sex: Some(Sex::Female),
            expiry_date: MrzDate::from_date(date!(2012 - 04 - 15)),
            optional_data: String::new(),
            optional_data_2: String::new(),
        }
    }

    #[test]
    fn writes_and_reads_the_icao_specimen() {
        assert_eq!(specimen().to_td1().unwrap(), SPECIMEN);
        let parsed = parse_td1(SPECIMEN).unwrap();
        assert_eq!(parsed.data, specimen());
        assert_eq!(parsed.format, MrzFormat::Td1);
    }

    #[test]
    fn a_long_document_number_overflows_as_in_the_icao_example() {
        let mut d = specimen();
        d.document_number = "D23145890734".into();
        let text = d.to_td1().unwrap();
        assert_eq!(
            text.lines().next().unwrap(),
            "I<UTOD23145890<7349<<<<<<<<<<<"
        );
        assert_eq!(parse_td1(&text).unwrap().data, d);

        d.optional_data = "1234567890".into();
        let text = d.to_td1().unwrap();
        assert_eq!(
            text.lines().next().unwrap(),
            "I<UTOD23145890<7349<1234567890"
        );
        assert_eq!(parse_td1(&text).unwrap().data, d);

        d.optional_data = "12345678901".into();
        assert!(matches!(
            d.to_td1(),
            Err(MrzError::InvalidInput {
                field: MrzField::DocumentNumber,
                ..
            })
        ));
    }

    #[test]
    fn each_wrong_check_digit_is_named() {
        let lines: Vec<&str> = SPECIMEN.lines().collect();
        let cases = [
            (0, 14, MrzField::DocumentNumber),
            (1, 6, MrzField::BirthDate),
            (1, 14, MrzField::ExpiryDate),
            (1, 29, MrzField::Composite),
        ];
        for (line, at, want) in cases {
            let mut ls: Vec<Vec<u8>> = lines.iter().map(|l| l.as_bytes().to_vec()).collect();
            ls[line][at] = if ls[line][at] == b'9' { b'8' } else { b'9' };
            let text: Vec<String> = ls
                .into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect();
            match parse_td1(&text.join("\n")) {
                Err(MrzError::BadCheckDigit {
                    field,
                    line: l,
                    position,
                    ..
                }) => {
                    assert_eq!((field, l, position), (want, line + 1, at + 1));
                }
                other => panic!("{want}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_changed_optional_field_breaks_the_composite() {
        let text = SPECIMEN.replacen("<<<<<<<<<<<<<<<\n", "<<<<<<<<<<<<<<1\n", 1);
        assert!(matches!(
            parse_td1(&text),
            Err(MrzError::BadCheckDigit {
                field: MrzField::Composite,
                line: 2,
                position: 30,
                ..
            })
        ));
    }
}
