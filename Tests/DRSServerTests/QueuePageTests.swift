import DRSApplication
import DRSStorage
import Fluent
import Foundation
import Testing

/// A queue's page read from the nearer end, or from the region that holds it (`queuePage`), is the
/// same slice of the queue as the plain walk, for every place and size; the walk limit is set low here
/// so the small queue takes every road the nation's does.
@Suite("Queue pages from the region that holds them", .serialized)
struct QueuePageTests {
    @Test func everyPageIsTheSliceOfTheWholeQueue() async throws {
        try await TestPlatform.withSession { session in
            let store = session.submissionStore()
            let run = UUID().uuidString.prefix(8)
            let head = SurveyUnit(creditCode: "Q\(run)H", name: "总部", regionCode: "110000", types: ["centralEnterprise"])
            try await head.create(on: session.db)
            let headID = try head.requireID()
            // Four regions of different sizes; two units share a name; units with one form or two.
            let layout: [(region: String, name: String, forms: [String])] = [
                ("110000", "甲", ["E1", "E5"]), ("110000", "乙", ["E5"]), ("310000", "丙", ["E1", "E5"]), ("310000", "丙", ["E5"]),
                ("310000", "丁", ["E1"]), ("440000", "戊", ["E5"]), ("650000", "己", ["E1", "E5"]), ("650000", "庚", ["E5"]),
            ]
            var requests: [SubmissionStore.ImportRequest] = []
            for (n, entry) in layout.enumerated() {
                let unit = SurveyUnit(creditCode: "Q\(run)\(n)", name: entry.name, regionCode: entry.region, types: ["centralEnterprise"],
                                      parentID: headID)
                try await unit.create(on: session.db)
                for form in entry.forms {
                    requests.append(.init(unitID: try unit.requireID(), formID: form, year: 2026, cells: ["01:cur": "\(n)"], explanations: [:],
                                          answers: nil, status: .submitted, source: "t"))
                }
            }
            _ = try await store.importSubmissions(requests, actor: Actor(userID: nil, username: "test", address: "-"))
            let query = QueueQuery(year: 2026, forms: ["E1", "E5"], statuses: [.submitted], units: .subsidiaries(of: headID))
            let whole = try await store.queueRows(query).map(\.head.id)
            #expect(whole.count == requests.count)
            #expect(try await store.queueRegionCounts(query).map { "\($0.region) \($0.count)" } == ["110000 3", "310000 4", "440000 1", "650000 3"])
            // A group's queue is counted by region on the way (`queueSize`); the page may take those counts.
            let size = try await store.queueSize(query)
            #expect(size.total == whole.count && size.regions?.count == 4)
            for walkLimit in [0, 1, 100] {
                for limit in 1...4 {
                    for offset in 0..<whole.count {
                        let expected = Array(whole[offset..<min(offset + limit, whole.count)])
                        let page = try await store.queuePage(query, offset: offset, limit: limit, total: whole.count, walkLimit: walkLimit,
                                                             countRegions: true)
                        #expect(page.map(\.head.id) == expected, "offset \(offset), limit \(limit), walk limit \(walkLimit)")
                        let counted = try await store.queuePage(query, offset: offset, limit: limit, total: size.total, regions: size.regions,
                                                                walkLimit: walkLimit)
                        #expect(counted.map(\.head.id) == expected, "counted: offset \(offset), limit \(limit), walk limit \(walkLimit)")
                        let walked = try await store.queuePage(query, offset: offset, limit: limit, total: whole.count, walkLimit: walkLimit,
                                                               countRegions: false)
                        #expect(walked.map(\.head.id) == expected, "walked: offset \(offset), limit \(limit), walk limit \(walkLimit)")
                    }
                }
            }
        }
    }
}
