import FlowKit

/// The catalogs a spec's names are resolved against: univariate and multivariate
/// distributions and transforms. `standard` is FlowKit's; tests may pass smaller ones.
public struct SpecCatalogs: Sendable {
    public var univariate: [CatalogEntry<any UnivariateDistribution>]
    public var multivariate: [CatalogEntry<any MultivariateDistribution>]
    public var transforms: [CatalogEntry<any Bijection>]

    public init(univariate: [CatalogEntry<any UnivariateDistribution>],
                multivariate: [CatalogEntry<any MultivariateDistribution>],
                transforms: [CatalogEntry<any Bijection>]) {
        self.univariate = univariate
        self.multivariate = multivariate
        self.transforms = transforms
    }

    /// FlowKit's catalogs.
    public static var standard: SpecCatalogs {
        SpecCatalogs(univariate: DistributionCatalog.univariate,
                     multivariate: DistributionCatalog.multivariate,
                     transforms: TransformCatalog.all)
    }

    /// Every distribution name, univariate first, without repeats.
    var distributionNames: [String] {
        var seen = Set<String>()
        return (univariate.map(\.name) + multivariate.map(\.name)).filter { seen.insert($0).inserted }
    }
}
