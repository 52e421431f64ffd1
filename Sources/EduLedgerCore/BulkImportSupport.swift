/// The highest id in use per registry table, so a bulk writer can assign ids to a batch
/// (`RegistryBatch` needs them) without one round trip per record.
public struct RegistryHighestIDs: Sendable, Hashable, Codable {
    public var schools: Int64
    public var classes: Int64
    public var students: Int64
    public var enrolments: Int64
    public var staff: Int64
    public init(schools: Int64 = 0, classes: Int64 = 0, students: Int64 = 0, enrolments: Int64 = 0, staff: Int64 = 0) {
        self.schools = schools; self.classes = classes; self.students = students
        self.enrolments = enrolments; self.staff = staff
    }
}

/// The natural keys of one kind of person record already registered: number and, when known,
/// resident ID number. Importers check a whole file for duplicates against these at once
/// instead of asking the database row by row.
public struct RegistryPersonKey: Sendable, Hashable {
    public var number: String
    public var residentID: String?
    public init(number: String, residentID: String?) { self.number = number; self.residentID = residentID }
}

/// One line in the audit log that summarises an import (file, kind, counts), written in the
/// same transaction as the imported records.
public struct ImportAuditSummary: Sendable, Hashable, Codable {
    public var kind: String
    public var fileName: String
    public var mode: String
    public var rowsRead: Int
    public var inserted: Int
    public var updated: Int
    public var rejected: Int
    public init(kind: String, fileName: String, mode: String, rowsRead: Int, inserted: Int, updated: Int, rejected: Int) {
        self.kind = kind; self.fileName = fileName; self.mode = mode; self.rowsRead = rowsRead
        self.inserted = inserted; self.updated = updated; self.rejected = rejected
    }
}

/// What a bulk importer needs beyond `RegistryReading`/`RegistryWriting`. The SQL store and its
/// transaction writer both provide it; an importer asks for it with `as?` inside `write`.
public protocol RegistryBulkSupport: Sendable {
    func highestIDs() async throws -> RegistryHighestIDs
    /// Every student's 学籍号 and 身份证号, in id order.
    func studentKeys() async throws -> [RegistryPersonKey]
    /// Every staff member's 教职工号 and 身份证号, in id order.
    func staffKeys() async throws -> [RegistryPersonKey]
    /// Appends the summary line of an import to the audit log (inside a transaction only).
    func recordImport(_ summary: ImportAuditSummary) async throws
    /// Writes one chunk of a large import inside its transaction, while the rest of the file is
    /// still being validated: new students with their first enrolments, ids already assigned, as
    /// multi-row INSERTs. No audit line per chunk; `finishBulkLoad` writes the one summary line.
    func insertStudentChunk(students: [Student], enrolments: [Enrolment]) async throws
    /// Removes students written earlier in this transaction by `insertStudentChunk` (with their
    /// enrolments), when a later row of the file turned out to duplicate them.
    func retractStudents(_ ids: [StudentID]) async throws
    /// Ends a chunked load: the one `bulk_load` audit line with the count per table (the line
    /// `RegistryWriting.bulkInsert` writes for a whole batch), and on PostgreSQL the id sequences
    /// moved past the explicit ids.
    func finishBulkLoad(_ counts: [String: Int]) async throws
}
