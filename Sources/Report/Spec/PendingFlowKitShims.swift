// TEMPORARY: stand-ins for FlowKit API that other helpers are landing (DistributionCatalog,
// IndependentComponents, TransformChain, Flow, elementwise catalog entries). Same names and
// signatures as their briefs, internal to Report. Delete this file when `git merge main`
// brings the real ones.
import Foundation
import FlowKit

enum DistributionCatalog {
    static let univariate: [CatalogEntry<any UnivariateDistribution>] = [
        CatalogEntry(name: "normal", summary: "normal distribution N(mean, std²)",
                     parameters: [ParameterDoc("mean", .number, requirement: "finite", summary: "mean", default: "0"),
                                  ParameterDoc("std", .number, requirement: "> 0", summary: "standard deviation", default: "1")],
                     domainSummary: "(−∞, ∞)") { decoder, _ in try ShimNormal(from: decoder) },
        CatalogEntry(name: "lognormal", summary: "log-normal distribution, exp of N(mu, sigma²)",
                     parameters: [ParameterDoc("mu", .number, requirement: "finite", summary: "mean of log", default: "0"),
                                  ParameterDoc("sigma", .number, requirement: "> 0", summary: "std of log", default: "1")],
                     domainSummary: "(0, ∞)") { decoder, _ in try ShimLogNormal(from: decoder) },
        CatalogEntry(name: "uniform", summary: "uniform distribution on (low, high)",
                     parameters: [ParameterDoc("low", .number, requirement: "< high", summary: "lower end", default: "0"),
                                  ParameterDoc("high", .number, requirement: "> low", summary: "upper end", default: "1")],
                     domainSummary: "(low, high)") { decoder, _ in try ShimUniform(from: decoder) },
    ]
    static let multivariate: [CatalogEntry<any MultivariateDistribution>] = []
}

private func shimFinite(_ v: Double, _ key: String) throws(FlowKitError) {
    if !v.isFinite { throw .invalidParameter(parameter: key, value: "\(v)", requirement: "finite") }
}

struct ShimNormal: UnivariateDistribution, Decodable {
    var m = 0.0, std = 1.0
    enum CodingKeys: String, CodingKey { case mean, std }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        m = try c.decodeIfPresent(Double.self, forKey: .mean) ?? 0
        std = try c.decodeIfPresent(Double.self, forKey: .std) ?? 1
        try shimFinite(m, "mean"); try shimFinite(std, "std")
        if !(std > 0) { throw FlowKitError.invalidParameter(parameter: "std", value: "\(std)", requirement: "> 0") }
    }
    func logDensity(_ x: Double) -> Double { let z = (x - m) / std; return -0.5 * z * z - Foundation.log(std) - 0.5 * Foundation.log(2 * Double.pi) }
    func cdf(_ x: Double) -> Double { 0.5 * erfc(-(x - m) / std / 2.0.squareRoot()) }
    func quantile(_ p: Double) -> Double { .nan }
    func sample(using stream: inout RandomStream) -> Double {
        let u = stream.nextOpenUniform(), v = stream.nextUniform()
        return m + std * (-2 * Foundation.log(u)).squareRoot() * cos(2 * .pi * v)
    }
    var support: Interval { .real }
    var mean: Double? { m }
    var variance: Double? { std * std }
}

struct ShimLogNormal: UnivariateDistribution, Decodable {
    var mu = 0.0, sigma = 1.0
    enum CodingKeys: String, CodingKey { case mu, sigma }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mu = try c.decodeIfPresent(Double.self, forKey: .mu) ?? 0
        sigma = try c.decodeIfPresent(Double.self, forKey: .sigma) ?? 1
        try shimFinite(mu, "mu"); try shimFinite(sigma, "sigma")
        if !(sigma > 0) { throw FlowKitError.invalidParameter(parameter: "sigma", value: "\(sigma)", requirement: "> 0") }
    }
    func logDensity(_ x: Double) -> Double {
        guard x > 0 else { return -.infinity }
        let z = (Foundation.log(x) - mu) / sigma
        return -0.5 * z * z - Foundation.log(sigma) - Foundation.log(x) - 0.5 * Foundation.log(2 * Double.pi)
    }
    func cdf(_ x: Double) -> Double { x <= 0 ? 0 : 0.5 * erfc(-(Foundation.log(x) - mu) / sigma / 2.0.squareRoot()) }
    func quantile(_ p: Double) -> Double { .nan }
    func sample(using stream: inout RandomStream) -> Double { .nan }
    var support: Interval { .positive }
    var mean: Double? { Foundation.exp(mu + sigma * sigma / 2) }
    var variance: Double? { nil }
}

struct ShimUniform: UnivariateDistribution, Decodable {
    var low = 0.0, high = 1.0
    enum CodingKeys: String, CodingKey { case low, high }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        low = try c.decodeIfPresent(Double.self, forKey: .low) ?? 0
        high = try c.decodeIfPresent(Double.self, forKey: .high) ?? 1
        try shimFinite(low, "low"); try shimFinite(high, "high")
        if !(low < high) { throw FlowKitError.invalidParameter(parameter: "high", value: "\(high)", requirement: "> low") }
    }
    func logDensity(_ x: Double) -> Double { x > low && x < high ? -Foundation.log(high - low) : -.infinity }
    func cdf(_ x: Double) -> Double { min(1, max(0, (x - low) / (high - low))) }
    func quantile(_ p: Double) -> Double { low + p * (high - low) }
    func sample(using stream: inout RandomStream) -> Double { low + (high - low) * stream.nextOpenUniform() }
    var support: Interval { Interval(lower: low, upper: high) }
    var mean: Double? { (low + high) / 2 }
    var variance: Double? { (high - low) * (high - low) / 12 }
}

