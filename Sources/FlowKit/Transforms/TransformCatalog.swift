/// Every transform a spec can name, with its parameters and domain.
public enum TransformCatalog {
    /// All entries: the elementwise maps, then the multivariate ones.
    public static var all: [CatalogEntry<any Bijection>] { elementwise + multivariate }

    /// The elementwise maps (`exp`, `log`, `affine`, …), applied per coordinate in d dimensions.
    /// Entries without parameters ignore the decoder (it may be positioned at nothing).
    public static let elementwise: [CatalogEntry<any Bijection>] = [
        plain(ExpMap(), summary: "y = eˣ", domain: "ℝ → (0, ∞)"),
        plain(LogMap(), summary: "y = log x", domain: "(0, ∞) → ℝ"),
        CatalogEntry(name: "affine", summary: "y = scale·x + shift", parameters: AffineParameters.docs,
                     domainSummary: "ℝ → ℝ") { decoder, _ in
            Elementwise(try AffineParameters(from: decoder).make())
        },
        CatalogEntry(name: "power", summary: "y = x^exponent", parameters: PowerParameters.docs,
                     domainSummary: "(0, ∞) → (0, ∞)") { decoder, _ in
            Elementwise(try PowerParameters(from: decoder).make())
        },
        plain(SigmoidMap(), summary: "y = 1/(1 + e^(−x)), the logistic function", domain: "ℝ → (0, 1)"),
        plain(LogitMap(), summary: "y = log(x/(1 − x)), the inverse of sigmoid", domain: "(0, 1) → ℝ"),
        plain(TanhMap(), summary: "y = tanh x", domain: "ℝ → (−1, 1)"),
        plain(AtanhMap(), summary: "y = atanh x, the inverse of tanh", domain: "(−1, 1) → ℝ"),
        plain(SoftplusMap(), summary: "y = log(1 + eˣ)", domain: "ℝ → (0, ∞)"),
        plain(SinhMap(), summary: "y = sinh x", domain: "ℝ → ℝ"),
        plain(AsinhMap(), summary: "y = asinh x, the inverse of sinh", domain: "ℝ → ℝ"),
        CatalogEntry(name: "sinh_arcsinh",
                     summary: "y = sinh(tailweight·(asinh x + skew)) (Jones & Pewsey 2009, δ = 1/tailweight)",
                     parameters: SinhArcsinhParameters.docs, domainSummary: "ℝ → ℝ") { decoder, _ in
            Elementwise(try SinhArcsinhParameters(from: decoder).make())
        },
        plain(NormalCDFMap(), summary: "y = Φ(x), the standard normal CDF", domain: "ℝ → (0, 1)"),
        plain(NormalQuantileMap(), summary: "y = Φ⁻¹(x), the standard normal quantile", domain: "(0, 1) → ℝ"),
        CatalogEntry(name: "spline",
                     summary: "monotone rational-quadratic spline through given knots, linear tails (Durkan et al. 2019)",
                     parameters: SplineParameters.docs, domainSummary: "ℝ → ℝ") { decoder, _ in
            Elementwise(try SplineParameters(from: decoder).make())
        },
    ]

    /// The entry named `name`, or nil.
    public static func entry(named name: String) -> CatalogEntry<any Bijection>? {
        all.first { $0.name == name }
    }

    /// An entry without parameters.
    private static func plain<Map: ScalarBijection>(_ map: Map, summary: String, domain: String) -> CatalogEntry<any Bijection> {
        CatalogEntry(name: map.name, summary: summary, parameters: [], domainSummary: domain) { _, _ in
            Elementwise(map)
        }
    }
}
