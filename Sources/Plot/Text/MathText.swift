/// A small TeX-like markup for labels, after matplotlib's mathtext.
///
/// Text between `$` signs is math: letters are italic variables; digits, punctuation and
/// operator names (`\exp`, `\log`, `\det`, …) are upright; `_x`, `^x`, `_{…}`, `^{…}` make
/// subscripts and superscripts (nested to any depth, stacked when both are present); Greek
/// letters (`\sigma`, `\Sigma`), `\mathcal{N}` (drawn from the math font's script capitals,
/// e.g. U+1D4A9 𝒩), `\mathbb`, `\mathrm`, `\mathbf`, `\text`, `\sqrt{…}`, `\frac{a}{b}`
/// (inline a/b), spacing commands and the symbols `\in \sim \cdot \times \infty \le \ge
/// \approx \partial \nabla \pm \to \propto \neq \ldots` are understood. Binary operators and
/// relations get TeX's medium and thick spaces. Outside `$…$` the text is drawn as is; `\$`
/// is a literal dollar sign. Unknown commands are drawn as their name, upright.
public enum MathText {
    /// Parses `markup` into nodes.
    static func parse(_ markup: String) -> [MathNode] {
        var nodes: [MathNode] = []
        var plain = ""
        var math = ""
        var inMath = false
        var escaped = false
        for ch in markup {
            if escaped {
                if inMath {
                    math.append("\\")
                    math.append(ch)
                } else if ch == "$" {
                    plain.append("$")
                } else {
                    plain.append("\\")
                    plain.append(ch)
                }
                escaped = false
                continue
            }
            if ch == "\\" { escaped = true; continue }
            if ch == "$" {
                if inMath {
                    var p = MathParser(Array(math))
                    nodes.append(contentsOf: p.parseList(closing: nil))
                    math = ""
                } else if !plain.isEmpty {
                    nodes.append(.run(plain, .plain))
                    plain = ""
                }
                inMath.toggle()
                continue
            }
            if inMath { math.append(ch) } else { plain.append(ch) }
        }
        if escaped { if inMath { math.append("\\") } else { plain.append("\\") } }
        if inMath {
            // Unbalanced `$`: show the rest literally.
            plain = "$" + math
        }
        if !plain.isEmpty { nodes.append(.run(plain, .plain)) }
        return nodes
    }

    /// Whether `markup` contains math (an unescaped `$`).
    public static func containsMath(_ markup: String) -> Bool {
        var escaped = false
        for ch in markup {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true } else if ch == "$" { return true }
        }
        return false
    }

    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
        "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
        "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
        "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
        "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    ]
    static let greekUpper: [String: String] = [
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ]
    static let functions: Set<String> = [
        "exp", "log", "ln", "det", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "max",
        "min", "arg", "lim", "sup", "inf", "Pr", "dim", "ker", "tr", "erf", "sgn",
    ]
    static let relations: [String: String] = [
        "in": "∈", "notin": "∉", "sim": "∼", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
        "approx": "≈", "to": "→", "rightarrow": "→", "leftarrow": "←", "mapsto": "↦",
        "propto": "∝", "neq": "≠", "ne": "≠", "equiv": "≡", "subset": "⊂", "simeq": "≃",
        "ll": "≪", "gg": "≫", "mid": "|",
    ]
    static let binaries: [String: String] = [
        "cdot": "·", "times": "×", "pm": "±", "mp": "∓", "circ": "∘", "ast": "∗", "div": "÷",
    ]
    static let ordinaries: [String: String] = [
        "infty": "∞", "partial": "∂", "nabla": "∇", "ldots": "…", "cdots": "⋯", "prime": "′",
        "sum": "∑", "prod": "∏", "int": "∫", "forall": "∀", "exists": "∃", "emptyset": "∅",
        "langle": "⟨", "rangle": "⟩", "lbrace": "{", "rbrace": "}", "vert": "|", "Vert": "‖",
        "hbar": "ℏ", "ell": "ℓ", "dagger": "†", "star": "⋆",
    ]
    static let spaces: [String: Double] = [
        ",": 3.0 / 18, ":": 4.0 / 18, ";": 5.0 / 18, "!": -3.0 / 18, " ": 1.0 / 3,
        "quad": 1, "qquad": 2,
    ]

    /// The Unicode mathematical script capital for `c` (𝒜 …, with the letter-like
    /// exceptions ℬ ℰ ℱ ℋ ℐ ℒ ℳ ℛ).
    static func script(_ c: Character) -> String {
        let exceptions: [Character: Character] = [
            "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
        ]
        if let e = exceptions[c] { return String(e) }
        guard let a = c.asciiValue, a >= 65, a <= 90, let u = Unicode.Scalar(0x1D49C + UInt32(a - 65)) else {
            return String(c)
        }
        return String(Character(u))
    }

    /// The Unicode double-struck capital for `c` (ℝ, ℕ, …).
    static func blackboard(_ c: Character) -> String {
        let exceptions: [Character: Character] = [
            "C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ",
        ]
        if let e = exceptions[c] { return String(e) }
        guard let a = c.asciiValue, a >= 65, a <= 90, let u = Unicode.Scalar(0x1D538 + UInt32(a - 65)) else {
            return String(c)
        }
        return String(Character(u))
    }
}

