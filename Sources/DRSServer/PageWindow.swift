import Vapor

/// One page of a long list (`?page=2&pageSize=100`): what a reviewer's queue sends, so a response is
/// bounded however many submissions a province or the nation has. Pages count from 1; a page past the
/// end is the last one.
struct PageWindow: Sendable, Equatable {
    static let defaultSize = 200
    static let maximumSize = 500

    var page: Int
    var size: Int
    var total: Int

    var pages: Int { max(1, (total + size - 1) / size) }
    var hasPrevious: Bool { page > 1 }
    var hasNext: Bool { page < pages }

    /// The request's `page` and `pageSize` (400 `bad_page` if not whole numbers in range), unclamped:
    /// checked before the list is made, placed over it with `over(total:)`.
    struct Request: Sendable {
        var page: Int
        var size: Int

        func over(total: Int) -> PageWindow { PageWindow(page: page, size: size, total: total) }
    }

    static func requested(_ req: Vapor.Request, defaultSize: Int = Self.defaultSize, maximumSize: Int = Self.maximumSize) throws -> Request {
        func number(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = req.query[String.self, at: name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw APIError.badRequest("bad_page", "\(name) 应为 \(range.lowerBound)–\(range.upperBound) 的整数")
            }
            return number
        }
        return Request(page: try number("page", default: 1, range: 1...1_000_000),
                       size: try number("pageSize", default: defaultSize, range: 1...maximumSize))
    }

    init(page: Int, size: Int, total: Int) {
        self.size = size
        self.total = total
        self.page = 1
        self.page = min(page, pages)
    }

    /// The items of this page.
    func slice<Items: RandomAccessCollection>(_ items: Items) -> Items.SubSequence where Items.Index == Int {
        let start = items.startIndex + min((page - 1) * size, items.count)
        return items[start..<min(start + size, items.endIndex)]
    }
}

/// A list page's pager: 「第 2 / 9 页，共 1,734 份」 with links to the previous and next page.
struct Pager: Encodable {
    var page: Int
    var pages: Int
    var total: Int
    var size: Int
    var previous: String
    var next: String
    var hasPrevious: Bool
    var hasNext: Bool
    var isPaged: Bool

    init(_ window: PageWindow, link: (Int) -> String) {
        page = window.page
        pages = window.pages
        total = window.total
        size = window.size
        hasPrevious = window.hasPrevious
        hasNext = window.hasNext
        previous = window.hasPrevious ? link(window.page - 1) : ""
        next = window.hasNext ? link(window.page + 1) : ""
        isPaged = window.pages > 1
    }
}

/// A page of a list read by key (after or before an item of the last page) or by number, read as one
/// item more than the page: that one says whether another page follows or, walking back, precedes.
struct KeyedPage<Item> {
    var items: [Item]
    var hasPrevious: Bool
    var hasNext: Bool

    /// `backward`: read before an item (the nearest `size`, in the list's order); `continued`: after one.
    init(read: [Item], size: Int, page: Int, backward: Bool, continued: Bool) {
        let beyond = read.count > size
        items = backward ? Array(read.suffix(size)) : Array(read.prefix(size))
        hasPrevious = backward ? beyond : (continued || page > 1)
        hasNext = backward ? true : beyond
    }
}
