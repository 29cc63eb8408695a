import Foundation
import Testing

/// `drs demo nation`: loads a synthetic nation and writes files that `drs validate` passes.
@Suite("drs demo nation", .serialized)
struct DemoNationCommandTests {
    private static func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("drs-nation-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func loadsTheNationAndItsFilesPassEveryRule() throws {
        let dir = try Self.folder("load")
        let database = dir.appendingPathComponent("nation.sqlite").path
        let files = dir.appendingPathComponent("files")
        let load = try DRS.run(["demo", "nation", "--units", "300", "--year", "2026", "--database", database,
                                "--files", files.path, "--sample", "100"])
        #expect(load.status == 0, "\(load.stderr)")
        #expect(load.stdout.contains("300 家单位"))
        let written = try FileManager.default.contentsOfDirectory(atPath: files.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(written.count == 100)
        let forms = Set(written.compactMap { $0.split(separator: "-").dropFirst().first.map(String.init) })
        #expect(forms.count >= 10, "the sample covers the forms: \(forms.sorted())")
        let validate = try DRS.run(["validate"] + written.map { files.appendingPathComponent($0).path })
        #expect(validate.status == 0, "\(validate.stdout.split(separator: "\n").filter { !$0.contains("审核通过") }.prefix(5))")

        let again = try DRS.run(["demo", "nation", "--units", "300", "--database", database])
        #expect(again.status != 0)
        #expect(again.stderr.contains("已有 300 家调查单位"))
    }

    @Test func refusesTooSmallANation() throws {
        let dir = try Self.folder("small")
        let r = try DRS.run(["demo", "nation", "--units", "50", "--database", dir.appendingPathComponent("n.sqlite").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("单位数应在"))
    }
}
