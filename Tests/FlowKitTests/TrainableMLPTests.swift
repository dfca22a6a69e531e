import XCTest
import FlowKit
import TestSupport

final class TrainableMLPTests: XCTestCase {
    /// ∂L/∂input and ∂L/∂θ of L = Σ r ⊙ output against central differences, for every
    /// activation, dense and masked; narrow layers (the weight gradient by plain dot products)
    /// and layers of 13 and 10 inputs (by the transposed path: blocks of eight, four and single
    /// columns, four rows and the rest).
    func testGradientsMatchCentralDifferencesForEveryActivationAndMask() throws {
        for products in try productsUnderTest() {
            for widths in [[3, 5, 4, 2], [3, 13, 10, 6]] { checkGradients(widths: widths, products: products) }
        }
    }

    /// Our kernels and OpenBLAS (``MatrixProducts``). `make test` installs OpenBLAS, so on
    /// Linux it must load; off Linux only our kernels are required.
    private func productsUnderTest() throws -> [MatrixProducts] {
        #if os(Linux)
        let blas = try XCTUnwrap(OpenBLAS.shared, "libopenblas.so.0 did not load (apt-get install libopenblas-dev)")
        #else
        guard let blas = OpenBLAS.shared else { return [.own] }
        #endif
        // Every product through OpenBLAS (1), and the default rule (thin first layers by ours).
        return [.own, .openBLAS(blas, minimumInputs: 1), .openBLAS(blas)]
    }

    /// The same network, parameters and points through our kernels and through OpenBLAS: the
    /// outputs, input gradients and parameter gradients agree within rounding (the sums run in
    /// different orders), dense and masked, with the workspace tape full of NaN beforehand
    /// (dgemm with β = 0 must not read its output).
    func testOpenBLASAgreesWithOwnKernels() throws {
        let widths = [5, 64, 64, 23], n = 67
        var maskStream = RandomStream(seed: 17)
        let masks = (1..<widths.count).map { k in
            (0..<(widths[k] * widths[k - 1])).map { _ in maskStream.nextUniform() < 0.5 ? 1.0 : 0.0 }
        }
        for mask in [nil, masks] {
            let own = TrainableMLP(widths: widths, activation: .relu, masks: mask, zeroLastLayer: false, products: .own)
            var stream = RandomStream(seed: 19)
            let theta = randomVector(own.parameterCount, scale: 0.3, &stream)
            let x = randomVector(widths[0] * n, scale: 1, &stream)
            let r = randomVector(widths.last! * n, scale: 1, &stream)
            let expected = run(own, theta, x, n), (expectedX, expectedTheta) = gradients(own, theta, x, r, n, start: 0.5)
            for products in try productsUnderTest().dropFirst() {
                var mlp = own
                mlp.products = products
                let out = run(mlp, theta, x, n), (gx, gtheta) = gradients(mlp, theta, x, r, n, start: 0.5)
                let label = "\(products.name), masked \(mask != nil)"
                for i in out.indices { XCTAssertEqual(out[i], expected[i], accuracy: 1e-12 * max(1, abs(expected[i])), "\(label): output \(i)") }
                for i in gx.indices { XCTAssertEqual(gx[i], expectedX[i], accuracy: 1e-12 * max(1, abs(expectedX[i])), "\(label): ∂x[\(i)]") }
                for i in gtheta.indices {
                    XCTAssertEqual(gtheta[i], expectedTheta[i], accuracy: 1e-11 * max(1, abs(expectedTheta[i])), "\(label): ∂θ[\(i)]")
                }
            }
        }
    }

    private func checkGradients(widths: [Int], products: MatrixProducts) {
        var maskStream = RandomStream(seed: 7)
        let masks = (1..<widths.count).map { k in
            (0..<(widths[k] * widths[k - 1])).map { _ in maskStream.nextUniform() < 0.6 ? 1.0 : 0.0 }
        }
        for activation in MLPActivation.allCases {
            for mask in [nil, masks] {
                let mlp = TrainableMLP(widths: widths, activation: activation, masks: mask, zeroLastLayer: false, products: products)
                var stream = RandomStream(seed: 11)
                let n = 5
                let theta = randomVector(mlp.parameterCount, scale: 0.8, &stream)
                let x = randomVector(widths[0] * n, scale: 1, &stream)
                let r = randomVector(widths.last! * n, scale: 1, &stream)
                func loss(_ x: [Double], _ theta: [Double]) -> Double {
                    let out = run(mlp, theta, x, n)
                    return zip(out, r).reduce(0) { $0 + $1.0 * $1.1 }
                }
                let (gx, gtheta) = gradients(mlp, theta, x, r, n)
                // relu, elu and selu have a kink (or a jump in σ'') at 0: keep the differences
                // on one side of it.
                let step = activation == .tanh || activation == .silu ? 0.01 : 1e-5
                for i in x.indices {
                    let fd = FiniteDifference.derivative(of: { t in var v = x; v[i] = t; return loss(v, theta) }, at: x[i], step: step).value
                    XCTAssertLessThanOrEqual(abs(gx[i] - fd) / max(abs(fd), 1e-2), 1e-6, "\(products.name) \(activation) masked \(mask != nil): ∂x[\(i)]")
                }
                for i in theta.indices {
                    let masked = mask.map { isMaskedWeight(mlp, $0, i) } ?? false
                    if masked {
                        XCTAssertEqual(gtheta[i], 0, "\(activation): masked weight \(i) gets no gradient")
                        continue
                    }
                    let fd = FiniteDifference.derivative(of: { t in var v = theta; v[i] = t; return loss(x, v) }, at: theta[i], step: step).value
                    XCTAssertLessThanOrEqual(abs(gtheta[i] - fd) / max(abs(fd), 1e-2), 1e-6, "\(activation) masked \(mask != nil): ∂θ[\(i)]")
                }
            }
        }
    }

