import DRSExchange
import Foundation

/// `drs import` at national speed (100,000 files in about five and a half minutes, docs/benchmarks.md
/// (q)): files are read and checked on every core a window ahead of the writes, and a window's files
/// are stored in few transactions — one on SQLite (through its own single writer), four side by side on
/// PostgreSQL. Each file is still all or nothing (`SubmissionStore.importSubmissions`), files naming the
/// same unit, form and year are stored in file order in the same transaction, and the results come back
/// in file order.
enum ImportPipeline {
    /// Files read ahead of the writes, and stored per window.
    static let window = 256
    /// Transactions at a time on PostgreSQL (a session's pool holds four connections per event loop);
    /// SQLite writes one at a time (one writer: side by side, its transactions met "database is locked").
    static func writers(sqlite: Bool) -> Int { sqlite ? 1 : 4 }

    /// One file as read: the submission (or why not), and the key its writes are ordered by.
    struct ReadFile: Sendable {
        var url: URL
        /// nil when the file could not be read at all.
        var result: UploadResult?

        /// Unit, form and year the file names; nil when it is rejected before any write.
        var key: String? {
            guard let result, result.isUsable, let doc = result.submission else { return nil }
            return "\(doc.unit?.uppercased() ?? "")|\(doc.formID)|\(doc.year)"
        }
    }

    /// Stores files in one transaction, in the order given, and answers one result per file.
    typealias Store = @Sendable ([ReadFile]) async throws -> [BulkImport.FileResult]

    /// Imports `files`, calling `progress` for each file once its window is stored, in file order; the
    /// first error of a write ends the run.
    static func run(_ files: [URL], writers: Int, read: @escaping @Sendable (URL) -> ReadFile, store: @escaping Store,
                    progress: (Int, BulkImport.Summary) -> Void) async throws -> BulkImport.Summary {
        var summary = BulkImport.Summary()
        let windows = stride(from: 0, to: files.count, by: window).map { Array(files[$0..<min($0 + window, files.count)]) }
        var ahead: Task<[ReadFile], any Error>? = windows.first.map { first in Task { try await readAll(first, read) } }
        do {
            for index in windows.indices {
                guard let reading = ahead else { break }
                let readFiles = try await reading.value
                ahead = index + 1 < windows.count ? Task { [next = windows[index + 1]] in try await readAll(next, read) } : nil
                for result in try await storeAll(readFiles, writers: writers, store) {
                    summary.append(result)
                    progress(summary.results.count, summary)
                }
            }
        } catch {
            // The run ends: the next window's reads are not wanted any more.
            ahead?.cancel()
            throw error
        }
        return summary
    }

    /// Reads a window's files on NIO's blocking pool (one thread per core), in file order: not on the
    /// event loops, which `drs` makes Swift concurrency's executor and where PostgreSQL's driver
    /// works (measured: reads and writes on one loop, one core busy of two). SQLite's writes go
    /// through their own thread (`SQLiteWriter`), so they do not queue behind these reads either.
    static func readAll(_ urls: [URL], _ read: @escaping @Sendable (URL) -> ReadFile) async throws -> [ReadFile] {
        try await withThrowingTaskGroup(of: (Int, ReadFile).self) { group in
            for (i, url) in urls.enumerated() {
                group.addTask {
                    try Task.checkCancellation()
                    return (i, try await Offload.onEveryCore { read(url) })
                }
            }
            var found: [ReadFile?] = Array(repeating: nil, count: urls.count)
            for try await (i, file) in group { found[i] = file }
            return found.enumerated().map { i, file in file ?? ReadFile(url: urls[i], result: nil) }
        }
    }

    /// Stores a window: its files split into `writers` batches, each in one transaction, all of one
    /// unit, form and year in the same batch in file order.
    static func storeAll(_ files: [ReadFile], writers: Int, _ store: @escaping Store) async throws -> [BulkImport.FileResult] {
        let batches = batches(files, count: writers)
        var results: [BulkImport.FileResult?] = Array(repeating: nil, count: files.count)
        try await withThrowingTaskGroup(of: ([Int], [BulkImport.FileResult]).self) { group in
            for batch in batches {
                group.addTask { (batch, try await store(batch.map { files[$0] })) }
            }
            for try await (batch, stored) in group {
                for (i, result) in zip(batch, stored) { results[i] = result }
            }
        }
        return results.enumerated().map { i, result in
            result ?? BulkImport.FileResult(path: files[i].url.path, outcome: .rejected, unit: nil, form: nil, reasons: ["未处理"])
        }
    }

    /// The files' positions in at most `count` batches of about equal size, every file of one unit,
    /// form and year in one batch, in file order.
    static func batches(_ files: [ReadFile], count: Int) -> [[Int]] {
        var chains: [[Int]] = [], chainOf: [String: Int] = [:]
        for (i, file) in files.enumerated() {
            if let key = file.key, let c = chainOf[key] {
                chains[c].append(i)
            } else {
                if let key = file.key { chainOf[key] = chains.count }
                chains.append([i])
            }
        }
        var batches = Array(repeating: [Int](), count: max(1, min(count, chains.count)))
        for chain in chains.sorted(by: { $0.count > $1.count }) {
            let smallest = batches.indices.min { batches[$0].count < batches[$1].count } ?? 0
            batches[smallest] += chain
        }
        return batches.filter { !$0.isEmpty }.map { $0.sorted() }
    }
}
