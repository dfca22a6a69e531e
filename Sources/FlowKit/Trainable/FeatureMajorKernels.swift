/// The three matrix products of ``TrainableMLP`` over feature-major buffers (`x[k·n + p]`),
/// written with `SIMD4<Double>` over the batch and register blocks of four rows, so that each
/// loaded vector of the batch feeds four multiply–adds. Every sum runs in a fixed order (the
/// results never depend on threads or timing).
enum FeatureMajorKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    /// y[r, :] = (bias?[r] ?? 0) + Σ_k W(r, k)·x[k, :] for r < rows, with W(r, k) =
    /// weights[r·rowStride + k·innerStride] and x of `inner` rows, n points each.
    static func multiply(rows: Int, inner: Int, n: Int, weights: UnsafePointer<Double>, rowStride: Int, innerStride: Int,
                         bias: UnsafePointer<Double>?, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        var r = 0
        while r + 4 <= rows {
            let w0 = weights + r * rowStride, w1 = w0 + rowStride, w2 = w1 + rowStride, w3 = w2 + rowStride
            let b0 = bias?[r] ?? 0, b1 = bias?[r + 1] ?? 0, b2 = bias?[r + 2] ?? 0, b3 = bias?[r + 3] ?? 0
            var p = 0
            while p + 4 <= n {
                var a0 = SIMD4<Double>(repeating: b0), a1 = SIMD4<Double>(repeating: b1)
                var a2 = SIMD4<Double>(repeating: b2), a3 = SIMD4<Double>(repeating: b3)
                for k in 0..<inner {
                    let v = load(x + k * n + p)
                    let o = k * innerStride
                    a0 += w0[o] * v
                    a1 += w1[o] * v
                    a2 += w2[o] * v
                    a3 += w3[o] * v
                }
                store(a0, y + r * n + p)
                store(a1, y + (r + 1) * n + p)
                store(a2, y + (r + 2) * n + p)
                store(a3, y + (r + 3) * n + p)
                p += 4
            }
            while p < n {
                var a0 = b0, a1 = b1, a2 = b2, a3 = b3
                for k in 0..<inner {
                    let v = x[k * n + p]
                    let o = k * innerStride
                    a0 += w0[o] * v
                    a1 += w1[o] * v
                    a2 += w2[o] * v
                    a3 += w3[o] * v
                }
                y[r * n + p] = a0
                y[(r + 1) * n + p] = a1
                y[(r + 2) * n + p] = a2
                y[(r + 3) * n + p] = a3
                p += 1
            }
            r += 4
        }
        while r < rows {
            let w0 = weights + r * rowStride
            let b0 = bias?[r] ?? 0
            var p = 0
            while p + 4 <= n {
                var a0 = SIMD4<Double>(repeating: b0)
                for k in 0..<inner { a0 += w0[k * innerStride] * load(x + k * n + p) }
                store(a0, y + r * n + p)
                p += 4
            }
            while p < n {
                var a0 = b0
                for k in 0..<inner { a0 += w0[k * innerStride] * x[k * n + p] }
                y[r * n + p] = a0
                p += 1
            }
            r += 1
        }
    }

    /// g[r·rowStride + c] += Σ_p a[r, p]·b[c, p] for r < rows, c < columns (the weight
    /// gradient δ·hᵀ), and, if `rowSums` is given, rowSums[r] += Σ_p a[r, p] (the bias gradient).
    /// Each sum: four lanes in batch order, then (l0 + l1) + (l2 + l3), then the scalar tail.
    static func accumulateOuter(rows: Int, columns: Int, n: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                                gradient g: UnsafeMutablePointer<Double>, rowStride: Int,
                                mask: UnsafePointer<Double>?, rowSums: UnsafeMutablePointer<Double>?) {
        let n4 = n & ~3
        @inline(__always) func reduce(_ v: SIMD4<Double>) -> Double { (v[0] + v[1]) + (v[2] + v[3]) }
        for r in 0..<rows {
            let ar = a + r * n
            if let rowSums {
                var s = SIMD4<Double>(repeating: 0)
                var p = 0
                while p < n4 { s += load(ar + p); p += 4 }
                var total = reduce(s)
                while p < n { total += ar[p]; p += 1 }
                rowSums[r] += total
            }
            var c = 0
            while c + 4 <= columns {
                var s0 = SIMD4<Double>(repeating: 0), s1 = s0, s2 = s0, s3 = s0
                let b0 = b + c * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n
                var p = 0
                while p < n4 {
                    let v = load(ar + p)
                    s0 += v * load(b0 + p)
                    s1 += v * load(b1 + p)
                    s2 += v * load(b2 + p)
                    s3 += v * load(b3 + p)
                    p += 4
                }
                var t0 = reduce(s0), t1 = reduce(s1), t2 = reduce(s2), t3 = reduce(s3)
                while p < n {
                    let v = ar[p]
                    t0 += v * b0[p]; t1 += v * b1[p]; t2 += v * b2[p]; t3 += v * b3[p]
                    p += 1
                }
                let base = r * rowStride + c
                if let mask {
                    t0 *= mask[base]; t1 *= mask[base + 1]; t2 *= mask[base + 2]; t3 *= mask[base + 3]
                }
                g[base] += t0; g[base + 1] += t1; g[base + 2] += t2; g[base + 3] += t3
                c += 4
            }
            while c < columns {
                let bc = b + c * n
                var s = SIMD4<Double>(repeating: 0)
                var p = 0
                while p < n4 { s += load(ar + p) * load(bc + p); p += 4 }
                var t = reduce(s)
                while p < n { t += ar[p] * bc[p]; p += 1 }
                let base = r * rowStride + c
                if let mask { t *= mask[base] }
                g[base] += t
                c += 1
            }
        }
    }
}
