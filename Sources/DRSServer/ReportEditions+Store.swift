import DRSStorage
import Fluent
import Foundation
import Vapor

/// Writing editions: each step in one transaction with its audit line, through the write gate (SQLite).
extension ReportEditions {
    /// Stores a candidate edition and its files, unless another step got there first.
    func store(year: Int, number: Int, notice: String, files: [ReportPackageFile]) async throws -> ReportEdition {
        let actor = req.actor, db = req.db
        let hash = Self.contentHash(files.map { ($0.name, $0.sha256) })
        do {
            return try await req.platform.gate.run {
                try await db.transaction { tx in
                    let current = try await ReportEdition.query(on: tx).filter(\.$year == year).all()
                    guard try Self.nextNumber(current, revision: number > 1) == number else { throw Self.changedMeanwhile }
                    let edition = ReportEdition(year: year, edition: number, contentHash: hash, notice: notice, nbsBy: actor.username)
                    try await edition.create(on: tx)
                    let id = try edition.requireID()
                    for file in files {
                        try await ReportEditionFile(editionID: id, name: file.name, bytes: Data(file.bytes), sha256: file.sha256).create(on: tx)
                    }
                    let names = files.map(\.name).joined(separator: "、")
                    try await Self.audit(actor, "\(Self.title(edition))抄送国家统计局（冻结的待发布版本；文件 \(names)，provenance.csv 仅供国家统计局）", edition, on: tx)
                    return edition
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Self.changedMeanwhile
        }
    }

    /// 发布: the waiting candidate becomes published, its files untouched; a revision supersedes the
    /// published edition(s) before it, which stay published and downloadable.
    func publish(year: Int, editionID: UUID) async throws -> ReportEdition {
        let actor = req.actor, db = req.db
        return try await req.platform.gate.run {
            try await db.transaction { tx in
                guard let candidate = try await ReportEdition.find(editionID, on: tx), candidate.year == year else {
                    throw APIError.notFound("报告版本")
                }
                guard candidate.state == .nbs else {
                    throw APIError(status: .conflict, code: "not_a_candidate", message: "第\(candidate.edition)版已发布，不能再次发布")
                }
                candidate.state = .published
                candidate.publishedBy = actor.username
                candidate.publishedAt = Date()
                try await candidate.save(on: tx)
                let replaced = try await ReportEdition.query(on: tx).filter(\.$year == year).filter(\.$state == .published)
                    .filter(\.$supersededBy == nil).filter(\.$id != editionID).all()
                for old in replaced {
                    old.supersededBy = editionID
                    try await old.save(on: tx)
                }
                let note = replaced.isEmpty ? "" : "，取代" + replaced.map { "第\($0.edition)版" }.joined(separator: "、") + "（仍可下载）"
                try await Self.audit(actor, "\(Self.title(candidate))发布\(note)", candidate, on: tx)
                return candidate
            }
        }
    }

    /// One audit line naming the edition, its content hash and its notice.
    static func audit(_ actor: Actor, _ what: String, _ edition: ReportEdition, on db: any Database) async throws {
        let notice = edition.notice.isEmpty ? "" : "；修订说明：\(edition.notice)"
        let detail = "\(what)：内容 SHA-256 \(edition.contentHash)；版本 ID \(edition.id?.uuidString ?? "-")\(notice)"
        try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .released,
                             detail: detail).create(on: db)
    }

    static func title(_ edition: ReportEdition) -> String { "《全国数据资源调查报告》\(edition.year)年第\(edition.edition)版" }

    static let changedMeanwhile = APIError(status: .conflict, code: "edition_changed", message: "本年度的报告版本刚有变化，请刷新页面后重试")

    /// A stored file of an edition; `publicOnly`: only published editions' public files exist.
    func file(editionID: UUID, name: String, publicOnly: Bool) async throws -> (ReportEdition, ReportEditionFile) {
        guard Self.fileOrder.contains(name), !publicOnly || Self.publicFiles.contains(name),
              let edition = try await ReportEdition.find(editionID, on: req.db), !publicOnly || edition.state == .published,
              let file = try await ReportEditionFile.query(on: req.db).filter(\.$editionID == editionID).filter(\.$name == name).first()
        else { throw APIError.notFound("文件") }
        return (edition, file)
    }

    /// The files of editions without their bytes (name, size, hash), by edition.
    func manifests(_ ids: [UUID]) async throws -> [UUID: [ReportEditionFile]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await ReportEditionFile.query(on: req.db).filter(\.$editionID ~~ ids)
            .field(\.$id).field(\.$editionID).field(\.$name).field(\.$sha256).field(\.$size).all()
        return Dictionary(grouping: rows, by: \.editionID)
    }
}
