/// Who computes a ``TrainableMLP``'s three dense products (the forward product W·h + b, the
/// input gradient Wᵀ·δ and the weight gradient δ·hᵀ): our own ``FeatureMajorKernels`` or
/// OpenBLAS's dgemm (``OpenBLAS``).
///
/// With OpenBLAS, every backward product goes to dgemm, and a forward product when its layer
/// has at least `minimumInputs` inputs (``defaultMinimumInputs`` unless a benchmark says
/// otherwise): a first layer of one to three inputs (a coupling's kept coordinate, flow
/// matching's (x, t)) is faster in our kernels, which have no call overhead. Measured by
/// `flowbench mlp-products` per shape on a 64-point chunk: OpenBLAS forward 1.2–2.5× ours from
/// 8 inputs on, 0.6–0.8× at 1 and 3 inputs; backward 1.2–2.6× at every shape. The weight
/// gradient of a masked layer (MADE, BNAF) stays with our kernels, which apply the mask as
/// they accumulate.
///
/// Either way every sum runs in an order fixed by the shapes alone, so a chunk's result does
/// not depend on threads or timing.
public enum MatrixProducts: Sendable {
    case own
    case openBLAS(OpenBLAS, minimumInputs: Int = MatrixProducts.defaultMinimumInputs)

    /// OpenBLAS when it is available (``OpenBLAS/shared``), our kernels otherwise.
    public static var preferred: MatrixProducts {
        if let blas = OpenBLAS.shared { return .openBLAS(blas) }
        return .own
    }

    /// Forward products of layers with fewer inputs use our kernels (measured: `flowbench mlp-products`).
    public static let defaultMinimumInputs = 8

    /// What the metrics report: "own kernels" or OpenBLAS's identity.
    public var name: String {
        switch self {
        case .own: return "own kernels (FeatureMajorKernels)"
        case let .openBLAS(blas, _): return blas.identity
        }
    }

    /// OpenBLAS, when it is chosen.
    @inline(__always)
    var openBLAS: OpenBLAS? {
        guard case let .openBLAS(blas, _) = self else { return nil }
        return blas
    }

    /// y (rows × n) = W·x + b 1ᵀ, W row-major (rows × inner, rows `rowStride` apart: a block of
    /// a wider matrix when larger than `inner`), x and y feature-major.
    @inline(__always)
    func multiply(rows: Int, inner: Int, n: Int, weights: UnsafePointer<Double>, rowStride: Int? = nil,
                  bias: UnsafePointer<Double>?, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        if case let .openBLAS(blas, minimumInputs) = self, inner >= minimumInputs {
            blas.multiply(rows: rows, inner: inner, n: n, weights: weights, rowStride: rowStride ?? inner, bias: bias, x: x, y: y)
        } else {
            FeatureMajorKernels.multiply(rows: rows, inner: inner, n: n, weights: weights, rowStride: rowStride ?? inner, innerStride: 1,
                                         bias: bias, x: x, y: y)
        }
    }

    /// t (inner × n) = Wᵀ·δ, W row-major (rows × inner), δ feature-major (rows × n).
    @inline(__always)
    func multiplyTransposed(rows: Int, inner: Int, n: Int, weights: UnsafePointer<Double>, delta: UnsafePointer<Double>,
                            into t: UnsafeMutablePointer<Double>) {
        if let blas = openBLAS {
            blas.multiplyTransposed(rows: rows, inner: inner, n: n, weights: weights, delta: delta, into: t)
        } else {
            FeatureMajorKernels.multiply(rows: inner, inner: rows, n: n, weights: weights, rowStride: 1, innerStride: inner,
                                         bias: nil, x: delta, y: t)
        }
    }

    /// g (rows × columns, row-major) += (δ·hᵀ) ⊙ mask and biasGradient += δ·1, with δ (rows × n)
    /// and h (columns × n) feature-major: the weight and bias gradients of one layer. Dense
    /// layers go to dgemm with OpenBLAS. Otherwise, from eight inputs on, h is first transposed
    /// into `scratch` (columns × n doubles) so that our sums run along the columns
    /// (``FeatureMajorKernels/accumulateOuterTransposed(rows:columns:n:a:bt:gradient:rowStride:mask:)``);
    /// narrower layers take plain dot products.
    @inline(__always)
    func accumulateWeightGradient(rows: Int, columns: Int, n: Int, delta: UnsafePointer<Double>, h: UnsafePointer<Double>,
                                  mask: UnsafePointer<Double>?, weightGradient g: UnsafeMutablePointer<Double>,
                                  biasGradient: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let blas = mask == nil ? openBLAS : nil
        guard blas != nil || columns >= 8 else {
            FeatureMajorKernels.accumulateOuter(rows: rows, columns: columns, n: n, a: delta, b: h, gradient: g, rowStride: columns,
                                                mask: mask, rowSums: biasGradient)
            return
        }
        FeatureMajorKernels.accumulateOuter(rows: rows, columns: 0, n: n, a: delta, b: h, gradient: g, rowStride: columns,
                                            mask: nil, rowSums: biasGradient)
        if let blas {
            blas.accumulateOuter(rows: rows, columns: columns, n: n, delta: delta, h: h, gradient: g)
        } else {
            FeatureMajorKernels.transpose(h, rows: columns, n: n, into: scratch)
            FeatureMajorKernels.accumulateOuterTransposed(rows: rows, columns: columns, n: n, a: delta, bt: scratch, gradient: g,
                                                          rowStride: columns, mask: mask)
        }
    }
}
