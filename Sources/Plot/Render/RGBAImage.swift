/// A raster of straight-alpha RGBA pixels, 8 bits per channel, row 0 at the top.
/// Heat maps build one and hand it to `Renderer.drawImage`.
public struct RGBAImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes: r, g, b, a per pixel, rows top to bottom.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 4,
                     "RGBAImage: pixel buffer size must be width·height·4")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image of one colour.
    public init(width: Int, height: Int, fill: Color = .clear) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        let px = RGBAImage.bytes(fill)
        var p = [UInt8](repeating: 0, count: self.width * self.height * 4)
        for i in stride(from: 0, to: p.count, by: 4) {
            p[i] = px.0; p[i + 1] = px.1; p[i + 2] = px.2; p[i + 3] = px.3
        }
        self.pixels = p
    }

    public subscript(x: Int, y: Int) -> Color {
        get {
            let i = (y * width + x) * 4
            return Color(r8: Int(pixels[i]), g8: Int(pixels[i + 1]), b8: Int(pixels[i + 2]),
                         alpha: Double(pixels[i + 3]) / 255)
        }
        set {
            let i = (y * width + x) * 4
            let b = RGBAImage.bytes(newValue)
            pixels[i] = b.0; pixels[i + 1] = b.1; pixels[i + 2] = b.2; pixels[i + 3] = b.3
        }
    }

    static func bytes(_ c: Color) -> (UInt8, UInt8, UInt8, UInt8) {
        func q(_ v: Double) -> UInt8 { UInt8((min(max(v.isNaN ? 0 : v, 0), 1) * 255).rounded()) }
        return (q(c.red), q(c.green), q(c.blue), q(c.alpha))
    }
}
