//! Issuing and verifying: claims -> CBOR -> COSE_Sign1 -> zlib -> Base45, and back.

use std::{cell::RefCell, io::Write};

use ed25519_dalek::SigningKey;
use flate2::{Compression, Decompress, FlushDecompress, Status, write::ZlibEncoder};
use time::OffsetDateTime;

use super::{
    CardClaims, KeyId, KeyUsage, RevocationList, RevokedItem, TrustList, VerifiedCredential,
    VerifyError, claims, cose,
};

/// The most characters a QR code holds (version 40, alphanumeric, error correction L); longer
/// text is refused before any decoding.
pub const MAX_TEXT: usize = 4296;

/// Bound on the decompressed credential. A real one is under 1 KiB; the bound stops a crafted
/// stream that inflates to gigabytes from a few hundred bytes.
pub const MAX_DECOMPRESSED: usize = 16 * 1024;

/// Signs `claims` with `key` (named `kid` in the header) at `now`, and returns the Base45 text
/// to put in the QR code.
pub fn issue_card_credential(
    claims: &CardClaims,
    key: &SigningKey,
    kid: &KeyId,
    now: OffsetDateTime,
) -> String {
    base45::encode(deflate(&sign_claims(claims, key, kid, now)))
}

fn sign_claims(claims: &CardClaims, key: &SigningKey, kid: &KeyId, now: OffsetDateTime) -> Vec<u8> {
    cose::sign(claims::encode(claims, now), key, kid)
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::with_capacity(bytes.len() + 16), Compression::best());
    z.write_all(bytes)
        .expect("compressing into memory cannot fail");
    z.finish().expect("compressing into memory cannot fail")
}

/// Sizes of each stage of a credential, for measuring what a card's QR code must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadSizes {
    /// CBOR claims, in bytes.
    pub cbor: usize,
    /// The signed COSE_Sign1, in bytes.
    pub cose: usize,
    /// After zlib, in bytes.
    pub zlib: usize,
    /// The Base45 text, in characters.
    pub base45: usize,
}

/// Measures each stage of issuing `claims`.
pub fn credential_payload_sizes(
    claims: &CardClaims,
    key: &SigningKey,
    kid: &KeyId,
    now: OffsetDateTime,
) -> PayloadSizes {
    let cbor = claims::encode(claims, now);
    let cose = cose::sign(cbor.clone(), key, kid);
    let zlib = deflate(&cose);
    PayloadSizes {
        cbor: cbor.len(),
        cose: cose.len(),
        zlib: zlib.len(),
        base45: base45::encode(&zlib).len(),
    }
}

/// Checks a credential read from a QR code, offline: its signature against `trust`, its dates
/// against `now`, and its card and credential ids against `revoked`.
pub fn verify_credential(
    text: &str,
    trust: &TrustList,
    revoked: &RevocationList,
    now: OffsetDateTime,
) -> Result<VerifiedCredential, VerifyError> {
    let cose_bytes = unpack(text)?;
    let opened = cose::open(&cose_bytes, trust, KeyUsage::Credentials)?;
    let cwt = claims::parse_payload(&opened.payload)?;
    let times = claims::decode_times(&cwt)?;
    let at = |secs: i64, claim: &str| {
        OffsetDateTime::from_unix_timestamp(secs).map_err(|_| VerifyError::MalformedClaim {
            claim: claim.to_owned(),
            reason: "out of range".into(),
        })
    };
    let signed_at = at(times.iat, "6 (iat)")?;
    if !opened.key.in_use_at(signed_at) {
        return Err(VerifyError::KeyNotValidWhenSigned {
            kid: opened.key.kid.clone(),
            signed_at,
        });
    }
    let valid_from = at(times.nbf, "5 (nbf)")?;
    if now < valid_from {
        return Err(VerifyError::NotYetValid { valid_from });
    }
    let expired_at = at(times.exp, "4 (exp)")?;
    if now >= expired_at {
        return Err(VerifyError::Expired { expired_at });
    }
    let claims = claims::decode(&cwt, times)?;
    let item = if revoked.is_document_revoked(&claims.document_number) {
        Some(RevokedItem::Document(claims.document_number.clone()))
    } else if revoked.is_credential_revoked(&claims.credential_id) {
        Some(RevokedItem::Credential(claims.credential_id.clone()))
    } else {
        None
    };
    if let Some(item) = item {
        return Err(VerifyError::Revoked {
            item,
            list_version: revoked.version,
        });
    }
    Ok(VerifiedCredential {
        claims,
        key_id: opened.key.kid.clone(),
        signed_at,
    })
}

