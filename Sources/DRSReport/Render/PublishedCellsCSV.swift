/// `cells.csv`: every published table cell, one per row, with this exact header (other tools read
/// it): `table,form,indicator,column,province,resp_type,industry,value,status,contributors`.
/// `provenance.csv` (national office only) adds, per cell, the filter it was read with.
public enum PublishedCellsCSV {
    public static let header = "table,form,indicator,column,province,resp_type,industry,value,status,contributors"
    public static let provenanceHeader = "table,form,indicator,column,province,resp_type,industry,filter"

    public static func cells(_ doc: ReportDocument) -> String {
        var out = header + "\n"
        for c in doc.cells {
            let fields = [c.table, c.form, c.indicator, c.column, c.province, c.respType, c.industry,
                          c.value.map { $0.normalized.description } ?? "", c.suppressed ? "suppressed" : "published", String(c.contributors)]
            out += fields.map(quoted).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func provenance(_ doc: ReportDocument) -> String {
        var out = provenanceHeader + "\n"
        for c in doc.cells {
            out += [c.table, c.form, c.indicator, c.column, c.province, c.respType, c.industry, c.filter].map(quoted).joined(separator: ",") + "\n"
        }
        return out
    }

    /// RFC 4180: quoted only when needed.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
