/// Reads XLSX workbooks from memory.
///
/// ```swift
/// do {
///     let document = try XLSXFile.read(uploadedBytes)
///     for sheet in document.sheets where sheet.visibility == .visible { … sheet[4, 2] … }
/// } catch {
///     // error.kind to act on, error.message (Chinese) for the filer
/// }
/// ```
///
/// Only what an upload is checked against is read: the workbook (sheets, their order, names and
/// visibility, defined names, the date system), shared strings, the cell formats' number formats
/// (to tell dates) and each sheet's cells and merged ranges. Drawings, comments, charts, pivot caches,
/// calcChain and the rest are never decompressed. Refused, with a typed error: anything that is not
/// an XLSX package, OLE files (encrypted workbooks, `.xls`), encrypted ZIP entries, macro-enabled
/// and binary workbooks, anything beyond the caller's `XLSXReadLimits`, and anything broken
/// (truncated data, CRC mismatches, bad DEFLATE data, malformed XML, missing parts).
public enum XLSXFile {
    public static func read(_ bytes: [UInt8], limits: XLSXReadLimits = .standard) throws(XLSXReadError) -> XLSXDocument {
        if bytes.count >= 8 && bytes[0..<8].elementsEqual(ZipArchive.ole) { throw .oleCompound }
        // Every ZIP the reader accepts starts with a local file header (or, empty, with the end record).
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B else { throw .notZip }
        guard bytes.count <= limits.maxFileSize else { throw .limit(.fileSize, limits) }
        var package = PackageReader(zip: try ZipArchive(bytes, limits: limits), limits: limits)
        return try package.document()
    }
}

struct PackageReader {
    let zip: ZipArchive
    let limits: XLSXReadLimits
    var totalRead = 0
    var cellCount = 0

    init(zip: ZipArchive, limits: XLSXReadLimits) {
        self.zip = zip
        self.limits = limits
    }

    /// The part's bytes, or nil if there is no such entry.
    mutating func part(_ path: String) throws(XLSXReadError) -> [UInt8]? {
        guard let entry = zip.entry(path) else { return nil }
        return try zip.read(entry, totalRead: &totalRead, limits: limits)
    }

    func xml<R>(_ path: String, _ parse: () throws(XMLError) -> R) throws(XLSXReadError) -> R {
        do {
            return try parse()
        } catch {
            throw .corrupt("部件 \(path) 的 XML 格式错误", part: path, detail: "byte \(error.offset): \(error.reason)")
        }
    }

    mutating func document() throws(XLSXReadError) -> XLSXDocument {
        if zip.entry("xl/workbook.bin") != nil { throw .binaryWorkbook }
        // Macros: a VBA project anywhere, or Excel 4.0 macro sheets.
        if let vba = zip.entries.first(where: { $0.key.hasSuffix("vbaproject.bin") || $0.key.hasPrefix("xl/macrosheets/") }) {
            throw .macro(vba.name)
        }
        let workbookEntry = try self.workbookEntry()
        let workbookPath = workbookEntry.name
        let relationshipsPath = Relationship.partName(for: ZipArchive.key(workbookPath))
        guard let relationshipBytes = try part(relationshipsPath) else {
            throw .corrupt("缺少工作簿的关系部件 \(relationshipsPath)", part: relationshipsPath)
        }
        let folder = Relationship.split(workbookEntry.key).0
        let relationships = try xml(relationshipsPath) { () throws(XMLError) in try Relationship.parse(relationshipBytes, sourceFolder: folder) }
        if let macro = relationships.first(where: { $0.isType("vbaProject") || $0.isType("xlMacrosheet") || $0.isType("xlIntlMacrosheet") }) {
            throw .macro(macro.target)
        }
        guard let workbookBytes = try part(workbookEntry.key) else { throw .corrupt("缺少工作簿部件", part: workbookPath) }
        let workbook = try xml(workbookPath) { () throws(XMLError) in try WorkbookPart.parse(workbookBytes) }

        func target(_ type: String, fallback: String) -> String? {
            if let r = relationships.first(where: { !$0.isExternal && $0.isType(type) }) { return r.target }
            return zip.entry(fallback) != nil ? fallback : nil
        }
        var sharedStrings: [String] = []
        if let path = target("sharedStrings", fallback: folder + "sharedstrings.xml"), let bytes = try part(path) {
            let parsed = try xml(path) { () throws(XMLError) in try SharedStringsPart.parse(bytes, limit: limits.maxSharedStrings) }
            guard let parsed else { throw .limit(.sharedStrings, limits, part: path) }
            sharedStrings = parsed
        }
        var dateStyles: [Bool] = []
        if let path = target("styles", fallback: folder + "styles.xml"), let bytes = try part(path) {
            dateStyles = try xml(path) { () throws(XMLError) in try StylesPart.parse(bytes) }
        }
        var sheets = try self.sheets(workbook.sheets, relationships: relationships, relationshipsPath: relationshipsPath,
                                     sharedStrings: sharedStrings, dateStyles: dateStyles)
        var definedNames: [String: String] = [:]
        for name in workbook.definedNames {
            if let index = name.localSheetIndex {
                if index < sheets.count { sheets[index].definedNames[name.name] = name.formula }
            } else {
                definedNames[name.name] = name.formula
            }
        }
        return XLSXDocument(sheets: sheets, definedNames: definedNames, date1904: workbook.date1904)
    }

