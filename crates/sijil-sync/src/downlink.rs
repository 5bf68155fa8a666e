//! Downlink bodies and receipts answers sealed to one office node.
//!
//! The downlink carries the alert list (national numbers of people under an alert) and the
//! revocation list, which must not be readable by whoever sits on a field office's link. The
//! central seals each answer with HPKE (the same suite as packets) to the X25519 form of the
//! node's approved Ed25519 device key (the birational map libsodium and age's `ssh-ed25519`
//! recipients use; its security as a KEM key beside signing is argued in eprint 2021/509), so
//! only that node can open it and enrolment needs no second key. The central still signs the
//! plain body with its downlink key; sealing adds confidentiality, not authenticity.
//! Receipts answers (which national number each of the node's records got at the central) are
//! sealed the same way under their own HPKE `info`, so one can never be opened as the other.

use ed25519_dalek::VerifyingKey;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};

use crate::{DeviceSigningKey, keys::Kem};

type Aead = hpke::aead::ChaCha20Poly1305;
type Kdf = hpke::kdf::HkdfSha256;

/// HPKE `info`: binds a sealed body to its use (a packet can never be passed off as one).
const INFO: &[u8] = b"sijil-sync downlink v1";
/// HPKE `info` of receipts answers.
const RECEIPTS_INFO: &[u8] = b"sijil-sync receipts v1";
/// Length of the encapsulated key before the ciphertext.
const ENC_LEN: usize = 32;

/// Why a sealed downlink body did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownlinkOpenError {
    /// Shorter than its encapsulated key and tag.
    #[error("the sealed downlink body is truncated")]
    Truncated,
    /// Not sealed to this device, or changed on the way.
    #[error("the downlink body does not decrypt for this device")]
    Decryption,
}

/// Seals `body` to the device whose public key is `device`, binding `context` (e.g. the
/// request's `since`) so an answer cannot be replayed as the answer to another question.
pub fn seal_to_device(device: &VerifyingKey, context: &[u8], body: &[u8]) -> Vec<u8> {
    seal(INFO, device, context, body)
}

/// Opens a body sealed to this device with `context`.
pub fn open_as_device(
    device: &DeviceSigningKey,
    context: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, DownlinkOpenError> {
    open(INFO, device, context, sealed)
}

/// Seals a receipts answer to the device that asked; `question` is the signed question's body
/// (it holds a fresh nonce), so the answer opens only as the answer to that question.
pub fn seal_receipts(device: &VerifyingKey, question: &[u8], answer: &[u8]) -> Vec<u8> {
    seal(RECEIPTS_INFO, device, question, answer)
}

/// Opens a receipts answer sealed to this device for `question`.
pub fn open_receipts(
    device: &DeviceSigningKey,
    question: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, DownlinkOpenError> {
    open(RECEIPTS_INFO, device, question, sealed)
}

fn seal(info: &[u8], device: &VerifyingKey, context: &[u8], body: &[u8]) -> Vec<u8> {
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&device.to_montgomery().to_bytes())
        .expect("32 bytes are an X25519 public key");
    let (enc, ciphertext) =
        hpke::single_shot_seal::<Aead, Kdf, Kem>(&OpModeS::Base, &public, info, body, context)
            .expect("sealing to a valid X25519 key does not fail");
    let mut out = enc.to_bytes().to_vec();
    out.extend_from_slice(&ciphertext);
    out
}

fn open(
    info: &[u8],
    device: &DeviceSigningKey,
    context: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, DownlinkOpenError> {
    if sealed.len() < ENC_LEN + 16 {
        return Err(DownlinkOpenError::Truncated);
    }
    let (enc, ciphertext) = sealed.split_at(ENC_LEN);
    let secret =
        <Kem as hpke::Kem>::PrivateKey::from_bytes(&device.signing_key().to_scalar_bytes())
            .expect("32 bytes are an X25519 secret");
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(enc)
        .map_err(|_| DownlinkOpenError::Decryption)?;
    hpke::single_shot_open::<Aead, Kdf, Kem>(
        &OpModeR::Base,
        &secret,
        &enc,
        info,
        ciphertext,
        context,
    )
    .map_err(|_| DownlinkOpenError::Decryption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_device_it_was_sealed_to_opens_it_with_the_same_context() {
        let device = DeviceSigningKey::generate();
        let other = DeviceSigningKey::generate();
        let body = br#"{"entries":[{"kind":"alert"}]}"#;
        let sealed = seal_to_device(&device.verifying_key(), b"since=0", body);
        assert!(
            !sealed.windows(body.len()).any(|w| w == body),
            "not in clear"
        );
        assert_eq!(open_as_device(&device, b"since=0", &sealed).unwrap(), body);
        assert_eq!(
            open_as_device(&other, b"since=0", &sealed),
            Err(DownlinkOpenError::Decryption)
        );
        assert_eq!(
            open_as_device(&device, b"since=7", &sealed),
            Err(DownlinkOpenError::Decryption)
        );
        for i in [0, ENC_LEN, sealed.len() - 1] {
            let mut changed = sealed.clone();
            changed[i] ^= 1;
            assert_eq!(
                open_as_device(&device, b"since=0", &changed),
                Err(DownlinkOpenError::Decryption)
            );
        }
        assert_eq!(
            open_as_device(&device, b"since=0", &sealed[..40]),
            Err(DownlinkOpenError::Truncated)
        );
    }

    #[test]
    fn a_receipts_answer_opens_only_as_the_answer_to_its_question() {
        let device = DeviceSigningKey::generate();
        let answer = br#"{"receipts":[{"national_number":"01020304050"}]}"#;
        let question = br#"{"nonce":"a"}"#;
        let sealed = seal_receipts(&device.verifying_key(), question, answer);
        assert!(
            !sealed.windows(11).any(|w| w == b"01020304050"),
            "not in clear"
        );
        assert_eq!(open_receipts(&device, question, &sealed).unwrap(), answer);
        assert_eq!(
            open_receipts(&device, br#"{"nonce":"b"}"#, &sealed),
            Err(DownlinkOpenError::Decryption)
        );
        // Never a downlink body, even with the same context.
        assert_eq!(
            open_as_device(&device, question, &sealed),
            Err(DownlinkOpenError::Decryption)
        );
    }
}
