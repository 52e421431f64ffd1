import SQLKit

extension IndicatorFactsLoader {
    /// A number that changes with every write: the newest audit line's id. Every insert,
    /// update, delete and bulk load appends an audit line in its own transaction, so computed
    /// figures cached under this number are current exactly while it stays the same.
    public func dataVersion() async throws -> Int64 {
        let row = try await database.reader.raw("SELECT MAX(id) AS id FROM audit_log").first()
        return try row?.decode(column: "id", as: Int64?.self) ?? 0
    }
}
