import Foundation

/// An sRGB colour with straight (non-premultiplied) alpha, each component in [0, 1].
public struct Color: Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from 8-bit components.
    public init(r8: Int, g8: Int, b8: Int, alpha: Double = 1) {
        self.init(red: Double(r8) / 255, green: Double(g8) / 255, blue: Double(b8) / 255, alpha: alpha)
    }

    /// Parses `#RRGGBB`, `#RRGGBBAA`, `#RGB` (the `#` optional) or a named colour
    /// (`Color.named`); nil when the text is neither.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let named = Color.named[t] {
            self = named
            return
        }
        var hex = Substring(t)
        if hex.hasPrefix("#") { hex = hex.dropFirst() }
        guard hex.allSatisfy(\.isHexDigit) else { return nil }
        let digits = hex.compactMap { $0.hexDigitValue }
        switch digits.count {
        case 3:
            self.init(r8: digits[0] * 17, g8: digits[1] * 17, b8: digits[2] * 17)
        case 6, 8:
            let b = stride(from: 0, to: digits.count, by: 2).map { digits[$0] * 16 + digits[$0 + 1] }
            self.init(r8: b[0], g8: b[1], b8: b[2], alpha: b.count == 4 ? Double(b[3]) / 255 : 1)
        default:
            return nil
        }
    }

    /// The same colour with alpha replaced.
    public func withAlpha(_ a: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: a)
    }

    /// `#RRGGBB` (alpha omitted), components rounded to 8 bits.
    public var hexString: String {
        func h(_ v: Double) -> String {
            let n = Int((min(max(v, 0), 1) * 255).rounded())
            let s = String(n, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }
        return "#" + h(red) + h(green) + h(blue)
    }

    /// Linear interpolation in sRGB components: (1 − t)·a + t·b.
    public static func mix(_ a: Color, _ b: Color, _ t: Double) -> Color {
        Color(red: a.red + (b.red - a.red) * t, green: a.green + (b.green - a.green) * t,
              blue: a.blue + (b.blue - a.blue) * t, alpha: a.alpha + (b.alpha - a.alpha) * t)
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)

    /// Named colours: the basic CSS names plus matplotlib's `tab:` Tableau names.
    public static let named: [String: Color] = {
        var d: [String: Color] = [
            "black": .black, "white": .white, "none": .clear, "transparent": .clear,
            "red": Color(r8: 255, g8: 0, b8: 0), "green": Color(r8: 0, g8: 128, b8: 0),
            "blue": Color(r8: 0, g8: 0, b8: 255), "yellow": Color(r8: 255, g8: 255, b8: 0),
            "orange": Color(r8: 255, g8: 165, b8: 0), "purple": Color(r8: 128, g8: 0, b8: 128),
            "gray": Color(r8: 128, g8: 128, b8: 128), "grey": Color(r8: 128, g8: 128, b8: 128),
            "lightgray": Color(r8: 211, g8: 211, b8: 211), "darkgray": Color(r8: 169, g8: 169, b8: 169),
            "cyan": Color(r8: 0, g8: 255, b8: 255), "magenta": Color(r8: 255, g8: 0, b8: 255),
            "brown": Color(r8: 165, g8: 42, b8: 42), "pink": Color(r8: 255, g8: 192, b8: 203),
            "navy": Color(r8: 0, g8: 0, b8: 128), "teal": Color(r8: 0, g8: 128, b8: 128),
            "olive": Color(r8: 128, g8: 128, b8: 0), "maroon": Color(r8: 128, g8: 0, b8: 0),
            "steelblue": Color(r8: 70, g8: 130, b8: 180), "crimson": Color(r8: 220, g8: 20, b8: 60),
            "gold": Color(r8: 255, g8: 215, b8: 0), "darkorange": Color(r8: 255, g8: 140, b8: 0),
        ]
        let tab = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"]
        for (name, c) in zip(tab, Palette.tableau10.colors) { d["tab:" + name] = c }
        return d
    }()
}
