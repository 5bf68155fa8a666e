//! The Syrian national number (الرقم الوطني), as Sijil issues it.
//!
//! Eleven digits: two for the governorate, two for the civil-registry secretariat (أمانة),
//! six for a serial, and one **Verhoeff** check digit over the first ten. Verhoeff was chosen
//! over Luhn and ISO 7064 MOD 11-10 because it is decimal-only (no `X` as in MOD 11-2) and
//! catches every single-digit error and every adjacent transposition, the two slips a clerk
//! makes when copying a number by hand. National numbers are kept as strings: a leading zero
//! is part of the number.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::digits::ascii_digits;

/// Number of digits in a national number, check digit included.
pub const LEN: usize = 11;

/// A national number whose length and check digit are valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NationalNumber(String);

/// Why a string is not a valid national number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NationalNumberError {
    /// A character other than a digit (ASCII or Arabic-Indic) was found.
    #[error("national number must contain only digits, found {found:?} at position {position}")]
    NotADigit {
        /// The offending character.
        found: char,
        /// One-based position of the character.
        position: usize,
    },
    /// The number does not have exactly eleven digits.
    #[error("national number must have {LEN} digits, found {0}")]
    WrongLength(usize),
    /// The last digit does not match the Verhoeff check digit of the first ten.
    #[error("national number check digit is wrong (expected {expected})")]
    BadCheckDigit {
        /// The digit that would have been correct.
        expected: u8,
    },
}

impl NationalNumber {
    /// Parses a national number, accepting ASCII or Arabic-Indic digits and surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, NationalNumberError> {
        let digits = ascii_digits(input.trim())
            .map_err(|(found, position)| NationalNumberError::NotADigit { found, position })?;
        if digits.len() != LEN {
            return Err(NationalNumberError::WrongLength(digits.len()));
        }
        let body: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        let expected = verhoeff_check_digit(&body[..LEN - 1]);
        if body[LEN - 1] != expected {
            return Err(NationalNumberError::BadCheckDigit { expected });
        }
        Ok(Self(digits))
    }

    /// Builds a national number from its parts, computing the check digit.
    ///
    /// `governorate` and `secretariat` must be below 100, `serial` below 1,000,000.
    pub fn from_parts(governorate: u8, secretariat: u8, serial: u32) -> Option<Self> {
        if governorate >= 100 || secretariat >= 100 || serial >= 1_000_000 {
            return None;
        }
        let body = format!("{governorate:02}{secretariat:02}{serial:06}");
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        let check = verhoeff_check_digit(&digits);
        Some(Self(format!("{body}{check}")))
    }

    /// The governorate code (first two digits).
    pub fn governorate(&self) -> u8 {
        self.0[0..2].parse().expect("validated digits")
    }

    /// The eleven digits as ASCII.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NationalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for NationalNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NationalNumber {
    type Error = NationalNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NationalNumber> for String {
    fn from(value: NationalNumber) -> Self {
        value.0
    }
}

// Verhoeff tables: multiplication in the dihedral group D5, the permutation, the inverse.
const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check digit for a sequence of decimal digits (each 0..=9).
pub fn verhoeff_check_digit(digits: &[u8]) -> u8 {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = D[c as usize][P[(i + 1) % 8][d as usize] as usize];
    }
    INV[c as usize]
}

/// Whether a sequence of digits ends in its correct Verhoeff check digit.
pub fn verhoeff_valid(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, &d) in digits.iter().rev().enumerate() {
        c = D[c as usize][P[i % 8][d as usize] as usize];
    }
    c == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_verhoeff_vector() {
        // The classic example from Verhoeff's paper and every reference implementation.
        assert_eq!(verhoeff_check_digit(&[2, 3, 6]), 3);
        assert!(verhoeff_valid(&[2, 3, 6, 3]));
        assert_eq!(verhoeff_check_digit(&[1, 2, 3, 4, 5]), 1);
        assert_eq!(verhoeff_check_digit(&[1, 4, 2, 8, 5, 7]), 0);
    }

    #[test]
    fn parse_accepts_arabic_indic_digits() {
        let n = NationalNumber::from_parts(1, 2, 345).unwrap();
        let arabic: String = n
            .as_str()
            .chars()
            .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap())
            .collect();
        assert_eq!(NationalNumber::parse(&arabic).unwrap(), n);
    }

    #[test]
    fn parse_reports_the_position_of_a_bad_character() {
        assert_eq!(
            NationalNumber::parse("0102x000000"),
            Err(NationalNumberError::NotADigit {
                found: 'x',
                position: 5
            })
        );
        assert_eq!(
            NationalNumber::parse("123"),
            Err(NationalNumberError::WrongLength(3))
        );
    }

    proptest! {
        #[test]
        fn built_numbers_parse(g in 0u8..100, s in 0u8..100, serial in 0u32..1_000_000) {
            let n = NationalNumber::from_parts(g, s, serial).unwrap();
            prop_assert_eq!(n.as_str().len(), LEN);
            prop_assert_eq!(NationalNumber::parse(n.as_str()), Ok(n.clone()));
            prop_assert_eq!(n.governorate(), g);
        }

        #[test]
        fn any_single_digit_error_is_caught(
            g in 0u8..100, s in 0u8..100, serial in 0u32..1_000_000, pos in 0usize..LEN, delta in 1u8..10
        ) {
            let n = NationalNumber::from_parts(g, s, serial).unwrap();
            let mut bytes = n.as_str().as_bytes().to_vec();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(NationalNumber::parse(&changed).is_err());
        }

        #[test]
        fn any_adjacent_transposition_is_caught(
            g in 0u8..100, s in 0u8..100, serial in 0u32..1_000_000, pos in 0usize..LEN - 1
        ) {
            let n = NationalNumber::from_parts(g, s, serial).unwrap();
            let mut bytes = n.as_str().as_bytes().to_vec();
            prop_assume!(bytes[pos] != bytes[pos + 1]);
            bytes.swap(pos, pos + 1);
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(NationalNumber::parse(&changed).is_err());
        }
    }
}
