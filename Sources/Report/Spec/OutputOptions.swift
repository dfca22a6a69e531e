/// Output settings of a spec (`output:`), all optional:
/// ```yaml
/// output: {formats: [png, pdf], dpi: 150, font: sans}
/// ```
/// `formats` picks the figure files (PNG pixels = points × dpi / 72), `font` the face family.
public struct OutputOptions: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable, Equatable { case png, pdf, svg }
    public enum Font: String, Sendable, CaseIterable, Equatable { case serif, sans }

    public var formats: [Format]
    public var dpi: Int
    public var font: Font

    /// Defaults: PNG and PDF at 150 dpi, sans-serif.
    public init(formats: [Format] = [.png, .pdf], dpi: Int = 150, font: Font = .sans) {
        self.formats = formats
        self.dpi = dpi
        self.font = font
    }

    /// The largest dpi accepted.
    public static let maximumDPI = 1200
}
