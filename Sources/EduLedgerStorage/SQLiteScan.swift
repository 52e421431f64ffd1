import VaporCSQLite

/// One SELECT over an SQLite file on a read-only connection of its own, row by row, the values
/// read in place through the SQLite C interface (the same library the storage links).
///
/// Why: the indicator snapshot reads every enrolment period and every student of five school
/// years (≈ 260 000 rows for the demo district). Through the driver each row becomes an array of
/// tagged values and each value a dynamic-cast decode, which cost several times the query; here a
/// row costs the step and a few pointer reads. `IndicatorFactsLoader` and the importers' key lists
/// use it, only on SQLite files; a WAL-mode reader sees the last committed state and never blocks the writer.
struct SQLiteScan {
    let path: String

    /// The scan cannot be used for an in-memory or temporary database (another connection would
    /// see a different, empty database).
    static func usable(path: String) -> Bool {
        !path.isEmpty && path != ":memory:" && !path.hasPrefix("file::memory:")
    }

    /// Runs `sql` with text `binds` (?1, ?2 …) and calls `body` for each row.
    func rows(_ sql: String, binds: [String] = [], _ body: (SQLiteScanRow) throws -> Void) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? ""
            if let db { sqlite_nio_sqlite3_close_v2(db) }
            throw StorageError(code: "storage.open_failed", message: "无法打开 SQLite 数据库文件“\(path)”：\(message)")
        }
        defer { sqlite_nio_sqlite3_close_v2(db) }
        sqlite_nio_sqlite3_busy_timeout(db, 10_000)
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure(db)
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in binds.enumerated() {
            guard sqlite_nio_sqlite3_bind_text(statement, Int32(i + 1), value, -1, transient) == SQLITE_OK else {
                throw failure(db)
            }
        }
        let row = SQLiteScanRow(statement: statement)
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW: try body(row)
            case SQLITE_DONE: return
            default: throw failure(db)
            }
        }
    }

    private func failure(_ db: OpaquePointer) -> StorageError {
        StorageError(code: "storage.query_failed", message: "读取数据库失败：\(String(cString: sqlite_nio_sqlite3_errmsg(db)))")
    }
}

/// The current row of a scan; valid only inside the `body` call.
struct SQLiteScanRow: FactRow {
    let statement: OpaquePointer

    /// An integer column (a text column holding digits is read too); `nil` for NULL.
    func int64(_ column: Int32) -> Int64? {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return sqlite_nio_sqlite3_column_int64(statement, column)
        case SQLITE_NULL: return nil
        default: return text(column).flatMap(FactBytes.int64)
        }
    }

    /// The column's UTF-8 bytes; `nil` for NULL and for empty text.
    func text(_ column: Int32) -> FactBytes.Field? {
        guard let p = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
        let n = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return n > 0 ? UnsafeBufferPointer(start: p, count: n) : nil
    }
}

extension SQLiteScan {
    /// The in-place reader of `database`'s file; nil for PostgreSQL and for in-memory databases.
    init?(_ database: Database) {
        guard case .sqlite(let path) = database.location, Self.usable(path: path) else { return nil }
        self.init(path: path)
    }
}
