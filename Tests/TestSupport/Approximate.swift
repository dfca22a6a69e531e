import Foundation

/// Relative error |a − b| / max(|b|, tiny): the measure of agreement tests use. Equal
/// infinities and equal NaN-free values give 0.
public func relativeError(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    if a.isNaN || b.isNaN { return .infinity }
    return abs(a - b) / max(abs(b), Double.leastNormalMagnitude)
}

/// The distance between two doubles in units in the last place (ulps); Int.max for NaN.
public func ulpDistance(_ a: Double, _ b: Double) -> Int {
    if a == b { return 0 }
    if a.isNaN || b.isNaN || a.isInfinite || b.isInfinite { return .max }
    func ordered(_ x: Double) -> Int64 {
        let bits = Int64(bitPattern: x.bitPattern)
        return bits < 0 ? Int64.min - bits : bits
    }
    let d = ordered(a).subtractingReportingOverflow(ordered(b))
    return d.overflow ? .max : Int(d.partialValue.magnitude)
}

/// Whether `a` and `b` agree to relative error `tolerance`, or, near zero, to absolute
/// error `absolute` (for values that are exactly zero in theory).
public func isClose(_ a: Double, _ b: Double, relative tolerance: Double, absolute: Double = 0) -> Bool {
    if a == b { return true }
    return abs(a - b) <= max(tolerance * max(abs(a), abs(b)), absolute)
}
