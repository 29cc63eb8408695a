/// Many records of the same shape, stored by column: the national batch check and aggregation read
/// one column at a time, as NumPy and DuckDB do.
///
/// Values are exact: 64-bit integers in millionths (the scale of `CellValues`). A column remembers its
/// largest magnitude so that a check can prove its integer sums cannot overflow before using them.
public struct ColumnBatch: Sendable {
    public let count: Int
    public private(set) var names: [String] = []
    public private(set) var columns: [[Int64]] = []
    public private(set) var maxMagnitude: [Int64] = []
    /// One bit per record, set when the cell is filled; nil when every cell of the column is filled.
    public private(set) var presence: [[UInt64]?] = []

    public static let scale = CellValues.scale

    public init(count: Int) { self.count = count }

    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Adds a column of millionths; `filled` marks empty cells (nil: all filled).
    public mutating func addColumn(_ name: String, millionths: [Int64], filled: [Bool]? = nil) {
        precondition(millionths.count == count, "column length differs from the batch")
        names.append(name)
        var maxAbs: Int64 = 0
        for v in millionths {
            let m = v == .min ? .max : (v < 0 ? -v : v)
            if m > maxAbs { maxAbs = m }
        }
        columns.append(millionths)
        maxMagnitude.append(maxAbs)
        if let filled, filled.contains(false) {
            var bits = [UInt64](repeating: 0, count: (count + 63) / 64)
            for (i, f) in filled.enumerated() where f { bits[i >> 6] |= 1 << UInt64(i & 63) }
            presence.append(bits)
        } else {
            presence.append(nil)
        }
    }

    /// Adds a column of whole numbers (scaled to millionths here).
    public mutating func addColumn(_ name: String, integers: [Int64]) {
        addColumn(name, millionths: integers.map { $0 * 1_000_000 })
    }

    @inline(__always) func isFilled(column: Int, record: Int) -> Bool {
        guard let bits = presence[column] else { return true }
        return bits[record >> 6] & (1 << UInt64(record & 63)) != 0
    }
}
