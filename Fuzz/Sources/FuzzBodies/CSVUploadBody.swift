import DRSCore
import DRSExchange

/// The CSV upload path against the real catalog.
enum CSVUploadBody {
    static func run(_ bytes: [UInt8]) {
        let result = CSVUpload.read(bytes: bytes, catalog: SurveyCatalog.compiled)
        _ = "\(result)"
    }
}
