//! COSE_Sign1 with Ed25519, shared by credentials and revocation lists.

use coset::{
    CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana,
    iana::EnumI64,
};
use ed25519_dalek::{Signature, Signer, SigningKey};

use super::{KeyId, KeyUsage, TrustList, TrustedKey, VerifyError};

/// CBOR tag 61 (CWT) in its two-byte encoding; some issuers wrap the COSE_Sign1 in it.
const CWT_TAG: [u8; 2] = [0xD8, 0x3D];

/// Signs `payload`: protected header `{alg: EdDSA, kid}`, tagged COSE_Sign1.
pub(crate) fn sign(payload: Vec<u8>, key: &SigningKey, kid: &KeyId) -> Vec<u8> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(kid.as_bytes().to_vec())
        .build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs).to_bytes().to_vec())
        .build()
        .to_tagged_vec()
        .expect("encoding a well-formed COSE_Sign1 cannot fail")
}

/// A signed object whose signature checked out against a trusted key.
pub(crate) struct Opened<'t> {
    pub payload: Vec<u8>,
    pub key: &'t TrustedKey,
}

/// Parses a COSE_Sign1, finds its key on the trust list and checks the signature.
///
/// Errors are [`VerifyError`]'s COSE-level variants; revocation lists map them to their own.
pub(crate) fn open<'t>(
    bytes: &[u8],
    trust: &'t TrustList,
    usage: KeyUsage,
) -> Result<Opened<'t>, VerifyError> {
    let bytes = bytes.strip_prefix(&CWT_TAG[..]).unwrap_or(bytes);
    let sign1 = if bytes.first() == Some(&0xD2) {
        CoseSign1::from_tagged_slice(bytes)
    } else {
        CoseSign1::from_slice(bytes)
    }
    .map_err(|e| VerifyError::NotCoseSign1(e.to_string()))?;

    match &sign1.protected.header.alg {
        Some(coset::RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA)) => {}
        Some(other) => return Err(VerifyError::UnsupportedAlgorithm(alg_name(other))),
        None => {
            return Err(VerifyError::UnsupportedAlgorithm(
                "(none in the protected header)".into(),
            ));
        }
    }
    let kid = if !sign1.protected.header.key_id.is_empty() {
        &sign1.protected.header.key_id
    } else {
        &sign1.unprotected.key_id
    };
    let kid = KeyId::new(kid.clone()).map_err(|_| VerifyError::MissingKeyId)?;
    let key = trust
        .get(&kid)
        .ok_or_else(|| VerifyError::UnknownKeyId(kid.clone()))?;
    if key.revoked {
        return Err(VerifyError::KeyRevoked(kid));
    }
    if key.usage != usage {
        return Err(VerifyError::WrongKeyUsage(kid, usage));
    }
    sign1
        .verify_signature(b"", |sig, tbs| {
            let sig = Signature::from_slice(sig).map_err(|_| ())?;
            key.key.verify_strict(tbs, &sig).map_err(|_| ())
        })
        .map_err(|()| VerifyError::BadSignature(kid.clone()))?;
    let payload = sign1
        .payload
        .ok_or_else(|| VerifyError::NotCoseSign1("the payload is detached".into()))?;
    Ok(Opened { payload, key })
}

fn alg_name(alg: &coset::Algorithm) -> String {
    match alg {
        coset::RegisteredLabelWithPrivate::Assigned(a) => format!("{a:?} ({})", a.to_i64()),
        coset::RegisteredLabelWithPrivate::PrivateUse(i) => format!("private {i}"),
        coset::RegisteredLabelWithPrivate::Text(t) => format!("{t:?}"),
    }
}
