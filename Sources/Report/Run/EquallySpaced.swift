extension ClosedRange where Bound == Double {
    /// `count` (at least 2) equally spaced values from the lower to the upper bound, both end
    /// points exact: lo + (hi − lo)·i/(count − 1).
    func equallySpaced(_ count: Int) -> [Double] {
        let n = Swift.max(count, 2)
        return (0..<n).map { lowerBound + (upperBound - lowerBound) * Double($0) / Double(n - 1) }
    }
}
