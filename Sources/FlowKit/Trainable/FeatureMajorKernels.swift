/// The three matrix products of ``TrainableMLP`` over feature-major buffers (`x[k·n + p]`),
/// written with `SIMD4<Double>` over the batch and register blocks (four rows × eight points
/// for the products, two rows × four columns for the weight gradient), so that each loaded
/// vector feeds several multiply–adds. Every sum runs in a fixed order (the results never
/// depend on threads or timing).
///
/// Built with `FLOWKIT_FMA` (Package.swift defines it for FlowKit and FlowTraining on x86-64, built for x86-64-v3), each
/// multiply–add is one fused operation (one rounding); without it, a product then a sum. Either
/// way the order of the terms is the same for any batch split or number of threads.
enum FeatureMajorKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    /// s + a·b (fused with `FLOWKIT_FMA`).
    @inline(__always)
    static func madd(_ s: SIMD4<Double>, _ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
        #if FLOWKIT_FMA
        s.addingProduct(a, b)
        #else
        s + a * b
        #endif
    }

    /// s + w·b for a scalar w (fused with `FLOWKIT_FMA`).
    @inline(__always)
    static func madd(_ s: SIMD4<Double>, _ w: Double, _ b: SIMD4<Double>) -> SIMD4<Double> {
        #if FLOWKIT_FMA
        s.addingProduct(SIMD4(repeating: w), b)
        #else
        s + w * b
        #endif
    }

    /// s + a·b for scalars (fused with `FLOWKIT_FMA`).
    @inline(__always)
    static func madd(_ s: Double, _ a: Double, _ b: Double) -> Double {
        #if FLOWKIT_FMA
        s.addingProduct(a, b)
        #else
        s + a * b
        #endif
    }

    /// y[r, :] = (bias?[r] ?? 0) + Σ_k W(r, k)·x[k, :] for r < rows, with W(r, k) =
    /// weights[r·rowStride + k·innerStride] and x of `inner` rows, n points each. Each sum
    /// starts from the bias and adds the terms in increasing k.
    static func multiply(rows: Int, inner: Int, n: Int, weights: UnsafePointer<Double>, rowStride: Int, innerStride: Int,
                         bias: UnsafePointer<Double>?, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        var r = 0
        while r + 4 <= rows {
            let w0 = weights + r * rowStride, w1 = w0 + rowStride, w2 = w1 + rowStride, w3 = w2 + rowStride
            let b0 = bias?[r] ?? 0, b1 = bias?[r + 1] ?? 0, b2 = bias?[r + 2] ?? 0, b3 = bias?[r + 3] ?? 0
            let y0 = y + r * n, y1 = y0 + n, y2 = y1 + n, y3 = y2 + n
            var p = 0
            while p + 8 <= n {
                var a0 = SIMD4<Double>(repeating: b0), a1 = SIMD4<Double>(repeating: b1)
                var a2 = SIMD4<Double>(repeating: b2), a3 = SIMD4<Double>(repeating: b3)
                var c0 = a0, c1 = a1, c2 = a2, c3 = a3
                var xk = x + p
                var o = 0
                for _ in 0..<inner {
                    let v = load(xk), u = load(xk + 4)
                    let s0 = w0[o], s1 = w1[o], s2 = w2[o], s3 = w3[o]
                    a0 = madd(a0, s0, v); c0 = madd(c0, s0, u)
                    a1 = madd(a1, s1, v); c1 = madd(c1, s1, u)
                    a2 = madd(a2, s2, v); c2 = madd(c2, s2, u)
                    a3 = madd(a3, s3, v); c3 = madd(c3, s3, u)
                    xk += n
                    o += innerStride
                }
                store(a0, y0 + p); store(c0, y0 + p + 4)
                store(a1, y1 + p); store(c1, y1 + p + 4)
                store(a2, y2 + p); store(c2, y2 + p + 4)
                store(a3, y3 + p); store(c3, y3 + p + 4)
                p += 8
            }
            while p + 4 <= n {
                var a0 = SIMD4<Double>(repeating: b0), a1 = SIMD4<Double>(repeating: b1)
                var a2 = SIMD4<Double>(repeating: b2), a3 = SIMD4<Double>(repeating: b3)
                for k in 0..<inner {
                    let v = load(x + k * n + p)
                    let o = k * innerStride
                    a0 = madd(a0, w0[o], v)
                    a1 = madd(a1, w1[o], v)
                    a2 = madd(a2, w2[o], v)
                    a3 = madd(a3, w3[o], v)
                }
                store(a0, y0 + p)
                store(a1, y1 + p)
                store(a2, y2 + p)
                store(a3, y3 + p)
                p += 4
            }
            while p < n {
                var a0 = b0, a1 = b1, a2 = b2, a3 = b3
                for k in 0..<inner {
                    let v = x[k * n + p]
                    let o = k * innerStride
                    a0 = madd(a0, w0[o], v)
                    a1 = madd(a1, w1[o], v)
                    a2 = madd(a2, w2[o], v)
                    a3 = madd(a3, w3[o], v)
                }
                y0[p] = a0
                y1[p] = a1
                y2[p] = a2
                y3[p] = a3
                p += 1
            }
            r += 4
        }
        while r < rows {
            let w0 = weights + r * rowStride
            let b0 = bias?[r] ?? 0
            var p = 0
            while p + 8 <= n {
                var a0 = SIMD4<Double>(repeating: b0), c0 = a0
                for k in 0..<inner {
                    let s = w0[k * innerStride], xk = x + k * n + p
                    a0 = madd(a0, s, load(xk))
                    c0 = madd(c0, s, load(xk + 4))
                }
                store(a0, y + r * n + p)
                store(c0, y + r * n + p + 4)
                p += 8
            }
            while p + 4 <= n {
                var a0 = SIMD4<Double>(repeating: b0)
                for k in 0..<inner { a0 = madd(a0, w0[k * innerStride], load(x + k * n + p)) }
                store(a0, y + r * n + p)
                p += 4
            }
            while p < n {
                var a0 = b0
                for k in 0..<inner { a0 = madd(a0, w0[k * innerStride], x[k * n + p]) }
                y[r * n + p] = a0
                p += 1
            }
            r += 1
        }
    }

    @inline(__always)
    private static func reduce(_ v: SIMD4<Double>) -> Double { (v[0] + v[1]) + (v[2] + v[3]) }

    /// g[r·rowStride + c] += Σ_p a[r, p]·b[c, p] for r < rows, c < columns (the weight
    /// gradient δ·hᵀ), and, if `rowSums` is given, rowSums[r] += Σ_p a[r, p] (the bias gradient).
    /// Each sum: four lanes in batch order, then (l0 + l1) + (l2 + l3), then the scalar tail.
    static func accumulateOuter(rows: Int, columns: Int, n: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                                gradient g: UnsafeMutablePointer<Double>, rowStride: Int,
                                mask: UnsafePointer<Double>?, rowSums: UnsafeMutablePointer<Double>?) {
        let n4 = n & ~3
        if let rowSums {
            for r in 0..<rows {
                let ar = a + r * n
                var s = SIMD4<Double>(repeating: 0)
                var p = 0
                while p < n4 { s += load(ar + p); p += 4 }
                var total = reduce(s)
                while p < n { total += ar[p]; p += 1 }
                rowSums[r] += total
            }
        }
        @inline(__always) func finish(_ t: Double, _ index: Int) {
            if let mask { g[index] += t * mask[index] } else { g[index] += t }
        }
        var r = 0
        // Two rows × four columns: six loads feed eight multiply–adds.
        while r + 2 <= rows {
            let ar = a + r * n, ar1 = ar + n
            var c = 0
            while c + 4 <= columns {
                var s0 = SIMD4<Double>(repeating: 0), s1 = s0, s2 = s0, s3 = s0
                var q0 = s0, q1 = s0, q2 = s0, q3 = s0
                let b0 = b + c * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n
                var p = 0
                while p < n4 {
                    let v = load(ar + p), w = load(ar1 + p)
                    let e0 = load(b0 + p), e1 = load(b1 + p), e2 = load(b2 + p), e3 = load(b3 + p)
                    s0 = madd(s0, v, e0); q0 = madd(q0, w, e0)
                    s1 = madd(s1, v, e1); q1 = madd(q1, w, e1)
                    s2 = madd(s2, v, e2); q2 = madd(q2, w, e2)
                    s3 = madd(s3, v, e3); q3 = madd(q3, w, e3)
                    p += 4
                }
                var t0 = reduce(s0), t1 = reduce(s1), t2 = reduce(s2), t3 = reduce(s3)
                var u0 = reduce(q0), u1 = reduce(q1), u2 = reduce(q2), u3 = reduce(q3)
                while p < n {
                    let v = ar[p], w = ar1[p]
                    t0 = madd(t0, v, b0[p]); t1 = madd(t1, v, b1[p]); t2 = madd(t2, v, b2[p]); t3 = madd(t3, v, b3[p])
                    u0 = madd(u0, w, b0[p]); u1 = madd(u1, w, b1[p]); u2 = madd(u2, w, b2[p]); u3 = madd(u3, w, b3[p])
                    p += 1
                }
                let base = r * rowStride + c, base1 = base + rowStride
                finish(t0, base); finish(t1, base + 1); finish(t2, base + 2); finish(t3, base + 3)
                finish(u0, base1); finish(u1, base1 + 1); finish(u2, base1 + 2); finish(u3, base1 + 3)
                c += 4
            }
            while c < columns {
                let bc = b + c * n
                var s = SIMD4<Double>(repeating: 0), q = s
                var p = 0
                while p < n4 { let e = load(bc + p); s = madd(s, load(ar + p), e); q = madd(q, load(ar1 + p), e); p += 4 }
                var t = reduce(s), u = reduce(q)
                while p < n { t = madd(t, ar[p], bc[p]); u = madd(u, ar1[p], bc[p]); p += 1 }
                finish(t, r * rowStride + c)
                finish(u, (r + 1) * rowStride + c)
                c += 1
            }
            r += 2
        }
        while r < rows {
            let ar = a + r * n
            for c in 0..<columns {
                let bc = b + c * n
                var s = SIMD4<Double>(repeating: 0)
                var p = 0
                while p < n4 { s = madd(s, load(ar + p), load(bc + p)); p += 4 }
                var t = reduce(s)
                while p < n { t = madd(t, ar[p], bc[p]); p += 1 }
                finish(t, r * rowStride + c)
            }
            r += 1
        }
    }

    /// t[p·rows + r] = x[r·n + p]: a feature-major block (rows × n) to point-major (n × rows),
    /// four rows × four points at a time.
    static func transpose(_ x: UnsafePointer<Double>, rows: Int, n: Int, into t: UnsafeMutablePointer<Double>) {
        var r = 0
        while r + 4 <= rows {
            let x0 = x + r * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n
            var p = 0
            while p + 4 <= n {
                let a = load(x0 + p), b = load(x1 + p), c = load(x2 + p), d = load(x3 + p)
                let tp = t + p * rows + r
                store(SIMD4(a[0], b[0], c[0], d[0]), tp)
                store(SIMD4(a[1], b[1], c[1], d[1]), tp + rows)
                store(SIMD4(a[2], b[2], c[2], d[2]), tp + 2 * rows)
                store(SIMD4(a[3], b[3], c[3], d[3]), tp + 3 * rows)
                p += 4
            }
            while p < n {
                let tp = t + p * rows + r
                tp[0] = x0[p]; tp[1] = x1[p]; tp[2] = x2[p]; tp[3] = x3[p]
                p += 1
            }
            r += 4
        }
        while r < rows {
            for p in 0..<n { t[p * rows + r] = x[r * n + p] }
            r += 1
        }
    }

    /// g[r·rowStride + c] += (Σ_p a[r, p]·bt[p, c]) (· mask[r·rowStride + c]) for r < rows,
    /// c < columns, with b given point-major (`bt`, n × columns, from ``transpose``): the weight
    /// gradient δ·hᵀ with the sums along the columns, so that each loaded vector of bt feeds
    /// four rows and no sum needs a horizontal reduction (four rows × eight columns per
    /// register block, then four columns, then single columns). Each sum adds the terms in
    /// increasing p. The bias sums are not taken here (see ``accumulateOuter``).
    static func accumulateOuterTransposed(rows: Int, columns: Int, n: Int, a: UnsafePointer<Double>, bt: UnsafePointer<Double>,
                                          gradient g: UnsafeMutablePointer<Double>, rowStride: Int, mask: UnsafePointer<Double>?) {
        @inline(__always) func finish(_ s: SIMD4<Double>, _ index: Int) {
            if let mask {
                store(load(g + index) + s * load(mask + index), g + index)
            } else {
                store(load(g + index) + s, g + index)
            }
        }
        var r = 0
        while r + 4 <= rows {
            let a0 = a + r * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n
            var c = 0
            while c + 8 <= columns {
                var s0 = SIMD4<Double>(repeating: 0), s1 = s0, s2 = s0, s3 = s0
                var q0 = s0, q1 = s0, q2 = s0, q3 = s0
                var bp = bt + c
                for p in 0..<n {
                    let v = load(bp), u = load(bp + 4)
                    let w0 = a0[p], w1 = a1[p], w2 = a2[p], w3 = a3[p]
                    s0 = madd(s0, w0, v); q0 = madd(q0, w0, u)
                    s1 = madd(s1, w1, v); q1 = madd(q1, w1, u)
                    s2 = madd(s2, w2, v); q2 = madd(q2, w2, u)
                    s3 = madd(s3, w3, v); q3 = madd(q3, w3, u)
                    bp += columns
                }
                let base = r * rowStride + c
                finish(s0, base); finish(q0, base + 4)
                finish(s1, base + rowStride); finish(q1, base + rowStride + 4)
                finish(s2, base + 2 * rowStride); finish(q2, base + 2 * rowStride + 4)
                finish(s3, base + 3 * rowStride); finish(q3, base + 3 * rowStride + 4)
                c += 8
            }
            while c + 4 <= columns {
                var s0 = SIMD4<Double>(repeating: 0), s1 = s0, s2 = s0, s3 = s0
                var bp = bt + c
                for p in 0..<n {
                    let v = load(bp)
                    s0 = madd(s0, a0[p], v); s1 = madd(s1, a1[p], v); s2 = madd(s2, a2[p], v); s3 = madd(s3, a3[p], v)
                    bp += columns
                }
                let base = r * rowStride + c
                finish(s0, base); finish(s1, base + rowStride); finish(s2, base + 2 * rowStride); finish(s3, base + 3 * rowStride)
                c += 4
            }
            while c < columns {
                for row in r..<(r + 4) {
                    let ar = a + row * n
                    var t = 0.0
                    for p in 0..<n { t = madd(t, ar[p], bt[p * columns + c]) }
                    let index = row * rowStride + c
                    if let mask { g[index] += t * mask[index] } else { g[index] += t }
                }
                c += 1
            }
            r += 4
        }
        while r < rows {
            let ar = a + r * n
            var c = 0
            while c + 4 <= columns {
                var s = SIMD4<Double>(repeating: 0)
                var bp = bt + c
                for p in 0..<n {
                    s = madd(s, ar[p], load(bp))
                    bp += columns
                }
                finish(s, r * rowStride + c)
                c += 4
            }
            while c < columns {
                var t = 0.0
                for p in 0..<n { t = madd(t, ar[p], bt[p * columns + c]) }
                let index = r * rowStride + c
                if let mask { g[index] += t * mask[index] } else { g[index] += t }
                c += 1
            }
            r += 1
        }
    }
}
