//! FNV-1a, the 64-bit variant: a small, fast, well-known hash with no
//! dependencies, used where the build needs an order or an id that is the
//! same on every machine and every run (unlike std's `DefaultHasher`, which
//! makes no such promise). A leaf: it uses no other module.
//!
//! Reference: Fowler, Noll and Vo, <http://www.isthe.com/chongo/tech/comp/fnv/>
//! (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`).

/// FNV-1a 64 of `bytes`: for each byte, XOR it into the state, then multiply
/// by the FNV prime (wrapping). The empty input gives the offset basis.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// FNV-1a 64 as a [`std::hash::Hasher`], for fingerprints and for hash maps
/// keyed by small values (a [`FnvBuild`] map): fast, and the same on every run.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Builds [`Fnv`] hashers, for `HashMap<K, V, FnvBuild>`.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

#[cfg(test)]
mod tests {
    use super::fnv1a64;

    #[test]
    fn matches_the_published_test_vectors() {
        use std::hash::Hasher;
        let mut h = super::Fnv::default();
        h.write(b"foo");
        h.write(b"bar");
        assert_eq!(h.finish(), fnv1a64(b"foobar"));
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
