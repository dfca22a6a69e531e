/// A categorical palette: colours for distinct series, cycled by index.
public struct Palette: Sendable, Hashable {
    public var colors: [Color]

    public init(_ colors: [Color]) { self.colors = colors }

    /// The colour for series `i` (cycled; black for an empty palette).
    public subscript(i: Int) -> Color {
        guard !colors.isEmpty else { return .black }
        let n = colors.count
        return colors[((i % n) + n) % n]
    }

    /// Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable under the
    /// common forms of colour-vision deficiency. Black is moved last so series start coloured.
    /// The default palette.
    public static let okabeIto = Palette([
        Color(r8: 0x00, g8: 0x72, b8: 0xB2), // blue
        Color(r8: 0xE6, g8: 0x9F, b8: 0x00), // orange
        Color(r8: 0x00, g8: 0x9E, b8: 0x73), // bluish green
        Color(r8: 0xD5, g8: 0x5E, b8: 0x00), // vermillion
        Color(r8: 0xCC, g8: 0x79, b8: 0xA7), // reddish purple
        Color(r8: 0x56, g8: 0xB4, b8: 0xE9), // sky blue
        Color(r8: 0xF0, g8: 0xE4, b8: 0x42), // yellow
        Color(r8: 0x00, g8: 0x00, b8: 0x00), // black
    ])

    /// Tableau 10 (matplotlib's default `tab10` cycle).
    public static let tableau10 = Palette([
        Color(r8: 0x1F, g8: 0x77, b8: 0xB4), Color(r8: 0xFF, g8: 0x7F, b8: 0x0E),
        Color(r8: 0x2C, g8: 0xA0, b8: 0x2C), Color(r8: 0xD6, g8: 0x27, b8: 0x28),
        Color(r8: 0x94, g8: 0x67, b8: 0xBD), Color(r8: 0x8C, g8: 0x56, b8: 0x4B),
        Color(r8: 0xE3, g8: 0x77, b8: 0xC2), Color(r8: 0x7F, g8: 0x7F, b8: 0x7F),
        Color(r8: 0xBC, g8: 0xBD, b8: 0x22), Color(r8: 0x17, g8: 0xBE, b8: 0xCF),
    ])

    public static let `default` = okabeIto
}
