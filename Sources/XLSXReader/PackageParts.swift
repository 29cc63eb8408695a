/// The small parts of the package: content types, relationships, the workbook, shared strings,
/// styles. Each parser takes the part's bytes and throws `XMLError` on malformed XML.

/// Bytes of a part as UTF-8: UTF-16 parts (allowed by OPC, rare) are converted.
func utf8Part(_ bytes: [UInt8]) -> [UInt8] {
    if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
        let bigEndian = bytes[0] == 0xFE
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var k = 2
        while k + 1 < bytes.count {
            units.append(bigEndian ? UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1]) : UInt16(bytes[k + 1]) << 8 | UInt16(bytes[k]))
            k += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
    return bytes
}

/// Runs `body` with a scanner over `bytes` (UTF-16 converted first).
func scanXML<R>(_ bytes: [UInt8], _ body: (inout XMLScanner) throws(XMLError) -> R) throws(XMLError) -> R {
    let utf8 = utf8Part(bytes)
    return try utf8.withUnsafeBufferPointer { (b) throws(XMLError) -> R in
        var scanner = XMLScanner(b)
        return try body(&scanner)
    }
}

struct ContentTypes {
    /// Lower-cased extension → content type.
    var defaults: [String: String] = [:]
    /// Part key (`ZipArchive.key`) → content type.
    var overrides: [String: String] = [:]

    func type(of partKey: String) -> String? {
        if let t = overrides[partKey] { return t }
        guard let dot = partKey.lastIndex(of: "."), !partKey[dot...].contains("/") else { return nil }
        return defaults[String(partKey[partKey.index(after: dot)...])]
    }

    static func parse(_ bytes: [UInt8]) throws(XMLError) -> ContentTypes {
        try scanXML(bytes) { (x) throws(XMLError) in
            var result = ContentTypes()
            while true {
                let event = try x.next()
                if event == .eof { break }
                guard event == .start, x.depth == 2 else { continue }
                if x.nameIs("Default"), let e = x.attribute("Extension"), let t = x.attribute("ContentType") {
                    result.defaults[ZipArchive.key(try x.string(e))] = try x.string(t)
                } else if x.nameIs("Override"), let p = x.attribute("PartName"), let t = x.attribute("ContentType") {
                    result.overrides[ZipArchive.key(try x.string(p))] = try x.string(t)
                }
            }
            return result
        }
    }
}

struct Relationship {
    var id: String
    var type: String
    /// The target part's key (`ZipArchive.key`), resolved against the source part's folder.
    var target: String
    var isExternal: Bool

    /// Whether the type ends with `/suffix` (transitional and strict OOXML share the last segment).
    func isType(_ suffix: String) -> Bool {
        type.lowercased().hasSuffix("/" + suffix.lowercased())
    }

    /// The relationships part of `partPath` (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`).
    static func partName(for partPath: String) -> String {
        let (folder, file) = split(partPath)
        return folder + "_rels/" + file + ".rels"
    }

    /// ("xl/", "workbook.xml").
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// `target` (relative to `folder`, or absolute from the package root with a leading `/`),
    /// percent-decoded, with `.` and `..` segments resolved.
    static func resolve(_ target: String, from folder: String) -> String {
        let decoded = percentDecoded(target.replacingBackslashes())
        let joined = decoded.hasPrefix("/") ? decoded : folder + decoded
        var segments: [Substring] = []
        for segment in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        return ZipArchive.key(segments.joined(separator: "/"))
    }

