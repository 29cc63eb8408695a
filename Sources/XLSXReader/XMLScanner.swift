/// A malformed XML part.
struct XMLError: Error, Sendable {
    var offset: Int
    var reason: String
}

/// A small pull scanner for the XML of OOXML parts, over bytes it does not own (valid while the
/// caller's `withUnsafeBufferPointer` lasts). It checks well-formedness as far as a reader needs:
/// tags closed and matched, one root element, quoted attributes, known entities; it refuses a
/// DOCTYPE (no entity expansion, so no billion-laughs). Element and attribute names are reported by
/// their local part (`x:c` → `c`, `r:id` → `id`); `xmlns` declarations are skipped. Comments and
/// processing instructions are skipped, CDATA sections come as text.
struct XMLScanner {
    enum Event: Equatable { case start, end, text, eof }

    struct Attribute {
        var nameStart: Int
        var nameEnd: Int
        var valueStart: Int
        var valueEnd: Int
        var hasReference: Bool
    }

    /// Bounds that keep a hostile part from costing more memory than its own size: no OOXML part
    /// the reader parses comes near them.
    static let maxDepth = 256
    static let maxAttributes = 1024

    let p: UnsafePointer<UInt8>
    let n: Int
    private(set) var i: Int
    /// Open elements, including the one just started (and, on an end event, no longer the one ended).
    var depth: Int { stack.count }
    /// Local name of the element of the last start or end event.
    private(set) var nameStart = 0
    private(set) var nameEnd = 0
    /// Whether the last start tag was `<… />` (its end event follows immediately).
    private(set) var isEmptyElement = false
    private(set) var textStart = 0
    private(set) var textEnd = 0
    private(set) var textIsCDATA = false
    private(set) var textHasReference = false
    private(set) var attributes: [Attribute] = []
    /// Qualified names of the open elements, to match end tags.
    private var stack: [(start: Int, end: Int)] = []
    private var pendingEnd = false
    private var sawRoot = false

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        // A zero-length buffer may have no base address; nothing is read from it then.
        p = buffer.baseAddress ?? UnsafePointer(bitPattern: 0x10)!
        n = buffer.count
        i = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }  // UTF-8 byte order mark
        attributes.reserveCapacity(8)
        stack.reserveCapacity(16)
    }

    private func fail(_ reason: String) -> XMLError { XMLError(offset: i, reason: reason) }

    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    @inline(__always) private static func endsName(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x3E /* > */ || c == 0x2F /* / */ || c == 0x3D /* = */
    }

    private func hasPrefix(_ s: StaticString, at k: Int) -> Bool {
        let m = s.utf8CodeUnitCount
        guard k + m <= n else { return false }
        let q = s.utf8Start
        for j in 0..<m where p[k + j] != q[j] { return false }
        return true
    }

    /// The index of `s` at or after `k`, or nil.
    private func find(_ s: StaticString, from k: Int) -> Int? {
        let m = s.utf8CodeUnitCount
        let first = s.utf8Start[0]
        var j = k
        while j + m <= n {
            if p[j] == first && hasPrefix(s, at: j) { return j }
            j += 1
        }
        return nil
    }

    mutating func next() throws(XMLError) -> Event {
        if pendingEnd {
            pendingEnd = false
            stack.removeLast()
            return .end
        }
        while true {
            guard i < n else {
                guard stack.isEmpty else { throw fail("unexpected end of document") }
                guard sawRoot else { throw fail("no root element") }
                return .eof
            }
            if p[i] != 0x3C /* < */ {
                if try scanText() { return .text }
                continue
            }
            guard i + 1 < n else { throw fail("unexpected end of document") }
            switch p[i + 1] {
            case 0x2F:  // </name>
                return try endTag()
            case 0x3F:  // <? … ?>
                guard let end = find("?>", from: i + 2) else { throw fail("unterminated processing instruction") }
                i = end + 2
            case 0x21:  // <!
                if try declaration() { return .text }
            default:
                return try startTag()
            }
        }
    }

    /// Character data up to the next `<`: a text event inside the root element (true), white space
    /// outside it (false, skipped).
    @inline(__always) private mutating func scanText() throws(XMLError) -> Bool {
        let start = i
        var reference = false
        while i < n {
            let c = p[i]
            if c == 0x3C { break }
            if c == 0x26 { reference = true }
            i += 1
        }
        if stack.isEmpty {
            for k in start..<i where !Self.isSpace(p[k]) { throw XMLError(offset: k, reason: "text outside the root element") }
            return false
        }
        textStart = start
        textEnd = i
        textIsCDATA = false
        textHasReference = reference
        return true
    }

    /// `</name>`, which must close the innermost open element.
    @inline(__always) private mutating func endTag() throws(XMLError) -> Event {
        let qStart = i + 2
        var k = qStart
        while k < n && !Self.endsName(p[k]) { k += 1 }
        let qEnd = k
        while k < n && Self.isSpace(p[k]) { k += 1 }
        guard k < n, p[k] == 0x3E else { i = k; throw fail("malformed end tag") }
        guard let open = stack.last else { throw fail("end tag without start tag") }
        guard open.end - open.start == qEnd - qStart, memoryEqual(open.start, qStart, qEnd - qStart) else {
            throw fail("mismatched end tag")
        }
        stack.removeLast()
        setName(qStart, qEnd)
        i = k + 1
        return .end
    }

    /// `<!…`: a comment is skipped (false), a CDATA section is a text event (true), anything else
    /// (a DOCTYPE) is refused.
    @inline(__always) private mutating func declaration() throws(XMLError) -> Bool {
        if hasPrefix("<!--", at: i) {
            guard let end = find("-->", from: i + 4) else { throw fail("unterminated comment") }
            i = end + 3
            return false
        } else if hasPrefix("<![CDATA[", at: i) {
            guard !stack.isEmpty else { throw fail("CDATA outside the root element") }
            guard let end = find("]]>", from: i + 9) else { throw fail("unterminated CDATA section") }
            textStart = i + 9
            textEnd = end
            textIsCDATA = true
            textHasReference = false
            i = end + 3
            return true
        } else {
            throw fail("DOCTYPE or other declarations are not accepted")
        }
    }

    private mutating func setName(_ start: Int, _ end: Int) {
        var local = start
        var k = end - 1
        while k >= start {
            if p[k] == 0x3A { local = k + 1; break }
            k -= 1
        }
        nameStart = local
        nameEnd = end
    }

    private func memoryEqual(_ a: Int, _ b: Int, _ count: Int) -> Bool {
        for j in 0..<count where p[a + j] != p[b + j] { return false }
        return true
    }

    private mutating func startTag() throws(XMLError) -> Event {
        guard !(stack.isEmpty && sawRoot) else { throw fail("more than one root element") }
        let qStart = i + 1
        var k = qStart
        while k < n && !Self.endsName(p[k]) { k += 1 }
        guard k > qStart, k < n else { throw fail("malformed start tag") }
        let qEnd = k
        attributes.removeAll(keepingCapacity: true)
        isEmptyElement = false
        while true {
            let beforeSpace = k
            while k < n && Self.isSpace(p[k]) { k += 1 }
            guard k < n else { i = k; throw fail("unterminated start tag") }
            let c = p[k]
            if c == 0x3E {
                k += 1
                break
            }
            if c == 0x2F {
                guard k + 1 < n, p[k + 1] == 0x3E else { i = k; throw fail("malformed empty-element tag") }
                k += 2
                isEmptyElement = true
                break
            }
            guard k > beforeSpace else { i = k; throw fail("attributes must be separated by white space") }
            try scanAttribute(&k)
        }
        i = k
        sawRoot = true
        guard stack.count < Self.maxDepth else { throw fail("elements nested too deeply") }
        stack.append((qStart, qEnd))
        setName(qStart, qEnd)
        if isEmptyElement { pendingEnd = true }
        return .start
    }

    /// One `name="value"` of a start tag from `k`, which is left after its closing quote.
    @inline(__always) private mutating func scanAttribute(_ k: inout Int) throws(XMLError) {
        let aStart = k
        var local = k
        while k < n && !Self.endsName(p[k]) {
            if p[k] == 0x3A { local = k + 1 }
            k += 1
        }
        let aEnd = k
        guard aEnd > aStart else { i = k; throw fail("malformed attribute") }
        while k < n && Self.isSpace(p[k]) { k += 1 }
        guard k < n, p[k] == 0x3D else { i = k; throw fail("attribute without value") }
        k += 1
        while k < n && Self.isSpace(p[k]) { k += 1 }
        guard k < n, p[k] == 0x22 || p[k] == 0x27 else { i = k; throw fail("unquoted attribute value") }
        let quote = p[k]
        k += 1
        let vStart = k
        var reference = false
        while k < n && p[k] != quote {
            if p[k] == 0x26 { reference = true } else if p[k] == 0x3C { i = k; throw fail("'<' in attribute value") }
            k += 1
        }
        guard k < n else { i = k; throw fail("unterminated attribute value") }
        let vEnd = k
        k += 1
        // Namespace declarations (xmlns, xmlns:x) are not attributes for the reader.
        let isNamespace = aEnd - aStart >= 5 && p[aStart] == 0x78 && p[aStart + 1] == 0x6D && p[aStart + 2] == 0x6C
            && p[aStart + 3] == 0x6E && p[aStart + 4] == 0x73 && (aEnd - aStart == 5 || p[aStart + 5] == 0x3A)
        if !isNamespace {
            guard attributes.count < Self.maxAttributes else { i = k; throw fail("too many attributes") }
            attributes.append(Attribute(nameStart: local, nameEnd: aEnd, valueStart: vStart, valueEnd: vEnd, hasReference: reference))
        }
    }

    // MARK: Names and values

    /// Whether the current element's local name is `s`.
    @inline(__always) func nameIs(_ s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard nameEnd - nameStart == m else { return false }
        let q = s.utf8Start
        for j in 0..<m where p[nameStart + j] != q[j] { return false }
        return true
    }

    /// The current start tag's attribute with local name `s`.
    @inline(__always) func attribute(_ s: StaticString) -> Attribute? {
        let m = s.utf8CodeUnitCount
        let q = s.utf8Start
        outer: for a in attributes where a.nameEnd - a.nameStart == m {
            for j in 0..<m where p[a.nameStart + j] != q[j] { continue outer }
            return a
        }
        return nil
    }

    /// Whether the attribute's raw value is exactly `s` (for values without references).
    func value(_ a: Attribute, is s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard a.valueEnd - a.valueStart == m else { return false }
        let q = s.utf8Start
        for j in 0..<m where p[a.valueStart + j] != q[j] { return false }
        return true
    }

    /// The attribute's value, references resolved and white space normalised (XML 1.0 §3.3.3).
    func string(_ a: Attribute) throws(XMLError) -> String {
        if !a.hasReference {
            var plain = true
            for k in a.valueStart..<a.valueEnd where p[k] < 0x20 { plain = false; break }
            if plain { return String(decoding: UnsafeBufferPointer(start: p + a.valueStart, count: a.valueEnd - a.valueStart), as: UTF8.self) }
        }
        var bytes: [UInt8] = []
        try decode(a.valueStart, a.valueEnd, into: &bytes, attribute: true, cdata: false)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The attribute's value as bytes, references resolved.
    func bytes(_ a: Attribute, into out: inout [UInt8]) throws(XMLError) {
        try decode(a.valueStart, a.valueEnd, into: &out, attribute: true, cdata: false)
    }

    /// Appends the current text event's characters (references resolved, line ends normalised).
    @inline(__always) func appendText(to out: inout [UInt8]) throws(XMLError) {
        try decode(textStart, textEnd, into: &out, attribute: false, cdata: textIsCDATA)
    }

    /// Skips to the end of the current element (after its start event), returning after its end event.
    mutating func skipElement() throws(XMLError) {
        let target = depth - 1
        while depth > target {
            if try next() == .eof { return }
        }
    }

    private func decode(_ start: Int, _ end: Int, into out: inout [UInt8], attribute: Bool, cdata: Bool) throws(XMLError) {
        var k = start
        var runStart = k
        @inline(__always) func flush(_ upTo: Int) {
            if upTo > runStart { out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: upTo - runStart)) }
        }
        while k < end {
            let c = p[k]
            if c == 0x26 && !cdata {
                flush(k)
                guard let semicolon = (k + 1..<min(end, k + 16)).first(where: { p[$0] == 0x3B }) else {
                    throw XMLError(offset: k, reason: "unterminated reference")
                }
                let nameLength = semicolon - k - 1
                if nameLength >= 2 && p[k + 1] == 0x23 {  // &#…;
                    appendUTF8(try characterReference(at: k, semicolon: semicolon), to: &out)
                } else {
                    out.append(try namedEntity(at: k, length: nameLength))
                }
                k = semicolon + 1
                runStart = k
            } else if c == 0x0D {
                // CR LF and lone CR become LF (XML 1.0 §2.11); in attributes, a space (§3.3.3).
                flush(k)
                out.append(attribute ? 0x20 : 0x0A)
                k += (k + 1 < end && p[k + 1] == 0x0A) ? 2 : 1
                runStart = k
            } else if attribute && (c == 0x0A || c == 0x09) {
                flush(k)
                out.append(0x20)
                k += 1
                runStart = k
            } else {
                k += 1
            }
        }
        flush(end)
    }

    /// The character of `&#…;` or `&#x…;` at `k`, its `;` at `semicolon`.
    @inline(__always) private func characterReference(at k: Int, semicolon: Int) throws(XMLError) -> Unicode.Scalar {
        var value: UInt32 = 0
        var j = k + 2
        let hex = p[j] == 0x78
        if hex { j += 1 }
        guard j < semicolon else { throw XMLError(offset: k, reason: "empty character reference") }
        while j < semicolon {
            let d = p[j]
            let digit: UInt32
            switch d {
            case 0x30...0x39: digit = UInt32(d - 0x30)
            case 0x61...0x66 where hex: digit = UInt32(d - 0x61 + 10)
            case 0x41...0x46 where hex: digit = UInt32(d - 0x41 + 10)
            default: throw XMLError(offset: j, reason: "bad character reference")
            }
            value = value * (hex ? 16 : 10) + digit
            guard value <= 0x10FFFF else { throw XMLError(offset: k, reason: "character reference out of range") }
            j += 1
        }
        guard value != 0, let scalar = Unicode.Scalar(value) else { throw XMLError(offset: k, reason: "bad character reference") }
        return scalar
    }

    /// The byte of one of the five predefined entities at `k` (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`).
    @inline(__always) private func namedEntity(at k: Int, length: Int) throws(XMLError) -> UInt8 {
        let q = p + k + 1
        switch length {
        case 2 where q[0] == 0x6C && q[1] == 0x74: return 0x3C  // lt
        case 2 where q[0] == 0x67 && q[1] == 0x74: return 0x3E  // gt
        case 3 where q[0] == 0x61 && q[1] == 0x6D && q[2] == 0x70: return 0x26  // amp
        case 4 where q[0] == 0x71 && q[1] == 0x75 && q[2] == 0x6F && q[3] == 0x74: return 0x22  // quot
        case 4 where q[0] == 0x61 && q[1] == 0x70 && q[2] == 0x6F && q[3] == 0x73: return 0x27  // apos
        default: throw XMLError(offset: k, reason: "unknown entity")
        }
    }
}

