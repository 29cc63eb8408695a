/// Deterministic input of the national group-by benchmark, the same shape as `peers.py groupby`:
/// records with a province (0..<32) and a respondent type (0..<10), grouped by province × type
/// (320 groups), and columns of whole numbers 0..<10,000,000 (fixed-point values, read as millionths).
/// The same seed always gives the same data; the figures differ from NumPy's generator, the shape does not.
public struct SyntheticAggregateInput: Sendable {
    public static let provinces = 32
    public static let respondentTypes = 10

    public let batch: ColumnBatch
    public let province: [Int32]
    public let respondentType: [Int32]
    /// `province × 10 + respondentType`, the group of each record.
    public let groups: [Int32]
    public var groupCount: Int { Self.provinces * Self.respondentTypes }
    public var records: Int { batch.count }

    /// Cell additions one grouped sum of this input performs (records × columns).
    public var cellAdditions: Int { batch.count * batch.columns.count }

    public init(records: Int = 1_000_000, columns: Int = 100, seed: UInt64 = 7) {
        var random = SampleSubmissions.Generator(seed: seed)
        var province = [Int32](repeating: 0, count: records)
        var type = [Int32](repeating: 0, count: records)
        var groups = [Int32](repeating: 0, count: records)
        for i in 0..<records {
            let p = Int32(truncatingIfNeeded: random.next() % UInt64(Self.provinces))
            let t = Int32(truncatingIfNeeded: random.next() % UInt64(Self.respondentTypes))
            province[i] = p
            type[i] = t
            groups[i] = p * Int32(Self.respondentTypes) + t
        }
        var batch = ColumnBatch(count: records)
        for c in 0..<columns {
            var column = [Int64](repeating: 0, count: records)
            for i in 0..<records { column[i] = Int64(truncatingIfNeeded: random.next() % 10_000_000) }
            batch.addColumn("c" + String(1000 + c).dropFirst(), millionths: column)
        }
        self.batch = batch
        self.province = province
        self.respondentType = type
        self.groups = groups
    }
}
