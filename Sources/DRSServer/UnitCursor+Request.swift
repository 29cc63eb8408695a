import DRSStorage
import Foundation
import Vapor

extension UnitCursor {
    /// The request's `after` or `before` (a unit's id; at most one of them), or nil.
    static func requested(_ req: Request) throws -> UnitCursor? {
        func id(_ name: String) throws -> UUID? {
            guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
            guard let id = UUID(uuidString: text) else { throw APIError.badRequest("bad_page", "\(name) 应为单位的 id") }
            return id
        }
        switch (try id("after"), try id("before")) {
        case (nil, nil): return nil
        case (let after?, nil): return .after(after)
        case (nil, let before?): return .before(before)
        case (_?, _?): throw APIError.badRequest("bad_page", "after 与 before 只能给出一个")
        }
    }

    /// `after=…` or `before=…`, for a link.
    var queryItem: String {
        switch self {
        case .after(let id): "after=\(id.uuidString)"
        case .before(let id): "before=\(id.uuidString)"
        }
    }
}
