/// The commented starter spec written by `flowreport init NAME`: Zdybał's log-normal example
/// (Y = exp(X), X ~ N(0, 1)) with every section shown. It passes `flowreport check`.
public enum StarterSpec {
    public static func text(title: String) -> String {
        let quoted = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return """
        # flowreport spec. Check it with `flowreport check FILE`, render it with `flowreport run FILE`.
        # `flowreport list` shows every distribution, transform, figure and check.
        title: "\(quoted)"
        description: Y = exp(X) with X ~ N(0, 1) (Zdybał, Intro to normalizing flows, Figures 1 and 2)
        seed: 2024            # non-negative integer; same seed, same report
        samples: 10000        # positive integer, at most 10^10

        # The base distribution: a name, or {name: {parameters}}.
        base: {normal: {mean: 0, std: 1}}

        # The maps, in generative order: y = f_K(...f_1(x)). Entries: a name or {name: {parameters}}.
        flow:
          - exp

        # Optional: the analytic density of the output, for the comparisons and checks.
        reference: {lognormal: {mu: 0, sigma: 1}}

        # Figures: a kind, or {kind: {options}}. Options: bins, range ([lo, hi] or one per panel),
        # color ("#RRGGBB" or one per panel), alpha, line_width, x_label, y_label ($math$),
        # title, size ([width, height] in points), grid.
        figures:
          - histograms: {bins: 100, range: [[-4, 4], [0, 20]], color: ["#F0B51F", "#336B8B"]}
          - densities: {alpha: 0.4, line_width: 3}
          - agreement
          - calibration: {kind: pit}

        # Checks: {limit: x} overrides the default limit, `off` disables a check.
        checks:
          eq4_vs_eq5: {limit: 1e-12}
          ks_pvalue: {limit: 0.001}

        output: {formats: [png, pdf], dpi: 150, font: sans}

        """
    }
}
