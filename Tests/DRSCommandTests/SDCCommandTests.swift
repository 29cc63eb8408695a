import Foundation
import Testing

/// `drs sdc protect|audit` as the published interface states it.
@Suite("drs sdc", .serialized)
struct SDCCommandTests {
    /// 4 provinces × 3 types; province 13 has one unit of type 03 (a primary cell), the rest are
    /// safe cells of several units; unit 99's two subsidiaries share holding H.
    static let microdata: String = {
        var rows = ["id,province,resp_type,storage_tb,holding"]
        var id = 0
        for province in ["11", "12", "13", "14"] {
            for type in ["01", "02", "03"] where !(province == "13" && type == "03") {
                for size in [40, 55, 61, 72] {
                    id += 1
                    rows.append("\(id),\(province),\(type),\(size).5,u\(id)")
                }
            }
        }
        rows.append("900,13,03,12.25,u900")
        return rows.joined(separator: "\n") + "\n"
    }()

    private func protect(_ input: String, _ output: String, extra: [String] = []) throws -> DRS.Result {
        try DRS.run(["sdc", "protect", "--input", input, "--dimensions", "province,resp_type", "--value", "storage_tb",
                     "--output", output] + extra)
    }

    @Test func protectWritesEveryCellAndOneJSONLine() throws {
        let input = try DRS.file("micro.csv", Self.microdata)
        let output = input.replacingOccurrences(of: "micro.csv", with: "cells.csv")
        let r = try protect(input, output)
        #expect(r.status == 0, "\(r.stderr)")
        let line = try DRS.json(r.stdout)
        #expect(line["tool"] as? String == "drs")
        #expect(line["cells"] as? Int == 5 * 4)
        #expect(line["primary"] as? Int == 1)
        #expect((line["secondary"] as? Int ?? 0) >= 3)
        #expect(line["seconds"] is Double || line["seconds"] is Int)
        let cells = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(cells.first == "province,resp_type,value,freq,status")
        #expect(cells.count == 1 + 20)
        #expect(cells.contains("13,03,12.25,1,primary"))
        #expect(cells.contains { $0.hasPrefix("Total,Total,") && $0.hasSuffix(",safe") })

        let audit = try DRS.run(["sdc", "audit", "--input", input, "--dimensions", "province,resp_type", "--value", "storage_tb",
                                 "--pattern", output])
        #expect(audit.status == 0, "\(audit.stderr)")
        let report = try DRS.json(audit.stdout)
        #expect(report["cells_failing"] as? Int == 0)
        #expect(report["primary"] as? Int == 1)
    }

    @Test func auditFailsAPatternThatHidesOnlyThePrimaryCell() throws {
        let input = try DRS.file("micro.csv", Self.microdata)
        let pattern = try DRS.file("lonely.csv", "province,resp_type,status\n13,03,primary\n")
        let audit = try DRS.run(["sdc", "audit", "--input", input, "--dimensions", "province,resp_type", "--value", "storage_tb",
                                 "--pattern", pattern])
        #expect(audit.status == 1)
        #expect(try DRS.json(audit.stdout)["cells_failing"] as? Int == 1)
    }

    @Test func holdingMakesSubsidiariesOneContributor() throws {
        // Province 15 has only three units, of one holding: alone they are three contributors (safe);
        // as one holding, one contributor, so FREQ(3,10) makes the cell and its province total primary.
        var rows = Self.microdata.split(separator: "\n").map(String.init)
        rows += ["901,15,03,5.5,H", "902,15,03,6.5,H", "903,15,03,7.5,H"]
        let input = try DRS.file("held.csv", rows.joined(separator: "\n") + "\n")
        let output = input.replacingOccurrences(of: "held.csv", with: "held-cells.csv")
        let alone = try protect(input, output)
        let held = try protect(input, output, extra: ["--holding", "holding"])
        #expect(try DRS.json(alone.stdout)["primary"] as? Int == 1)
        #expect(try DRS.json(held.stdout)["primary"] as? Int == 3, "\(held.stderr)")
    }

    @Test(arguments: [
        (["--dimensions", "province,nope"], "缺少列“nope”"),
        (["--value", "province2"], "缺少列“province2”"),
        (["--rules", "Q(1,2)"], "无法识别的保密规则"),
        (["--cost", "cheap"], "--cost"),
    ])
    func badOptionsWriteNothing(_ change: [String], _ message: String) throws {
        let input = try DRS.file("micro.csv", Self.microdata)
        let output = input.replacingOccurrences(of: "micro.csv", with: "never.csv")
        try? FileManager.default.removeItem(atPath: output)
        var arguments = ["sdc", "protect", "--input", input, "--dimensions", "province,resp_type", "--value", "storage_tb", "--output", output]
        for index in stride(from: 0, to: change.count, by: 2) {
            if let at = arguments.firstIndex(of: change[index]) { arguments[at + 1] = change[index + 1] } else { arguments += [change[index], change[index + 1]] }
        }
        let r = try DRS.run(arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(arguments: [
        ("id,province,resp_type,storage_tb\n1,11,01,abc\n", "无法识别"),
        ("id,province,resp_type,storage_tb\n1,11,01,-3\n", "为负"),
        ("id,province,resp_type,storage_tb\n1,11,01,\n", "数值为空"),
        ("id,province,resp_type,storage_tb\n1,Total,01,3\n", "Total"),
        ("", "为空"),
    ])
    func badMicrodataWritesNothing(_ contents: String, _ message: String) throws {
        let input = try DRS.file("bad.csv", contents)
        let output = input.replacingOccurrences(of: "bad.csv", with: "bad-out.csv")
        try? FileManager.default.removeItem(atPath: output)
        let r = try protect(input, output)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
