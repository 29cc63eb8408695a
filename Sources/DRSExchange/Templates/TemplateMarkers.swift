import DRSCore
import XLSXReader
import XLSXWriter

/// One line of a template's `_drs` sheet: where something of the form is on the visible sheet.
public struct TemplateMarker: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// An input cell: a figure (`01:cur`, `02:cur@110000`) or a basic-information answer (`109`,
        /// `105.regionCode`, `Q05.day`).
        case cell
        /// The 情况说明 cell of a row (`01`): the explanation sent with the figures.
        case explanation = "explain"
        /// A grey cell that must stay empty (`26:next`: the row has no 下年预估).
        case closed
        /// A cell that holds a row's code (`expected`), to notice moved, inserted or deleted rows.
        case row
        /// A cell that holds a column head (`expected`), to notice moved, inserted or deleted columns.
        case head
    }

    public var kind: Kind
    public var key: String
    public var sheet: String
    /// `F14`.
    public var address: String
    /// For `row` and `head`: the text the cell must hold.
    public var expected: String
    /// For people: what the place is (`01 数据生产总量·本年实际`), or for `closed` why it is grey.
    public var label: String

    public init(kind: Kind, key: String, sheet: String, address: String, expected: String = "", label: String = "") {
        self.kind = kind
        self.key = key
        self.sheet = sheet
        self.address = address
        self.expected = expected
        self.label = label
    }

    public var description: String { "\(kind.rawValue) \(key) → \(sheet)!\(address)" }
}

/// The `_drs` sheet: identity of the template (format, form, edition, year, unit, layout fingerprint)
/// as key–value lines, then one line per marker.
enum MarkerSheet {
    static let name = "_drs"
    static let magic = "drs-template"
    static let formatVersion = 1
    static let headerKey = "kind"
    static let columns = ["kind", "key", "sheet", "address", "expected", "label"]

    static func sheet(info: TemplateInfo, tableNumber: String, markers: [TemplateMarker]) -> Sheet {
        var sheet = Sheet(name: name, setup: SheetSetup(columns: [ColumnFormat(1, width: 12), ColumnFormat(2, width: 22),
                                                                  ColumnFormat(3, width: 14), ColumnFormat(4, width: 10),
                                                                  ColumnFormat(5, width: 14), ColumnFormat(6, width: 50)],
                                                        visibility: .veryHidden))
        sheet.append([.text(magic), .text("数据资源调查平台填报模板的识别信息：上传时据此读取数据，请勿修改或删除本工作表")])
        sheet.append([.text("format"), .text(String(info.formatVersion))])
        sheet.append([.text("form"), .text(info.formID), .text(tableNumber)])
        sheet.append([.text("edition"), .text(info.edition)])
        sheet.append([.text("layout"), .text(info.layout)])
        sheet.append([.text("year"), info.year.map { .text(String($0)) } ?? .empty])
        sheet.append([.text("unit"), info.creditCode.map { .text($0) } ?? .empty])
        sheet.append([.text("sheet"), .text(info.sheet)])
        sheet.append([])
        sheet.append(columns.map { .text($0) })
        for m in markers {
            sheet.append([.text(m.kind.rawValue), .text(m.key), .text(m.sheet), .text(m.address),
                          m.expected.isEmpty ? .empty : .text(m.expected), m.label.isEmpty ? .empty : .text(m.label)])
        }
        return sheet
    }

    /// FNV-1a (64 bits) over every marker line without its label, as 16 hex digits: equal for two
    /// templates exactly when their layouts are equal.
    static func fingerprint(_ markers: [TemplateMarker]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func feed(_ s: String) {
            for b in s.utf8 {
                hash ^= UInt64(b)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        for m in markers {
            feed(m.kind.rawValue); feed("\t")
            feed(m.key); feed("\t")
            feed(m.sheet); feed("\t")
            feed(m.address); feed("\t")
            feed(m.expected); feed("\n")
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    enum ReadError: Error {
        case missing
        case unreadable(String)
        case unsupportedFormat(String)
    }

    /// Reads the markers sheet of an uploaded workbook.
    static func read(_ document: XLSXDocument) throws(ReadError) -> (info: TemplateInfo, markers: [TemplateMarker]) {
        guard let sheet = document.sheet(named: name) else { throw .missing }
        func text(_ row: Int, _ column: Int) -> String {
            switch sheet[row, column] {
            case .text(let s)?: TypedInput.trimmed(s)
            case .number(let s)?: TypedInput.plainNumberText(s)
            default: ""
            }
        }
        guard text(1, 1) == magic else { throw .unreadable("识别行缺失") }
        let lastRow = sheet.cells.keys.map(\.row).max() ?? 0
        var values: [String: String] = [:]
        var row = 2
        while row <= lastRow, text(row, 1) != headerKey {
            let key = text(row, 1)
            if !key.isEmpty { values[key] = text(row, 2) }
            row += 1
        }
        guard row <= lastRow else { throw .unreadable("缺少标记表头") }
        guard let formatText = values["format"], let format = Int(formatText) else { throw .unreadable("缺少格式版本") }
        guard format == formatVersion else { throw .unsupportedFormat(formatText) }
        guard let form = values["form"], !form.isEmpty, let edition = values["edition"], !edition.isEmpty,
              let layout = values["layout"], layout.count == 16, let sheetName = values["sheet"], !sheetName.isEmpty
        else { throw .unreadable("缺少表号、目录版本或版式信息") }
        var year: Int?
        if let y = values["year"], !y.isEmpty {
            guard let parsed = Int(y) else { throw .unreadable("年份「\(y)」无法识别") }
            year = parsed
        }
        let unit = values["unit"].flatMap { $0.isEmpty ? nil : $0 }
        var markers: [TemplateMarker] = []
        for r in (row + 1)..<(lastRow + 1) {
            let kindText = text(r, 1)
            if kindText.isEmpty { continue }
            guard let kind = TemplateMarker.Kind(rawValue: kindText) else { throw .unreadable("第\(r)行的类别「\(kindText)」无法识别") }
            let address = text(r, 4)
            guard CellAddress(address) != nil else { throw .unreadable("第\(r)行的单元格地址「\(address)」无法识别") }
            let key = text(r, 2), target = text(r, 3)
            guard !key.isEmpty, !target.isEmpty else { throw .unreadable("第\(r)行不完整") }
            // Expected texts are compared as written (a code such as `01` must keep its zero).
            var expected = ""
            if case .text(let s)? = sheet[r, 5] { expected = s } else { expected = text(r, 5) }
            var label = ""
            if case .text(let s)? = sheet[r, 6] { label = s }
            markers.append(TemplateMarker(kind: kind, key: key, sheet: target, address: address, expected: expected, label: label))
        }
        return (TemplateInfo(formatVersion: format, formID: form, edition: edition, layout: layout, year: year,
                             creditCode: unit, sheet: sheetName), markers)
    }
}
