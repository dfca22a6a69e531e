/// A font request: family, size in points, slant and weight. Renderers resolve the family to
/// DejaVu Sans, DejaVu Serif or the math font (DejaVu Math TeX Gyre, for script letters).
public struct Font: Sendable, Hashable {
    public enum Family: Sendable, Hashable {
        case sans, serif
        /// A font with the Unicode mathematical alphanumeric symbols (𝒩, ℒ, …).
        case math
    }

    public var family: Family
    public var size: Double
    public var italic: Bool
    public var bold: Bool

    public init(family: Family = .sans, size: Double = 10, italic: Bool = false, bold: Bool = false) {
        self.family = family
        self.size = size
        self.italic = italic
        self.bold = bold
    }

    public func withSize(_ s: Double) -> Font { Font(family: family, size: s, italic: italic, bold: bold) }
    public func withItalic(_ i: Bool) -> Font { Font(family: family, size: size, italic: i, bold: bold) }
    public func withBold(_ b: Bool) -> Font { Font(family: family, size: size, italic: italic, bold: b) }
}

/// Measured extent of a run of text: advance width and the font's ascent and descent above
/// and below the baseline (font-wide values, so that lines of text align), all in points.
public struct TextMetrics: Sendable, Hashable {
    public var width: Double
    public var ascent: Double
    public var descent: Double

    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }

    public var height: Double { ascent + descent }
}
