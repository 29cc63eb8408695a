import Foundation
import Testing

/// Releases from the command line: `drs share` needs an explicit destination, every protected output
/// is recorded, and `drs releases list` shows what left the office (fingerprint, never the rules).
@Suite("drs releases", .serialized)
struct ReleaseCommandTests {
    @Test func everyReleaseIsRecordedWithItsDestination() throws {
        let database = try AggregateProtectCommandTests.database()
        let dir = URL(fileURLWithPath: database).deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: dir) }
        let share = ["share", "--year", "2025", "--database", database]

        let empty = try DRS.run(["releases", "list", "--database", database])
        #expect(empty.status == 0 && empty.stdout.contains("暂无发布记录"))

        // No default destination: the choice must be made.
        let undecided = try DRS.run(share + ["--output", dir.appendingPathComponent("none").path])
        #expect(undecided.status != 0)
        #expect(undecided.stderr.contains("destination"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("none").path))
        #expect(try DRS.run(share + ["--destination", "nbs", "--rules", "FREQ(2,10)", "--output", dir.appendingPathComponent("x").path]).status != 0,
                "rules only for a protected package")

        let nbs = try DRS.run(share + ["--destination", "nbs", "--output", dir.appendingPathComponent("nbs").path])
        #expect(nbs.status == 0, "\(nbs.stderr)")
        let nbsCSV = try String(contentsOf: dir.appendingPathComponent("nbs/分主题数据-2025.csv"), encoding: .utf8)
        #expect(nbsCSV.contains(",广东省,50,1"), "the statistics bureau receives every cell")

        let published = try DRS.run(share + ["--destination", "public", "--output", dir.appendingPathComponent("public").path])
        #expect(published.status == 0, "\(published.stderr)")
        let publicCSV = try String(contentsOf: dir.appendingPathComponent("public/分主题数据-2025.csv"), encoding: .utf8)
        #expect(publicCSV.contains(",广东省,x,1"))
        #expect(!publicCSV.contains("FREQ"))

        let aggregate = try DRS.run(["aggregate", "--year", "2025", "--form", "P2", "--by", "province", "--database", database,
                                     "--format", "csv", "--protect"])
        #expect(aggregate.status == 0, "\(aggregate.stderr)")
        #expect(aggregate.stderr.contains("攻击者审计通过"))

        let list = try DRS.run(["releases", "list", "--database", database])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n").dropFirst()
        #expect(rows.contains { $0.contains("\tP2\tprovince\tpublic\t") && $0.contains("drs aggregate") })
        #expect(rows.contains { $0.contains("\tnbs\t-\t") && $0.contains("drs share") })
        #expect(rows.contains { $0.contains("\tpublic\t") && $0.contains("drs share") })
        #expect(!list.stdout.contains("FREQ") && !list.stdout.contains("P(10"))
    }
}
