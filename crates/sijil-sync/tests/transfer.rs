//! Resumable upload over a link that loses chunks, loses acknowledgements and gets cut: every
//! packet arrives exactly once, in order, and the office learns of each exactly once.

use std::sync::LazyLock;

use proptest::prelude::*;
use sijil_sync::{
    CentralSecretKey, DeviceSigningKey, PacketHeader, PacketId, SealedPacket,
    sample::registration,
    transfer::{TransferError, UploadReceiver, UploadSender},
};
use time::OffsetDateTime;

static PACKETS: LazyLock<Vec<SealedPacket>> = LazyLock::new(|| {
    let central = CentralSecretKey::from_seed(&[7; 32]);
    let device = DeviceSigningKey::from_seed(&[9; 32]);
    let at = OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap();
    (0..12)
        .map(|i| {
            let r = registration(i);
            let h = PacketHeader {
                id: PacketId::new(at),
                office: r.capture.office.clone(),
                sequence: u64::from(i) + 1,
                created_at: at,
                key_id: device.id().clone(),
            };
            SealedPacket::seal(h, &r, &device, central.public_key()).unwrap()
        })
        .collect()
});

#[derive(Debug, Clone, Copy)]
enum Link {
    /// Chunk arrives, answer arrives.
    Fine,
    /// Chunk arrives, the answer is lost in a cut: the office asks `HEAD`.
    AnswerLost,
    /// Chunk lost in a cut: the office asks `HEAD`.
    ChunkLost,
    /// An old chunk, delayed, arrives again before this one.
    StaleRepeat,
}

fn link() -> impl Strategy<Value = Link> {
    prop_oneof![
        4 => Just(Link::Fine),
        1 => Just(Link::AnswerLost),
        1 => Just(Link::ChunkLost),
        1 => Just(Link::StaleRepeat),
    ]
}

proptest! {
    #[test]
    fn every_packet_arrives_and_is_confirmed_exactly_once(
        count in 0usize..12,
        chunk in 1usize..700,
        script in proptest::collection::vec(link(), 0..200),
    ) {
        let packets = &PACKETS[..count];
        let mut sender = UploadSender::new(packets, chunk);
        let mut receiver = UploadReceiver::new(sender.len()).unwrap();
        let (mut received, mut confirmed) = (Vec::new(), Vec::new());
        let mut last_chunk: Option<(u64, Vec<u8>)> = None;
        let mut step = 0;
        while let Some((offset, bytes)) = sender.next_chunk() {
            let bytes = bytes.to_vec();
            // The link misbehaves as scripted, then works (a link that never works never delivers).
            let event = script.get(step).copied().unwrap_or(Link::Fine);
            step += 1;
            prop_assert!(step < 100_000, "no progress");
            if let (Link::StaleRepeat, Some((o, b))) = (event, &last_chunk) {
                // Accepted only if it is exactly the chunk the receiver is waiting for.
                match receiver.accept(*o, b) {
                    Ok(done) => received.extend(done),
                    Err(e) => {
                        let stale = matches!(e, TransferError::OffsetMismatch { .. });
                        prop_assert!(stale, "{:?}", e);
                    }
                }
            }
            if !matches!(event, Link::ChunkLost) {
                match receiver.accept(offset, &bytes) {
                    Ok(done) => received.extend(done),
                    // 409: the stale copy already delivered this chunk.
                    Err(e) => {
                        let stale = matches!(e, TransferError::OffsetMismatch { .. });
                        prop_assert!(stale, "{:?}", e);
                    }
                }
            }
            // After a cut the office asks where the receiver is; otherwise it is told.
            confirmed.extend(sender.confirm(receiver.offset()).unwrap());
            last_chunk = Some((offset, bytes));
        }
        prop_assert!(sender.is_complete() && receiver.is_complete());
        prop_assert!(receiver.partial().is_empty());
        let sent: Vec<&[u8]> = packets.iter().map(|p| p.as_bytes()).collect();
        prop_assert_eq!(received.iter().map(Vec::as_slice).collect::<Vec<_>>(), sent);
        let ids: Vec<PacketId> = packets.iter().map(|p| p.header().id).collect();
        prop_assert_eq!(confirmed, ids);
    }
}

#[test]
fn a_receiver_refuses_overruns_bad_frames_and_going_back() {
    let packets = &PACKETS[..2];
    let mut sender = UploadSender::new(packets, 10_000);
    let (offset, bytes) = sender.next_chunk().unwrap();
    let mut receiver = UploadReceiver::new(sender.len()).unwrap();
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert_eq!(receiver.accept(0, &longer), Err(TransferError::TooLong));
    assert_eq!(receiver.accept(offset, bytes).unwrap().len(), 2);
    assert_eq!(sender.confirm(receiver.offset()).unwrap().len(), 2);
    assert!(matches!(
        sender.confirm(3),
        Err(TransferError::OffsetWentBack(3))
    ));

    let mut r = UploadReceiver::new(8).unwrap();
    assert_eq!(
        r.accept(0, &[0, 0, 0, 0]),
        Err(TransferError::BadFrame { offset: 0 })
    );
    let mut r = UploadReceiver::new(6).unwrap();
    assert_eq!(
        r.accept(0, &[0, 0, 0, 9, 1, 2]),
        Err(TransferError::BadFrame { offset: 0 })
    );
    assert_eq!(r.offset(), 0);
    assert!(UploadReceiver::new(u64::MAX).is_err());
}
