/// The limits a spec must respect, checked before and while it is parsed so that hostile or
/// broken input (alias bombs, absurd nesting, huge files) fails fast with a diagnostic.
///
/// | limit | value | why |
/// |---|---|---|
/// | file size | 1 MiB | a spec is a page of YAML |
/// | nesting depth | 32 | the deepest real spec nests about 6 levels |
/// | indentation | 160 columns | bounds block nesting before the YAML parser recurses |
/// | aliases (`*name`) | 64 | aliases are rare in specs; bombs need many |
/// | nodes after alias expansion | 100 000 | a billion-laughs document expands exponentially |
/// | samples | 10¹⁰ | beyond that a run takes hours; say so instead of starting it |
public enum SpecLimits {
    public static let maximumBytes = 1 << 20
    public static let maximumDepth = 32
    public static let maximumIndentation = 160
    public static let maximumAliases = 64
    public static let maximumExpandedNodes = 100_000
    public static let maximumSamples = 10_000_000_000
}
