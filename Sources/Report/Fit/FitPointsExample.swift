import FlowKit
import Foundation

/// The points of `reports/fit-points.csv`, the shipped example of fitting a user's own points
/// (`reports/fit-points.yaml`): a smiley face, 600 points from seed 0 — 360 on a noisy lower
/// arc (the mouth, angles 200°–340°, radius 2), 120 in each of two round blobs (the eyes, at
/// (∓0.9, 0.9), std 0.25). Rows `x,y` with six decimals after a header.
public enum FitPointsExample {
    public static let fileName = "fit-points.csv"

    public static func csv(seed: UInt64 = 0) -> String {
        var stream = RandomStream(seed: seed, stream: 0)
        var out = "x,y\n"
        func row(_ x: Double, _ y: Double) { out += String(format: "%.6f,%.6f\n", x, y) }
        for _ in 0..<360 {
            let angle = (200 + 140 * stream.nextUniform()) * Double.pi / 180
            let radius = 2 + 0.12 * stream.nextStandardNormal()
            row(radius * cos(angle), radius * sin(angle) + 0.3)
        }
        for centre in [-0.9, 0.9] {
            for _ in 0..<120 {
                row(centre + 0.25 * stream.nextStandardNormal(), 0.9 + 0.25 * stream.nextStandardNormal())
            }
        }
        return out
    }
}