/// Recursive-descent parser for the inside of `$…$`.
struct MathParser {
    let chars: [Character]
    var i = 0

    init(_ chars: [Character]) { self.chars = chars }

    mutating func parseList(closing: Character?) -> [MathNode] {
        var out: [MathNode] = []
        while i < chars.count {
            let c = chars[i]
            if let cl = closing, c == cl { i += 1; return out }
            if c == "}" { i += 1; continue } // stray closing brace
            if c == "^" || c == "_" {
                i += 1
                let arg = parseArgument()
                attach(arg, superscript: c == "^", to: &out)
                continue
            }
            out.append(contentsOf: parseAtom(previous: out.last))
        }
        return out
    }

    private func isOperand(_ n: MathNode?) -> Bool {
        guard let n else { return false }
        switch n {
        case .op: return false
        case .run(let s, _): return !(s == "(" || s == "[" || s == "{")
        case .space: return false
        default: return true
        }
    }

    private mutating func attach(_ arg: [MathNode], superscript: Bool, to out: inout [MathNode]) {
        if case .scripts(let b, let sub, let sup)? = out.last {
            if superscript && sup == nil {
                out[out.count - 1] = .scripts(base: b, sub: sub, sup: arg); return
            }
            if !superscript && sub == nil {
                out[out.count - 1] = .scripts(base: b, sub: arg, sup: sup); return
            }
        }
        var base: [MathNode] = []
        if let last = out.last {
            switch last {
            case .space: break
            default: base = [out.removeLast()]
            }
        }
        out.append(.scripts(base: base, sub: superscript ? nil : arg, sup: superscript ? arg : nil))
    }

    mutating func parseArgument() -> [MathNode] {
        while i < chars.count && chars[i] == " " { i += 1 }
        guard i < chars.count else { return [] }
        if chars[i] == "{" {
            i += 1
            return parseList(closing: "}")
        }
        return parseAtom(previous: nil)
    }

    /// Raw text of a `{…}` group (for \text, \mathrm), or the next character.
    mutating func rawGroup() -> String {
        while i < chars.count && chars[i] == " " { i += 1 }
        guard i < chars.count else { return "" }
        if chars[i] != "{" { defer { i += 1 }; return String(chars[i]) }
        i += 1
        var depth = 1
        var s = ""
        while i < chars.count {
            let c = chars[i]
            i += 1
            if c == "{" { depth += 1 } else if c == "}" { depth -= 1; if depth == 0 { break } }
            s.append(c)
        }
        return s
    }

    mutating func parseAtom(previous: MathNode?) -> [MathNode] {
        let c = chars[i]
        i += 1
        switch c {
        case " ", "\t", "\n":
            return []
        case "{":
            return parseList(closing: "}")
        case "\\":
            return parseCommand(previous: previous)
        case "+", "*":
            let sym = c == "+" ? "+" : "∗"
            return [isOperand(previous) ? .op(sym, .binary) : .run(sym, .upright)]
        case "-":
            return [isOperand(previous) ? .op("−", .binary) : .run("−", .upright)]
        case "=", "<", ">":
            return [.op(String(c), .relation)]
        case ",", ";":
            return [.op(String(c), .punctuation)]
        case "'":
            return [.run("′", .upright)]
        default:
            if c.isLetter { return [.run(String(c), .italic)] }
            return [.run(String(c), .upright)]
        }
    }

    mutating func parseCommand(previous: MathNode?) -> [MathNode] {
        guard i < chars.count else { return [.run("\\", .upright)] }
        var name = ""
        if chars[i].isLetter {
            while i < chars.count && chars[i].isLetter { name.append(chars[i]); i += 1 }
        } else {
            name = String(chars[i])
            i += 1
        }
        if let s = MathText.spaces[name] { return [.space(s)] }
        if let g = MathText.greek[name] { return [.run(g, .italic)] }
        if let g = MathText.greekUpper[name] { return [.run(g, .upright)] }
        if MathText.functions.contains(name) { return [.function(name)] }
        if let r = MathText.relations[name] { return [.op(r, .relation)] }
        if let b = MathText.binaries[name] {
            return [isOperand(previous) ? .op(b, .binary) : .run(b, .upright)]
        }
        if let o = MathText.ordinaries[name] { return [.run(o, .upright)] }
        switch name {
        case "{", "}", "$", "%", "#", "&", "_", "|":
            return [.run(name, .upright)]
        case "mathcal", "mathscr":
            return [.run(rawGroup().map(MathText.script).joined(), .symbol)]
        case "mathbb":
            return [.run(rawGroup().map(MathText.blackboard).joined(), .symbol)]
        case "mathrm", "text", "textrm", "operatorname", "mathsf":
            return [.run(rawGroup(), .upright)]
        case "mathbf", "textbf", "boldsymbol":
            return [.run(rawGroup(), .bold)]
        case "mathit", "textit":
            return [.run(rawGroup(), .italic)]
        case "sqrt":
            return [.sqrt(parseArgument())]
        case "frac", "tfrac", "dfrac":
            let a = parseArgument()
            let b = parseArgument()
            return [.frac(a, b)]
        case "left", "right", "big", "Big", "bigl", "bigr", "displaystyle":
            return [] // delimiters that follow are parsed as ordinary characters
        default:
            return [.run(name, .upright)]
        }
    }
}
