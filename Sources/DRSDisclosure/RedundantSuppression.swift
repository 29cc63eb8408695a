/// The perturbation that proves one direction of one primary cell's protection.
struct Witness {
    var cell: Int
    var change: Double
    var cells: [Int]
}

/// Every primary cell's witnesses, and which witnesses use a cell.
struct Witnesses {
    private(set) var all: [Witness] = []
    private var usedBy: [Int: Set<Int>] = [:]

    mutating func record(_ witnesses: [Witness]) {
        for witness in witnesses { add(witness) }
    }

    private mutating func add(_ witness: Witness) {
        let index = all.count
        all.append(witness)
        for cell in witness.cells { usedBy[cell, default: []].insert(index) }
    }

    /// The witnesses that use a cell.
    func using(_ cell: Int) -> [Int] { usedBy[cell].map { Array($0).sorted() } ?? [] }

    mutating func replace(_ index: Int, cells: [Int]) {
        for cell in all[index].cells { usedBy[cell]?.remove(index) }
        all[index].cells = cells
        for cell in cells { usedBy[cell, default: []].insert(index) }
    }
}

extension SecondarySuppression {
    /// Greedy choices made early can be redundant once later cells are suppressed. Each secondary
    /// cell, most expensive first, is published again when every witness that used it can be
    /// replaced by a perturbation over the cells still suppressed; the pattern stays proved.
    func pruneRedundant(_ state: inout SuppressionState, _ witnesses: inout Witnesses, programmes: inout Int) {
        let secondary = (0..<state.table.cellCount).filter { state.suppressed[$0] && !state.sensitivity[$0].isPrimary }
            .sorted { (state.weights[$0], $1) > (state.weights[$1], $0) }
        for candidate in secondary {
            var replacements: [(Int, [Int])] = []
            let stillSuppressed = state.suppressed
            var possible = true
            let usable: (Int) -> Bool = { stillSuppressed[$0] && $0 != candidate }
            for index in witnesses.using(candidate) {
                let witness = witnesses.all[index]
                let change = abs(witness.change)
                if let box = HypercubeWitness(state: state).find(for: witness.cell, up: witness.change > 0 ? change : 0,
                                                                 down: witness.change < 0 ? change : 0, usable: usable) {
                    replacements.append((index, box))
                    continue
                }
                let codes = replacementCodes(state, around: witness)
                programmes += 1
                let program = PerturbationProgram(state: state, cell: witness.cell, change: witness.change, codes: codes,
                                                  allowed: usable)
                guard let found = solve(program) else { possible = false; break }
                replacements.append((index, found.touched))
            }
            guard possible else { continue }
            state.publish(candidate)
            for (index, cells) in replacements { witnesses.replace(index, cells: cells) }
        }
    }

    /// Per dimension, where a replacement perturbation is looked for: the codes of the old one, the
    /// total, and the cell's neighbourhood (only suppressed cells may carry it).
    private func replacementCodes(_ state: SuppressionState, around witness: Witness) -> [[Int]] {
        if state.table.cellCount <= neighbourhoodCells { return state.table.shape.map { Array(0..<$0) } }
        var codes = state.neighbourhood(of: witness.cell, cells: neighbourhoodCells).map(Set.init)
        for cell in witness.cells {
            for (d, index) in state.table.position(of: cell).enumerated() { codes[d].insert(index) }
        }
        return codes.map { $0.sorted() }
    }
}
