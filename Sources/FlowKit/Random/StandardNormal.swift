import Foundation

/// The 256-layer ziggurat of the standard normal density (Marsaglia & Tsang 2000, "The
/// ziggurat method for generating random variables", J. Stat. Softw. 5(8); the 256-layer,
/// 52-bit layout of numpy's `random_standard_normal`, McFarland 2016).
///
/// With f(x) = exp(−x²/2), r = 3.6541528853610088 and the common layer area
/// v = r·f(r) + ∫ᵣ^∞ f = r·f(r) + √(π/2)·erfc(r/√2), the layer edges are
/// x₀ = v/f(r) (the base strip, which also stands for the tail), x₁ = r,
/// xᵢ₊₁ = f⁻¹(f(xᵢ) + v/xᵢ) = √(−2 log(f(xᵢ) + v/xᵢ)), and x₂₅₆ = 0 (the recursion closes to
/// 1 + 3·10⁻¹⁵ in double precision; the top edge is set to exactly 0).
/// Tables are built once, in a `static let`; they hold no per-stream state.
@usableFromInline
struct NormalZiggurat: Sendable {
    /// Number of layers (a power of two: the layer index is the low 8 bits of a draw).
    @usableFromInline static let layerCount = 256
    /// The right edge of the tail region, r.
    @usableFromInline static let tailStart = 3.6541528853610087963519472518
    /// wᵢ = xᵢ / 2⁵²: a 52-bit integer times wᵢ is a uniform point in [0, xᵢ).
    @usableFromInline let widths: [Double]
    /// kᵢ = ⌊2⁵² · xᵢ₊₁/xᵢ⌋: integers below kᵢ fall inside the density (no test needed).
    @usableFromInline let thresholds: [UInt64]
    /// (wᵢ, kᵢ) side by side at entries 2i and 2i + 1, kᵢ as a double (exact, since kᵢ < 2⁵²):
    /// one 16-byte load gives a layer's width and threshold (the batch fast path,
    /// ``RandomStream/fastNormals(_:into:layers:)``).
    @usableFromInline let layers: [Double]
    /// fᵢ = f(xᵢ), i = 0…256 (f₀ = f(r), f₂₅₆ = 1).
    @usableFromInline let heights: [Double]
    /// The edges xᵢ, i = 0…256 (for tests).
    @usableFromInline let edges: [Double]
    /// f(x₂₅₅) + v/x₂₅₅, which should be 1: how well the tables close (for tests).
    @usableFromInline let closure: Double

    @usableFromInline static let shared = NormalZiggurat()

    init() {
        let n = Self.layerCount
        let r = Self.tailStart
        func f(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) }
        let v = r * f(r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        var x = [Double](repeating: 0, count: n + 1)
        x[0] = v / f(r)
        x[1] = r
        for i in 1..<(n - 1) {
            x[i + 1] = (-2 * Foundation.log(f(x[i]) + v / x[i])).squareRoot()
        }
        closure = f(x[n - 1]) + v / x[n - 1]
        x[n] = 0
        let scale = 0x1.0p52
        let widths = (0..<n).map { x[$0] / scale }
        let thresholds = (0..<n).map { UInt64((x[$0 + 1] / x[$0] * scale).rounded(.down)) }
        self.widths = widths
        self.thresholds = thresholds
        layers = (0..<n).flatMap { [widths[$0], Double(thresholds[$0])] }
        var heights = x.map(f)
        heights[0] = f(r)  // the base strip's top is f(r), not f(x₀)
        heights[n] = 1
        self.heights = heights
        edges = x
    }
}

extension RandomStream {
    /// A standard normal draw by the ziggurat method (``NormalZiggurat``).
    ///
    /// One 64-bit draw gives the layer i (low 8 bits), the sign (bit 8) and a 52-bit integer
    /// u (bits 9…60); x = u·wᵢ is accepted at once when u < kᵢ (about 99% of draws).
    /// Otherwise: in the base layer, a tail draw by Marsaglia's (1964) method,
    /// r + a with a = −log(U₁)/r, accepted when −2 log(U₂) > a²; in layer i ≥ 1, x is accepted
    /// when fᵢ + U·(fᵢ₊₁ − fᵢ) < f(x). Rejections start over with fresh bits; nothing is
    /// cached between calls.
    @inlinable
    public mutating func nextStandardNormal() -> Double {
        let table = NormalZiggurat.shared
        return table.widths.withUnsafeBufferPointer { widths in
            table.thresholds.withUnsafeBufferPointer { thresholds in
                nextStandardNormal(widths: widths, thresholds: thresholds)
            }
        }
    }

