import Foundation
import XCTest
import FlowKit
import FlowTraining

/// The enveloped energies as reverse-KL targets: log p̃ and its gradient are −(U + E) and
/// −∇(U + E) of FlowKit's `EnvelopedEnergy`, point by point.
final class EnvelopedEnergyTargetTests: XCTestCase {
    func testLogDensityAndGradientAreTheNegatedPotential() {
        let points: [Double] = [0.5, -1.2, 2.0, 0.1, -4.6, 5.3]
        for energy in Energy.allCases {
            let target = EnvelopedEnergy(energy)
            XCTAssertEqual(target.dimension, 2)
            var logDensity = [Double](repeating: .nan, count: 3), gradient = [Double](repeating: .nan, count: 6)
            points.withUnsafeBufferPointer { p in
                logDensity.withUnsafeMutableBufferPointer { l in
                    gradient.withUnsafeMutableBufferPointer { g in
                        target.logDensityAndGradient(points: p.baseAddress!, count: 3, logDensity: l.baseAddress!, gradient: g.baseAddress!)
                    }
                }
            }
            for i in 0..<3 {
                let (u, d1, d2) = target.potentialAndGradient(points[2 * i], points[2 * i + 1])
                XCTAssertEqual(logDensity[i], -u)
                XCTAssertEqual(gradient[2 * i], -d1)
                XCTAssertEqual(gradient[2 * i + 1], -d2)
            }
        }
    }
}
