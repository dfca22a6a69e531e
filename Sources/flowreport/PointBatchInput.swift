import FlowKit

/// Wraps a point batch so the command files need not import FlowKit's names directly.
struct PointBatchInput {
    var value: PointBatch
    init(_ value: PointBatch) { self.value = value }
}
