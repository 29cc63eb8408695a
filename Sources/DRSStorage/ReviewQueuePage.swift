import FluentKit
import Foundation
import SQLKit

/// Where a page of a queue starts its walk: the queue's first rows are its regions' (the order is
/// region, unit name, unit, form), so a page far from both ends starts at the region that holds it.
public enum RegionBound: Sendable, Equatable {
    /// Rows of this region and the ones after it.
    case from(String)
    /// Rows of this region and the ones before it.
    case through(String)
}

extension SubmissionStore {
    /// A page's rows read walking at most this many rows before it; a page farther from both ends
    /// first counts the queue by region.
    public static let pageWalkLimit = 10_000

    /// One page of a queue of `total` rows: `limit` rows after the first `offset`, in the queue's order.
    /// `OFFSET` walks every row it skips, so a page is read from the nearer end, and a page in the
    /// middle of a large queue from the region that holds it: one grouped count gives each region's
    /// rows, and the walk is then the page's place within its region (a province's submissions at
    /// most), from that region's nearer end. A walk past `walkLimit` rows costs more than that count.
    /// `regions`: the queue's rows per region when already counted (`queueSize`). `countRegions`: whether
    /// a page far from both ends counts them (by default where the database counts joins in bulk).
    public func queuePage(_ query: QueueQuery, offset: Int, limit: Int, total: Int, regions known: [(region: String, count: Int)]? = nil,
                          walkLimit: Int = pageWalkLimit, countRegions: Bool? = nil) async throws -> [QueueRow] {
        let toTheEnd = max(0, total - offset - limit)
        // Counts by region already at hand (a queue narrowed by type or flag, whose rows are sparse in
        // the units' order): the region's walk is never longer, so it is always taken. Otherwise the
        // count is worth it on PostgreSQL only: SQLite has no hash join, and its count of the nation by
        // region (1.3 s at 100,000 units) costs more than the walk it saves (0.76 s).
        if known == nil, min(offset, toTheEnd) <= walkLimit || !(countRegions ?? Self.countsJoinsInBulk(database)) {
            return offset <= toTheEnd
                ? try await queueRows(query, offset: offset, limit: limit)
                : try await queueRows(query, offset: toTheEnd, limit: min(limit, total - offset), fromTheEnd: true)
        }
        var counts = known ?? []
        if known == nil { counts = try await queueRegionCounts(query) }
        // Rows before the region holding the page's first row, and through the region holding its last.
        var before = 0, first: String?
        var through = 0, last: String?
        for (region, count) in counts {
            if first == nil, before + count > offset { first = region } else if first == nil { before += count }
            through += count
            if through >= offset + limit { last = region; break }
        }
        guard let first, let last, through <= total else {
            // The queue changed between the two counts: the plain walk is still right.
            return try await queueRows(query, offset: offset, limit: limit)
        }
        let forward = offset - before, backward = through - offset - limit
        // No bound where it would bound nothing (the first region onwards, or through the last): the
        // plain walk from that end is planned as well as it can be.
        return forward <= backward
            ? try await queueRows(query, offset: forward, limit: limit, regions: before == 0 ? nil : .from(first))
            : try await queueRows(query, offset: backward, limit: limit, fromTheEnd: true, regions: through == total ? nil : .through(last))
    }

    /// How many rows a queue has, and per region when that costs no more: a queue narrowed by the
    /// units' facts or the stored checks is counted over the join anyway, and grouping it by region
    /// on the way spares a page in its middle a second count.
    public func queueSize(_ query: QueueQuery) async throws -> (total: Int, regions: [(region: String, count: Int)]?) {
        if query.countsSubmissionsAlone { return (try await queueCount(query), nil) }
        let regions = try await queueRegionCounts(query)
        return (regions.reduce(0) { $0 + $1.count }, regions)
    }

    /// Whether the database counts a join of the nation in bulk (hash joins, parallel scans): not SQLite.
    static func countsJoinsInBulk(_ database: any Database) -> Bool {
        (database as? any SQLDatabase).map { $0.dialect.name != "sqlite" } ?? false
    }

    /// The queue's rows per region, in the queue's order of regions.
    public func queueRegionCounts(_ query: QueueQuery) async throws -> [(region: String, count: Int)] {
        guard let sql = database as? any SQLDatabase, let filter = queueFilter(query) else { return [] }
        return try await sql.raw("SELECT u.region_code AS r, COUNT(*) AS n \(filter) GROUP BY u.region_code ORDER BY u.region_code")
            .all().map { (try $0.decode(column: "r", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }
}
