/// The numerical checks a spec can configure under `checks:`, with their default limits.
///
/// A check passes when its value is ≤ the limit, except `ks_pvalue`, which passes when the
/// p-value is ≥ the limit. Checks against the reference are enabled only when the spec has a
/// `reference`.
///
/// | name | value measured | default limit | needs reference |
/// |---|---|---|---|
/// | `eq4_vs_eq5` | max \|log p_Eq4 − log p_Eq5\| on a grid | 1e-12 | no |
/// | `eq4_vs_reference` | max \|log p_Eq4 − log p_ref\| on a grid | 1e-10 | yes |
/// | `eq5_vs_reference` | max \|log p_Eq5 − log p_ref\| on a grid | 1e-10 | yes |
/// | `ks_statistic` | KS statistic D of the samples against F_ref | 0.02 | yes |
/// | `ks_pvalue` | KS p-value of the samples against F_ref (fails when p < limit) | 1e-3 | yes |
/// | `integral` | \|∫ p_Eq5 dy − 1\| by adaptive quadrature | 1e-6 | no |
/// | `round_trip` | max relative error of T⁻¹(T(x)) over sampled x | 1e-12 | no |
/// | `logdet_vs_finite_difference` | max \|log\|T′\| − finite-difference log\|T′\|\| | 1e-6 | no |
/// | `numerical_trouble` | samples with a non-finite value or log density, or outside the propagated support | 0 | no |
///
/// `ks_statistic` is off by default (its natural size shrinks like 1/√n, so a fixed limit
/// suits only one sample count; `ks_pvalue` already tests the same thing); enable it with a limit.
public enum CheckName: String, Sendable, CaseIterable, Equatable {
    case eq4VsEq5 = "eq4_vs_eq5"
    case eq4VsReference = "eq4_vs_reference"
    case eq5VsReference = "eq5_vs_reference"
    case ksStatistic = "ks_statistic"
    case ksPValue = "ks_pvalue"
    case integral
    case roundTrip = "round_trip"
    case logDetVsFiniteDifference = "logdet_vs_finite_difference"
    case numericalTrouble = "numerical_trouble"

    public var defaultLimit: Double {
        switch self {
        case .eq4VsEq5: return 1e-12
        case .eq4VsReference, .eq5VsReference: return 1e-10
        case .ksStatistic: return 0.02
        case .ksPValue: return 1e-3
        case .integral: return 1e-6
        case .roundTrip: return 1e-12
        case .logDetVsFiniteDifference: return 1e-6
        case .numericalTrouble: return 0
        }
    }

    public var needsReference: Bool {
        switch self {
        case .eq4VsReference, .eq5VsReference, .ksStatistic, .ksPValue: return true
        default: return false
        }
    }

    /// Whether the check runs when the spec does not mention it (and its reference exists).
    public var enabledByDefault: Bool { self != .ksStatistic }

    /// True when a value passes by being at least the limit (p-values), false when it passes
    /// by being at most the limit (errors).
    public var passesAtOrAboveLimit: Bool { self == .ksPValue }

    /// Whether `value` passes against `limit`; NaN never passes.
    public func passes(value: Double, limit: Double) -> Bool {
        guard !value.isNaN else { return false }
        return passesAtOrAboveLimit ? value >= limit : value <= limit
    }
}
