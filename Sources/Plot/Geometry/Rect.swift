/// An axis-aligned rectangle in points, origin at its top-left corner.
///
/// Layout is explicit rectangle splitting: `slice(from:amount:)` cuts a band off one edge and
/// returns the band and the rest, so that decorations (titles, tick labels, colour bars) each
/// own a band and cannot overlap.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    public var description: String { "Rect(x: \(x), y: \(y), w: \(width), h: \(height))" }

    /// The edge a band is cut from.
    public enum Edge: Sendable { case top, bottom, left, right }

    /// Cuts a band of thickness `amount` (clamped to the available size) from `edge`.
    /// - Returns: the band and the remainder.
    public func slice(from edge: Edge, amount: Double) -> (band: Rect, rest: Rect) {
        switch edge {
        case .top:
            let a = min(max(amount, 0), height)
            return (Rect(x: x, y: y, width: width, height: a), Rect(x: x, y: y + a, width: width, height: height - a))
        case .bottom:
            let a = min(max(amount, 0), height)
            return (Rect(x: x, y: maxY - a, width: width, height: a), Rect(x: x, y: y, width: width, height: height - a))
        case .left:
            let a = min(max(amount, 0), width)
            return (Rect(x: x, y: y, width: a, height: height), Rect(x: x + a, y: y, width: width - a, height: height))
        case .right:
            let a = min(max(amount, 0), width)
            return (Rect(x: maxX - a, y: y, width: a, height: height), Rect(x: x, y: y, width: width - a, height: height))
        }
    }

    /// The rectangle shrunk by the given insets on each side (never to a negative size).
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        let w = max(width - left - right, 0)
        let h = max(height - top - bottom, 0)
        return Rect(x: x + left, y: y + top, width: w, height: h)
    }

    /// The rectangle shrunk by `d` on every side.
    public func inset(by d: Double) -> Rect { inset(top: d, left: d, bottom: d, right: d) }

    /// Whether the interiors of the two rectangles intersect (shared edges do not count).
    public func intersects(_ other: Rect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    /// Whether `other` lies inside this rectangle, allowing `tolerance` points of slack.
    public func contains(_ other: Rect, tolerance: Double = 1e-9) -> Bool {
        other.x >= x - tolerance && other.y >= y - tolerance
            && other.maxX <= maxX + tolerance && other.maxY <= maxY + tolerance
    }

    public func contains(_ p: Point) -> Bool {
        p.x >= x && p.x <= maxX && p.y >= y && p.y <= maxY
    }

    /// The smallest rectangle containing both.
    public func union(_ other: Rect) -> Rect {
        let x0 = min(x, other.x), y0 = min(y, other.y)
        return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }
}
