import DRSCore

/// One dimension of a published table: its name and its inner codes, in order. Every dimension has
/// a total (the marginal), addressed by the code `Total` in files and as index `codes.count` here.
public struct TableDimension: Sendable, Hashable {
    public var name: String
    public var codes: [String]
    public static let totalCode = "Total"

    public init(name: String, codes: [String]) {
        self.name = name
        self.codes = codes
    }

    /// Inner codes plus the total.
    public var size: Int { codes.count + 1 }
}

/// One respondent's figure, as it enters a table: its coordinates (one inner code per dimension),
/// the holding it belongs to (a central enterprise's subsidiaries, a group's units: one contributor),
/// and a non-negative value.
public struct Contribution: Sendable, Hashable {
    public var coordinates: [String]
    public var holding: String?
    public var value: ExactDecimal

    public init(coordinates: [String], holding: String? = nil, value: ExactDecimal) {
        self.coordinates = coordinates
        self.holding = holding
        self.value = value
    }
}

/// Why a table cannot be built; nothing is protected or written then.
public struct TableBuildError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A magnitude table with every marginal: each cell's exact value, its number of contributors
/// (counted by holding) and its largest contributions, which the safety rules look at.
///
/// Cells are numbered in mixed radix over `shape` (the last index of each dimension is its total),
/// so a line of the table along one dimension is an arithmetic progression of cell numbers.
public struct MagnitudeTable: Sendable {
    public let dimensions: [TableDimension]
    public let shape: [Int]
    /// Decimal places of every value (the most any contribution has).
    public let scale: Int
    /// Each cell's value in units of 10^-scale.
    public let values: [Int128]
    /// Each cell's number of contributors (distinct holdings).
    public let contributors: [Int]
    /// The `largestKept` largest contributions (by holding) of each cell, largest first, zero-padded.
    public let largest: [Int128]
    public let largestKept: Int

    public var cellCount: Int { values.count }

    /// The most cells a table may have (marginals included): far above any published breakdown
    /// (province × type × industry section is 7,623), far below what would exhaust memory.
    public static let maximumCells = 2_000_000

    /// Builds the table from contributions. Codes are sorted; `Total` may not be a code.
    public static func build(dimensionNames: [String], contributions: [Contribution], largestKept: Int) throws(TableBuildError) -> MagnitudeTable {
        guard !dimensionNames.isEmpty, dimensionNames.count <= 4 else {
            throw TableBuildError(message: "表的维度应为 1 至 4 个，现有 \(dimensionNames.count) 个")
        }
        let dimensions = try collectDimensions(dimensionNames, contributions)
        // Hostile microdata with many distinct codes must not ask for a table larger than memory.
        var cells = 1
        for dimension in dimensions {
            let (product, overflow) = cells.multipliedReportingOverflow(by: dimension.size)
            guard !overflow, product <= maximumCells else {
                throw TableBuildError(message: "表过大：各分组代码数之积超过 \(maximumCells) 个单元格")
            }
            cells = product
        }
        let scale = contributions.reduce(0) { max($0, $1.value.scale) }
        guard scale <= 6 else { throw TableBuildError(message: "数值的小数位超过 6 位") }
        var builder = TableAccumulator(dimensions: dimensions, largestKept: max(1, largestKept))
        try builder.add(contributions, scale: scale)
        return MagnitudeTable(dimensions: dimensions, shape: dimensions.map(\.size), scale: scale,
                              values: builder.values, contributors: builder.contributors,
                              largest: builder.largest, largestKept: builder.largestKept)
    }

    private static func collectDimensions(_ names: [String], _ contributions: [Contribution]) throws(TableBuildError) -> [TableDimension] {
        var codeSets = Array(repeating: Set<String>(), count: names.count)
        for contribution in contributions {
            guard contribution.coordinates.count == names.count else {
                throw TableBuildError(message: "一条记录有 \(contribution.coordinates.count) 个分组代码，应为 \(names.count) 个")
            }
            for (d, code) in contribution.coordinates.enumerated() {
                guard code != TableDimension.totalCode else {
                    throw TableBuildError(message: "分组“\(names[d])”的代码不能是保留字 Total")
                }
                guard !code.isEmpty else { throw TableBuildError(message: "分组“\(names[d])”有空代码") }
                codeSets[d].insert(code)
            }
        }
        return zip(names, codeSets).map { TableDimension(name: $0, codes: $1.sorted()) }
    }

    init(dimensions: [TableDimension], shape: [Int], scale: Int, values: [Int128], contributors: [Int], largest: [Int128], largestKept: Int) {
        self.dimensions = dimensions
        self.shape = shape
        self.scale = scale
        self.values = values
        self.contributors = contributors
        self.largest = largest
        self.largestKept = largestKept
    }

    /// The stride of each dimension in the cell numbering.
    public var strides: [Int] {
        var strides = Array(repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        return strides
    }

    /// The index along each dimension of a cell.
    public func position(of cell: Int) -> [Int] {
        var rest = cell
        var position = Array(repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            position[d] = rest % shape[d]
            rest /= shape[d]
        }
        return position
    }

    /// The cell at an index per dimension.
    public func cell(at position: [Int]) -> Int {
        var cell = 0
        for (d, index) in position.enumerated() { cell = cell * shape[d] + index }
        return cell
    }

    /// The codes of a cell (`Total` for a marginal).
    public func labels(of cell: Int) -> [String] {
        zip(dimensions, position(of: cell)).map { dimension, index in
            index < dimension.codes.count ? dimension.codes[index] : TableDimension.totalCode
        }
    }

    /// The cell with these codes, or nil when a code is not in the table.
    public func cell(labels: [String]) -> Int? {
        guard labels.count == dimensions.count else { return nil }
        var position: [Int] = []
        for (dimension, label) in zip(dimensions, labels) {
            if label == TableDimension.totalCode { position.append(dimension.codes.count); continue }
            guard let index = dimension.codes.firstIndex(of: label) else { return nil }
            position.append(index)
        }
        return cell(at: position)
    }

    /// The n-th largest contribution of a cell (0 when it has fewer contributors).
    public func largestContribution(_ cell: Int, rank: Int) -> Int128 {
        rank < largestKept ? largest[cell * largestKept + rank] : 0
    }

    /// A value as an exact decimal.
    public func decimal(_ units: Int128) -> ExactDecimal { ExactDecimal(units: units, scale: scale) }

    /// Whether the cell is a marginal along at least one dimension.
    public func isMarginal(_ cell: Int) -> Bool {
        zip(position(of: cell), shape).contains { $0 == $1 - 1 }
    }
}
