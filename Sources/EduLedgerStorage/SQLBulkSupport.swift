import EduLedgerCore
import Foundation
import SQLKit

/// Keys and highest ids read in one query per table, for importers (see `RegistryBulkSupport`).
struct SQLBulkReads {
    let sql: any SQLDatabase

    func highestIDs() async throws -> RegistryHighestIDs {
        func highest(_ table: String) async throws -> Int64 {
            let query = SQLQueryString(text: "SELECT COALESCE(MAX(id), 0) AS m FROM " + table)
            return try await sql.raw(query).first(decodingColumn: "m", as: Int64.self) ?? 0
        }
        return RegistryHighestIDs(
            schools: try await highest("schools"), classes: try await highest("classes"),
            students: try await highest("students"), enrolments: try await highest("enrolments"),
            staff: try await highest("staff"))
    }

    func keys(table: String, numberColumn: String) async throws -> [RegistryPersonKey] {
        let query = SQLQueryString(text: "SELECT \(numberColumn) AS n, resident_id AS r FROM \(table) ORDER BY id")
        return try await sql.raw(query).all().map { row in
            RegistryPersonKey(number: try row.decode(column: "n", as: String.self),
                              residentID: try row.decode(column: "r", as: String?.self))
        }
    }
}

extension SQLRegistryStore: RegistryBulkSupport {
    private var bulkReads: SQLBulkReads { SQLBulkReads(sql: database.reader) }
    public func highestIDs() async throws -> RegistryHighestIDs { try await bulkReads.highestIDs() }
    public func studentKeys() async throws -> [RegistryPersonKey] {
        try await bulkReads.keys(table: "students", numberColumn: "student_number")
    }
    public func staffKeys() async throws -> [RegistryPersonKey] {
        try await bulkReads.keys(table: "staff", numberColumn: "staff_number")
    }
    public func recordImport(_ summary: ImportAuditSummary) async throws {
        throw StorageError(code: "storage.outside_transaction", message: "导入记录只能在写入事务中登记")
    }
}

extension SQLRegistryWriter: RegistryBulkSupport {
    private var bulkReads: SQLBulkReads { SQLBulkReads(sql: sql) }
    func highestIDs() async throws -> RegistryHighestIDs { try await bulkReads.highestIDs() }
    func studentKeys() async throws -> [RegistryPersonKey] {
        try await bulkReads.keys(table: "students", numberColumn: "student_number")
    }
    func staffKeys() async throws -> [RegistryPersonKey] {
        try await bulkReads.keys(table: "staff", numberColumn: "staff_number")
    }

    /// The same shape of line as `audit(_:…)` writes, with the summary as `after_json`.
    func recordImport(_ summary: ImportAuditSummary) async throws {
        try await sql.insert(into: "audit_log")
            .columns("at", "actor", "action", "entity", "entity_id", "before_json", "after_json")
            .values(SQLBind(Timestamp.now()), SQLBind(user.login), SQLBind(AuditEntry.Action.bulkLoad.rawValue),
                    SQLBind("import"), SQLBind(summary.kind), SQLLiteral.null, SQLBind(try Self.json(summary)))
            .run()
    }
}

extension SQLQueryString {
    /// A query from plain text built by us (table and column names from the schema, never user input),
    /// without SQLKit's interpolation rules applying to the pieces.
    init(text: String) { self.init(text) }
}
