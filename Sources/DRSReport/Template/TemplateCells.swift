import DRSCore

extension ReportTemplate {
    /// The cells of a form the report reads (keys as stored, e.g. `01:cur`, with members for rows
    /// broken down by a code list): the loader parses these and no others.
    public func cellKeys(form: CompiledForm) -> Set<String> {
        var keys = Set<String>()
        for measure in measures {
            for source in measure.sources where source.form == form.form.id {
                for code in [source.indicator] + (source.weight.map { [$0] } ?? []) {
                    guard let row = RowValue(form: form, code: code, column: measure.column) else { continue }
                    for slot in row.slots where slot < form.layout.cells.count { keys.insert(form.layout.cells[slot].key.description) }
                }
            }
        }
        return keys
    }
}
