import DRSCore
import DRSExchange
import DRSStorage
import Foundation
import Vapor

/// SDMX for the statistics bureau (附录七、八): the data structure generated from the catalog, and the
/// aggregates as SDMX-ML 2.1 StructureSpecific or SDMX-JSON data messages.
struct SDMXController {
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1", "sdmx")
        api.secure(.GET, "structure", access: .reviewer) { req async throws -> Response in
            let xml = SDMXStructure(req.platform.catalog.catalog).xml(prepared: Self.now())
            return Self.response(xml, type: "application/xml; charset=utf-8")
        }
        api.secure(.GET, "data", access: .admin) { req async throws -> Response in
            let request = try AggregateRequest(req, formats: ["xml", "json"])
            let format = request.format
            let report = try await request.run(req)
            let suppression = report.suppression, by = request.by
            // The aggregate's groupings are the national total and the breakdown: a group's key length tells which.
            let data = SDMXData(structure: SDMXStructure(req.platform.catalog.catalog), form: report.form, table: report.table, year: report.year) { group, slot in
                suppression?.confidentialityStatus(group.key.isEmpty ? [] : by, group.key, slot) ?? "F"
            }
            let id = "DRS_\(report.form.form.id)_\(report.year)"
            if format == "json" {
                return Self.response(data.json(id: id, prepared: Self.now()).serialized(), type: "application/vnd.sdmx.data+json; version=1.0; charset=utf-8")
            }
            return Self.response(data.structureSpecificXML(id: id, prepared: Self.now()), type: "application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8")
        }
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    static func response(_ text: String, type: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
