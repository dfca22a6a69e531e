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
    /// A round's 32 × 32 → 64-bit products are vector multiplies of the masked low halves (one
    /// `vpmuludq` per four lanes when AVX2 is enabled); the high halves of the lanes are not
    /// masked between rounds, since they never reach a product or a result.
    @inlinable
    public func blocks(_ c0: SIMD8<UInt64>, _ c1: SIMD8<UInt64>, _ c2: SIMD8<UInt64>,
                       _ c3: SIMD8<UInt64>) -> (SIMD8<UInt64>, SIMD8<UInt64>) {
        var c0 = c0, c1 = c1, c2 = c2, c3 = c3
        var k0 = key.0, k1 = key.1
        let low = SIMD8<UInt64>(repeating: 0xFFFF_FFFF)
        let m0 = SIMD8<UInt64>(repeating: UInt64(Self.multiplier0)), m1 = SIMD8<UInt64>(repeating: UInt64(Self.multiplier1))
        for round in 0..<10 {
            if round > 0 {
                k0 = k0 &+ Self.weyl0
                k1 = k1 &+ Self.weyl1
            }
            let p0 = m0 &* (c0 & low), p1 = m1 &* (c2 & low)
            let next0 = (p1 &>> 32) ^ c1 ^ SIMD8(repeating: UInt64(k0))
            let next2 = (p0 &>> 32) ^ c3 ^ SIMD8(repeating: UInt64(k1))
            c0 = next0
            c1 = p1
            c2 = next2
            c3 = p0
        }
        return ((c0 &<< 32) | (c1 & low), (c2 &<< 32) | (c3 & low))
    }

    public static func == (a: Self, b: Self) -> Bool { a.key == b.key }
    public func hash(into h: inout Hasher) { h.combine(key.0); h.combine(key.1) }
}
