import DRSCore
import DRSDisclosure
import DRSExchange

/// Disclosure control's untrusted inputs: the first line is a tau-Argus rule string (`--rules`), the
/// rest microdata (`drs sdc --input`) with the columns province, resp_type, storage_tb, holding, then
/// read again as a suppression pattern (`--pattern`). The table built must add up exactly.
enum SDCMicrodataBody {
    static func run(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        let rulesText = String(decoding: bytes[..<newline], as: UTF8.self)
        let rules = (try? SafetyRules.parse(rulesText)) ?? .standard
        let rest = Array(bytes[min(newline + 1, bytes.count)...])
        let columns = MicrodataCSV.Columns(dimensions: ["province", "resp_type"], value: "storage_tb", holding: "holding")
        guard let contributions = try? MicrodataCSV.read(rest, columns: columns),
              let table = try? MagnitudeTable.build(dimensionNames: columns.dimensions, contributions: contributions,
                                                    largestKept: rules.largestContributionsNeeded)
        else { return }
        let grand = table.values.last ?? 0
        let expected = contributions.reduce(Int128(0)) { sum, contribution in
            sum + (contribution.value.rescaled(to: table.scale)?.units ?? 0)
        }
        FuzzInvariant.check(grand == expected, "grand total \(grand) is not the sum of the records \(expected)")
        for sensitivity in CellSensitivity.assess(table, rules: rules) where sensitivity.isPrimary {
            FuzzInvariant.check(sensitivity.level >= 1, "a primary cell with a level below one unit")
        }
        _ = try? SuppressionPatternCSV.read(rest, table: table)
    }
}
