import FlowKit

/// Mutates the text of a spec the way careless or hostile input does: numbers pushed to
/// extremes, values of the wrong type, lists one entry longer or shorter (another dimension),
/// names swapped for other catalog names, truncated bytes, control characters, long strings,
/// other line endings, duplicated or deleted lines. Every choice comes from one
/// ``RandomStream``, so a seed reproduces a mutant exactly.
struct SpecMutator {
    /// Numbers at the edges of `Double` and of the specs' limits.
    static let extremeNumbers = [
        "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "-5e-324", "1e-310", "2.2250738585072014e-308",
        "0", "-0", "1e300", "-1e300", "1e-300", "1e100", "1e-100", "9223372036854775807", "-9223372036854775808",
        "18446744073709551616", "1e20", "100000", "1e6", "-1", "0.5", "1", "2", "700", "-700", "710", "1e15", "3.0e-16",
        ".nan", ".inf", "-.inf", "1e9999",
    ]
    /// Values of other types.
    static let otherTypes = ["[]", "{}", "\"text\"", "null", "~", "[1, 2, 3]", "[[1, 0], [0, 1]]", "true", "{a: 1}",
                             "''", "[1]", "[[1, 1], [1]]", "[0, 0, 0]", "-"]
    /// Names from the catalogs and the figure kinds.
    static let names = [
        "normal", "uniform", "lognormal", "logistic", "cauchy", "laplace", "gumbel", "exponential", "gamma", "beta",
        "student_t", "pareto", "exp", "log", "sigmoid", "logit", "tanh", "atanh", "softplus", "affine", "power",
        "sinh", "asinh", "sinh_arcsinh", "normal_cdf", "normal_quantile", "spline", "reverse", "linear", "planar",
        "radial", "coupling", "permutation", "map", "density", "densities", "stages", "samples", "marginals",
        "pairs", "warped_grid", "calibration", "targets", "cdf", "u1", "u2", "moons", "rings",
    ]
    static let controlCharacters: [String] = ["\r", "\u{0}", "\u{1B}[31m", "\t", "\u{85}", "\u{7F}", "\u{2028}", "\r\n", "\u{8}", "\u{FEFF}"]

    var stream: RandomStream

