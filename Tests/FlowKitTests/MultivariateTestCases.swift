import Foundation
@testable import FlowKit

/// The one list of every multivariate transform the property tests run over, with
/// fixed-seed parameters, and single-point helpers.
enum MultivariateTestCases {
    struct Case {
        let label: String
        let transform: any Bijection
    }

    /// Fixed-seed uniform numbers in [low, high).
    struct Numbers {
        var stream: RandomStream
        init(seed: UInt64, stream index: UInt64 = 0) { stream = RandomStream(seed: seed, stream: index) }
        mutating func next(_ low: Double, _ high: Double) -> Double { low + (high - low) * stream.nextUniform() }
        mutating func vector(_ n: Int, _ low: Double, _ high: Double) -> [Double] { (0..<n).map { _ in next(low, high) } }
        mutating func matrix(_ rows: Int, _ columns: Int, _ low: Double, _ high: Double) -> [[Double]] {
            (0..<rows).map { _ in vector(columns, low, high) }
        }
    }

    /// A small tanh or relu conditioner from `inputs` to `outputs` with one hidden layer.
    static func conditioner(inputs: Int, outputs: Int, hidden: Int, activation: MLPParameters.Activation,
                            numbers: inout Numbers) -> MLPParameters {
        MLPParameters(layers: [
            .init(weights: numbers.matrix(hidden, inputs, -1, 1), bias: numbers.vector(hidden, -0.5, 0.5)),
            .init(weights: numbers.matrix(outputs, hidden, -0.6, 0.6), bias: numbers.vector(outputs, -0.3, 0.3)),
        ], activation: activation)
    }

    /// Every multivariate transform in dimension d (d ≥ 2), parameters from a fixed seed.
    static func all(dimension d: Int) throws -> [Case] {
        var numbers = Numbers(seed: 20_240_601, stream: UInt64(d))
        var cases: [Case] = []

        // linear: general (diagonally dominant, so well conditioned), lower and upper triangular.
        var general = numbers.matrix(d, d, -1, 1)
        for i in 0..<d { general[i][i] += (i % 2 == 0 ? 2.5 : -2.5) }
        cases.append(Case(label: "linear general", transform: try LinearTransform(LinearParameters(matrix: general, shift: numbers.vector(d, -1, 1)))))
        var lower = general, upper = general
        for i in 0..<d {
            for j in 0..<d {
                if j > i { lower[i][j] = 0 }
                if j < i { upper[i][j] = 0 }
            }
        }
        cases.append(Case(label: "linear lower", transform: try LinearTransform(LinearParameters(matrix: lower, shift: numbers.vector(d, -1, 1)))))
        cases.append(Case(label: "linear upper", transform: try LinearTransform(LinearParameters(matrix: upper))))

        // planar: a generic one, and one given with wᵀu < −1 (the correction makes it invertible).
        let w = numbers.vector(d, -1.5, 1.5)
        cases.append(Case(label: "planar", transform: try PlanarTransform(PlanarParameters(u: numbers.vector(d, -2, 2), w: w, b: 0.3))))
        let ww = w.reduce(0) { $0 + $1 * $1 }
        let badU = w.map { -2.5 * $0 / ww }   // wᵀu = −2.5
        cases.append(Case(label: "planar wᵀu<−1", transform: try PlanarTransform(PlanarParameters(u: badU, w: w, b: -0.4))))

        // radial: expanding (β > 0) and contracting (−α < β < 0).
        cases.append(Case(label: "radial β>0", transform: try RadialTransform(RadialParameters(z0: numbers.vector(d, -1, 1), alpha: 0.7, beta: 1.8))))
        cases.append(Case(label: "radial β<0", transform: try RadialTransform(RadialParameters(z0: numbers.vector(d, -1, 1), alpha: 1.3, beta: -1.1))))

        // coupling: alternating mask with a tanh conditioner and bounded scale; first-half mask with relu.
        let alternating = (0..<d).map { $0 % 2 }
        let keptA = alternating.filter { $0 == 1 }.count
        cases.append(Case(label: "coupling tanh scale", transform: try AffineCouplingTransform(AffineCouplingParameters(
            mask: alternating,
            conditioner: conditioner(inputs: keptA, outputs: 2 * (d - keptA), hidden: 8, activation: .tanh, numbers: &numbers),
            scale: 1.5))))
        let firstHalf = (0..<d).map { $0 < d / 2 ? 1 : 0 }
        let keptB = firstHalf.filter { $0 == 1 }.count
        cases.append(Case(label: "coupling relu", transform: try AffineCouplingTransform(AffineCouplingParameters(
            mask: firstHalf,
            conditioner: conditioner(inputs: keptB, outputs: 2 * (d - keptB), hidden: 6, activation: .relu, numbers: &numbers)))))

        // permutations.
        // i ↦ (k·i + 1) mod d with k coprime to d is a permutation (and not the identity).
        let k = d % 2 == 0 ? 1 : 2
        let order = (0..<d).map { (k * $0 + 1) % d }
        cases.append(Case(label: "permute", transform: try PermutationTransform(PermutationParameters(order: order))))
        cases.append(Case(label: "reverse", transform: try PermutationTransform.reverse(dimension: d)))
        return cases
    }

    /// A 2-D chain of every kind of map (reverse standing for the permutations) with moderate parameters (its density stays smooth and
    /// 99.95% of its mass lies in [−10, 10]², so grid integrals converge fast).
    static func moderateChain() throws -> [any Bijection] {
        [
            try LinearTransform(LinearParameters(matrix: [[1.2, 0.4], [-0.3, 0.8]], shift: [0.2, -0.1])),
            try PlanarTransform(PlanarParameters(u: [1.5, -0.5], w: [2, 1], b: 0.3)),
            try RadialTransform(RadialParameters(z0: [0.5, 0.5], alpha: 0.4, beta: 1.2)),
            try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: MLPParameters(layers: [
                .init(weights: [[1.2], [-0.8], [0.5]], bias: [0.1, 0.2, -0.3]),
                .init(weights: [[0.4, -0.3, 0.2], [0.9, 0.5, -0.6]], bias: [0.05, 0.1]),
            ]), scale: 1)),
            try PermutationTransform.reverse(dimension: 2),
            try PlanarTransform(PlanarParameters(u: [-2, 1], w: [0.5, 1.5], b: -0.2)),
        ]
    }

    /// Fixed-seed points in [−2.5, 2.5)ᵈ.
    static func points(dimension d: Int, count: Int, seed: UInt64 = 77) -> [[Double]] {
        var numbers = Numbers(seed: seed, stream: UInt64(d))
        return (0..<count).map { _ in numbers.vector(d, -2.5, 2.5) }
    }

    /// One point through one direction: the value and the log-det of that direction.
    static func apply(_ transform: any Bijection, _ x: [Double], inverse: Bool = false) -> (value: [Double], logAbsDet: Double) {
        var batch = PointBatch(dimension: x.count, values: x)
        var logDet = [0.0]
        if inverse { transform.inverse(&batch, logAbsDet: &logDet) } else { transform.forward(&batch, logAbsDet: &logDet) }
        return (batch.values, logDet[0])
    }

    /// ‖a − b‖.
    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    /// ‖a − b‖ / ‖b‖ (the Euclidean relative error of a vector).
    static func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
        let difference = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let norm = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return difference == 0 ? 0 : difference / max(norm, .leastNormalMagnitude)
    }
}
