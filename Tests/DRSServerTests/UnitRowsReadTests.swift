@testable import DRSStorage
import Fluent
import Foundation
import Testing

/// Units read by id as plain rows (`SubmissionStore.units(ids:)`, a list page's registry entries)
/// are the units Fluent reads: every field, the time stamps to the microsecond (stored check results
/// are stamped with `updated_at`, so a difference would re-check every submission of every list),
/// and known to exist, so changing one updates its row.
@Suite("Units read by id as rows", .serialized)
struct UnitRowsReadTests {
    @Test func theSameUnitsFluentReadsAndTheyUpdateInPlace() async throws {
        try await TestPlatform.withSession { session in
            let run = UUID().uuidString.prefix(8)
            let head = SurveyUnit(creditCode: "H\(run)", name: "集团总部", regionCode: "110000", types: ["centralEnterprise"], stateOwned: true)
            try await head.create(on: session.db)
            let full = SurveyUnit(creditCode: "F\(run)", name: "子公司 \"引号\" 与 '撇号'", regionCode: "440300", address: "深圳市南山区",
                                  types: ["dataTechEnterprise", "dataApplicationEnterprise"], stateOwned: true, internetPlatform: true,
                                  telecomOperator: true, parentID: try head.requireID(), contact: "张三 13800000000")
            full.industryCode = "6510"
            try await full.create(on: session.db)
            let bare = SurveyUnit(creditCode: "B\(run)", name: "未分配行业", regionCode: "650000", types: ["researchInstitute"])
            try await bare.create(on: session.db)
            // An update moves `updated_at` past `created_at`, with microseconds.
            bare.contact = "李四"
            try await bare.update(on: session.db)

            let ids = [try head.requireID(), try full.requireID(), try bare.requireID()]
            let store = SubmissionStore(database: session.db, gate: nil)
            let rows = try await store.units(ids: ids + [UUID(), ids[0]])
            let fluent = try await SurveyUnit.query(on: session.db).filter(\.$id ~~ ids).all()
            #expect(rows.count == 3)
            for expected in fluent {
                let read = try #require(rows.first { $0.id == expected.id })
                #expect(read.creditCode == expected.creditCode)
                #expect(read.name == expected.name)
                #expect(read.regionCode == expected.regionCode)
                #expect(read.address == expected.address)
                #expect(read.types == expected.types)
                #expect(read.stateOwned == expected.stateOwned)
                #expect(read.internetPlatform == expected.internetPlatform)
                #expect(read.telecomOperator == expected.telecomOperator)
                #expect(read.$parent.id == expected.$parent.id)
                #expect(read.contact == expected.contact)
                #expect(read.industryCode == expected.industryCode)
                #expect(read.createdAt == expected.createdAt)
                #expect(read.updatedAt == expected.updatedAt)
                #expect(read.$id.exists)
            }
            #expect(rows.first { $0.id == ids[1] }?.$parent.id == ids[0])
            #expect(rows.first { $0.id == ids[1] }?.industryCode == "6510")
            #expect(rows.first { $0.id == ids[2] }?.industryCode == nil)

            let changed = try #require(rows.first { $0.id == ids[2] })
            changed.name = "已改名"
            try await changed.save(on: session.db)
            #expect(try await SurveyUnit.query(on: session.db).filter(\.$creditCode == "B\(run)").count() == 1)
            #expect(try await SurveyUnit.find(ids[2], on: session.db)?.name == "已改名")
            #expect(try await store.units(ids: []).isEmpty)
        }
    }
}
