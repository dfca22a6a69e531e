import Foundation
import Mustache

/// The Mustache templates of the report pages: `report.html.mustache`, `report.md.mustache`,
/// `index.html.mustache` and partials (e.g. `partials/style.css.mustache`, used as
/// `{{> partials/style.css}}`).
///
/// A user folder (`--templates DIR`) is laid over the package's default templates: its files
/// replace defaults of the same name, and partials or an `index.html.mustache` it lacks come
/// from the defaults. The page templates a writer needs (`report.html`, `report.md`) must be
/// in the user folder itself; a missing one is an error, not a silent fallback.
///
/// Every template is parsed with a leading `{{%CONTENT_TYPE:TEXT}}` pragma, because the page
/// writers hand templates values that are already escaped for their format
/// (`ReportEscaping`): escaping happens exactly once, in Swift, whatever tags a (user)
/// template uses.
public struct ReportTemplates: Sendable {
    /// The folder the templates were loaded from (the user folder when one was given).
    public let directory: String
    private let library: MustacheLibrary
    /// Names loaded from `directory` itself.
    private let names: Set<String>
    /// Names available from either folder.
    private let available: Set<String>

    /// The pragma prepended to every template, on a line of its own so Mustache drops the line
    /// (a standalone tag); parse errors subtract that line again.
    static let pragma = "{{%CONTENT_TYPE:TEXT}}\n"

    /// Loads every `*.mustache` file under `directory` over the package's `templates/` folder,
    /// or the package's folder alone when `directory` is nil.
    public init(directory: String? = nil) throws(ReportError) {
        let defaultFolder = Self.defaultDirectory()
        var library = MustacheLibrary()
        var available = Set<String>()
        let folder: String
        if let directory {
            folder = directory
            if let defaultFolder {
                available = try Self.load(folder: defaultFolder, into: &library)
            }
        } else if let defaultFolder {
            folder = defaultFolder
        } else {
            throw ReportError.template(
                path: "templates",
                message: "the default templates folder was not found next to the executable or the package; pass --templates DIR"
            )
        }
        let names = try Self.load(folder: folder, into: &library)
        self.directory = folder
        self.library = library
        self.names = names
        self.available = available.union(names)
    }

    /// Parses every `*.mustache` file under `folder` into `library` (replacing templates of the
    /// same name) and returns the names loaded.
    private static func load(folder: String, into library: inout MustacheLibrary) throws(ReportError) -> Set<String> {
        let fileManager = FileManager()
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.template(path: folder, message: "templates folder does not exist")
        }
        guard let enumerator = fileManager.enumerator(atPath: folder) else {
            throw ReportError.template(path: folder, message: "cannot list templates folder")
        }
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
                library.register(try MustacheTemplate(string: pragma + text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw ReportError.template(path: path, message: describe(error))
            } catch {
                throw ReportError.template(path: path, message: "\(error)")
            }
            names.insert(name)
        }
        return names
    }

    /// Throws `ReportError.template` unless every named template (e.g. `report.html`) was
    /// loaded from `directory` itself (with `allowingDefaults`, from the default folder too).
    public func require(_ required: [String], allowingDefaults: Bool = false) throws(ReportError) {
        for name in required where !(allowingDefaults ? available : names).contains(name) {
            throw ReportError.template(
                path: (directory as NSString).appendingPathComponent(name + ".mustache"),
                message: "template not found (a templates folder needs report.html.mustache and report.md.mustache; index.html.mustache and partials are optional)"
            )
        }
    }

    /// Renders the template `name` (file name without `.mustache`) with `view`, whose strings
    /// must already be escaped for the output format.
    func render(_ name: String, view: [String: Any]) throws(ReportError) -> String {
        try require([name], allowingDefaults: true)
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
