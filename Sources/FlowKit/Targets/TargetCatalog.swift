/// The two-dimensional targets a spec can name, for `reference` entries and separate panels
/// (issue 5): the energies U1–U4 (unnormalised densities exp(−U)) and the toy data sets
/// (samplers). Neither takes parameters; `flowreport list` prints names and summaries.
public enum TargetCatalog {
    /// A named target.
    public enum Target: Sendable, Equatable {
        /// An unnormalised density exp(−U(z)) on ℝ².
        case energy(Energy)
        /// A sampler of two-dimensional points.
        case dataset(ToyDataset)

        public var name: String {
            switch self {
            case let .energy(e): return e.name
            case let .dataset(d): return d.name
            }
        }

        public var summary: String {
            switch self {
            case let .energy(e): return e.summary
            case let .dataset(d): return d.summary
            }
        }
    }

    /// The energies, then the data sets, in the order of `flows.md` §4 and §6.
    public static let targets: [Target] = Energy.allCases.map(Target.energy) + ToyDataset.allCases.map(Target.dataset)

    /// Catalog entries (no parameters; `make` ignores its decoder and checks that the
    /// experiment is two-dimensional when the dimension is known).
    public static let entries: [CatalogEntry<Target>] = targets.map { target in
        let kind: String
        switch target {
        case .energy: kind = "energy: unnormalised density exp(−U) on ℝ²"
        case .dataset: kind = "data set: sampler on ℝ²"
        }
        return CatalogEntry(name: target.name, summary: target.summary, parameters: [], domainSummary: kind) { _, dimension in
            if let dimension, dimension != 2 {
                throw FlowKitError.dimensionMismatch(what: "target \(target.name)", expected: 2, found: dimension)
            }
            return target
        }
    }

    /// Every target name.
    public static var names: [String] { targets.map(\.name) }

    /// The entry called `name`, or nil.
    public static func entry(named name: String) -> CatalogEntry<Target>? {
        entries.first { $0.name == name }
    }

    /// The target called `name`; throws ``FlowKitError/unknownName(kind:name:known:)``.
    public static func target(named name: String) throws -> Target {
        guard let target = targets.first(where: { $0.name == name }) else {
            throw FlowKitError.unknownName(kind: "target", name: name, known: names)
        }
        return target
    }
}
