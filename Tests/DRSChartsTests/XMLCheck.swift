/// A tiny XML well-formedness checker for the tests: balanced tags, one root, quoted and unique
/// attributes, known entities only. It returns the elements and text nodes (entities resolved).
struct XMLSummary {
    struct Element {
        var name: String
        var attributes: [String: String]
    }
    var elements: [Element] = []
    /// Text content per element, in document order (after resolving entities).
    var texts: [String] = []

    func elements(named name: String) -> [Element] { elements.filter { $0.name == name } }
}

struct XMLError: Error, CustomStringConvertible {
    var description: String
}

enum XMLCheck {
    static func parse(_ source: String) throws -> XMLSummary {
        let chars = Array(source)
        var index = 0
        var stack: [String] = []
        var roots = 0
        var summary = XMLSummary()

        func fail(_ message: String) -> XMLError { XMLError(description: "\(message) at character \(index)") }
        func startsWith(_ prefix: String) -> Bool {
            let p = Array(prefix)
            return index + p.count <= chars.count && Array(chars[index..<(index + p.count)]) == p
        }
        func skip(past terminator: String) throws {
            while index < chars.count && !startsWith(terminator) { index += 1 }
            guard index < chars.count else { throw fail("unterminated \(terminator)") }
            index += terminator.count
        }
        func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "-" || c == "_" || c == ":" || c == "." }
        func readName() throws -> String {
            var name = ""
            while index < chars.count && isNameChar(chars[index]) { name.append(chars[index]); index += 1 }
            guard !name.isEmpty else { throw fail("expected a name") }
            return name
        }
        func skipSpace() { while index < chars.count && chars[index].isWhitespace { index += 1 } }
        func resolve(_ raw: String) throws -> String {
            var out = ""
            var rest = Substring(raw)
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else { throw fail("bare &") }
                let entity = String(rest[rest.index(after: amp)..<semi])
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    guard entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) else {
                        throw fail("unknown entity &\(entity);")
                    }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }

        while index < chars.count {
            if chars[index] == "<" {
                if startsWith("<?") { try skip(past: "?>"); continue }
                if startsWith("<!--") { try skip(past: "-->"); continue }
                if startsWith("</") {
                    index += 2
                    let name = try readName()
                    skipSpace()
                    guard index < chars.count, chars[index] == ">" else { throw fail("bad end tag") }
                    index += 1
                    guard let open = stack.popLast(), open == name else { throw fail("mismatched </\(name)>") }
                    continue
                }
                index += 1
                let name = try readName()
                if stack.isEmpty { roots += 1 }
                var attributes: [String: String] = [:]
                while true {
                    skipSpace()
                    guard index < chars.count else { throw fail("unterminated tag") }
                    if startsWith("/>") { index += 2; break }
                    if chars[index] == ">" { index += 1; stack.append(name); break }
                    let attribute = try readName()
                    skipSpace()
                    guard index < chars.count, chars[index] == "=" else { throw fail("attribute without =") }
                    index += 1
                    skipSpace()
                    guard index < chars.count, chars[index] == "\"" || chars[index] == "'" else { throw fail("unquoted attribute") }
                    let quote = chars[index]
                    index += 1
                    var value = ""
                    while index < chars.count && chars[index] != quote {
                        guard chars[index] != "<" else { throw fail("< in attribute") }
                        value.append(chars[index]); index += 1
                    }
                    guard index < chars.count else { throw fail("unterminated attribute") }
                    index += 1
                    guard attributes[attribute] == nil else { throw fail("duplicate attribute \(attribute)") }
                    attributes[attribute] = try resolve(value)
                }
                summary.elements.append(XMLSummary.Element(name: name, attributes: attributes))
            } else {
                var text = ""
                while index < chars.count && chars[index] != "<" { text.append(chars[index]); index += 1 }
                if stack.isEmpty {
                    guard text.allSatisfy(\.isWhitespace) else { throw fail("text outside the root") }
                } else if !text.allSatisfy(\.isWhitespace) {
                    summary.texts.append(try resolve(text))
                }
            }
        }
        guard stack.isEmpty else { throw XMLError(description: "unclosed <\(stack.joined(separator: "><"))>") }
        guard roots == 1 else { throw XMLError(description: "\(roots) root elements") }
        return summary
    }
}
