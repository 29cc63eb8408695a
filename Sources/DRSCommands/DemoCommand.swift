import ArgumentParser
import DRSCatalog
import DRSCore
import DRSNation
import DRSOffice
import DRSStorage
import Foundation

/// `drs demo nation`: a synthetic nation for the demo, the tests and the scale work.
public struct DemoCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "demo", abstract: "演示数据。", subcommands: [Nation.self])

    public struct Nation: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            commandName: "nation",
            abstract: "生成合成的全国调查数据（名录库与上年、本年两个年度的报表，全部通过审核关系），载入一个空数据库。",
            discussion: """
            每个省份都有每类调查对象；少数省份集中了多数单位与数据量；中央企业总部在多个省份设有子公司；规模呈重尾分布。
            同一 --seed 总是生成完全相同的数据。加 --files 另将抽取的报表写成 JSON 文件，可用 drs validate 逐项审核。
            例：drs demo nation --units 30000 --database nation.sqlite --accounts --password demo2026-nation
            """
        )
        @OptionGroup var storage: StorageOptions
        @Option(help: "单位数（\(NationSpec.minimumUnits)–\(NationSpec.maximumUnits)）。") var units: Int
        @Option(help: "调查年度 Y（另生成 Y−1 年的已核定数据；默认取目录版本的年度）。") var year: Int?
        @Option(help: "随机种子：同一种子生成相同的数据。") var seed: UInt64 = 2026
        @Flag(help: "同时创建账户 admin（国家数据局）与各省审核员 review-<区划代码>。") var accounts = false
        @Option(help: "演示账户的密码（与 --accounts 一起使用）。") var password: String?
        @Option(help: "另将抽取的报表写成 JSON 文件（drs validate 可读）到此文件夹。") var files: String?
        @Option(help: "写出的报表文件数（与 --files 一起使用）。") var sample = 500

        public func validate() throws {
            if let problem = NationSpec(units: units, year: year ?? 0).problem { throw ValidationError(problem) }
            if accounts, password == nil { throw ValidationError("--accounts 须用 --password 给出演示账户的密码") }
            if sample < 1 { throw ValidationError("--sample 应为正整数") }
        }

        public func run() async throws {
            let root = try storage.root()
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: root, year: year))
            let surveyYear = try Self.year(year, catalog.catalog.survey)
            let generator: NationGenerator
            do { generator = try NationGenerator(catalog: catalog, spec: NationSpec(units: units, year: surveyYear, seed: seed)) } catch {
                throw ValidationError(error.description)
            }
            let started = Date()
            let secret = accounts ? password : nil
            let summary: NationLoader.Summary
            do {
                var hash: String?
                if let secret { hash = try await CommandServices.hashPassword(secret) }
                summary = try await StorageSession.with(StorageLocation(storage.database)) { [hash] session in
                    try await NationLoader(generator: generator).load(on: session.db, passwordHash: hash)
                }
            } catch let refused as NationLoader.Refused {
                throw ValidationError(refused.description)
            }
            let seconds = Date().timeIntervalSince(started)
            print("已载入合成全国数据：\(summary.units) 家单位，\(summary.submissions) 份报表（\(surveyYear - 1)、\(surveyYear)年），"
                + "\(summary.accounts) 个账户，用时 \(String(format: "%.1f", seconds)) 秒；\(surveyYear)年数据生产总量 \(Self.volume(summary.productionTB))。")
            if let files {
                let written = try NationFiles.write(generator, to: URL(fileURLWithPath: files), sample: sample)
                print("已写出 \(written) 份报表文件到 \(files)（可用 drs validate \(files)/*.json 审核）。")
            }
        }

        /// Y: given, or the catalog edition's year; Y−1 and Y must both be reporting years of the edition.
        static func year(_ given: Int?, _ survey: Survey) throws -> Int {
            let range = survey.reportingYears
            let year = given ?? min(max(Int(survey.edition) ?? range.to, range.from + 1), range.to)
            guard year - 1 >= range.from, year <= range.to else {
                throw ValidationError("年度 \(year) 不可用：本目录适用 \(range.from)–\(range.to) 年，且须同时生成上一年的数据")
            }
            return year
        }

        /// 1234567 TB → "1.23 EB" (decimal units, as the report prints them).
        static func volume(_ terabytes: Double) -> String {
            let steps: [(Double, String)] = [(1e9, "ZB"), (1e6, "EB"), (1e3, "PB")]
            for (size, name) in steps where terabytes >= size { return String(format: "%.2f %@", terabytes / size, name) }
            return String(format: "%.0f TB", terabytes)
        }
    }
}

/// Writes a sample of a nation's submissions as submission files (docs/submission-format.md).
enum NationFiles {
    /// Every submission of the chosen units until `sample` files: first one unit of each combination
    /// of types (so every form is in the sample), then units spread evenly over the registry.
    static func write(_ generator: NationGenerator, to directory: URL, sample: Int) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written = 0
        for index in chosenUnits(generator.units, sample: sample) where written < sample {
            let unit = generator.units[index]
            for submission in generator.submissions(forUnit: index) where written < sample {
                guard let document = generator.document(submission) else { continue }
                let name = "\(unit.creditCode)-\(submission.formID)-\(submission.year).json"
                try Data(document.serializedBytes(pretty: true)).write(to: directory.appendingPathComponent(name))
                written += 1
            }
        }
        return written
    }

    static func chosenUnits(_ units: [NationUnit], sample: Int) -> [Int] {
        var seenTypes = Set<[String]>()
        var chosen = units.filter { seenTypes.insert($0.types).inserted }.map(\.index)
        var taken = Set(chosen)
        // A multiplicative scatter rather than a fixed stride, which would keep hitting the same slot
        // of each province's block of units.
        for k in 0..<min(units.count, sample) where taken.count < min(units.count, sample) {
            let index = (k &* 2_654_435_761) % units.count
            if taken.insert(index).inserted { chosen.append(index) }
        }
        return chosen
    }
}
