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
        try await keys(table: "students", numberColumn: "student_number")
    }
    public func staffKeys() async throws -> [RegistryPersonKey] {
        try await keys(table: "staff", numberColumn: "staff_number")
    }

    /// On an SQLite file the keys are read in place (`SQLiteScan`): an import starts by loading every
    /// registered 学籍号 and 身份证号 (tens of thousands), and through the driver that took a tenth of a
    /// second before the first row could be checked.
    private func keys(table: String, numberColumn: String) async throws -> [RegistryPersonKey] {
        guard let scan = SQLiteScan(database) else {
            return try await bulkReads.keys(table: table, numberColumn: numberColumn)
        }
        var keys: [RegistryPersonKey] = []
        try scan.rows("SELECT \(numberColumn), resident_id FROM \(table) ORDER BY id") { row in
            keys.append(RegistryPersonKey(number: row.text(0).map(FactBytes.text) ?? "", residentID: row.text(1).map(FactBytes.text)))
        }
        return keys
    }
    public func recordImport(_ summary: ImportAuditSummary) async throws {
        throw StorageError(code: "storage.outside_transaction", message: "导入记录只能在写入事务中登记")
    }
    public func insertStudentChunk(students: [Student], enrolments: [Enrolment]) async throws {
        throw StorageError(code: "storage.outside_transaction", message: "批量导入只能在写入事务中进行")
    }
    public func retractStudents(_ ids: [StudentID]) async throws {
        throw StorageError(code: "storage.outside_transaction", message: "批量导入只能在写入事务中进行")
    }
    public func finishBulkLoad(_ counts: [String: Int]) async throws {
        throw StorageError(code: "storage.outside_transaction", message: "批量导入只能在写入事务中进行")
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

    /// Two multi-row INSERTs (students, then enrolments) of at most `BulkRows.maxRows` rows each
    /// per statement, values bound and built straight from the records: the per-value cost of
    /// SQLKit's expression tree was most of an import's commit time.
    /// On SQLite, the same rows through prepared statements on the transaction's own connection
    /// (`SQLiteBulkInsert`), which costs about half as much.
    func insertStudentChunk(students: [Student], enrolments: [Enrolment]) async throws {
        if flavor == .sqlite, let handle = SQLiteRawHandle(sql) {
            try await SQLiteBulkInsert.insert(students: students, enrolments: enrolments, handle: handle)
            return
        }
        try await BulkRows.insert(into: sql, Tables.Students.name, Tables.Students.columns, students, BulkRows.student)
        try await BulkRows.insert(into: sql, Tables.Enrolments.name, Tables.Enrolments.columns, enrolments, BulkRows.enrolment)
    }

    func retractStudents(_ ids: [StudentID]) async throws {
        guard !ids.isEmpty else { return }
        let list = ids.map { SQLBind($0.rawValue) }
        try await sql.delete(from: Tables.Enrolments.name).where(SQLIdentifier("student_id"), .in, SQLGroupExpression(SQLList(list))).run()
        try await sql.delete(from: Tables.Students.name).where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLList(list))).run()
    }

    func finishBulkLoad(_ counts: [String: Int]) async throws {
        if flavor == .postgres {
            // Explicit ids bypass the identity sequences; move them past the highest id (as `bulkInsert` does).
            for table in Migrations.identityTables where table != "audit_log" {
                let statement: String =
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)"
                try await sql.raw(SQLQueryString(statement)).run()
            }
        }
        var summary: [String: Int] = [:]
        for table in ["districts", "townships", "zones", "schools", "staff", "classes", "students", "enrolments"] {
            summary[table] = counts[table] ?? 0
        }
        try await audit(.bulkLoad, entity: "batch", id: 0, before: [String: Int]?.none, after: summary)
    }
}

/// One value of a bulk row. Text that came from a file is bound; values the program formats itself
/// from typed data (integers, dates, enum codes) are written into the statement as literals, which
/// spares SQLKit's per-bind encoding (most of a chunk's cost on the Swift side) and SQLite's binding.
enum BulkValue {
    /// Bound as a parameter.
    case text(String)
    /// Written as a quoted literal (quotes doubled): dates and enum codes formatted by the program.
    case code(String)
    /// Written as a decimal literal.
    case int(Int64)
    case null

    static func textOrNull(_ v: String?) -> BulkValue { v.map { .text($0) } ?? .null }
    static func codeOrNull(_ v: String?) -> BulkValue { v.map { .code($0) } ?? .null }
    static func id<E>(_ v: EntityID<E>?) -> BulkValue { v.map { .int($0.rawValue) } ?? .null }
    static func flag(_ v: Bool) -> BulkValue { .int(v ? 1 : 0) }
}

