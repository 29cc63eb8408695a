/// Per-group sums of many columns: the inner loop of a national tabulation (e.g. 1,000,000 records ×
/// 100 columns by province × respondent type).
///
/// Exactness: every column is summed with 64-bit additions only over runs of records short enough that
/// `run length × the column's largest magnitude ≤ Int64.max` — so no partial sum can overflow — and the
/// partial sums are carried into 128-bit totals between runs. A column whose largest magnitude leaves
/// runs too short to pay off is summed in 128 bits directly. A 128-bit total of 64-bit values cannot
/// overflow for fewer than 2^64 records, so no result is ever wrapped.
///
/// Speed: the loop walks the columns (column-major, as NumPy and DuckDB do) several at a time, so the
/// group index is read once per pass; the accumulators of a pass (groups × columns per pass) stay in
/// the L1 cache.
public enum GroupedSum {
    /// Columns summed together in one pass over the records.
    static let columnsPerPass = 8
    /// Below this many records per provably safe 64-bit run, sum in 128 bits directly.
    static let minimumRun = 4096

    /// Sums every column of a batch by group. `groups[i]` is the group (0..<groupCount) of record `i`.
    /// Empty cells (the batch's presence bitmaps) are left out of sums and counts.
    public static func compute(_ batch: ColumnBatch, groups: [Int32], groupCount: Int) -> GroupedSums {
        compute(columns: batch.columns, presence: batch.presence, maxMagnitude: batch.maxMagnitude,
                groups: groups, groupCount: groupCount)
    }

    /// Sums columns of 64-bit integers by group.
    ///
    /// - Parameters:
    ///   - columns: equal-length columns (millionths for survey figures; any fixed-point unit works).
    ///   - presence: per column, one bit per record set when the cell is filled (bit `i & 63` of word
    ///     `i >> 6`, as `ColumnBatch` stores it), or nil when every cell is filled.
    ///   - maxMagnitude: per column, an upper bound of `|value|` (`ColumnBatch.maxMagnitude`); computed
    ///     here when nil. A wrong bound would break the overflow proof, so it must be a true bound.
    ///   - groups: the group of each record, in `0..<groupCount` (checked).
    public static func compute(columns: [[Int64]], presence: [[UInt64]?]? = nil, maxMagnitude: [Int64]? = nil,
                               groups: [Int32], groupCount: Int) -> GroupedSums {
        let n = groups.count
        precondition(groupCount >= 0, "negative group count")
        precondition(columns.allSatisfy { $0.count == n }, "a column's length differs from the group index")
        precondition(presence == nil || presence!.count == columns.count, "presence given for a different number of columns")
        precondition(maxMagnitude == nil || maxMagnitude!.count == columns.count, "bounds given for a different number of columns")
        checkGroups(groups, groupCount: groupCount)
        let bounds = maxMagnitude ?? columns.map(largestMagnitude)
        let sizes = groupSizes(groups, groupCount: groupCount)

        var sums = [Int128](repeating: 0, count: columns.count * groupCount)
        var counts = [Int](repeating: 0, count: columns.count * groupCount)

        // Sort the columns into the three ways of summing them.
        var dense: [Int] = [], masked: [Int] = [], wide: [Int] = []
        for c in columns.indices {
            let run = safeRun(bound: bounds[c], records: n)
            if run < min(n, minimumRun) { wide.append(c) }
            else if presence?[c] != nil { masked.append(c) }
            else { dense.append(c) }
            if presence?[c] == nil {
                for g in 0..<groupCount { counts[c * groupCount + g] = sizes[g] }
            }
        }

        sums.withUnsafeMutableBufferPointer { sumsOut in
            counts.withUnsafeMutableBufferPointer { countsOut in
                groups.withUnsafeBufferPointer { groupIndex in
                    var start = 0
                    while start < dense.count {
                        let pass = Array(dense[start..<min(start + columnsPerPass, dense.count)])
                        // The pass may run in 64 bits as long as its least tolerant column allows.
                        let run = pass.map { safeRun(bound: bounds[$0], records: n) }.min() ?? 1
                        withColumnPointers(columns, pass) { pointers in
                            sumDense(pointers, pass, groupIndex, groupCount, run: run, into: sumsOut)
                        }
                        start += columnsPerPass
                    }
                    for c in masked {
                        columns[c].withUnsafeBufferPointer { values in
                            presence![c]!.withUnsafeBufferPointer { bits in
                                sumMasked(values, bits, groupIndex, groupCount, run: safeRun(bound: bounds[c], records: n),
                                          sums: sumsOut.baseAddress! + c * groupCount, counts: countsOut.baseAddress! + c * groupCount)
                            }
                        }
                    }
                    for c in wide {
                        columns[c].withUnsafeBufferPointer { values in
                            sumWide(values, presence?[c], groupIndex, groupCount,
                                    sums: sumsOut.baseAddress! + c * groupCount, counts: countsOut.baseAddress! + c * groupCount)
                        }
                    }
                }
            }
        }
        return GroupedSums(groupCount: groupCount, columnCount: columns.count, sums: sums, counts: counts)
    }

