import CCairo

/// A Cairo failure: the `cairo_status_t` value, Cairo's own text for it
/// (`cairo_status_to_string`), and what we were doing.
public struct CairoError: Error, CustomStringConvertible, Equatable {
    public let status: UInt32
    public let message: String
    public let operation: String

    init(_ status: cairo_status_t, operation: String) {
        self.status = status.rawValue
        self.message = cairo_status_to_string(status).map { String(cString: $0) } ?? "unknown Cairo status \(status.rawValue)"
        self.operation = operation
    }

    /// An error that is not a Cairo status (for example a file that could not be written).
    init(message: String, operation: String) {
        self.status = CAIRO_STATUS_WRITE_ERROR.rawValue
        self.message = message
        self.operation = operation
    }

    public var description: String { "\(operation): \(message)" }

    /// Throws when `status` is not success.
    static func check(_ status: cairo_status_t, _ operation: String) throws {
        if status != CAIRO_STATUS_SUCCESS { throw CairoError(status, operation: operation) }
    }
}
