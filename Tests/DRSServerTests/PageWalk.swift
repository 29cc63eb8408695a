import Foundation
import Testing

/// Follows a list page's 下一页 links to its end, then its 上一页 links back to the start: what a user
/// paging through the registry or the accounts sees.
enum PageWalk {
    /// The `href` of the link with this id, as a path (`&amp;` undone).
    static func link(_ page: String, _ id: String) -> String? {
        page.components(separatedBy: "id=\"\(id)\" href=\"").dropFirst().first?.components(separatedBy: "\"").first?
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Each page's items forwards from `first`, the same pages read back from the last, and the last
    /// page's text. `check` sees every page read forwards. At most `limit` pages each way.
    static func walk(_ client: inout Client, from first: String, next: String, previous: String, limit: Int,
                     items: (String) -> [String], check: (Client.Reply) -> Void = { _ in }) async throws
        -> (forward: [[String]], back: [[String]], last: String) {
        var forward: [[String]] = [], last = ""
        var path: String? = first
        while let current = path, forward.count <= limit {
            let page = try await client.send(.GET, current)
            check(page)
            forward.append(items(page.text))
            path = link(page.text, next)
            last = page.text
        }
        var back: [[String]] = forward.last.map { [$0] } ?? []
        path = link(last, previous)
        while let current = path, back.count <= limit {
            let page = try await client.send(.GET, current)
            back.insert(items(page.text), at: 0)
            path = link(page.text, previous)
        }
        return (forward, back, last)
    }
}
