//! Resumable upload of a batch of sealed packets, after the tus protocol: pure state machines
//! for both ends; the transport (HTTP `POST`/`PATCH`/`HEAD`, or anything else) is added later.
//!
//! **Wire format: do not edit casually.** An upload is the concatenation of frames, each a
//! 4-byte big-endian length followed by one sealed packet. The central's stored offset is the
//! truth: after a cut the office asks for it (tus `HEAD`) and resumes at exactly that byte, so
//! nothing is sent twice except the chunk that was in flight, and nothing is skipped.
//!
//! The receiver yields each packet as soon as its last byte arrives; the central stores those
//! packets and the new offset (with any partial frame) in one transaction, which is what makes
//! an offset an acknowledgement of every packet wholly before it. [`UploadSender::confirm`]
//! turns an offset back into the packet ids the office may now mark as sent.

use crate::packet::{MAX_PACKET_BYTES, PacketId, SealedPacket};

/// Largest upload accepted (64 MiB: some thousands of packets).
pub const MAX_UPLOAD_BYTES: u64 = 64 << 20;
const FRAME_HEADER: usize = 4;

/// Why a chunk or an offset was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransferError {
    /// The chunk does not start where the receiver is (tus answers 409 Conflict); resume at
    /// `expected`.
    #[error("chunk at offset {got}, expected {expected}")]
    OffsetMismatch {
        /// Where the receiver is.
        expected: u64,
        /// Where the chunk started.
        got: u64,
    },
    /// The chunk goes past the announced length, or the length is too large.
    #[error("upload longer than announced or allowed")]
    TooLong,
    /// A frame's length is 0 or over [`MAX_PACKET_BYTES`].
    #[error("frame at offset {offset} has an impossible length")]
    BadFrame {
        /// Where the frame starts.
        offset: u64,
    },
    /// The receiver reports an offset behind one it had confirmed, or past the end: its
    /// storage lost data. Start a new upload of the unconfirmed packets.
    #[error("receiver offset {0} is inconsistent with what it confirmed")]
    OffsetWentBack(u64),
}

/// The office's side of one upload.
#[derive(Debug, Clone)]
pub struct UploadSender {
    data: Vec<u8>,
    /// Each packet's id and the offset just past its frame, ascending.
    ends: Vec<(PacketId, u64)>,
    confirmed: u64,
    chunk_size: usize,
}

impl UploadSender {
    /// An upload of `packets`, sent in chunks of at most `chunk_size` bytes (at least 1).
    pub fn new(packets: &[SealedPacket], chunk_size: usize) -> Self {
        let mut data = Vec::new();
        let mut ends = Vec::with_capacity(packets.len());
        for p in packets {
            let bytes = p.as_bytes();
            data.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            data.extend_from_slice(bytes);
            ends.push((p.header().id, data.len() as u64));
        }
        Self {
            data,
            ends,
            confirmed: 0,
            chunk_size: chunk_size.max(1),
        }
    }

    /// Total length, announced when the upload is created (tus `Upload-Length`).
    pub fn len(&self) -> u64 {
        self.data.len() as u64
    }

    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next chunk: its offset and bytes, from the last confirmed offset. `None` when the
    /// receiver has everything.
    pub fn next_chunk(&self) -> Option<(u64, &[u8])> {
        let start = self.confirmed as usize;
        let end = (start + self.chunk_size).min(self.data.len());
        (start < end).then(|| (self.confirmed, &self.data[start..end]))
    }

    /// The receiver is at `offset` (its answer to a chunk, or to `HEAD` after a cut). Returns
    /// the packets now wholly stored there, which the office may mark as sent.
    pub fn confirm(&mut self, offset: u64) -> Result<Vec<PacketId>, TransferError> {
        if offset < self.confirmed || offset > self.len() {
            return Err(TransferError::OffsetWentBack(offset));
        }
        let newly = self
            .ends
            .iter()
            .filter(|(_, end)| *end > self.confirmed && *end <= offset)
            .map(|(id, _)| *id)
            .collect();
        self.confirmed = offset;
        Ok(newly)
    }

    /// Changes the size of the next chunks (at least 1).
    pub fn set_chunk_size(&mut self, size: usize) {
        self.chunk_size = size.max(1);
    }

    /// The receiver's last confirmed offset.
    pub fn confirmed(&self) -> u64 {
        self.confirmed
    }

    /// Whether every byte was confirmed.
    pub fn is_complete(&self) -> bool {
        self.confirmed == self.len()
    }
}

/// The central's side of one upload. Store [`UploadReceiver::offset`] and
/// [`UploadReceiver::partial`] with the packets each chunk completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadReceiver {
    length: u64,
    offset: u64,
    partial: Vec<u8>,
}

