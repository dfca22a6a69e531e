import Foundation

/// The two-dimensional toy data sets of FFJORD (Grathwohl et al. 2019, `lib/toy_data.py`)
/// and Block NAF (De Cao et al. 2020), as samplers of independent points (`flows.md` §6).
///
/// The published generators build a batch (some with fixed class sizes, evenly spaced
/// angles and a final shuffle); here each point is drawn independently from the mixture
/// they approximate (class chosen uniformly, angle uniform), which has the same
/// distribution in the limit of large batches and lets any number of points stream in
/// chunks. N below is an independent standard normal draw, U an independent uniform on
/// [0, 1), B a fair bit, all from the caller's ``RandomStream`` (ziggurat normals, our
/// own 53-bit uniforms).
///
/// - `8gaussians`: centre c = 4·(±1, 0), 4·(0, ±1) or 4·(±1/√2, ±1/√2), uniformly;
///   x = (c + 0.5·(N, N)) / 1.414.
/// - `2spirals`: n = √U · 540 · 2π/360 (= 3π√U); s = ±1 (B);
///   x = s·(−cos(n)·n + 0.5·U, sin(n)·n + 0.5·U) / 3 + 0.1·(N, N).
/// - `checkerboard`: x1 = 4U − 2; x2 = U − 2B + (⌊x1⌋ mod 2) (mod as Python's %, in {0, 1});
///   x = 2·(x1, x2).
/// - `pinwheel`: arm k ∈ {0…4} uniformly, (f1, f2) = (1 + 0.3N, 0.1N),
///   a = 2πk/5 + 0.25·exp(f1), x = 2·(f1 cos a + f2 sin a, −f1 sin a + f2 cos a)
///   (the row vector f times the rotation [[cos a, −sin a], [sin a, cos a]]).
/// - `rings`: radius r ∈ {1, 0.75, 0.5, 0.25} uniformly, θ = 2πU;
///   x = 3r·(cos θ, sin θ) + 0.08·(N, N).
/// - `moons`: scikit-learn's `make_moons(noise=0.1)`: θ = πU, the outer moon (cos θ, sin θ)
///   or the inner (1 − cos θ, 1 − sin θ − 0.5) (B), + 0.1·(N, N); then x = 2·m + (−1, −0.2).
/// - `circles`: scikit-learn's `make_circles(factor=0.5, noise=0.08)`: θ = 2πU, radius 1 or
///   0.5 (B), + 0.08·(N, N); then ×3.
/// - `swissroll`: scikit-learn's `make_swiss_roll(noise=1)`: t = 1.5π(1 + 2U),
///   (t cos t, 21U, t sin t) + (N, N, N); keep columns 0 and 2 and divide by 5 (the unused
///   middle column is not drawn).
public enum ToyDataset: String, CaseIterable, Sendable, Codable {
    case eightGaussians = "8gaussians"
    case twoSpirals = "2spirals"
    case checkerboard
    case pinwheel
    case rings
    case moons
    case circles
    case swissroll

    /// The data set called `name` (the spec vocabulary: "8gaussians", "2spirals", …).
    public init(name: String) throws {
        guard let value = ToyDataset(rawValue: name) else {
            throw FlowKitError.unknownName(kind: "data set", name: name, known: Self.allCases.map(\.rawValue))
        }
        self = value
    }

    public var name: String { rawValue }

    /// A one-line description for catalogs.
    public var summary: String {
        switch self {
        case .eightGaussians: return "eight Gaussians (std 0.5/1.414) on a circle of radius 4/1.414"
        case .twoSpirals: return "two interleaved spirals with noise 0.1"
        case .checkerboard: return "uniform on the dark squares of a 4 × 4 checkerboard on [−4, 4]²"
        case .pinwheel: return "five curved arms of a pinwheel"
        case .rings: return "four concentric rings of radii 3, 2.25, 1.5, 0.75 with noise 0.08"
        case .moons: return "two interleaving half circles (make_moons, noise 0.1), ×2, shifted"
        case .circles: return "two concentric circles (make_circles, factor 0.5, noise 0.08), ×3"
        case .swissroll: return "swiss roll (make_swiss_roll, noise 1), columns 0 and 2, /5"
        }
    }

