@testable import DRSServer
import DRSCatalog
import DRSCore
import Foundation
import Leaf
import LeafKit
import Testing
import Vapor

/// `FormSheetMarkup` writes the form page's sections and grids as the template did: for every
/// indicator and grid form of the catalog, filled with texts that need escaping (`<`, `&`, quotes),
/// with last year's hints and a unit profile that skips rows, the markup equals what Leaf made of the
/// template's loops (kept below as they were), but for the whitespace between tags.
@Suite("Form page markup")
struct FormSheetMarkupTests {
    /// The loops `form.leaf` had before its sheet was written in Swift.
    static let template = #"""
      #for(section in sections):
      <tbody class="form-section">
        #if(section.title != ""):<tr class="section-row"><th colspan="3" scope="rowgroup">#(section.title)</th>#for(column in columns):<td></td>#endfor</tr>#endif
        #for(row in section.rows):
        <tr class="row#if(row.isSubItem): sub-item#endif#if(!row.applies): not-applicable#endif#if(row.skipReason != ""): skipped#endif#if(row.hasMembers): has-members#endif" data-row="#(row.code)"#if(row.skipReason != ""): data-skip-reason="#(row.skipReason)"#endif>
          <th scope="row" class="name"><span class="row-name">#(row.name)</span>#if(row.note != ""):<span class="row-note">〔#(row.note)〕</span>#endif#if(row.skipReason != ""):<span class="skip-note">#(row.skipReason)</span>#endif#if(row.definition != ""):<button type="button" class="def-toggle" aria-expanded="false" tabindex="-1">释义</button><div class="definition">#(row.definition)</div>#endif</th>
          <td class="unit" data-label="计量单位">#(row.unit)</td>
          <td class="code" data-label="代码">#(row.code)</td>
          #if(row.hasMembers):#for(cell in row.cells):<td class="group-cell"></td>#endfor#else:#for(cell in row.cells):#if(cell.open):<td class="num#if(cell.required): required-cell#endif" data-label="#(cell.columnName)"><input type="text" class="cell" inputmode="decimal" autocomplete="off" data-cell="#(cell.key)" value="#(cell.value)" aria-label="#(cell.label)"#if(cell.required): aria-required="true"#endif#if(!row.applies): disabled data-na#endif><div class="cell-msg"></div>#if(cell.lastYear != ""):<span class="last-year">上年核定：#(cell.lastYear)</span>#endif</td>#else:<td class="closed" title="此栏不填">——</td>#endif#endfor#endif
        </tr>
        #for(member in row.members):<tr class="member-row#if(!row.applies): not-applicable#endif" data-row="#(row.code)">
          <th scope="row" class="name member-name">#(member.name)</th>
          <td class="unit" data-label="计量单位">#(row.unit)</td>
          <td class="code"></td>
          #for(cell in member.cells):#if(cell.open):<td class="num#if(cell.required): required-cell#endif" data-label="#(cell.columnName)"><input type="text" class="cell" inputmode="decimal" autocomplete="off" data-cell="#(cell.key)" value="#(cell.value)" aria-label="#(cell.label)"#if(cell.required): aria-required="true"#endif#if(!row.applies): disabled data-na#endif><div class="cell-msg"></div>#if(cell.lastYear != ""):<span class="last-year">上年核定：#(cell.lastYear)</span>#endif</td>#else:<td class="closed" title="此栏不填">——</td>#endif#endfor
        </tr>
        #endfor
        #endfor
      </tbody>
      #endfor
#SPLIT#
  #for(grid in grids):
  <section class="grid-block" aria-labelledby="grid-#(grid.column)">
    <h2 class="grid-title" id="grid-#(grid.column)">#(grid.columnName)</h2>
    <div class="grid-scroll sheet-wrap" role="region" aria-label="#(grid.columnName)（可左右滚动）">
      <table class="form-table grid-table sheet">
        <thead>
          <tr><th scope="col" class="name">项目</th>#for(head in grid.heads):<th scope="col" class="num">#(head)</th>#endfor</tr>
        </thead>
        <tbody>
          #for(grow in grid.rows):<tr class="grid-row#if(grow.isTotal): total#endif">
            <th scope="row" class="name">#(grow.name)</th>
            #for(cell in grow.cells):#if(cell.open):<td class="num#if(cell.required): required-cell#endif" data-label="#(cell.columnName)"><input type="text" class="cell" inputmode="decimal" autocomplete="off" data-cell="#(cell.key)" value="#(cell.value)" aria-label="#(cell.label)"#if(cell.required): aria-required="true"#endif><div class="cell-msg"></div>#if(cell.lastYear != ""):<span class="last-year">上年核定：#(cell.lastYear)</span>#endif</td>#else:<td class="closed" title="此栏不填">——</td>#endif#endfor
          </tr>
          #endfor
        </tbody>
      </table>
    </div>
  </section>
  #endfor
"""#

    struct Context: Encodable {
        var columns: [FormPage.ColumnHead]
        var sections: [FormPage.Section]
        var grids: [FormPage.Grid]
    }

    static func normalized(_ html: String) -> String {
        html.replacingOccurrences(of: #">\s+<"#, with: "><", options: .regularExpression)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Where two pages part, with a little of each around it (a whole page would drown the report).
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a), y = Array(b)
        let at = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)
        let before = String(x[max(0, at - 80)..<min(x.count, at + 80)]), after = String(y[max(0, at - 80)..<min(y.count, at + 80)])
        return "template: …\(before)… markup: …\(after)…"
    }

    /// Every cell of `form` filled with `text(cell)`, in the API's shape (`row → column → [member →] text`).
    static func figures(_ form: CompiledForm, _ text: (Int) -> String) -> JSONValue {
        var rows: [String: [String: JSONValue]] = [:]
        var members: [String: [String: [(String, JSONValue)]]] = [:]
        for (slot, cell) in form.layout.cells.enumerated() {
            let key = cell.key
            if let member = key.member {
                members[key.code, default: [:]][key.column, default: []].append((member, .string(text(slot))))
            } else {
                rows[key.code, default: [:]][key.column] = .string(text(slot))
            }
        }
        for (code, columns) in members { for (column, values) in columns { rows[code, default: [:]][column] = .object(values) } }
        return .object(rows.map { code, columns in (code, .object(columns.map { ($0.key, $0.value) })) })
    }

    @Test func theMarkupIsWhatTheTemplateMade() async throws {
        let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot, year: nil))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drs-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = Self.template.components(separatedBy: "#SPLIT#\n")
        try parts[0].write(to: folder.appendingPathComponent("sections.leaf"), atomically: true, encoding: .utf8)
        try parts[1].write(to: folder.appendingPathComponent("grids.leaf"), atomically: true, encoding: .utf8)
        let app = try await Application.make(.testing)
        app.views.use(.leaf)
        app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.requireExtensions], sandboxDirectory: folder.path + "/",
                                                      viewDirectory: folder.path + "/"))
        var compared = 0
        for form in catalog.forms.values.sorted(by: { $0.form.id < $1.form.id }) where form.form.kind != .basicInfo {
            for profile in [UnitProfile(), UnitProfile(telecomOperator: true, stateOwned: true, internetPlatform: true, answers: ["E1.Q10": "2"])] {
                let builder = FormPageBuilder(compiled: form, filled: Self.figures(form) { "\($0)<&\"'>" },
                                              lastYear: Self.figures(form) { $0 % 3 == 0 ? "\($0).5&" : "" }, profile: profile,
                                              skipped: form.skippedRows(profile: profile), requiredSlots: Set(form.requiredSlots(profile: profile)))
                let context = Context(columns: builder.columns, sections: builder.sections(), grids: builder.grids())
                let isGrid = form.form.kind == .grid
                let leaf = try await app.view.render(isGrid ? "grids" : "sections", context).get()
                let markup = isGrid ? FormSheetMarkup.grids(context.grids) : FormSheetMarkup.sections(context.sections, columns: context.columns)
                let expected = Self.normalized(String(buffer: leaf.data)), written = Self.normalized(markup)
                #expect(expected == written, "\(form.form.id): \(Self.firstDifference(expected, written))")
                #expect(markup.contains("&lt;&amp;&quot;&#39;&gt;"))
                compared += 1
            }
        }
        #expect(compared >= 20)
        try await app.asyncShutdown()
    }
}
