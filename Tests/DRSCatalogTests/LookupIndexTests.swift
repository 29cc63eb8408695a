import DRSCore
import Testing

/// The indexes a save reads by (a cell's stored text, an indicator's code) give, for every form of
/// the shipped catalog, what the slower readings they replace gave.
@Suite struct LookupIndexTests {
    @Test func everyCellsStoredTextFindsItsSlot() throws {
        for form in Shipped.catalog.orderedForms {
            #expect(form.layout.keyTexts.count == form.layout.count)
            for (slot, text) in form.layout.keyTexts.enumerated() {
                #expect(text == form.layout.cells[slot].key.description)
                #expect(form.layout.slot(text: text) == slot, "\(form.form.id) \(text)")
                #expect(CellKey(parsing: text).flatMap { form.layout.slot($0) } == slot, "\(form.form.id) \(text)")
            }
            #expect(form.layout.slot(text: "zz:cur") == nil)
        }
    }

    @Test func everyIndicatorIsFoundByItsCode() {
        for form in Shipped.catalog.orderedForms {
            for indicator in form.form.allIndicators {
                let found = form.indicator(indicator.code), expected = form.form.indicator(indicator.code)
                #expect(found?.code == expected?.code && found?.name == expected?.name && found?.columns == expected?.columns, "\(form.form.id) \(indicator.code)")
            }
            #expect(form.indicator("no such code") == nil)
        }
    }

    /// Figures stored and read back through the index are the figures saved, form by form.
    @Test func storedFiguresReadBackThroughTheIndex() {
        for form in Shipped.catalog.orderedForms where form.form.kind != .basicInfo {
            let values = SampleSubmissions.clean(form, seed: 7, units: Shipped.units)
            var unknown: UnknownCells?
            let read = form.values(fromStored: form.cellMap(values)) { unknown = $0 }
            #expect(unknown == nil)
            #expect(form.cellMap(read) == form.cellMap(values), "\(form.form.id)")
        }
    }
}
