import DRSCore
@testable import DRSOffice
import DRSExchange
import Foundation
import Testing

/// `drs import` stores a window of files in a few transactions: every file in exactly one batch, all
/// files naming one unit, form and year in the same batch in file order, the batches about equal.
@Suite struct ImportBatchesTests {
    func file(_ n: Int, unit: String?) -> ImportPipeline.ReadFile {
        let doc = SubmissionDocument(formID: "E5", year: 2026, unit: unit, values: CellValues(count: 1), lastYear: nil, answers: [:],
                                     explanations: [:], profile: nil)
        return ImportPipeline.ReadFile(url: URL(fileURLWithPath: "/f/\(n).csv"), result: unit == nil ? nil : UploadResult(submission: doc, problems: []))
    }

    @Test func batchesKeepAUnitsFilesTogetherInFileOrder() {
        // 40 files: units u0…u9 each named up to four times, interleaved, and unreadable ones between.
        let units: [String?] = (0..<40).map { $0 % 7 == 3 ? nil : "u\(($0 * 3) % 10)" }
        let files = units.enumerated().map { file($0.offset, unit: $0.element) }
        for writers in [1, 2, 4, 64] {
            let batches = ImportPipeline.batches(files, count: writers)
            #expect(batches.count == min(writers, Set(files.map { $0.key ?? "\($0.url)" }).count))
            #expect(batches.flatMap { $0 }.sorted() == Array(files.indices), "every file exactly once")
            for batch in batches { #expect(batch == batch.sorted(), "file order within a batch") }
            for unit in Set(units.compactMap { $0 }) {
                let holding = batches.filter { $0.contains { units[$0] == unit } }
                #expect(holding.count == 1, "\(unit) in one batch")
            }
            let sizes = batches.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 4, "about equal: \(sizes)")
        }
        #expect(ImportPipeline.batches([], count: 4).isEmpty)
    }
}
