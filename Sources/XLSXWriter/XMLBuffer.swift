/// A growable byte buffer of XML text with the escaping rules of XML 1.0 and SpreadsheetML.
struct XMLBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func raw(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
    }

    @inline(__always) mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    @inline(__always) mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// A decimal integer.
    mutating func int(_ value: Int) {
        if value >= 0 && value < 10 {
            bytes.append(0x30 &+ UInt8(value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var x = value.magnitude
            var i = 20
            repeat {
                i -= 1
                digits[i] = 0x30 &+ UInt8(x % 10)
                x /= 10
            } while x > 0
            if value < 0 { bytes.append(0x2D) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    /// A finite `Double` in XML Schema lexical form (Swift's shortest round-trip text: deterministic).
    mutating func double(_ value: Double) {
        precondition(value.isFinite)
        raw(value.description)
    }

    /// Element content: `&`, `<`, `>` (and `"`) escaped, CR and CR LF become LF, and the characters
    /// XML 1.0 forbids (C0 controls other than tab and line feed, U+FFFE, U+FFFF) dropped. With
    /// `cellText`, an underscore that would start an OOXML `_xHHHH_` escape is itself escaped as
    /// `_x005F_`, so the text reads back exactly as given.
    mutating func text(_ s: String, cellText: Bool = false) {
        var s = s
        s.withUTF8 { escape($0, attribute: false, cellText: cellText) }
    }

    /// An attribute value in double quotes: as `text`, and tab and line feed as character references
    /// (attribute-value normalisation would turn them into spaces).
    mutating func attribute(_ s: String) {
        var s = s
        s.withUTF8 { escape($0, attribute: true, cellText: false) }
    }

    @inline(__always) static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x5F || b == 0xEF
    }

    mutating func escape(_ u: UnsafeBufferPointer<UInt8>, attribute: Bool, cellText: Bool) {
        let n = u.count
        var i = 0
        while i < n && !Self.needsEscape(u[i]) { i += 1 }
        if i == n {
            bytes.append(contentsOf: u)
            return
        }
        var runStart = 0
        while i < n {
            let b = u[i]
            if !Self.needsEscape(b) {
                i += 1
                continue
            }
            if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i])) }
            var next = i + 1
            switch b {
            case 0x26: raw("&amp;")
            case 0x3C: raw("&lt;")
            case 0x3E: raw("&gt;")
            case 0x22: raw("&quot;")
            case 0x09: if attribute { raw("&#9;") } else { bytes.append(b) }
            case 0x0A: if attribute { raw("&#10;") } else { bytes.append(b) }
            case 0x0D:
                if next < n && u[next] == 0x0A { next += 1 }
                if attribute { raw("&#10;") } else { bytes.append(0x0A) }
            case 0xEF:
                if next + 1 < n && u[next] == 0xBF && (u[next + 1] == 0xBE || u[next + 1] == 0xBF) {
                    next += 2  // U+FFFE or U+FFFF: not an XML character
                } else {
                    bytes.append(b)
                }
            case 0x5F:
                if cellText && Self.startsOOXMLEscape(u, at: i) { raw("_x005F_") } else { bytes.append(b) }
            default:
                break  // other C0 controls: not allowed in XML 1.0, dropped
            }
            i = next
            runStart = next
        }
        if n > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<n])) }
    }

    /// `_xHHHH_` (four hexadecimal digits) at `i`.
    static func startsOOXMLEscape(_ u: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 6 < u.count, u[i + 1] == 0x78 || u[i + 1] == 0x58, u[i + 6] == 0x5F else { return false }
        for k in (i + 2)...(i + 5) {
            let c = u[k]
            let hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
            if !hex { return false }
        }
        return true
    }
}

/// XML escaping as a function of strings (for callers and tests).
enum XMLEscaping {
    static func text(_ s: String, cellText: Bool = false) -> String {
        var buffer = XMLBuffer()
        buffer.text(s, cellText: cellText)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    static func attribute(_ s: String) -> String {
        var buffer = XMLBuffer()
        buffer.attribute(s)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }
}
