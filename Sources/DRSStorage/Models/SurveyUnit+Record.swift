import DRSCore

extension SurveyUnit {
    /// Copies a checked registry record onto the stored unit (the parent is resolved by the caller).
    public func apply(_ record: UnitRecord) {
        creditCode = record.creditCode
        name = record.name
        regionCode = record.regionCode
        address = record.address
        types = record.types.joined(separator: ",")
        stateOwned = record.stateOwned
        internetPlatform = record.internetPlatform
        telecomOperator = record.telecomOperator
        contact = record.contact
        if let code = record.industryCode { industryCode = code.isEmpty ? nil : code }
    }

    /// The unit as the audit trail records it (old and new value of `unitChanged`): kept as it always was.
    public var auditJSON: JSONValue {
        .object([
            ("id", .string(id?.uuidString)), ("creditCode", .string(creditCode)), ("name", .string(name)),
            ("regionCode", .string(regionCode)), ("address", .string(address)), ("types", .array(typeList.map { .string($0) })),
            ("stateOwned", .bool(stateOwned)), ("internetPlatform", .bool(internetPlatform)),
            ("telecomOperator", .bool(telecomOperator)), ("parentId", .string($parent.id?.uuidString)),
        ])
    }
}
