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
/// Largest zstd window a decoder accepts (128 KiB): a frame cannot make the central allocate
/// more, and payloads compressed in one piece never need more than their own size.
const WINDOW_LOG_MAX: u32 = 17;

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

/// Why a payload could not be decompressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecompressError {
    /// It would exceed the bound (a decompression bomb, or simply too big).
    Oversize,
    /// Not valid for its method, or an unknown method.
    Invalid,
}

/// Decompresses, stopping as soon as the output would exceed `max` bytes, so a bomb costs
/// at most `max` bytes of memory.
pub fn decompress(method: u8, data: &[u8], max: usize) -> Result<Vec<u8>, DecompressError> {
    use std::io::Read;
    let limit = max as u64 + 1;
    // A frame announcing more than the bound is refused before any decoding. (A frame that
    // hides its size is still stopped at the bound, or by the window limit.)
    if method != METHOD_NONE
        && zstd::zstd_safe::get_frame_content_size(data)
            .is_ok_and(|n| n.is_some_and(|n| n > max as u64))
    {
        return Err(DecompressError::Oversize);
    }
    let mut out = Vec::new();
    let read = match method {
        METHOD_NONE => {
            out.extend_from_slice(data);
            Ok(data.len())
        }
        METHOD_ZSTD => zstd::stream::read::Decoder::new(data).and_then(|mut d| {
            d.window_log_max(WINDOW_LOG_MAX)?;
            d.take(limit).read_to_end(&mut out)
        }),
        METHOD_ZSTD_DICT_V1 => zstd::stream::read::Decoder::with_dictionary(data, DICT_V1)
            .and_then(|mut d| {
                d.window_log_max(WINDOW_LOG_MAX)?;
                d.take(limit).read_to_end(&mut out)
            }),
        _ => return Err(DecompressError::Invalid),
    };
    match read {
        _ if out.len() > max => Err(DecompressError::Oversize),
        Ok(_) => Ok(out),
        Err(_) => Err(DecompressError::Invalid),
    }
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
            assert_eq!(
                decompress(m, &c, data.len() - 1),
                Err(DecompressError::Oversize)
            );
        }
        assert_eq!(decompress(9, b"x", 10), Err(DecompressError::Invalid));
        let bomb = compress(METHOD_ZSTD, &vec![0; 10 << 20]);
        assert!(bomb.len() < 1024);
        assert_eq!(
            decompress(METHOD_ZSTD, &bomb, 32 << 10),
            Err(DecompressError::Oversize)
        );
        let mut broken = compress(METHOD_ZSTD_DICT_V1, &data);
        broken.truncate(broken.len() / 2);
        assert_eq!(
            decompress(METHOD_ZSTD_DICT_V1, &broken, 1 << 20),
            Err(DecompressError::Invalid)
        );
    }
}