/// Takes the bulk values of a row in column order: an array (the SQLKit statements), or a prepared
/// statement's parameters (`SQLiteBulkInsert`).
protocol BulkValueSink {
    mutating func add(_ value: BulkValue)
}

extension Array: BulkValueSink where Element == BulkValue {
    mutating func add(_ value: BulkValue) { append(value) }
}

/// `INSERT INTO t (c1, c2, …) VALUES (?, ?, …), (…)`: every value a bind (placeholders as the
/// dialect writes them), NULLs as literals. The same values as `Tables.*.values` produce.
struct BulkRows: SQLExpression {
    let head: String
    let rows: ArraySlice<[BulkValue]>

    /// Rows per statement: 2 000 × at most 15 columns stays under SQLite's 32 766 bound parameters.
    static let maxRows = 2_000

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(head)
        var firstRow = true
        for row in rows {
            serializer.write(firstRow ? "(" : ", (")
            firstRow = false
            var firstValue = true
            for value in row {
                if !firstValue { serializer.write(", ") }
                firstValue = false
                switch value {
                case .text(let t): serializer.write(bind: t)
                case .code(let c):
                    serializer.write("'")
                    serializer.write(c.utf8.contains(39) ? c.replacingOccurrences(of: "'", with: "''") : c)
                    serializer.write("'")
                case .int(let n): serializer.write(String(n))
                case .null: serializer.write("NULL")
                }
            }
            serializer.write(")")
        }
    }

    static func insert<R>(into sql: any SQLDatabase, _ table: String, _ columns: [String], _ records: [R],
                          _ values: (R) -> [BulkValue]) async throws {
        guard !records.isEmpty else { return }
        let head = "INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES "
        let perStatement = max(1, min(maxRows, 30_000 / columns.count))
        var start = 0
        while start < records.count {
            let end = min(records.count, start + perStatement)
            let rows = records[start..<end].map(values)
            try await sql.execute(sql: BulkRows(head: head, rows: rows[...])) { _ in }
            start = end
        }
    }

    /// One row's values gathered into an array (the SQLKit statements' rows).
    private static func collected(_ columns: Int, _ fill: (inout [BulkValue]) -> Void) -> [BulkValue] {
        var row: [BulkValue] = []
        row.reserveCapacity(columns)
        fill(&row)
        return row
    }

    /// `Tables.Students.values`, as bulk values.
    static func student(_ s: Student) -> [BulkValue] {
        collected(Tables.Students.columns.count) { student(s, into: &$0) }
    }

    /// `Tables.Students.values`, one value after the other into `sink` (no array per row).
    static func student(_ s: Student, into sink: inout some BulkValueSink) {
        sink.add(.id(s.id)); sink.add(.text(s.studentNumber)); sink.add(.text(s.name)); sink.add(.code(s.gender.rawValue))
        sink.add(.code(s.birthDate.description)); sink.add(.textOrNull(s.residentID?.value)); sink.add(.text(s.ethnicity))
        sink.add(.code(s.hukouType.rawValue)); sink.add(.id(s.hukouTownshipID)); sink.add(.flag(s.flags.leftBehind))
        sink.add(.flag(s.flags.migrantWorkerChild)); sink.add(.codeOrNull(s.flags.disability?.rawValue))
        sink.add(.flag(s.flags.inclusiveClass)); sink.add(.codeOrNull(s.flags.poverty?.rawValue)); sink.add(.flag(s.flags.boarding))
    }

    /// `Tables.Enrolments.values`, as bulk values.
    static func enrolment(_ e: Enrolment) -> [BulkValue] {
        collected(Tables.Enrolments.columns.count) { enrolment(e, into: &$0) }
    }

    /// `Tables.Enrolments.values`, one value after the other into `sink`.
    static func enrolment(_ e: Enrolment, into sink: inout some BulkValueSink) {
        sink.add(.id(e.id)); sink.add(.id(e.studentID)); sink.add(.id(e.schoolID)); sink.add(.code(e.grade.rawValue))
        sink.add(.id(e.classID)); sink.add(.code(e.from.description)); sink.add(.codeOrNull(e.until?.description))
        sink.add(.code(e.entry.rawValue)); sink.add(.codeOrNull(e.exit?.rawValue))
    }
}

extension SQLQueryString {
    /// A query from plain text built by us (table and column names from the schema, never user input),
    /// without SQLKit's interpolation rules applying to the pieces.
    init(text: String) { self.init(text) }
}
