import Foundation
import Testing
@testable import FuzzBodies

/// Replays every committed fuzz input — seed corpora, regressions (inputs that once crashed a target)
/// and the XLSX reader's hostile fixtures — through every fuzz target's body. `Fuzz/run.sh asan` runs
/// this under AddressSanitizer; a crash, a sanitizer report or a broken invariant fails the run.
@Suite struct HostileInputReplayTests {
    static let fuzzRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(in directory: URL) -> [URL] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        files(in: fuzzRoot.appendingPathComponent(kind).appendingPathComponent(target.rawValue))
    }

    static let hostileXLSXFixtures = files(in: fuzzRoot.deletingLastPathComponent()
        .appendingPathComponent("Tests/XLSXReaderTests/Fixtures")).filter { !$0.path.hasSuffix(".py") }

    @Test("every target has a seed corpus", arguments: FuzzTarget.allCases)
    func seedCorpusExists(_ target: FuzzTarget) {
        #expect(Self.inputs("Corpus", target).count >= 3, "Fuzz/Corpus/\(target.rawValue) needs seed inputs")
    }

    @Test("seeds and regressions of a target replay through its own body", arguments: FuzzTarget.allCases)
    func ownInputs(_ target: FuzzTarget) throws {
        for url in Self.inputs("Corpus", target) + Self.inputs("Regressions", target) {
            target.run(try Self.bytes(url))
        }
    }

    @Test("every committed input replays through every other body", arguments: FuzzTarget.allCases)
    func crossInputs(_ target: FuzzTarget) throws {
        for other in FuzzTarget.allCases where other != target {
            for url in Self.inputs("Corpus", other) + Self.inputs("Regressions", other) {
                target.run(try Self.bytes(url))
            }
        }
    }

    @Test("the XLSX reader's hostile fixtures go through the whole upload path")
    func hostileXLSXFixtures() throws {
        #expect(!Self.hostileXLSXFixtures.isEmpty)
        for url in Self.hostileXLSXFixtures {
            FuzzTarget.xlsxUpload.run(try Self.bytes(url))
        }
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}