    /// The same sums computed by `tasks` concurrent tasks, each taking a share of the columns (so no
    /// two tasks touch the same total and no merging is needed). Same result as `compute`.
    public static func computeConcurrently(_ batch: ColumnBatch, groups: [Int32], groupCount: Int,
                                           tasks: Int = 2) async -> GroupedSums {
        let columns = batch.columns, presence = batch.presence, bounds = batch.maxMagnitude
        let parts = max(1, min(tasks, columns.count))
        if parts == 1 { return compute(batch, groups: groups, groupCount: groupCount) }
        let shares = (0..<parts).map { p in (columns.count * p / parts)..<(columns.count * (p + 1) / parts) }
        let results = await withTaskGroup(of: (Int, GroupedSums).self) { taskGroup in
            for (p, share) in shares.enumerated() {
                taskGroup.addTask {
                    (p, compute(columns: Array(columns[share]), presence: Array(presence[share]), maxMagnitude: Array(bounds[share]),
                                groups: groups, groupCount: groupCount))
                }
            }
            var found: [(Int, GroupedSums)] = []
            for await r in taskGroup { found.append(r) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return GroupedSums(groupCount: groupCount, columnCount: columns.count,
                           sums: results.flatMap(\.sums), counts: results.flatMap(\.counts))
    }

    // MARK: - Proofs and small passes

    /// Records per run whose 64-bit partial sum provably fits: `run × bound ≤ Int64.max`.
    static func safeRun(bound: Int64, records: Int) -> Int {
        if bound <= 0 { return max(records, 1) }
        return Int(min(Int64(records), Int64.max / bound))
    }

    static func largestMagnitude(_ column: [Int64]) -> Int64 {
        var largest: UInt64 = 0
        for v in column { largest = max(largest, v.magnitude) }
        // |Int64.min| does not fit: treat it as Int64.max, which still forces the 128-bit path.
        return Int64(clamping: largest)
    }

    /// Traps on a group outside 0..<groupCount: a wrong index would otherwise write out of bounds.
    static func checkGroups(_ groups: [Int32], groupCount: Int) {
        var low = Int32.max, high = Int32.min
        for g in groups {
            low = min(low, g)
            high = max(high, g)
        }
        precondition(groups.isEmpty || (low >= 0 && Int(high) < groupCount), "group index out of range 0..<\(groupCount)")
    }

    static func groupSizes(_ groups: [Int32], groupCount: Int) -> [Int] {
        var sizes = [Int](repeating: 0, count: groupCount)
        sizes.withUnsafeMutableBufferPointer { s in
            for g in groups { s[Int(g)] &+= 1 }
        }
        return sizes
    }

    /// Calls `body` with base pointers of the chosen columns, kept valid for the call.
    static func withColumnPointers<R>(_ columns: [[Int64]], _ chosen: [Int],
                                      _ body: ([UnsafePointer<Int64>]) -> R) -> R {
        func nest(_ k: Int, _ acquired: [UnsafePointer<Int64>]) -> R {
            if k == chosen.count { return body(acquired) }
            return columns[chosen[k]].withUnsafeBufferPointer { p in
                // An empty column has no base address; it is never read (zero records).
                nest(k + 1, acquired + [p.baseAddress ?? UnsafePointer(bitPattern: 8)!])
            }
        }
        return nest(0, [])
    }

    // MARK: - Kernels

    /// Up to `columnsPerPass` filled columns in one pass: per record, one group load and one add per
    /// column into accumulators laid out group-major (`acc[g * width + k]`), so a record's adds touch a
    /// single cache line. Partial sums are carried into 128 bits every `run` records.
    static func sumDense(_ pointers: [UnsafePointer<Int64>], _ chosen: [Int], _ groupIndex: UnsafeBufferPointer<Int32>,
                         _ groupCount: Int, run: Int, into sums: UnsafeMutableBufferPointer<Int128>) {
        let n = groupIndex.count
        let width = pointers.count
        let acc = UnsafeMutablePointer<Int64>.allocate(capacity: max(1, groupCount * width))
        defer { acc.deallocate() }
        let g32 = groupIndex.baseAddress
        var start = 0
        while start < n {
            let end = min(n, start + run)
            acc.initialize(repeating: 0, count: groupCount * width)
            if let g32 {
                switch width {
                case 8: pass8(pointers, g32, acc, start, end)
                case 4...7:
                    pass4(pointers[0], pointers[1], pointers[2], pointers[3], g32, acc, width, 0, start, end)
                    for k in 4..<width { pass1(pointers[k], g32, acc, width, k, start, end) }
                default:
                    for k in 0..<width { pass1(pointers[k], g32, acc, width, k, start, end) }
                }
            }
            for (k, c) in chosen.enumerated() {
                for g in 0..<groupCount { sums[c * groupCount + g] &+= Int128(acc[g * width + k]) }
            }
            start = end
        }
    }

    @inline(__always)
    static func pass8(_ p: [UnsafePointer<Int64>], _ g32: UnsafePointer<Int32>, _ acc: UnsafeMutablePointer<Int64>,
                      _ start: Int, _ end: Int) {
        let p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5], p6 = p[6], p7 = p[7]
        for i in start..<end {
            let a = acc + Int(truncatingIfNeeded: g32[i]) &* 8
            a[0] &+= p0[i]; a[1] &+= p1[i]; a[2] &+= p2[i]; a[3] &+= p3[i]
            a[4] &+= p4[i]; a[5] &+= p5[i]; a[6] &+= p6[i]; a[7] &+= p7[i]
        }
    }

    @inline(__always)
    static func pass4(_ p0: UnsafePointer<Int64>, _ p1: UnsafePointer<Int64>, _ p2: UnsafePointer<Int64>, _ p3: UnsafePointer<Int64>,
                      _ g32: UnsafePointer<Int32>, _ acc: UnsafeMutablePointer<Int64>, _ width: Int, _ offset: Int,
                      _ start: Int, _ end: Int) {
        for i in start..<end {
            let a = acc + (Int(truncatingIfNeeded: g32[i]) &* width &+ offset)
            a[0] &+= p0[i]; a[1] &+= p1[i]; a[2] &+= p2[i]; a[3] &+= p3[i]
        }
    }

    @inline(__always)
    static func pass1(_ p: UnsafePointer<Int64>, _ g32: UnsafePointer<Int32>, _ acc: UnsafeMutablePointer<Int64>,
                      _ width: Int, _ offset: Int, _ start: Int, _ end: Int) {
        for i in start..<end {
            acc[Int(truncatingIfNeeded: g32[i]) &* width &+ offset] &+= p[i]
        }
    }

    /// One column with empty cells: branch-free, an empty cell adds `value & 0` and counts 0.
    static func sumMasked(_ values: UnsafeBufferPointer<Int64>, _ bits: UnsafeBufferPointer<UInt64>,
                          _ groupIndex: UnsafeBufferPointer<Int32>, _ groupCount: Int, run: Int,
                          sums: UnsafeMutablePointer<Int128>, counts: UnsafeMutablePointer<Int>) {
        let n = groupIndex.count
        guard n > 0, let v = values.baseAddress, let b = bits.baseAddress, let g32 = groupIndex.baseAddress else { return }
        let acc = UnsafeMutablePointer<Int64>.allocate(capacity: groupCount * 2)
        defer { acc.deallocate() }
        var start = 0
        while start < n {
            let end = min(n, start + run)
            acc.initialize(repeating: 0, count: groupCount * 2)
            for i in start..<end {
                let filled = Int64(truncatingIfNeeded: (b[i &>> 6] &>> UInt64(truncatingIfNeeded: i & 63)) & 1)
                let a = acc + Int(truncatingIfNeeded: g32[i]) &* 2
                a[0] &+= v[i] & (0 &- filled)
                a[1] &+= filled
            }
            for g in 0..<groupCount {
                sums[g] &+= Int128(acc[g * 2])
                counts[g] &+= Int(acc[g * 2 + 1])
            }
            start = end
        }
    }

    /// One column whose magnitudes leave no useful 64-bit run: 128-bit additions throughout.
    static func sumWide(_ values: UnsafeBufferPointer<Int64>, _ bits: [UInt64]?, _ groupIndex: UnsafeBufferPointer<Int32>,
                        _ groupCount: Int, sums: UnsafeMutablePointer<Int128>, counts: UnsafeMutablePointer<Int>) {
        for i in 0..<groupIndex.count {
            let g = Int(groupIndex[i])
            if let bits {
                guard bits[i >> 6] & (1 << UInt64(i & 63)) != 0 else { continue }
                counts[g] += 1
            }
            // At most 2^63 per record: a 128-bit total of fewer than 2^64 records cannot overflow.
            sums[g] &+= Int128(values[i])
        }
    }
}

/// The result of `GroupedSum`: per column and group, the exact sum and the number of filled cells.
public struct GroupedSums: Sendable, Equatable {
    public let groupCount: Int
    public let columnCount: Int
    /// `sums[column * groupCount + group]`, in the columns' own units (millionths for a `ColumnBatch`).
    public let sums: [Int128]
    /// `counts[column * groupCount + group]`: records of the group whose cell in the column is filled.
    public let counts: [Int]

    public init(groupCount: Int, columnCount: Int, sums: [Int128], counts: [Int]) {
        precondition(sums.count == groupCount * columnCount && counts.count == sums.count, "shape mismatch")
        self.groupCount = groupCount
        self.columnCount = columnCount
        self.sums = sums
        self.counts = counts
    }

    public func sum(column: Int, group: Int) -> Int128 { sums[column * groupCount + group] }
    public func count(column: Int, group: Int) -> Int { counts[column * groupCount + group] }
}
