import FlowKit

/// The text of `flowreport list`: every distribution and transform a spec can name, with its
/// one-line summary, its support or domain, and its parameters (kind, requirement, default).
public enum CatalogListing {
    public static func text(catalogs: SpecCatalogs = .standard) -> String {
        var out = "Distributions (base and reference), 1-D:\n"
        for entry in catalogs.univariate { out += describe(entry, domainLabel: "support") }
        if !catalogs.multivariate.isEmpty {
            out += "\nDistributions (base), d-dimensional:\n"
            for entry in catalogs.multivariate { out += describe(entry, domainLabel: "support") }
        }
        out += "\nTransforms (flow entries, in generative order):\n"
        for entry in catalogs.transforms { out += describe(entry, domainLabel: "domain") }
        out += FitLayerCatalog.listing
        out += FlowMatchingEntry.listing
        out += "\nFigures: " + FigureKind.allCases.map(\.rawValue).joined(separator: ", ") + "\n"
        out += "Checks: " + CheckName.allCases.map { "\($0.rawValue) (default limit \($0.defaultLimit))" }
            .joined(separator: ", ") + "\n"
        out += "Fit checks (specs with fit:, set in the same checks:): " + FitSettings.checkDefaults.map {
            "\($0.name) (default limit \($0.limit.isFinite ? "\($0.limit)" : "none: off unless given"))"
        }.joined(separator: ", ") + "\n"
        return out
    }

    private static func describe<Value>(_ entry: CatalogEntry<Value>, domainLabel: String) -> String {
        var out = "  \(entry.name) — \(entry.summary)\n"
        out += "      \(domainLabel): \(entry.domainSummary)\n"
        if entry.parameters.isEmpty {
            out += "      no parameters\n"
        }
        for p in entry.parameters {
            let requirement = p.requirement.isEmpty ? "" : ", \(p.requirement)"
            let defaultText = p.defaultValue.map { ", default \($0)" } ?? ", required"
            out += "      \(p.name) (\(p.kind.rawValue)\(requirement)\(defaultText)): \(p.summary)\n"
        }
        return out
    }
}
