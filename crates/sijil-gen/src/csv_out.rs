//! CSV output: the interchange columns, RFC 4180 quoting where a value needs it.
//!
//! Written by hand because the rows are simple and the hot loop should not allocate: every
//! value is appended to one growing byte buffer per chunk. Lines end in `\n`.

/// The columns of `records.csv`, in the order of `interchange.md` (the domain's own list).
pub use sijil_core::record::COLUMNS;

/// The columns of `truth.csv`.
pub const TRUTH_COLUMNS: [&str; 2] = ["record_id", "person_id"];

/// Appends one value, quoted when it holds a comma, a quote or a line break.
pub(crate) fn push_field(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// A header line.
pub(crate) fn header(columns: &[&str]) -> Vec<u8> {
    let mut h = columns.join(",").into_bytes();
    h.push(b'\n');
    h
}

/// Appends an identifier: `prefix` then `n` zero-padded to `width`.
pub(crate) fn push_id(buf: &mut Vec<u8>, prefix: u8, n: u64, width: usize) {
    buf.push(prefix);
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut v = n;
    loop {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.resize(buf.len() + width.saturating_sub(len), b'0');
    buf.extend(digits[..len].iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        let mut b = Vec::new();
        push_field(&mut b, "plain");
        b.push(b',');
        push_field(&mut b, "a,b");
        b.push(b',');
        push_field(&mut b, "say \"hi\"");
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\""
        );
    }

    #[test]
    fn ids_are_padded() {
        let mut b = Vec::new();
        push_id(&mut b, b'R', 42, 7);
        push_id(&mut b, b'P', 123_456_789, 7);
        assert_eq!(String::from_utf8(b).unwrap(), "R0000042P123456789");
    }
}
