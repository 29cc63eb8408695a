import DRSCore

/// Stored figures (a submission's `cells` column) read by the aggregation's fast reader: whenever it
/// answers, the answer is the general reader's (JSON, then `values(fromStored:)`), which found nothing
/// it could not read. Run by the submission-json target on every input, against every numeric form.
enum StoredCellsBody {
    static let readers: [(CompiledForm, StoredCellsReader)] = SurveyCatalog.compiled.orderedForms
        .filter { $0.form.kind != .basicInfo }
        .map { ($0, StoredCellsReader(form: $0)) }

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for (form, reader) in readers {
            guard let fast = reader.values(text) else { continue }
            var map: [String: String] = [:]
            if let members = (try? JSONValue.parse(text))?.objectMembers {
                for (key, value) in members {
                    guard let string = value.stringValue else { map = [:]; break }
                    map[key] = string
                }
            }
            var clean = true
            let general = form.values(fromStored: map) { _ in clean = false }
            FuzzInvariant.check(clean && fast == general, "\(form.form.id): the fast reader differs on \(text.prefix(200))")
        }
    }
}
