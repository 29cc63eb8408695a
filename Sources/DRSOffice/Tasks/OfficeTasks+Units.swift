import DRSCore
import DRSExchange
import DRSStorage
import FluentKit
import Foundation

extension OfficeTasks {
    /// The header of `drs units export`: the names `drs units import` reads, so the file round-trips.
    public static let unitsHeader = ["统一社会信用代码", "单位详细名称", "区划代码", "详细地址", "调查对象类型", "国有企业", "互联网平台企业",
                                     "运营商企业", "上级单位信用代码", "联系电话", "行业代码"]

    /// The unit registry as CSV (national office): one row per unit, parents by credit code.
    public static func exportUnits(storage: StorageLocation, catalogRoot: URL) async throws -> String {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, _ in
            let db = session.db
            let units = try await SurveyUnit.query(on: db).sort(\.$creditCode).all()
            let codes = Dictionary(units.compactMap { u in u.id.map { ($0, u.creditCode) } }, uniquingKeysWith: { a, _ in a })
            var out = unitsHeader.map(CSVUpload.quoted).joined(separator: ",") + "\n"
            for u in units {
                let fields = [u.creditCode, u.name, u.regionCode, u.address, u.types.replacingOccurrences(of: ",", with: "、"),
                              u.stateOwned ? "是" : "否", u.internetPlatform ? "是" : "否", u.telecomOperator ? "是" : "否",
                              u.$parent.id.flatMap { codes[$0] } ?? "", u.contact, u.industryCode ?? ""]
                out += fields.map { CSVUpload.quoted(SpreadsheetText.neutralised($0)) }.joined(separator: ",") + "\n"
            }
            return out
        }
    }
}
