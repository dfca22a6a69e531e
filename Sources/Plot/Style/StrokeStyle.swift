/// How a line is drawn: colour, width in points, dash pattern, caps and joins.
public struct StrokeStyle: Sendable, Hashable {
    /// Dash pattern. Lengths scale with the line width, as matplotlib's do.
    public enum Dash: Sendable, Hashable {
        case solid
        case dashed
        case dotted
        case dashDot
        /// Explicit on/off lengths in points.
        case custom([Double])

        /// On/off lengths in points for a line of the given width (empty for solid).
        /// Matplotlib's defaults: dashed 3.7/1.6, dotted 1/1.65, dash-dot 6.4/1.6/1/1.6 times
        /// the width. Dotted uses round caps with a zero-length "on" segment.
        public func pattern(width: Double) -> [Double] {
            let w = max(width, 0.5)
            switch self {
            case .solid: return []
            case .dashed: return [3.7 * w, 1.6 * w]
            case .dotted: return [0, 2.0 * w]
            case .dashDot: return [6.4 * w, 1.6 * w, 1 * w, 1.6 * w]
            case .custom(let d): return d
            }
        }
    }

    public enum Cap: Sendable, Hashable { case butt, round, square }
    public enum Join: Sendable, Hashable { case miter, round, bevel }

    public var color: Color
    public var width: Double
    public var dash: Dash
    public var cap: Cap
    public var join: Join

    public init(color: Color = .black, width: Double = 1, dash: Dash = .solid, cap: Cap? = nil, join: Join = .round) {
        self.color = color
        self.width = width
        self.dash = dash
        self.cap = cap ?? (dash == .dotted ? .round : .butt)
        self.join = join
    }
}
