/// A quick way to prove a primary cell protected without a linear programme: a hypercube of cells
/// already suppressed around it (a rectangle in two dimensions, a box in three).
///
/// Choosing, in every dimension, one other code for the cell gives 2^k corners. Moving the cell by t
/// and every corner by ±t — the sign flips with each dimension in which the corner took a sibling
/// code, and stays when it took the total (a total moves with its inner cells) — keeps every line
/// additive. So when every corner is suppressed and each corner that would go down can give way,
/// the box is a perturbation of the whole table, as good a proof as one a programme finds.
struct HypercubeWitness {
    let state: SuppressionState
    /// Corner combinations tried at most per cell.
    static let combinationLimit = 4_096

    /// A box of suppressed cells (`usable` says which may serve) proving a change of `up` and of
    /// `-down` (either may be zero: not needed); the corners, or nil.
    func find(for cell: Int, up: Double, down: Double, usable: (Int) -> Bool) -> [Int]? {
        let table = state.table
        let position = table.position(of: cell)
        var alternatives: [[Int]] = []
        for d in table.shape.indices {
            let total = table.shape[d] - 1
            let options = (0...total).filter { index in
                index != position[d] && usable(cell + (index - position[d]) * state.strides[d])
            }
            guard !options.isEmpty else { return nil }
            alternatives.append(options)
        }
        var tried = 0
        var choice = Array(repeating: 0, count: alternatives.count)
        while tried < Self.combinationLimit {
            tried += 1
            let codes = zip(alternatives, choice).map { $0[$1] }
            if let corners = corners(of: cell, position: position, alternatives: codes, up: up, down: down, usable: usable) {
                return corners
            }
            // Next combination (odometer order).
            var d = 0
            while d < choice.count {
                choice[d] += 1
                if choice[d] < alternatives[d].count { break }
                choice[d] = 0
                d += 1
            }
            if d == choice.count { return nil }
        }
        return nil
    }

    /// The corners of the box, when all of them can carry the changes.
    private func corners(of cell: Int, position: [Int], alternatives: [Int], up: Double, down: Double, usable: (Int) -> Bool) -> [Int]? {
        let table = state.table
        var corners: [Int] = []
        for mask in 0..<(1 << alternatives.count) {
            var corner = cell
            var sign = 1.0
            for d in alternatives.indices where mask >> d & 1 == 1 {
                corner += (alternatives[d] - position[d]) * state.strides[d]
                let total = table.shape[d] - 1
                if position[d] != total && alternatives[d] != total { sign = -sign }
            }
            if mask != 0 {
                guard usable(corner) else { return nil }
                let value = Double(table.values[corner])
                // Moving the cell up lowers the corners of sign −1; moving it down, those of sign +1.
                if sign < 0, value < up { return nil }
                if sign > 0, value < down { return nil }
            }
            corners.append(corner)
        }
        return corners
    }
}
