import DRSCore
import DRSStorage
import Foundation
import Vapor

/// What a stored check result (`CheckSummary`) was computed from. Two parts:
/// - the engine: the catalog's files and the `drs` program itself (its size and time), computed once
///   at start — a corrected catalog or a new release re-checks everything once, on every instance alike;
/// - the submission's inputs: its version (every save, step and explanation moves it), last year's row
///   and version when it counts, the answers that decide its rows, and the unit's registry entry.
enum CheckStamp {
    /// The running program's file (Linux: where `/proc/self/exe` points — the link's own attributes
    /// change with every process), or the path it was started by.
    static var runningProgram: URL {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return URL(fileURLWithPath: target) }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "drs").resolvingSymlinksInPath()
    }

    static func engine(catalogRoot: URL, program: URL = runningProgram) -> String {
        var hash = SHA256()
        let files = FileManager.default.enumerator(at: catalogRoot, includingPropertiesForKeys: nil)?
            .compactMap { ($0 as? URL)?.standardizedFileURL.path }.sorted() ?? []
        for path in files {
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            hash.update(data: Data(path.dropFirst(catalogRoot.standardizedFileURL.path.count).utf8))
            hash.update(data: bytes)
        }
        let attributes = (try? FileManager.default.attributesOfItem(atPath: program.path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        hash.update(data: Data("program \(size) \(time)".utf8))
        return hash.finalize().prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    static func submission(version: Int, lastYear: SubmissionHead?, answers: [String: String], unit: SurveyUnit, engine: String) -> String {
        submission(version: version, lastYear: lastYear.map { ($0.id, $0.version) }, answers: answers, unit: unit, engine: engine)
    }

    /// `lastYear`: the id and version of last year's submission whose figures the check read, if any.
    static func submission(version: Int, lastYear: (id: UUID, version: Int)?, answers: [String: String], unit: SurveyUnit, engine: String) -> String {
        let last = lastYear.map { "\($0.id.uuidString):\($0.version)" } ?? "-"
        let decided = answers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        // To the microsecond, as both engines keep it (a migrated database keeps its stamps).
        let registry = unit.updatedAt.map { String(Int64(($0.timeIntervalSince1970 * 1_000_000).rounded())) } ?? "-"
        return "\(version)|\(last)|\(decided)|\(registry)|\(engine)"
    }
}
