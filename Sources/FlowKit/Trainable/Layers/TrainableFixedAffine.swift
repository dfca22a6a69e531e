import Foundation

/// A fixed map of the transform catalog with a constant Jacobian (`linear`, `permute`,
/// `reverse`: y = A·x + b) as a trainable layer without parameters, so that a spec can put it
/// before, between or after fitted layers (e.g. a fixed rotation or the reversal between two
/// coupling blocks, as in RealNVP's alternating masks, Dinh et al. 2017 §3.5).
///
/// The values are the catalog map's own (its batch passes); the layer adds only the
/// vector–Jacobian product, which for an affine map is a constant matrix: with g = ∂L/∂output,
///
///     sampling (y = A·x + b):          ∂L/∂x = Aᵀ·g
///     density  (x = A⁻¹·(y − b)):      ∂L/∂y = A⁻ᵀ·g
///
/// and no term from ∂L/∂log|det|, since log|det A| does not depend on the point. Both matrices
/// are read off the map once, column by column: J·e_j = T(e_j) − T(0) (exact for an affine map
/// up to the rounding of T itself).
public struct TrainableFixedAffine: TrainableLayer {
    public let map: any Bijection
    public let dimension: Int
    public let layout = ParameterLayout.Builder().layout
    /// J of the sampling direction (A), row-major d × d.
    let forwardJacobian: [Double]
    /// J of the density direction (A⁻¹), row-major d × d.
    let inverseJacobian: [Double]

    /// `map` must have a constant Jacobian (``Bijection/hasConstantJacobian``) and take points of
    /// `dimension` coordinates.
    public init(_ map: any Bijection, dimension: Int) {
        precondition(map.hasConstantJacobian, "TrainableFixedAffine needs a map with a constant Jacobian")
        self.map = map
        self.dimension = dimension
        forwardJacobian = Self.jacobian(dimension: dimension) { batch, det in map.forward(&batch, logAbsDet: &det) }
        inverseJacobian = Self.jacobian(dimension: dimension) { batch, det in map.inverse(&batch, logAbsDet: &det) }
    }

    /// Row-major J with J[i][j] = T(e_j)_i − T(0)_i.
    static func jacobian(dimension d: Int, _ apply: (inout PointBatch, inout [Double]) -> Void) -> [Double] {
        var values = [Double](repeating: 0, count: (d + 1) * d)
        for j in 0..<d { values[(j + 1) * d + j] = 1 }
        var batch = PointBatch(dimension: d, values: values)
        var det = [Double](repeating: 0, count: d + 1)
        apply(&batch, &det)
        var jacobian = [Double](repeating: 0, count: d * d)
        for j in 0..<d {
            for i in 0..<d { jacobian[i * d + j] = batch.values[(j + 1) * d + i] - batch.values[i] }
        }
        return jacobian
    }

    public var name: String { map.name }
    public var trainableDirections: [TrainableDirection] { [.sampling, .density] }
    public var cheapDirection: TrainableDirection { .sampling }

    public func initialParameters(using stream: inout RandomStream) -> [Double] { [] }

    public func tapeCount(_ direction: TrainableDirection, count: Int) -> Int { 0 }

    public func pass(_ direction: TrainableDirection, parameters: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let d = dimension, n = buffers.count
        var batch = PointBatch(dimension: d, values: Array(UnsafeBufferPointer(start: buffers.input, count: n * d)))
        var det = [Double](repeating: 0, count: n)
        if direction == .sampling {
            map.forward(&batch, logAbsDet: &det)
        } else {
            map.inverse(&batch, logAbsDet: &det)
        }
        for i in 0..<(n * d) { buffers.output[i] = batch.values[i] }
        for p in 0..<n { buffers.logAbsDet[p] += det[p] }
    }

    public func vjp(_ direction: TrainableDirection, parameters: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let d = dimension, n = buffers.count
        let jacobian = direction == .sampling ? forwardJacobian : inverseJacobian
        for p in 0..<n {
            for j in 0..<d {
                var sum = 0.0
                for i in 0..<d { sum += jacobian[i * d + j] * gradient.output[p * d + i] }
                gradient.input[p * d + j] = sum
            }
        }
    }
}
