import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// 批量审核通过 from the review queue: only clean submissions are approved, each as the single
/// approval is (same access decision, audited); the others are refused with their reason.
@Suite("Bulk approval", .serialized)
struct BulkApprovalTests {
    /// Fills and submits a form as its filer; the unit's id.
    static func submitted(_ app: Application, _ username: String, _ form: String) async throws -> String {
        var filer = Client(app)
        try await filer.login(username)
        _ = try await fillAndSubmit(&filer, form)
        return try #require(filer.unitID)
    }

    static func status(_ client: inout Client, _ unit: String, _ form: String) async throws -> String? {
        (try await client.send(.GET, client.submissionPath(form, unit: unit)).json["submission"] as? [String: Any])?["status"] as? String
    }

    static func form(_ items: [String], token: String?) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        var pairs = items.map { "items%5B%5D=" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) }
        if let token { pairs.append("_csrf=" + token) }
        return pairs.joined(separator: "&")
    }

    @Test func onlyCleanSubmissionsAreApprovedEachAudited() async throws {
        try await TestPlatform.run { app in
            let lab = try await Self.submitted(app, "lab", "P3")
            let beijing = try await Self.submitted(app, "beijing-data", "P2")
            let sdc = try await Self.submitted(app, "sdc", "P4")
            // A submitted form whose stored figures no longer pass (a negative 本年实际): not clean.
            let sdcID = try #require(UUID(uuidString: sdc))
            let dirty = try #require(try await Submission.query(on: app.db).filter(\.$unit.$id == sdcID)
                .filter(\.$formID == "P4").filter(\.$year == 2026).first())
            var cells = SubmissionStore.decode(dirty.cells)
            cells["01:cur"] = "-5"
            dirty.cells = SubmissionStore.encode(cells)
            // A change of figures moves the version, as every write does (the submission's stored
            // check, kept when it was submitted, is then out of date).
            dirty.version += 1
            try await dirty.save(on: app.db)

            var reviewer = try await PagesTests.browserLogin(app, "review-beijing")
            let queue = try await reviewer.send(.GET, "/review")
            #expect(queue.text.contains("value=\"\(lab)/2026/P3\" class=\"bulk-select\" data-clean=\"true\""))
            #expect(queue.text.contains("value=\"\(sdc)/2026/P4\" class=\"bulk-select\" data-clean=\"false\""))
            let items = ["\(lab)/2026/P3", "\(beijing)/2026/P2", "\(sdc)/2026/P4"]

            // CSRF: without the token nothing happens.
            let forged = try await reviewer.send(.POST, "/review/bulk-approve", json: Self.form(items, token: nil), csrf: false,
                                                 contentType: .urlEncodedForm)
            #expect(forged.status == .forbidden)
            #expect(try await Self.status(&reviewer, lab, "P3") == "submitted")

            // A respondent may not approve at all.
            var filer = try await PagesTests.browserLogin(app, "lab")
            let refused = try await filer.send(.POST, "/review/bulk-approve", json: Self.form(items, token: filer.csrf), csrf: false,
                                               contentType: .urlEncodedForm)
            #expect(refused.status == .forbidden)

            // Another province's reviewer: each is refused as outside its scope.
            var guangdong = try await PagesTests.browserLogin(app, "review-guangdong")
            let outside = try await guangdong.send(.POST, "/review/bulk-approve", json: Self.form(items, token: guangdong.csrf), csrf: false,
                                                   contentType: .urlEncodedForm)
            #expect(outside.status == .ok)
            #expect(outside.text.contains("完成 0 份，未完成 3 份"))
            #expect(try await Self.status(&reviewer, lab, "P3") == "submitted")

            let result = try await reviewer.send(.POST, "/review/bulk-approve", json: Self.form(items, token: reviewer.csrf), csrf: false,
                                                 contentType: .urlEncodedForm)
            #expect(result.status == .ok)
            #expect(result.text.contains("完成 2 份，未完成 1 份"), "\(result.text.prefix(2000))")
            #expect(result.text.contains("个错误未改正"))
            #expect(try await Self.status(&reviewer, lab, "P3") == "approved")
            #expect(try await Self.status(&reviewer, beijing, "P2") == "approved")
            #expect(try await Self.status(&reviewer, sdc, "P4") == "submitted")

            // Each approval is audited as the single approval is: the reviewer, 已提交 → 已通过, the step named.
            for (unit, form) in [(lab, "P3"), (beijing, "P2")] {
                let history = try await reviewer.send(.GET, reviewer.submissionPath(form, unit: unit) + "/history").json
                let events = try #require(history["events"] as? [[String: Any]])
                let approval = events.filter { $0["kind"] as? String == "statusChanged" && $0["new"] as? String == "approved" }
                #expect(approval.count == 1)
                #expect(approval.first?["username"] as? String == "review-beijing")
                #expect(approval.first?["old"] as? String == "submitted")
                #expect((approval.first?["detail"] as? String)?.hasPrefix("审核通过") == true)
            }

            // Approved ones are not approved twice, and a province cannot verify them.
            let again = try await reviewer.send(.POST, "/review/bulk-approve", json: Self.form([items[0]], token: reviewer.csrf), csrf: false,
                                                contentType: .urlEncodedForm)
            #expect(again.text.contains("完成 0 份，未完成 1 份"))
            #expect(try await Self.status(&reviewer, lab, "P3") == "approved")

            // The national office verifies the approved, clean ones in bulk (已通过 → 已核定), each audited.
            var office = try await PagesTests.browserLogin(app, "admin")
            let officeQueue = try await office.send(.GET, "/review?status=approved")
            #expect(officeQueue.text.contains("value=\"\(lab)/2026/P3\" class=\"bulk-select\" data-clean=\"true\" data-step=\"核定\""))
            let verified = try await office.send(.POST, "/review/bulk-approve", json: Self.form(Array(items.prefix(2)), token: office.csrf),
                                                 csrf: false, contentType: .urlEncodedForm)
            #expect(verified.text.contains("完成 2 份，未完成 0 份"), "\(verified.text.prefix(2000))")
            #expect(verified.text.contains("已核定"))
            #expect(try await Self.status(&reviewer, lab, "P3") == "verified")
            #expect(try await Self.status(&reviewer, beijing, "P2") == "verified")
            let history = try await office.send(.GET, office.submissionPath("P3", unit: lab) + "/history").json
            let events = try #require(history["events"] as? [[String: Any]])
            #expect(events.contains { $0["kind"] as? String == "statusChanged" && $0["new"] as? String == "verified" && $0["username"] as? String == "admin" })
        }
    }
}
