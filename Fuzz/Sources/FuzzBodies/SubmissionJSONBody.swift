import DRSCore

/// A submission as JSON (API body, `drs validate` file): parsed by the strict reader, read against the
/// real catalog, and checked by the rules as the server does on save; and the same bytes as stored
/// figures (`StoredCellsBody`).
enum SubmissionJSONBody {
    static func run(_ bytes: [UInt8]) {
        StoredCellsBody.run(bytes)
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes: bytes)
        } catch {
            _ = error.description
            return
        }
        let written = json.serializedBytes()
        let again = try? JSONValue.parse(bytes: written)
        FuzzInvariant.check(again == json, "serialized JSON does not read back the same: \(String(decoding: written.prefix(200), as: UTF8.self))")
        _ = json.serialized(pretty: true)

        let catalog = SurveyCatalog.compiled
        do {
            let document = try SubmissionReader.read(json, catalog: catalog)
            let report = catalog.check(document)
            _ = report
        } catch {
            _ = error.description
        }
    }
}
