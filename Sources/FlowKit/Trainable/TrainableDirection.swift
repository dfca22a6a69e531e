/// The two directions in which a trainable layer can be run.
///
/// A layer *is* a bijection f in the generative direction, base → data (Rezende & Mohamed's
/// z_k = f_k(z_{k−1})):
/// - `.sampling` applies f, z ↦ f(z), and its log-det is log|det ∂f/∂z| (reverse KL and
///   drawing samples);
/// - `.density` applies f⁻¹, x ↦ f⁻¹(x), and its log-det is log|det ∂f⁻¹/∂x| = −log|det ∂f/∂z|
///   at z = f⁻¹(x) (maximum likelihood, densities at data points).
public enum TrainableDirection: String, Sendable, CaseIterable, Codable {
    case sampling
    case density

    /// The other direction.
    public var reversed: TrainableDirection { self == .sampling ? .density : .sampling }
}
