/// A database that does not speak SQL. Every engine the platform runs on does, so this is a wiring
/// mistake: reported as an error, never a trap (a trap stops the server for every user).
struct SQLUnavailable: Error, CustomStringConvertible {
    var description: String { "数据库不支持 SQL" }
}