    /// Overwrites every point of `batch` (which must be two-dimensional) with an independent
    /// draw, using only `stream`.
    public func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        precondition(batch.dimension == 2, "toy data sets are two-dimensional")
        let count = batch.count
        batch.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<count {
                let (x, y) = sample(using: &stream)
                v[2 * i] = x
                v[2 * i + 1] = y
            }
        }
    }

    /// `count` independent points as a new batch.
    public func sample(count: Int, using stream: inout RandomStream) -> PointBatch {
        var batch = PointBatch(dimension: 2, count: max(0, count))
        sample(into: &batch, using: &stream)
        return batch
    }

    /// One point.
    public func sample(using stream: inout RandomStream) -> (Double, Double) {
        switch self {
        case .eightGaussians:
            let k = Self.uniformIndex(below: 8, using: &stream)
            let (cx, cy) = Self.eightCenters[k]
            let x = 4 * cx + 0.5 * stream.nextStandardNormal()
            let y = 4 * cy + 0.5 * stream.nextStandardNormal()
            return (x / 1.414, y / 1.414)
        case .twoSpirals:
            let n = stream.nextUniform().squareRoot() * 540 * (2 * Double.pi) / 360
            let sign: Double = Self.bit(&stream) ? -1 : 1
            let x = -Foundation.cos(n) * n + 0.5 * stream.nextUniform()
            let y = Foundation.sin(n) * n + 0.5 * stream.nextUniform()
            return (sign * x / 3 + 0.1 * stream.nextStandardNormal(), sign * y / 3 + 0.1 * stream.nextStandardNormal())
        case .checkerboard:
            let x1 = 4 * stream.nextUniform() - 2
            let column = Foundation.floor(x1)
            let parity = column - 2 * Foundation.floor(column / 2)  // Python's floor(x1) % 2
            let x2 = stream.nextUniform() - (Self.bit(&stream) ? 2 : 0) + parity
            return (2 * x1, 2 * x2)
        case .pinwheel:
            let k = Self.uniformIndex(below: 5, using: &stream)
            let f1 = 1 + 0.3 * stream.nextStandardNormal()
            let f2 = 0.1 * stream.nextStandardNormal()
            let a = 2 * Double.pi * Double(k) / 5 + 0.25 * Foundation.exp(f1)
            let c = Foundation.cos(a), s = Foundation.sin(a)
            return (2 * (f1 * c + f2 * s), 2 * (-f1 * s + f2 * c))
        case .rings:
            let r = Self.ringRadii[Self.uniformIndex(below: 4, using: &stream)]
            let theta = 2 * Double.pi * stream.nextUniform()
            return (3 * r * Foundation.cos(theta) + 0.08 * stream.nextStandardNormal(),
                    3 * r * Foundation.sin(theta) + 0.08 * stream.nextStandardNormal())
        case .moons:
            let theta = Double.pi * stream.nextUniform()
            var x = Foundation.cos(theta), y = Foundation.sin(theta)
            if Self.bit(&stream) { x = 1 - x; y = 1 - y - 0.5 }
            x += 0.1 * stream.nextStandardNormal()
            y += 0.1 * stream.nextStandardNormal()
            return (2 * x - 1, 2 * y - 0.2)
        case .circles:
            let theta = 2 * Double.pi * stream.nextUniform()
            let r = Self.bit(&stream) ? 0.5 : 1
            let x = r * Foundation.cos(theta) + 0.08 * stream.nextStandardNormal()
            let y = r * Foundation.sin(theta) + 0.08 * stream.nextStandardNormal()
            return (3 * x, 3 * y)
        case .swissroll:
            let t = 1.5 * Double.pi * (1 + 2 * stream.nextUniform())
            let x = t * Foundation.cos(t) + stream.nextStandardNormal()
            let z = t * Foundation.sin(t) + stream.nextStandardNormal()
            return (x / 5, z / 5)
        }
    }

    static let eightCenters: [(Double, Double)] = {
        let r = 1 / 2.0.squareRoot()
        return [(1, 0), (-1, 0), (0, 1), (0, -1), (r, r), (r, -r), (-r, r), (-r, -r)]
    }()
    static let ringRadii: [Double] = [1, 0.75, 0.5, 0.25]

    /// A fair bit (the top bit of a 32-bit draw).
    static func bit(_ stream: inout RandomStream) -> Bool { stream.nextUInt32() >> 31 == 1 }

    /// An integer uniform on 0..<n (n ≥ 1) by Lemire's (2019) multiply-and-reject method: the
    /// high word of a 32-bit draw times n, rejecting the 2³² mod n low words that would bias it.
    static func uniformIndex(below n: Int, using stream: inout RandomStream) -> Int {
        let bound = UInt32(n)
        let threshold = (0 &- bound) % bound  // 2³² mod n
        while true {
            let product = UInt64(stream.nextUInt32()) * UInt64(bound)
            if UInt32(truncatingIfNeeded: product) >= threshold { return Int(product >> 32) }
        }
    }
}
