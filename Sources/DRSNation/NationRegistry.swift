import DRSCore

/// Turns the plan's slots into units: names (real ones from the catalog's registries first), flags,
/// industry, credit code, size, and whether the unit existed last year.
struct NationRegistry {
    let provinceNames: [String: String]
    let divisions: [String]
    let seed: UInt64
    /// Real names still unused, by type and province (taken in registry order).
    var realNames: [String: [String: [String]]]
    var usedNames: [String: Int] = [:]

    init(survey: Survey, registries: [String: RegistryList], provinceNames: [String: String], divisions: [String], seed: UInt64) {
        self.provinceNames = provinceNames
        self.divisions = divisions
        self.seed = seed
        var real: [String: [String: [String]]] = [:]
        for type in survey.respondentTypes where (type.consolidates ?? []).isEmpty {
            for list in type.registry ?? [] {
                for entry in registries[list]?.members ?? [] {
                    real[type.id, default: [:]][entry.regionCode ?? "", default: []].append(entry.name)
                }
            }
        }
        realNames = real
    }

    mutating func units(_ plan: NationPlan) -> [NationUnit] {
        var units: [NationUnit] = []
        units.reserveCapacity(plan.slots.count)
        for (index, slot) in plan.slots.enumerated() {
            units.append(unit(index, slot, parent: slot.parent.map { units[$0] }))
        }
        return units
    }

    private mutating func unit(_ index: Int, _ slot: NationPlan.Slot, parent: NationUnit?) -> NationUnit {
        var random = NationRandom(seed: seed, stream: 2, index: index)
        let type = slot.types.first ?? ""
        let flags = slot.registryEntry?.flags ?? []
        let telecom = parent?.telecomOperator ?? flags.contains("telecomOperator")
        let stateOwned = parent?.stateOwned ?? (flags.contains("stateOwned") || random.chance(NationMix.stateOwnedShare[type] ?? 0))
        let platform = random.chance(NationMix.internetPlatformShare[type] ?? 0)
        let typeSize = slot.types.map { NationMix.typeSize[$0] ?? 1 }.max() ?? 1
        let leading = (NationMix.provinceWeights[slot.province] ?? 0) >= NationMix.leadingProvinceWeight
        let size = typeSize * (leading ? 2 : 1)
        // Headquarters consolidate their subsidiaries: a stable group, all verified, keeps the group's
        // growth within the year-over-year bounds.
        let status: NationStatus = slot.core || slot.parent != nil ? .verified : Self.status(&random)
        return NationUnit(index: index, creditCode: creditCode(index, type: type, province: slot.province),
                          name: name(slot, parent: parent, random: &random), regionCode: slot.province, types: slot.types,
                          stateOwned: stateOwned, internetPlatform: platform, telecomOperator: telecom, parentIndex: slot.parent,
                          industryCode: parent?.industryCode ?? industry(type, telecom: telecom, random: &random),
                          sizeFactor: random.paretoFactor(cap: NationMix.sizeCap) * size,
                          existedLastYear: slot.core || slot.parent != nil || !random.chance(NationMix.newShare), status: status)
    }

    private static func status(_ random: inout NationRandom) -> NationStatus {
        let draw = random.fraction()
        if draw < NationMix.draftShare { return .draft }
        if draw < NationMix.draftShare + NationMix.submittedShare { return .submitted }
        return .verified
    }

    private mutating func name(_ slot: NationPlan.Slot, parent: NationUnit?, random: inout NationRandom) -> String {
        let province = provinceNames[slot.province] ?? slot.province
        let type = slot.types.first ?? ""
        var name: String
        if let entry = slot.registryEntry {
            name = entry.name
        } else if let parent {
            name = NationNames.subsidiary(of: parent.name, province: province)
        } else if var pool = realNames[type]?[slot.province], !pool.isEmpty {
            name = pool.removeFirst()
            realNames[type]?[slot.province] = pool
        } else {
            name = NationNames.made(type: type, province: province, random: &random)
        }
        let seen = usedNames[name, default: 0]
        usedNames[name] = seen + 1
        if seen > 0 { name += "（\(seen + 1)）" }
        return name
    }

    private func industry(_ type: String, telecom: Bool, random: inout NationRandom) -> String {
        if telecom, let classes = NationMix.industryClasses["telecomOperator"], !classes.isEmpty { return classes[random.below(classes.count)] }
        if let classes = NationMix.industryClasses[type], !classes.isEmpty { return classes[random.below(classes.count)] }
        return divisions.isEmpty ? "6550" : divisions[random.below(divisions.count)]
    }

    /// A valid, unique 统一社会信用代码: registration prefix, province, an 8-digit body from the index
    /// and seed (7919 is prime to 9·10^7, so distinct indexes never collide), check characters.
    private func creditCode(_ index: Int, type: String, province: String) -> String {
        let offset = Int(seed % 1_000_003)
        let body = 10_000_000 + (index &* 7919 &+ offset) % 90_000_000
        return CreditCode.completing((NationMix.creditPrefix[type] ?? "91") + province + String(body) + "0")
    }
}