/// A credential whose signature checked out, read whatever its dates: a checkpoint still wants
/// to see whose card it holds when the card has expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadCredential {
    /// What the credential says.
    pub claims: CardClaims,
    /// The key that signed it.
    pub key_id: KeyId,
    /// When it was signed (CWT `iat`).
    pub signed_at: OffsetDateTime,
    /// Start of validity (CWT `nbf`).
    pub valid_from: OffsetDateTime,
    /// End of validity, exclusive (CWT `exp`).
    pub expires_at: OffsetDateTime,
}

/// Checks a credential's signature and the signing key's period of use, and decodes its claims,
/// without judging its dates or revocation: [`verify_credential`] does all of it, this is for a
/// verifier that reports every finding about a genuine card (expired *and* revoked, say).
pub fn read_credential(text: &str, trust: &TrustList) -> Result<ReadCredential, VerifyError> {
    let cose_bytes = unpack(text)?;
    let opened = cose::open(&cose_bytes, trust, KeyUsage::Credentials)?;
    let cwt = claims::parse_payload(&opened.payload)?;
    let times = claims::decode_times(&cwt)?;
    let at = |secs: i64, claim: &str| {
        OffsetDateTime::from_unix_timestamp(secs).map_err(|_| VerifyError::MalformedClaim {
            claim: claim.to_owned(),
            reason: "out of range".into(),
        })
    };
    let signed_at = at(times.iat, "6 (iat)")?;
    if !opened.key.in_use_at(signed_at) {
        return Err(VerifyError::KeyNotValidWhenSigned {
            kid: opened.key.kid.clone(),
            signed_at,
        });
    }
    let valid_from = at(times.nbf, "5 (nbf)")?;
    let expires_at = at(times.exp, "4 (exp)")?;
    let claims = claims::decode(&cwt, times)?;
    Ok(ReadCredential {
        claims,
        key_id: opened.key.kid.clone(),
        signed_at,
        valid_from,
        expires_at,
    })
}

/// Base45 then zlib, with the size bounds.
pub(crate) fn unpack(text: &str) -> Result<Vec<u8>, VerifyError> {
    let text = text.trim();
    if text.len() > MAX_TEXT {
        return Err(VerifyError::TooLong {
            len: text.len(),
            max: MAX_TEXT,
        });
    }
    let compressed = base45::decode(text).map_err(|_| base45_error(text.as_bytes()))?;
    inflate(&compressed)
}

thread_local! {
    /// A zlib inflater kept per thread: allocating its state (tens of KiB) for each credential
    /// cost as much as a fifth of a verification. Only scratch memory is kept between calls.
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(true));
}

fn inflate(bytes: &[u8]) -> Result<Vec<u8>, VerifyError> {
    match bytes.first() {
        Some(0x78) => {}
        Some(b) => {
            return Err(VerifyError::NotZlib(format!(
                "the first byte is {b:#04x}; zlib data starts with 0x78"
            )));
        }
        None => return Err(VerifyError::NotZlib("no data".into())),
    }
    INFLATER.with_borrow_mut(|z| {
        z.reset(true);
        let mut out = Vec::with_capacity(2048);
        loop {
            let (read, written) = (z.total_in(), out.len());
            let status = z
                .decompress_vec(&bytes[read as usize..], &mut out, FlushDecompress::None)
                .map_err(|e| VerifyError::NotZlib(e.to_string()))?;
            if out.len() > MAX_DECOMPRESSED {
                return Err(VerifyError::DecompressionBomb {
                    limit: MAX_DECOMPRESSED,
                });
            }
            if status == Status::StreamEnd {
                break;
            }
            if out.len() == out.capacity() {
                // Never grow past the bound (plus one byte, to tell "exactly at" from "over").
                let room = (MAX_DECOMPRESSED + 1).saturating_sub(out.len());
                out.reserve_exact(room.min(out.capacity().max(1024)));
            } else if z.total_in() == read && out.len() == written {
                return Err(VerifyError::NotZlib(
                    "the compressed data ends early".into(),
                ));
            }
        }
        // Bytes after the end of the zlib stream would be silently ignored; refuse them so
        // that every byte of the code is accounted for.
        let used = z.total_in() as usize;
        if used != bytes.len() {
            return Err(VerifyError::NotZlib(format!(
                "{} bytes follow the end of the compressed data",
                bytes.len() - used
            )));
        }
        Ok(out)
    })
}