    /// Fills `buffer` with standard normal draws, in order: the same values, and the same
    /// stream state afterwards, as calling ``nextStandardNormal()`` `buffer.count` times.
    ///
    /// The random words are computed ahead, up to ``normalBatchBlocks`` Philox blocks at a time,
    /// eight at once in SIMD lanes, and stored in stream order
    /// (``sequentialWords(blocks:groups:into:)``). The ziggurat's fast path takes eight
    /// consecutive words at a time (``fastNormals(_:into:layers:)``) and moves on by the number
    /// of leading words it accepted. A draw that leaves the fast path runs the slow path on the
    /// words after it (``normalSlowPath(_:_:ahead:)``: the words computed ahead, then the
    /// stream's, which are the words the stream would give, as it is counter-based); the batch
    /// goes on at the first word the slow path left. Words computed ahead but not used are
    /// dropped: the stream is left just after the last word consumed.
    @inlinable
    public mutating func fillStandardNormal(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard var word = wordIndex, let out = buffer.baseAddress else {
            for i in buffer.indices { buffer[i] = nextStandardNormal() }
            return
        }
        let count = buffer.count
        NormalZiggurat.shared.layers.withUnsafeBufferPointer { layers in
            guard let layers = layers.baseAddress else { return }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * Self.normalBatchBlocks) { words in
                guard let words = words.baseAddress else { return }
                var i = 0
                while i < count {
                    // Blocks covering words `word ..< word + remaining` (all accepted), at most the batch.
                    let firstWord = word & ~1
                    let needed = Int(word - firstWord) + (count - i)
                    // Whole groups of eight blocks (normalBatchBlocks is a multiple of 8).
                    let groups = (Swift.min(Self.normalBatchBlocks, (needed + 1) / 2) + 7) / 8
                    self.sequentialWords(blocks: firstWord / 2, groups: groups, into: words)
                    let end = 16 * groups
                    var j = Int(word - firstWord)
                    while j < end && i < count {
                        let bits: UInt64, x: Double
                        if j + 8 <= end && i + 8 <= count {
                            // Eight words at once (all eight accepted in about 91 % of the groups);
                            // else word j failed the fast test.
                            let accepted = Self.fastNormals(words + j, into: out + i, layers: layers)
                            i &+= accepted
                            j &+= accepted
                            if accepted == 8 { continue }
                            bits = words[j]
                            j &+= 1
                            x = Self.zigguratCandidate(bits, layers: layers).x
                        } else {
                            // Word by word near the ends.
                            bits = words[j]
                            j &+= 1
                            let candidate = Self.zigguratCandidate(bits, layers: layers)
                            if candidate.inside {
                                // −x when bit 8 is set: flip the sign bit (x ≥ 0), no branch.
                                out[i] = Double(bitPattern: candidate.x.bitPattern ^ ((bits & 0x100) << 55))
                                i &+= 1
                                continue
                            }
                            x = candidate.x
                        }
                        var ahead = AheadWords(words, count: end, next: j, stream: self, firstWord: firstWord)
                        if let result = Self.normalSlowPath(bits, x, ahead: &ahead) {
                            out[i] = result
                            i &+= 1
                        }
                        j = ahead.next
                    }
                    word = firstWord + UInt64(j)
                }
                seek(toWord: word)
            }
        }
    }

    /// The fast path's x = u·wᵢ of one word and whether u < kᵢ, from ``NormalZiggurat/layers``
    /// (u < 2⁵²: the signed conversion, one instruction, is exact and equal, and so is the
    /// test on the doubles).
    @inlinable @inline(__always)
    static func zigguratCandidate(_ bits: UInt64, layers: UnsafePointer<Double>) -> (x: Double, inside: Bool) {
        let layer = Int(truncatingIfNeeded: bits & 0xFF)
        let u = Double(Int64(bitPattern: (bits >> 9) & 0x000F_FFFF_FFFF_FFFF))
        return (u * layers[2 &* layer], u < layers[2 &* layer &+ 1])
    }

    /// The ziggurat's fast path for the eight consecutive words `words[0 ..< 8]`, in vectors:
    /// layer, sign, the 52-bit integer u and x = u·wᵢ exactly as
    /// ``nextStandardNormal(widths:thresholds:)`` forms them (u < 2⁵², so u + 2⁵² is exact and
    /// its difference with 2⁵² is u), written to `out[0 ..< 8]`. The test u < kᵢ is made on the
    /// doubles u and kᵢ, which are exact (both below 2⁵²). Returns n, the number of leading
    /// words that pass it: `out[0 ..< n]` are their normals, the rest of the eight values are
    /// to be overwritten. `layers` is ``NormalZiggurat/layers``.
    @inlinable @inline(__always)
    static func fastNormals(_ words: UnsafeMutablePointer<UInt64>, into out: UnsafeMutablePointer<Double>,
                            layers: UnsafePointer<Double>) -> Int {
        let raw = UnsafeRawPointer(words), table = UnsafeRawPointer(layers)
        /// (wᵢ, kᵢ) of word `k`'s layer: the layer is the word's low byte, one byte load.
        @inline(__always) func entry(_ k: Int) -> SIMD2<Double> {
            #if _endian(little)
            let layer = Int(raw.load(fromByteOffset: 8 &* k, as: UInt8.self))
            #else
            let layer = Int(raw.load(fromByteOffset: 8 &* k &+ 7, as: UInt8.self))
            #endif
            return table.loadUnaligned(fromByteOffset: 16 &* layer, as: SIMD2<Double>.self)
        }
        // (w, k) of words (0, 2), (1, 3), …: unpacking their halves gives the widths and thresholds.
        let e02 = SIMD4(lowHalf: entry(0), highHalf: entry(2)), e13 = SIMD4(lowHalf: entry(1), highHalf: entry(3))
        let e46 = SIMD4(lowHalf: entry(4), highHalf: entry(6)), e57 = SIMD4(lowHalf: entry(5), highHalf: entry(7))
        let w = SIMD8(lowHalf: SIMD4(e02[0], e13[0], e02[2], e13[2]), highHalf: SIMD4(e46[0], e57[0], e46[2], e57[2]))
        let k = SIMD8(lowHalf: SIMD4(e02[1], e13[1], e02[3], e13[3]), highHalf: SIMD4(e46[1], e57[1], e46[3], e57[3]))
        let bits = raw.loadUnaligned(as: SIMD8<UInt64>.self)
        let magic = SIMD8<Double>(repeating: 0x1p52)
        let u = ((bits &>> 9) & 0x000F_FFFF_FFFF_FFFF) | unsafeBitCast(magic, to: SIMD8<UInt64>.self)
        let ud = unsafeBitCast(u, to: SIMD8<Double>.self) - magic
        let x = unsafeBitCast(ud * w, to: SIMD8<UInt64>.self) ^ ((bits & 0x100) &<< 55)
        UnsafeMutableRawPointer(out).storeBytes(of: unsafeBitCast(x, to: SIMD8<Double>.self), as: SIMD8<Double>.self)
        let inside = ud .< k
        if all(inside) { return 8 }
        // Bit l set when word l passes: n is the count of trailing ones (no branch per word).
        let passed = unsafeBitCast(inside, to: SIMD8<Int64>.self) & SIMD8(1, 2, 4, 8, 16, 32, 64, 128)
        return (~passed.wrappedSum()).trailingZeroBitCount
    }

    /// Philox blocks computed ahead by ``fillStandardNormal(_:)`` (two words each; 2 KiB).
    @usableFromInline static let normalBatchBlocks = 128

    /// The ziggurat's fast path on the tables' buffers (in release builds unsafe buffer
    /// subscripts are not bounds-checked; the layer is 8 bits and the tables have 256 entries),
    /// with no access to the shared tables per draw; the rare rest is out of line in
    /// ``normalSlowPath(_:_:)``.
    @inlinable @inline(__always)
    mutating func nextStandardNormal(widths: UnsafeBufferPointer<Double>,
                                     thresholds: UnsafeBufferPointer<UInt64>) -> Double {
        while true {
            let bits = nextUInt64()
            let layer = Int(truncatingIfNeeded: bits & 0xFF)
            let u = (bits >> 9) & 0x000F_FFFF_FFFF_FFFF
            let x = Double(u) * widths[layer]
            if u < thresholds[layer] { return (bits >> 8) & 1 == 1 ? -x : x }
            if let result = normalSlowPath(bits, x) { return result }
        }
    }

    /// The tail (layer 0) and wedge (layers ≥ 1) tests of ``nextStandardNormal()``; nil when
    /// the wedge test rejects and the caller starts over.
    @usableFromInline @inline(never)
    mutating func normalSlowPath(_ bits: UInt64, _ x: Double) -> Double? {
        NormalZiggurat.slowPath(bits, x, words: &self)
    }

    /// ``normalSlowPath(_:_:)`` for ``fillStandardNormal(_:)``: the same test on the same words,
    /// taken from the words computed ahead while they last (``AheadWords``), with no move of
    /// the stream.
    @usableFromInline @inline(never)
    static func normalSlowPath(_ bits: UInt64, _ x: Double, ahead: inout AheadWords) -> Double? {
        NormalZiggurat.slowPath(bits, x, words: &ahead)
    }
}

