import Foundation
import Testing
import Vapor

/// Issue #11, finding 4: the scope check compared provinces only. A Beijing reviewer could open,
/// approve and return the public-security channel's 公共5表 (公安部 is in Beijing), and saw a central
/// enterprise's subsidiaries through the group's consolidation (中国移动 is in Beijing too).
@Suite("Scope leak: channel and group", .serialized)
struct ScopeLeakTests {
    @Test func aProvincialReviewerCannotReviewThePublicSecurityChannel() async throws {
        try await TestPlatform.run { app in
            var police = Client(app), reviewer = Client(app), admin = Client(app)
            try await police.login("police")
            try await reviewer.login("review-beijing")
            try await admin.login("admin")
            try await fillAndSubmit(&police, "P5")
            let p5 = police.submissionPath("P5")
            let v = try await version(&police, p5)
            let mps = police.unitID!

            #expect(try await reviewer.send(.GET, p5).status == .notFound)
            #expect(try await reviewer.send(.GET, p5 + "/review").status == .notFound)
            #expect(try await reviewer.send(.GET, "/review/units/\(mps)/2026/P5").status == .notFound)
            #expect(try await reviewer.send(.GET, "/units/\(mps)/2026/P5").status == .notFound)
            #expect(try await reviewer.send(.GET, "/api/v1/units/\(mps)/forms/2026").status == .notFound)
            #expect(try await reviewer.send(.POST, p5 + "/approve", json: #"{"version":\#(v)}"#).status == .notFound)
            #expect(try await reviewer.send(.POST, p5 + "/return", json: #"{"version":\#(v),"reason":"越权退回"}"#).status == .notFound)
            let queue = try await reviewer.send(.GET, "/api/v1/review/queue?year=2026").json["items"] as? [[String: Any]] ?? []
            #expect(!queue.contains { $0["form"] as? String == "P5" })
            let progress = try await reviewer.send(.GET, "/api/v1/progress?year=2026").json
            #expect(!((progress["rows"] as? [[String: Any]]) ?? []).contains { $0["form"] as? String == "P5" })

            // Still submitted, untouched; the national office reviews it.
            #expect(try await version(&police, p5) == v)
            #expect(try await admin.send(.POST, p5 + "/verify", json: #"{"version":\#(v)}"#).status == .ok)
        }
    }

    @Test func aProvincialReviewerDoesNotSeeAGroupThroughItsConsolidation() async throws {
        try await TestPlatform.run { app in
            var hq = Client(app), reviewer = Client(app), gdReviewer = Client(app), gdSub = Client(app)
            try await hq.login("cmcc-hq")
            try await reviewer.login("review-beijing")
            try await gdReviewer.login("review-guangdong")
            try await gdSub.login("cmcc-gd")
            let group = hq.unitID!, subsidiary = gdSub.unitID!
            #expect(try await hq.send(.GET, "/api/v1/units/\(group)/consolidation/2026/E2").status == .ok)

            let api = try await reviewer.send(.GET, "/api/v1/units/\(group)/consolidation/2026/E2")
            #expect(api.status == .notFound)
            #expect(!api.text.contains("中国移动通信集团广东有限公司"))
            let page = try await reviewer.send(.GET, "/units/\(group)/2026/E2/consolidation")
            #expect(page.status == .notFound)
            #expect(!page.text.contains("中国移动通信集团广东有限公司"))
            #expect(try await reviewer.send(.GET, hq.submissionPath("E2")).status == .notFound)
            #expect(try await reviewer.send(.GET, "/api/v1/units/\(group)/forms/2026").status == .notFound)
            // The subsidiary's own province sees it neither: the group reviews it.
            #expect(try await gdReviewer.send(.GET, gdSub.submissionPath("E2")).status == .notFound)
            let progress = try await gdReviewer.send(.GET, "/api/v1/progress?year=2026").text
            #expect(!progress.contains("中国移动通信集团广东有限公司"))
            #expect(!progress.contains("cmcc-gd"))
            #expect(subsidiary != group)
        }
    }
}
