/// One row of a two-dimensional `stages` figure: panels showing the density of chosen
/// prefixes of one or more chains, left to right.
///
/// In YAML a row maps chain names to prefix lengths K (the density after the first K maps;
/// 0 is the base q₀), in order; `flow` is the spec's own chain, other names are `variants`:
/// ```yaml
/// rows:
///   - {flow: [0, 1, 2, 10], radial: [1, 2, 10]}
///   - {uniform_planar: [0, 1, 2, 10], uniform_radial: [1, 2, 10]}
/// ```
public struct StageRow: Sendable, Equatable {
    /// A chain and the prefix lengths drawn from it.
    public struct Entry: Sendable, Equatable {
        /// `flow` or the name of a variant.
        public var chain: String
        /// Prefix lengths K, each in 0 … (number of maps of the chain).
        public var stages: [Int]

        public init(chain: String, stages: [Int]) {
            self.chain = chain
            self.stages = stages
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The number of panels of the row.
    public var panelCount: Int { entries.reduce(0) { $0 + $1.stages.count } }
}