    /// The workbook part: the package's officeDocument, else the usual place; neither a binary nor
    /// a macro-enabled one by its content type.
    private mutating func workbookEntry() throws(XLSXReadError) -> ZipEntry {
        let contentTypes = try part("[Content_Types].xml").map { (b) throws(XLSXReadError) in
            try xml("[Content_Types].xml") { () throws(XMLError) in try ContentTypes.parse(b) }
        }
        let rootRelationships = try part("_rels/.rels").map { (b) throws(XLSXReadError) in
            try xml("_rels/.rels") { () throws(XMLError) in try Relationship.parse(b, sourceFolder: "") }
        } ?? []
        var workbookKey = ZipArchive.key("xl/workbook.xml")
        if let main = rootRelationships.first(where: { !$0.isExternal && $0.isType("officeDocument") }), zip.entry(main.target) != nil {
            workbookKey = main.target
        }
        guard let workbookEntry = zip.entry(workbookKey) else {
            let looksLikeOffice = contentTypes != nil || zip.entry("_rels/.rels") != nil
            let otherDocument = ["word/document.xml", "ppt/presentation.xml", "mimetype", "content.xml"].contains { zip.entry($0) != nil }
            if !looksLikeOffice || otherDocument { throw .notWorkbook }
            throw .corrupt("缺少工作簿部件 xl/workbook.xml", part: "xl/workbook.xml")
        }
        if let type = contentTypes?.type(of: workbookEntry.key)?.lowercased() {
            if type.contains("sheet.binary") { throw .binaryWorkbook }
            if type.contains("macroenabled") { throw .macro(workbookEntry.name) }
        }
        return workbookEntry
    }

    /// The workbook's sheets in order, each with its cells and merged ranges.
    private mutating func sheets(_ entries: [WorkbookPart.SheetEntry], relationships: [Relationship], relationshipsPath: String,
                                 sharedStrings: [String], dateStyles: [Bool]) throws(XLSXReadError) -> [XLSXSheet] {
        var sheets: [XLSXSheet] = []
        sheets.reserveCapacity(entries.count)
        for entry in entries {
            var sheet = XLSXSheet(name: entry.name, visibility: entry.visibility)
            guard let relationship = relationships.first(where: { $0.id == entry.relationshipID }), !relationship.isExternal else {
                throw .corrupt("工作表“\(entry.name)”的关系缺失", part: relationshipsPath)
            }
            // Chart sheets and dialog sheets have no cells.
            if !relationship.isType("chartsheet") && !relationship.isType("dialogsheet") {
                guard let entryInZip = zip.entry(relationship.target) else {
                    throw .corrupt("缺少工作表“\(entry.name)”的部件", part: relationship.target)
                }
                var bytes = try zip.read(entryInZip, totalRead: &totalRead, limits: limits)
                let context = WorksheetPart.Context(sharedStrings: sharedStrings, dateStyles: dateStyles, limits: limits,
                                                    sheetName: entry.name, partName: entryInZip.name)
                let parsed = try WorksheetPart.parse(&bytes, context: context, cellCount: &cellCount)
                sheet.cells = parsed.cells
                sheet.merges = parsed.merges
            }
            sheets.append(sheet)
        }
        return sheets
    }
}
