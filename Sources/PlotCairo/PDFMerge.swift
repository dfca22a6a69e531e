/// Joins PDF documents written by `PDFDocument` into one, page after page, by copying their
/// objects: no page is drawn, laid out or compressed again.
///
/// `report.pdf` holds the text pages and then every figure at its own size; the figures'
/// own PDFs (`figures/<id>.pdf`) are exactly those pages. Drawing them a second time into the
/// report through Cairo cost as much as writing them the first time (layout, the draw walk,
/// number formatting, deflate, font subsetting). The merge instead renumbers each document's
/// objects into one numbering and rewrites the indirect references `n g R` outside streams
/// (ISO 32000-1 §7.3.10); stream data is copied byte for byte. A new page tree (§7.7.3.2)
/// lists every document's pages in order, under a new catalogue; the first document's
/// information dictionary (title, creator, producer, no dates) is kept. Each figure keeps the
/// font subsets Cairo embedded for it, so the merged file is somewhat larger than one drawn in
/// a single Cairo document (fonts are not shared between figures).
///
/// The input must be what Cairo writes (PDF 1.5 with a classic cross-reference table in one
/// section, a flat page tree, generation-0 objects, no object streams and no incremental
/// updates); anything else throws rather than producing a damaged file.
///
///     let report = try PDFMerge.merge([textPages, try figure.pdfData()])
public enum PDFMerge {
    /// One document's objects, located through its cross-reference table.
    struct Document {
        /// Object number → the byte range of `n g obj … endobj` in `bytes`.
        var objects: [Int: Range<Int>]
        var root: Int
        var info: Int?
        var pagesTree: Int
        var pages: [Int]
    }

    /// The merged document: the pages of `documents`, in order.
    public static func merge(_ documents: [[UInt8]]) throws -> [UInt8] {
        guard !documents.isEmpty else { throw mergeError("no documents") }
        let parsed = try documents.enumerated().map { index, bytes in
            do { return try parse(bytes) } catch let error as CairoError {
                throw mergeError("document \(index + 1): \(error.message)")
            }
        }
        // New numbers: 1 the page tree, 2 the catalogue, 3 the information dictionary, then
        // each document's remaining objects in order of their old numbers.
        let pagesNumber = 1, catalogNumber = 2
        let infoNumber: Int? = parsed[0].info == nil ? nil : 3
        var next = infoNumber == nil ? 3 : 4
        var maps: [[Int: Int]] = []
        for (index, document) in parsed.enumerated() {
            var map: [Int: Int] = [document.pagesTree: pagesNumber, document.root: catalogNumber]
            if let info = document.info, index == 0, let infoNumber { map[info] = infoNumber }
            for number in document.objects.keys.sorted() where map[number] == nil && number != document.info {
                map[number] = next
                next += 1
            }
            maps.append(map)
        }
        var out: [UInt8] = []
        out.reserveCapacity(documents.reduce(0) { $0 + $1.count } + 1024)
        out.append(contentsOf: Array("%PDF-1.5\n%\u{B5}\u{ED}\u{AE}\u{FB}\n".unicodeScalars.map { UInt8($0.value) }))
        var offsets = [Int](repeating: 0, count: next)
        let kids = parsed.indices.flatMap { index in parsed[index].pages.compactMap { maps[index][$0] } }
        offsets[pagesNumber] = out.count
        append("\(pagesNumber) 0 obj\n<< /Type /Pages\n   /Kids [ \(kids.map { "\($0) 0 R" }.joined(separator: " ")) ]\n   /Count \(kids.count)\n>>\nendobj\n", to: &out)
        offsets[catalogNumber] = out.count
        append("\(catalogNumber) 0 obj\n<< /Type /Catalog\n   /Pages \(pagesNumber) 0 R\n>>\nendobj\n", to: &out)
        // Every other object in new-number order (the order does not matter to readers, but
        // a fixed one keeps the bytes the same for the same input).
        var sources: [(document: Int, old: Int)] = Array(repeating: (0, 0), count: next)
        for (index, document) in parsed.enumerated() {
            for number in document.objects.keys {
                guard let new = maps[index][number], new != pagesNumber, new != catalogNumber else { continue }
                sources[new] = (index, number)
            }
        }
        let firstCopied = catalogNumber + 1
        for new in firstCopied..<next {
            let (index, old) = sources[new]
            guard let range = parsed[index].objects[old] else { throw mergeError("object \(old) is missing") }
            offsets[new] = out.count
            try copyObject(documents[index], range: range, newNumber: new, map: maps[index], into: &out)
        }
        let xref = out.count
        append("xref\n0 \(next)\n0000000000 65535 f \n", to: &out)
        for new in 1..<next { append(pad10(offsets[new]) + " 00000 n \n", to: &out) }
        append("trailer\n<< /Size \(next)\n   /Root \(catalogNumber) 0 R\n", to: &out)
        if let infoNumber { append("   /Info \(infoNumber) 0 R\n", to: &out) }
        append(">>\nstartxref\n\(xref)\n%%EOF\n", to: &out)
        return out
    }

