import DRSCore
// TEMPORARY shim until DRSCore/Aggregation lands.
public struct AggregationRecord: Sendable { public var dimensions: [String: String]; public var values: CellValues; public init(dimensions: [String: String], values: CellValues) { self.dimensions = dimensions; self.values = values } }
struct ShimCell { var total: ExactDecimal? }
struct ShimGroup { var cells: [ShimCell] }
struct ShimTable { var groups: [ShimGroup] }
struct Aggregator {
    let form: CompiledForm
    func aggregate(_ records: [AggregationRecord], groupings: [[String]]) throws -> ShimTable {
        var cells = Array(repeating: ShimCell(total: nil), count: form.layout.count)
        for r in records { for s in 0..<form.layout.count { if let v = r.values[s] { cells[s].total = try (cells[s].total ?? .zero).adding(v) } } }
        return ShimTable(groups: [ShimGroup(cells: cells)])
    }
}
extension CompiledForm { func aggregationMethod(slot: Int) -> Aggregation.Method? { nil } }
