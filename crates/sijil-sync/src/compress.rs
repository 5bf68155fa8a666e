//! Payload compression, chosen per packet: whichever of the encodings below is smallest.
//!
//! **Wire format: do not edit casually.** The method numbers and the bytes of
//! `dict_v1.txt` are part of every sealed packet: an edit to the dictionary makes every packet
//! compressed with it unreadable. A better dictionary is added as a new method number.
//!
//! Why a dictionary: a payload is ~300 bytes, too little for zstd or deflate to find repeats in
//! (they win a few percent at best). A raw-content dictionary of common Syrian names, family
//! names, places and evidence words lets even the first occurrence of `محمد` or `دفتر عائلة`
//! be a back-reference. Measured numbers are in the crate docs (`examples/packet_size.rs`).

/// Stored as is.
pub const METHOD_NONE: u8 = 0;
/// zstd, no dictionary.
pub const METHOD_ZSTD: u8 = 1;
/// zstd with the frozen dictionary `dict_v1.txt`.
pub const METHOD_ZSTD_DICT_V1: u8 = 2;

/// The frozen version-1 dictionary (raw content: common words of Syrian registrations).
pub const DICT_V1: &[u8] = include_bytes!("dict_v1.txt");

const LEVEL: i32 = 19;

/// Compresses with `method`.
pub fn compress(method: u8, data: &[u8]) -> Vec<u8> {
    let compressed = match method {
        METHOD_ZSTD => zstd::bulk::compress(data, LEVEL),
        METHOD_ZSTD_DICT_V1 => zstd::bulk::Compressor::with_dictionary(LEVEL, DICT_V1)
            .and_then(|mut c| c.compress(data)),
        _ => return data.to_vec(),
    };
    compressed.expect("zstd compressing into memory does not fail")
}

/// The smallest encoding of `data`: `(method, bytes)`.
pub fn compress_best(data: &[u8]) -> (u8, Vec<u8>) {
    [METHOD_ZSTD_DICT_V1, METHOD_ZSTD]
        .into_iter()
        .map(|m| (m, compress(m, data)))
        .chain([(METHOD_NONE, data.to_vec())])
        .min_by_key(|(_, b)| b.len())
        .expect("three candidates")
}

/// Decompresses, refusing anything that would exceed `max` bytes (a decompression bomb) or
/// is not valid for `method`. `None` on any failure.
pub fn decompress(method: u8, data: &[u8], max: usize) -> Option<Vec<u8>> {
    let out = match method {
        METHOD_NONE => Some(data.to_vec()),
        METHOD_ZSTD => zstd::bulk::decompress(data, max).ok(),
        METHOD_ZSTD_DICT_V1 => zstd::bulk::Decompressor::with_dictionary(DICT_V1)
            .and_then(|mut d| d.decompress(data, max))
            .ok(),
        _ => None,
    }?;
    (out.len() <= max).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_round_trips_and_bombs_are_refused() {
        let data = "محمد أحمد الحلبي ".repeat(50).into_bytes();
        for m in [METHOD_NONE, METHOD_ZSTD, METHOD_ZSTD_DICT_V1] {
            let c = compress(m, &data);
            assert_eq!(decompress(m, &c, data.len()).unwrap(), data);
            assert_eq!(decompress(m, &c, data.len() - 1), None);
        }
        assert_eq!(decompress(9, b"x", 10), None);
    }
}
