/// One check as resolved from a spec: its limit and whether it runs.
///
/// In YAML, `checks:` maps check names to `{limit: x}` or `off` (`on` keeps the default limit):
/// ```yaml
/// checks:
///   eq4_vs_eq5: {limit: 1e-13}
///   ks_pvalue: {limit: 0.01}
///   round_trip: off
/// ```
public struct CheckSetting: Sendable, Equatable {
    public var name: CheckName
    public var limit: Double
    public var enabled: Bool

    public init(name: CheckName, limit: Double, enabled: Bool) {
        self.name = name
        self.limit = limit
        self.enabled = enabled
    }

    /// Every check with its default limit, enabled per ``CheckName/enabledByDefault`` and the
    /// presence of a reference.
    /// Only checks that apply to `dimension` are enabled (``CheckName/applies(toDimension:)``).
    public static func defaults(hasReference: Bool, dimension: Int = 1) -> [CheckSetting] {
        CheckName.allCases.map {
            CheckSetting(name: $0, limit: $0.defaultLimit,
                         enabled: $0.enabledByDefault && (hasReference || !$0.needsReference)
                             && $0.applies(toDimension: dimension))
        }
    }
}
