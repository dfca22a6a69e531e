/// "Did you mean" hints for misspelled names and keys.
///
/// Candidates are ranked by the optimal-string-alignment distance (Damerau–Levenshtein with
/// adjacent transpositions, each edit costing 1; Damerau 1964, Levenshtein 1966), compared
/// case-insensitively. A candidate is offered only when it is close relative to the length of
/// the word (at most ⌈n/3⌉ edits, at least 1, at most 3), so random words get the list of
/// allowed names instead of a misleading guess.
enum Suggestion {
    /// The closest candidate to `word`, or nil when none is close enough.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = Array(word.lowercased())
        let budget = min(3, max(1, (lowered.count + 2) / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased()))
            if distance <= budget, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// "did you mean 'x'?" when a close candidate exists, else nil (so that the caller can
    /// give its own fallback with `??`).
    static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    /// A hint: "did you mean 'x'?" when a close candidate exists, else the allowed names.
    static func hint(for word: String, in candidates: [String], kind: String) -> String {
        didYouMean(word, in: candidates) ?? "known \(kind): " + candidates.joined(separator: ", ")
    }

    /// Optimal string alignment distance between `a` and `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var table = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in 0...a.count { table[i * width] = i }
        for j in 0...b.count { table[j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[(i - 1) * width + j] + 1,
                                table[i * width + j - 1] + 1,
                                table[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[(i - 2) * width + j - 2] + 1)
                }
                table[i * width + j] = value
            }
        }
        return table[a.count * width + b.count]
    }
}
