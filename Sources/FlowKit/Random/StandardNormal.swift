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
        widths = (0..<n).map { x[$0] / scale }
        thresholds = (0..<n).map { UInt64((x[$0 + 1] / x[$0] * scale).rounded(.down)) }
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
    /// eight at once in SIMD lanes (``planarWords(blocks:groups:into:)``), and the
    /// ziggurat's fast path reads them from that buffer with a branch-free sign. A draw that
    /// leaves the fast path moves the stream to the word after it and runs the scalar
    /// ``normalSlowPath(_:_:)``, which takes its words from the stream; the batch then goes on
    /// at the stream's new word (the stream is counter-based, so a word computed ahead is the
    /// word the stream would give). Words computed ahead but not used are dropped: the stream is
    /// left just after the last word consumed.
    @inlinable
    public mutating func fillStandardNormal(_ buffer: UnsafeMutableBufferPointer<Double>) {
        let table = NormalZiggurat.shared
        table.widths.withUnsafeBufferPointer { widths in
            table.thresholds.withUnsafeBufferPointer { thresholds in
                guard var word = wordIndex else {
                    for i in buffer.indices { buffer[i] = nextStandardNormal(widths: widths, thresholds: thresholds) }
                    return
                }
                let capacity = 2 * Self.normalBatchBlocks
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity + 2) { words in
                    guard let words = words.baseAddress else { return }
                    var i = buffer.startIndex
                    while i < buffer.endIndex {
                        // Blocks covering words `word ..< word + remaining` (all accepted), at most the batch.
                        let firstWord = word & ~1
                        let needed = Int(word - firstWord) + (buffer.endIndex - i)
                        // Whole groups of eight blocks (normalBatchBlocks is a multiple of 8).
                        let groups = (Swift.min(Self.normalBatchBlocks, (needed + 1) / 2) + 7) / 8
                        self.planarWords(blocks: firstWord / 2, groups: groups, into: words)
                        let end = 16 * groups
                        var j = Int(word - firstWord)
                        while j < end && i < buffer.endIndex {
                            // Four words at once while all four are accepted (the common case):
                            // the same values as the word-by-word path below.
                            if j + 4 <= end && i + 4 <= buffer.endIndex, let base = buffer.baseAddress,
                               let four = Self.fastNormals(words, j, widths: widths, thresholds: thresholds) {
                                UnsafeMutableRawPointer(base + i).storeBytes(of: four, as: SIMD4<Double>.self)
                                i += 4
                                j += 4
                                continue
                            }
                            let bits = words[Self.planarIndex(j)]
                            j += 1
                            let layer = Int(truncatingIfNeeded: bits & 0xFF)
                            let u = (bits >> 9) & 0x000F_FFFF_FFFF_FFFF
                            // u < 2⁵²: the signed conversion (one instruction) is exact and equal.
                            let x = Double(Int64(bitPattern: u)) * widths[layer]
                            if u < thresholds[layer] {
                                // −x when bit 8 is set: flip the sign bit (x ≥ 0), no branch.
                                buffer[i] = Double(bitPattern: x.bitPattern ^ ((bits & 0x100) << 55))
                                i += 1
                                continue
                            }
                            seek(toWord: firstWord + UInt64(j))
                            if let result = normalSlowPath(bits, x) {
                                buffer[i] = result
                                i += 1
                            }
                            // The slow path draws whole words only, so the index is defined.
                            j = Int((wordIndex ?? firstWord + UInt64(j)) - firstWord)
                        }
                        word = firstWord + UInt64(j)
                    }
                    seek(toWord: word)
                }
            }
        }
    }

    /// The ziggurat's fast path for the four words j … j + 3 of a planar buffer
    /// (``planarWords(blocks:groups:into:)``), in four-lane vectors: layer, sign, the 52-bit
    /// integer u and x = u·wᵢ exactly as ``nextStandardNormal(widths:thresholds:)`` forms them
    /// (u < 2⁵², so u + 2⁵² is exact and its difference with 2⁵² is u); nil unless all four
    /// pass u < kᵢ, in which case the caller goes word by word.
    @inlinable @inline(__always)
    static func fastNormals(_ words: UnsafeMutablePointer<UInt64>, _ j: Int, widths: UnsafeBufferPointer<Double>,
                            thresholds: UnsafeBufferPointer<UInt64>) -> SIMD4<Double>? {
        let bits = SIMD4<UInt64>(words[planarIndex(j)], words[planarIndex(j + 1)],
                                 words[planarIndex(j + 2)], words[planarIndex(j + 3)])
        let layer = bits & 0xFF
        let u = (bits &>> 9) & 0x000F_FFFF_FFFF_FFFF
        let l0 = Int(truncatingIfNeeded: layer[0]), l1 = Int(truncatingIfNeeded: layer[1])
        let l2 = Int(truncatingIfNeeded: layer[2]), l3 = Int(truncatingIfNeeded: layer[3])
        let k = SIMD4<Int64>(Int64(bitPattern: thresholds[l0]), Int64(bitPattern: thresholds[l1]),
                             Int64(bitPattern: thresholds[l2]), Int64(bitPattern: thresholds[l3]))
        // Both below 2⁵²: the signed comparison is the unsigned one.
        guard all(SIMD4<Int64>(truncatingIfNeeded: u) .< k) else { return nil }
        let w = SIMD4<Double>(widths[l0], widths[l1], widths[l2], widths[l3])
        let magic = SIMD4<Double>(repeating: 0x1p52)
        let ud = unsafeBitCast(u | unsafeBitCast(magic, to: SIMD4<UInt64>.self), to: SIMD4<Double>.self) - magic
        let x = unsafeBitCast(ud * w, to: SIMD4<UInt64>.self)
        return unsafeBitCast(x ^ ((bits & 0x100) &<< 55), to: SIMD4<Double>.self)
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
        let table = NormalZiggurat.shared
        let layer = Int(truncatingIfNeeded: bits & 0xFF)
        let negative = (bits >> 8) & 1 == 1
        if layer == 0 {
            let r = NormalZiggurat.tailStart
            while true {
                let a = -Foundation.log(nextOpenUniform()) / r
                let b = -Foundation.log(nextOpenUniform())
                if b + b > a * a { return negative ? -(r + a) : r + a }
            }
        }
        let lowerHeight = table.heights[layer]
        let y = lowerHeight + nextUniform() * (table.heights[layer + 1] - lowerHeight)
        if y < Foundation.exp(-0.5 * x * x) { return negative ? -x : x }
        return nil
    }
}
