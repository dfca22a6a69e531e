/// Every distribution a spec can name, with its parameters (spec vocabulary of issue 2),
/// defaults and support.
public enum DistributionCatalog {
    private static func entry<P: Decodable & Sendable & SendableMetatype>(
        _ name: String, _ summary: String, _ parameters: [ParameterDoc], support: String,
        _ parameterType: P.Type, build: @escaping @Sendable (P) -> any UnivariateDistribution
    ) -> CatalogEntry<any UnivariateDistribution> {
        CatalogEntry(name: name, summary: summary, parameters: parameters, domainSummary: support) { decoder, _ in
            build(try P(from: decoder))
        }
    }

    private static func loc(_ what: String = "location") -> ParameterDoc {
        ParameterDoc("loc", .number, requirement: "finite", summary: what, default: "0")
    }
    private static func scale(_ what: String = "scale") -> ParameterDoc {
        ParameterDoc("scale", .number, requirement: "> 0", summary: what, default: "1")
    }

    /// The twelve univariate distributions.
    public static let univariate: [CatalogEntry<any UnivariateDistribution>] = [
        entry("normal", "normal N(mean, std²)",
              [ParameterDoc("mean", .number, requirement: "finite", summary: "mean μ", default: "0"),
               ParameterDoc("std", .number, requirement: "> 0", summary: "standard deviation σ", default: "1")],
              support: "ℝ", NormalDistribution.Parameters.self) { NormalDistribution($0) },
        entry("lognormal", "log-normal: exp of normal(mu, sigma)",
              [ParameterDoc("mu", .number, requirement: "finite", summary: "mean of log x", default: "0"),
               ParameterDoc("sigma", .number, requirement: "> 0", summary: "standard deviation of log x", default: "1")],
              support: "(0, ∞)", LogNormalDistribution.Parameters.self) { LogNormalDistribution($0) },
        entry("uniform", "uniform on [low, high]",
              [ParameterDoc("low", .number, requirement: "finite, < high", summary: "lower end", default: "0"),
               ParameterDoc("high", .number, requirement: "finite, > low", summary: "upper end", default: "1")],
              support: "[low, high]", UniformDistribution.Parameters.self) { UniformDistribution($0) },
        entry("exponential", "exponential with rate λ (mean 1/λ)",
              [ParameterDoc("rate", .number, requirement: "> 0", summary: "rate λ", default: "1")],
              support: "[0, ∞)", ExponentialDistribution.Parameters.self) { ExponentialDistribution($0) },
        entry("laplace", "Laplace (double exponential)", [loc(), scale()],
              support: "ℝ", LaplaceDistribution.Parameters.self) { LaplaceDistribution($0) },
        entry("logistic", "logistic", [loc(), scale()],
              support: "ℝ", LogisticDistribution.Parameters.self) { LogisticDistribution($0) },
        entry("cauchy", "Cauchy (no mean or variance)", [loc("location (median)"), scale("half width at half maximum")],
              support: "ℝ", CauchyDistribution.Parameters.self) { CauchyDistribution($0) },
        entry("gumbel", "Gumbel (maximum extreme value)", [loc("mode"), scale()],
              support: "ℝ", GumbelDistribution.Parameters.self) { GumbelDistribution($0) },
        entry("student_t", "Student's t with df degrees of freedom",
              [ParameterDoc("df", .number, requirement: "> 0", summary: "degrees of freedom ν", default: "3"), loc(), scale()],
              support: "ℝ", StudentTDistribution.Parameters.self) { StudentTDistribution($0) },
        entry("gamma", "gamma with shape k and rate λ (mean k/λ)",
              [ParameterDoc("shape", .number, requirement: "> 0", summary: "shape k", default: "1"),
               ParameterDoc("rate", .number, requirement: "> 0", summary: "rate λ", default: "1")],
              support: "(0, ∞)", GammaDistribution.Parameters.self) { GammaDistribution($0) },
        entry("beta", "beta on (0, 1)",
              [ParameterDoc("a", .number, requirement: "> 0", summary: "first shape a", default: "1"),
               ParameterDoc("b", .number, requirement: "> 0", summary: "second shape b", default: "1")],
              support: "(0, 1)", BetaDistribution.Parameters.self) { BetaDistribution($0) },
        entry("pareto", "Pareto type I: P(X > x) = (xm/x)^alpha",
              [ParameterDoc("alpha", .number, requirement: "> 0", summary: "tail index α", default: "1"),
               ParameterDoc("xm", .number, requirement: "> 0", summary: "scale (minimum) x_m", default: "1")],
              support: "[xm, ∞)", ParetoDistribution.Parameters.self) { ParetoDistribution($0) },
    ]

    /// The multivariate distributions: `normal` and `uniform` (a box).
    public static let multivariate: [CatalogEntry<any MultivariateDistribution>] = [
        CatalogEntry(
            name: "normal", summary: "multivariate normal N(mean, Σ) with Σ = diag(std²) or cov",
            parameters: [
                ParameterDoc("mean", .vector, requirement: "finite; a number broadcasts", summary: "mean vector μ", default: "0"),
                ParameterDoc("std", .vector, requirement: "> 0; a number broadcasts; not with cov",
                             summary: "standard deviations (diagonal Σ)", default: "1"),
                ParameterDoc("cov", .matrix, requirement: "symmetric positive definite; not with std",
                             summary: "full covariance Σ (Cholesky-factorised)"),
            ],
            domainSummary: "ℝᵈ"
        ) { decoder, dimension in
            try MultivariateNormalDistribution(MultivariateNormalDistribution.Parameters(from: decoder), dimension: dimension)
        },
        CatalogEntry(
            name: "uniform", summary: "uniform on the box Π [low_i, high_i]",
            parameters: [
                ParameterDoc("low", .vector, requirement: "finite; a number broadcasts", summary: "lower corner", default: "0"),
                ParameterDoc("high", .vector, requirement: "finite, > low; a number broadcasts", summary: "upper corner", default: "1"),
            ],
            domainSummary: "Π [low_i, high_i]"
        ) { decoder, dimension in
            try BoxUniformDistribution(BoxUniformDistribution.Parameters(from: decoder), dimension: dimension)
        },
    ]

    /// The univariate entry named `name`, or nil.
    public static func univariate(named name: String) -> CatalogEntry<any UnivariateDistribution>? {
        univariate.first { $0.name == name }
    }

    /// The multivariate entry named `name`, or nil.
    public static func multivariate(named name: String) -> CatalogEntry<any MultivariateDistribution>? {
        multivariate.first { $0.name == name }
    }
}
