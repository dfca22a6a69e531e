/// A node of parsed label markup (see `MathText`).
indirect enum MathNode: Sendable, Equatable {
    /// Glyphs in one style.
    case run(String, MathStyle)
    /// A binary operator (medium space each side) or relation (thick space each side).
    case op(String, OpKind)
    /// An upright operator name such as log or exp; a thin space follows before a letter.
    case function(String)
    /// Horizontal space in em of the current size.
    case space(Double)
    /// A base with optional subscript and superscript, stacked at the same x.
    case scripts(base: [MathNode], sub: [MathNode]?, sup: [MathNode]?)
    /// √ with an overline over the argument.
    case sqrt([MathNode])
    /// An inline fraction a/b.
    case frac([MathNode], [MathNode])
}

/// The style of a glyph run inside math.
enum MathStyle: Sendable, Equatable {
    /// Outside `$…$`: the label font as given.
    case plain
    /// Math variables.
    case italic
    /// Digits, punctuation, function names, upright Greek capitals.
    case upright
    case bold
    /// Script or blackboard capitals, drawn from the math font.
    case symbol
}

/// TeX's spacing classes for operators.
enum OpKind: Sendable, Equatable {
    /// + − × · ± : medium space (4/18 em) each side.
    case binary
    /// = < > ∈ ∼ ≤ ≥ ≈ → : thick space (5/18 em) each side.
    case relation
    /// , ; : no space before, thin space (3/18 em) after.
    case punctuation
}