struct IndependentComponents: MultivariateDistribution {
    let components: [any UnivariateDistribution]
    init(_ components: [any UnivariateDistribution]) { self.components = components }
    var dimension: Int { components.count }
    func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        zip(components, x).reduce(0) { $0 + $1.0.logDensity($1.1) }
    }
    func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        for i in 0..<batch.count { for j in 0..<dimension { batch[i, j] = components[j].sample(using: &stream) } }
    }
    var support: [Interval] { components.map(\.support) }
}

struct ShimElementwise: Bijection {
    let name: String
    let f: @Sendable (Double) -> (Double, Double)
    let g: @Sendable (Double) -> (Double, Double)
    let dom: Interval
    let img: @Sendable (Interval) -> Interval
    var dimension: Int? { nil }
    var hasClosedFormInverse: Bool { true }
    var hasConstantJacobian: Bool { false }
    func domain(dimension: Int) -> [Interval] { Array(repeating: dom, count: dimension) }
    func image(of box: [Interval]) -> [Interval] { box.map(img) }
    func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for i in 0..<batch.values.count { let (v, l) = f(batch.values[i]); batch.values[i] = v; logAbsDet[i / batch.dimension] += l }
    }
    func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for i in 0..<batch.values.count { let (v, l) = g(batch.values[i]); batch.values[i] = v; logAbsDet[i / batch.dimension] += l }
    }
}

struct ShimAffineParameters: Decodable {
    var scale = 1.0, shift = 0.0
    enum CodingKeys: String, CodingKey { case scale, shift }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scale = try c.decodeIfPresent(Double.self, forKey: .scale) ?? 1
        shift = try c.decodeIfPresent(Double.self, forKey: .shift) ?? 0
        try shimFinite(scale, "scale"); try shimFinite(shift, "shift")
        if scale == 0 { throw FlowKitError.invalidParameter(parameter: "scale", value: "0", requirement: "≠ 0") }
    }
}

enum ShimTransforms {
    static let all: [CatalogEntry<any Bijection>] = [
        CatalogEntry(name: "exp", summary: "y = exp(x)", parameters: [], domainSummary: "(−∞, ∞)") { _, _ in
            ShimElementwise(name: "exp", f: { (Foundation.exp($0), $0) }, g: { (Foundation.log($0), -Foundation.log($0)) },
                            dom: .real, img: { Interval(lower: Foundation.exp($0.lower), upper: Foundation.exp($0.upper)) })
        },
        CatalogEntry(name: "log", summary: "y = log(x)", parameters: [], domainSummary: "(0, ∞)") { _, _ in
            ShimElementwise(name: "log", f: { (Foundation.log($0), -Foundation.log($0)) }, g: { (Foundation.exp($0), $0) },
                            dom: .positive, img: { Interval(lower: Foundation.log($0.lower), upper: Foundation.log($0.upper)) })
        },
        CatalogEntry(name: "affine", summary: "y = scale·x + shift",
                     parameters: [ParameterDoc("scale", .number, requirement: "≠ 0", summary: "scale", default: "1"),
                                  ParameterDoc("shift", .number, requirement: "finite", summary: "shift", default: "0")],
                     domainSummary: "(−∞, ∞)") { decoder, _ in
            let p = try ShimAffineParameters(from: decoder)
            let (a, b) = (p.scale, p.shift)
            return ShimElementwise(name: "affine", f: { (a * $0 + b, Foundation.log(abs(a))) }, g: { (($0 - b) / a, -Foundation.log(abs(a))) },
                                   dom: .real, img: { let u = a * $0.lower + b, v = a * $0.upper + b; return Interval(lower: min(u, v), upper: max(u, v)) })
        },
    ]
}

public struct TransformChain: Sendable {
    let maps: [any Bijection]
    let dimension: Int
    init(maps: [any Bijection], dimension: Int) throws(FlowKitError) {
        self.maps = maps
        self.dimension = dimension
    }
}

public struct Flow: Sendable {
    let base: any MultivariateDistribution
    let chain: TransformChain
    init(base: any MultivariateDistribution, chain: TransformChain) throws(FlowKitError) {
        self.base = base
        self.chain = chain
    }
    var dimension: Int { base.dimension }
    func sample(count: Int, using stream: inout RandomStream) -> (points: PointBatch, logDensity: [Double]) {
        var batch = PointBatch(dimension: dimension, count: count)
        base.sample(into: &batch, using: &stream)
        var lp = base.logDensity(batch)
        var ld = [Double](repeating: 0, count: count)
        for m in chain.maps { m.forward(&batch, logAbsDet: &ld) }
        for i in 0..<count { lp[i] -= ld[i] }
        return (batch, lp)
    }
    func logDensityByInverse(_ y: PointBatch) -> [Double] {
        var batch = y
        var ld = [Double](repeating: 0, count: y.count)
        for m in chain.maps.reversed() { m.inverse(&batch, logAbsDet: &ld) }
        let lp = base.logDensity(batch)
        return zip(lp, ld).map { $0.isNaN || $1.isNaN ? -.infinity : $0 + $1 }
    }
    func logDensityByForward(_ y: PointBatch) -> [Double] {
        var batch = y
        var ld = [Double](repeating: 0, count: y.count)
        for m in chain.maps.reversed() { m.inverse(&batch, logAbsDet: &ld) }
        var fwd = batch
        var lf = [Double](repeating: 0, count: y.count)
        for m in chain.maps { m.forward(&fwd, logAbsDet: &lf) }
        let lp = base.logDensity(batch)
        return zip(lp, lf).map { $0.isNaN || $1.isNaN ? -.infinity : $0 - $1 }
    }
}