/// Finds where a text stops being Base45 (only called once decoding has failed).
fn base45_error(text: &[u8]) -> VerifyError {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).map(|v| v as u32);
    if let Some(i) = text.iter().position(|&c| value(c).is_none()) {
        return VerifyError::NotBase45 {
            position: i + 1,
            reason: "character outside the Base45 alphabet",
        };
    }
    for (i, group) in text.chunks(3).enumerate() {
        let v: u32 = group
            .iter()
            .rev()
            .fold(0, |acc, &c| acc * 45 + value(c).expect("checked"));
        let too_big = if group.len() == 3 {
            v > 0xFFFF
        } else {
            v > 0xFF
        };
        if group.len() == 1 || too_big {
            return VerifyError::NotBase45 {
                position: 3 * i + 1,
                reason: if group.len() == 1 {
                    "a single character cannot end the text"
                } else {
                    "this group encodes a value too large for its bytes"
                },
            };
        }
    }
    VerifyError::NotBase45 {
        position: 1,
        reason: "not decodable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coset::{CborSerializable, CoseSign1, TaggedCborSerializable};
    use ed25519_dalek::{Signature, VerifyingKey};

    #[test]
    fn base45_errors_point_at_the_character() {
        assert_eq!(
            unpack("AB*c").unwrap_err(),
            VerifyError::NotBase45 {
                position: 4,
                reason: "character outside the Base45 alphabet"
            }
        );
        assert!(matches!(
            unpack("ABCD"),
            Err(VerifyError::NotBase45 { position: 4, .. })
        ));
        assert!(matches!(
            unpack("::::"),
            Err(VerifyError::NotBase45 { position: 1, .. })
        ));
    }

    #[test]
    fn bombs_and_trailing_bytes_are_refused() {
        let bomb = deflate(&vec![0u8; 1 << 20]);
        assert!(bomb.len() < 2000, "a megabyte of zeros packs small");
        assert_eq!(
            unpack(&base45::encode(&bomb)).unwrap_err(),
            VerifyError::DecompressionBomb {
                limit: MAX_DECOMPRESSED
            }
        );
        assert_eq!(
            inflate(&deflate(&vec![7; MAX_DECOMPRESSED])).unwrap().len(),
            MAX_DECOMPRESSED
        );
        assert_eq!(
            inflate(&deflate(&vec![7; MAX_DECOMPRESSED + 1])).unwrap_err(),
            VerifyError::DecompressionBomb {
                limit: MAX_DECOMPRESSED
            }
        );
        let whole = deflate(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        for cut in 1..whole.len() {
            assert!(
                matches!(inflate(&whole[..cut]), Err(VerifyError::NotZlib(_))),
                "cut at {cut}"
            );
        }
        let mut trailing = deflate(b"hello");
        trailing.push(0);
        assert!(matches!(
            unpack(&base45::encode(&trailing)),
            Err(VerifyError::NotZlib(_))
        ));
        assert!(matches!(
            unpack(&base45::encode(b"hello")),
            Err(VerifyError::NotZlib(_))
        ));
    }

    /// A credential written by another Claim 169 implementation (test vector
    /// `test-vectors/valid/ed25519-signed.json` of the claim-169 reference libraries) goes
    /// through the same Base45, zlib and COSE steps and its signature verifies.
    #[test]
    fn reads_a_credential_from_another_implementation() {
        let qr = "6BF590B20FFWJWG.FKJ05H7B0XKA8FA9DIWENPEJ/5P$DPQE88EB$CBECP9ERZC04E21DDF3/E96007F3ORAO001KL580 B9%W5*B9C+9%R8646%86HKESED1/DRTC5UA QE$345$CVQEX.DX88WBK0NG8PB4 O/38TL6XDALLKLPQATHO.3ZPJMUAVQFSB1:+B*21V FWMC6SU439YU774475LJ2U5T02$VBSIMLQ3:6J.E1-1STM$4";
        let public: [u8; 32] =
            hex::decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
                .unwrap()
                .try_into()
                .unwrap();
        let key = VerifyingKey::from_bytes(&public).unwrap();
        let cose_bytes = unpack(qr).unwrap();
        let sign1 = CoseSign1::from_tagged_slice(&cose_bytes)
            .or_else(|_| CoseSign1::from_slice(&cose_bytes))
            .unwrap();
        sign1
            .verify_signature(b"", |sig, tbs| {
                key.verify_strict(tbs, &Signature::from_slice(sig).unwrap())
            })
            .unwrap();
        let cwt = claims::parse_payload(sign1.payload.as_deref().unwrap()).unwrap();
        let times = claims::decode_times(&cwt);
        // It has no nbf, so it is not a Sijil card; its identity data reads all the same.
        assert!(times.is_err());
        let text = format!("{cwt:?}");
        assert!(text.contains("Signed Test Person"), "{text}");
    }
}
