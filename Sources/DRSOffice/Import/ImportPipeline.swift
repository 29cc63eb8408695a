import DRSExchange
import Foundation

/// `drs import` at national speed (100,000 files): files are read and checked on every core a window
/// ahead of the writes, and a window's writes go several at a time — PostgreSQL commits them side by
/// side, SQLite's single writer takes them in turn. Each file is still stored in its own transaction
/// with its audit lines (all or nothing), files naming the same unit, form and year are stored in
/// file order, and the results come back in file order.
enum ImportPipeline {
    /// Files read ahead of the writes.
    static let window = 64
    /// Files stored at a time on PostgreSQL (a session's pool holds four connections per event loop);
    /// SQLite stores one at a time (one writer: side by side, its transactions met "database is locked").
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

    typealias Store = @Sendable (ReadFile) async throws -> BulkImport.FileResult

    /// Imports `files`, calling `progress` after each file in order; the first error of a write ends the run.
    static func run(_ files: [URL], writers: Int, read: @escaping @Sendable (URL) -> ReadFile, store: @escaping Store,
                    progress: (Int, BulkImport.Summary) -> Void) async throws -> BulkImport.Summary {
        var summary = BulkImport.Summary()
        let windows = stride(from: 0, to: files.count, by: window).map { Array(files[$0..<min($0 + window, files.count)]) }
        var ahead: Task<[ReadFile], any Error>? = windows.first.map { first in Task { try await readAll(first, read) } }
        for index in windows.indices {
            guard let reading = ahead else { break }
            let readFiles = try await reading.value
            ahead = index + 1 < windows.count ? Task { [next = windows[index + 1]] in try await readAll(next, read) } : nil
            for result in try await storeAll(readFiles, writers: writers, store) {
                summary.results.append(result)
                progress(summary.results.count, summary)
            }
        }
        return summary
    }

    /// Reads a window's files on the blocking pool, all at once, in file order.
    static func readAll(_ urls: [URL], _ read: @escaping @Sendable (URL) -> ReadFile) async throws -> [ReadFile] {
        try await withThrowingTaskGroup(of: (Int, ReadFile).self) { group in
            for (i, url) in urls.enumerated() {
                group.addTask { (i, try await Offload.run { read(url) }) }
            }
            var found: [ReadFile?] = Array(repeating: nil, count: urls.count)
            for try await (i, file) in group { found[i] = file }
            return found.enumerated().map { i, file in file ?? ReadFile(url: urls[i], result: nil) }
        }
    }

    /// Stores a window: one chain per unit, form and year (in file order), `writers` chains at a time.
    static func storeAll(_ files: [ReadFile], writers: Int, _ store: @escaping Store) async throws -> [BulkImport.FileResult] {
        var chains: [[Int]] = [], chainOf: [String: Int] = [:]
        for (i, file) in files.enumerated() {
            if let key = file.key, let c = chainOf[key] {
                chains[c].append(i)
            } else {
                if let key = file.key { chainOf[key] = chains.count }
                chains.append([i])
            }
        }
        var results: [BulkImport.FileResult?] = Array(repeating: nil, count: files.count)
        try await withThrowingTaskGroup(of: [(Int, BulkImport.FileResult)].self) { group in
            var next = 0
            func add(_ chain: [Int], to group: inout ThrowingTaskGroup<[(Int, BulkImport.FileResult)], any Error>) {
                group.addTask {
                    var done: [(Int, BulkImport.FileResult)] = []
                    for i in chain { done.append((i, try await store(files[i]))) }
                    return done
                }
            }
            while next < min(max(1, writers), chains.count) {
                add(chains[next], to: &group)
                next += 1
            }
            for try await done in group {
                for (i, result) in done { results[i] = result }
                if next < chains.count {
                    add(chains[next], to: &group)
                    next += 1
                }
            }
        }
        return results.enumerated().map { i, result in
            result ?? BulkImport.FileResult(path: files[i].url.path, outcome: .rejected, unit: nil, form: nil, reasons: ["未处理"])
        }
    }
}
