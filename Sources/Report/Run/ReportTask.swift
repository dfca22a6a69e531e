import PlotCairo

/// One independent piece of writing a report folder, run on the run's threads by
/// `ReportRunner`: the HTML/Markdown/JSON pages, the text pages of `report.pdf`, or one figure
/// in one format. Every figure's PDF is made even when `figures/<id>.pdf` is not asked for,
/// because it is that figure's page of `report.pdf`.
enum ReportTask: Sendable, Equatable {
    case pages
    case textPages
    case figure(Int, ImageFormat)

    /// The tasks for `figureCount` figures written in `formats`: the pages first (the slowest
    /// single task, parsing the templates), the text pages, then each figure's files, PDF
    /// always.
    static func list(figureCount: Int, formats: [ImageFormat]) -> [ReportTask] {
        let figureFormats = ImageFormat.allCases.filter { $0 == .pdf || formats.contains($0) }
        return [.pages, .textPages] + (0..<figureCount).flatMap { index in figureFormats.map { .figure(index, $0) } }
    }

    /// What a task produced: PDF bytes to keep for `report.pdf` (empty for other tasks), or
    /// the failure.
    struct Outcome: Sendable {
        var task: ReportTask
        var result: Result<[UInt8], ReportError>
    }

    /// The outcomes folded in task order.
    struct Results {
        var textPages: [UInt8] = []
        var figurePDFs: [[UInt8]]
        var failures: [ReportError] = []

        init(figureCount: Int) { figurePDFs = Array(repeating: [], count: figureCount) }

        mutating func record(_ outcome: Outcome) {
            switch outcome.result {
            case let .failure(error):
                failures.append(error)
            case let .success(bytes):
                switch outcome.task {
                case .textPages: textPages = bytes
                case let .figure(index, .pdf): figurePDFs[index] = bytes
                default: break
                }
            }
        }
    }
}
