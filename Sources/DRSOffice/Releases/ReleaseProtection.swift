import DRSCore
import DRSDisclosure
import DRSSolverCLP
import DRSStorage
import FluentKit
import Crypto
import Foundation

/// Where an output of the national office goes (docs/disclosure-control.md, “Applied to published
/// aggregates”): the choice is always explicit and recorded.
public enum ReleaseDestination: String, Sendable, CaseIterable {
    /// 国家统计局: a partner with legal access (统计法), which may receive unprotected cells.
    case nbs
    /// Publication (and every other recipient): protected by the safety rules.
    case `public`

    public var chineseName: String {
        switch self {
        case .nbs: "国家统计局（依法可获得未经保密处理的数据）"
        case .public: "对外公布（按保密规则处理）"
        }
    }

    public var isProtected: Bool { self == .public }
}

/// A release refused by the attacker's audit: some sensitive cell could still be derived.
public struct ReleaseRefused: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// One protected aggregate, audited: the marks for the outputs and what its release records.
public struct ProtectedRelease: Sendable {
    public var suppression: AggregateSuppression
    public var summary: AggregateAuditSummary
    /// The suppressed cells as compact JSON, `[[grouping key, cell, "p"|"s"], …]`.
    public var pattern: String
}

/// Disclosure control of an output that leaves the office: protection from the unit-level data, the
/// attacker's audit of every table, and the release's record. The rules never leave the server; a
/// release keeps only their fingerprint.
public struct ReleaseProtection: Sendable {
    public var rules: SafetyRules

    public init(rules: SafetyRules = .standard) { self.rules = rules }

    /// SHA-256 of the canonical rule string, in hex.
    public var fingerprint: String { Self.fingerprint(rules) }

    public static func fingerprint(_ rules: SafetyRules) -> String {
        SHA256.hash(data: Data(rules.description.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Protects the aggregate `table` of `input` over the breakdown `by` and audits it; throws
    /// `ReleaseRefused` when a cell fails the audit (nothing may then be released).
    public func protect(_ input: AggregateInputs.Input, _ table: AggregateTable, by: [String]) throws -> ProtectedRelease {
        let units = zip(input.records.indices, input.records).map { index, record in
            AggregateProtection.Unit(record: record, holding: index < input.holdings.count ? input.holdings[index] : nil)
        }
        let solver = CLPSolver()
        let protection = AggregateProtection(suppression: SecondarySuppression(solver: solver), rules: rules)
        let disclosure: AggregateDisclosure
        do {
            disclosure = try protection.protect(table, form: input.form, units: units, by: by)
        } catch {
            throw AggregateError(message: "\(input.form.form.tableNumber)：保密处理失败：\(error.message)")
        }
        let summary = disclosure.audit(AttackerAudit(solver: solver))
        guard summary.passes else {
            throw ReleaseRefused(message: "\(input.form.form.tableNumber)：攻击者审计未通过（\(summary.cellsFailing) 个敏感单元格仍可推算：\(summary.failures.joined(separator: "；"))），不予发布，未写入任何内容")
        }
        let suppression = AggregateSuppression { grouping, key, slot in
            switch disclosure.status(slot: slot, grouping: grouping, key: key) {
            case .primary: .primary
            case .secondary: .secondary
            case .safe, .empty: nil
            }
        }
        return ProtectedRelease(suppression: suppression, summary: summary, pattern: Self.pattern(table, suppression))
    }

    /// Every published cell that is withheld, by grouping key (`province=110000`; "" nationally).
    static func pattern(_ table: AggregateTable, _ suppression: AggregateSuppression) -> String {
        var cells: [JSONValue] = []
        for grouping in table.groupings {
            for group in grouping.groups {
                let key = zip(grouping.dimensions, group.key).map { "\($0)=\($1)" }.joined(separator: ",")
                for slot in 0..<min(group.cellCount, table.cells.count) where group.cell(slot).units > 0 {
                    guard let mark = suppression.mark(grouping.dimensions, group.key, slot) else { continue }
                    cells.append(.array([.string(key), .string(table.cells[slot].description), .string(mark == .primary ? "p" : "s")]))
                }
            }
        }
        return JSONValue.array(cells).serialized()
    }
}

/// Writing releases: the rows and the audit line, in one transaction.
public enum ReleaseRecords {
    /// Who made the release: an account, or the command line.
    public struct Maker: Sendable {
        public var userID: UUID?
        public var username: String
        public var address: String

        public init(userID: UUID? = nil, username: String, address: String = "-") {
            self.userID = userID
            self.username = username
            self.address = address
        }
    }

    /// A release of a form's aggregate: protected (`release` given) or not (nbs).
    public static func row(year: Int, form: String, by: [String], destination: ReleaseDestination, fingerprint: String,
                           release: ProtectedRelease?, maker: Maker) -> DisclosureRelease {
        DisclosureRelease(year: year, formID: form, breakdown: by, destination: destination.rawValue,
                          rulesFingerprint: release == nil ? "" : fingerprint, pattern: release?.pattern ?? "[]",
                          primaryCells: release?.summary.primary ?? 0, secondaryCells: release?.summary.secondary ?? 0,
                          cellsFailing: release?.summary.cellsFailing ?? 0, createdBy: maker.username)
    }

    /// Stores the rows and one audit line naming the destination, the fingerprint and the maker.
    public static func store(_ rows: [DisclosureRelease], destination: ReleaseDestination, fingerprint: String, what: String,
                             maker: Maker, on db: any Database) async throws {
        let detail = "\(what)：去向 \(destination.rawValue)（\(destination.chineseName)）"
            + (destination.isProtected ? "，保密规则指纹 SHA-256 \(fingerprint)" : "，未作保密处理")
        try await db.transaction { tx in
            for row in rows { try await row.create(on: tx) }
            try await AuditEvent(userID: maker.userID, username: maker.username, address: maker.address, kind: .released,
                                 detail: detail).create(on: tx)
        }
    }
}
