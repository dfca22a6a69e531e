/// The drawing contract between the figure model and an output format.
///
/// Small and vector-first, after plotters' `DrawingBackend`: every coordinate is a `Double`
/// in points with the origin at the top-left of the page and y growing downwards; nothing is
/// rounded to pixels. The figure walk (`FigureRenderer`) is the same for every format; a
/// backend (PlotCairo's `CairoRenderer`, or `RecordingRenderer` in tests) only translates
/// these calls. Shapes and markers are default implementations on top of `fill` and `stroke`.
public protocol Renderer: AnyObject {
    /// Fills `path` with `color` (non-zero winding).
    func fill(_ path: Path, color: Color)

    /// Strokes `path` with `style`.
    func stroke(_ path: Path, style: StrokeStyle)

    /// Advance width of `text` in `font`, with the font's ascent and descent.
    func measureText(_ text: String, font: Font) -> TextMetrics

    /// Draws `text` with its baseline origin at `origin`, rotated by `angle` radians
    /// counter-clockwise as seen on the page (π/2 reads bottom to top).
    func drawText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double)

    /// Draws `image` scaled to fill `rect`; `smooth` picks bilinear over nearest-neighbour
    /// filtering (heat maps use nearest so that cells stay crisp).
    func drawImage(_ image: RGBAImage, in rect: Rect, smooth: Bool)

    /// Restricts subsequent drawing to `rect` (intersected with the current clip).
    func clip(to rect: Rect)

    /// Pushes the graphics state (clip).
    func save()

    /// Pops the graphics state pushed by the matching `save()`.
    func restore()
}

// MARK: - Default implementations

extension Renderer {
    /// Draws unrotated text.
    public func drawText(_ text: String, at origin: Point, font: Font, color: Color) {
        drawText(text, at: origin, font: font, color: color, angle: 0)
    }

    /// Fills a rectangle.
    public func fill(_ rect: Rect, color: Color) { fill(Path.rectangle(rect), color: color) }

    /// Strokes a rectangle's outline.
    public func stroke(_ rect: Rect, style: StrokeStyle) { stroke(Path.rectangle(rect), style: style) }

    /// Draws a straight segment.
    public func line(from a: Point, to b: Point, style: StrokeStyle) { stroke(Path.segment(a, b), style: style) }

    /// Draws `marker` of diameter `size` points centred at each point, filled with `fill`
    /// and optionally outlined. All markers go into one path per call (fast in every format).
    public func drawMarkers(_ marker: Marker, at points: [Point], size: Double, fill: Color, edge: StrokeStyle? = nil) {
        var path = Path()
        path.reserveCapacity(points.count * 6)
        for p in points where p.x.isFinite && p.y.isFinite { path.append(marker.path(center: p, size: size)) }
        if path.isEmpty { return }
        if marker.isFilled { self.fill(path, color: fill) }
        if let e = edge { stroke(path, style: e) } else if !marker.isFilled {
            stroke(path, style: StrokeStyle(color: fill, width: max(size / 6, 0.75)))
        }
    }
}
