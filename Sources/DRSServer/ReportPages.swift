import DRSStorage
import DRSOffice
import Foundation
import Vapor

/// `/admin/report`: the editions of a year and the next step of its release.
struct ReportAdminPage: Encodable {
    var layout: Layout
    var year: Int
    var years: [Int]
    var editions: [ReportEditionView]
    /// 抄送国家统计局 is possible: the year has no edition yet.
    var canSend: Bool
    /// The candidate waiting to be published.
    var candidate: ReportEditionView?
    /// 修订 is possible: an edition is published and no candidate waits.
    var canRevise: Bool
    var nextEdition: Int
    var noticeLimit: Int
    var error: String?
    var message: String?
}

/// `/reports`: the published editions of every year.
struct PublicReportsPage: Encodable {
    var layout: Layout
    var editions: [ReportEditionView]
}

/// One edition as the pages show it.
struct ReportEditionView: Encodable {
    struct FileLink: Encodable {
        var name: String
        var label: String
        var url: String
        var size: String
        var sha256: String
    }

    var id: String
    var year: Int
    var edition: Int
    var stateName: String
    var published: Bool
    var notice: String
    var nbsBy: String
    var nbsAt: String
    var publishedBy: String
    var publishedAt: String
    var superseded: Bool
    var supersededBy: String
    var hash: String
    var files: [FileLink]
}

extension ReportEditionView {
    /// The view of `edition`; `files` are its stored files, linked under `base` (`/reports` or
    /// `/admin/report/editions`), the public ones only when `publicOnly`.
    init(_ edition: ReportEdition, files: [ReportEditionFile], numbers: [UUID: Int], base: String, publicOnly: Bool) {
        let id = edition.id?.uuidString ?? ""
        self.id = id
        year = edition.year
        self.edition = edition.edition
        published = edition.state == .published
        stateName = !published ? "已抄送国家统计局，待发布" : edition.isSuperseded ? "已发布（已被取代）" : "已发布"
        notice = edition.notice
        nbsBy = edition.nbsBy
        nbsAt = ReportDownloads.timeText(edition.nbsAt)
        publishedBy = edition.publishedBy ?? ""
        publishedAt = edition.publishedAt.map(ReportDownloads.timeText) ?? ""
        superseded = edition.isSuperseded
        supersededBy = edition.supersededBy.flatMap { numbers[$0] }.map { "第\($0)版" } ?? ""
        hash = edition.contentHash
        let shown = ReportEditions.fileOrder.filter { !publicOnly || ReportEditions.publicFiles.contains($0) }
        self.files = shown.compactMap { name in
            files.first { $0.name == name }.map { file in
                FileLink(name: name, label: ReportDownloads.label(name), url: "\(base)/\(id)/\(name)",
                         size: ReportDownloads.sizeText(file.size), sha256: file.sha256)
            }
        }
    }
}

/// How stored files are answered: content type, Chinese file name, headers.
enum ReportDownloads {
    /// The report's own styles are inline; nothing else may load, nothing may run.
    static let htmlPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'none'; form-action 'none'"

    static func contentType(_ name: String) -> String {
        switch name {
        case "report.html": "text/html; charset=utf-8"
        case "report.pdf": "application/pdf"
        case "report.xlsx": TableExport.xlsxType
        default: TableExport.csvType
        }
    }

    static func label(_ name: String) -> String {
        switch name {
        case "report.html": "报告网页"
        case "report.pdf": "报告 PDF"
        case "report.xlsx": "统计表 Excel"
        case "cells.csv": "公布数据 CSV"
        default: "数据来源 CSV（仅限国家统计局）"
        }
    }

    /// `全国数据资源调查报告-2025年-第1版.pdf`, `…-公布数据.csv`.
    static func fileName(_ edition: ReportEdition, _ name: String) -> String {
        let base = "全国数据资源调查报告-\(edition.year)年-第\(edition.edition)版"
        switch name {
        case "report.html": return base + ".html"
        case "report.pdf": return base + ".pdf"
        case "report.xlsx": return base + "-统计表.xlsx"
        case "cells.csv": return base + "-公布数据.csv"
        default: return base + "-数据来源.csv"
        }
    }

    /// A stored file as a download; `confidential`: never kept by a cache (candidates, provenance).
    static func response(_ edition: ReportEdition, _ file: ReportEditionFile, confidential: Bool) -> Response {
        var headers = TableExport.downloadHeaders(type: contentType(file.name), fileName: fileName(edition, file.name))
        if file.name == "report.html" { headers.replaceOrAdd(name: "Content-Security-Policy", value: htmlPolicy) }
        headers.replaceOrAdd(name: .eTag, value: "\"\(file.sha256)\"")
        if confidential { headers.replaceOrAdd(name: .cacheControl, value: "private, no-store") }
        return Response(status: .ok, headers: headers, body: .init(data: file.bytes))
    }

    /// The draft, shown in the browser and never stored anywhere.
    static func draft(_ html: [UInt8]) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: htmlPolicy)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: html)))
    }

    static func timeText(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: date)
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, (bytes + 1023) / 1024)) KB"
    }
}
