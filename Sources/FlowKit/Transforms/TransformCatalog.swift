/// Every transform a spec can name, with its parameters and domain.
public enum TransformCatalog {
    /// All entries: the elementwise maps, then the multivariate ones.
    public static var all: [CatalogEntry<any Bijection>] { elementwise + multivariate }

    /// The elementwise maps (`exp`, `log`, `affine`, …), applied per coordinate in d dimensions.
    public static let elementwise: [CatalogEntry<any Bijection>] = []

    /// The entry named `name`, or nil.
    public static func entry(named name: String) -> CatalogEntry<any Bijection>? {
        all.first { $0.name == name }
    }
}
