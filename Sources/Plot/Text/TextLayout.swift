import Foundation

/// Label markup (`MathText`) laid out into positioned glyph runs, measured through a renderer.
///
/// Offsets are in points from the baseline origin, x to the right and y downwards, before any
/// rotation. Subscripts are set at 70 % size 0.2 em below the baseline, superscripts at 70 %
/// size 0.42 em above it (matplotlib's mathtext uses similar constants).
public struct TextLayout: Sendable, Equatable {
    public struct Run: Sendable, Equatable {
        public var text: String
        public var font: Font
        public var offset: Point
    }

    /// Placed glyph runs.
    public var runs: [Run] = []
    /// Filled rectangles (the √ overline, fraction bars) in the same offset frame.
    public var rules: [Rect] = []
    /// Advance width.
    public var width: Double = 0
    /// Height above the baseline.
    public var ascent: Double = 0
    /// Depth below the baseline.
    public var descent: Double = 0

    public var height: Double { ascent + descent }

    static let scriptScale = 0.7
    static let subShift = 0.2
    static let supShift = 0.42

    /// Lays out `markup` in `font`, measuring through `renderer`.
    public init(_ markup: String, font: Font, renderer: Renderer) {
        if !markup.contains("$") {
            let m = renderer.measureText(markup, font: font)
            runs = markup.isEmpty ? [] : [Run(text: markup, font: font, offset: Point(0, 0))]
            width = m.width
            ascent = m.ascent
            descent = m.descent
            return
        }
        let base = renderer.measureText("", font: font)
        ascent = base.ascent
        descent = base.descent
        var x = 0.0
        layout(MathText.parse(markup), font: font, x: &x, shift: 0, renderer: renderer)
        width = x
    }

    private func styled(_ font: Font, _ style: MathStyle) -> Font {
        switch style {
        case .plain: return font
        case .italic: return Font(family: font.family, size: font.size, italic: true, bold: font.bold)
        case .upright: return Font(family: font.family, size: font.size, italic: false, bold: font.bold)
        case .bold: return Font(family: font.family, size: font.size, italic: false, bold: true)
        case .symbol: return Font(family: .math, size: font.size, italic: false, bold: false)
        }
    }

    private mutating func place(_ text: String, font: Font, x: inout Double, shift: Double, renderer: Renderer) {
        guard !text.isEmpty else { return }
        let m = renderer.measureText(text, font: font)
        runs.append(Run(text: text, font: font, offset: Point(x, -shift)))
        ascent = max(ascent, shift + m.ascent)
        descent = max(descent, m.descent - shift)
        x += m.width
    }

    private mutating func layout(_ nodes: [MathNode], font: Font, x: inout Double, shift: Double, renderer: Renderer) {
        let em = font.size
        for (k, node) in nodes.enumerated() {
            switch node {
            case .run(let s, let style):
                place(s, font: styled(font, style), x: &x, shift: shift, renderer: renderer)
            case .op(let s, let kind):
                let script = font.size < 0.95 * (runs.first?.font.size ?? font.size)
                switch kind {
                case .binary:
                    let sp = script ? 0 : 4.0 / 18 * em
                    x += sp
                    place(s, font: styled(font, .upright), x: &x, shift: shift, renderer: renderer)
                    x += sp
                case .relation:
                    let sp = script ? 0 : 5.0 / 18 * em
                    x += sp
                    place(s, font: styled(font, .upright), x: &x, shift: shift, renderer: renderer)
                    x += sp
                case .punctuation:
                    place(s, font: styled(font, .upright), x: &x, shift: shift, renderer: renderer)
                    x += 3.0 / 18 * em
                }
            case .function(let name):
                place(name, font: styled(font, .upright), x: &x, shift: shift, renderer: renderer)
                if k + 1 < nodes.count {
                    switch nodes[k + 1] {
                    case .run(let s, _) where s.first.map { $0.isLetter || $0.isNumber } ?? false: x += 4.0 / 18 * em
                    case .scripts, .function, .frac, .sqrt: x += 4.0 / 18 * em
                    default: break
                    }
                }
            case .space(let s):
                x += s * em
            case .scripts(let base, let sub, let sup):
                layout(base, font: font, x: &x, shift: shift, renderer: renderer)
                let small = font.withSize(font.size * TextLayout.scriptScale)
                var italicBase = false
                if case .run(_, .italic)? = base.last { italicBase = true }
                var xSub = x, xSup = x + (italicBase ? 0.06 * em : 0)
                if let sub {
                    let subShift = shift - TextLayout.subShift * em - (sup != nil ? 0.05 * em : 0)
                    layout(sub, font: small, x: &xSub, shift: subShift, renderer: renderer)
                }
                if let sup {
                    layout(sup, font: small, x: &xSup, shift: shift + TextLayout.supShift * em, renderer: renderer)
                }
                x = max(xSub, xSup) + 0.03 * em
            case .sqrt(let arg):
                place("√", font: styled(font, .upright), x: &x, shift: shift, renderer: renderer)
                let start = x
                let before = ascent
                ascent = 0
                layout(arg, font: font, x: &x, shift: shift, renderer: renderer)
                let top = max(ascent, shift + 0.72 * em) + 0.06 * em
                ascent = max(before, top + 0.06 * em)
                rules.append(Rect(x: start - 0.02 * em, y: -top, width: x - start + 0.06 * em, height: 0.05 * em))
                x += 0.08 * em
            case .frac(let a, let b):
                layout(a, font: font, x: &x, shift: shift, renderer: renderer)
                place("/", font: styled(font, .upright), x: &x, shift: shift, renderer: renderer)
                layout(b, font: font, x: &x, shift: shift, renderer: renderer)
            }
        }
    }
}

