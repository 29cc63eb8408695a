import DRSCore
import DRSExchange
import XLSXReader

/// The whole Excel upload path: ZIP and XML reading under the standard limits, then the template
/// reader against the real catalog.
enum XLSXUploadBody {
    static func run(_ bytes: [UInt8]) {
        let document: XLSXDocument
        do {
            document = try XLSXFile.read(bytes)
        } catch {
            _ = "\(error)"
            return
        }
        _ = TemplateUpload.identify(document)
        let result = TemplateUpload.read(document, catalog: SurveyCatalog.compiled)
        _ = "\(result)"
    }
}
