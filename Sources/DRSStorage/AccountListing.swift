import FluentKit
import Foundation
import SQLKit

/// 账户管理's list a page at a time, in username order (the unique index on `username`): a nation
/// has an account or more per unit, far too many for one page. The search is the database's.
public enum AccountListing {
    /// `limit` accounts whose username or name contains `text` (all when nil): the first after
    /// skipping `offset`, or those after or before a username (the page's links).
    public static func page(on db: any Database, text: String?, limit: Int, offset: Int = 0,
                            after: String? = nil, before: String? = nil) async throws -> [UserAccount] {
        guard let sql = db as? any SQLDatabase, limit > 0 else { return [] }
        var condition = Self.condition(text)
        if let after { condition += " AND username > \(bind: after)" }
        if let before { condition += " AND username < \(bind: before)" }
        let direction = before == nil ? "" : " DESC"
        let skip: SQLQueryString = after == nil && before == nil && offset > 0 ? " OFFSET \(literal: offset)" : ""
        let ids = try await sql.raw("""
            SELECT id FROM users WHERE 1 = 1\(condition) ORDER BY username\(unsafeRaw: direction) LIMIT \(literal: limit)\(skip)
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        let accounts = Dictionary(try await UserAccount.query(on: db).filter(\.$id ~~ ids).all().compactMap { a in a.id.map { ($0, a) } },
                                  uniquingKeysWith: { a, _ in a })
        let ordered = ids.compactMap { accounts[$0] }
        return before == nil ? ordered : ordered.reversed()
    }

    /// How many accounts the search leaves.
    public static func count(on db: any Database, text: String?) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        return try await sql.raw("SELECT COUNT(*) AS n FROM users WHERE 1 = 1\(Self.condition(text))").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func condition(_ text: String?) -> SQLQueryString {
        guard let text, !text.isEmpty else { return "" }
        let pattern = LikePattern.containing(text)
        return " AND (username LIKE \(bind: pattern) ESCAPE '\\' OR display_name LIKE \(bind: pattern) ESCAPE '\\')"
    }
}
