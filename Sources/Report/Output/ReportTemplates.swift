import Foundation
import Mustache

/// The Mustache templates of the report pages, loaded from one folder: `report.html.mustache`,
/// `report.md.mustache`, `index.html.mustache` and any partials (e.g.
/// `partials/style.css.mustache`, used as `{{> partials/style.css}}`).
///
/// Every template is parsed with a leading `{{%CONTENT_TYPE:TEXT}}` pragma, because the page
/// writers hand templates values that are already escaped for their format
/// (`ReportEscaping`): escaping happens exactly once, in Swift, whatever tags a (user)
/// template uses.
public struct ReportTemplates: Sendable {
    /// The folder the templates were loaded from.
    public let directory: String
    private let library: MustacheLibrary
    private let names: Set<String>

    /// The pragma prepended to every template, on a line of its own so Mustache drops the line
    /// (a standalone tag); parse errors subtract that line again.
    static let pragma = "{{%CONTENT_TYPE:TEXT}}\n"

    /// Loads every `*.mustache` file under `directory`, or under the package's `templates/`
    /// folder when `directory` is nil.
    public init(directory: String? = nil) throws(ReportError) {
        let folder: String
        if let directory {
            folder = directory
        } else if let found = Self.defaultDirectory() {
            folder = found
        } else {
            throw ReportError.template(
                path: "templates",
                message: "the default templates folder was not found next to the executable or the package; pass --templates DIR"
            )
        }
        var isDirectory: ObjCBool = false
        guard FileManager().fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.template(path: folder, message: "templates folder does not exist")
        }
        let fileManager = FileManager()
        guard let enumerator = fileManager.enumerator(atPath: folder) else {
            throw ReportError.template(path: folder, message: "cannot list templates folder")
        }
        var library = MustacheLibrary()
        var names = Set<String>()
        var relativePaths: [String] = []
        for case let relative as String in enumerator where relative.hasSuffix(".mustache") {
            relativePaths.append(relative)
        }
        for relative in relativePaths.sorted() {
            let path = (folder as NSString).appendingPathComponent(relative)
            guard let data = fileManager.contents(atPath: path) else {
                throw ReportError.template(path: path, message: "cannot read template")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ReportError.template(path: path, message: "template is not valid UTF-8")
            }
            let name = String(relative.dropLast(".mustache".count))
            do {
                library.register(try MustacheTemplate(string: Self.pragma + text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw ReportError.template(path: path, message: Self.describe(error))
            } catch {
                throw ReportError.template(path: path, message: "\(error)")
            }
            names.insert(name)
        }
        self.directory = folder
        self.library = library
        self.names = names
    }

    /// Throws `ReportError.template` unless every named template (e.g. `report.html`) is loaded.
    public func require(_ required: [String]) throws(ReportError) {
        for name in required where !names.contains(name) {
            throw ReportError.template(
                path: (directory as NSString).appendingPathComponent(name + ".mustache"),
                message: "template not found (a templates folder needs report.html.mustache, report.md.mustache and index.html.mustache)"
            )
        }
    }

    /// Renders the template `name` (file name without `.mustache`) with `view`, whose strings
    /// must already be escaped for the output format.
    func render(_ name: String, view: [String: Any]) throws(ReportError) -> String {
        try require([name])
        guard let text = library.render(view, withTemplate: name) else {
            throw ReportError.template(path: (directory as NSString).appendingPathComponent(name + ".mustache"), message: "template not found")
        }
        return text
    }

    // MARK: - Locating the default templates

    /// The package's `templates/` folder: the first ancestor of the running executable that
    /// holds `Package.swift` and `templates/report.html.mustache` (a `.build/<config>/`
    /// binary), else the one next to this source file's package (`#filePath`).
    public static func defaultDirectory() -> String? {
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL {
            starts.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        let fileManager = FileManager()
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<12 {
                let templates = folder.appendingPathComponent("templates")
                if fileManager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
                   fileManager.fileExists(atPath: templates.appendingPathComponent("report.html.mustache").path) {
                    return templates.path
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    // MARK: - Error text

    static func describe(_ error: MustacheTemplate.ParserError) -> String {
        let line = max(1, error.context.lineNumber - 1)
        let column = error.context.columnNumber
        let sourceLine = error.context.line
        let what: String
        switch error.error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: what = "section closed with a different name than it was opened with"
        case MustacheTemplate.Error.unfinishedName: what = "tag is not closed or its name has characters Mustache does not allow"
        case MustacheTemplate.Error.expectedSectionEnd: what = "section is never closed (missing {{/name}})"
        case MustacheTemplate.Error.invalidSetDelimiter: what = "malformed set-delimiter tag"
        case MustacheTemplate.Error.invalidConfigVariableSyntax: what = "malformed pragma tag {{% ... }}"
        case MustacheTemplate.Error.unrecognisedConfigVariable: what = "unknown pragma or content type"
        default: what = "\(error.error)"
        }
        return "line \(line), column \(column): \(what)\n    \(sourceLine)"
    }
}
