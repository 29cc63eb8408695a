/// The suppressed cells of a pattern, split into groups that no line joins: the intruder's
/// programme for one group does not involve the others, so each is solved on its own.
struct SuppressedGroups: Sendable {
    private let table: MagnitudeTable
    private let suppressed: [Bool]
    private let lines: [[Int]]
    /// Group of each suppressed cell (nil for published ones), numbered by its representative.
    private var groupOf: [Int?]
    /// Column of each suppressed cell within its group's programme.
    private var columnOf: [Int]
    private var members: [Int: [Int]] = [:]

    init(table: MagnitudeTable, suppressed: [Bool]) {
        self.table = table
        self.suppressed = suppressed
        lines = TableLines(shape: table.shape).all().filter { line in line.contains { suppressed[$0] } }
        var parent = Array(0..<table.cellCount)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        for line in lines {
            let hidden = line.filter { suppressed[$0] }
            guard let first = hidden.first else { continue }
            for other in hidden.dropFirst() { parent[find(other)] = find(first) }
        }
        groupOf = Array(repeating: nil, count: table.cellCount)
        columnOf = Array(repeating: -1, count: table.cellCount)
        for cell in 0..<table.cellCount where suppressed[cell] {
            let root = find(cell)
            groupOf[cell] = root
            columnOf[cell] = members[root, default: []].count
            members[root, default: []].append(cell)
        }
    }

    func group(of cell: Int) -> Int? { groupOf[cell] }
    func column(of cell: Int) -> Int { columnOf[cell] }

    /// The intruder's programme for one group: a column per suppressed cell (its value, ≥ 0, in
    /// units of 10^-scale), a row per line through the group with the published cells moved right.
    func program(_ group: Int) -> LinearProgram {
        let cells = members[group] ?? []
        var program = LinearProgram(columns: cells.count)
        for line in lines where line.contains(where: { groupOf[$0] == group }) {
            var entries: [(column: Int, coefficient: Double)] = []
            var published: Int128 = 0  // exact, converted once
            for (index, cell) in line.enumerated() {
                let coefficient = TableLines.coefficient(index, length: line.count)
                if suppressed[cell] {
                    entries.append((columnOf[cell], coefficient))
                } else {
                    published += coefficient > 0 ? table.values[cell] : -table.values[cell]
                }
            }
            program.addEquality(entries, equals: -Double(published))
        }
        return program
    }
}