    /// Sizes that reach every path of the register-blocked kernels (blocks of eight and four
    /// points and the scalar tail; blocks of four and two rows and the single-row rest; four
    /// columns and the rest): the output against plain sums, the gradients against central
    /// differences.
    func testBlockedKernelsAtUnevenSizesMatchPlainSumsAndDifferences() throws {
        for products in try productsUnderTest() { try checkBlockedKernels(products: products) }
    }

    private func checkBlockedKernels(products: MatrixProducts) throws {
        let widths = [3, 9, 6, 2], n = 13
        let mlp = TrainableMLP(widths: widths, activation: .tanh, zeroLastLayer: false, products: products)
        var stream = RandomStream(seed: 21)
        let theta = randomVector(mlp.parameterCount, scale: 0.8, &stream)
        let x = randomVector(widths[0] * n, scale: 1, &stream)
        let r = randomVector(widths.last! * n, scale: 1, &stream)
        // Plain forward pass, point by point (feature-major x[i·n + p]).
        var expected = [Double](repeating: 0, count: widths.last! * n)
        for p in 0..<n {
            var h = (0..<widths[0]).map { x[$0 * n + p] }
            for k in 1..<widths.count {
                let w = mlp.weightOffsets[k - 1], b = mlp.biasOffsets[k - 1]
                let a = (0..<widths[k]).map { o in
                    (0..<widths[k - 1]).reduce(theta[b + o]) { $0 + theta[w + o * widths[k - 1] + $1] * h[$1] }
                }
                h = k < widths.count - 1 ? a.map { Foundation.tanh($0) } : a
            }
            for o in 0..<widths.last! { expected[o * n + p] = h[o] }
        }
        let out = run(mlp, theta, x, n)
        for i in out.indices { XCTAssertEqual(out[i], expected[i], accuracy: 1e-12 * max(1, abs(expected[i])), "output \(i)") }
        func loss(_ x: [Double], _ theta: [Double]) -> Double { zip(run(mlp, theta, x, n), r).reduce(0) { $0 + $1.0 * $1.1 } }
        let (gx, gtheta) = gradients(mlp, theta, x, r, n)
        for i in x.indices {
            let fd = FiniteDifference.derivative(of: { t in var v = x; v[i] = t; return loss(v, theta) }, at: x[i], step: 0.01).value
            XCTAssertLessThanOrEqual(abs(gx[i] - fd) / max(abs(fd), 1e-2), 1e-6, "∂x[\(i)]")
        }
        for i in theta.indices {
            let fd = FiniteDifference.derivative(of: { t in var v = theta; v[i] = t; return loss(x, v) }, at: theta[i], step: 0.01).value
            XCTAssertLessThanOrEqual(abs(gtheta[i] - fd) / max(abs(fd), 1e-2), 1e-6, "∂θ[\(i)]")
        }
    }

    /// ELU and SELU compute eᵃ − 1 four values at a time: against the C library's expm1 within
    /// 4 ulp (or 1e-300 absolute) from −800 to 5, through 0 and tiny arguments, at every
    /// position of a buffer whose length is not a multiple of four.
    func testVectorExponentialActivationsMatchTheCLibrary() {
        var a: [Double] = [-800, -745, -700, -300, -40, -1e-300, -1e-12, 0, 1e-12, 0.3465, -0.3466, 0.5, 5]
        var stream = RandomStream(seed: 5)
        for _ in 0..<500 { a.append(-30 + 35 * stream.nextUniform()) }
        for _ in 0..<200 { a.append(-1 + 2 * stream.nextUniform()) }
        a.append(-2)   // 714 values: a partial last group
        for activation in [MLPActivation.elu, .selu] {
            var h = [Double](repeating: .nan, count: a.count)
            a.withUnsafeBufferPointer { ab in h.withUnsafeMutableBufferPointer { activation.apply(ab.baseAddress!, into: $0.baseAddress!, count: a.count) } }
            for (i, x) in a.enumerated() {
                let l = activation == .selu ? MLPActivation.seluLambda : 1
                let al = activation == .selu ? MLPActivation.seluLambda * MLPActivation.seluAlpha : 1
                let expected = x > 0 ? l * x : al * Foundation.expm1(x)
                XCTAssertTrue(ulpDistance(h[i], expected) <= 4 || abs(h[i] - expected) <= 1e-300,
                              "\(activation)(\(x)) = \(h[i]), expected \(expected)")
            }
        }
    }

