//! Digit handling shared by every parser: Arabic-Indic (U+0660–0669) and Eastern Arabic-Indic
//! (U+06F0–06F9) digits are accepted wherever ASCII digits are.

/// Maps one digit in any accepted script to its value.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Converts every digit of `input` to ASCII, leaving other characters alone.
pub fn fold_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| digit_value(c).map_or(c, |d| (b'0' + d) as char))
        .collect()
}

/// Converts a string made only of digits to ASCII digits.
///
/// On failure returns the first non-digit and its one-based position.
pub fn ascii_digits(input: &str) -> Result<String, (char, usize)> {
    input
        .chars()
        .enumerate()
        .map(|(i, c)| digit_value(c).map(|d| (b'0' + d) as char).ok_or((c, i + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_both_arabic_digit_blocks() {
        assert_eq!(fold_digits("١٩٨٠-۰۵-0٣"), "1980-05-03");
        assert_eq!(ascii_digits("١٢a"), Err(('a', 3)));
    }
}
