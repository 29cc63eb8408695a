/// Shared formulas (`<f t="shared" si="0" ref="B2:B9">A2*2</f>` on the first cell, `<f t="shared"
/// si="0"/>` on the others): each other cell's formula is the first cell's with its relative
/// references moved by the distance between the cells, as Excel does when it fills a formula down.
enum FormulaShifter {
    static let maxRow = 1_048_576
    static let maxColumn = 16_384

    /// `formula` with its relative references moved by `rows` and `columns`. String literals,
    /// quoted sheet names, structured references, function and sheet names are left alone;
    /// absolute parts (`$A`, `$1`) stay; a reference moved off the sheet becomes `#REF!`.
    static func shift(_ formula: String, rows: Int, columns: Int) -> String {
        if rows == 0 && columns == 0 { return formula }
        var shifting = Shifting(formula, rows: rows, columns: columns)
        shifting.run()
        return String(decoding: shifting.out, as: UTF8.self)
    }

    /// One formula being copied to `out`, a token at a time, with its references moved.
    private struct Shifting {
        let s: [UInt8]
        let n: Int
        let rows: Int
        let columns: Int
        var out: [UInt8] = []
        var i = 0

        init(_ formula: String, rows: Int, columns: Int) {
            s = Array(formula.utf8)
            n = s.count
            self.rows = rows
            self.columns = columns
            out.reserveCapacity(n + 8)
        }

        mutating func run() {
            while i < n {
                let c = s[i]
                if c == 0x22 || c == 0x27 {  // "string" or 'sheet name', doubled quotes inside
                    copyQuoted(c)
                } else if c == 0x5B {  // [structured reference] or [external workbook], nested
                    copyBracketed()
                } else if Self.isTokenByte(c) {
                    token()
                } else {
                    out.append(c)
                    i += 1
                }
            }
        }

        private mutating func copyQuoted(_ c: UInt8) {
            let start = i
            i += 1
            while i < n {
                if s[i] == c {
                    if i + 1 < n && s[i + 1] == c { i += 2; continue }
                    i += 1
                    break
                }
                i += 1
            }
            out.append(contentsOf: s[start..<i])
        }

        private mutating func copyBracketed() {
            let start = i
            var level = 0
            while i < n {
                if s[i] == 0x5B { level += 1 } else if s[i] == 0x5D {
                    level -= 1
                    if level == 0 { i += 1; break }
                }
                i += 1
            }
            out.append(contentsOf: s[start..<i])
        }

        /// A name, number or reference: a cell reference is moved, a whole-column or whole-row
        /// range too; function, sheet and table names are copied.
        private mutating func token() {
            let start = i
            i = tokenEnd(i)
            let next: UInt8? = i < n ? s[i] : nil
            if next == 0x28 || next == 0x21 || next == 0x5B {  // function(, sheet!, table[
                out.append(contentsOf: s[start..<i])
            } else if let (column, row) = cellParts(start, i) {
                if let a = moved(column: column), let b = moved(row: row) {
                    out.append(contentsOf: a + b)
                } else {
                    emit("#REF!")
                }
            } else if next == 0x3A, i + 1 < n, Self.isTokenByte(s[i + 1]) {
                wholeRange(from: start)
            } else {
                out.append(contentsOf: s[start..<i])
            }
        }

        /// Whole columns (A:C) or whole rows (1:3): the first part is `s[start..<i]`, `s[i]` is the colon.
        private mutating func wholeRange(from start: Int) {
            let secondStart = i + 1
            let secondEnd = tokenEnd(secondStart)
            let afterSecond: UInt8? = secondEnd < n ? s[secondEnd] : nil
            if afterSecond != 0x28 && afterSecond != 0x21, let a = columnPart(start, i), let b = columnPart(secondStart, secondEnd) {
                if let x = moved(column: a), let y = moved(column: b) {
                    out.append(contentsOf: x + [0x3A] + y)
                } else {
                    emit("#REF!")
                }
                i = secondEnd
            } else if afterSecond != 0x28 && afterSecond != 0x21, let a = rowPart(start, i), let b = rowPart(secondStart, secondEnd) {
                if let x = moved(row: a), let y = moved(row: b) {
                    out.append(contentsOf: x + [0x3A] + y)
                } else {
                    emit("#REF!")
                }
                i = secondEnd
            } else {
                out.append(contentsOf: s[start..<i])
            }
        }

        private static func isTokenByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x24 || c == 0x5F || c == 0x2E || c == 0x5C || c >= 0x80
        }

        private func tokenEnd(_ from: Int) -> Int {
            var k = from
            while k < n && Self.isTokenByte(s[k]) { k += 1 }
            return k
        }

        /// `$`? letters (1…3) → (absolute, column), for the whole of `s[a..<b]`; nil otherwise.
        private func columnPart(_ a: Int, _ b: Int) -> (Bool, Int)? {
            var k = a
            let absolute = k < b && s[k] == 0x24
            if absolute { k += 1 }
            guard b - k >= 1 && b - k <= 3 else { return nil }
            var column = 0
            while k < b {
                var c = s[k]
                if c >= 0x61 && c <= 0x7A { c -= 0x20 }
                guard c >= 0x41 && c <= 0x5A else { return nil }
                column = column * 26 + Int(c - 0x40)
                k += 1
            }
            return column <= maxColumn ? (absolute, column) : nil
        }

        private func rowPart(_ a: Int, _ b: Int) -> (Bool, Int)? {
            var k = a
            let absolute = k < b && s[k] == 0x24
            if absolute { k += 1 }
            guard b - k >= 1 && b - k <= 7 else { return nil }
            var row = 0
            while k < b {
                let c = s[k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                row = row * 10 + Int(c - 0x30)
                k += 1
            }
            return row >= 1 && row <= maxRow ? (absolute, row) : nil
        }

        /// A cell reference: the column part and the row part of `s[a..<b]`.
        private func cellParts(_ a: Int, _ b: Int) -> ((Bool, Int), (Bool, Int))? {
            var k = a
            if k < b && s[k] == 0x24 { k += 1 }
            while k < b && ((s[k] >= 0x41 && s[k] <= 0x5A) || (s[k] >= 0x61 && s[k] <= 0x7A)) { k += 1 }
            guard let column = columnPart(a, k), let row = rowPart(k, b) else { return nil }
            return (column, row)
        }

        private mutating func emit(_ text: String) { out.append(contentsOf: Array(text.utf8)) }

        /// Writes a moved column; nil if it falls off the sheet.
        private func moved(column: (Bool, Int)) -> [UInt8]? {
            let value = column.0 ? column.1 : column.1 + columns
            guard value >= 1 && value <= maxColumn else { return nil }
            return (column.0 ? [0x24] : []) + Array(CellReference.columnName(value).utf8)
        }

        private func moved(row: (Bool, Int)) -> [UInt8]? {
            let value = row.0 ? row.1 : row.1 + rows
            guard value >= 1 && value <= maxRow else { return nil }
            return (row.0 ? [0x24] : []) + Array(String(value).utf8)
        }
    }
}
