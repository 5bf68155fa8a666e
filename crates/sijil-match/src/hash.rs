//! A small, stable 64-bit hash for keys that end up in a saved model (term-frequency tables,
//! blocking keys). `std`'s hasher may change between Rust versions and is seeded per process;
//! these values must stay the same across runs, machines and builds.

/// Multiplier of the mixing step (a 64-bit odd constant from wyhash).
const K: u64 = 0xa076_1d64_78bd_642f;

/// The splitmix64 finaliser: every input bit affects every output bit.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hashes bytes under a seed (the seed separates kinds of key: a family name and a first name
/// with the same letters must not collide in a shared table).
pub(crate) fn bytes(seed: u64, data: &[u8]) -> u64 {
    let mut h = mix(seed ^ K) ^ (data.len() as u64);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(buf))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    mix(h)
}

/// Hashes a string under a seed.
pub(crate) fn str(seed: u64, s: &str) -> u64 {
    bytes(seed, s.as_bytes())
}

/// Combines hashes in order (`combine(a, b) != combine(b, a)`).
#[inline]
pub(crate) fn combine(a: u64, b: u64) -> u64 {
    mix(a.rotate_left(17) ^ b.wrapping_mul(K))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_stable() {
        // These values are part of saved models: changing the function breaks them.
        assert_eq!(str(0, ""), str(0, ""));
        assert_ne!(str(0, "محمد"), str(1, "محمد"));
        assert_ne!(str(0, "ab"), str(0, "ba"));
        assert_ne!(combine(1, 2), combine(2, 1));
        assert_eq!(str(7, "abcdefghijk"), 0x2560_45d6_992b_0ae0);
    }
}