    /// The four-lane eˣ of the spline softmax against the C library's exp within 4 ulp from −708
    /// to 709.78, 0 below −708, +∞ above log(DBL_MAX), NaN kept; every lane computed alone.
    func testVectorExpMatchesTheCLibrary() {
        var a: [Double] = [-707.9, -700, -300, -40, -1e-300, -1e-12, 0, 1e-12, 0.3465, -0.3466, 0.5, 5, 700, 709.78]
        var stream = RandomStream(seed: 6)
        for _ in 0..<2000 { a.append(-60 + 70 * stream.nextUniform()) }
        for _ in 0..<200 { a.append(-700 + 1400 * stream.nextUniform()) }
        for i in stride(from: 0, to: a.count - 3, by: 4) {
            let y = VectorExponential.exp(SIMD4(a[i], a[i + 1], a[i + 2], a[i + 3]))
            for l in 0..<4 {
                XCTAssertLessThanOrEqual(ulpDistance(y[l], Foundation.exp(a[i + l])), 4, "exp(\(a[i + l])) = \(y[l])")
                XCTAssertEqual(VectorExponential.exp(SIMD4(repeating: a[i + l]))[l], y[l], "lane independence")
            }
        }
        let edges = VectorExponential.exp(SIMD4(-745, -708.2, 709.8, .nan))
        XCTAssertEqual(edges[0], 0)
        XCTAssertEqual(edges[1], 0)
        XCTAssertEqual(edges[2], .infinity)
        XCTAssertTrue(edges[3].isNaN)
        XCTAssertEqual(VectorExponential.exp(SIMD4(repeating: -.infinity))[0], 0)
        XCTAssertEqual(VectorExponential.exp(SIMD4(repeating: .infinity))[0], .infinity)
    }

    /// A masked weight has no effect on the output; a zero last layer gives a zero output.
    func testMaskAndZeroLastLayer() {
        let mlp = TrainableMLP(widths: [2, 3, 2], activation: .tanh, zeroLastLayer: true)
        var stream = RandomStream(seed: 3)
        var theta = [Double](repeating: 0, count: mlp.parameterCount)
        theta.withUnsafeMutableBufferPointer { mlp.initialize($0.baseAddress!, using: &stream) }
        let out = run(mlp, theta, [0.3, -1, 2, 0.5], 2)
        XCTAssertEqual(out, [0, 0, 0, 0])
        XCTAssertTrue(theta[0..<9].contains { $0 != 0 }, "first layer is random")
    }

    private func isMaskedWeight(_ mlp: TrainableMLP, _ masks: [[Double]], _ index: Int) -> Bool {
        for k in 0..<mlp.layerCount {
            let start = mlp.weightOffsets[k]
            let count = mlp.widths[k + 1] * mlp.widths[k]
            if index >= start && index < start + count { return masks[k][index - start] == 0 }
        }
        return false
    }

    private func run(_ mlp: TrainableMLP, _ theta: [Double], _ x: [Double], _ n: Int) -> [Double] {
        var tape = [Double](repeating: .nan, count: mlp.tapeCount(count: n))
        return theta.withUnsafeBufferPointer { t in
            x.withUnsafeBufferPointer { xb in
                tape.withUnsafeMutableBufferPointer { tb in
                    let out = mlp.forward(parameters: t.baseAddress!, input: xb.baseAddress!, count: n, tape: tb.baseAddress!)
                    return Array(UnsafeBufferPointer(start: out, count: mlp.outputs * n))
                }
            }
        }
    }

    /// ∂L/∂x and `start` + ∂L/∂θ (the backward pass adds to the parameter gradient).
    private func gradients(_ mlp: TrainableMLP, _ theta: [Double], _ x: [Double], _ r: [Double], _ n: Int,
                           start: Double = 0) -> ([Double], [Double]) {
        var tape = [Double](repeating: .nan, count: mlp.tapeCount(count: n))
        var gx = [Double](repeating: .nan, count: x.count)
        var gt = [Double](repeating: start, count: theta.count)
        theta.withUnsafeBufferPointer { t in
            x.withUnsafeBufferPointer { xb in
                tape.withUnsafeMutableBufferPointer { tb in
                    gx.withUnsafeMutableBufferPointer { gxb in
                        gt.withUnsafeMutableBufferPointer { gtb in
                            mlp.forward(parameters: t.baseAddress!, input: xb.baseAddress!, count: n, tape: tb.baseAddress!)
                            let g = mlp.outputGradient(tape: tb.baseAddress!, count: n)
                            for i in r.indices { g[i] = r[i] }
                            mlp.backward(parameters: t.baseAddress!, input: xb.baseAddress!, count: n, tape: tb.baseAddress!,
                                         inputGradient: gxb.baseAddress!, parameterGradient: gtb.baseAddress!)
                        }
                    }
                }
            }
        }
        return (gx, gt)
    }
}