    // MARK: - Reading

    /// Locates the objects, catalogue, page tree and pages of one Cairo PDF.
    static func parse(_ bytes: [UInt8]) throws -> Document {
        guard bytes.starts(with: Array("%PDF-".utf8)) else { throw mergeError("not a PDF") }
        guard let startxref = lastIndex(of: Array("startxref".utf8), in: bytes) else { throw mergeError("no startxref") }
        var scanner = Scanner(bytes: bytes, position: startxref + 9)
        guard let xref = scanner.integer(), xref >= 0, xref < bytes.count else { throw mergeError("bad startxref") }
        scanner = Scanner(bytes: bytes, position: xref)
        guard scanner.keyword() == "xref", let first = scanner.integer(), let count = scanner.integer(),
              first == 0, count > 0 else {
            throw mergeError("not a single classic cross-reference section")
        }
        var offsets: [Int: Int] = [:]
        for number in 0..<count {
            guard let offset = scanner.integer(), let generation = scanner.integer(), let type = scanner.keyword() else {
                throw mergeError("cross-reference entry \(number) is malformed")
            }
            if type == "n" {
                guard generation == 0, offset > 0, offset < xref else { throw mergeError("object \(number) has an unsupported entry") }
                offsets[number] = offset
            }
        }
        guard scanner.keyword() == "trailer" else { throw mergeError("no trailer after the cross-reference table") }
        let trailer = scanner.position..<startxref
        guard let root = reference(after: "/Root", in: bytes, range: trailer) else { throw mergeError("trailer without /Root") }
        let info = reference(after: "/Info", in: bytes, range: trailer)
        // Objects are written one after another: each ends where the next begins.
        let starts = offsets.values.sorted()
        var objects: [Int: Range<Int>] = [:]
        for (number, offset) in offsets {
            let end = starts.first { $0 > offset } ?? xref
            var header = Scanner(bytes: bytes, position: offset)
            guard header.integer() == number, header.integer() == 0, header.keyword() == "obj" else {
                throw mergeError("object \(number) is not at its cross-reference offset")
            }
            objects[number] = offset..<end
        }
        guard let rootRange = objects[root], let pagesTree = reference(after: "/Pages", in: bytes, range: rootRange),
              let treeRange = objects[pagesTree] else {
            throw mergeError("catalogue without a page tree")
        }
        let pages = try kids(in: bytes, range: treeRange)
        for page in pages {
            guard let range = objects[page], contains(Array("/Type /Page\n".utf8), in: bytes, range: range)
                    || contains(Array("/Type /Page ".utf8), in: bytes, range: range) else {
                throw mergeError("page tree entry \(page) is not a page (nested page trees are not supported)")
            }
        }
        return Document(objects: objects, root: root, info: info, pagesTree: pagesTree, pages: pages)
    }

    /// The references of the `/Kids` array in `range`.
    static func kids(in bytes: [UInt8], range: Range<Int>) throws -> [Int] {
        guard let start = firstIndex(of: Array("/Kids".utf8), in: bytes, range: range) else { throw mergeError("page tree without /Kids") }
        var scanner = Scanner(bytes: bytes, position: start + 5)
        scanner.skipSpace()
        guard scanner.position < range.upperBound, bytes[scanner.position] == UInt8(ascii: "[") else {
            throw mergeError("/Kids is not an array")
        }
        scanner.position += 1
        var pages: [Int] = []
        while true {
            scanner.skipSpace()
            guard scanner.position < range.upperBound else { throw mergeError("/Kids is not closed") }
            if bytes[scanner.position] == UInt8(ascii: "]") { return pages }
            guard let number = scanner.integer(), scanner.integer() == 0, scanner.keyword() == "R" else {
                throw mergeError("/Kids holds something other than references")
            }
            pages.append(number)
        }
    }

    /// The object number of the reference `n 0 R` right after `key` in `range`.
    static func reference(after key: String, in bytes: [UInt8], range: Range<Int>) -> Int? {
        let pattern = Array(key.utf8)
        var from = range.lowerBound
        while let start = firstIndex(of: pattern, in: bytes, range: from..<range.upperBound) {
            let end = start + pattern.count
            // The key must end there (`/Pages` is not `/PagesX`).
            if end < bytes.count, Scanner.isRegular(bytes[end]) { from = end; continue }
            var scanner = Scanner(bytes: bytes, position: end)
            guard let number = scanner.integer(), scanner.integer() == 0, scanner.keyword() == "R" else { return nil }
            return number
        }
        return nil
    }

    // MARK: - Writing

