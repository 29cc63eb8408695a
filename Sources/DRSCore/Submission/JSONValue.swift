/// A JSON document that keeps numbers as the text they were written in.
///
/// Submissions carry figures as JSON numbers or strings; a general-purpose decoder would turn
/// `0.1` into a binary double before we see it. This reader keeps `number("0.1")` so the exact
/// decimal reader decides, and reports syntax errors with line and column.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Member lookup for objects (first match).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var objectMembers: [(String, JSONValue)]? {
        if case .object(let m) = self { return m }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A short description of the value's kind, in Chinese, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "布尔值"
        case .number: "数字"
        case .string: "文本"
        case .array: "数组"
        case .object: "对象"
        }
    }
}

/// A JSON syntax error, with where it is and a stable code: `malformed_json`, `duplicate_key` (the
/// same key twice in one object), `invalid_number` (`01`, `-007`), `too_deep` (over 64 levels).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String
    public var code: String = "malformed_json"
    /// Where in the document, as dotted keys and indexes (`values.01.cur`); empty at the top.
    public var path: String = ""
    public var description: String { "JSON 格式错误（第\(line)行第\(column)列）：\(reason)" }
}

extension JSONValue {
    /// Parses a complete JSON text strictly (RFC 8259, and no more): a key repeated in one object
    /// and a number with a leading zero are errors, not "the last one wins" or "read as decimal", so
    /// every layer that reads the same body sees the same value. Exponents are valid JSON and kept as
    /// written (`1.5e3`); a figure with one is read exactly by `NumberInput`. Nesting is limited to
    /// 64 levels, so a deep document cannot exhaust the stack.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        return try reader.document()
    }

    public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        return try reader.document()
    }

    /// An object whose every value is a text, read straight into a dictionary: the stored form of a
    /// submission's cells and explanations, which every save reads. The same strict rules as `parse`;
    /// nil for any other valid JSON (an array, a number among the values…).
    public static func parseTextObject(_ text: String) throws(JSONSyntaxError) -> [String: String]? {
        var reader = JSONReader(bytes: Array(text.utf8))
        return try reader.textObjectDocument()
    }

    /// The text of an object whose every value is a text, keys in sorted order, written straight from
    /// the dictionary: what `parseTextObject` reads back. Equal maps give equal texts.
    public static func serializedTextObject(_ map: [String: String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(map.count * 24 + 2)
        for (i, member) in map.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            quote(member.key, into: &out)
            out.append(UInt8(ascii: ":"))
            quote(member.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks that bytes are strict JSON (see `parse`) without keeping the document.
    public static func validate<Bytes: Collection>(bytes: Bytes) throws(JSONSyntaxError) where Bytes.Element == UInt8 {
        var reader = JSONReader(bytes: Array(bytes))
        _ = try reader.document()
    }

    /// The deepest nesting `parse` accepts.
    public static let maximumDepth = 64
}

private struct JSONReader {
    let bytes: [UInt8]
    var position = 0
    var depth = 0
    /// Keys and indexes from the top to the value being read, for errors that name where.
    var path: [String] = []

    init(bytes: [UInt8]) {
        // Skip a UTF-8 byte order mark, as Windows editors write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.bytes = Array(bytes.dropFirst(3)) } else { self.bytes = bytes }
    }

    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        if position >= bytes.count { throw error("文件为空，没有 JSON 内容") }
        let value = try self.value()
        skipWhitespace()
        if position < bytes.count { throw error("JSON 结束后还有多余的内容") }
        return value
    }

    /// `document()` for an object of texts, without a `JSONValue` per member. Anything else — another
    /// shape, or not JSON — is read again by `document()`: its error is thrown, another shape is nil.
    mutating func textObjectDocument() throws(JSONSyntaxError) -> [String: String]? {
        let start = position
        if let members = textObject() {
            skipWhitespace()
            if position == bytes.count { return members }
        }
        position = start
        _ = try document()
        return nil
    }

    /// An object of texts at `position`, or nil at the first thing that is not part of one (a
    /// repeated key included).
    private mutating func textObject() -> [String: String]? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        var members: [String: String] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return members }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = try? string() else { return nil }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let value = try? string(),
                  members.updateValue(value, forKey: key) == nil else { return nil }
            skipWhitespace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return members }
            return nil
        }
    }

    func error(_ reason: String, code: String = "malformed_json") -> JSONSyntaxError {
        var line = 1, column = 1
        var i = 0
        while i < min(position, bytes.count) {
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONSyntaxError(line: line, column: column, reason: reason, code: code, path: path.joined(separator: "."))
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw error("内容意外结束") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("此处应为一个值（对象、数组、文本、数字、true、false 或 null）")
        }
    }

    mutating func literal(_ word: String, _ result: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let w = Array(word.utf8)
        guard position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w else {
            throw error("无法识别的内容")
        }
        position += w.count
        return result
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONValue.maximumDepth { throw error("嵌套层次过深（最多\(JSONValue.maximumDepth)层）", code: "too_deep") }
    }

    mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter(); defer { depth -= 1 }
        position += 1
        var members: [(String, JSONValue)] = []
        // Repeated keys are looked for among the members while there are few (a row's columns, a
        // cell's members), by a set once there are many (a form's rows): no set for a small object.
        var keys: Set<String> = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("此处应为用双引号括起的键名") }
            let keyStart = position
            let key = try string()
            // A repeated key is refused: readers disagree on which one counts (issue #11, finding 11).
            let repeated: Bool
            if members.count < Self.keysScannedWithoutSet {
                repeated = members.contains { $0.0 == key }
            } else {
                if keys.isEmpty { keys = Set(members.map(\.0)) }
                repeated = !keys.insert(key).inserted
            }
            guard !repeated else {
                position = keyStart
                path.append(key)
                throw error("键「\(path.joined(separator: "."))」重复出现，同一对象中的键只能出现一次", code: "duplicate_key")
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("键名后应为冒号 :") }
            position += 1
            path.append(key)
            members.append((key, try value()))
            path.removeLast()
            skipWhitespace()
            guard position < bytes.count else { throw error("对象没有结束（缺少 }）") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("此处应为逗号 , 或 }")
        }
    }

    /// Up to this many members, an object's keys are compared one by one rather than hashed.
    static let keysScannedWithoutSet = 8

    mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter(); defer { depth -= 1 }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            path.append(String(elements.count))
            elements.append(try value())
            path.removeLast()
            skipWhitespace()
            guard position < bytes.count else { throw error("数组没有结束（缺少 ]）") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("此处应为逗号 , 或 ]")
        }
    }

    mutating func number() throws(JSONSyntaxError) -> String {
        let start = position
        func digits() -> Int {
            let s = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            return position - s
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0 else { throw error("数字格式不正确", code: "invalid_number") }
        // RFC 8259: no leading zeros. `01` would be 1 to one reader and an error (or octal) to another.
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            position = start
            throw error(numberProblem("数字「\(String(decoding: bytes[start..<integerStart + integerDigits], as: UTF8.self))」不能以 0 开头"),
                        code: "invalid_number")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error(numberProblem("小数点后应有数字"), code: "invalid_number") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error(numberProblem("指数部分应有数字"), code: "invalid_number") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// A number's problem, naming the key it belongs to when there is one.
    func numberProblem(_ reason: String) -> String {
        path.isEmpty ? reason : "「\(path.joined(separator: "."))」：\(reason)"
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        // Most texts (keys, cell codes, figures) have no escape: made from the bytes in one step.
        let start = position
        var ascii = true
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let end = position
                position += 1
                guard let s = Self.text(bytes[start..<end], ascii: ascii) else { throw error("文本不是有效的 UTF-8 编码") }
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            if b >= 0x80 { ascii = false }
            position += 1
        }
        var out = Array(bytes[start..<position])
        while position < bytes.count {
            let b = bytes[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                guard let s = Self.text(out[...], ascii: false) else { throw error("文本不是有效的 UTF-8 编码") }
                return s
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x00..<0x20:
                throw error("文本中含有未转义的控制字符（如换行）")
            default:
                out.append(b)
                position += 1
            }
        }
        throw error("文本没有结束（缺少右双引号）")
    }

    /// The text of UTF-8 bytes, or nil when they are not valid UTF-8. ASCII (keys, cell codes, figures)
    /// is valid as it is; other bytes are decoded with repair and kept only when nothing was repaired,
    /// which is exactly when they were valid. (`String(validating:as:)` is generic and, called for every
    /// text of every body, cost more than the rest of the parse.)
    static func text(_ bytes: ArraySlice<UInt8>, ascii: Bool) -> String? {
        bytes.withUnsafeBufferPointer { buffer -> String? in
            let s = String(decoding: buffer, as: UTF8.self)
            if ascii { return s }
            let unchanged = s.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(buffer) } ?? s.utf8.elementsEqual(buffer)
            return unchanged ? s : nil
        }
    }

    /// An escape (`\n`, `\u4E2D`, a surrogate pair…) at `position`, its bytes appended to `out`.
    mutating func escape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        position += 1
        guard position < bytes.count else { throw error("文本没有结束") }
        let e = bytes[position]
        position += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw error("不完整的 UTF-16 代理对")
                }
                position += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("不完整的 UTF-16 代理对") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let u = Unicode.Scalar(scalar) else { throw error("无效的 Unicode 转义") }
            out.append(contentsOf: Array(String(Character(u)).utf8))
        default: throw error("无效的转义字符")
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("\\u 后应有4位十六进制数") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("\\u 后应有4位十六进制数")
            }
            v = v * 16 + d
            position += 1
        }
        return v
    }
}

