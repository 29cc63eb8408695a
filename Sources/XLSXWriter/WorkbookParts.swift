/// The package parts written after the sheets.
enum WorkbookParts {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func contentTypes(sheetCount: Int) -> [UInt8] {
        var x = XMLBuffer()
        x.raw(header)
        x.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        x.raw("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        x.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        x.raw("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>")
        for n in 1...max(1, sheetCount) where n <= sheetCount {
            x.raw("<Override PartName=\"/xl/worksheets/sheet\(n).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>")
        }
        x.raw("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>")
        x.raw("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>")
        x.raw("<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>")
        x.raw("</Types>")
        return x.bytes
    }

    static let rootRelationships: [UInt8] = Array((header
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
        + "</Relationships>").utf8)

    static func core(_ p: DocumentProperties, created: ISO8601Timestamp) -> [UInt8] {
        var x = XMLBuffer()
        x.raw(header)
        x.raw("<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
        func element(_ name: String, _ value: String) {
            guard !value.isEmpty else { return }
            x.raw("<\(name)>")
            x.text(value)
            x.raw("</\(name)>")
        }
        element("dc:title", p.title)
        element("dc:subject", p.subject)
        element("dc:creator", p.creator)
        element("cp:keywords", p.keywords)
        element("dc:description", p.description)
        element("cp:lastModifiedBy", p.creator)
        x.raw("<dcterms:created xsi:type=\"dcterms:W3CDTF\">")
        x.raw(created.utc)
        x.raw("</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">")
        x.raw(created.utc)
        x.raw("</dcterms:modified></cp:coreProperties>")
        return x.bytes
    }

    static func app(_ p: DocumentProperties) -> [UInt8] {
        var x = XMLBuffer()
        x.raw(header)
        x.raw("<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">")
        x.raw("<Application>")
        x.text(p.application)
        x.raw("</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>")
        return x.bytes
    }

    static func workbook(sheets: [(name: String, visibility: SheetVisibility)], activeTab: Int, definedNames: [DefinedName]) -> [UInt8] {
        var x = XMLBuffer()
        x.raw(header)
        x.raw("<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">")
        x.raw("<workbookPr/><bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"15000\"")
        if activeTab > 0 { x.raw(" firstSheet=\"\(activeTab)\" activeTab=\"\(activeTab)\"") }
        x.raw("/></bookViews><sheets>")
        for (index, sheet) in sheets.enumerated() {
            x.raw("<sheet name=\"")
            x.attribute(sheet.name)
            x.raw("\" sheetId=\"\(index + 1)\"")
            if sheet.visibility != .visible { x.raw(" state=\"\(sheet.visibility.rawValue)\"") }
            x.raw(" r:id=\"rId\(index + 1)\"/>")
        }
        x.raw("</sheets>")
        if !definedNames.isEmpty {
            x.raw("<definedNames>")
            for name in definedNames {
                x.raw("<definedName name=\"")
                x.attribute(name.name)
                x.raw("\"")
                if let index = name.sheetIndex { x.raw(" localSheetId=\"\(index)\"") }
                if name.hidden { x.raw(" hidden=\"1\"") }
                x.raw(">")
                x.text(name.refersTo)
                x.raw("</definedName>")
            }
            x.raw("</definedNames>")
        }
        x.raw("</workbook>")
        return x.bytes
    }

    static func workbookRelationships(sheetCount: Int) -> [UInt8] {
        var x = XMLBuffer()
        x.raw(header)
        x.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        for n in 1...max(1, sheetCount) where n <= sheetCount {
            x.raw("<Relationship Id=\"rId\(n)\" Type=\"\(relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\(n).xml\"/>")
        }
        x.raw("<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relationshipNamespace)/styles\" Target=\"styles.xml\"/>")
        x.raw("</Relationships>")
        return x.bytes
    }
}
