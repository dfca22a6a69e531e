/// One named block of a layer's flat parameter vector: `count` values from `offset`, read as
/// an array of `shape` (row-major; `[]` for a scalar).
public struct ParameterBlock: Sendable, Equatable {
    public let name: String
    public let offset: Int
    public let shape: [Int]

    public init(name: String, offset: Int, shape: [Int]) {
        self.name = name
        self.offset = offset
        self.shape = shape
    }

    /// The number of values, the product of `shape` (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }
    /// The indices of the block in the flat vector.
    public var range: Range<Int> { offset..<(offset + count) }
}

/// The named layout of a flat vector of unconstrained parameters: consecutive blocks, so that
/// fitted values can be read back by name (and written as a spec's parameter struct) and
/// gradients reported per block. Built with ``ParameterLayout/Builder``.
public struct ParameterLayout: Sendable, Equatable {
    public let blocks: [ParameterBlock]

    public init(blocks: [ParameterBlock]) { self.blocks = blocks }

    /// The total number of parameters.
    public var count: Int { blocks.last.map { $0.offset + $0.count } ?? 0 }

    /// The block called `name`, if any.
    public func block(named name: String) -> ParameterBlock? { blocks.first { $0.name == name } }

    /// The block holding flat index `index`, if any.
    public func block(containing index: Int) -> ParameterBlock? { blocks.first { $0.range.contains(index) } }

    /// The values of block `name` in `parameters` (empty if there is no such block).
    public func values(_ name: String, in parameters: [Double]) -> [Double] {
        guard let block = block(named: name), block.range.upperBound <= parameters.count else { return [] }
        return Array(parameters[block.range])
    }

    /// Appends blocks one after another.
    public struct Builder {
        public private(set) var blocks: [ParameterBlock] = []
        public private(set) var count = 0

        public init() {}

        /// Adds a block and returns its offset.
        @discardableResult
        public mutating func add(_ name: String, shape: [Int]) -> Int {
            let block = ParameterBlock(name: name, offset: count, shape: shape)
            blocks.append(block)
            count += block.count
            return block.offset
        }

        public var layout: ParameterLayout { ParameterLayout(blocks: blocks) }
    }
}
