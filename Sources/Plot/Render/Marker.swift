/// Scatter marker shapes, each built as a path about its centre.
public enum Marker: Sendable, Hashable {
    case circle, square, diamond, triangle, plus, cross

    /// Whether the shape is filled (plus and cross are stroked).
    public var isFilled: Bool {
        switch self {
        case .plus, .cross: return false
        default: return true
        }
    }

    /// The marker's outline, `size` points across, centred at `c`.
    public func path(center c: Point, size: Double) -> Path {
        let r = size / 2
        switch self {
        case .circle:
            return Path.circle(center: c, radius: r)
        case .square:
            let s = r * 0.886 // equal area with the circle: √π/2
            return Path.rectangle(Rect(x: c.x - s, y: c.y - s, width: 2 * s, height: 2 * s))
        case .diamond:
            return Path(elements: [.move(Point(c.x, c.y - r)), .line(Point(c.x + r, c.y)),
                                   .line(Point(c.x, c.y + r)), .line(Point(c.x - r, c.y)), .close])
        case .triangle:
            return Path(elements: [.move(Point(c.x, c.y - r)), .line(Point(c.x + r * 0.866, c.y + r * 0.5)),
                                   .line(Point(c.x - r * 0.866, c.y + r * 0.5)), .close])
        case .plus:
            return Path(elements: [.move(Point(c.x - r, c.y)), .line(Point(c.x + r, c.y)),
                                   .move(Point(c.x, c.y - r)), .line(Point(c.x, c.y + r))])
        case .cross:
            let d = r * 0.7071
            return Path(elements: [.move(Point(c.x - d, c.y - d)), .line(Point(c.x + d, c.y + d)),
                                   .move(Point(c.x - d, c.y + d)), .line(Point(c.x + d, c.y - d))])
        }
    }
}
