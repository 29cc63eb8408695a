import DRSOffice
import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// `protect=1` on the national office's aggregate and SDMX routes (统计法第二十八条): a province with a
/// single reporting unit is withheld, and every protected answer is recorded as a public release.
@Suite("Protected aggregates", .serialized)
struct ProtectedAggregateTests {
    /// The standard rules' fingerprint, as a release records it.
    static let standardFingerprint = ReleaseProtection().fingerprint

    @Test func aProtectedAggregateHidesASingleUnitProvince() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let query = "/api/v1/aggregate?year=2025&form=P2&by=province"

            // Unprotected (internal use): every province's figures, no footnote, nothing recorded.
            let plain = try await admin.send(.GET, query).json
            #expect(plain["footnote"] == nil)
            let plainGroups = try #require(plain["groups"] as? [[String: Any]])
            let single = try #require(plainGroups.first { $0["units"] as? Int == 1 }, "the demo has a province with one 公共2表")
            let key = try #require(single["key"] as? [String: String])
            let plainCells = try #require(single["cells"] as? [[String: Any]])
            #expect(plainCells.contains { $0["total"] is String && ($0["method"] as? String) == "sum" })
            #expect(try await DisclosureRelease.query(on: app.db).count() == 0)

            // Protected: that province's summed figures are withheld as primary, with the footnote.
            let protected = try await admin.send(.GET, query + "&protect=1")
            #expect(protected.status == .ok)
            #expect(protected.json["footnote"] as? String == AggregateSuppression.footnote)
            let groups = try #require(protected.json["groups"] as? [[String: Any]])
            let province = try #require(groups.first { ($0["key"] as? [String: String]) == key })
            for cell in try #require(province["cells"] as? [[String: Any]]) where cell["method"] as? String == "sum" {
                #expect(cell["total"] is NSNull, "\(cell["cell"] ?? "?") of a single unit is withheld")
                #expect(cell["suppressed"] as? String == "primary")
            }
            #expect(!protected.text.contains("P(10") && !protected.text.contains("FREQ"), "the rules are never published")

            // The CSV export for publication: x and the footnote.
            let csv = try await admin.send(.GET, query + "&protect=1&format=csv")
            #expect(csv.status == .ok)
            #expect(csv.text.contains(",x,"))
            #expect(csv.text.contains(AggregateSuppression.footnote))

            // SDMX: the province's observations are confidential, without a value.
            let region = try #require(key["province"])
            let xml = try await admin.send(.GET, "/api/v1/sdmx/data?year=2025&form=P2&by=province&protect=1").text
            let data = try #require(SDMXCollector.parse(xml))
            let hidden = data.series.indices.filter { data.series[$0]["REGION"] == region && data.series[$0]["INDICATOR"] == "P2_05" }
            #expect(!hidden.isEmpty)
            for index in hidden {
                #expect(data.observations[index]["CONF_STATUS"] == "C")
                #expect(data.observations[index]["OBS_VALUE"] == nil)
            }

            // Three releases (JSON, CSV, SDMX), each with the fingerprint and the maker; audit lines too.
            let releases = try await DisclosureRelease.query(on: app.db).all()
            #expect(releases.count == 3)
            for release in releases {
                #expect(release.destination == "public")
                #expect(release.rulesFingerprint == Self.standardFingerprint)
                #expect(release.breakdown == "province" && release.formID == "P2" && release.year == 2025)
                #expect(release.createdBy == "admin")
                #expect(release.cellsFailing == 0 && release.primaryCells > 0)
                #expect(release.pattern.contains("province=\(region)"))
            }
            let audit = try await AuditEvent.query(on: app.db).filter(\.$kind == .released).all()
            #expect(audit.count == 3)
            #expect(audit.allSatisfy { $0.detail.contains(Self.standardFingerprint) && $0.username == "admin" })

            // Only 1/true/0/false; the rules cannot come from the query.
            #expect(try await admin.send(.GET, query + "&protect=yes").errorCode == "bad_protect")
            let withRules = try await admin.send(.GET, query + "&protect=1&rules=FREQ(1,0)")
            #expect(withRules.json["footnote"] as? String == AggregateSuppression.footnote, "an unknown query parameter changes nothing")
        }
    }
}
