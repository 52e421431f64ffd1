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

/// Rows written with prepared statements on the transaction's own connection.
///
/// The usual path: prepared multi-row `INSERT OR FAIL` statements of `rowsPerStatement` rows
/// without the id column, so SQLite appends each row after the highest id. Why this shape:
/// - a single-row INSERT opens and closes a cursor on the table and on each of its indexes for
///   every row, which cost SQLite about a third more than the inserts themselves; a group of rows
///   shares them;
/// - a multi-row statement that may abort half-way makes SQLite keep a statement journal (every
///   page it touches written to a temporary file) so that it can undo its own earlier rows. Two
///   things make it "may abort": an explicit id (it might not be an integer) and the default
///   `ABORT` on a constraint. So the ids are left to SQLite and the conflict rule is `FAIL`:
///   nothing here needs undoing row by row, since any failure ends the import and rolls back its
///   whole transaction.
///
/// The ids SQLite gives are the ones the importer chose (the next after the highest, in order):
/// the path is taken only when the table's highest id is the one before the chunk's first and
/// the chunk's ids are consecutive, and after every statement the last id SQLite gave is checked
/// (a mismatch throws, and the transaction is rolled back). Otherwise — rows retracted at the end
/// of the table, say — the rows go one by one with their explicit ids. The values are exactly the
/// bulk values `BulkRows` writes (same columns, same storage classes), so the stored rows are the same.
enum SQLiteBulkInsert {
    /// Rows per statement: 15 columns × 64 rows = 960 parameters, far below SQLite's limit.
    static let rowsPerStatement = 64

