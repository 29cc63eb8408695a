extension SubmissionStore {
    /// The cells of a stored map that a reader needs, without building the whole map: the national
    /// report reads a few dozen of a form's hundreds of cells from every verified submission, and
    /// a full parse of each was most of its work.
    ///
    /// The stored text is what `encode` writes: a flat JSON object of string values. The scan reads
    /// that shape only; anything else (an escape, a nested value) falls back to the full parser, so
    /// the result is always the same as `decode(json)` restricted to `keys`.
    public static func decode(_ json: String, keeping keys: Set<String>) -> [String: String] {
        if let fast = scan(json, keeping: keys) { return fast }
        return decode(json).filter { keys.contains($0.key) }
    }

    private static func scan(_ json: String, keeping keys: Set<String>) -> [String: String]? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var map: [String: String] = [:]
        return json.utf8.withContiguousStorageIfAvailable { bytes -> [String: String]? in
            var i = 0
            func skipSpace() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
            func expect(_ c: UInt8) -> Bool {
                skipSpace()
                guard i < bytes.count, bytes[i] == c else { return false }
                i += 1
                return true
            }
            /// A string without escapes, as its bounds; nil on anything else.
            func string() -> Range<Int>? {
                guard expect(quote) else { return nil }
                let start = i
                while i < bytes.count, bytes[i] != quote {
                    if bytes[i] == backslash { return nil }
                    i += 1
                }
                guard i < bytes.count else { return nil }
                i += 1
                return start..<(i - 1)
            }
            guard expect(UInt8(ascii: "{")) else { return nil }
            if expect(UInt8(ascii: "}")) { return map }
            while true {
                guard let key = string(), expect(UInt8(ascii: ":")), let value = string() else { return nil }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[key]), as: UTF8.self)
                if keys.contains(name) {
                    map[name] = String(decoding: UnsafeBufferPointer(rebasing: bytes[value]), as: UTF8.self)
                }
                if expect(UInt8(ascii: ",")) { continue }
                guard expect(UInt8(ascii: "}")) else { return nil }
                skipSpace()
                return i == bytes.count ? map : nil
            }
        } ?? nil
    }
}
