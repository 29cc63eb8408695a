import DRSCatalog
import DRSCore
import DRSOffice
import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

@Suite("Registry import", .serialized)
struct RegistryImportTests {
    @Test func everyRejectedRowIsReportedAndChangesNothing() async throws {
        try await TestPlatform.run { app in
            let before = try await SurveyUnit.query(on: app.db).count()
            let good = CreditCode.completing("91440300" + "MA5F0000" + "0")
            let child = CreditCode.completing("91440300" + "MA5F0001" + "0")
            let csv = """
            统一社会信用代码,单位详细名称,区划代码,详细地址,调查对象类型,国有企业,互联网平台企业,运营商企业,上级单位信用代码,联系电话
            \(good),深圳示例数据科技有限公司,440300,深圳市南山区,数据技术企业,否,是,否,,0755-12345678
            \(child),深圳示例数据科技有限公司分公司,440300,,数据技术企业,否,否,否,\(good),
            91350100M000100Y44,校验码错误的单位,350100,,数据技术企业,否,否,否,,
            \(CreditCode.completing("91110000" + "MA5F0002" + "0")),未知类型的单位,110000,,外星企业,否,否,否,,
            \(CreditCode.completing("91110000" + "MA5F0003" + "0")),区划不对的单位,990000,,数据应用企业,否,否,否,,
            \(good),重复的代码,440300,,数据技术企业,否,否,否,,
            """
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            let result = try await importUnits(CSV.rows(csv), db: app.db, catalog: catalog)
            #expect(result.imported == 2)
            #expect(result.rejected.map(\.line) == [4, 5, 6, 7])
            #expect(result.rejected[0].reasons.joined().contains("第18位（校验码）"))
            #expect(result.rejected[1].reasons.joined().contains("未知的调查对象类型「外星企业」"))
            #expect(result.rejected[2].reasons.joined().contains("不在全国省级行政区划"))
            #expect(result.rejected[3].reasons.joined().contains("与第2行的统一社会信用代码重复"))
            #expect(try await SurveyUnit.query(on: app.db).count() == before + 2)
            let branch = try await SurveyUnit.query(on: app.db).filter(\.$creditCode == child).first()
            let parent = try await SurveyUnit.query(on: app.db).filter(\.$creditCode == good).first()
            #expect(branch?.$parent.id == parent?.id)
            #expect(parent?.internetPlatform == true)
        }
    }

    @Test func industryCodesAreCheckedAgainstGBT4754() async throws {
        try await TestPlatform.run { app in
            let a = CreditCode.completing("91440300" + "MA5F0010" + "0")
            let b = CreditCode.completing("91440300" + "MA5F0011" + "0")
            let csv = """
            统一社会信用代码,单位详细名称,区划代码,调查对象类型,行业代码
            \(a),示例软件有限公司,440300,数据技术企业,6513
            \(b),行业代码有误的公司,440300,数据技术企业,99x
            """
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            let result = try await importUnits(CSV.rows(csv), db: app.db, catalog: catalog)
            #expect(result.imported == 1)
            #expect(result.rejected.first?.reasons.joined().contains("行业代码「99x」") == true)
            #expect(try await SurveyUnit.query(on: app.db).filter(\.$creditCode == a).first()?.industryCode == "6513")
        }
    }
}
