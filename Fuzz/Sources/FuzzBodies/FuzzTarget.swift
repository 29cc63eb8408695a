/// Every fuzz target by name, with the function that runs one input through it. The fuzz executables
/// (built with `-sanitize=fuzzer`) and the AddressSanitizer replay test share these bodies, so an input
/// that crashed a fuzzer is replayed through exactly the same code.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case ruleParser = "rule-parser"
    case numberInput = "number-input"
    case submissionJSON = "submission-json"
    case xlsxUpload = "xlsx-upload"
    case csvUpload = "csv-upload"
    case loginBody = "login-body"
    case catalogLoader = "catalog-loader"
    case sdcMicrodata = "sdc-microdata"

    /// Runs one input. Returns normally for every input, accepted or rejected: a trap, a sanitizer
    /// report or a broken invariant (`FuzzInvariant.check`) is the finding.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .ruleParser: RuleParserBody.run(bytes)
        case .numberInput: NumberInputBody.run(bytes)
        case .submissionJSON: SubmissionJSONBody.run(bytes)
        case .xlsxUpload: XLSXUploadBody.run(bytes)
        case .csvUpload: CSVUploadBody.run(bytes)
        case .loginBody: LoginBodyBody.run(bytes)
        case .catalogLoader: CatalogLoaderBody.run(bytes)
        case .sdcMicrodata: SDCMicrodataBody.run(bytes)
        }
    }

    /// Entry for the C driver: libFuzzer's `(data, size)`.
    public func run(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        guard let data, size > 0 else {
            run([])
            return 0
        }
        run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