@inline(__always) func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    UTF8.encode(scalar) { out.append($0) }
}

/// Undoes the `_xHHHH_` escapes of OOXML strings (ST_Xstring: `_x000D_` for a carriage return,
/// `_x005F_` for a literal underscore before `x`), in place. UTF-16 surrogate pairs written as two
/// escapes are combined; a lone surrogate is left as written.
func unescapeOOXML(_ bytes: inout [UInt8]) {
    let n = bytes.count
    guard n >= 7 else { return }
    var found = false
    for k in 0..<(n - 6) where bytes[k] == 0x5F && bytes[k + 1] == 0x78 { found = true; break }
    guard found else { return }
    func hex(_ k: Int) -> UInt32? {
        guard k + 7 <= n, bytes[k] == 0x5F, bytes[k + 1] == 0x78, bytes[k + 6] == 0x5F else { return nil }
        var v: UInt32 = 0
        for j in k + 2..<k + 6 {
            let d = bytes[j]
            switch d {
            case 0x30...0x39: v = v << 4 | UInt32(d - 0x30)
            case 0x61...0x66: v = v << 4 | UInt32(d - 0x61 + 10)
            case 0x41...0x46: v = v << 4 | UInt32(d - 0x41 + 10)
            default: return nil
            }
        }
        return v
    }
    var out: [UInt8] = []
    out.reserveCapacity(n)
    var k = 0
    while k < n {
        if bytes[k] == 0x5F, let v = hex(k) {
            if v >= 0xD800 && v < 0xDC00, let low = hex(k + 7), low >= 0xDC00 && low < 0xE000,
               let scalar = Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)) {
                appendUTF8(scalar, to: &out)
                k += 14
                continue
            }
            if let scalar = Unicode.Scalar(v) {
                appendUTF8(scalar, to: &out)
                k += 7
                continue
            }
        }
        out.append(bytes[k])
        k += 1
    }
    bytes = out
}
