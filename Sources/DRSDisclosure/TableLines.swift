/// The additivity of a table with marginals: along every dimension, each line of cells sums to its
/// total (inner cells with coefficient +1, the total with −1, the sum 0). These equations, with
/// non-negative values, are everything an intruder knows besides the published cells.
struct TableLines {
    let shape: [Int]
    let strides: [Int]

    init(shape: [Int]) {
        self.shape = shape
        var strides = Array(repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        self.strides = strides
    }

    /// Every line of the table: its cells in order, the last being the total.
    func all() -> [[Int]] {
        var lines: [[Int]] = []
        let cellCount = shape.reduce(1, *)
        for d in shape.indices {
            for cell in 0..<cellCount where cell / strides[d] % shape[d] == 0 {
                lines.append((0..<shape[d]).map { cell + $0 * strides[d] })
            }
        }
        return lines
    }

    /// The coefficient of position `index` in a line of length `length`.
    static func coefficient(_ index: Int, length: Int) -> Double { index == length - 1 ? -1 : 1 }
}