/// A supply of 64-bit random words in stream order (the words of ``RandomStream/nextUInt64()``),
/// for the ziggurat's slow path.
@usableFromInline
protocol ZigguratWords {
    mutating func nextWord() -> UInt64
}

extension RandomStream: ZigguratWords {
    @usableFromInline mutating func nextWord() -> UInt64 { nextUInt64() }
}

/// The words that ``RandomStream/fillStandardNormal(_:)`` computed ahead, `words[0 ..< count]`
/// (stream words `firstWord ..< firstWord + count`), read from `next` on; past the end, the
/// stream's own words from `firstWord + count`. Afterwards `next` is the place of the first
/// word not consumed (possibly past `count`).
@usableFromInline
struct AheadWords: ZigguratWords {
    @usableFromInline let words: UnsafePointer<UInt64>
    @usableFromInline let count: Int
    @usableFromInline var next: Int
    /// The stream at word `firstWord + count`, for words past the end.
    @usableFromInline var rest: RandomStream

    @inlinable
    init(_ words: UnsafePointer<UInt64>, count: Int, next: Int, stream: RandomStream, firstWord: UInt64) {
        self.words = words
        self.count = count
        self.next = next
        rest = stream
        rest.seek(toWord: firstWord &+ UInt64(count))
    }

    @usableFromInline mutating func nextWord() -> UInt64 {
        defer { next += 1 }
        return next < count ? words[next] : rest.nextUInt64()
    }
}

