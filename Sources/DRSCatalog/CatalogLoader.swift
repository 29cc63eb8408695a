import DRSCore
import Foundation

/// Reads a catalog edition from disk: `<root>/<edition>/survey.json`, `forms/*.json`,
/// `codelists/*.json`, `registry/*.json`.
public enum CatalogLoader {
    /// Where catalogs live, in order of preference: `--catalog`, `$DRS_CATALOG`, `./catalog`, and the
    /// `catalog` folder next to (or above) the executable — so a built checkout finds its own data.
    public static func locateRoot(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let explicit { candidates.append(URL(fileURLWithPath: explicit)) }
        if let env = environment["DRS_CATALOG"], !env.isEmpty { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("catalog"))
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("catalog"))
            candidates.append(dir.appendingPathComponent("share/drs/catalog"))
            dir.deleteLastPathComponent()
        }
        // The source checkout this module was built from (tests, `swift run`).
        var source = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { source.deleteLastPathComponent() }
        candidates.append(source.appendingPathComponent("catalog"))
        return candidates.first { isCatalogRoot($0) }
    }

    static func isCatalogRoot(_ url: URL) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.contains { name in
            FileManager.default.fileExists(atPath: url.appendingPathComponent(name).appendingPathComponent("survey.json").path)
        } ?? false
    }

    /// The editions present under a root, oldest first.
    public static func editions(in root: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent("survey.json").path) }.sorted()
    }

    /// Loads one edition folder.
    public static func load(edition directory: URL) throws -> Catalog {
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
            do {
                return try decoder.decode(type, from: try Data(contentsOf: url))
            } catch let error as DecodingError {
                throw CatalogFileError(file: url.path, reason: describe(error))
            } catch {
                throw CatalogFileError(file: url.path, reason: "\(error)")
            }
        }
        func jsonFiles(_ sub: String) throws -> [URL] {
            let dir = directory.appendingPathComponent(sub)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
            return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
        }
        let survey = try decode(Survey.self, directory.appendingPathComponent("survey.json"))
        let forms = try jsonFiles("forms").map { try decode(Form.self, $0) }
        var codeLists: [String: CodeList] = [:]
        for url in try jsonFiles("codelists") {
            let list = try decode(CodeList.self, url)
            codeLists[list.id] = list
        }
        var registries: [String: RegistryList] = [:]
        for url in try jsonFiles("registry") {
            let list = try decode(RegistryList.self, url)
            registries[list.id] = list
        }
        return Catalog(survey: survey, forms: forms, codeLists: codeLists, registries: registries)
    }

    /// Loads the edition that covers a data year (2025 → the 2026 edition), or the newest.
    public static func load(root: URL, year: Int? = nil) throws -> Catalog {
        var newest: Catalog?
        for edition in editions(in: root).reversed() {
            let catalog = try load(edition: root.appendingPathComponent(edition))
            if newest == nil { newest = catalog }
            if let year, catalog.survey.reportingYears.contains(year) { return catalog }
        }
        guard let newest else { throw CatalogFileError(file: root.path, reason: "没有找到任何目录版本（应有 <版本>/survey.json）") }
        return newest
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "缺少字段 \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context): return "字段 \(path(context)) 类型不对：\(context.debugDescription)"
        case .valueNotFound(_, let context): return "字段 \(path(context)) 缺少值"
        case .dataCorrupted(let context): return "\(path(context))：\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A catalog file that cannot be read, with the file named.
public struct CatalogFileError: Error, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "目录文件 \(file)：\(reason)" }
}
