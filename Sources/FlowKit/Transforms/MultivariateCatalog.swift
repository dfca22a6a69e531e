extension TransformCatalog {
    /// The multivariate transforms (`linear`, `planar`, `radial`, `coupling`, `permute`,
    /// `reverse`).
    public static let multivariate: [CatalogEntry<any Bijection>] = []
}