    static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var k = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        while k < bytes.count {
            if bytes[k] == 0x25, k + 2 < bytes.count, let h = hex(bytes[k + 1]), let l = hex(bytes[k + 2]) {
                out.append(h << 4 | l)
                k += 3
            } else {
                out.append(bytes[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func parse(_ bytes: [UInt8], sourceFolder: String) throws(XMLError) -> [Relationship] {
        try scanXML(bytes) { (x) throws(XMLError) in
            var result: [Relationship] = []
            while true {
                let event = try x.next()
                if event == .eof { break }
                guard event == .start, x.depth == 2, x.nameIs("Relationship"),
                      let id = x.attribute("Id"), let target = x.attribute("Target") else { continue }
                let type = try x.attribute("Type").map { (a) throws(XMLError) in try x.string(a) } ?? ""
                let external = x.attribute("TargetMode").map { x.value($0, is: "External") } ?? false
                let targetText = try x.string(target)
                result.append(Relationship(id: try x.string(id), type: type,
                                           target: external ? targetText : resolve(targetText, from: sourceFolder),
                                           isExternal: external))
            }
            return result
        }
    }
}

extension String {
    func replacingBackslashes() -> String {
        guard contains("\\") else { return self }
        return String(decoding: utf8.map { $0 == 0x5C ? 0x2F : $0 }, as: UTF8.self)
    }
}

struct WorkbookPart {
    struct SheetEntry {
        var name: String
        var visibility: XLSXSheet.Visibility
        var relationshipID: String
    }

    struct DefinedNameEntry {
        var name: String
        var localSheetIndex: Int?
        var formula: String
    }

    var sheets: [SheetEntry] = []
    var definedNames: [DefinedNameEntry] = []
    var date1904 = false

    static func parse(_ bytes: [UInt8]) throws(XMLError) -> WorkbookPart {
        try scanXML(bytes) { (x) throws(XMLError) in
            var result = WorkbookPart()
            var pendingName: DefinedNameEntry?
            var nameDepth = 0
            var text: [UInt8] = []
            while true {
                let event = try x.next()
                switch event {
                case .eof:
                    return result
                case .start:
                    if x.depth == 2 && x.nameIs("workbookPr"), let a = x.attribute("date1904") {
                        result.date1904 = x.value(a, is: "1") || x.value(a, is: "true")
                    } else if x.depth == 3 && x.nameIs("sheet") {
                        let name = try x.attribute("name").map { (a) throws(XMLError) in try x.string(a) } ?? ""
                        var visibility = XLSXSheet.Visibility.visible
                        if let state = x.attribute("state") {
                            if x.value(state, is: "hidden") { visibility = .hidden } else if x.value(state, is: "veryHidden") { visibility = .veryHidden }
                        }
                        let id = try x.attribute("id").map { (a) throws(XMLError) in try x.string(a) } ?? ""
                        result.sheets.append(SheetEntry(name: name, visibility: visibility, relationshipID: id))
                    } else if x.depth == 3 && x.nameIs("definedName") {
                        let name = try x.attribute("name").map { (a) throws(XMLError) in try x.string(a) } ?? ""
                        var local: Int?
                        if let a = x.attribute("localSheetId") { local = CellReference.integer(x.p, a.valueStart, a.valueEnd) }
                        pendingName = DefinedNameEntry(name: name, localSheetIndex: local, formula: "")
                        nameDepth = x.depth
                        text.removeAll(keepingCapacity: true)
                    }
                case .text:
                    if pendingName != nil { try x.appendText(to: &text) }
                case .end:
                    if var entry = pendingName, x.depth == nameDepth - 1 {
                        entry.formula = String(decoding: text, as: UTF8.self)
                        result.definedNames.append(entry)
                        pendingName = nil
                    }
                }
            }
        }
    }
}

enum SharedStringsPart {
    /// The strings of `<sst>`: each `<si>`'s `<t>` text, rich-text runs concatenated, phonetic
    /// runs (`<rPh>`) left out, `_xHHHH_` escapes undone.
    static func parse(_ bytes: [UInt8], limit: Int) throws(XMLError) -> [String]? {
        try scanXML(bytes) { (x) throws(XMLError) -> [String]? in
            var strings: [String] = []
            var inItem = false
            var itemDepth = 0
            var phoneticDepth = 0
            var collecting = false
            var collectDepth = 0
            var text: [UInt8] = []
            while true {
                switch try x.next() {
                case .eof:
                    return strings
                case .start:
                    if !inItem {
                        if x.depth == 1, let count = x.attribute("uniqueCount"),
                           let n = CellReference.integer(x.p, count.valueStart, count.valueEnd) {
                            // A hint only: bounded by the limit and by the part's size.
                            strings.reserveCapacity(min(n, limit, x.n / 10))
                        }
                        if x.depth == 2 && x.nameIs("si") {
                            guard strings.count < limit else { return nil }
                            inItem = true
                            itemDepth = x.depth
                            text.removeAll(keepingCapacity: true)
                        }
                    } else if phoneticDepth == 0 {
                        if x.nameIs("rPh") {
                            phoneticDepth = x.depth
                        } else if x.nameIs("t") {
                            collecting = true
                            collectDepth = x.depth
                        }
                    }
                case .text:
                    if collecting { try x.appendText(to: &text) }
                case .end:
                    if collecting && x.depth == collectDepth - 1 { collecting = false }
                    if phoneticDepth != 0 && x.depth == phoneticDepth - 1 { phoneticDepth = 0 }
                    if inItem && x.depth == itemDepth - 1 {
                        unescapeOOXML(&text)
                        strings.append(String(decoding: text, as: UTF8.self))
                        inItem = false
                    }
                }
            }
        }
    }
}

enum StylesPart {
    /// For each cell format (`<cellXfs>`'s `<xf>`, by index): whether its number format shows a date
    /// or time.
    static func parse(_ bytes: [UInt8]) throws(XMLError) -> [Bool] {
        try scanXML(bytes) { (x) throws(XMLError) in
            var customFormats: [Int: Bool] = [:]
            var formatIDs: [Int] = []
            var inNumFmts = false
            var inCellXfs = false
            var code: [UInt8] = []
            while true {
                switch try x.next() {
                case .eof:
                    return formatIDs.map { id in customFormats[id] ?? isBuiltInDateFormat(id) }
                case .start:
                    if x.depth == 2 {
                        inNumFmts = x.nameIs("numFmts")
                        inCellXfs = x.nameIs("cellXfs")
                    } else if x.depth == 3 && inNumFmts && x.nameIs("numFmt") {
                        if let id = x.attribute("numFmtId"), let n = CellReference.integer(x.p, id.valueStart, id.valueEnd),
                           let format = x.attribute("formatCode") {
                            code.removeAll(keepingCapacity: true)
                            try x.bytes(format, into: &code)
                            customFormats[n] = isDateFormat(code)
                        }
                    } else if x.depth == 3 && inCellXfs && x.nameIs("xf") {
                        let id = x.attribute("numFmtId").flatMap { CellReference.integer(x.p, $0.valueStart, $0.valueEnd) } ?? 0
                        formatIDs.append(id)
                    }
                case .end:
                    if x.depth == 1 {
                        inNumFmts = false
                        inCellXfs = false
                    }
                case .text:
                    break
                }
            }
        }
    }

    /// Built-in formats that show dates or times: 14–22, 27–36, 45–47, 50–58 (the last two
    /// ranges are the East Asian date formats, e.g. `yyyy"年"m"月"d"日"`).
    static func isBuiltInDateFormat(_ id: Int) -> Bool {
        (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    /// Whether a format code shows a date or time: a y, m, d, h or s (either case) outside quoted
    /// text, `\`-escaped and `_`/`*` padding characters, and `[…]` (colours, conditions, locales),
    /// except an elapsed-time bracket like `[h]` or `[mm]`.
    static func isDateFormat(_ code: [UInt8]) -> Bool {
        var k = 0
        let n = code.count
        while k < n {
            let c = code[k]
            switch c {
            case 0x22:  // "literal"
                k += 1
                while k < n && code[k] != 0x22 { k += 1 }
                k += 1
            case 0x5C, 0x5F, 0x2A:  // \x, _x, *x
                k += 2
            case 0x5B:  // [ … ]
                var e = k + 1
                while e < n && code[e] != 0x5D { e += 1 }
                let inside = code[(k + 1)..<min(e, n)].map { $0 | 0x20 }
                if let first = inside.first, first == 0x68 || first == 0x6D || first == 0x73, inside.allSatisfy({ $0 == first }) {
                    return true
                }
                k = e + 1
            default:
                switch c | 0x20 {
                case 0x79, 0x6D, 0x64, 0x68, 0x73: return true  // y m d h s
                default: k += 1
                }
            }
        }
        return false
    }
}