    /// Inserts the students, then their enrolments, on the thread pool SQLiteNIO uses for the
    /// connection (the C calls block). Refuses to write outside an open transaction.
    static func insert(students: [Student], enrolments: [Enrolment], handle: SQLiteRawHandle) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            guard handle.inTransaction else {
                throw StorageError(code: "storage.outside_transaction", message: "批量导入只能在写入事务中进行")
            }
            try insert(into: Tables.Students.name, Tables.Students.columns, students, \.id.rawValue,
                       { BulkRows.student($0, into: &$1) }, handle)
            try insert(into: Tables.Enrolments.name, Tables.Enrolments.columns, enrolments, \.id.rawValue,
                       { BulkRows.enrolment($0, into: &$1) }, handle)
        }
    }

    /// Whether the rows may be appended with ids chosen by SQLite: their ids are consecutive and
    /// the first follows the table's highest.
    static func appends<R>(_ table: String, _ records: [R], _ id: (R) -> Int64, _ handle: SQLiteRawHandle) throws -> Bool {
        guard let first = records.first, zip(records, records.dropFirst()).allSatisfy({ id($1) == id($0) + 1 }) else {
            return false
        }
        let statement = try Statement("SELECT COALESCE(MAX(id), 0) FROM \(table)", table, handle)
        defer { statement.finish() }
        guard sqlite_nio_sqlite3_step(statement.pointer) == SQLITE_ROW else { throw failure(table, handle) }
        return sqlite_nio_sqlite3_column_int64(statement.pointer, 0) == id(first) - 1
    }

    private static func insert<R>(into table: String, _ columns: [String], _ records: [R], _ id: (R) -> Int64,
                                  _ values: (R, inout Parameters) -> Void, _ handle: SQLiteRawHandle) throws {
        guard !records.isEmpty else { return }
        let appending = try appends(table, records, id, handle)
        // Appending: every column but the id (the first), `rowsPerStatement` rows a statement.
        let group = appending ? rowsPerStatement : 1
        let written = Array(columns.dropFirst(appending ? 1 : 0))
        var current: (rows: Int, statement: Statement)?
        defer { current?.statement.finish() }
        var parameters = Parameters(skipFirstOfEvery: appending ? columns.count : 0)
        var start = 0
        while start < records.count {
            let rows = min(group, records.count - start)
            if current?.rows != rows {
                current?.statement.finish()
                current = nil  // finalized: not to be finalized again if the next prepare fails
                current = (rows, try Statement(insert: table, written, rows: rows, handle))
            }
            guard let statement = current?.statement.pointer else { throw failure(table, handle) }
            parameters.start(statement)
            for record in records[start ..< start + rows] { values(record, &parameters) }
            let result = parameters.bindTexts { sqlite_nio_sqlite3_step(statement) }
            guard result == SQLITE_DONE else {
                let error = failure(table, handle)
                sqlite_nio_sqlite3_reset(statement)
                throw error
            }
            sqlite_nio_sqlite3_reset(statement)
            start += rows
            if appending, sqlite_nio_sqlite3_last_insert_rowid(handle.pointer) != id(records[start - 1]) {
                throw StorageError(code: "storage.insert_failed",
                                   message: "写入\(table)失败：数据库分配的编号与导入预定的编号不一致，已全部撤销")
            }
        }
    }

    /// The parameters of one execution of a prepared statement, bound as the row values arrive.
    ///
    /// Numbers and NULLs are bound at once; texts are copied into one buffer, and bound — without a
    /// further copy by SQLite — only around the step (`bindTexts`), while the buffer cannot move.
    /// SQLite reads a bound value only during a step, and every parameter is bound again before each.
    struct Parameters: BulkValueSink {
        /// When appending, the first value of every row (the id) is left to SQLite.
        let skipFirstOfEvery: Int
        private var statement: OpaquePointer?
        private var position = 0
        private var index: Int32 = 1
        private var texts: [UInt8] = []
        private var spans: [(index: Int32, start: Int, count: Int)] = []
        private var failed = false

        init(skipFirstOfEvery: Int) { self.skipFirstOfEvery = skipFirstOfEvery }

        mutating func start(_ statement: OpaquePointer) {
            self.statement = statement
            position = 0
            index = 1
            texts.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            failed = false
        }

        mutating func add(_ value: BulkValue) {
            defer { position += 1 }
            if skipFirstOfEvery > 0 && position % skipFirstOfEvery == 0 { return }
            defer { index += 1 }
            switch value {
            case .text(let t), .code(let t):
                let start = texts.count
                texts.append(contentsOf: t.utf8)
                spans.append((index, start, texts.count - start))
            case .int(let n):
                if sqlite_nio_sqlite3_bind_int64(statement, index, n) != SQLITE_OK { failed = true }
            case .null:
                if sqlite_nio_sqlite3_bind_null(statement, index) != SQLITE_OK { failed = true }
            }
        }

        /// Binds the texts in place and runs `step` while they stay where they are; a failed
        /// binding answers SQLITE_MISUSE without stepping.
        func bindTexts(_ step: () -> Int32) -> Int32 {
            guard !failed, let statement else { return SQLITE_MISUSE }
            return texts.withUnsafeBufferPointer { buffer -> Int32 in
                let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                for span in spans {
                    // An empty text still needs a pointer (a null one would bind NULL).
                    let pointer = span.count == 0 ? Self.empty : (base.map { $0 + span.start } ?? Self.empty)
                    guard sqlite_nio_sqlite3_bind_text(statement, span.index, pointer, Int32(span.count), Self.static) == SQLITE_OK else {
                        return SQLITE_MISUSE
                    }
                }
                return step()
            }
        }

        /// SQLITE_STATIC: SQLite reads the text where it is (the buffer outlives the step).
        private static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)
        private static let nothing: StaticString = ""
        private static var empty: UnsafePointer<CChar> {
            UnsafeRawPointer(nothing.utf8Start).assumingMemoryBound(to: CChar.self)
        }
    }

    /// One prepared statement; `finish` finalizes it.
    private struct Statement {
        let pointer: OpaquePointer

        init(_ text: String, _ table: String, _ handle: SQLiteRawHandle) throws {
            var prepared: OpaquePointer?
            guard sqlite_nio_sqlite3_prepare_v2(handle.pointer, text, -1, &prepared, nil) == SQLITE_OK, let statement = prepared else {
                throw failure(table, handle)
            }
            pointer = statement
        }

        /// `INSERT OR FAIL INTO table (columns) VALUES (?, …), …` for `rows` rows.
        init(insert table: String, _ columns: [String], rows: Int, _ handle: SQLiteRawHandle) throws {
            let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            try self.init("INSERT OR FAIL INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES "
                          + Array(repeating: row, count: rows).joined(separator: ", "), table, handle)
        }

        func finish() { sqlite_nio_sqlite3_finalize(pointer) }
    }

    private static func failure(_ table: String, _ handle: SQLiteRawHandle) -> StorageError {
        StorageError(code: "storage.insert_failed", message: "写入\(table)失败：\(handle.message)")
    }
}