impl UploadReceiver {
    /// A new upload of `length` bytes (tus `POST` with `Upload-Length`).
    pub fn new(length: u64) -> Result<Self, TransferError> {
        Self::resume(length, 0, Vec::new())
    }

    /// A receiver read back from storage.
    pub fn resume(length: u64, offset: u64, partial: Vec<u8>) -> Result<Self, TransferError> {
        if length > MAX_UPLOAD_BYTES || offset > length || partial.len() as u64 > offset {
            return Err(TransferError::TooLong);
        }
        Ok(Self {
            length,
            offset,
            partial,
        })
    }

    /// Bytes stored so far: where the next chunk must start (tus `Upload-Offset`).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The bytes of a frame not yet complete.
    pub fn partial(&self) -> &[u8] {
        &self.partial
    }

    /// Whether the whole upload arrived.
    pub fn is_complete(&self) -> bool {
        self.offset == self.length
    }

    /// Takes the chunk that starts at `offset`; returns the packets (sealed bytes, still to be
    /// parsed and opened) that it completes. On error nothing changes.
    pub fn accept(&mut self, offset: u64, chunk: &[u8]) -> Result<Vec<Vec<u8>>, TransferError> {
        if offset != self.offset {
            return Err(TransferError::OffsetMismatch {
                expected: self.offset,
                got: offset,
            });
        }
        if offset + chunk.len() as u64 > self.length {
            return Err(TransferError::TooLong);
        }
        let mut buf = self.partial.clone();
        buf.extend_from_slice(chunk);
        let mut frame_start = self.offset - self.partial.len() as u64;
        let mut done = Vec::new();
        let mut at = 0;
        while buf.len() - at >= FRAME_HEADER {
            let len =
                u32::from_be_bytes(buf[at..at + FRAME_HEADER].try_into().expect("4")) as usize;
            if len == 0 || len > MAX_PACKET_BYTES {
                return Err(TransferError::BadFrame {
                    offset: frame_start,
                });
            }
            if buf.len() - at < FRAME_HEADER + len {
                break;
            }
            done.push(buf[at + FRAME_HEADER..at + FRAME_HEADER + len].to_vec());
            at += FRAME_HEADER + len;
            frame_start += (FRAME_HEADER + len) as u64;
        }
        if self.offset + chunk.len() as u64 == self.length && at != buf.len() {
            return Err(TransferError::BadFrame {
                offset: frame_start,
            });
        }
        self.partial = buf.split_off(at);
        self.offset += chunk.len() as u64;
        Ok(done)
    }
}

/// How large the next request should be, after one that sent `sent` bytes of which the receiver
/// confirmed `confirmed`, cut or not. A request cut with less than half of it through halves the
/// next (down to `min`): on a link whose modem or proxy buffers without limit, a large request
/// sits in the buffer and a cut throws it away while the line stays busy with it, and the loss
/// grows with the request. A request that went through doubles the next (up to `max`), since
/// every request also costs a round trip.
pub fn next_request_size(
    current: usize,
    sent: usize,
    confirmed: u64,
    cut: bool,
    min: usize,
    max: usize,
) -> usize {
    let next = if !cut {
        current.saturating_mul(2)
    } else if (confirmed as usize) < sent / 2 {
        current / 2
    } else {
        current
    };
    // A configured ceiling below the floor wins: the node was told not to send more.
    let floor = min.min(max).max(1);
    next.clamp(floor, max.max(floor))
}

#[cfg(test)]
mod request_size_tests {
    use super::next_request_size;

    const MIN: usize = 16 * 1024;
    const MAX: usize = 256 * 1024;

    #[test]
    fn cuts_that_lose_most_of_a_request_halve_the_next_and_success_grows_it_back() {
        // Cut with a tenth through: half, and never below the floor.
        assert_eq!(
            next_request_size(MAX, MAX, (MAX / 10) as u64, true, MIN, MAX),
            MAX / 2
        );
        assert_eq!(next_request_size(MIN, MIN, 0, true, MIN, MAX), MIN);
        // Cut with most of it through: the link is fine, the size stays.
        assert_eq!(
            next_request_size(MAX, MAX, (MAX * 3 / 4) as u64, true, MIN, MAX),
            MAX
        );
        // Through: double, never above the ceiling.
        assert_eq!(
            next_request_size(MIN, MIN, MIN as u64, false, MIN, MAX),
            2 * MIN
        );
        assert_eq!(
            next_request_size(MAX, MAX, MAX as u64, false, MIN, MAX),
            MAX
        );
        // A ceiling below the floor (a tiny configured chunk) wins.
        assert_eq!(next_request_size(4096, 4096, 0, false, MIN, 4096), 4096);
        assert_eq!(next_request_size(4096, 4096, 0, true, MIN, 4096), 4096);
    }
}
