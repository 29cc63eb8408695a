/// How much one upload may make the platform do (issue #11, finding 7), in one place.
///
/// The largest legitimate upload is one form of one unit: a filled template (a few hundred KB) or
/// its CSV, one line per cell — the largest form has a few thousand cells. Bulk imports send many
/// such files, each read under the same limits. Beyond a limit reading stops with a clear message;
/// the problems of a file are counted in full but only the first `maximumProblemsListed` are kept, so
/// an answer stays small (a 1,000,000-line CSV once produced a 213 MB error response).
public enum UploadLimits {
    /// The uploaded file (workbook or CSV). The request body of the upload route is collected up to
    /// this size and no further (`TemplateController`); XLSX reading has the same bound (`XLSXReadLimits`).
    public static let maximumFileBytes = 20 << 20
    /// Lines (records) of a CSV file, the header included: every cell of the largest form plus its
    /// 情况说明 fits many times over (a test checks each shipped form against it).
    public static let maximumRows = 20_000
    /// Fields of one CSV line: the format has seven columns.
    public static let maximumFieldsPerRow = 32
    /// Bytes of one CSV field (a 情况说明 of a few thousand Chinese characters fits).
    public static let maximumFieldBytes = 32 << 10
    /// Problems listed in an answer; the total is always counted and reported.
    public static let maximumProblemsListed = 100
    /// Characters of one problem's message: a message quotes what was typed, and a field can be long.
    public static let maximumMessageCharacters = 300

    /// "共 1,234 处问题，仅列出前 100 处", or nil when every problem is listed.
    public static func truncationNote(total: Int) -> String? {
        total > maximumProblemsListed ? "共 \(total) 处问题，仅列出前 \(maximumProblemsListed) 处" : nil
    }
}

/// Problems as an upload is read: the first `UploadLimits.maximumProblemsListed` kept (messages cut
/// to a readable length), all of them counted.
struct ProblemList {
    private(set) var kept: [UploadProblem] = []
    private(set) var total = 0

    var isEmpty: Bool { total == 0 }

    mutating func append(_ problem: UploadProblem) {
        total += 1
        guard kept.count < UploadLimits.maximumProblemsListed else { return }
        var p = problem
        if p.message.count > UploadLimits.maximumMessageCharacters {
            p.message = String(p.message.prefix(UploadLimits.maximumMessageCharacters)) + "…"
        }
        kept.append(p)
    }
}
