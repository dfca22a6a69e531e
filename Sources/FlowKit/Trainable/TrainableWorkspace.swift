/// The preallocated arena of one chunk of a trainable flow's passes (llm.c's activation
/// memory): sized once for `capacity` points and one direction, reused every step, so that a
/// training step allocates nothing. One workspace per chunk; never shared between threads.
///
/// Regions (doubles), for n ≤ capacity points of dimension d and K layers:
/// - `states[k]`, k = 0…K (n × d each): in the sampling direction z₀ (base sample), z₁, …, z_K;
///   in the density direction x = `states[0]`, then the points after each inverse layer, the
///   base point last (`states[K]`);
/// - `noise` (n × d, sampling): the base noise ε;
/// - `logAbsDet` (n): the summed log|det| of the layers in the applied direction;
/// - `logDensity` (n): log q at the flow's output (sampling) or input (density);
/// - `logDetGradient` (n): ∂L/∂(each layer's log|det|), the same for every layer;
/// - `gradients` (two of n × d): ping-pong buffers for ∂L/∂state;
/// - `tapes[k]`: layer k's tape (its ``TrainableLayer/tapeCount(_:count:)`` at capacity).
public final class TrainableWorkspace: @unchecked Sendable {
    public let direction: TrainableDirection
    public let capacity: Int
    public let dimension: Int
    let storage: UnsafeMutablePointer<Double>
    let total: Int
    let stateOffsets: [Int]
    let tapeOffsets: [Int]
    let noiseOffset: Int
    let logAbsDetOffset: Int
    let logDensityOffset: Int
    let logDetGradientOffset: Int
    let gradientOffsets: (Int, Int)

    init(flow: TrainableFlow, direction: TrainableDirection, capacity: Int) {
        self.direction = direction
        self.capacity = max(1, capacity)
        self.dimension = flow.dimension
        let block = self.capacity * flow.dimension
        var offset = 0
        var states: [Int] = []
        for _ in 0...flow.layers.count {
            states.append(offset)
            offset += block
        }
        stateOffsets = states
        noiseOffset = offset; offset += block
        logAbsDetOffset = offset; offset += self.capacity
        logDensityOffset = offset; offset += self.capacity
        logDetGradientOffset = offset; offset += self.capacity
        gradientOffsets = (offset, offset + block); offset += 2 * block
        var tapes: [Int] = []
        for layer in flow.layers {
            tapes.append(offset)
            offset += layer.tapeCount(direction, count: self.capacity)
        }
        tapeOffsets = tapes
        total = offset
        storage = .allocate(capacity: max(1, offset))
        storage.initialize(repeating: 0, count: max(1, offset))
    }

    deinit { storage.deallocate() }

    /// The arena's size in bytes.
    public var byteCount: Int { max(1, total) * MemoryLayout<Double>.stride }

    /// State k (see the type's description).
    public func state(_ k: Int) -> UnsafeMutablePointer<Double> { storage + stateOffsets[k] }
    public var noise: UnsafeMutablePointer<Double> { storage + noiseOffset }
    public var logAbsDet: UnsafeMutablePointer<Double> { storage + logAbsDetOffset }
    public var logDensity: UnsafeMutablePointer<Double> { storage + logDensityOffset }
    var logDetGradient: UnsafeMutablePointer<Double> { storage + logDetGradientOffset }
    var gradientA: UnsafeMutablePointer<Double> { storage + gradientOffsets.0 }
    var gradientB: UnsafeMutablePointer<Double> { storage + gradientOffsets.1 }
    func tape(_ k: Int) -> UnsafeMutablePointer<Double> { storage + tapeOffsets[k] }
    /// The last state: the flow's output (sampling) or the base point (density).
    public var finalState: UnsafeMutablePointer<Double> { state(stateOffsets.count - 1) }
}
