import DRSCore
import DRSDisclosure
import DRSReport
import DRSStorage
import Foundation

extension OfficeTasks {
    /// `drs report build`: the report of a year from the verified figures in the database.
    public static func buildReport(storage: StorageLocation, catalogRoot: URL, year: Int, rules: SafetyRules,
                                   mark: String?) async throws -> ReportFiles {
        try await withStorage(storage, catalogRoot: catalogRoot) { session, catalog in
            let db = session.db
            return try await ReportPublication.build(db, catalog: catalog, catalogRoot: catalogRoot, year: year, rules: rules, mark: mark)
        }
    }
}
