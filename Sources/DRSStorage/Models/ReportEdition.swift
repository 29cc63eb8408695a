import FluentKit
import Foundation

/// One edition of 《全国数据资源调查报告》 for a data year. An edition exists from the moment it is
/// copied to 国家统计局 (a frozen candidate, `nbs`); publishing it changes its state, never its files.
/// A revision is a new edition; publishing it marks the edition it replaces `supersededBy` it, and
/// the old one stays published and downloadable.
public final class ReportEdition: Model, @unchecked Sendable {
    public static let schema = "report_editions"

    public enum State: String, Codable, Sendable {
        /// 抄送国家统计局: the frozen candidate, waiting to be published.
        case nbs
        /// 已发布: public at `/reports`.
        case published
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "year") public var year: Int
    /// 1, 2, …: one number per year, never reused (unique with the year).
    @Field(key: "edition") public var edition: Int
    @Field(key: "state") public var state: State
    /// The published edition that replaced this one (a revision), if any.
    @OptionalField(key: "superseded_by") public var supersededBy: UUID?
    /// SHA-256 (hex) of the manifest of the stored files in the fixed order, one `sha256sum` line
    /// each (`<hex>  <name>\n`): `sha256sum report.html … | sha256sum` recomputes it.
    @Field(key: "content_hash") public var contentHash: String
    /// The revision notice (what changed and why); empty for the first edition.
    @Field(key: "notice") public var notice: String
    @Field(key: "nbs_by") public var nbsBy: String
    @Field(key: "nbs_at") public var nbsAt: Date
    @OptionalField(key: "published_by") public var publishedBy: String?
    @OptionalField(key: "published_at") public var publishedAt: Date?

    public init() {}

    public init(year: Int, edition: Int, contentHash: String, notice: String, nbsBy: String, nbsAt: Date = Date()) {
        self.year = year
        self.edition = edition
        self.state = .nbs
        self.contentHash = contentHash
        self.notice = notice
        self.nbsBy = nbsBy
        self.nbsAt = nbsAt
    }

    /// Whether a later published edition replaced this one.
    public var isSuperseded: Bool { supersededBy != nil }
}

/// One stored file of a report edition (`report.html`, `report.pdf`, `report.xlsx`, `cells.csv`,
/// `provenance.csv`): written once with the edition, never updated.
public final class ReportEditionFile: Model, @unchecked Sendable {
    public static let schema = "report_edition_files"

    @ID(key: .id) public var id: UUID?
    @Field(key: "edition_id") public var editionID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "bytes") public var bytes: Data
    /// SHA-256 of `bytes`, hex.
    @Field(key: "sha256") public var sha256: String
    @Field(key: "size") public var size: Int

    public init() {}

    public init(editionID: UUID, name: String, bytes: Data, sha256: String) {
        self.editionID = editionID
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
        self.size = bytes.count
    }
}
