import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// Blank is not zero, at every step that vouches for the figures: 提交 refuses a form with blank
/// required cells and lists them; 审核通过 and 核定 refuse one too (a form submitted under an older
/// catalog, or loaded by an import, can reach a reviewer incomplete).
@Suite("Completeness at submission and review", .serialized)
struct CompletenessRefusalTests {
    @Test func anEmptyOrPartFilledFormIsRefusedWithItsBlankCells() async throws {
        try await TestPlatform.run { app in
            var filer = Client(app)
            try await filer.login("beijing-data")
            let path = filer.submissionPath("P2")
            // A draft with three figures that pass every rule: the checks are clean, the form is not complete.
            var reply = try await filer.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"200"},"02":{"cum":"80"},"03":{"cum":"50"}}}"#)
            let report = try #require(reply.json["report"] as? [String: Any])
            #expect((report["errors"] as? [Any])?.isEmpty == true)
            let missing = try #require(report["missing"] as? [[String: Any]])
            #expect(!missing.isEmpty && report["blocksSubmission"] as? Bool == true)
            #expect(!missing.contains { $0["key"] as? String == "01:cum" })
            #expect(missing.contains { $0["key"] as? String == "04:cum" && ($0["message"] as? String)?.hasSuffix("尚未填写") == true })

            reply = try await filer.send(.POST, path + "/submit", json: #"{"version":1}"#)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorCode == "has_errors")
            #expect(reply.errorMessage?.contains("\(missing.count)个必填单元格未填写") == true, "\(reply.errorMessage ?? "")")
            let details = (reply.json["error"] as? [String: Any])?["details"] as? [String: Any]
            #expect(((details?["report"] as? [String: Any])?["missing"] as? [Any])?.count == missing.count)
        }
    }

    @Test func approvalAndVerificationRefuseAnIncompleteSubmission() async throws {
        try await TestPlatform.run { app in
            var filer = Client(app)
            try await filer.login("beijing-data")
            let unitID = try #require(filer.unitID)
            _ = try await filer.send(.PUT, filer.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"200"}}}"#)
            // As if submitted under an earlier catalog that asked fewer cells.
            let stored = try #require(try await Submission.query(on: app.db).filter(\.$formID == "P2").filter(\.$year == 2026)
                .filter(\.$unit.$id == UUID(uuidString: unitID) ?? UUID()).first())
            stored.status = .submitted
            try await stored.save(on: app.db)

            var reviewer = Client(app)
            try await reviewer.login("review-beijing")
            let reply = try await reviewer.send(.POST, reviewer.submissionPath("P2", unit: unitID) + "/approve", json: #"{"version":\#(stored.version)}"#)
            #expect(reply.status == .unprocessableEntity, "\(reply.text)")
            #expect(reply.errorCode == "incomplete")
            #expect(reply.errorMessage?.contains("不能审核通过，请退回填报单位补填") == true)
            let after = try await Submission.find(stored.id, on: app.db)
            #expect(after?.status == .submitted, "nothing written")
            // Returning it is what the reviewer can do.
            let returned = try await reviewer.send(.POST, reviewer.submissionPath("P2", unit: unitID) + "/return",
                                                   json: #"{"version":\#(stored.version),"reason":"请补填空白单元格"}"#)
            #expect(returned.status == .ok, "\(returned.text)")
        }
    }
}
