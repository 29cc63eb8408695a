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
        textObjectAgrees(text)
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

    /// The stored maps' reader (`parseTextObject`) against the general one: the same error, the same
    /// map for an object of texts, nil for any other document.
    static func textObjectAgrees(_ text: String) {
        let general: Result<JSONValue, JSONSyntaxError> = Result { () throws(JSONSyntaxError) in try JSONValue.parse(text) }
        let direct: Result<[String: String]?, JSONSyntaxError> = Result { () throws(JSONSyntaxError) in try JSONValue.parseTextObject(text) }
        switch (general, direct) {
        case (.failure(let a), .failure(let b)): FuzzInvariant.check(a == b, "the two readers' errors differ on \(text.prefix(200))")
        case (.success(let value), .success(let map)):
            var expected: [String: String]? = nil
            if let members = value.objectMembers, members.allSatisfy({ $0.1.stringValue != nil }) {
                expected = Dictionary(members.map { ($0.0, $0.1.stringValue ?? "") }, uniquingKeysWith: { a, _ in a })
            }
            FuzzInvariant.check(map == expected, "the stored maps' reader differs on \(text.prefix(200))")
        default: FuzzInvariant.check(false, "one reader refused what the other read: \(text.prefix(200))")
        }
    }
}
