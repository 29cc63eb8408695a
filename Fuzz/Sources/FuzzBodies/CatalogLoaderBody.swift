import DRSCatalog
import DRSCore
import Foundation

/// A catalog file (form, survey, code list, registry list, or a whole `drs catalog export`), decoded as
/// the loader decodes it, put into the real catalog in place of its namesake, and compiled: every
/// file is either rejected with a reason or compiles (rules parsed and bound). Only a few forms go with
/// each file (all of them for an export): compiling the whole edition per input would leave the fuzzer
/// a few inputs a second.
enum CatalogLoaderBody {
    /// A small basic-information form (code lists) and a small statistical form (rules).
    static let companions: [Form] = SurveyCatalog.source.forms.filter { ["I1", "P5"].contains($0.id) }

    static func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let base = SurveyCatalog.source
        if let form = try? decoder.decode(Form.self, from: data) {
            compile(Catalog(survey: base.survey, forms: [form], codeLists: base.codeLists, registries: base.registries))
        }
        if let survey = try? decoder.decode(Survey.self, from: data) {
            compile(Catalog(survey: survey, forms: companions, codeLists: base.codeLists, registries: base.registries))
        }
        if let list = try? decoder.decode(CodeList.self, from: data) {
            var codeLists = base.codeLists
            codeLists[list.id] = list
            compile(Catalog(survey: base.survey, forms: companions, codeLists: codeLists, registries: base.registries))
        }
        if let list = try? decoder.decode(RegistryList.self, from: data) {
            var registries = base.registries
            registries[list.id] = list
            compile(Catalog(survey: base.survey, forms: companions, codeLists: base.codeLists, registries: registries))
        }
        if let export = try? decoder.decode(CatalogExport.self, from: data) {
            compile(export.catalog)
        }
    }

    static func compile(_ catalog: Catalog) {
        do {
            _ = try CompiledCatalog(catalog)
        } catch {
            _ = error.description
        }
    }
}
