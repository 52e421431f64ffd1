import EduLedgerCore
import NIOPosix
import SQLKit
import VaporCSQLite

/// The `sqlite3*` of the connection behind an `SQLDatabase` that SQLiteKit made from an
/// `SQLiteConnection`: the import's chunks are written through it with prepared statements, on
/// the same connection and inside the same transaction as every other statement of the import.
///
/// Why reflection: SQLiteKit and SQLiteNIO keep the handle internal, and each statement they run
/// is prepared anew — for a 150 000-row import the parsing of the multi-row INSERTs, the statement
/// journal SQLite keeps for a multi-row INSERT with explicit ids, and the conversion of every value
/// cost about as much again as the inserts themselves. The handle sits at
/// `database.handle.raw` (SQLiteKit's wrapper → `SQLiteConnection` → its handle box); when a
/// dependency update moves it, `init` returns nil and the import takes the portable SQLKit path
/// (a test notices: it asserts that the fast path is found).
struct SQLiteRawHandle: @unchecked Sendable {
    // Unchecked: the pointer is used only inside the import's write transaction, one call at a time
    // (each awaited before the next), and the connection is opened with SQLITE_OPEN_FULLMUTEX.
    let pointer: OpaquePointer

    init?(_ sql: any SQLDatabase) {
        guard let found = Mirror(reflecting: sql).descendant("database", "handle", "raw"),
              let pointer = found as? OpaquePointer else { return nil }
        self.pointer = pointer
    }

    /// Whether a transaction is open on the connection (autocommit is off inside BEGIN … COMMIT).
    var inTransaction: Bool { sqlite_nio_sqlite3_get_autocommit(pointer) == 0 }

    var message: String { String(cString: sqlite_nio_sqlite3_errmsg(pointer)) }
}

/// Rows written with one prepared single-row INSERT per table, reset and bound again for each row.
///
/// A single-row INSERT needs no statement journal (a multi-row one with explicit ids does) and is
/// parsed once per chunk instead of as one 30 000-value statement; the values are exactly the
/// bulk values `BulkRows` writes (same columns, same storage classes), so the stored rows are the same.
enum SQLiteBulkInsert {
    /// Inserts the students, then their enrolments, on the thread pool SQLiteNIO uses for the
    /// connection (the C calls block). Refuses to write outside an open transaction.
    static func insert(students: [Student], enrolments: [Enrolment], handle: SQLiteRawHandle) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            guard handle.inTransaction else {
                throw StorageError(code: "storage.outside_transaction", message: "批量导入只能在写入事务中进行")
            }
            try insert(into: Tables.Students.name, Tables.Students.columns, students, BulkRows.student, handle)
            try insert(into: Tables.Enrolments.name, Tables.Enrolments.columns, enrolments, BulkRows.enrolment, handle)
        }
    }

    private static func insert<R>(into table: String, _ columns: [String], _ records: [R],
                                  _ values: (R) -> [BulkValue], _ handle: SQLiteRawHandle) throws {
        guard !records.isEmpty else { return }
        let db = handle.pointer
        let placeholders = (1...columns.count).map { "?\($0)" }.joined(separator: ", ")
        let text = "INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES (" + placeholders + ")"
        var prepared: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, text, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else {
            throw failure(table, handle)
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for record in records {
            for (i, value) in values(record).enumerated() {
                let index = Int32(i + 1)
                let result: Int32
                switch value {
                case .text(let t), .code(let t): result = sqlite_nio_sqlite3_bind_text(statement, index, t, -1, transient)
                case .int(let n): result = sqlite_nio_sqlite3_bind_int64(statement, index, n)
                case .null: result = sqlite_nio_sqlite3_bind_null(statement, index)
                }
                guard result == SQLITE_OK else { throw failure(table, handle) }
            }
            guard sqlite_nio_sqlite3_step(statement) == SQLITE_DONE else {
                let error = failure(table, handle)
                sqlite_nio_sqlite3_reset(statement)
                throw error
            }
            sqlite_nio_sqlite3_reset(statement)
        }
    }

    private static func failure(_ table: String, _ handle: SQLiteRawHandle) -> StorageError {
        StorageError(code: "storage.insert_failed", message: "写入\(table)失败：\(handle.message)")
    }
}