/// Horizontal anchoring of a label on its anchor point.
public enum HorizontalAlignment: Sendable { case left, center, right }

/// Vertical anchoring of a label on its anchor point (in the label's own frame).
public enum VerticalAlignment: Sendable { case top, center, baseline, bottom }

// MARK: - Drawing laid-out text

extension Renderer {
    /// Draws a laid-out label with its baseline origin at `origin`, rotated by `angle`
    /// radians counter-clockwise.
    public func draw(_ layout: TextLayout, at origin: Point, color: Color, angle: Double = 0) {
        let c = cos(angle), s = sin(angle)
        func page(_ u: Double, _ v: Double) -> Point { Point(origin.x + u * c + v * s, origin.y - u * s + v * c) }
        for run in layout.runs {
            drawText(run.text, at: page(run.offset.x, run.offset.y), font: run.font, color: color, angle: angle)
        }
        for r in layout.rules {
            var p = Path()
            p.move(to: page(r.minX, r.minY))
            p.line(to: page(r.maxX, r.minY))
            p.line(to: page(r.maxX, r.maxY))
            p.line(to: page(r.minX, r.maxY))
            p.close()
            fill(p, color: color)
        }
    }

    /// Lays out and draws `markup` anchored at `anchor`, returning the page-aligned box it
    /// covers (the rotated ascent–descent box of the text).
    @discardableResult
    public func drawLabel(_ markup: String, font: Font, color: Color = .black, at anchor: Point,
                          horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline,
                          angle: Double = 0) -> Rect {
        let layout = TextLayout(markup, font: font, renderer: self)
        let (origin, box) = layout.placed(at: anchor, horizontal: horizontal, vertical: vertical, angle: angle)
        draw(layout, at: origin, color: color, angle: angle)
        return box
    }
}

extension TextLayout {
    /// The baseline origin and page box of this layout anchored at `anchor`.
    public func placed(at anchor: Point, horizontal: HorizontalAlignment,
                       vertical: VerticalAlignment, angle: Double = 0) -> (origin: Point, box: Rect) {
        let layout = self
        let u0: Double
        switch horizontal {
        case .left: u0 = 0
        case .center: u0 = -layout.width / 2
        case .right: u0 = -layout.width
        }
        let v0: Double
        switch vertical {
        case .baseline: v0 = 0
        case .top: v0 = layout.ascent
        case .bottom: v0 = -layout.descent
        case .center: v0 = (layout.ascent - layout.descent) / 2
        }
        let c = cos(angle), s = sin(angle)
        let origin = Point(anchor.x + u0 * c + v0 * s, anchor.y - u0 * s + v0 * c)
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (u, v) in [(0.0, -layout.ascent), (layout.width, -layout.ascent), (0, layout.descent), (layout.width, layout.descent)] {
            let px = origin.x + u * c + v * s, py = origin.y - u * s + v * c
            minX = min(minX, px); maxX = max(maxX, px); minY = min(minY, py); maxY = max(maxY, py)
        }
        return (origin, Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY))
    }
}
