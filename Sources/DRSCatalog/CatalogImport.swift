import DRSCore
import Foundation

/// The whole catalog as one JSON document: what `drs catalog export` writes and `drs catalog import`
/// reads back, so next year's survey is loaded as data, never as code.
public struct CatalogExport: Codable, Sendable {
    public var survey: Survey
    public var forms: [Form]
    public var codeLists: [String: CodeList]
    public var registries: [String: RegistryList]

    public init(_ catalog: Catalog) {
        survey = catalog.survey
        forms = catalog.forms
        codeLists = catalog.codeLists
        registries = catalog.registries
    }

    public var catalog: Catalog { Catalog(survey: survey, forms: forms, codeLists: codeLists, registries: registries) }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Reads an exported catalog, validates it completely (every form compiles, every rule binds, every
/// weight and code list resolves) and writes it as an edition folder — all or nothing.
public enum CatalogImport {
    public struct Result: Sendable {
        public var edition: String
        public var directory: URL
        public var forms: Int
        public var rules: Int
    }

    public static func run(_ data: Data, into root: URL, replace: Bool = false) throws -> Result {
        let export: CatalogExport
        do {
            export = try JSONDecoder().decode(CatalogExport.self, from: data)
        } catch let error as DecodingError {
            throw CatalogFileError(file: "导入文件", reason: CatalogLoader.describe(error))
        }
        let catalog = export.catalog
        let compiled: CompiledCatalog
        do { compiled = try CompiledCatalog(catalog) } catch {
            throw CatalogFileError(file: "导入文件", reason: "目录校验未通过，未写入任何文件：\n" + error.description)
        }
        let edition = catalog.survey.edition
        guard !edition.isEmpty, edition.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw CatalogFileError(file: "导入文件", reason: "版本号「\(edition)」只能由字母、数字、-、_ 组成")
        }
        let target = root.appendingPathComponent(edition)
        let fm = FileManager.default
        if fm.fileExists(atPath: target.path), !replace {
            throw CatalogFileError(file: target.path, reason: "版本 \(edition) 已存在；如确需覆盖请加 --replace")
        }
        // Written beside the target and moved into place at the end: a failure leaves nothing behind.
        let staging = root.appendingPathComponent(".import-\(edition)-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: staging) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        func write<T: Encodable>(_ value: T, _ path: String) throws {
            let url = staging.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (try encoder.encode(value) + Data("\n".utf8)).write(to: url)
        }
        try write(catalog.survey, "survey.json")
        for form in catalog.forms { try write(form, "forms/\(form.id).json") }
        for (id, list) in catalog.codeLists { try write(list, "codelists/\(id).json") }
        for (id, list) in catalog.registries { try write(list, "registry/\(id).json") }
        // Read back what was written: the folder must load exactly as the document did.
        _ = try CompiledCatalog(try CatalogLoader.load(edition: staging))
        if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        try fm.moveItem(at: staging, to: target)
        return Result(edition: edition, directory: target, forms: catalog.forms.count,
                      rules: compiled.orderedForms.reduce(0) { $0 + $1.rules.count })
    }
}
