/// A position in points (1/72 inch) on the page. The page origin is the top-left corner and
/// y grows downwards, as in Cairo, PDF-through-Cairo and SVG; the flip from data coordinates
/// (y up) happens only in `Scale`'s mapping for vertical axes.
public struct Point: Hashable, Sendable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
