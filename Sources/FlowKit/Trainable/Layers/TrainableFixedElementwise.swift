import Foundation

/// A fixed elementwise map of the transform catalog (`affine`, `tanh`, `exp`, …, every map
/// with a ``LogDerivativeSlope``) as a trainable layer without parameters, so that a spec can
/// put it before, between or after fitted layers: its log-det counts in the objective and the
/// gradient flows through it, but nothing of it is fitted.
///
/// Sampling (y = t(x) per coordinate, log|det| = Σ_j log|t'(x_j)|), for g = ∂L/∂y and
/// γ = ∂L/∂log|det|:
///
///     ∂L/∂x_j = g_j·t'(x_j) + γ·s(x_j),    t'(x) = ±exp(log|t'(x)|),  s = (log|t'|)'.
///
/// Density (x = t⁻¹(y), log|det| = Σ_j log|(t⁻¹)'(y_j)|), from the input y:
///
///     ∂L/∂y_j = g_j·(t⁻¹)'(y_j) + γ·r(y_j),   r = (log|(t⁻¹)'|)' (= −s(x)/t'(x)).
///
/// No tape: the VJP recomputes the derivative from the input in either direction (never from
/// the output, which may have rounded onto the end of an open codomain: Φ(9) = 1).
///
/// Points outside the map's domain (the sampling direction) or codomain (the density one) give
/// NaN, as the catalog map itself does: a fit counts such a batch as a skipped step, and the
/// spec is refused before any fit when the support that reaches the map already leaves its
/// domain (``Flow``'s check; `log` after a normal base).
public struct TrainableFixedElementwise<Map: LogDerivativeSlope>: TrainableLayer {
    public let map: Map
    public let dimension: Int
    public let layout = ParameterLayout.Builder().layout

    public init(_ map: Map, dimension: Int) {
        self.map = map
        self.dimension = dimension
    }

    public var name: String { map.name }
    public var trainableDirections: [TrainableDirection] { [.sampling, .density] }
    public var cheapDirection: TrainableDirection { .sampling }

    public func initialParameters(using stream: inout RandomStream) -> [Double] { [] }

    public func tapeCount(_ direction: TrainableDirection, count: Int) -> Int { 0 }

    public func pass(_ direction: TrainableDirection, parameters: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let d = dimension, n = buffers.count
        for p in 0..<n {
            var sum = 0.0
            for j in 0..<d {
                let i = p * d + j
                let result = direction == .sampling ? map.forward(buffers.input[i]) : map.inverse(buffers.input[i])
                buffers.output[i] = result.value
                sum += result.logAbsDet
            }
            buffers.logAbsDet[p] += sum
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let d = dimension, n = buffers.count
        let sign = map.isIncreasing ? 1.0 : -1.0
        for p in 0..<n {
            let gamma = gradient.logAbsDet[p]
            for j in 0..<d {
                let i = p * d + j
                let v = buffers.input[i]
                if direction == .sampling {
                    gradient.input[i] = gradient.output[i] * sign * exp(map.forward(v).logAbsDet) + gamma * map.logDerivativeSlope(v)
                } else {
                    gradient.input[i] = gradient.output[i] * sign * exp(map.inverse(v).logAbsDet) + gamma * map.inverseLogDerivativeSlope(v)
                }
            }
        }
    }
}

/// A map of the transform catalog that can stand, fixed, among fitted layers.
public protocol FixedTrainableMap: Bijection {
    /// The map as a trainable layer without parameters, for inputs of `dimension` coordinates.
    func trainableLayer(dimension: Int) -> any TrainableLayer
}

extension Elementwise: FixedTrainableMap where Map: LogDerivativeSlope {
    public func trainableLayer(dimension: Int) -> any TrainableLayer {
        TrainableFixedElementwise(map, dimension: dimension)
    }
}