extension NormalZiggurat {
    /// The slow path of the ziggurat on a draw `bits` with x = u·wᵢ that failed u < kᵢ, its
    /// further words taken from `words`. In the base layer (i = 0), a tail draw by Marsaglia's
    /// (1964) method: r + a with a = −log(U₁)/r, U₁, U₂ open uniforms, accepted when
    /// −2 log(U₂) > a². In layer i ≥ 1, x is accepted when fᵢ + U·(fᵢ₊₁ − fᵢ) < f(x), U uniform;
    /// nil when it is not (the caller starts over). The sign is bit 8 of `bits`.
    @inline(__always)
    static func slowPath<Words: ZigguratWords>(_ bits: UInt64, _ x: Double, words: inout Words) -> Double? {
        let table = NormalZiggurat.shared
        let layer = Int(truncatingIfNeeded: bits & 0xFF)
        let negative = (bits >> 8) & 1 == 1
        if layer == 0 {
            let r = NormalZiggurat.tailStart
            while true {
                let a = -Foundation.log(RandomStream.openUniform(fromBits: words.nextWord())) / r
                let b = -Foundation.log(RandomStream.openUniform(fromBits: words.nextWord()))
                if b + b > a * a { return negative ? -(r + a) : r + a }
            }
        }
        let lowerHeight = table.heights[layer]
        let y = lowerHeight + RandomStream.uniform(fromBits: words.nextWord()) * (table.heights[layer + 1] - lowerHeight)
        if y < Foundation.exp(-0.5 * x * x) { return negative ? -x : x }
        return nil
    }
}
