/// One independent stream of random numbers of a run: Philox4x32-10 keyed by the run's seed,
/// with the stream index in the upper half of the counter, so that stream `i` serves chunk `i`
/// and results never depend on how many threads ran or in which order (numpy's and JAX's
/// counter-based design).
///
/// Counter layout: (c0, c1) = 64-bit position inside the stream, (c2, c3) = 64-bit stream index.
/// Key: the two 32-bit halves of `seed` (see ``RandomStream/key(forSeed:)``).
///
/// The stream is always passed explicitly (`inout`), never global. Nothing here uses the
/// standard library's random algorithms, which may change between Swift releases.
public struct RandomStream: Sendable {
    public let generator: Philox4x32
    public let streamIndex: UInt64
    @usableFromInline var position: UInt64 = 0
    @usableFromInline var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    @usableFromInline var buffered: Int = 0

    /// Stream `stream` of the run seeded with `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.generator = Philox4x32(key: Self.key(forSeed: seed))
        self.streamIndex = stream
    }

    /// Seed → key derivation: the low and high 32-bit words of the seed.
    public static func key(forSeed seed: UInt64) -> (UInt32, UInt32) {
        (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    /// The next 32 random bits.
    @inlinable
    public mutating func nextUInt32() -> UInt32 {
        if buffered == 0 { refill() }
        buffered -= 1
        switch buffered {
        case 3: return buffer.0
        case 2: return buffer.1
        case 1: return buffer.2
        default: return buffer.3
        }
    }

    /// The next 64 random bits (two 32-bit outputs, the first in the high half).
    ///
    /// Fast path: when the buffered outputs are aligned on a pair (4, 2 or 0 left), the two
    /// words are taken together, without going through ``nextUInt32()`` twice; the bits are
    /// the same as the two-call path's.
    @inlinable
    public mutating func nextUInt64() -> UInt64 {
        switch buffered {
        case 4:
            buffered = 2
            return UInt64(buffer.0) << 32 | UInt64(buffer.1)
        case 2:
            buffered = 0
            return UInt64(buffer.2) << 32 | UInt64(buffer.3)
        case 0:
            refill()
            buffered = 2
            return UInt64(buffer.0) << 32 | UInt64(buffer.1)
        default:
            let hi = UInt64(nextUInt32())
            return (hi << 32) | UInt64(nextUInt32())
        }
    }

    /// Computes the next block of four outputs and advances the position. Out of line, so
    /// that the callers' buffered fast paths stay small enough to inline.
    @usableFromInline @inline(never)
    mutating func refill() {
        buffer = generator.block((UInt32(truncatingIfNeeded: position),
                                  UInt32(truncatingIfNeeded: position >> 32),
                                  UInt32(truncatingIfNeeded: streamIndex),
                                  UInt32(truncatingIfNeeded: streamIndex >> 32)))
        position &+= 1
        buffered = 4
    }

    /// How many 64-bit words (``nextUInt64()`` draws) of the stream have been consumed, or nil
    /// when the stream stands between the two 32-bit halves of a word (after an odd number of
    /// ``nextUInt32()`` calls). Word w is half w mod 2 of block ⌊w/2⌋: (c0, c1) or (c2, c3).
    @inlinable
    var wordIndex: UInt64? {
        switch buffered {
        case 0: return 2 &* position
        case 2: return 2 &* position &- 1
        case 4: return 2 &* position &- 2
        default: return nil
        }
    }

    /// Moves the stream to just after word `word - 1`, so that the next ``nextUInt64()`` returns
    /// word `word` (the state that consuming `word` words from the start leaves).
    @inlinable
    mutating func seek(toWord word: UInt64) {
        position = word / 2
        buffered = 0
        if word & 1 == 1 {
            refill()
            buffered = 2
        }
    }

    /// Writes the words of blocks `firstBlock ..< firstBlock + blockCount` of this stream to
    /// `words` (two per block, in the order of ``nextUInt64()``), without moving the stream.
    /// The blocks are independent, so their ten rounds overlap in the processor's pipeline.
    @inlinable
    func words(blocks firstBlock: UInt64, count blockCount: Int, into words: UnsafeMutablePointer<UInt64>) {
        let s0 = UInt32(truncatingIfNeeded: streamIndex), s1 = UInt32(truncatingIfNeeded: streamIndex >> 32)
        for b in 0..<blockCount {
            let p = firstBlock &+ UInt64(b)
            let c = generator.block((UInt32(truncatingIfNeeded: p), UInt32(truncatingIfNeeded: p >> 32), s0, s1))
            words[2 * b] = UInt64(c.0) << 32 | UInt64(c.1)
            words[2 * b + 1] = UInt64(c.2) << 32 | UInt64(c.3)
        }
    }

    /// Writes the words of blocks `firstBlock ..< firstBlock + 8·groups` to `words`, two per
    /// block, in the order of ``nextUInt64()`` (word j of the output is word 2·firstBlock + j of
    /// the stream): the same words as ``words(blocks:count:into:)``, eight blocks per
    /// ``Philox4x32/blocks(_:_:_:_:)``.
    ///
    /// Lane l computes block (0, 2, 1, 3, 4, 6, 5, 7)[l] of its group of eight,
    /// so that interleaving the first and second words of lanes (0, 2), (1, 3), (4, 6), (5, 7)
    /// (an unpack of the 128-bit halves, `vpunpcklqdq`/`vpunpckhqdq` with AVX2) gives four
    /// consecutive words each.
    @inlinable
    func sequentialWords(blocks firstBlock: UInt64, groups: Int, into words: UnsafeMutablePointer<UInt64>) {
        let s0 = SIMD8<UInt64>(repeating: streamIndex & 0xFFFF_FFFF), s1 = SIMD8<UInt64>(repeating: streamIndex >> 32)
        let lanes = SIMD8<UInt64>(0, 2, 1, 3, 4, 6, 5, 7)
        let keys = Philox4x32.RoundKeys(key: generator.key)
        let raw = UnsafeMutableRawPointer(words)
        for g in 0..<groups {
            let p = SIMD8<UInt64>(repeating: firstBlock &+ UInt64(8 * g)) &+ lanes
            let (a, b) = Philox4x32.blocks(p & SIMD8(repeating: 0xFFFF_FFFF), p &>> 32, s0, s1, keys: keys)
            let offset = 128 * g
            raw.storeBytes(of: SIMD4(a[0], b[0], a[2], b[2]), toByteOffset: offset, as: SIMD4<UInt64>.self)
            raw.storeBytes(of: SIMD4(a[1], b[1], a[3], b[3]), toByteOffset: offset + 32, as: SIMD4<UInt64>.self)
            raw.storeBytes(of: SIMD4(a[4], b[4], a[6], b[6]), toByteOffset: offset + 64, as: SIMD4<UInt64>.self)
            raw.storeBytes(of: SIMD4(a[5], b[5], a[7], b[7]), toByteOffset: offset + 96, as: SIMD4<UInt64>.self)
        }
    }

    /// Fills `buffer` with the next `buffer.count` 64-bit words: the same values, and the same
    /// stream state afterwards, as `buffer.count` calls of ``nextUInt64()``, with the blocks
    /// computed together (``words(blocks:count:into:)``).
    @inlinable
    public mutating func fillUInt64(_ buffer: UnsafeMutableBufferPointer<UInt64>) {
        guard let start = wordIndex, let base = buffer.baseAddress, !buffer.isEmpty else {
            for i in buffer.indices { buffer[i] = nextUInt64() }
            return
        }
        var i = 0
        if start & 1 == 1 {
            buffer[0] = nextUInt64()
            i = 1
        }
        let blocks = (buffer.count - i) / 2
        words(blocks: (start + UInt64(i)) / 2, count: blocks, into: base + i)
        seek(toWord: (start + UInt64(i)) &+ UInt64(2 * blocks))
        if i + 2 * blocks < buffer.count { buffer[buffer.count - 1] = nextUInt64() }
    }

    /// A double in [0, 1) from the top 53 bits: k · 2⁻⁵³, k uniform on 0..<2⁵³.
    @inlinable
    public mutating func nextUniform() -> Double {
        Self.uniform(fromBits: nextUInt64())
    }

    /// A double in (0, 1): (k + ½) · 2⁻⁵², k uniform on 0..<2⁵²; never 0 or 1, so log and
    /// quantiles stay finite.
    @inlinable
    public mutating func nextOpenUniform() -> Double {
        Self.openUniform(fromBits: nextUInt64())
    }

    /// The bits → double map of ``nextUniform()``: k · 2⁻⁵³ with k = bits >> 11, in
    /// [0, 1 − 2⁻⁵³] (exact: every value is a multiple of 2⁻⁵³ below 1).
    @inlinable
    public static func uniform(fromBits bits: UInt64) -> Double {
        Double(bits >> 11) * 0x1.0p-53
    }

    /// The bits → double map of ``nextOpenUniform()``: (k + ½) · 2⁻⁵² with k = bits >> 12, in
    /// [2⁻⁵³, 1 − 2⁻⁵³]. Exact: k + ½ < 2⁵² needs 53 significant bits. (With 53 bits of k the
    /// top value 1 − 2⁻⁵⁴ would not be representable and would round to 1.)
    @inlinable
    public static func openUniform(fromBits bits: UInt64) -> Double {
        (Double(bits >> 12) + 0.5) * 0x1.0p-52
    }
}
