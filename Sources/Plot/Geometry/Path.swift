/// A vector path in page points: sub-paths of straight segments and cubic Bézier curves.
/// Renderers translate it one element at a time; coordinates are never rounded.
public struct Path: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        case move(Point)
        case line(Point)
        /// Cubic Bézier with two control points and an end point.
        case curve(Point, Point, Point)
        case close
    }

    public private(set) var elements: [Element] = []

    public init() {}

    public init(elements: [Element]) { self.elements = elements }

    public var isEmpty: Bool { elements.isEmpty }

    public mutating func move(to p: Point) { elements.append(.move(p)) }
    public mutating func line(to p: Point) { elements.append(.line(p)) }
    public mutating func curve(to p: Point, control1: Point, control2: Point) {
        elements.append(.curve(control1, control2, p))
    }
    public mutating func close() { elements.append(.close) }

    public mutating func reserveCapacity(_ n: Int) { elements.reserveCapacity(n) }

    /// Appends every element of `other`.
    public mutating func append(_ other: Path) { elements.append(contentsOf: other.elements) }

    /// A closed rectangle.
    public static func rectangle(_ r: Rect) -> Path {
        Path(elements: [
            .move(Point(r.minX, r.minY)), .line(Point(r.maxX, r.minY)),
            .line(Point(r.maxX, r.maxY)), .line(Point(r.minX, r.maxY)), .close,
        ])
    }

    /// A circle of radius `r` about `c`, as four cubic Béziers with the standard constant
    /// κ = 4(√2 − 1)/3 ≈ 0.5523 (maximum radial error 0.027 %).
    public static func circle(center c: Point, radius r: Double) -> Path {
        let k = 0.5522847498307936 * r
        var p = Path()
        p.move(to: Point(c.x + r, c.y))
        p.curve(to: Point(c.x, c.y + r), control1: Point(c.x + r, c.y + k), control2: Point(c.x + k, c.y + r))
        p.curve(to: Point(c.x - r, c.y), control1: Point(c.x - k, c.y + r), control2: Point(c.x - r, c.y + k))
        p.curve(to: Point(c.x, c.y - r), control1: Point(c.x - r, c.y - k), control2: Point(c.x - k, c.y - r))
        p.curve(to: Point(c.x + r, c.y), control1: Point(c.x + k, c.y - r), control2: Point(c.x + r, c.y - k))
        p.close()
        return p
    }

    /// A single straight segment.
    public static func segment(_ a: Point, _ b: Point) -> Path {
        Path(elements: [.move(a), .line(b)])
    }

    /// Number of sub-paths (move elements).
    public var subpathCount: Int { elements.reduce(0) { $1.isMove ? $0 + 1 : $0 } }
}

extension Path.Element {
    var isMove: Bool { if case .move = self { return true } else { return false } }
}
