import FluentKit

/// Version 5: an account the national office has disabled (停用) cannot log in; existing accounts stay enabled.
struct AddUserDisabled: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(UserAccount.schema).field("disabled", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on db: any Database) async throws { try await db.schema(UserAccount.schema).deleteField("disabled").update() }
}
