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
/// Density (x = t⁻¹(y), log|det| = Σ_j log|(t⁻¹)'(y_j)| = −Σ_j log|t'(x_j)|), with x the
/// recorded output:
///
///     ∂L/∂y_j = g_j/t'(x_j) − γ·s(x_j)/t'(x_j).
///
/// No tape: the VJP recomputes t'(x) from the input (sampling) or the output (density).
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
                // x: the map's input in the sampling direction, its output in the density one.
                let x = direction == .sampling ? buffers.input[i] : buffers.output[i]
                let slope = sign * exp(map.forward(x).logAbsDet)
                let s = map.logDerivativeSlope(x)
                gradient.input[i] = direction == .sampling
                    ? gradient.output[i] * slope + gamma * s
                    : (gradient.output[i] - gamma * s) / slope
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
