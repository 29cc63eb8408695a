import DRSCore

/// Sums contributions into every cell of a table and its marginals, counting contributors by
/// holding: one holding's units in a cell are added up first and count once, so a headquarters that
/// knows its subsidiaries' figures is one contributor, not several.
struct TableAccumulator {
    let dimensions: [TableDimension]
    let shape: [Int]
    let largestKept: Int
    private(set) var values: [Int128]
    private(set) var contributors: [Int]
    private(set) var largest: [Int128]

    init(dimensions: [TableDimension], largestKept: Int) {
        self.dimensions = dimensions
        shape = dimensions.map(\.size)
        self.largestKept = largestKept
        let cells = shape.reduce(1, *)
        values = Array(repeating: 0, count: cells)
        contributors = Array(repeating: 0, count: cells)
        largest = Array(repeating: 0, count: cells * largestKept)
    }

    /// One entry per (cell, holding): the holding's total in that cell.
    private struct Share { var cell: Int; var holding: Int; var units: Int128 }

    mutating func add(_ contributions: [Contribution], scale: Int) throws(TableBuildError) {
        let inner = try innerCells(contributions)
        let holdings = holdingNumbers(contributions)
        var units: [Int128] = []
        units.reserveCapacity(contributions.count)
        for contribution in contributions {
            guard !contribution.value.isNegative else {
                throw TableBuildError(message: "数值不能为负（量值表）：\(contribution.value)")
            }
            guard let rescaled = contribution.value.rescaled(to: scale), rescaled.units < Int128(1) << 100 else {
                throw TableBuildError(message: "数值过大：\(contribution.value)")
            }
            units.append(rescaled.units)
        }
        if contributions.allSatisfy({ $0.holding?.isEmpty ?? true }) {
            addEachRecordAlone(inner, units)
            return
        }
        for mask in 0..<(1 << shape.count) {
            var shares: [Share] = []
            shares.reserveCapacity(inner.count)
            for (record, position) in inner.enumerated() {
                shares.append(Share(cell: cellNumber(position, keeping: mask), holding: holdings[record], units: units[record]))
            }
            shares.sort { ($0.cell, $0.holding) < ($1.cell, $1.holding) }
            merge(shares)
        }
    }

    /// Without holdings every record is its own contributor: no grouping is needed, each record
    /// goes straight into its cells and their largest contributions.
    private mutating func addEachRecordAlone(_ inner: [[Int]], _ units: [Int128]) {
        for (record, position) in inner.enumerated() {
            for mask in 0..<(1 << shape.count) {
                let cell = cellNumber(position, keeping: mask)
                values[cell] += units[record]
                contributors[cell] += 1
                insertLargest(units[record], into: cell)
            }
        }
    }

    /// Keeps a cell's largest contributions in descending order.
    private mutating func insertLargest(_ units: Int128, into cell: Int) {
        let base = cell * largestKept
        var rank = min(contributors[cell] - 1, largestKept - 1)
        guard rank >= 0, contributors[cell] <= largestKept || units > largest[base + largestKept - 1] else { return }
        while rank > 0, largest[base + rank - 1] < units {
            largest[base + rank] = largest[base + rank - 1]
            rank -= 1
        }
        largest[base + rank] = units
    }

    /// Adds sorted shares: the holdings of one cell, each summed, then the cell's figures.
    private mutating func merge(_ shares: [Share]) {
        var start = 0
        while start < shares.count {
            let cell = shares[start].cell
            var end = start
            var holdingTotals: [Int128] = []
            while end < shares.count, shares[end].cell == cell {
                let holding = shares[end].holding
                var total: Int128 = 0
                while end < shares.count, shares[end].cell == cell, shares[end].holding == holding {
                    total += shares[end].units
                    end += 1
                }
                holdingTotals.append(total)
            }
            record(cell: cell, holdingTotals: holdingTotals)
            start = end
        }
    }

    private mutating func record(cell: Int, holdingTotals: [Int128]) {
        values[cell] = holdingTotals.reduce(0, +)
        contributors[cell] = holdingTotals.count
        let top = holdingTotals.sorted(by: >).prefix(largestKept)
        for (rank, units) in top.enumerated() { largest[cell * largestKept + rank] = units }
    }

    /// The cell a record falls in when the dimensions outside `mask` are at their total.
    private func cellNumber(_ position: [Int], keeping mask: Int) -> Int {
        var cell = 0
        for d in 0..<shape.count {
            let index = mask >> d & 1 == 1 ? position[d] : shape[d] - 1
            cell = cell * shape[d] + index
        }
        return cell
    }

    private func innerCells(_ contributions: [Contribution]) throws(TableBuildError) -> [[Int]] {
        let lookup = dimensions.map { dimension in
            Dictionary(uniqueKeysWithValues: dimension.codes.enumerated().map { ($1, $0) })
        }
        var positions: [[Int]] = []
        positions.reserveCapacity(contributions.count)
        for contribution in contributions {
            var position: [Int] = []
            for (d, code) in contribution.coordinates.enumerated() {
                guard let index = lookup[d][code] else { throw TableBuildError(message: "未知代码 \(code)") }
                position.append(index)
            }
            positions.append(position)
        }
        return positions
    }

    /// A number per holding; a record without one is its own contributor.
    private func holdingNumbers(_ contributions: [Contribution]) -> [Int] {
        var numbers: [String: Int] = [:]
        var result: [Int] = []
        result.reserveCapacity(contributions.count)
        for (record, contribution) in contributions.enumerated() {
            if let holding = contribution.holding, !holding.isEmpty {
                if let known = numbers[holding] { result.append(known); continue }
                let next = contributions.count + numbers.count
                numbers[holding] = next
                result.append(next)
            } else {
                result.append(record)
            }
        }
        return result
    }
}
