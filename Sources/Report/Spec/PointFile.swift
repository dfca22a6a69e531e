import Foundation
import FlowKit

/// Points read from a user's file for a maximum-likelihood fit: `.csv` (one point per row,
/// numbers separated by commas or spaces, an optional header row of names) or `.npy` (NumPy's
/// format, a C-ordered 2-D array of little-endian float64 or float32).
enum PointFile {
    struct Problem: Error {
        var message: String
        var hint: String?
    }

    static func read(path: String) throws(Problem) -> PointBatch {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Problem(message: "no such file", hint: "the path is relative to the spec's folder")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(message: "cannot read the file")
        }
        if path.lowercased().hasSuffix(".npy") { return try npy(data) }
        if path.lowercased().hasSuffix(".csv") || path.lowercased().hasSuffix(".txt") { return try csv(data) }
        throw Problem(message: "unknown file type", hint: "give a .csv or .npy file")
    }

    static func csv(_ data: Data) throws(Problem) -> PointBatch {
        guard let text = String(data: data, encoding: .utf8) else { throw Problem(message: "not UTF-8 text") }
        var values: [Double] = []
        var dimension: Int?
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
            let numbers = fields.map { Double($0) }
            if index == 0, dimension == nil, numbers.allSatisfy({ $0 == nil }) { continue }   // a header row
            for (column, (field, number)) in zip(fields, numbers).enumerated() {
                guard let number, number.isFinite else {
                    throw Problem(message: "line \(index + 1), column \(column + 1): '\(field)' is not a finite number",
                                  hint: "every row holds the coordinates of one point as plain numbers")
                }
                values.append(number)
            }
            if let d = dimension, d != fields.count {
                throw Problem(message: "line \(index + 1) has \(fields.count) numbers but earlier rows have \(d)")
            }
            dimension = fields.count
        }
        guard let d = dimension, d > 0 else { throw Problem(message: "the file holds no points") }
        return PointBatch(dimension: d, values: values)
    }

    static func npy(_ data: Data) throws(Problem) -> PointBatch {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw Problem(message: "not a NumPy .npy file")
        }
        let major = bytes[6]
        let headerLength: Int, start: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else {
            guard bytes.count >= 12 else { throw Problem(message: "truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        }
        guard bytes.count >= start + headerLength,
              let header = String(bytes: bytes[start..<(start + headerLength)], encoding: .ascii) else {
            throw Problem(message: "truncated .npy header")
        }
        let width: Int
        if header.contains("'<f8'") { width = 8 } else if header.contains("'<f4'") { width = 4 } else {
            throw Problem(message: "the array is not of float64 or float32 numbers", hint: "save with points.astype('float64')")
        }
        if header.contains("'fortran_order': True") { throw Problem(message: "Fortran-ordered arrays are not supported", hint: "save np.ascontiguousarray(points)") }
        guard let open = header.firstIndex(of: "("), let close = header.firstIndex(of: ")") else {
            throw Problem(message: "no shape in the .npy header")
        }
        let shape = header[header.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard shape.count == 2, shape[1] > 0 else {
            throw Problem(message: "the array has shape \(shape), not (points, dimension)", hint: "save a 2-D array, one point per row")
        }
        let count = shape[0] * shape[1]
        let body = start + headerLength
        guard bytes.count >= body + count * width else { throw Problem(message: "the file is shorter than its shape says") }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let offset = body + i * width
            var bits: UInt64 = 0
            for b in 0..<width { bits |= UInt64(bytes[offset + b]) << (8 * UInt64(b)) }
            values[i] = width == 8 ? Double(bitPattern: bits) : Double(Float(bitPattern: UInt32(bits)))
            guard values[i].isFinite else { throw Problem(message: "entry \(i) is not finite") }
        }
        return PointBatch(dimension: shape[1], values: values)
    }
}