    init(seed: UInt64, index: UInt64) {
        stream = RandomStream(seed: seed, stream: index)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(stream.nextUInt64() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// `count` mutations of `text`, each described in `log`.
    mutating func mutate(_ text: String, count: Int, log: inout [String]) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<count {
            let kind = below(11)
            switch kind {
            case 0, 1, 2: replaceNumber(&bytes, with: pick(Self.extremeNumbers), log: &log)
            case 3: replaceValue(&bytes, log: &log)
            case 4: changeListLength(&bytes, log: &log)
            case 5: replaceName(&bytes, log: &log)
            case 6:
                let at = below(bytes.count + 1)
                bytes = Array(bytes[..<at])
                log.append("truncate at byte \(at)")
            case 7:
                let at = below(bytes.count + 1), c = pick(Self.controlCharacters)
                bytes.insert(contentsOf: Array(c.utf8), at: at)
                log.append("insert \(c.unicodeScalars.map { "U+\(String($0.value, radix: 16))" }.joined(separator: " ")) at byte \(at)")
            case 8:
                let length = pick([300, 2000, 9000, 40000])
                let key = pick(["title", "description"])
                let line = "\(key): \"" + String(repeating: pick(["a", "é", "$x$", "ab "]), count: length / 2) + "\"\n"
                let figure = "figures: [{\(pick(["map", "density", "samples", "marginals"])): {\(pick(["x_label", "y_label", "title"])): \"" + String(repeating: "w", count: length) + "\"}}]\n"
                let insertion = below(2) == 0 ? line : figure
                bytes = Array(insertion.utf8) + bytes
                log.append("prepend a \(length)-character string")
            case 9:
                let endings = ["\r", "\r\n", "\u{85}"]
                let ending = pick(endings)
                bytes = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: ending).utf8)
                log.append("line endings → \(ending.unicodeScalars.map { "U+\(String($0.value, radix: 16))" }.joined(separator: " "))")
            default: editLine(&bytes, log: &log)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Ranges of number literals in the text.
    func numberRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        func isStart(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || b == 45 || b == 46 }
        func isPart(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || b == 45 || b == 46 || b == 101 || b == 69 || b == 43 }
        while i < bytes.count {
            let previous: UInt8 = i > 0 ? bytes[i - 1] : 32
            let boundary = previous == 32 || previous == 91 || previous == 44 || previous == 58 || previous == 123
            if boundary, isStart(bytes[i]) {
                var j = i
                while j < bytes.count, isPart(bytes[j]) { j += 1 }
                if bytes[i..<j].contains(where: { $0 >= 48 && $0 <= 57 }) { ranges.append(i..<j) }
                i = j
            } else {
                i += 1
            }
        }
        return ranges
    }

    mutating func replaceNumber(_ bytes: inout [UInt8], with replacement: String, log: inout [String]) {
        let ranges = numberRanges(bytes)
        guard !ranges.isEmpty else { return }
        let r = pick(ranges)
        log.append("number '\(String(decoding: bytes[r], as: UTF8.self))' → \(replacement)")
        bytes.replaceSubrange(r, with: Array(replacement.utf8))
    }

    mutating func replaceValue(_ bytes: inout [UInt8], log: inout [String]) {
        // A value after ': ' up to the next ',', '}' or end of line.
        var starts: [Int] = []
        for i in 1..<max(1, bytes.count) where bytes[i - 1] == 58 && bytes[i] == 32 { starts.append(i + 1) }
        guard !starts.isEmpty else { return }
        let start = pick(starts)
        var end = start, depth = 0
        while end < bytes.count {
            let b = bytes[end]
            if b == 91 || b == 123 { depth += 1 }
            if b == 93 || b == 125 { if depth == 0 { break }; depth -= 1 }
            if depth == 0 && (b == 44 || b == 10) { break }
            end += 1
        }
        let value = pick(Self.otherTypes)
        log.append("value '\(String(decoding: bytes[start..<end], as: UTF8.self).prefix(60))' → \(value)")
        bytes.replaceSubrange(start..<end, with: Array(value.utf8))
    }

    mutating func changeListLength(_ bytes: inout [UInt8], log: inout [String]) {
        let ranges = numberRanges(bytes).filter { r in
            (r.lowerBound > 0 && (bytes[r.lowerBound - 1] == 91 || bytes[r.lowerBound - 1] == 32)) && r.upperBound < bytes.count
                && (bytes[r.upperBound] == 44 || bytes[r.upperBound] == 93)
        }
        guard !ranges.isEmpty else { return }
        let r = pick(ranges)
        if below(2) == 0 {
            let extra = ", " + pick(Self.extremeNumbers)
            bytes.insert(contentsOf: Array(extra.utf8), at: r.upperBound)
            log.append("list entry added after '\(String(decoding: bytes[r], as: UTF8.self))'")
        } else {
            var end = r.upperBound
            if end < bytes.count, bytes[end] == 44 { end += 1 }
            while end < bytes.count, bytes[end] == 32 { end += 1 }
            log.append("list entry '\(String(decoding: bytes[r], as: UTF8.self))' removed")
            bytes.removeSubrange(r.lowerBound..<end)
        }
    }

    mutating func replaceName(_ bytes: inout [UInt8], log: inout [String]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let present = Self.names.filter { text.contains($0) }
        guard let old = present.isEmpty ? nil : pick(present) else { return }
        let new = pick(Self.names)
        // Replace one occurrence.
        if let range = text.range(of: old) {
            var copy = text
            copy.replaceSubrange(range, with: new)
            bytes = Array(copy.utf8)
            log.append("name '\(old)' → '\(new)'")
        }
    }

    mutating func editLine(_ bytes: inout [UInt8], log: inout [String]) {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return }
        let i = below(lines.count)
        switch below(3) {
        case 0:
            lines.insert(lines[i], at: i)
            log.append("line \(i + 1) duplicated")
        case 1:
            log.append("line \(i + 1) deleted")
            lines.remove(at: i)
        default:
            let j = below(lines.count)
            lines.swapAt(i, j)
            log.append("lines \(i + 1) and \(j + 1) swapped")
        }
        bytes = Array(lines.joined(separator: "\n").utf8)
    }

    /// Points for `eval --at` in `dimension` dimensions: extremes, non-numbers and near misses.
    mutating func points(dimension: Int, log: inout [String]) -> String {
        let values = ["0", "-0", "1", "-1", "1e308", "-1e308", "5e-324", "1e-310", "inf", "-inf", "nan", "1e300",
                      "0.999999999999", "1.0000000001", "abc", "", "1e9999", "0x10", " 2 "]
        let count = 1 + below(4)
        let points = (0..<count).map { _ in (0..<max(1, dimension + (below(8) == 0 ? 1 : 0))).map { _ in pick(values) }.joined(separator: ",") }
        let text = points.joined(separator: dimension == 1 ? "," : ";")
        log.append("eval --at=\(text)")
        return text
    }
}
