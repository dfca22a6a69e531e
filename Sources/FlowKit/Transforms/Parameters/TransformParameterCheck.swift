/// Range checks shared by the transform parameters; each throws
/// ``FlowKitError/invalidParameter`` naming the spec key. NaN and ±∞ are always rejected.
enum TransformParameterCheck {
    static func finite(_ value: Double, _ name: String) throws(FlowKitError) {
        guard value.isFinite else {
            throw .invalidParameter(parameter: name, value: "\(value)", requirement: "must be finite")
        }
    }

    static func positive(_ value: Double, _ name: String) throws(FlowKitError) {
        guard value.isFinite, value > 0 else {
            throw .invalidParameter(parameter: name, value: "\(value)", requirement: "must be finite and > 0")
        }
    }

    static func nonZero(_ value: Double, _ name: String) throws(FlowKitError) {
        guard value.isFinite, value != 0 else {
            throw .invalidParameter(parameter: name, value: "\(value)", requirement: "must be finite and ≠ 0")
        }
    }

    /// Every entry finite and strictly increasing, at least `minimumCount` entries.
    static func strictlyIncreasing(_ values: [Double], _ name: String, minimumCount: Int) throws(FlowKitError) {
        guard values.count >= minimumCount else {
            throw .invalidParameter(parameter: name, value: "\(values.count) values",
                                    requirement: "needs at least \(minimumCount) values")
        }
        for (i, v) in values.enumerated() {
            guard v.isFinite else {
                throw .invalidParameter(parameter: name, value: "\(v) at index \(i)", requirement: "must be finite")
            }
            if i > 0, !(v > values[i - 1]) {
                throw .invalidParameter(parameter: name, value: "\(v) at index \(i) after \(values[i - 1])",
                                        requirement: "must be strictly increasing")
            }
        }
    }
}
