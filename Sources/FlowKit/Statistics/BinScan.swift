/// One pass over a buffer of values for a histogram of equal-width bins on [low, high]: the bin
/// of each value in range, by the arithmetic of ``Histogram`` (bin ⌊(x − low)·inverseWidth⌋ by
/// ``Histogram/floorIndex(_:)``, clamped to the last bin), and how many values fall below,
/// above, or are NaN; in the same pass, the support counts of the sample pass (values that are
/// not finite, finite values outside [lower, upper]).
///
/// Four values at a time: the range tests, the bin arithmetic and the support counts in
/// four-lane vectors (⌊t⌋ + 2⁵² exact, so its bits minus those of 2⁵² are the same integers as
/// the scalar path's), then the four bins handed to `add` one by one; a group with a value out of
/// range goes value by value. So the bins, and the counts, are exactly those of the scalar loop.
/// ``countLanes(_:lower:upper:countingSupport:into:)`` is the branch-free variant that
/// ``Histogram`` uses: the same bins, counted in four lanes of 32-bit integers (no chain of
/// floating-point additions to one count, no branch for out-of-range values), which the caller
/// adds to its counts once.
@usableFromInline
struct BinScan {
    @usableFromInline let low: Double
    @usableFromInline let high: Double
    @usableFromInline let inverseWidth: Double
    @usableFromInline let last: Int
    @usableFromInline var under = 0
    @usableFromInline var over = 0
    @usableFromInline var nan = 0
    @usableFromInline var nonFinite = 0
    @usableFromInline var outside = 0

    @inlinable
    init(low: Double, high: Double, inverseWidth: Double, binCount: Int) {
        self.low = low
        self.high = high
        self.inverseWidth = inverseWidth
        last = binCount - 1
    }

    /// The four-lane constants of a pass: the range, 1/width, the support [lower, upper], and the
    /// 2⁵² of ``Histogram/floorIndex(_:)`` as a double and as bits.
    @usableFromInline
    struct Lanes {
        @usableFromInline let low: SIMD4<Double>, high: SIMD4<Double>, inverse: SIMD4<Double>
        @usableFromInline let lower: SIMD4<Double>, upper: SIMD4<Double>
        @usableFromInline let zero = SIMD4<Double>(repeating: 0)
        @usableFromInline let magic = SIMD4<Double>(repeating: 0x1p52)
        @usableFromInline let magicBits = SIMD4<Int64>(repeating: Int64(bitPattern: (0x1p52 as Double).bitPattern))

        @inlinable @inline(__always)
        init(_ scan: BinScan, lower: Double, upper: Double) {
            low = SIMD4(repeating: scan.low)
            high = SIMD4(repeating: scan.high)
            inverse = SIMD4(repeating: scan.inverseWidth)
            self.lower = SIMD4(repeating: lower)
            self.upper = SIMD4(repeating: upper)
        }
    }

    /// One value by the scalar path.
    @inlinable @inline(__always)
    mutating func scalar(_ x: Double, lower: Double, upper: Double, _ add: (Int) -> Void) {
        if !x.isFinite { nonFinite += 1 } else if x < lower || x > upper { outside += 1 }
        if x >= low && x <= high {
            add(Swift.min(Histogram.floorIndex((x - low) * inverseWidth), last))
        } else if x < low {
            under += 1
        } else if x > high {
            over += 1
        } else {
            nan += 1
        }
    }

    /// Slots of one lane's counts in ``countLanes(_:lower:upper:countingSupport:into:)``: the
    /// bins, then one slot each for values below `low`, above `high`, NaN, and the padding of the
    /// last group.
    @inlinable var laneStride: Int { last + 5 }

