/// A figure: a page of `width × height` points holding a grid of panels.
///
/// `rows × columns` cells each start with an empty panel; `span` merges cells into one
/// panel. Shared axes give all panels the same limits and keep tick labels only on the
/// outer panels (x: bottom of each column, y: leftmost). Drawing (`FigureRenderer.draw`)
/// lays everything out by rectangle splitting, measuring every text through the renderer.
public struct Figure: Sendable {
    /// A panel and the grid cells it occupies.
    public struct Slot: Sendable {
        public var panel: Panel
        public var row: Int
        public var column: Int
        public var rowSpan: Int
        public var columnSpan: Int
    }

    /// Page size in points (72 per inch). Matplotlib's default is 460.8 × 345.6 (6.4 × 4.8 in).
    public var width: Double
    public var height: Double
    public let rows: Int
    public let columns: Int
    public var title: String?
    /// Family and base size of all text (tick labels and axis labels at the base size,
    /// panel titles 1.2×, the figure title 1.4×, legends 0.9×).
    public var font: Font
    public var sharedX = false
    public var sharedY = false
    public var background: Color = .white
    /// Blank border around everything, in points.
    public var padding: Double = 6
    public private(set) var slots: [Slot]

    public init(width: Double = 460.8, height: Double = 345.6, rows: Int = 1, columns: Int = 1,
                title: String? = nil, font: Font = Font(family: .sans, size: 10)) {
        self.width = width
        self.height = height
        self.rows = max(rows, 1)
        self.columns = max(columns, 1)
        self.title = title
        self.font = font
        var s: [Slot] = []
        for r in 0..<self.rows {
            for c in 0..<self.columns { s.append(Slot(panel: Panel(), row: r, column: c, rowSpan: 1, columnSpan: 1)) }
        }
        self.slots = s
    }

    /// The panel whose top-left cell is (row, column). Setting a cell covered by a spanning
    /// panel replaces that panel's content.
    public subscript(row: Int, column: Int) -> Panel {
        get {
            if let k = slotIndex(row: row, column: column) { return slots[k].panel }
            return Panel()
        }
        set {
            if let k = slotIndex(row: row, column: column) { slots[k].panel = newValue }
        }
    }

    /// The single panel of a 1×1 figure (the top-left panel otherwise).
    public var panel: Panel {
        get { self[0, 0] }
        set { self[0, 0] = newValue }
    }

    /// Index of the slot covering the cell.
    func slotIndex(row: Int, column: Int) -> Int? {
        slots.firstIndex { row >= $0.row && row < $0.row + $0.rowSpan && column >= $0.column && column < $0.column + $0.columnSpan }
    }

    /// Makes the panel at (row, column) span `rowSpan × columnSpan` cells, removing the panels
    /// it covers. Spans are clamped to the grid.
    public mutating func span(row: Int, column: Int, rowSpan: Int, columnSpan: Int) {
        guard row >= 0, row < rows, column >= 0, column < columns, let k = slotIndex(row: row, column: column) else { return }
        let rs = max(1, min(rowSpan, rows - row)), cs = max(1, min(columnSpan, columns - column))
        let keep = slots[k].panel
        slots.removeAll { s in
            s.row < row + rs && row < s.row + s.rowSpan && s.column < column + cs && column < s.column + s.columnSpan
        }
        slots.append(Slot(panel: keep, row: row, column: column, rowSpan: rs, columnSpan: cs))
        slots.sort { ($0.row, $0.column) < ($1.row, $1.column) }
    }
}
