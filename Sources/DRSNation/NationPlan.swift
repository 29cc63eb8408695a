import DRSCore

/// Where each unit of the nation goes, before it gets a name and figures: national units first,
/// then central-enterprise headquarters, then every province's minimum set, then the rest drawn by
/// the province and type weights. Parents therefore always precede their subsidiaries.
struct NationPlan {
    struct Slot {
        var types: [String]
        var province: String
        var parent: Int?
        /// National, headquarters and per-province minimum units: always present last year, verified.
        var core: Bool
        var registryEntry: RegistryList.Entry?
    }

    let slots: [Slot]

    init(survey: Survey, registries: [String: RegistryList], provinces: [String], units total: Int, seed: UInt64) throws(NationError) {
        guard let capital = provinces.first(where: { $0 == "110000" }) ?? provinces.first else { throw NationError("调查目录中没有省级行政区划代码表") }
        let national = survey.respondentTypes.filter { $0.filingChannel == .publicSecurity }.map(\.id)
        let headquartersType = survey.respondentTypes.first { !($0.consolidates ?? []).isEmpty }?.id
        var slots = national.map { Slot(types: [$0], province: capital, parent: nil, core: true) }
        var headquarters: [Int] = []
        if let type = headquartersType {
            // The telecom operators first: every nation has them (their conditional rows get filled).
            let listed = (survey.respondentType(type)?.registry ?? []).flatMap { registries[$0]?.members ?? [] }
            let entries = listed.filter { $0.flags?.contains("telecomOperator") == true } + listed.filter { $0.flags?.contains("telecomOperator") != true }
            for n in 0..<min(100, max(3, total / 300)) {
                let entry = n < entries.count ? entries[n] : nil
                let province = entry?.regionCode.flatMap { provinces.contains($0) ? $0 : nil } ?? capital
                headquarters.append(slots.count)
                slots.append(Slot(types: [type], province: province, parent: nil, core: true, registryEntry: entry))
            }
        }
        let groups = Self.provinceGroups(survey: survey, excluding: Set(national), units: total)
        for (p, province) in provinces.enumerated() {
            for group in groups {
                let parent = group.first == headquartersType && !headquarters.isEmpty ? headquarters[p % headquarters.count] : nil
                slots.append(Slot(types: group, province: province, parent: parent, core: true))
            }
        }
        guard slots.count <= total else { throw NationError("\(total) 家单位不足以让每个省份都有每类调查对象（至少需要 \(slots.count) 家）") }
        let drawable = survey.respondentTypes.map(\.id).filter { !national.contains($0) && !NationMix.onePerProvince.contains($0) }
        let typeWeights = drawable.map { NationMix.typeWeights[$0] ?? NationMix.defaultTypeWeight }
        let provinceWeights = provinces.map { NationMix.provinceWeights[$0] ?? NationMix.defaultProvinceWeight }
        for index in slots.count..<total {
            var random = NationRandom(seed: seed, stream: 1, index: index)
            let type = drawable[random.weighted(typeWeights)]
            let province = provinces[random.weighted(provinceWeights)]
            let parent = type == headquartersType && !headquarters.isEmpty ? headquarters[random.below(headquarters.count)] : nil
            slots.append(Slot(types: [type], province: province, parent: parent, core: false))
        }
        self.slots = slots
    }

    /// The units every province has: one per type, or — in a small nation — related types combined.
    static func provinceGroups(survey: Survey, excluding national: Set<String>, units: Int) -> [[String]] {
        let types = survey.respondentTypes.map(\.id).filter { !national.contains($0) }
        guard units < NationMix.singleTypeThreshold else { return types.map { [$0] } }
        var groups: [[String]] = []
        var placed = Set<String>()
        for type in types where !placed.contains(type) {
            let group = NationMix.smallNationGroups.first { $0.first == type }?.filter(types.contains) ?? [type]
            groups.append(group)
            placed.formUnion(group)
        }
        return groups
    }
}
