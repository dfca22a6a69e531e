/// One figure of a report, already rendered to files inside the report folder.
public struct ReportFigure: Sendable, Equatable {
    /// One rendered file of the figure.
    public struct File: Sendable, Equatable {
        /// Lower-case format name: `png`, `pdf` or `svg`.
        public var format: String
        /// Path relative to the report folder, e.g. `figures/densities.png`.
        public var path: String

        public init(format: String, path: String) {
            self.format = format
            self.path = path
        }
    }

    /// Stable identifier, e.g. `densities`; also used as the HTML anchor.
    public var id: String
    /// Short title shown above the figure.
    public var title: String
    /// One or two sentences under the figure (optional).
    public var caption: String?
    /// The rendered files in the order they are linked (PNG is shown inline when present).
    public var files: [File]

    public init(id: String, title: String, caption: String? = nil, files: [File]) {
        self.id = id
        self.title = title
        self.caption = caption
        self.files = files
    }

    /// Convenience: the conventional files `figures/<id>.<format>` for each format.
    public init(id: String, title: String, caption: String? = nil, formats: [String]) {
        self.init(
            id: id, title: title, caption: caption,
            files: formats.map { File(format: $0, path: "figures/\(id).\($0)") }
        )
    }

    /// The relative path of the file in `format`, if the figure was rendered in it.
    public func path(for format: String) -> String? {
        files.first { $0.format == format }?.path
    }
}