extension JSONValue {
    /// Serialises compactly or pretty-printed (2 spaces), keys in stored order, Chinese unescaped.
    public func serialized(pretty: Bool = false, indent: Int = 0) -> String {
        String(decoding: serializedBytes(pretty: pretty, indent: indent), as: UTF8.self)
    }

    /// The same text as UTF-8 bytes, built directly (a response body needs no `String` in between).
    public func serializedBytes(pretty: Bool = false, indent: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, pretty: pretty, level: indent)
        return out
    }

    private func write(to out: inout [UInt8], pretty: Bool, level: Int) {
        func newline(_ level: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: 2 * level))
        }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                item.write(to: &out, pretty: pretty, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                JSONValue.quote(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(0x20) }
                value.write(to: &out, pretty: pretty, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        quote(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Quotes a string: `"` `\\` and control characters escaped, everything else (Chinese included)
    /// copied as UTF-8. Multi-byte sequences never contain bytes below 0x80, so a byte scan is exact.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most texts need no escape: copied from the string's own storage in one step.
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: needsEscape) else { return false }
            out.append(contentsOf: bytes)
            return true
        } ?? false
        if !plain {
            for byte in s.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0xF)])
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}

extension JSONValue {
    /// An integer as a JSON number.
    public static func int(_ i: Int) -> JSONValue { .number(String(i)) }
    /// A string, or null when there is none.
    public static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
}
