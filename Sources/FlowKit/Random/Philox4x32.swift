/// The counter-based generator Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011,
/// "Parallel random numbers: as easy as 1, 2, 3", SC'11).
///
/// A bijection of a 128-bit counter under a 64-bit key: ten rounds of
/// `(c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0))`
/// with M0 = 0xD2511F53, M1 = 0xCD9E8D57 and the key bumped by the Weyl constants
/// W0 = 0x9E3779B9, W1 = 0xBB67AE85 between rounds. Output matches Random123's
/// `philox4x32_R(10, ctr, key)`.
public struct Philox4x32: Sendable, Hashable {
    public static let multiplier0: UInt32 = 0xD251_1F53
    public static let multiplier1: UInt32 = 0xCD9E_8D57
    public static let weyl0: UInt32 = 0x9E37_79B9
    public static let weyl1: UInt32 = 0xBB67_AE85

    public let key: (UInt32, UInt32)

    public init(key: (UInt32, UInt32)) { self.key = key }

    /// The ten-round block function: four 32-bit outputs for one 128-bit counter.
    @inlinable
    public func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var c = counter
        var k0 = key.0, k1 = key.1
        for round in 0..<10 {
            if round > 0 {
                k0 = k0 &+ Self.weyl0
                k1 = k1 &+ Self.weyl1
            }
            let p0 = UInt64(Self.multiplier0) &* UInt64(c.0)
            let p1 = UInt64(Self.multiplier1) &* UInt64(c.2)
            c = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k0,
                 UInt32(truncatingIfNeeded: p1),
                 UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k1,
                 UInt32(truncatingIfNeeded: p0))
        }
        return c
    }

    /// Eight blocks at once: lane l holds the block of counter (c0[l], c1[l], c2[l], c3[l]),
    /// each 32-bit word in the low half of a 64-bit lane, and the result is the block's two
    /// 64-bit words (c0 << 32 | c1, c2 << 32 | c3), the same as ``block(_:)`` lane by lane.
    /// The round keys are broadcast here; a caller that computes many groups passes
    /// ``RoundKeys`` made once to ``blocks(_:_:_:_:keys:)`` instead.
    @inlinable
    public func blocks(_ c0: SIMD8<UInt64>, _ c1: SIMD8<UInt64>, _ c2: SIMD8<UInt64>,
                       _ c3: SIMD8<UInt64>) -> (SIMD8<UInt64>, SIMD8<UInt64>) {
        Self.blocks(c0, c1, c2, c3, keys: RoundKeys(key: key))
    }

    /// ``blocks(_:_:_:_:)`` with the ten rounds' keys given, broadcast to vector lanes
    /// (``RoundKeys``, made once per key). The ten rounds are written out, so that inlined into
    /// a loop over groups of eight blocks the keys are memory operands of the XORs rather than
    /// broadcasts in every round.
    ///
    /// A round's 32 × 32 → 64-bit products are vector multiplies of the masked low halves (one
    /// `vpmuludq` per four lanes with AVX2); the high halves of the lanes are not masked between
    /// rounds, since they never reach a product or a result. Per round and eight blocks: four
    /// multiplies, four shifts, eight XORs.
    @inlinable @inline(__always)
    public static func blocks(_ c0: SIMD8<UInt64>, _ c1: SIMD8<UInt64>, _ c2: SIMD8<UInt64>,
                              _ c3: SIMD8<UInt64>, keys: RoundKeys) -> (SIMD8<UInt64>, SIMD8<UInt64>) {
        var c0 = c0, c1 = c1, c2 = c2, c3 = c3
        let k = keys.lanes
        round(&c0, &c1, &c2, &c3, k.0, k.1)
        round(&c0, &c1, &c2, &c3, k.2, k.3)
        round(&c0, &c1, &c2, &c3, k.4, k.5)
        round(&c0, &c1, &c2, &c3, k.6, k.7)
        round(&c0, &c1, &c2, &c3, k.8, k.9)
        round(&c0, &c1, &c2, &c3, k.10, k.11)
        round(&c0, &c1, &c2, &c3, k.12, k.13)
        round(&c0, &c1, &c2, &c3, k.14, k.15)
        round(&c0, &c1, &c2, &c3, k.16, k.17)
        round(&c0, &c1, &c2, &c3, k.18, k.19)
        let low = SIMD8<UInt64>(repeating: 0xFFFF_FFFF)
        return ((c0 &<< 32) | (c1 & low), (c2 &<< 32) | (c3 & low))
    }

    /// One round on eight lanes: (c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, M1·c2, hi(M0·c0) ⊕ c3 ⊕ k1,
    /// M0·c0), the products of the low halves in full 64 bits (their low halves are lo(·)).
    /// `c1 ⊕ k0` and `c3 ⊕ k1` are formed apart from the products, off the multiply's path.
    @inlinable @inline(__always)
    static func round(_ c0: inout SIMD8<UInt64>, _ c1: inout SIMD8<UInt64>, _ c2: inout SIMD8<UInt64>,
                      _ c3: inout SIMD8<UInt64>, _ k0: SIMD4<UInt64>, _ k1: SIMD4<UInt64>) {
        let low = SIMD8<UInt64>(repeating: 0xFFFF_FFFF)
        let m0 = SIMD8<UInt64>(repeating: UInt64(multiplier0)), m1 = SIMD8<UInt64>(repeating: UInt64(multiplier1))
        let p0 = m0 &* (c0 & low), p1 = m1 &* (c2 & low)
        let next0 = (p1 &>> 32) ^ (c1 ^ SIMD8(lowHalf: k0, highHalf: k0))
        let next2 = (p0 &>> 32) ^ (c3 ^ SIMD8(lowHalf: k1, highHalf: k1))
        c0 = next0
        c1 = p1
        c2 = next2
        c3 = p0
    }

    /// The keys of the ten rounds of one key, each broadcast to four 64-bit lanes: round r
    /// (0 ..< 10) uses (k0 + r·W0, k1 + r·W1) mod 2³², stored at `lanes` positions 2r and 2r + 1.
    public struct RoundKeys: Sendable {
        public typealias Lanes = SIMD4<UInt64>
        public let lanes: (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes,
                           Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes)

        @inlinable
        public init(key: (UInt32, UInt32)) {
            func k(_ round: UInt32, _ word: Int) -> Lanes {
                let value = word == 0 ? key.0 &+ round &* Philox4x32.weyl0 : key.1 &+ round &* Philox4x32.weyl1
                return Lanes(repeating: UInt64(value))
            }
            lanes = (k(0, 0), k(0, 1), k(1, 0), k(1, 1), k(2, 0), k(2, 1), k(3, 0), k(3, 1), k(4, 0), k(4, 1),
                     k(5, 0), k(5, 1), k(6, 0), k(6, 1), k(7, 0), k(7, 1), k(8, 0), k(8, 1), k(9, 0), k(9, 1))
        }
    }

    public static func == (a: Self, b: Self) -> Bool { a.key == b.key }
    public func hash(into h: inout Hasher) { h.combine(key.0); h.combine(key.1) }
}
