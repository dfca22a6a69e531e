/// One tick: its data value and its label markup (empty for minor ticks).
public struct Tick: Sendable, Hashable {
    public var value: Double
    public var label: String
    public var isMajor: Bool

    public init(value: Double, label: String, isMajor: Bool = true) {
        self.value = value
        self.label = label
        self.isMajor = isMajor
    }
}
