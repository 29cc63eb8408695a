/// One item of a follow-up list as stored: whose figure, which cell. A form's lists are stored as
/// their order (these) and their basis; a page's figures are read again when it is shown, so a list
/// of a million items is kept in a few bytes an item and shown a page at a time.
public struct FollowUpEntry: Sendable, Hashable {
    public var unitID: String
    public var slot: Int

    public init(unitID: String, slot: Int) {
        self.unitID = unitID
        self.slot = slot
    }

    /// Entries as stored: a line `unitID<TAB>slot` each, in order.
    public static func lines<Entries: Sequence<FollowUpEntry>>(_ entries: Entries) -> String {
        var text = ""
        for entry in entries {
            text += entry.unitID
            text += "\t"
            text += String(entry.slot)
            text += "\n"
        }
        return text
    }

    /// The entries of stored lines (`FollowUpItems.storedLines`), for a form of `slots` cells; nil if
    /// any line is not one.
    public static func parse(_ text: String, slots: Int) -> [FollowUpEntry]? {
        var entries: [FollowUpEntry] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 2, !f[0].isEmpty, f[0].count <= 64, let slot = Int(f[1]), (0..<slots).contains(slot) else { return nil }
            entries.append(FollowUpEntry(unitID: String(f[0]), slot: slot))
        }
        return entries
    }
}

extension FollowUpItems {
    /// The items in `range` as stored: a line `unitID<TAB>slot` each, in order.
    public func storedLines(_ range: Range<Int>) -> String {
        FollowUpEntry.lines(entries[range.clamped(to: indices)].lazy.map { FollowUpEntry(unitID: units[$0.unit].unitID, slot: $0.slot) })
    }

    /// A page of a stored list: its entries made into items, each from its unit's figures (`units`, by
    /// unit id) and the stored basis, as `FollowUpLists` made them. An entry whose unit's figures are
    /// not given (sent back since the list was computed) or are of another form is left out.
    public static func stored(_ reason: FollowUpItem.Reason, entries: [FollowUpEntry], units: [String: FollowUpUnit],
                              aggregator: Aggregator, basis: FollowUpBasis, policy: YearOverYearPolicy? = nil) -> FollowUpItems {
        let slots = aggregator.form.layout.count
        var shown: [FollowUpUnit] = []
        var index: [String: Int] = [:]
        var kept: [(unit: Int, slot: Int)] = []
        if basis.slots == slots {
            for entry in entries where entry.slot < slots {
                guard let unit = units[entry.unitID], unit.values.count == slots, (unit.lastYear?.count ?? slots) == slots else { continue }
                let u = index[entry.unitID] ?? {
                    shown.append(unit)
                    index[entry.unitID] = shown.count - 1
                    return shown.count - 1
                }()
                kept.append((u, entry.slot))
            }
        }
        return FollowUpItems(reason: reason, entries: kept, units: shown, builder: ItemBuilder(aggregator: aggregator, basis: basis),
                             policy: policy ?? aggregator.form.yearOverYear)
    }
}
