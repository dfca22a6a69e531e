/// A renderer that records every call and measures text with fixed approximate metrics
/// (advance 0.6 em per character, ascent 0.93 em, descent 0.24 em — DejaVu Sans' font-wide
/// ascent and descent). For headless tests of layout and of the draw walk, and for counting
/// what a figure would draw.
public final class RecordingRenderer: Renderer {
    public enum Command: Sendable, Equatable {
        case fill(Path, Color)
        case stroke(Path, StrokeStyle)
        case text(String, Point, Font, Color, Double)
        case image(width: Int, height: Int, Rect)
        case clip(Rect)
        case save
        case restore
    }

    public private(set) var commands: [Command] = []

    public init() {}

    public func fill(_ path: Path, color: Color) { commands.append(.fill(path, color)) }
    public func stroke(_ path: Path, style: StrokeStyle) { commands.append(.stroke(path, style)) }

    public func measureText(_ text: String, font: Font) -> TextMetrics {
        TextMetrics(width: 0.6 * font.size * Double(text.count), ascent: 0.93 * font.size, descent: 0.24 * font.size)
    }

    public func drawText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) {
        commands.append(.text(text, origin, font, color, angle))
    }

    public func drawImage(_ image: RGBAImage, in rect: Rect, smooth: Bool) {
        commands.append(.image(width: image.width, height: image.height, rect))
    }

    public func clip(to rect: Rect) { commands.append(.clip(rect)) }
    public func save() { commands.append(.save) }
    public func restore() { commands.append(.restore) }

    /// The texts drawn, in order.
    public var texts: [String] {
        commands.compactMap { if case .text(let s, _, _, _, _) = $0 { return s } else { return nil } }
    }
}
