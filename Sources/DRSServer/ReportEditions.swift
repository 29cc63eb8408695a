import DRSStorage
import Fluent
import DRSOffice
import Foundation
import Vapor

/// Where the catalog was loaded from: the report template lives beside it (`<root>/<edition>/report.json`).
struct CatalogRootKey: StorageKey { typealias Value = URL }

extension Application {
    /// The catalog root the platform was configured with.
    var catalogRoot: URL? {
        get { storage[CatalogRootKey.self] }
        set { storage[CatalogRootKey.self] = newValue }
    }
}

/// One file of an edition's package, with its SHA-256 (hex).
struct ReportPackageFile: Sendable {
    var name: String
    var bytes: [UInt8]
    var sha256: String

    init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.sha256 = ReportEditions.hex(SHA256.hash(data: bytes))
    }
}

/// The release workflow of 《全国数据资源调查报告》: a draft rebuilt on request (never stored), a
/// frozen candidate copied to 国家统计局, its publication, and revisions as new editions. Only the
/// states and links of an edition change; its files are written once.
struct ReportEditions {
    /// The files of an edition, in the order of its content hash.
    static let fileOrder = ["report.html", "report.pdf", "report.xlsx", "cells.csv", "provenance.csv"]
    /// What the public may download (provenance.csv is for 国家统计局 only).
    static let publicFiles: Set<String> = ["report.html", "report.pdf", "report.xlsx", "cells.csv"]
    static let draftMark = "草稿"
    static let noticeLimit = 2000

    let req: Request

    /// Builds the report of `year` from the verified figures; a refused audit or a bad template is 422.
    func build(year: Int, mark: String?, edition: String?) async throws -> ReportFiles {
        guard let root = req.application.catalogRoot else { throw APIError(status: .internalServerError, code: "no_catalog_root", message: "未配置目录位置，无法生成报告") }
        let platform = req.platform
        do {
            return try await ReportPublication.build(req.db, catalog: platform.catalog, catalogRoot: root, year: year,
                                                     rules: platform.release.rules, mark: mark, edition: edition)
        } catch let refused as ReleaseRefused {
            throw APIError.unprocessable("release_refused", refused.message)
        } catch let error as AggregateError {
            throw APIError.unprocessable("report_failed", error.message)
        }
    }

    /// The year's editions, oldest first.
    func editions(year: Int) async throws -> [ReportEdition] {
        try await ReportEdition.query(on: req.db).filter(\.$year == year).sort(\.$edition).all()
    }

    /// 抄送国家统计局: the first edition of the year, built without a mark and frozen as the candidate.
    func sendToNBS(year: Int) async throws -> ReportEdition {
        let number = try Self.nextNumber(try await editions(year: year), revision: false)
        let files = try await Self.package(try await build(year: year, mark: nil, edition: nil))
        return try await store(year: year, number: number, notice: "", files: files)
    }

    /// 修订: a new candidate edition naming its number and the notice on the cover.
    func revise(year: Int, notice raw: String) async throws -> ReportEdition {
        let notice = try Self.validNotice(raw)
        let number = try Self.nextNumber(try await editions(year: year), revision: true)
        let cover = "第\(number)版（修订版）　修订说明：\(notice)"
        let files = try await Self.package(try await build(year: year, mark: nil, edition: cover))
        return try await store(year: year, number: number, notice: notice, files: files)
    }

    /// A revision's notice, trimmed: required, at most `noticeLimit` characters.
    static func validNotice(_ raw: String) throws -> String {
        let notice = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !notice.isEmpty else { throw APIError.unprocessable("notice_required", "修订须写明修订说明：改了什么、为什么改") }
        guard notice.count <= noticeLimit else { throw APIError.unprocessable("notice_too_long", "修订说明不能超过 \(noticeLimit) 字") }
        return notice
    }

    /// The number the next candidate of the year gets, or why none may be made now: one candidate
    /// waits at a time; the first is a copy, every later one a revision of a published edition.
    static func nextNumber(_ editions: [ReportEdition], revision: Bool) throws -> Int {
        if let waiting = editions.first(where: { $0.state == .nbs }) {
            throw APIError(status: .conflict, code: "candidate_waiting",
                           message: "第\(waiting.edition)版已抄送国家统计局、尚未发布；同一年度一次只能有一个待发布版本，请先发布")
        }
        let last = editions.map(\.edition).max() ?? 0
        if revision, last == 0 {
            throw APIError(status: .conflict, code: "nothing_to_revise", message: "本年度尚无已发布的报告，请先抄送国家统计局")
        }
        if !revision, last > 0 {
            throw APIError(status: .conflict, code: "already_sent", message: "本年度已有第\(last)版；更正已发布的报告请用修订，并写明修订说明")
        }
        return last + 1
    }

    /// The package of a build: the HTML, the PDF when Chromium is installed, the workbook and both CSVs.
    static func package(_ files: ReportFiles) async throws -> [ReportPackageFile] {
        var package = [ReportPackageFile(name: "report.html", bytes: files.html)]
        if let pdf = try await pdf(html: files.html) { package.append(ReportPackageFile(name: "report.pdf", bytes: pdf)) }
        package.append(ReportPackageFile(name: "report.xlsx", bytes: files.xlsx))
        package.append(ReportPackageFile(name: "cells.csv", bytes: files.cells))
        package.append(ReportPackageFile(name: "provenance.csv", bytes: files.provenance))
        return package
    }

    /// `report.pdf` printed from the HTML in a scratch folder (removed after), or nil without Chromium.
    static func pdf(html: [UInt8]) async throws -> [UInt8]? {
        do {
            return try await Offload.run {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drs-report-\(UUID().uuidString)", isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let page = folder.appendingPathComponent("report.html"), pdf = folder.appendingPathComponent("report.pdf")
                try Data(html).write(to: page)
                guard try ReportPublication.printPDF(html: page, to: pdf) != nil else { return nil }
                return Array(try Data(contentsOf: pdf))
            }
        } catch let error as AggregateError {
            throw APIError.unprocessable("pdf_failed", error.message)
        }
    }

    /// SHA-256 of the manifest: one `sha256sum` line per file (`<hex>  <name>\n`) in `fileOrder`.
    static func contentHash(_ files: [(name: String, sha256: String)]) -> String {
        let manifest = fileOrder.compactMap { name in files.first { $0.name == name }.map { "\($0.sha256)  \(name)\n" } }.joined()
        return hex(SHA256.hash(data: Array(manifest.utf8)))
    }

    static func hex(_ digest: SHA256Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