    /// Every value of `buffer` counted without a branch per value: lane l (l = i mod 4) of the
    /// four-lane groups adds 1 to `lanes[l·laneStride + slot]`, where slot is the value's bin
    /// (⌊min((x − low)·inverseWidth, binCount − 1)⌋, the same integer as the scalar path's
    /// min(⌊(x − low)·inverseWidth⌋, binCount − 1) because binCount − 1 is an integer and ⌊·⌋ is
    /// monotone), or binCount for x < low, binCount + 1 for x > high, binCount + 2 for NaN,
    /// binCount + 3 for the padding lanes of the last partial group. The support counts
    /// (`nonFinite`, `outside`) are added here unless `countingSupport` is false (a constant at
    /// each call, so the loop without them is compiled apart); `under`, `over` and `nan` are left in the lanes
    /// (the caller reads them with the bins). Each lane slot grows by at most ⌈n/4⌉, so 32 bits
    /// hold the counts of up to 4·(2³² − 1) values.
    @inlinable @inline(__always)
    mutating func countLanes(_ buffer: UnsafeBufferPointer<Double>, lower: Double, upper: Double,
                             countingSupport: Bool = true, into lanes: UnsafeMutablePointer<UInt32>) {
        guard let p = buffer.baseAddress else { return }
        let n = buffer.count
        let v = Lanes(self, lower: lower, upper: upper)
        let lastV = SIMD4<Double>(repeating: Double(last))
        let underSlot = SIMD4<Double>(repeating: Double(last + 1)), overSlot = underSlot + 1
        let nanSlot = underSlot + 2, padSlot = underSlot + 3
        let stride = laneStride
        let lane1 = lanes + stride, lane2 = lane1 + stride, lane3 = lane2 + stride
        var nonFiniteV = SIMD4<Int64>(repeating: 0), outsideV = SIMD4<Int64>(repeating: 0)
        /// Counts one group; `valid` marks the lanes that hold values.
        @inline(__always) func group(_ x: SIMD4<Double>, valid: SIMDMask<SIMD4<Int64>>) {
            if countingSupport {
                let finite = x - x .== v.zero
                nonFiniteV &+= SIMD4<Int64>(repeating: 0).replacing(with: 1, where: valid .& .!finite)
                let beyond = (x .< v.lower) .| (x .> v.upper)
                outsideV &+= SIMD4<Int64>(repeating: 0).replacing(with: 1, where: valid .& finite .& beyond)
            }
            var t = (x - v.low) * v.inverse
            t.replace(with: lastV, where: t .> lastV)
            var slot = t.rounded(.down)
            slot.replace(with: underSlot, where: x .< v.low)
            slot.replace(with: overSlot, where: x .> v.high)
            slot.replace(with: nanSlot, where: x .!= x)
            slot.replace(with: padSlot, where: .!valid)
            let s = unsafeBitCast(slot + v.magic, to: SIMD4<Int64>.self) &- v.magicBits
            lanes[Int(truncatingIfNeeded: s[0])] &+= 1
            lane1[Int(truncatingIfNeeded: s[1])] &+= 1
            lane2[Int(truncatingIfNeeded: s[2])] &+= 1
            lane3[Int(truncatingIfNeeded: s[3])] &+= 1
        }
        let all = SIMDMask<SIMD4<Int64>>(repeating: true)
        var i = 0
        while i + 4 <= n {
            group(UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self), valid: all)
            i += 4
        }
        if i < n {
            var x = v.zero
            var valid = SIMDMask<SIMD4<Int64>>(repeating: false)
            for k in 0..<(n - i) {
                x[k] = p[i + k]
                valid[k] = true
            }
            group(x, valid: valid)
        }
        nonFinite += Int(nonFiniteV.wrappedSum())
        outside += Int(outsideV.wrappedSum())
    }

    /// Every value of `buffer`; `add(bin)` once per value in range.
    @inlinable @inline(__always)
    mutating func run(_ buffer: UnsafeBufferPointer<Double>, lower: Double = -.infinity, upper: Double = .infinity,
                      _ add: (Int) -> Void) {
        guard let p = buffer.baseAddress else { return }
        let n = buffer.count
        let v = Lanes(self, lower: lower, upper: upper)
        let lastV = SIMD4<Int64>(repeating: Int64(last))
        let one = SIMD4<Int64>(repeating: 1), none = SIMD4<Int64>(repeating: 0)
        var nonFiniteV = none, outsideV = none
        var i = 0
        while i + 4 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
            let finite = x - x .== v.zero
            let inRange = (x .>= v.low) .& (x .<= v.high)
            if all(inRange) {
                nonFiniteV &+= one.replacing(with: 0, where: finite)
                outsideV &+= none.replacing(with: 1, where: finite .& ((x .< v.lower) .| (x .> v.upper)))
                let t = ((x - v.low) * v.inverse).rounded(.down) + v.magic
                let bins = unsafeBitCast(t, to: SIMD4<Int64>.self) &- v.magicBits
                let clamped = bins.replacing(with: lastV, where: bins .> lastV)
                add(Int(truncatingIfNeeded: clamped[0]))
                add(Int(truncatingIfNeeded: clamped[1]))
                add(Int(truncatingIfNeeded: clamped[2]))
                add(Int(truncatingIfNeeded: clamped[3]))
            } else {
                for k in 0..<4 { scalar(p[i + k], lower: lower, upper: upper, add) }
            }
            i += 4
        }
        while i < n {
            scalar(p[i], lower: lower, upper: upper, add)
            i += 1
        }
        nonFinite += Int(nonFiniteV.wrappedSum())
        outside += Int(outsideV.wrappedSum())
    }
}
