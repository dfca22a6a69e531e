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
/// | `grid_integral` | \|Σ p_Eq5 ΔA + (fraction of samples outside the box) − 1\| (d = 2) | 1e-2 | no |
/// | `histogram_l1` | L1 of the 2-D sample histogram against the Eq. 5 bin masses, over its expected size under pure sampling noise (d ≥ 2) | 1.3 | no |
///
/// `integral` (adaptive quadrature) is for 1-D experiments and `grid_integral` and
/// `histogram_l1` for d ≥ 2 (``applies(toDimension:)``); the others apply to both.
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
    case gridIntegral = "grid_integral"
    case histogramL1 = "histogram_l1"

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
        case .gridIntegral: return 1e-2
        case .histogramL1: return 1.3
        }
    }

    public var needsReference: Bool {
        switch self {
        case .eq4VsReference, .eq5VsReference, .ksStatistic, .ksPValue: return true
        default: return false
        }
    }

    /// Whether the check can run on an experiment of `dimension` dimensions.
    public func applies(toDimension dimension: Int) -> Bool {
        switch self {
        case .integral, .eq4VsReference, .eq5VsReference, .ksStatistic, .ksPValue: return dimension == 1
        case .gridIntegral, .histogramL1: return dimension >= 2
        default: return true
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