    /// Copies the object in `range` of `bytes` as object `newNumber`, with every indirect
    /// reference outside its stream renumbered through `map`.
    static func copyObject(_ bytes: [UInt8], range: Range<Int>, newNumber: Int, map: [Int: Int],
                           into out: inout [UInt8]) throws {
        var scanner = Scanner(bytes: bytes, position: range.lowerBound)
        _ = scanner.integer(); _ = scanner.integer(); _ = scanner.keyword() // `n 0 obj`, checked by `parse`
        append("\(newNumber) 0 obj", to: &out)
        var i = scanner.position
        let end = range.upperBound
        while i < end {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "("):
                // A literal string: balanced parentheses, backslash escapes (§7.3.4.2).
                var depth = 0, j = i
                repeat {
                    if bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
                    if bytes[j] == UInt8(ascii: "(") { depth += 1 }
                    if bytes[j] == UInt8(ascii: ")") { depth -= 1 }
                    j += 1
                } while depth > 0 && j < end
                guard depth == 0 else { throw mergeError("unterminated string in object \(newNumber)") }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case UInt8(ascii: "%"):
                var j = i
                while j < end, bytes[j] != 0x0A, bytes[j] != 0x0D { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case UInt8(ascii: "/"):
                var j = i + 1
                while j < end, Scanner.isRegular(bytes[j]) { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i
                while j < end, Scanner.isDigit(bytes[j]) { j += 1 }
                if j < end, Scanner.isRegular(bytes[j]) {
                    // A real number such as `0.5` (never a reference): copy the whole token.
                    while j < end, Scanner.isRegular(bytes[j]) { j += 1 }
                } else {
                    // `n g R`: the first integer is an object number.
                    var look = Scanner(bytes: bytes, position: j)
                    if look.integer() == 0, look.keyword() == "R", look.position <= end,
                       let old = Scanner.value(of: bytes[i..<j]) {
                        guard let new = map[old] else { throw mergeError("reference to a missing object \(old)") }
                        append("\(new) 0 R", to: &out)
                        i = look.position
                        continue
                    }
                }
                out.append(contentsOf: bytes[i..<j])
                i = j
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                var j = i
                while j < end, Scanner.isRegular(bytes[j]) { j += 1 }
                out.append(contentsOf: bytes[i..<j])
                if bytes[i..<j].elementsEqual("stream".utf8) {
                    // The stream data and `endstream endobj`, byte for byte (§7.3.8.1).
                    out.append(contentsOf: bytes[j..<end])
                    return
                }
                i = j
            default:
                if !Scanner.isRegular(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
                    // Delimiters, white space, and signed or fractional numbers (never references).
                    var j = i + 1
                    if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
                        while j < end, Scanner.isRegular(bytes[j]) { j += 1 }
                    }
                    out.append(contentsOf: bytes[i..<j])
                    i = j
                } else {
                    out.append(byte)
                    i += 1
                }
            }
        }
    }

    // MARK: - Helpers

    private static func mergeError(_ message: String) -> CairoError {
        CairoError(message: message, operation: "merge PDF")
    }

    private static func append(_ text: String, to out: inout [UInt8]) { out.append(contentsOf: text.utf8) }

    private static func pad10(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Int? {
        guard let first = pattern.first, range.count >= pattern.count else { return nil }
        var i = range.lowerBound
        while i + pattern.count <= range.upperBound {
            if bytes[i] == first, bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    static func contains(_ pattern: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Bool {
        firstIndex(of: pattern, in: bytes, range: range) != nil
    }

    static func lastIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var i = bytes.count - pattern.count
        while i >= 0 {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i -= 1
        }
        return nil
    }

    /// Reads unsigned integers and keywords separated by white space.
    struct Scanner {
        let bytes: [UInt8]
        var position: Int

        /// PDF white space (§7.2.2, Table 1).
        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0x00 }
        static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        /// A regular character: neither white space nor a delimiter `( ) < > [ ] { } / %`.
        static func isRegular(_ b: UInt8) -> Bool {
            !isSpace(b) && !"()<>[]{}/%".utf8.contains(b)
        }
        static func value(of digits: ArraySlice<UInt8>) -> Int? {
            guard !digits.isEmpty, digits.count <= 12 else { return nil }
            return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }

        mutating func skipSpace() {
            while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        }

        /// The unsigned integer at the position (after white space), or nil (position kept).
        mutating func integer() -> Int? {
            let saved = position
            skipSpace()
            let start = position
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
            let end = position
            guard end > start, end == bytes.count || !Self.isRegular(bytes[end]), let value = Self.value(of: bytes[start..<end]) else {
                position = saved
                return nil
            }
            return value
        }

        /// The run of regular characters at the position (after white space), or nil.
        mutating func keyword() -> String? {
            skipSpace()
            let start = position
            while position < bytes.count, Self.isRegular(bytes[position]) { position += 1 }
            return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
        }
    }
}
