import DRSCore
import Foundation
import Testing

/// `drs aggregate --protect` and `drs sdmx data --protect` from a small database: seven provincial
/// data departments' verified 公共2表, three in Beijing, three in Shanghai, one in Guangdong. By
/// province, Guangdong (one unit) is primary and one other province is hidden with it.
@Suite("drs aggregate --protect", .serialized)
struct AggregateProtectCommandTests {
    static let provinces = ["110000", "110000", "110000", "310000", "310000", "310000", "440000"]

    /// A fresh SQLite database with the units and their verified submissions.
    static func database() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drs-protect-\(UUID().uuidString)")
        let submissions = dir.appendingPathComponent("submissions")
        try FileManager.default.createDirectory(at: submissions, withIntermediateDirectories: true)
        var units = "统一社会信用代码,单位详细名称,区划代码,详细地址,调查对象类型,国有企业,互联网平台企业,运营商企业,上级单位信用代码,联系电话\n"
        for (n, province) in provinces.enumerated() {
            let code = CreditCode.completing("11" + province + "MA5F" + String(10000 + n).dropFirst() + "0")
            units += "\(code),测试数据管理部门\(n),\(province),,省级数据管理部门,否,否,否,,\n"
            let storage = province == "440000" ? 50 : 100
            try """
            表号,指标代码,栏目,分组,数值,年份,统一社会信用代码
            P2,05,本年实际,,\(storage),2025,\(code)
            P2,15,本年实际,,10,2025,\(code)

            """.write(to: submissions.appendingPathComponent("u\(n).csv"), atomically: true, encoding: .utf8)
        }
        let unitsFile = dir.appendingPathComponent("units.csv")
        try units.write(to: unitsFile, atomically: true, encoding: .utf8)
        let database = dir.appendingPathComponent("drs.sqlite").path
        let imported = try DRS.run(["units", "import", unitsFile.path, "--database", database])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let filed = try DRS.run(["import", submissions.path, "--status", "verified", "--database", database,
                                 "--report", dir.appendingPathComponent("report.csv").path])
        #expect(filed.status == 0, "\(filed.stdout)\(filed.stderr)")
        return database
    }

    @Test func protectedOutputsHideCellsAndNeverNameTheRules() throws {
        let database = try Self.database()
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: database).deletingLastPathComponent()) }
        let aggregate = ["aggregate", "--year", "2025", "--form", "P2", "--by", "province", "--database", database]

        let csv = try DRS.run(aggregate + ["--format", "csv", "--protect"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines.contains("广东省,05,数据存储总量,,TB,本年实际,求和,x,1"))
        // The share weighted by 05 follows it.
        #expect(lines.contains("广东省,15,冷数据占比,,%,本年实际,加权平均（权数 [05]）,x,1"))
        // One more province is hidden, or Guangdong would be the national total minus the others.
        #expect(lines.filter { $0.hasPrefix("北京市,05,") || $0.hasPrefix("上海市,05,") }.filter { $0.contains(",x,") }.count == 1)
        #expect(lines.contains("x：依《统计法》第二十八条不予公布（保密）"))
        #expect(!csv.stdout.contains("P(10") && !csv.stdout.contains("FREQ"))
        #expect(csv.stderr.contains("P(10,1)|FREQ(3,10)"))

        // Without --protect every figure is shown and there is no footnote.
        let plain = try DRS.run(aggregate + ["--format", "csv"])
        #expect(plain.stdout.contains("广东省,05,数据存储总量,,TB,本年实际,求和,50,1"))
        #expect(!plain.stdout.contains("第二十八条"))

        let sdmx = try DRS.run(["sdmx", "data", "--year", "2025", "--form", "P2", "--by", "province", "--database", database,
                                "--protect", "--rules", "FREQ(2,10)"])
        #expect(sdmx.status == 0, "\(sdmx.stderr)")
        let guangdong = sdmx.stdout.components(separatedBy: "\n").first { $0.contains(#"INDICATOR="P2_05""#) && $0.contains(#"REGION="440000""#) }
        #expect(guangdong?.contains(#"CONF_STATUS="C""#) == true)
        #expect(guangdong?.contains("OBS_VALUE") == false)
        #expect(sdmx.stdout.contains(#"CONF_STATUS="D""#))
        #expect(sdmx.stdout.contains(#"REGION="000000" RESP_TYPE="_T" INDUSTRY="_T"><Obs TIME_PERIOD="2025" OBS_VALUE="650""#))
        #expect(!sdmx.stdout.contains("FREQ"))
        #expect(sdmx.stderr.contains("FREQ(2,10)"))
    }
}
